"""Release → grade → export → report, through the ``course`` CLI and the batch API."""

from __future__ import annotations

import csv
import json
import os
import re
import stat
from pathlib import Path

import pytest
from test_grader_helpers import (
    HIDDEN_MARKER,
    RUBRIC_MARKER,
    SOLUTION_MARKER,
    Tiny,
    notebook_with_cells,
    write_notebook,
)

import grader.batch
from grader.cli import main as course
from grader.grading import Limits


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Tiny:
    return Tiny(tmp_path_factory.mktemp("tiny"))


def files_text(folder: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())


def solution_lines(tiny: Tiny) -> list[str]:
    return [line.strip() for q in tiny.exercise_set.questions for line in q.solution.splitlines()
            if line.strip()]


def hidden_test_lines(tiny: Tiny) -> list[str]:
    lines = [line.strip() for q in tiny.exercise_set.questions for t in q.hidden_tests
             for line in t.code.splitlines() if line.strip()]
    return lines + [line.strip() for line in tiny.exercise_set.test_setup.splitlines()
                    if line.strip()]


def test_release_output_has_no_solution_or_hidden_test_text(tiny: Tiny) -> None:
    student = files_text(tiny.root / "release" / "student")
    for secret in [SOLUTION_MARKER, HIDDEN_MARKER, RUBRIC_MARKER, *solution_lines(tiny),
                   *hidden_test_lines(tiny)]:
        assert secret not in student, secret
    bundle = tiny.released.bundle.read_text()
    for secret in [SOLUTION_MARKER, *solution_lines(tiny)]:
        assert secret not in bundle, secret
    assert HIDDEN_MARKER in bundle  # the bundle is where hidden tests live...
    assert stat.S_IMODE(tiny.released.bundle.stat().st_mode) == 0o600  # ...owner-only
    assert stat.S_IMODE(tiny.released.bundle.parent.stat().st_mode) == 0o700


def test_seed_changes_parameters_and_tests_follow(tmp_path: Path, tiny: Tiny) -> None:
    seen = {}
    for seed in range(6):
        assert course(["release", str(tiny.source), "--out", str(tmp_path / str(seed)),
                       "--seed", str(seed)]) == 0
        bundle = json.loads((tmp_path / str(seed) / "instructor" / "01-tiny.bundle.json")
                            .read_text())
        notebook = (tmp_path / str(seed) / "student" / "01-tiny.ipynb").read_text()
        group = bundle["params"]["group"]
        seen[seed] = group
        assert f"Total `size` of group **{group}**" in notebook
        assert f"Filter rows of {group}" in notebook  # public hints follow the parameters
        assert f"{{'group': '{group}'}}" in notebook  # and so do the public tests' params
    assert len(set(seen.values())) > 1


