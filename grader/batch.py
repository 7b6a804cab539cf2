"""``course grade``: grade a folder of notebooks into a gradebook, feedback files and a cache.

Outputs beside ``--out gradebook.csv``:

- ``gradebook.csv`` — ``student,status,score,max_score,reason`` then one column per question
  (points; ``manual`` for written questions, whose points are not in ``score``); for a set
  with per-student parameters only, a last column ``variant``: ``ok`` when the notebook's
  ``STUDENT_ID`` is its file's student, ``missing`` when it has none (graded with the cohort's
  values), ``mismatch: claims ID`` when it names someone else (graded with ID's values);
- ``feedback/STUDENT.md`` — per-question points and messages (never hidden-test code);
- ``manual.csv`` — the written answers with an empty ``points`` column for the instructor;
- ``.gradebook-cache/`` — one result per (bundle, limits, submission bytes): an unchanged
  submission is never graded twice, and an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict
from pathlib import Path

from grader.bundle import Bundle, load_bundle
from grader.grading import (
    Limits,
    ResultRecord,
    checker_namespace,
    grade_submission,
    needed_by_sandbox,
)
from grader.sandbox.client import start_zygote, stop_zygote
from grader.spreadsheet import TEXT_ERRORS, Cell, write_csv
from grader.submission import InvalidSubmission, read_notebook_bytes, student_name
from grader.variants import variant_status

BASE_COLUMNS = ["student", "status", "score", "max_score", "reason"]
VARIANT_COLUMN = "variant"  # last, and only for sets with per-student parameters
# How much of an unexpected exception's type name (in its row) or message (on stderr) is shown.
FAILURE_CHARS = 200


def default_workers() -> int:
    """Grading processes for this machine: two more than its cores. A worker whose notebook
    sleeps (until the wall-clock limit) or waits leaves its core to the others; with one spare
    worker, two stuck notebooks at once already idled a core (measured on 2 cores: wall time
    per CPU-second of work 0.514 with 4 workers, 0.529 with 3)."""
    return (os.cpu_count() or 1) + 2


def _settings_key(bundle: Bundle, limits: Limits) -> bytes:
    """What, besides a submission's bytes, decides its result: the bundle and the limits."""
    settings = {k: v for k, v in asdict(limits).items() if k != "hide"}
    return (bundle.sha256 + json.dumps(settings, sort_keys=True)).encode()


def notebook_paths(folder: Path) -> list[Path]:
    """The submissions in a folder: every entry whose name ends in .ipynb, in any case (an
    upload named ``Kim.IPYNB`` is still Kim's notebook), sorted by name. Entries are taken by
    name only (nothing is opened or followed here): a link, FIFO, device or folder so named
    gets an ``invalid`` row saying what it is."""
    return sorted(p for p in folder.iterdir() if p.name.lower().endswith(".ipynb")
                  and not p.name.startswith("."))


def not_notebooks(folder: Path) -> list[str]:
    """Names of the entries in a folder that are not graded (not .ipynb, not a folder), for
    the instructor. Links are not followed: a link to a FIFO or a device is named, not
    opened."""
    with os.scandir(folder) as entries:
        return sorted(e.name for e in entries
                      if not e.is_dir(follow_symlinks=False)
                      and not e.name.lower().endswith(".ipynb") and not e.name.startswith("."))


def _cache_key(settings: bytes, path: Path) -> str | None:
    """The cache entry of a submission; None if it is not a readable regular file (a folder
    named ``x.ipynb``, a link, a FIFO): it is then graded (invalid, with the reason), not
    cached. Read as grading reads it: no link followed, at most the size limit and a byte."""
    digest = hashlib.sha256(settings)
    try:
        digest.update(read_notebook_bytes(path))
    except InvalidSubmission:
        return None
    return digest.hexdigest()


def _fmt(points: float) -> str:
    return f"{points:g}"


def gradebook_rows(bundle: Bundle, records: Iterable[ResultRecord]) -> list[dict[str, Cell]]:
    """One row per record, by student: text as text, points as numbers (see
    grader.spreadsheet for how each is written)."""
    rows = []
    for record in sorted(records, key=lambda r: r.student):
        row: dict[str, Cell] = {
            "student": record.student,
            "status": record.status,
            "score": float(record.score),
            "max_score": float(record.max_score),
            "reason": record.reason,
        }
        by_id = {q.id: q for q in record.questions}
        for question in bundle.questions:
            result = by_id.get(question["id"])
            if question["kind"] == "written":
                row[question["id"]] = "manual"
            else:
                row[question["id"]] = float(result.points) if result else 0.0
        if bundle.per_student:
            row[VARIANT_COLUMN] = record.variant
        rows.append(row)
    return rows


