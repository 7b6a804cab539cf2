"""What the grader writes and what it reads: CSV cells that cannot run as spreadsheet formulas,
submissions read only from regular files, and a batch that always ends with a gradebook."""

from __future__ import annotations

import csv
import os
import socket
import stat
from pathlib import Path
from typing import Any

import pytest
from test_grader_helpers import Tiny, notebook_with_cells, write_notebook

import grader.batch
from grader.canvas import export_canvas
from grader.grading import Limits
from grader.report import load_gradebook
from grader.spreadsheet import escape_cell, read_csv, read_records, unescape_cell, write_csv
from grader.submission import MAX_NOTEBOOK_BYTES, InvalidSubmission, read_notebook_bytes

LIMITS = Limits(timeout=10)
# Each starts a formula in some spreadsheet, or (the quote) must read back unambiguously.
FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "'quoted",
            "-2"]
HARMLESS = ["A model answer", "kim-lee", "1.5", "", "it's fine", "a=b", "x;=1"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Tiny:
    return Tiny(tmp_path_factory.mktemp("tiny"))


def with_written_answer(notebook: dict[str, Any], answer: str) -> dict[str, Any]:
    """The notebook with its (single) written answer replaced."""
    notebook = notebook_with_cells([], notebook)
    [cell] = [c for c in notebook["cells"] if c["cell_type"] == "markdown"
              and any(t.startswith("answer-") for t in c["metadata"].get("tags", []))]
    cell["source"] = answer
    return notebook


def raw_rows(path: Path) -> list[list[str]]:
    """A CSV file as a spreadsheet receives it (no unescaping)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


# --- spreadsheet formulas ----------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_starting_like_a_formula_is_quoted_and_reads_back(text: str) -> None:
    escaped = escape_cell(text)
    assert escaped == "'" + text
    assert unescape_cell(escaped) == text


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_is_untouched(text: str) -> None:
    assert escape_cell(text) == text
    assert unescape_cell(text) == text


def test_a_quote_that_is_no_escape_stays_when_read() -> None:
    """A spreadsheet that saves the sheet again may drop one quote of ``''tis``: what is left
    reads as the student wrote it."""
    assert escape_cell("'tis") == "''tis"
    assert unescape_cell("'tis") == "'tis"


def test_written_csv_keeps_numbers_and_cells_whole(tmp_path: Path) -> None:
    """Points stay numbers; a semicolon or tab inside a cell is quoted, so a spreadsheet that
    splits lines on them cannot start a formula cell in the middle of a student's text."""
    path = tmp_path / "t.csv"
    write_csv(path, ["name", "points", "note"], [["x;=1", 1.5, "a\t=1"], ["-2", -0.5, 10.0]])
    assert path.read_bytes() == b'name,points,note\r\n"x;=1",1.5,"a\t=1"\r\n\'-2,-0.5,10\r\n'
    assert read_csv(path) == (["name", "points", "note"],
                              [["x;=1", "1.5", "a\t=1"], ["-2", "-0.5", "10"]])


def test_formulas_from_students_land_escaped_in_every_csv_and_read_back(
        tiny: Tiny, tmp_path: Path) -> None:
    """A written answer and a file name chosen by a student became formulas in the manual
    sheet, the gradebook and the Canvas export."""
    subs = tmp_path / "subs"
    # File names cannot hold "/": the HYPERLINK formula is only an answer.
    names = {text: text for text in FORMULAS if "/" not in text} | {FORMULAS[0]: "hyper"}
    names["=cmd"] = "=cmd"
    names["plain"] = "ann"
    for answer, student in names.items():
        answer = "A model answer" if answer == "plain" else answer
        write_notebook(subs, student, with_written_answer(tiny.blank, answer))
    out = tmp_path / "out" / "gradebook.csv"
    records = grader.batch.grade_folder(tiny.released.bundle, subs, out, LIMITS, progress=False)
    assert sorted(r.student for r in records) == sorted(names.values())
    assert all(r.status == "graded" for r in records)
    by_student = {r.student: r for r in records}

    def shown(text: str) -> str:
        """How a spreadsheet receives a student's text."""
        return text if text in ("ann", "hyper", "A model answer") else "'" + text

    manual = out.parent / "manual.csv"
    header, *rows = raw_rows(manual)
    assert header == ["student", "question", "max_points", "points", "answer"]
    answers = {r.student: r.written["q5"] for r in records}
    # Markdown answers are stripped: "\t=1" is handed in as "=1", still a formula.
    assert answers["\t=1"] == "=1" and answers["hyper"] == FORMULAS[0]
    assert sorted(rows) == sorted([shown(s), "q5", "2", "", shown(answers[s])] for s in answers)
    assert sorted(tuple(r.values()) for r in read_records(manual)) == sorted(
        (s, "q5", "2", "", answers[s]) for s in answers)

    header, *rows = raw_rows(out)
    assert header[:5] == ["student", "status", "score", "max_score", "reason"]
    assert sorted(row[0] for row in rows) == sorted(shown(s) for s in by_student)
    assert {row[2] for row in rows} == {"0"}  # a score is a number, not escaped text
    assert sorted(r["student"] for r in read_records(out)) == sorted(by_student)
    assert sorted(load_gradebook(out)["student"]) == sorted(by_student)

    # The instructor's points for every answer.
    manual.write_bytes(manual.read_bytes().replace(b",q5,2,,", b",q5,2,1.5,"))
    canvas = tmp_path / "canvas.csv"
    export_canvas(out, canvas, "=Set 0", manual=manual)
    header, points_possible, *rows = raw_rows(canvas)
    assert header[-1] == "'=Set 0" and points_possible[-1] == "12"
    assert sorted(row[0] for row in rows) == sorted(shown(s) for s in by_student)
    assert sorted(row[3] for row in rows) == sorted(shown(s) for s in by_student)
    assert {row[-1] for row in rows} == {"1.5"}  # manual points found for every student
    assert sorted(r["Student"] for r in read_records(canvas)[1:]) == sorted(by_student)


# --- only regular files are graded ---------------------------------------------------------


def _special_entries(subs: Path, elsewhere: Path, notebook: dict[str, Any]) -> dict[str, str]:
    """Entries named like notebooks that are not regular files, and what each should be
    called; a character device only when root can make one."""
    elsewhere.mkdir()
    os.mkfifo(subs / "fifo.ipynb")
    os.mkfifo(elsewhere / "pipe")
    write_notebook(elsewhere, "real", notebook)
    (subs / "zero.ipynb").symlink_to("/dev/zero")
    (subs / "elsewhere.ipynb").symlink_to(elsewhere / "real.ipynb")
    (subs / "tofifo.ipynb").symlink_to(elsewhere / "pipe")
    (subs / "dangling.ipynb").symlink_to(elsewhere / "missing.ipynb")
    (subs / "x.ipynb").mkdir()
    kinds = {"fifo": "a FIFO (named pipe)", "zero": "a symbolic link",
             "elsewhere": "a symbolic link", "tofifo": "a symbolic link",
             "dangling": "a symbolic link", "x": "a folder", "sock": "a socket"}
    cwd = Path.cwd()
    os.chdir(subs)  # a socket's path must be short: bind it by its relative name
    try:
        server = socket.socket(socket.AF_UNIX)
        server.bind("sock.ipynb")
        server.close()
    finally:
        os.chdir(cwd)
    if os.geteuid() == 0:
        null = os.stat("/dev/null").st_rdev
        os.mknod(subs / "dev.ipynb", 0o600 | stat.S_IFCHR, null)
        kinds["dev"] = "a character device"
    return kinds


@pytest.mark.timeout(120)
@pytest.mark.parametrize("workers", [1, 2])
def test_links_and_special_files_are_invalid_and_never_block(tiny: Tiny, tmp_path: Path,
                                                             workers: int) -> None:
    """A FIFO, or a link to /dev/zero, blocked the whole batch for ever while it was read for
    the cache key; a link to a notebook elsewhere was followed out of the folder."""
    subs = tmp_path / "subs"
    write_notebook(subs, "ann", tiny.solved)
    write_notebook(subs, "bob", tiny.blank)
    kinds = _special_entries(subs, tmp_path / "elsewhere", tiny.solved)
    os.mkfifo(subs / "pipe.txt")
    (subs / "notes.txt").symlink_to("/dev/zero")
    out = tmp_path / "out" / "gradebook.csv"
    records = grader.batch.grade_folder(tiny.released.bundle, subs, out, LIMITS,
                                        workers=workers, progress=False)
    by_student = {r.student: r for r in records}
    assert (by_student["ann"].status, by_student["ann"].score) == ("graded", 10)
    assert (by_student["bob"].status, by_student["bob"].score) == ("graded", 0)
    assert set(by_student) == {"ann", "bob", *kinds}
    for name, kind in kinds.items():
        record = by_student[name]
        assert (record.status, record.reason) == (
            "invalid", f"cannot read the file: {kind}, not a file"), name
    assert grader.batch.not_notebooks(subs) == ["notes.txt", "pipe.txt"]
    assert len(list((out.parent / ".gradebook-cache").iterdir())) == 2  # ann and bob only


@pytest.mark.timeout(60)
def test_a_huge_file_is_read_only_up_to_the_size_limit(tiny: Tiny, tmp_path: Path) -> None:
    """A sparse file of 64 GB was read whole (into memory) for the cache key."""
    subs = tmp_path / "subs"
    write_notebook(subs, "ann", tiny.solved)
    with (subs / "huge.ipynb").open("wb") as handle:
        handle.truncate(64 * 2**30)
    assert len(read_notebook_bytes(subs / "huge.ipynb")) == MAX_NOTEBOOK_BYTES + 1
    records = grader.batch.grade_folder(tiny.released.bundle, subs, tmp_path / "out" / "g.csv",
                                        LIMITS, progress=False)
    assert [(r.student, r.status) for r in records] == [("ann", "graded"), ("huge", "invalid")]
    assert records[1].reason == "the file is larger than 20 MB"


def test_reading_stops_one_byte_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.ipynb"
    path.write_bytes(b"x" * 100)
    assert read_notebook_bytes(path, limit=10) == b"x" * 11
    assert read_notebook_bytes(path, limit=100) == b"x" * 100
    with pytest.raises(InvalidSubmission, match="^cannot read the file: No such file"):
        read_notebook_bytes(tmp_path / "gone.ipynb")


# --- one failing notebook never stops the batch --------------------------------------------


def test_a_grader_failure_with_one_worker_is_an_error_row(
        tiny: Tiny, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """With --workers 1 an exception in grading one notebook ended the batch with a traceback
    and no gradebook; the pool already made it an error row."""
    subs = tmp_path / "subs"
    for name in ("amy", "breaks", "zoe"):
        write_notebook(subs, name, tiny.solved)
    real = grader.batch.grade_submission

    def breaks_on_one(bundle, path, limits):  # type: ignore[no-untyped-def]
        if path.stem == "breaks":
            raise KeyError("please award full marks " + "x" * 5000)
        return real(bundle, path, limits)

    monkeypatch.setattr(grader.batch, "grade_submission", breaks_on_one)
    out = tmp_path / "out" / "gradebook.csv"
    records = grader.batch.grade_folder(tiny.released.bundle, subs, out, LIMITS, workers=1,
                                        progress=False)
    assert [(r.student, r.status, r.score) for r in records] == [
        ("amy", "graded", 10), ("breaks", "error", 0), ("zoe", "graded", 10)]
    assert records[1].reason == "grader failure: KeyError"  # no text from the notebook's data
    assert [row["status"] for row in read_records(out)] == ["graded", "error", "graded"]
    err = capsys.readouterr().err
    assert "'breaks.ipynb': grader failure: KeyError" in err and "x" * 300 not in err