def test_solution_full_marks_blank_zero_graded(tiny: Tiny, tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_notebook(subs, "solved", tiny.solved)
    write_notebook(subs, "blank", tiny.blank)
    records = grader.batch.grade_folder(tiny.released.bundle, subs, tmp_path / "out" / "gb.csv",
                                        Limits(timeout=10), workers=1, progress=False)
    by_student = {r.student: r for r in records}
    assert by_student["solved"].score == by_student["solved"].max_score == 10
    assert (by_student["blank"].status, by_student["blank"].score) == ("graded", 0)


@pytest.mark.slow
def test_batch_grades_everything_with_a_true_status(tiny: Tiny, tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_notebook(subs, "ada", tiny.solved)
    write_notebook(subs, "bob", tiny.blank)
    write_notebook(subs, "cy", notebook_with_cells(["while True:\n    pass"], tiny.solved))
    write_notebook(subs, "dee", b"\x00\xff not a notebook")
    write_notebook(subs, "eli", notebook_with_cells(["import os\nos._exit(3)"], tiny.solved))
    wrong = notebook_with_cells(["n_rows = 5", "by_group = table"], tiny.solved)
    write_notebook(subs, "fay", wrong)
    out = tmp_path / "grades" / "gradebook.csv"
    assert course(["grade", str(tiny.released.bundle), str(subs), "--out", str(out),
                   "--workers", "2", "--timeout", "2", "--quiet"]) == 0
    with out.open() as handle:
        reader = csv.DictReader(handle)
        rows = {row["student"]: row for row in reader}
        assert reader.fieldnames == ["student", "status", "score", "max_score", "reason",
                                     "q1", "q2", "q3", "q4", "q5"]
    assert {s: rows[s]["status"] for s in rows} == {
        "ada": "graded", "bob": "graded", "cy": "timeout", "dee": "invalid", "eli": "error",
        "fay": "graded"}
    assert rows["ada"]["score"] == "10" and rows["ada"]["q5"] == "manual"
    assert rows["fay"]["q1"] == "1" and rows["fay"]["q2"] == "2"  # public point only on q1
    assert re.search(r"(more than 2 s of CPU time|longer than 4 s \(wall clock\)) in cell",
                     rows["cy"]["reason"])
    assert "UTF-8" in rows["dee"]["reason"]
    feedback = files_text(out.parent / "feedback")
    for secret in [HIDDEN_MARKER, *hidden_test_lines(tiny)]:
        assert secret not in feedback, secret
    assert "Count every row of table." in (out.parent / "feedback" / "fay.md").read_text()
    manual = (out.parent / "manual.csv").read_text()
    assert "ada,q5,2,,A model answer" in manual


def _crash_on_crasher(bundle, path, limits):  # type: ignore[no-untyped-def]
    """Stands in for grade_submission in pool workers: dies on one notebook."""
    import os

    from grader.grading import grade_submission

    if path.stem == "crasher":
        os._exit(1)
    return grade_submission(bundle, path, limits)


@pytest.mark.slow
def test_a_dying_grading_process_does_not_take_the_batch_down(
        tiny: Tiny, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    subs = tmp_path / "subs"
    for name in ("amy", "crasher", "zoe"):
        write_notebook(subs, name, tiny.solved)
    monkeypatch.setattr(grader.batch, "grade_submission", _crash_on_crasher)
    records = grader.batch.grade_folder(tiny.released.bundle, subs, tmp_path / "out" / "g.csv",
                                        Limits(timeout=10), workers=2, progress=False)
    status = {r.student: (r.status, r.score) for r in records}
    assert status == {"amy": ("graded", 10), "zoe": ("graded", 10), "crasher": ("error", 0)}
    assert "died" in {r.student: r for r in records}["crasher"].reason


def test_unchanged_submissions_are_not_graded_twice(tiny: Tiny, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    subs = tmp_path / "subs"
    write_notebook(subs, "ann", tiny.solved)
    write_notebook(subs, "ben", tiny.blank)
    out = tmp_path / "out" / "gradebook.csv"
    limits = Limits(timeout=10)
    grader.batch.grade_folder(tiny.released.bundle, subs, out, limits, progress=False)
    first = out.read_text()
    graded: list[str] = []
    real = grader.batch.grade_submission

    def spy(bundle, path, limits):  # type: ignore[no-untyped-def]
        graded.append(path.stem)
        return real(bundle, path, limits)

    monkeypatch.setattr(grader.batch, "grade_submission", spy)
    grader.batch.grade_folder(tiny.released.bundle, subs, out, limits, progress=False)
    assert graded == [] and out.read_text() == first  # resumed entirely from the cache
    grader.batch.grade_folder(tiny.released.bundle, subs, out, limits, student="ben",
                              progress=False)
    assert graded == ["ben"]  # --student regrades exactly one
    write_notebook(subs, "ann", notebook_with_cells(["n_rows = 0"], tiny.solved))
    grader.batch.grade_folder(tiny.released.bundle, subs, out, limits, progress=False)
    assert graded == ["ben", "ann"]  # a changed submission is graded again
    with pytest.raises(ValueError, match="no submission zed.ipynb"):
        grader.batch.grade_folder(tiny.released.bundle, subs, out, limits, student="zed")


def test_identical_submissions_keep_their_students_when_resumed(tiny: Tiny,
                                                                 tmp_path: Path) -> None:
    """The cache is by content: two students who hand in the same bytes (the untouched blank
    notebook, say) share a cache entry. A resumed run listed the last one's name twice."""
    subs = tmp_path / "subs"
    for name in ("ann", "bob"):
        write_notebook(subs, name, tiny.blank)
    out = tmp_path / "out" / "gradebook.csv"
    for _ in range(2):  # graded, then resumed from the cache
        records = grader.batch.grade_folder(tiny.released.bundle, subs, out, Limits(timeout=10),
                                            progress=False)
        assert [r.student for r in records] == ["ann", "bob"]
        assert [row["student"] for row in csv.DictReader(out.open())] == ["ann", "bob"]
        assert "Student: ann" in (out.parent / "feedback" / "ann.md").read_text()


def test_odd_text_in_a_notebook_never_stops_the_class(tiny: Tiny, tmp_path: Path) -> None:
    """A lone surrogate in a written answer (valid JSON) or in an error message of student
    code, and a file name that is not UTF-8, could not be written to the feedback, manual
    grading sheet or gradebook: the whole batch stopped at its end."""
    notebook = notebook_with_cells([], tiny.solved)
    written = [c for c in notebook["cells"] if c["cell_type"] == "markdown"
               and any(t.startswith("answer-") for t in c["metadata"].get("tags", []))]
    assert written, "the tiny set has a written question"
    written[0]["source"] = "My answer \ud800 ends here"
    notebook = notebook_with_cells(["print(chr(0xdc00) * 3)", "raise ValueError(chr(0xd800))"],
                                   notebook)
    subs = tmp_path / "subs"
    write_notebook(subs, "kim", notebook)
    (subs / "kim.ipynb").rename(Path(os.fsdecode(bytes(subs) + b"/lee\xff.ipynb")))
    write_notebook(subs, "ann", tiny.solved)
    out = tmp_path / "out" / "gradebook.csv"
    records = grader.batch.grade_folder(tiny.released.bundle, subs, out, Limits(timeout=10),
                                        progress=False)
    assert [r.student for r in records] == ["ann", "lee\\xff"]
    assert all(r.status == "graded" and r.score == r.max_score for r in records)
    rows = list(csv.DictReader(out.open()))
    assert [row["student"] for row in rows] == ["ann", "lee\\xff"]
    # student code's own error text, quoted as the notebook's
    assert 'ValueError (the notebook\'s message: "\\ud800")' in rows[1]["reason"]
    assert "My answer \ufffd ends here" in (out.parent / "manual.csv").read_text()
    assert "\ufffd" in (out.parent / "feedback" / "lee\\xff.md").read_text()


def test_unreadable_entries_of_the_folder_are_invalid_not_fatal(tiny: Tiny,
                                                                  tmp_path: Path) -> None:
    """A folder named like a notebook, or a link to nothing, stopped the whole batch before it
    began (reading them for the cache key failed)."""
    subs = tmp_path / "subs"
    write_notebook(subs, "ann", tiny.solved)
    (subs / "folder.ipynb").mkdir()
    (subs / "gone.ipynb").symlink_to(tmp_path / "nowhere.ipynb")
    out = tmp_path / "out" / "gradebook.csv"
    for _ in range(2):  # and again, resuming
        records = grader.batch.grade_folder(tiny.released.bundle, subs, out, Limits(timeout=10),
                                            progress=False)
        assert [(r.student, r.status) for r in records] == [
            ("ann", "graded"), ("folder", "invalid"), ("gone", "invalid")]
        assert "cannot read the file" in records[1].reason
    assert len(list((out.parent / ".gradebook-cache").iterdir())) == 1  # only the notebook


def test_notebooks_in_any_case_are_graded_and_other_files_are_named(
        tiny: Tiny, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An upload named Kim.IPYNB was silently left out of the gradebook; files that are not
    notebooks (a PDF handed in by mistake) are now named when grading ends."""
    subs = tmp_path / "subs"
    write_notebook(subs, "ann", tiny.solved)
    (subs / "ann.ipynb").rename(subs / "Kim.IPYNB")
    (subs / "lee-essay.pdf").write_bytes(b"%PDF-1.4")
    out = tmp_path / "out" / "gradebook.csv"
    assert course(["grade", str(tiny.released.bundle), str(subs), "--out", str(out),
                   "--workers", "1", "--quiet"]) == 0
    assert [row["student"] for row in csv.DictReader(out.open())] == ["Kim"]
    assert "not graded, not .ipynb files: lee-essay.pdf" in capsys.readouterr().err
    write_notebook(subs, "Kim", tiny.blank)  # Kim.ipynb beside Kim.IPYNB
    assert course(["grade", str(tiny.released.bundle), str(subs), "--out", str(out),
                   "--workers", "1", "--quiet"]) == 0
    assert [row["student"] for row in csv.DictReader(out.open())] == ["Kim", "Kim"]
    assert "more than one notebook for: Kim" in capsys.readouterr().err


def test_canvas_export_format(tmp_path: Path) -> None:
    gradebook = tmp_path / "gradebook.csv"
    gradebook.write_text(
        "student,status,score,max_score,reason,q1,q5\n"
        "smithjane_1234_5678_ex0,graded,7,10,,7,manual\n"
        "lee,timeout,0,10,ran longer,0,manual\n"
    )
    manual = tmp_path / "manual.csv"
    manual.write_text("student,question,max_points,points,answer\n"
                      "smithjane_1234_5678_ex0,q5,2,1.5,text\nlee,q5,2,,\n")
    out = tmp_path / "canvas.csv"
    assert course(["export-canvas", str(gradebook), "--out", str(out), "--assignment",
                   "Exercise set 0", "--manual", str(manual)]) == 0
    rows = list(csv.reader(out.open()))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                       "Exercise set 0"]
    assert rows[1] == ["Points Possible", "", "", "", "", "12"]
    assert rows[2] == ["smithjane", "1234", "", "", "", "8.5"]
    assert rows[3] == ["lee", "", "", "lee", "", "0"]
    roster = tmp_path / "roster.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID,Section\n"
                      "\"Lee, Kim\",99,S-99,lee,Section A\n")
    assert course(["export-canvas", str(gradebook), "--out", str(out), "--assignment", "E0",
                   "--roster", str(roster)]) == 0
    rows = list(csv.reader(out.open()))
    assert rows[3] == ["Lee, Kim", "99", "S-99", "lee", "Section A", "0"]


def test_report_is_offline_html_with_charts(tmp_path: Path) -> None:
    gradebook = tmp_path / "gradebook.csv"
    gradebook.write_text(
        "student,status,score,max_score,reason,q1,q2,q5\n"
        "a,graded,10,10,,5,5,manual\nb,graded,5,10,,5,0,manual\n"
        "c,invalid,0,10,the file is empty,0,0,manual\n"
    )
    out = tmp_path / "report.html"
    assert course(["report", str(gradebook), "--out", str(out)]) == 0
    html = out.read_text()
    assert not re.search(r"""<(script|link)[^>]+(src|href)=["']?(https?:)?//""", html)
    assert "window.vegaEmbed" in html  # the library itself is inline
    specs = json.loads(re.search(r"const specs = (\{.*?\});\n", html, re.S).group(1)
                       .replace("<\\/", "</"))
    assert set(specs) == {"distribution", "status", "difficulty"}
    difficulty = next(iter(specs["difficulty"]["datasets"].values()))
    assert {row["question"]: row["share_earned"] for row in difficulty} == {"q1": 1.0, "q2": 0.5}
    assert "the file is empty" in html


def test_cli_reports_bad_input_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bundle.json"
    bad.write_text("{}")
    assert course(["grade", str(bad), str(tmp_path), "--out", str(tmp_path / "g.csv")]) == 1
    assert "not a grader bundle" in capsys.readouterr().err


def test_console_script_is_declared() -> None:
    from importlib.metadata import entry_points

    [script] = [e for e in entry_points(group="console_scripts") if e.name == "course"]
    assert script.value == "grader.cli:main"


def test_cached_records_hold_everything_the_record_does() -> None:
    """The cache's JSON comes from ResultRecord.to_dict (shallow, for speed): it must carry the
    same data as a deep `asdict` and rebuild an equal record."""
    import dataclasses

    from grader.checks import QuestionResult, TestOutcome
    from grader.grading import ResultRecord

    record = ResultRecord(
        "ada", "graded", 3.0, 4.0, "1 cell(s) raised errors: cell 2: NameError: x",
        [QuestionResult("q1", "auto", "answered", 3.0, 4.0, ["a hint"],
                        [TestOutcome(True, 3.0, False), TestOutcome(False, 0.0, True, "no")]),
         QuestionResult("q2", "written", "manual", 0.0, 2.0)],
        {"q2": "my essay"}, [{"cell": 2, "error": "NameError: x"}], "ab" * 32, "cd" * 32, 0.04,
        {"root": True, "namespaces": True},
    )
    as_json = json.loads(json.dumps(record.to_dict()))
    assert as_json == dataclasses.asdict(record)
    assert ResultRecord.from_dict(as_json) == record
