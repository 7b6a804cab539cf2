"""Reading an LMS's own roster export and matching the gradebook's students to it.

Each LMS exports its class list differently (Moodle's grade export, Brightspace's grades
export, Blackboard's Grade Center download); each LMS module names the columns that identify a
student in its export — username, student ID, email, first and last name — and this module
reads the file and matches.

The gradebook knows a student only by the name of the notebook file (``student``). It matches
a roster row when that name, ignoring case, is the row's username, student ID or email address;
failing that, the part of the email before ``@``; failing that, the student's name, compared
on letters and digits only (``jane-smith``, ``Smith_Jane`` and ``Jane Smith`` all match
First name *Jane*, Last name *Smith*). An LMS module can add the name its submission download
gave the file (Moodle's ``Jane Smith_123_assignsubmission_file_...``). A name that fits two
roster rows equally well matches neither; every student not matched is reported.

The roster is the LMS's file, not the course's: it is read as it is (no unescaping), in UTF-8
or UTF-16 (Blackboard's download), separated by commas, semicolons or tabs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# What identifies a student, most specific first; names come last.
IDENTIFIERS = ("username", "id", "email")
NAMES = ("first", "last")
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Student:
    """One row of the roster: its line number in the file and its cells by header."""

    row: int
    cells: dict[str, str]
    keys: dict[str, str]  # kind ("username", "id", "email", "first", "last") -> value

    def get(self, kind: str) -> str:
        return self.keys.get(kind, "")

    def describe(self) -> str:
        name = " ".join(part for part in (self.get("first"), self.get("last")) if part)
        known = name or next((self.get(kind) for kind in IDENTIFIERS if self.get(kind)), "")
        return f"row {self.row} ({known})" if known else f"row {self.row}"


@dataclass(frozen=True)
class Roster:
    path: Path
    header: list[str]
    columns: dict[str, str]  # kind -> the file's own header for it
    students: list[Student]


@dataclass
class Matching:
    """Which roster row each gradebook student is, and what did not match."""

    by_student: dict[str, Student] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def read_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows (with their line numbers) of a delimited text file."""
    data = path.read_bytes()
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise ValueError(f"{path}: not a text file in UTF-8 or UTF-16 (byte {err.start}); "
                         "export the roster again as CSV") from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = [(reader.line_num, line) for line in reader if any(cell.strip() for cell in line)]
    if not lines:
        raise ValueError(f"{path}: the roster is empty")
    (_, header), rows = lines[0], lines[1:]
    return [cell.strip() for cell in header], rows


def read_roster(path: Path, columns: dict[str, Sequence[str]],
                clean: Callable[[str], str] = str.strip,
                skip: Callable[[dict[str, str]], bool] = lambda cells: False) -> Roster:
    """The roster in ``path``. ``columns`` maps each kind of identifier to the headers the LMS
    may give it (compared ignoring case); ``clean`` turns a cell into its value (Brightspace
    writes ``#`` before identifiers); rows for which ``skip`` is true are not students."""
    header, rows = read_table(path)
    folded = {name.casefold(): name for name in reversed(header)}
    found = {kind: folded[name.casefold()] for kind, names in columns.items()
             for name in names if name.casefold() in folded}
    found = {kind: found[kind] for kind in columns if kind in found}  # first alias wins
    if not any(kind in found for kind in IDENTIFIERS):
        expected = "; ".join(" or ".join(columns[kind]) for kind in IDENTIFIERS
                             if kind in columns)
        raise ValueError(f"{path}: no column identifies the students (expected {expected}); "
                         f"the file has columns: {', '.join(header) or 'none'}")
    students = []
    for line, row in rows:
        cells = dict(zip(header, row + [""] * (len(header) - len(row)), strict=False))
        if skip(cells):
            continue
        keys = {kind: clean(cells[column]) for kind, column in found.items()}
        students.append(Student(line, cells, {k: v for k, v in keys.items() if v}))
    return Roster(path, header, found, students)


def _letters(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())


def _indexes(students: list[Student]) -> list[tuple[Callable[[str], str], dict[str, list]]]:
    """Lookup tables, most specific first: each normalises a name and maps it to students."""
    exact: dict[str, list[Student]] = {}
    local: dict[str, list[Student]] = {}
    names: dict[str, list[Student]] = {}
    for student in students:
        for kind in IDENTIFIERS:
            if student.get(kind):
                exact.setdefault(student.get(kind).casefold(), []).append(student)
        if "@" in student.get("email"):
            local.setdefault(student.get("email").split("@")[0].casefold(), []).append(student)
        first, last = student.get("first"), student.get("last")
        if first and last:
            for key in {_letters(first + last), _letters(last + first)}:
                names.setdefault(key, []).append(student)
    return [(str.casefold, exact), (str.casefold, local), (_letters, names)]


def match_students(roster: Roster, students: Sequence[str],
                   also_known_as: Callable[[str], list[str]] = lambda name: []) -> Matching:
    """Match each gradebook student to one roster row (see the module docstring)."""
    indexes = _indexes(roster.students)
    matching = Matching()
    taken: dict[int, str] = {}
    for name in students:
        candidates = [name.strip(), *also_known_as(name)]
        found: Student | None = None
        ambiguous: list[Student] = []
        for normalise, index in indexes:
            for candidate in candidates:
                rows = {s.row: s for s in index.get(normalise(candidate), [])}
                if len(rows) == 1:
                    found = next(iter(rows.values()))
                    break
                if len(rows) > 1 and not ambiguous:
                    ambiguous = list(rows.values())
            if found is not None:
                break
        if found is None:
            if ambiguous:
                rows = ", ".join(s.describe() for s in ambiguous)
                matching.warnings.append(f"{name}: matches several students in {roster.path} "
                                         f"({rows}); no grade written")
            else:
                matching.warnings.append(f"{name}: not found in {roster.path}; no grade written")
        elif found.row in taken:
            matching.warnings.append(
                f"{name}: the same student as {taken[found.row]} in {roster.path} "
                f"({found.describe()}); only {taken[found.row]}'s grade written, keep one "
                "notebook per student")
        else:
            taken[found.row] = name
            matching.by_student[name] = found
    for student in roster.students:
        if student.row not in taken:
            matching.warnings.append(f"{roster.path}, {student.describe()}: no notebook in the "
                                     "gradebook; no grade written")
    return matching
