"""``course export-blackboard``: a gradebook as a file for Blackboard Learn's Grade Center
upload (Work Offline → Upload).

Blackboard finds each student by ``Username`` and each column by the column ID after ``|`` in
its header (``Exercise set 0 [Total Pts: 12 Score] |123456``); a header without an ID creates
a new column — a text column with 0 points possible, which the instructor edits to a score
column afterwards. The file has Blackboard's own first columns, ``Last Name``, ``First Name``,
``Username``, ``Student ID``, then the assignment's column: when the roster (a Grade Center
download) already has a column of that name, its header with its ID, so the points land in it;
otherwise a new column named after ``--assignment`` (which may itself end in ``|ID``). Blackboard
reads a comma-separated file only when every cell is in double quotes, so every cell is.

The roster is the Grade Center's download (Work Offline → Download, the full Grade Center or
user information only; tab- or comma-separated). Students whose notebook is not matched to a
roster row are not written and are reported.

Format: "Uploading or Downloading Grade Center Items for Working Offline", Blackboard Help,
http://library.blackboard.com/ref/3ea64795-6ecc-4abd-b595-0a9a8dfdec94/Content/_instructor_grade_center/grade_center_upload_download.htm
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from grader.lms.exporting import Export, graded_students
from grader.lms.roster import Roster, read_roster
from grader.spreadsheet import TEXT_ERRORS, Cell, format_cell

COLUMNS = {
    "last": ("Last Name",),
    "first": ("First Name",),
    "username": ("Username",),
    "id": ("Student ID",),
    "email": ("Email",),
}
WRITTEN = ["last", "first", "username", "id"]
# A Grade Center header: the column's name, its points and kind in brackets, then "|" and its ID.
GRADE_COLUMN = re.compile(r"^(?P<name>.*?)\s*(\[[^\]]*\])?\s*\|\s*\d+\s*$")
# "Download Assignment" names a file "Assignment_username_attempt_2024-03-01-10-00-00_x.ipynb".
DOWNLOAD_NAME = re.compile(r"_(?P<username>[^_]+)_attempt_\d{4}-\d\d-\d\d-")


def download_name(student: str) -> list[str]:
    match = DOWNLOAD_NAME.search(student)
    return [match.group("username")] if match else []


def assignment_column(roster: Roster, assignment: str) -> str:
    """The roster's header for ``assignment`` (with its column ID), or ``assignment``."""
    for header in roster.header:
        match = GRADE_COLUMN.match(header)
        if match and match.group("name") == assignment.strip():
            return header
    return assignment


def _quoted(cells: Iterable[Cell]) -> str:
    return ",".join('"' + format_cell(cell).replace('"', '""') + '"' for cell in cells) + "\r\n"


def write_quoted_csv(path: Path, header: Sequence[str], rows: Iterable[Iterable[Cell]]) -> None:
    """grader.spreadsheet's CSV (no cell runs as a formula), every cell in double quotes."""
    with path.open("w", newline="", encoding="utf-8", errors=TEXT_ERRORS) as handle:
        handle.write(_quoted(header))
        for row in rows:
            handle.write(_quoted(row))


def export_blackboard(gradebook: Path, out: Path, assignment: str, roster_path: Path,
                      manual: Path | None = None) -> Export:
    """Write the Grade Center upload CSV for the students of ``roster_path`` in ``gradebook``."""
    roster = read_roster(roster_path, COLUMNS)
    if "username" not in roster.columns:
        raise ValueError(f"{roster_path}: Blackboard finds students by Username and the file "
                         f"has no Username column; its columns: {', '.join(roster.header)}")
    graded = graded_students(gradebook, roster, manual, download_name)
    rows = [[student.get(kind) for kind in WRITTEN] + [points]
            for student, points in graded.students]
    write_quoted_csv(out, [COLUMNS[kind][0] for kind in WRITTEN]
                     + [assignment_column(roster, assignment)], rows)
    return Export(out, len(rows), graded.maximum, graded.warnings)
