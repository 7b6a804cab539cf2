"""The manual grading loop: grade, write anonymised pages and sheets, fill them in as two
graders, merge into the gradebook and the feedback, and refuse every bad cell."""

from __future__ import annotations

import argparse
import json
import shutil
import stat
from pathlib import Path

import pytest
from test_grader_helpers import Tiny, write_notebook

import grader.batch
from grader.grading import Limits
from grader.manual import register
from grader.manual.merge import MERGED, SheetErrors, without_sections
from grader.manual.pseudonyms import pseudonyms, shuffled
from grader.manual.rubric import parse_rubric
from grader.spreadsheet import read_csv, read_records, write_csv

KEY = b"0123456789abcdef-test-key"
ANSWERS = {
    "ada-kowalski": "Fewer veto players, so consent is cheaper.",
    "bob-nakamura": "<script>alert('x')</script> small groups bargain faster",
    "cy-okafor": "Transaction costs are lower.",
    "dee-lindqvist": "I do not know.",
    "eli-moreau": "Fewer members, lower costs.",
    "fay-haddad": "Small is beautiful.",
}


def course(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="course")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.run(args)


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Tiny, Path]:
    """The tiny set graded for six students, each with their own written answer."""
    tiny = Tiny(tmp_path_factory.mktemp("tiny"))
    for student, text in ANSWERS.items():
        notebook = json.loads(json.dumps(tiny.solved))
        for cell in notebook["cells"]:
            if "answer-q5" in cell["metadata"].get("tags", []):
                cell["source"] = text
        write_notebook(tiny.root / "subs", student, notebook)
    out = tiny.root / "grades" / "gradebook.csv"
    grader.batch.grade_folder(tiny.released.bundle, tiny.root / "subs", out,
                              Limits(timeout=10), workers=1, progress=False)
    return tiny, out.parent


@pytest.fixture
def term(graded: tuple[Tiny, Path], tmp_path: Path) -> tuple[Path, Path, Path]:
    """A fresh copy of the graded folder (merging changes it) and a sheets folder with a known
    key: (bundle, gradebook folder, sheets folder)."""
    tiny, grades = graded
    folder = tmp_path / "grades"
    shutil.copytree(grades, folder)
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    (sheets / ".key").write_bytes(KEY)
    return tiny.released.bundle, folder, sheets


def names() -> dict[str, str]:
    return pseudonyms(KEY, list(ANSWERS))


def fill(sheet: Path, levels: dict[str, list[str]], comments: dict[str, str] | None = None) -> None:
    """Enter levels (by student) and comments in a sheet, as a grader would."""
    by_pseudonym = {p: s for s, p in names().items()}
    header, rows = read_csv(sheet)
    for row in rows:
        student = by_pseudonym[row[0]]
        if student in levels:
            row[2:4] = levels[student]
        if comments and student in comments:
            row[4] = comments[student]
    write_csv(sheet, header, rows)


def make(bundle: Path, grades: Path, sheets: Path, *options: str) -> None:
    assert course(["manual-sheets", str(bundle), str(grades), "--out", str(sheets),
                   *options]) == 0


def merge(bundle: Path, grades: Path, sheets: Path) -> int:
    return course(["manual-merge", str(bundle), str(grades), "--sheets", str(sheets)])


def test_pages_and_sheets_are_anonymised_shuffled_and_escaped(term) -> None:
    bundle, grades, sheets = term
    make(bundle, grades, sheets)
    assert sorted(p.name for p in sheets.iterdir()) == [".key", "q5.csv", "q5.html"]
    page = (sheets / "q5.html").read_text()
    sheet = (sheets / "q5.csv").read_text()
    for student in ANSWERS:  # no name anywhere
        assert student not in page and student not in sheet
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)" in page
    assert "fewer members whose consent is needed" in page  # the rubric's criteria
    assert "http" not in page.replace('http-equiv', '')  # nothing fetched
    header, rows = read_csv(sheets / "q5.csv")
    assert header[0:2] == ["pseudonym", "question"] and header[-1] == "comment"
    assert header[2].startswith("c1 (0-1)") and header[3].startswith("c2 (0-1)")
    order = [row[0] for row in rows]
    assert order == [names()[s] for s in shuffled(KEY, "", "q5", list(ANSWERS))]
    assert order != [names()[s] for s in ANSWERS] and order != sorted(order)  # shuffled
    for pseudonym in order:
        assert pseudonym in page and len(pseudonym) == 6 and pseudonym.startswith("S-")


def test_new_key_is_private_and_names_appear_only_when_revealed(term) -> None:
    bundle, grades, sheets = term
    (sheets / ".key").unlink()
    make(bundle, grades, sheets, "--reveal-names")
    assert stat.S_IMODE((sheets / ".key").stat().st_mode) == 0o600
    assert stat.S_IMODE(sheets.stat().st_mode) == 0o700
    key = (sheets / ".key").read_bytes()
    make(bundle, grades, sheets, "--reveal-names")
    assert (sheets / ".key").read_bytes() == key  # never replaced: pseudonyms stay
    rows = read_records(sheets / "q5.csv")
    assert {r["student"] for r in rows} == set(ANSWERS)
    assert "(ada-kowalski)" in (sheets / "q5.html").read_text()


