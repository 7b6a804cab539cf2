"""Exports to Moodle, Brightspace and Blackboard: each LMS's import file, exactly, with students
matched to the LMS's roster by username, student ID, email, email name or name, every
unmatched student reported and no cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from grader.lms import register
from grader.lms.blackboard import export_blackboard
from grader.lms.brightspace import export_brightspace
from grader.lms.moodle import export_moodle

# Each gradebook student names a roster student a different way (the comment says which).
GRADEBOOK = (
    "student,status,score,max_score,reason,q1,q5\n"
    "jsmith,graded,7,10,,7,manual\n"            # username
    "1002,graded,5,10,,5,manual\n"              # student ID
    "bo.chen@uni.edu,graded,9,10,,9,manual\n"   # email, another case
    "kim,graded,4,10,,4,manual\n"               # email before the @
    "Park_Lee,timeout,0,10,ran longer,0,manual\n"  # last and first name
    "bad,graded,10,10,,10,manual\n"             # username; the roster's name is a formula
    "ghost,graded,3,10,,3,manual\n"             # nobody in the roster
)
MANUAL = ("student,question,max_points,points,answer\n"
          "jsmith,q5,2,1.5,text\n1002,q5,2,,\nbad,q5,2,2,x\n")
FORMULA = '=HYPERLINK(""http://x"",""y"")'  # as written inside a quoted CSV cell
# (first, last, username, id, email), in roster order.
PEOPLE = [
    ("Jane", "Smith", "jsmith", "1001", "jane.smith@uni.edu"),
    ("Ana", "Costa", "acosta", "1002", "ana@uni.edu"),
    ("Bo", "Chen", "bchen", "1003", "Bo.Chen@uni.edu"),
    ("Kim", "Lee", "klee", "1004", "kim@uni.edu"),
    ("Lee", "Park", "lpark", "1005", "lp@uni.edu"),
    (f'"{FORMULA}"', "Actor", "bad", "1006", "bad@uni.edu"),
    ("Nora", "None", "nnone", "1007", "nora@uni.edu"),
]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path / "gradebook.csv", GRADEBOOK), write(tmp_path / "manual.csv", MANUAL)


def assert_warned(warnings: list[str], roster: Path) -> None:
    assert warnings == [f"ghost: not found in {roster}; no grade written",
                        f"{roster}, row 8 (Nora None): no notebook in the gradebook; "
                        "no grade written"]


def test_moodle_file_matches_each_kind_of_identifier(tmp_path: Path, files: tuple[Path, Path]
                                                     ) -> None:
    gradebook, manual = files
    roster = write(tmp_path / "moodle.csv", "First name,Last name,Username,ID number,"
                   "Institution,Department,Email address,Quiz 1 (Real)\n"
                   + "".join(f"{f},{la},{u},{i},Uni,,{e},5\n" for f, la, u, i, e in PEOPLE))
    out = tmp_path / "out.csv"
    export = export_moodle(gradebook, out, "Exercise set 0", roster, manual)
    assert out.read_bytes().decode() == (
        "First name,Last name,Username,ID number,Email address,Exercise set 0\r\n"
        "Jane,Smith,jsmith,1001,jane.smith@uni.edu,8.5\r\n"
        "Ana,Costa,acosta,1002,ana@uni.edu,5\r\n"
        "Bo,Chen,bchen,1003,Bo.Chen@uni.edu,9\r\n"
        "Kim,Lee,klee,1004,kim@uni.edu,4\r\n"
        "Lee,Park,lpark,1005,lp@uni.edu,0\r\n"
        f"\"'{FORMULA}\",Actor,bad,1006,bad@uni.edu,12\r\n")
    assert (export.students, export.maximum) == (6, 12)
    assert_warned(export.warnings, roster)


def test_moodle_matches_the_names_of_its_submission_download(tmp_path: Path) -> None:
    gradebook = write(tmp_path / "gradebook.csv", "student,status,score,max_score,reason\n"
                      "Jane Smith_4711_assignsubmission_file_ex0,graded,6,10,\n")
    roster = write(tmp_path / "moodle.csv", "First name,Last name,Email address\n"
                   "Jane,Smith,js@uni.edu\n")
    out = tmp_path / "out.csv"
    assert export_moodle(gradebook, out, "E0", roster).warnings == []
    assert out.read_text() == "First name,Last name,Email address,E0\nJane,Smith,js@uni.edu,6\n"


def test_brightspace_file_has_hash_marked_identifiers_and_end_of_line(
        tmp_path: Path, files: tuple[Path, Path]) -> None:
    gradebook, manual = files
    roster = write(tmp_path / "brightspace.csv",
                   "OrgDefinedId,Username,Last Name,First Name,Email,"
                   "Quiz Points Grade <Numeric MaxPoints:10>,End-of-Line Indicator\n"
                   + "".join(f"#{i},#{u},{la},{f},{e},,#\n" for f, la, u, i, e in PEOPLE))
    out = tmp_path / "out.csv"
    export = export_brightspace(gradebook, out, "=Set 0", roster, manual)
    assert out.read_bytes().decode() == (
        "OrgDefinedId,Username,'=Set 0 Points Grade,End-of-Line Indicator\r\n"
        "#1001,#jsmith,8.5,#\r\n#1002,#acosta,5,#\r\n#1003,#bchen,9,#\r\n#1004,#klee,4,#\r\n"
        "#1005,#lpark,0,#\r\n#1006,#bad,12,#\r\n")
    assert_warned(export.warnings, roster)


def test_blackboard_file_reuses_the_grade_center_column_of_a_utf16_download(
        tmp_path: Path, files: tuple[Path, Path]) -> None:
    gradebook, manual = files
    column = "Exercise set 0 [Total Pts: 12 Score] |123456"
    header = ["Last Name", "First Name", "Username", "Student ID", "Last Access",
              "Availability", column]
    rows = [header] + [[la, f.strip('"').replace('""', '"'), u, i, "", "Yes", ""]
                       for f, la, u, i, _ in PEOPLE]
    lines = ["\t".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows]
    roster = write(tmp_path / "gc.xls", "\n".join(lines) + "\n", "utf-16")
    out = tmp_path / "out.csv"
    export = export_blackboard(gradebook, out, "Exercise set 0", roster, manual)
    assert out.read_bytes().decode() == (
        f'"Last Name","First Name","Username","Student ID","{column}"\r\n'
        '"Smith","Jane","jsmith","1001","8.5"\r\n"Costa","Ana","acosta","1002","5"\r\n'
        '"Park","Lee","lpark","1005","0"\r\n'
        f'"Actor","\'{FORMULA}","bad","1006","12"\r\n')
    # The Grade Center download has no email column: those named by email are not found.
    assert export.warnings == [
        f"{name}: not found in {roster}; no grade written"
        for name in ("bo.chen@uni.edu", "kim", "ghost")] + [
        f"{roster}, row {row} ({name}): no notebook in the gradebook; no grade written"
        for row, name in ((4, "Bo Chen"), (5, "Kim Lee"), (8, "Nora None"))]


def test_blackboard_new_column_and_download_names(tmp_path: Path) -> None:
    gradebook = write(tmp_path / "gradebook.csv", "student,status,score,max_score,reason\n"
                      "Exercise 0_jsmith_attempt_2024-03-01-10-00-00_ex0,graded,6,10,\n")
    roster = write(tmp_path / "gc.csv", '"Last Name","First Name","Username","Student ID"\n'
                   '"Smith","Jane","jsmith","1001"\n')
    out = tmp_path / "out.csv"
    assert export_blackboard(gradebook, out, "Exercise 0", roster).warnings == []
    assert out.read_text() == ('"Last Name","First Name","Username","Student ID","Exercise 0"\n'
                               '"Smith","Jane","jsmith","1001","6"\n')


@pytest.mark.parametrize("export", [export_moodle, export_brightspace, export_blackboard])
def test_a_roster_without_an_identifier_column_is_refused_by_name(
        export, tmp_path: Path, files: tuple[Path, Path]) -> None:
    roster = write(tmp_path / "names.csv", "Name,Section\nJane Smith,A\n")
    with pytest.raises(ValueError, match=r"names\.csv: no column identifies the students .*"
                                         r"the file has columns: Name, Section"):
        export(files[0], tmp_path / "out.csv", "E0", roster)


def test_a_name_two_roster_rows_share_matches_neither(tmp_path: Path) -> None:
    gradebook = write(tmp_path / "gradebook.csv", "student,status,score,max_score,reason\n"
                      "lee_kim,graded,6,10,\n")
    roster = write(tmp_path / "moodle.csv", "First name,Last name,ID number\n"
                   "Kim,Lee,1\nKim,Lee,2\n")
    export = export_moodle(gradebook, tmp_path / "out.csv", "E0", roster)
    assert export.students == 0
    assert export.warnings[0] == (f"lee_kim: matches several students in {roster} "
                                  "(row 2 (Kim Lee), row 3 (Kim Lee)); no grade written")


def test_written_points_merged_into_the_gradebook_are_used_not_added_twice(
        tmp_path: Path, files: tuple[Path, Path]) -> None:
    merged = write(tmp_path / "gradebook-with-written.csv",
                   "student,status,score,max_score,reason,q5,written_score,written_max,total,"
                   "total_max\njsmith,graded,7,10,,1.5,1.5,2,8.5,12\n")
    roster = write(tmp_path / "moodle.csv", "Username\njsmith\n")
    out = tmp_path / "out.csv"
    assert export_moodle(merged, out, "E0", roster).maximum == 12
    assert out.read_text() == "Username,E0\njsmith,8.5\n"
    with pytest.raises(ValueError, match="already includes the written points"):
        export_moodle(merged, out, "E0", roster, files[1])


def test_a_bad_cell_is_named_by_file_row_and_column(tmp_path: Path) -> None:
    gradebook = write(tmp_path / "gradebook.csv", "student,status,score,max_score,reason\n"
                      "jsmith,graded,7,10,\n")
    manual = write(tmp_path / "manual.csv", "student,question,max_points,points,answer\n"
                   "jsmith,q5,2,lots,\n")
    roster = write(tmp_path / "moodle.csv", "Username\njsmith\n")
    with pytest.raises(ValueError, match=r"manual\.csv, row 2, column points: 'lots'"):
        export_moodle(gradebook, tmp_path / "out.csv", "E0", roster, manual)


def test_commands_print_warnings_and_the_points_possible(
        tmp_path: Path, files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="course")
    register(parser.add_subparsers(dest="command", required=True))
    roster = write(tmp_path / "bs.csv", "OrgDefinedId,Username\n#1001,#jsmith\n")
    out = tmp_path / "out.csv"
    args = parser.parse_args(["export-brightspace", str(files[0]), "--out", str(out),
                              "--assignment", "E0", "--roster", str(roster),
                              "--manual", str(files[1])])
    assert args.run(args) == 0
    captured = capsys.readouterr()
    assert f"Brightspace grade import file: {out} (1 students; points out of 12)" in captured.out
    assert "warning: ghost: not found in" in captured.err
    assert out.read_text() == "OrgDefinedId,Username,E0 Points Grade,End-of-Line Indicator\n" \
                              "#1001,#jsmith,8.5,#\n"
    for command in ("export-moodle", "export-blackboard"):
        assert parser.parse_args([command, "g.csv", "--out", "o.csv", "--assignment", "E0",
                                  "--roster", "r.csv"]).run


def test_two_notebooks_of_one_student_write_one_row_and_say_so(tmp_path: Path) -> None:
    gradebook = write(tmp_path / "gradebook.csv", "student,status,score,max_score,reason\n"
                      "kim,graded,6,10,\nKim,graded,2,10,\n")
    roster = write(tmp_path / "moodle.csv", "Username,Email address\nkim,kim@uni.edu\n")
    out = tmp_path / "out.csv"
    export = export_moodle(gradebook, out, "E0", roster)
    assert out.read_text() == "Username,Email address,E0\nkim,kim@uni.edu,6\n"
    assert export.warnings == [f"Kim: the same student as kim in {roster} (row 2 (kim)); only "
                               "kim's grade written, keep one notebook per student"]