def write_gradebook(bundle: Bundle, records: Iterable[ResultRecord], path: Path) -> None:
    columns = BASE_COLUMNS + bundle.question_ids + ([VARIANT_COLUMN] if bundle.per_student else [])
    write_csv(path, columns, ([row[c] for c in columns] for row in gradebook_rows(bundle, records)))


def feedback_text(bundle: Bundle, record: ResultRecord) -> str:
    title = bundle.data.get("title", bundle.data["set_id"])
    lines = [
        f"# Feedback: {title}",
        "",
        f"Student: {record.student}",
        f"Status: {record.status}",
        f"Score: {_fmt(record.score)} / {_fmt(record.max_score)} (auto-graded)",
    ]
    if record.reason:
        lines.append(f"Note: {record.reason}")
    if record.variant:
        lines.append(f"Student identifier: {record.variant}")
    lines.append("")
    for result in record.questions:
        if result.kind == "written":
            lines.append(f"## {result.id}: written answer ({_fmt(result.max_points)} points, "
                         "graded by your instructor)")
            answer = record.written.get(result.id, "")
            lines.append("")
            lines.append("> " + answer.replace("\n", "\n> ") if answer else "(no answer)")
        else:
            lines.append(f"## {result.id}: {_fmt(result.points)} / {_fmt(result.max_points)}")
            lines.append("")
            passed = [o for o in result.outcomes if o.passed]
            if result.outcomes:
                lines.append(f"- {len(passed)} of {len(result.outcomes)} tests passed")
            lines += [f"- {message}" for message in result.messages]
        lines.append("")
    if record.cell_errors:
        lines.append("## Errors while running your notebook")
        lines.append("")
        lines += [f"- cell {e.get('cell')}: {e.get('error')}" for e in record.cell_errors]
        lines.append("")
    return "\n".join(lines)


def write_manual(bundle: Bundle, records: Iterable[ResultRecord], path: Path) -> None:
    written = [q for q in bundle.questions if q["kind"] == "written"]
    write_csv(path, ["student", "question", "max_points", "points", "answer"],
              ([record.student, question["id"], float(question["points"]), "",
                record.written.get(question["id"], "")]
               for record in sorted(records, key=lambda r: r.student) for question in written))


def _guard_hidden(paths: list[Path]) -> None:
    """Folders hidden from student code must not contain the Python the sandbox needs."""
    for path in paths:
        if needed_by_sandbox(path):
            raise ValueError(
                f"{path} holds the Python environment or the grader, which student code needs; "
                "put submissions and grading output in a folder of their own"
            )


def _worker_init() -> None:
    """Each pool worker owns a runner; close it (and reap it) when the worker exits."""
    from multiprocessing.util import Finalize

    from grader.sandbox.client import reset_runner

    Finalize(None, reset_runner, exitpriority=10)


def _warm_checker(bundle: Bundle) -> None:
    """Build the tests' namespace (and import what rebuilding answers needs) once, here: the
    pool's workers are forked from this process and inherit it instead of each doing it."""
    try:
        import pyarrow  # noqa: F401

        checker_namespace(bundle)
    except Exception:  # a broken setup is reported per submission by the workers
        pass


def _grader_failure(bundle: Bundle, path: Path, err: Exception) -> ResultRecord:
    """The row of a notebook whose grading raised: an error of the grader, named by its type
    only (its message may quote the notebook's data), and a line for the maintainer."""
    kind = type(err).__name__[:FAILURE_CHARS]
    # Quoted (repr): a file name or message must not send control characters to the terminal.
    print(f"{path.name!r}: grader failure: {kind}: {str(err)[:FAILURE_CHARS]!r}",
          file=sys.stderr)
    return ResultRecord(student_name(path), "error", 0.0, bundle.max_auto_points,
                        f"grader failure: {kind}")


def _grade_all(bundle: Bundle, paths: list[Path], limits: Limits, workers: int,
               on_done: Callable[[Path, ResultRecord], None]) -> None:
    if workers <= 1:
        for path in paths:
            try:
                record = grade_submission(bundle, path, limits)
            except Exception as err:  # never stop the batch, as in the pool below
                record = _grader_failure(bundle, path, err)
            on_done(path, record)
        return
    remaining = list(paths)
    for attempt in range(3):
        if not remaining:
            break
        # Two pooled attempts; then each survivor alone, so one notebook that kills its
        # grading process (it should not be able to) cannot take others down with it.
        batches = [remaining] if attempt < 2 else [[path] for path in remaining]
        remaining = []
        for batch in batches:
            remaining += _pool_pass(bundle, batch, limits, workers if attempt < 2 else 1,
                                    on_done)
    for path in remaining:
        on_done(path, ResultRecord(student_name(path), "error", 0.0, bundle.max_auto_points,
                                   "grader failure: the grading process died on this notebook"))