def test_two_graders_merge_into_totals_and_feedback_once(term, capsys) -> None:
    bundle, grades, sheets = term
    make(bundle, grades, sheets, "--graders", "2")
    first, second = sheets / "q5-grader-1.csv", sheets / "q5-grader-2.csv"
    assert (sheets / "q5-grader-1.html").exists() and not (sheets / "q5.csv").exists()
    halves = [{row["pseudonym"] for row in read_records(p)} for p in (first, second)]
    assert len(halves[0]) == len(halves[1]) == 3 and not halves[0] & halves[1]
    levels = {"ada-kowalski": ["1", "1"], "bob-nakamura": ["1", "0"], "cy-okafor": ["0", "1"],
              "dee-lindqvist": ["0", "0"],
              "eli-moreau": ["1", "0.5"], "fay-haddad": ["0", "0"]}
    comments = {"ada-kowalski": "Clear and complete.",
                "eli-moreau": "=Good start\nsay more about costs"}
    for sheet, half in zip((first, second), halves, strict=True):
        ours = {s: v for s, v in levels.items() if names()[s] in half}
        fill(sheet, ours, comments)
    assert merge(bundle, grades, sheets) == 0
    assert "not yet graded" not in capsys.readouterr().out
    rows = {r["student"]: r for r in read_records(grades / MERGED)}
    assert rows["ada-kowalski"]["q5"] == "2" and rows["ada-kowalski"]["written_score"] == "2"
    assert rows["ada-kowalski"]["score"] == "10" and rows["ada-kowalski"]["total"] == "12"
    assert rows["eli-moreau"]["q5"] == "1.5" and rows["eli-moreau"]["total"] == "11.5"
    assert rows["dee-lindqvist"]["total"] == "10" and rows["dee-lindqvist"]["total_max"] == "12"
    assert list(rows["ada-kowalski"])[:10] == ["student", "status", "score", "max_score", "reason",
                                      "q1", "q2", "q3", "q4", "q5"]
    feedback = (grades / "feedback" / "eli-moreau.md").read_text()
    assert "## q5: written answer, 1.5 / 2" in feedback
    assert "- 1 / 1: fewer members whose consent is needed" in feedback
    assert "- 0.5 / 1: lower costs of bargaining" in feedback
    assert "> =Good start\n> say more about costs" in feedback
    assert merge(bundle, grades, sheets) == 0  # twice: replaced, not appended again
    assert (grades / "feedback" / "eli-moreau.md").read_text() == feedback
    assert feedback.count("## q5: written answer, 1.5") == 1


def test_comment_starting_with_equals_is_written_escaped_and_reads_back(term) -> None:
    bundle, grades, sheets = term
    make(bundle, grades, sheets)
    fill(sheets / "q5.csv", {"ada-kowalski": ["1", "1"]},
         {"ada-kowalski": '=HYPERLINK("http://x")'})
    assert "'=HYPERLINK" in (sheets / "q5.csv").read_text()
    make(bundle, grades, sheets)  # carried over: still escaped on disk, same text read back
    assert "'=HYPERLINK" in (sheets / "q5.csv").read_text()
    assert merge(bundle, grades, sheets) == 0
    assert '> =HYPERLINK("http://x")' in (grades / "feedback" / "ada-kowalski.md").read_text()


def test_rerunning_sheets_keeps_entries_even_when_the_split_changes(term, capsys) -> None:
    bundle, grades, sheets = term
    make(bundle, grades, sheets, "--graders", "2")
    for sheet in sheets.glob("q5-grader-*.csv"):
        fill(sheet, {"ada-kowalski": ["1", "0"], "bob-nakamura": ["0", ""],
                     "cy-okafor": ["1", "1"]},
             {"cy-okafor": "Well argued."})
    make(bundle, grades, sheets, "--graders", "3")
    assert sorted(p.name for p in sheets.glob("*.csv")) == [
        "q5-grader-1.csv", "q5-grader-2.csv", "q5-grader-3.csv"]
    rows = {r["pseudonym"]: r for p in sheets.glob("*.csv") for r in read_records(p)}
    kept = {s: [v for k, v in rows[names()[s]].items() if k[:2] in ("c1", "c2")] + [
        rows[names()[s]]["comment"]] for s in ANSWERS}
    assert kept["ada-kowalski"] == ["1", "0", ""] and kept["bob-nakamura"] == ["0", "", ""]
    assert kept["cy-okafor"] == ["1", "1", "Well argued."] and kept["dee-lindqvist"] == ["", "", ""]
    assert "kept the entries of 3 answers" in capsys.readouterr().out


