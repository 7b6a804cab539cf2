"""Exercise tooling of the course: one source per exercise set, honest checks, sandboxed grading.

Public API (the ``course`` command wraps it; see instructors.md and exercises/README.md):

- ``grader.pages.write_student_pages(src_dir, out_dir) -> list[Path]`` — book pages
  (``python -m grader.pages SRC_DIR OUT_DIR``);
- ``grader.release.release(sources, out_dir, seed) -> list[Released]`` — student notebooks and
  grader bundles;
- ``grader.grading.grade_submission(bundle, submission_path, limits) -> ResultRecord`` — grade
  one notebook (a pure function a process pool or a cluster engine can map);
- ``grader.batch.grade_folder(bundle_path, submissions_dir, out_csv, limits, workers, student)``
  — gradebook, feedback, manual-grading sheet, resumable cache;
- ``grader.canvas.export_canvas(...)`` and ``grader.report.write_report(...)``;
- ``grader.student.Checks`` — ``check("q1")`` / ``check_all()`` inside student notebooks.
"""
