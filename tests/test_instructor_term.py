"""An instructor's term, end to end, through the `course` command: release, grade 50
notebooks, grade the written answers in two halves, merge, look for copying, export to Canvas
and Moodle — every file read back and checked."""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from similarity_samples import HONEST_CODE, HONEST_WRITTEN, SOURCE, notebook_with

from grader.cli import main as course
from grader.solutions import solved_notebook
from grader.source import load_exercise_set
from grader.spreadsheet import read_records, write_csv

STUDENTS = 50
HONEST = [f"honest-{i}" for i in range(len(HONEST_CODE))]


def _renamed(code: str) -> str:
    """A copy dressed up: other names, a comment."""
    for old, new in (("row", "line"), ("counts", "tally"), ("year", "when"), ("mini", "small")):
        code = re.sub(rf"\b{old}\b", new, code)
    return "# my own work\n" + code


def _write(folder: Path, name: str, notebook: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")


@pytest.fixture(scope="module")
def term(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("term")
    release, submissions = root / "release", root / "submissions"
    assert course(["release", str(SOURCE), "--out", str(release), "--seed", "2027"]) == 0
    blank = json.loads((release / "student" / f"{SOURCE.stem}.ipynb").read_text())
    exercise_set = load_exercise_set(SOURCE)
    params = json.loads((release / "instructor" / f"{SOURCE.stem}.bundle.json").read_text())
    params = params["params"]
    for name, code, written in zip(HONEST, HONEST_CODE, HONEST_WRITTEN, strict=False):
        _write(submissions, name, notebook_with(blank, code, written))
    copied = {q: _renamed(source) for q, source in HONEST_CODE[0].items()}
    _write(submissions, "copier", notebook_with(blank, copied, "I agree with the reading."))
    _write(submissions, "paster", solved_notebook(exercise_set, params))
    for number in range(STUDENTS - len(HONEST) - 2):
        _write(submissions, f"student-{number:02d}", blank)
    grades = root / "grades"
    assert course(["grade", str(release / "instructor" / f"{SOURCE.stem}.bundle.json"),
                   str(submissions), "--out", str(grades / "gradebook.csv"), "--workers", "2",
                   "--quiet"]) == 0
    return {"root": root, "release": release, "submissions": submissions, "grades": grades,
            "bundle": release / "instructor" / f"{SOURCE.stem}.bundle.json"}


def test_a_whole_term(term: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    grades, bundle = term["grades"], term["bundle"]
    book = {row["student"]: row for row in read_records(grades / "gradebook.csv")}
    assert len(book) == STUDENTS
    assert all(row["status"] == "graded" for row in book.values())
    full = float(book["paster"]["max_score"])
    assert float(book["paster"]["score"]) == full
    assert float(book["honest-0"]["score"]) == float(book["copier"]["score"]) == full
    assert float(book["student-00"]["score"]) < full

    # Written answers, graded in two halves: every criterion at its highest level.
    sheets = term["root"] / "manual"
    assert course(["manual-sheets", str(bundle), str(grades), "--out", str(sheets),
                   "--graders", "2"]) == 0
    halves = sorted(sheets.glob("*-grader-*.csv"))
    assert len(halves) == 2
    for sheet in halves:
        rows = read_records(sheet)
        criteria = [c for c in rows[0] if c not in ("pseudonym", "question", "comment")]
        for row in rows:
            for criterion in criteria:
                row[criterion] = re.search(r"\(0-([0-9.]+)\)", criterion).group(1)
            row["comment"] = "Read the second reading again."
        write_csv(sheet, list(rows[0]), [list(row.values()) for row in rows])
    assert course(["manual-merge", str(bundle), str(grades), "--sheets", str(sheets)]) == 0
    merged = {row["student"]: row for row in read_records(grades / "gradebook-with-written.csv")}
    assert len(merged) == STUDENTS
    for name, row in merged.items():
        assert float(row["total"]) == float(row["score"]) + float(row["written_score"]), name
    assert "Read the second reading again." in (grades / "feedback" / "honest-0.md").read_text()

    # Copying: the planted copy and the pasted solution stand out; honest pairs do not.
    report = term["root"] / "similarity"
    assert course(["similarity", str(term["submissions"]), "--solutions", str(SOURCE),
                   "--out", str(report)]) == 0
    rows = read_records(report / "similarity.csv")
    pairs = {frozenset((r["student_a"], r["student_b"])): float(r["score"])
             for r in rows if r["kind"] == "pair"}
    solution = {r["student_a"]: float(r["solution_score"]) for r in rows if r["kind"] == "solution"}
    assert pairs[frozenset(("honest-0", "copier"))] >= 0.5
    assert solution["paster"] >= 0.9
    for a, b in combinations(HONEST, 2):
        assert pairs.get(frozenset((a, b)), 0.0) < 0.5, (a, b)
    page = (report / "similarity.html").read_text()
    assert "copier" in page and "http" not in page.lower().replace("http-equiv", "")

    # Exports: Canvas (students by name) and Moodle (through its roster).
    canvas = grades / "canvas.csv"
    assert course(["export-canvas", str(grades / "gradebook.csv"), "--out", str(canvas),
                   "--assignment", "Exercise set 0"]) == 0
    exported = read_records(canvas)
    assert list(exported[0])[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert len([r for r in exported if r["SIS Login ID"] in book]) == STUDENTS
    roster = term["root"] / "moodle-roster.csv"
    write_csv(roster, ["First name", "Last name", "Username", "ID number", "Email address"],
              [[name, "Student", name, str(1000 + n), f"{name}@example.edu"]
               for n, name in enumerate(sorted(book))])
    moodle = grades / "moodle.csv"
    assert course(["export-moodle", str(grades / "gradebook-with-written.csv"), "--out",
                   str(moodle), "--assignment", "Exercise set 0", "--roster", str(roster)]) == 0
    imported = {r["Username"]: r for r in read_records(moodle)}
    assert set(imported) == set(book)
    assert float(imported["honest-0"]["Exercise set 0"]) == float(merged["honest-0"]["total"])
    assert "warning" not in capsys.readouterr().err
