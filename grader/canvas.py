"""``course export-canvas``: turn a gradebook into a CSV that Canvas's gradebook import accepts.

The file has Canvas's own gradebook columns — ``Student,ID,SIS User ID,SIS Login ID,Section``
— then one column for the assignment, a ``Points Possible`` row first, then one row per student.
Canvas matches rows to students by ``ID`` (or the SIS columns) and creates the assignment if its
column is new. Students are identified, in order, by:

1. a roster (``--roster``: Canvas's own gradebook export, Grades → Export), matched on
   SIS Login ID, SIS User ID, ID or the student's name;
2. the name Canvas gives bulk-downloaded submissions, ``name_ID_SUBMISSIONID_file.ipynb`` (also
   ``name_LATE_ID_...``), from which the numeric Canvas user ID is taken;
3. otherwise the file stem is written as the SIS Login ID.

``--manual manual.csv`` adds the instructor's points for written questions to the score; a
``gradebook-with-written.csv`` (``course manual-merge``) already holds them (grader.lms.points,
shared with the other LMS exports).

The gradebook and the manual sheet are read back as the grader wrote them (cells starting like
a formula unescaped, see grader.spreadsheet), and the export is written the same safe way.
"""

from __future__ import annotations

import re
from pathlib import Path

from grader.lms.points import class_points
from grader.spreadsheet import Cell, read_records, write_csv

CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
DOWNLOAD_NAME = re.compile(r"^(?P<name>[a-z0-9-]+?)_(?:late_)?(?P<id>\d+)_\d+", re.IGNORECASE)


def export_canvas(gradebook: Path, out: Path, assignment: str, roster: Path | None = None,
                  manual: Path | None = None) -> list[str]:
    """Write the Canvas CSV; return warnings (students not matched in the roster)."""
    totals = class_points(gradebook, manual)  # the checks, written points and maximum
    lookup: dict[str, dict[str, str]] = {}
    if roster is not None:
        for entry in read_records(roster, unescape=False):  # Canvas's file, not ours
            if entry.get("Student", "").strip() == "Points Possible":
                continue
            for column in ("SIS Login ID", "SIS User ID", "ID", "Student"):
                if entry.get(column):
                    lookup.setdefault(entry[column].strip().lower(), entry)
    warnings = list(totals.warnings)
    lines: list[list[Cell]] = [["Points Possible", "", "", "", "", totals.maximum]]
    for student, score in totals.points.items():
        match = DOWNLOAD_NAME.match(student)
        entry = lookup.get(student.lower()) or (
            lookup.get(match.group("id")) if match else None
        )
        if entry is not None:
            identity = [entry.get(c, "") for c in CANVAS_COLUMNS]
        elif match:
            identity = [match.group("name"), match.group("id"), "", "", ""]
        else:
            identity = [student, "", "", student, ""]
        if roster is not None and entry is None:
            warnings.append(f"{student}: not found in {roster}")
        lines.append([*identity, score])
    write_csv(out, CANVAS_COLUMNS + [assignment], lines)
    return warnings
