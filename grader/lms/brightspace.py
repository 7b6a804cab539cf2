"""``course export-brightspace``: a gradebook as a Brightspace (D2L) grades import file.

Brightspace's grades import reads ``OrgDefinedId`` and/or ``Username`` to find each student,
then one ``<grade item name> Points Grade`` column per numeric grade item (an item it does not
have yet can be created during the import), and an ``End-of-Line Indicator`` column holding
``#`` that ends each row. Brightspace's own export writes ``#`` before each OrgDefinedId and
Username so that a spreadsheet keeps leading zeros; the file written here does the same, and
the import accepts it.

The roster is Brightspace's grades export (Grades → Enter Grades → Export, key field *Both*,
with the user details *Last Name*, *First Name* and *Email*): the identifiers are read without
their ``#``. Students whose notebook is not matched to a roster row are not written and are
reported.

Format: "Importing grades", D2L Brightspace Community,
https://community.d2l.com/brightspace/kb/articles/3538-importing-grades
"""

from __future__ import annotations

from pathlib import Path

from grader.lms.exporting import Export, graded_students
from grader.lms.roster import read_roster
from grader.spreadsheet import Cell, write_csv

COLUMNS = {
    "id": ("OrgDefinedId", "Org Defined ID"),
    "username": ("Username",),
    "email": ("Email",),
    "first": ("First Name",),
    "last": ("Last Name",),
}
WRITTEN = {"id": "OrgDefinedId", "username": "Username"}
POINTS = " Points Grade"
END = "End-of-Line Indicator"
MARK = "#"


def _value(cell: str) -> str:
    """A roster cell without the ``#`` Brightspace puts before identifiers."""
    cell = cell.strip()
    return cell[len(MARK):].strip() if cell.startswith(MARK) else cell


def export_brightspace(gradebook: Path, out: Path, assignment: str, roster_path: Path,
                       manual: Path | None = None) -> Export:
    """Write the Brightspace import CSV for the students of ``roster_path`` in ``gradebook``."""
    roster = read_roster(roster_path, COLUMNS, clean=_value)
    if not any(kind in roster.columns for kind in WRITTEN):
        raise ValueError(f"{roster_path}: Brightspace finds students by OrgDefinedId or "
                         f"Username and the file has neither; its columns: "
                         f"{', '.join(roster.header)}")
    graded = graded_students(gradebook, roster, manual)
    kinds = [kind for kind in WRITTEN if kind in roster.columns]
    item = assignment.removesuffix(POINTS).strip() + POINTS
    rows: list[list[Cell]] = [
        [MARK + student.get(kind) if student.get(kind) else "" for kind in kinds]
        + [points, MARK] for student, points in graded.students]
    write_csv(out, [WRITTEN[kind] for kind in kinds] + [item, END], rows)
    return Export(out, len(rows), graded.maximum, graded.warnings)
