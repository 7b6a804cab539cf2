"""Grading sheets: one CSV per written question (or per question and grader), read back cell by
cell.

A sheet's columns are ``pseudonym`` (and ``student`` with ``--reveal-names``), ``question``,
one column per rubric criterion — headed ``c1 (0-2) what it rewards`` — where the grader enters
a level, and ``comment``, which reaches the student. Sheets are written and read with
grader.spreadsheet, so a comment such as ``=good`` stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from grader.manual.rubric import Rubric
from grader.spreadsheet import read_csv

CRITERION_HEADER = re.compile(r"^\s*c(\d+)\b")
HEADER_CHARS = 60  # of a criterion's text in its column header; the page shows it whole


def sheet_stem(question: str, grader: int, graders: int) -> str:
    return question if graders == 1 else f"{question}-grader-{grader}"


def sheet_header(rubric: Rubric, reveal_names: bool) -> list[str]:
    criteria = []
    for criterion in rubric.criteria:
        text = criterion.text if len(criterion.text) <= HEADER_CHARS else (
            criterion.text[:HEADER_CHARS - 1].rstrip() + "…")
        criteria.append(f"{criterion.column} (0-{criterion.max_level:g}) {text}".rstrip())
    names = ["pseudonym", "student"] if reveal_names else ["pseudonym"]
    return [*names, "question", *criteria, "comment"]


def column_letter(index: int) -> str:
    """A spreadsheet's name for a 0-based column: A, B, ..., Z, AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass
class SheetRow:
    """One row of a sheet as the grader left it: cells are text, not yet checked."""

    file: Path
    row: int  # as a spreadsheet numbers it: the header is row 1
    pseudonym: str
    question: str
    levels: dict[int, str] = field(default_factory=dict)  # criterion number -> cell text
    comment: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # what -> "c2 (D)", for errors

    def where(self, what: str) -> str:
        return f"{self.file}, row {self.row}, column {self.columns.get(what, what)}"

    @property
    def entered(self) -> bool:
        return any(text.strip() for text in self.levels.values()) or bool(self.comment.strip())

    def same_entries(self, other: SheetRow) -> bool:
        def filled(row: SheetRow) -> tuple:
            return ({n: t.strip() for n, t in row.levels.items() if t.strip()},
                    row.comment.strip())
        return filled(self) == filled(other)


def read_sheet(path: Path) -> tuple[list[SheetRow], list[str]]:
    """A sheet's rows and the problems of its header (a missing or unknown column)."""
    header, rows = read_csv(path)
    problems = []
    positions: dict[str, int] = {}
    criteria: dict[int, int] = {}
    for index, title in enumerate(header):
        name = title.strip()
        if match := CRITERION_HEADER.match(name):
            criteria[int(match[1])] = index
        elif name in ("pseudonym", "student", "question", "comment"):
            positions[name] = index
        else:
            problems.append(f"{path}, row 1, column {column_letter(index)}: unknown column "
                            f"{name!r} (expected pseudonym, question, c1, c2, ..., comment)")
    for needed in ("pseudonym", "question", "comment"):
        if needed not in positions:
            problems.append(f"{path}, row 1: no {needed!r} column")
    if problems:
        return [], problems
    columns = {name: f"{name} ({column_letter(i)})" for name, i in positions.items()}
    columns |= {f"c{n}": f"{header[i].split()[0]} ({column_letter(i)})"
                for n, i in criteria.items()}
    result = []
    for number, cells in enumerate(rows, start=2):
        cells = cells + [""] * (len(header) - len(cells))
        result.append(SheetRow(
            path, number, cells[positions["pseudonym"]].strip(),
            cells[positions["question"]].strip(),
            {n: cells[i] for n, i in criteria.items()}, cells[positions["comment"]],
            columns))
    return result, problems


def read_sheets(folder: Path) -> tuple[list[SheetRow], list[str]]:
    """Every sheet (``*.csv``) in a folder, in name order, and the problems of their headers."""
    rows, problems = [], []
    for path in sorted(folder.glob("*.csv")):
        found, wrong = read_sheet(path)
        rows += found
        problems += wrong
    return rows, problems