def _pool_pass(bundle: Bundle, paths: list[Path], limits: Limits, workers: int,
               on_done: Callable[[Path, ResultRecord], None]) -> list[Path]:
    """Grade ``paths`` on a fresh pool; return those lost to a dead grading process."""
    lost = []
    # One runner preloads pandas/Altair; the workers' runners are forked from it. It starts
    # first so that its preloading and the checker's warm-up share the two cores.
    start_zygote()
    _warm_checker(bundle)
    try:
        with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init) as pool:
            futures: dict[Future, Path] = {
                pool.submit(grade_submission, bundle, path, limits): path for path in paths
            }
            for future in as_completed(futures):
                path = futures[future]
                try:
                    on_done(path, future.result())
                except BrokenProcessPool:
                    lost.append(path)
                except Exception as err:  # never stop the batch
                    on_done(path, _grader_failure(bundle, path, err))
    finally:
        stop_zygote()
    return lost


def _check_variant(record: ResultRecord) -> None:
    """Whether a record's claimed identifier is its student's, again: records are cached by
    content, and two files with equal bytes claim the same identifier for different names."""
    if record.variant:
        record.variant = variant_status(record.student, record.student_id or None)


def grade_folder(
    bundle_path: Path,
    submissions_dir: Path,
    out_csv: Path,
    limits: Limits | None = None,
    workers: int = 1,
    student: str | None = None,
    progress: bool = True,
) -> list[ResultRecord]:
    """Grade every ``*.ipynb`` in a folder; see the module docstring for what it writes."""
    bundle = load_bundle(bundle_path)
    limits = limits or Limits()
    if not submissions_dir.is_dir():
        raise ValueError(f"{submissions_dir}: no such folder of submissions")
    paths = notebook_paths(submissions_dir)
    if student is not None and student not in {student_name(p) for p in paths}:
        raise ValueError(f"{submissions_dir}: no submission {student}.ipynb to regrade")
    out_dir = out_csv.parent
    out_dir.mkdir(parents=True, exist_ok=True)
    cache_dir = out_dir / f".{out_csv.stem}-cache"
    feedback_dir = out_dir / "feedback"
    for folder in (cache_dir, feedback_dir):
        folder.mkdir(exist_ok=True)
        os.chmod(folder, 0o700)
    hidden = [bundle_path, submissions_dir, cache_dir, feedback_dir]
    hidden += [p for p in (out_csv, out_dir / "manual.csv") if p.exists()]
    _guard_hidden(hidden)
    limits = Limits(**{**asdict(limits), "hide": tuple(str(p.resolve()) for p in hidden)})

    records: dict[Path, ResultRecord] = {}
    todo, keys = [], {}
    settings = _settings_key(bundle, limits)
    for path in paths:
        key = keys[path] = _cache_key(settings, path)
        cached = cache_dir / f"{key}.json"
        if key is not None and cached.exists() and student_name(path) != student:
            try:
                record = ResultRecord.from_dict(json.loads(cached.read_text()))
            except (ValueError, TypeError, KeyError):
                pass  # a damaged cache entry: grade again
            else:
                # The cache is by content: two students who handed in the same bytes (say,
                # the untouched blank notebook) share an entry, not a name.
                record.student = student_name(path)
                _check_variant(record)
                records[path] = record
                continue
        todo.append(path)

    bar = None
    if progress and todo:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), unit="nb", desc="grading", file=sys.stderr)

    def done(path: Path, record: ResultRecord) -> None:
        record.student = student_name(path)
        _check_variant(record)
        records[path] = record
        if keys[path] is not None:
            (cache_dir / f"{keys[path]}.json").write_text(json.dumps(record.to_dict()))
        if bar is not None:
            bar.update(1)

    _grade_all(bundle, todo, limits, workers, done)
    if bar is not None:
        bar.close()
    results = [records[p] for p in paths]
    write_gradebook(bundle, results, out_csv)
    for record in results:
        (feedback_dir / f"{record.student}.md").write_text(feedback_text(bundle, record),
                                                           encoding="utf-8", errors=TEXT_ERRORS)
    if any(q["kind"] == "written" for q in bundle.questions):
        write_manual(bundle, results, out_dir / "manual.csv")
    return results
