"""CSV files an instructor opens in a spreadsheet, written so that no cell runs as a formula.

A spreadsheet runs a cell as a formula when its text starts with ``=``, ``+``, ``-`` or ``@``
(or with a tab or carriage return before one of them); a student chooses the text of a written
answer and the name of a file, so either could otherwise become ``=HYPERLINK(...)`` in the
instructor's spreadsheet. Every text cell that starts with one of these characters is written
with a single quote in front (``'=HYPERLINK(...)``), which spreadsheets show as text; a text
cell that already starts with a quote gets a second one (``''quoted``), so that reading back is
unambiguous. Numbers the grader formats itself (points, scores) are written as numbers.

A cell is also quoted (``"..."``) whenever it contains a comma, semicolon, tab, double quote or
line break, so that a spreadsheet that splits lines on semicolons or tabs (common outside
English locales) keeps it whole instead of starting a new cell inside it — where a formula
would no longer be at the start of the cell.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
ESCAPED_STARTS = (*FORMULA_STARTS, QUOTE)
# Characters after which some spreadsheet starts a new cell or line, unless the cell is quoted.
SPLITS_A_CELL = (",", ";", "\t", '"', "\r", "\n")
# Student text can hold a lone surrogate, which UTF-8 cannot: it is written as "\ud800".
TEXT_ERRORS = "backslashreplace"

Cell = str | int | float


def escape_cell(text: str) -> str:
    """``text`` as a spreadsheet shows it as text: quoted with ``'`` when it starts like a
    formula (or with a quote already)."""
    return QUOTE + text if text.startswith(ESCAPED_STARTS) else text


def unescape_cell(text: str) -> str:
    """The text :func:`escape_cell` was given. A quote followed by anything else (``'tis``,
    say, as a spreadsheet may save a cell) is not an escape and stays."""
    if text.startswith(QUOTE) and text[1:].startswith(ESCAPED_STARTS):
        return text[1:]
    return text


def format_cell(value: Cell) -> str:
    """A cell's text: an escaped string, or a finite number as the grader formats points
    (``1.5``, ``10``). ``True``/``False`` and non-finite numbers are written as text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return escape_cell(str(value))


def _field(text: str) -> str:
    if any(char in text for char in SPLITS_A_CELL):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(cells: Iterable[Cell]) -> str:
    """One CSV line (ending in CRLF, as :mod:`csv` writes it) of escaped, quoted cells."""
    return ",".join(_field(format_cell(cell)) for cell in cells) + "\r\n"


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Iterable[Cell]]) -> None:
    """Write a header and rows to ``path``: strings escaped, numbers as numbers, UTF-8."""
    with path.open("w", newline="", encoding="utf-8", errors=TEXT_ERRORS) as handle:
        handle.write(csv_line(header))
        for row in rows:
            handle.write(csv_line(row))


def read_csv(path: Path, unescape: bool = True) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a CSV file, each cell unescaped (``unescape=False`` for files
    the course did not write, such as Canvas's own export). Accepts the byte-order mark a
    spreadsheet adds when it saves a file; skips blank lines, as :class:`csv.DictReader` does."""
    restore = unescape_cell if unescape else str
    with path.open(newline="", encoding="utf-8-sig") as handle:
        lines = [[restore(cell) for cell in line] for line in csv.reader(handle) if line]
    return (lines[0], lines[1:]) if lines else ([], [])


def read_records(path: Path, unescape: bool = True) -> list[dict[str, str]]:
    """The rows of a CSV file as dicts keyed by its header (see :func:`read_csv`); a short row
    reads as empty cells, cells beyond the header are ignored."""
    header, rows = read_csv(path, unescape)
    return [dict(zip(header, row + [""] * (len(header) - len(row)), strict=False))
            for row in rows]
