"""``course export-moodle``: a gradebook as a file for Moodle's "Import grades from CSV file".

Moodle's CSV grade import reads a header row and one row per student. On its preview page the
instructor maps one column to a user field (*Email address* to ``useremail``, *ID number* to
``useridnumber``, *Username* to ``username``) and each grade column to a grade item, or to a
new grade item. The file written here has the roster's name and identifier columns under the
names Moodle's own export uses — ``First name``, ``Last name``, ``Username``, ``ID number``,
``Email address``, those the roster has — and one column, named after the assignment, with each
student's points. Moodle compares email addresses case-sensitively, so they are written exactly
as in the roster.

The roster is a file Moodle exported: Grades → Export → Plain text file, or the participants
list downloaded as CSV. Students whose notebook is not matched to a roster row are not written
(Moodle stops the whole import at a user it cannot find) and are reported.

Format: "Grade import", MoodleDocs, https://docs.moodle.org/311/en/Grade_import
"""

from __future__ import annotations

import re
from pathlib import Path

from grader.lms.exporting import Export, graded_students
from grader.lms.roster import read_roster
from grader.spreadsheet import Cell, write_csv

# Moodle's own export headers for each kind of roster column (English), then other spellings.
COLUMNS = {
    "first": ("First name", "firstname"),
    "last": ("Last name", "Surname", "lastname"),
    "username": ("Username",),
    "id": ("ID number", "idnumber"),
    "email": ("Email address", "email"),
}
# "Download all submissions" names a file "Jane Smith_1234_assignsubmission_file_name.ipynb".
DOWNLOAD_NAME = re.compile(r"^(?P<name>.+?)_\d+_assignsubmission_")


def download_name(student: str) -> list[str]:
    match = DOWNLOAD_NAME.match(student)
    return [match.group("name")] if match else []


def export_moodle(gradebook: Path, out: Path, assignment: str, roster_path: Path,
                  manual: Path | None = None) -> Export:
    """Write the Moodle import CSV for the students of ``roster_path`` in ``gradebook``."""
    roster = read_roster(roster_path, COLUMNS)
    graded = graded_students(gradebook, roster, manual, download_name)
    kinds = [kind for kind in COLUMNS if kind in roster.columns]
    rows: list[list[Cell]] = [[student.get(kind) for kind in kinds] + [points]
                              for student, points in graded.students]
    write_csv(out, [COLUMNS[kind][0] for kind in kinds] + [assignment], rows)
    return Export(out, len(rows), graded.maximum, graded.warnings)
