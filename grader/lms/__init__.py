"""Exports of a gradebook to LMSs other than Canvas: ``course export-moodle``,
``course export-brightspace`` and ``course export-blackboard``.

Each reads the gradebook (the automatic ``score``; with ``--manual manual.csv`` plus the
written questions' points, or ``gradebook-with-written.csv`` whose ``total`` has them), matches
its students to a roster the LMS exported (grader.lms.roster) and writes the LMS's import file
with the grader's formula-safe CSV writer. Students it cannot match are listed as warnings,
never dropped silently. grader.canvas does the same for Canvas.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from grader.lms.exporting import Export

Exporter = Callable[[Path, Path, str, Path, Path | None], Export]


def _run(lms: str, exporter: Callable[[], Exporter]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        export = exporter()(args.gradebook, args.out, args.assignment, args.roster, args.manual)
        for warning in export.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(f"{lms} grade import file: {export.path} ({export.students} students; points out "
              f"of {export.maximum:g})")
        return 0

    return run


def _moodle() -> Exporter:
    from grader.lms.moodle import export_moodle

    return export_moodle


def _brightspace() -> Exporter:
    from grader.lms.brightspace import export_brightspace

    return export_brightspace


def _blackboard() -> Exporter:
    from grader.lms.blackboard import export_blackboard

    return export_blackboard


COMMANDS = [
    ("export-moodle", "Moodle", _moodle, "Moodle grade item (a column of the file)",
     "Moodle's grade export (Plain text file) or participants list, to match students"),
    ("export-brightspace", "Brightspace", _brightspace,
     "Brightspace grade item name (the column is NAME Points Grade)",
     "Brightspace's grades export (key field Both), to match students"),
    ("export-blackboard", "Blackboard", _blackboard,
     "Grade Center column name (or NAME |COLUMN_ID)",
     "Blackboard Grade Center download (Work Offline), to match students"),
]


def register(commands: argparse._SubParsersAction) -> None:
    """Add the export-moodle, export-brightspace and export-blackboard commands."""
    for name, lms, exporter, assignment_help, roster_help in COMMANDS:
        command = commands.add_parser(name, help=f"gradebook -> {lms} grade import CSV")
        command.add_argument("gradebook", type=Path)
        command.add_argument("--out", type=Path, required=True)
        command.add_argument("--assignment", required=True, help=assignment_help)
        command.add_argument("--roster", type=Path, required=True, help=roster_help)
        command.add_argument("--manual", type=Path, default=None,
                             help="manual.csv with points filled in for written questions")
        command.set_defaults(run=_run(lms, exporter))