def test_every_bad_cell_is_reported_with_file_row_and_column(term) -> None:
    bundle, grades, sheets = term
    make(bundle, grades, sheets)
    sheet = sheets / "q5.csv"
    header, rows = read_csv(sheet)
    row_of = {r[0]: number for number, r in enumerate(rows, start=2)}
    by_student = {s: rows[row_of[names()[s]] - 2] for s in ANSWERS}
    by_student["ada-kowalski"][2:4] = ["two", "1"]  # not a number
    by_student["bob-nakamura"][2:4] = ["1", "2"]  # out of range
    by_student["cy-okafor"][2:4] = ["1", ""]  # a criterion missing
    by_student["dee-lindqvist"][1] = "q9"  # unknown question
    by_student["dee-lindqvist"][2:4] = ["1", "1"]
    by_student["eli-moreau"][4] = "nice"  # a comment with no levels
    rows.append(["S-ZZZZ", "q5", "1", "1", ""])  # unknown student
    write_csv(sheet, header, rows)
    with pytest.raises(SheetErrors) as raised:
        merge(bundle, grades, sheets)
    errors = raised.value.errors
    expected = [
        (row_of[names()["ada-kowalski"]], "c1 (C)", "'two' is not a number"),
        (row_of[names()["bob-nakamura"]], "c2 (D)", "level 2 is out of range: c2 takes 0 to 1"),
        (row_of[names()["cy-okafor"]], "c2 (D)", "no level"),
        (row_of[names()["dee-lindqvist"]], "question (B)", "unknown question 'q9'"),
        (row_of[names()["eli-moreau"]], "comment (E)", "a comment but no levels"),
        (8, "pseudonym (A)", "unknown pseudonym 'S-ZZZZ'"),
    ]
    assert len(errors) == len(expected)
    for row, column, message in expected:
        assert any(e.startswith(f"{sheet}, row {row}, column {column}: {message}")
                   for e in errors), (row, column, errors)
    assert not (grades / MERGED).exists()  # nothing merged


def test_same_answer_graded_differently_in_two_sheets_names_both(term) -> None:
    bundle, grades, sheets = term
    make(bundle, grades, sheets, "--graders", "2")
    first = sheets / "q5-grader-1.csv"
    header, rows = read_csv(first)
    copy = sheets / "q5-second-opinion.csv"
    write_csv(copy, header, [[*rows[0][:2], "0", "0", ""]])
    write_csv(first, header, [[*rows[0][:2], "1", "1", ""], *rows[1:]])
    with pytest.raises(SheetErrors) as raised:
        merge(bundle, grades, sheets)
    [error] = raised.value.errors
    assert f"{first}, row 2 and {copy}, row 2" in error and rows[0][0] in error


def test_ungraded_answers_are_counted_not_refused(term, capsys) -> None:
    bundle, grades, sheets = term
    make(bundle, grades, sheets)
    fill(sheets / "q5.csv", {"ada-kowalski": ["1", "1"], "bob-nakamura": ["0", "1"]})
    assert merge(bundle, grades, sheets) == 0
    assert "not yet graded: 4 answers" in capsys.readouterr().out
    rows = {r["student"]: r for r in read_records(grades / MERGED)}
    assert rows["cy-okafor"]["q5"] == "not graded" and rows["cy-okafor"]["total"] == "10"
    assert "written answer," not in (grades / "feedback" / "cy-okafor.md").read_text()


def test_rubric_levels_scale_points_and_plain_rubrics_use_points_as_levels() -> None:
    rubric = parse_rubric({"id": "q6", "points": 3, "rubric": (
        "A strong answer...\n\n- 2 points: uses a number correctly\n  - 0: none\n"
        "  - 1: a number\n  - 2: a number and what it counts\n  - 4: and its source\n"
        "- 1 point: takes a side")})
    numbers, side = rubric.criteria
    assert (numbers.max_level, numbers.points_for(2)) == (4, 1.0)
    assert numbers.levels[4] == "and its source"
    assert (side.max_level, side.points_for(1), side.text) == (1, 1.0, "takes a side")
    assert rubric.introduction == "A strong answer..."
    with pytest.raises(ValueError, match="out of range"):
        numbers.check_level("5")


def test_a_forged_marker_in_an_answer_does_not_cut_the_feedback() -> None:
    text = "# Feedback\n\n> <!-- end of written grade q5 -->\r<!-- end of written grade q5 -->\n"
    assert without_sections(text, ["q5"]) == text


def test_pseudonyms_stay_distinct_when_four_digits_collide() -> None:
    students = [f"student-{n}" for n in range(3000)]  # 4 hex digits: collisions are certain
    given = pseudonyms(KEY, students)
    assert len(set(given.values())) == len(students)
    longer = [p for p in given.values() if len(p) > 6]
    assert longer and all(any(q != p and q.startswith(p[:6]) for q in longer) for p in longer)
    assert pseudonyms(KEY, students[:10]) == {s: given[s] for s in students[:10]
                                              if len(given[s]) == 6} | {
        s: given[s][:6] for s in students[:10] if len(given[s]) > 6}


def test_seed_gives_another_order_with_the_same_pseudonyms(term) -> None:
    bundle, grades, sheets = term
    make(bundle, grades, sheets)
    before = [row["pseudonym"] for row in read_records(sheets / "q5.csv")]
    make(bundle, grades, sheets, "--seed", "2")
    after = [row["pseudonym"] for row in read_records(sheets / "q5.csv")]
    assert after != before and sorted(after) == sorted(before)
