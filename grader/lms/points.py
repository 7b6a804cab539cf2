"""Each student's points for an LMS export: the gradebook's automatic ``score``, plus the written
questions' points.

Written points come either from ``manual.csv`` with its ``points`` column filled in
(``--manual``), or from ``gradebook-with-written.csv`` (``course manual-merge``), whose ``total``
and ``total_max`` columns already hold them; giving both would count them twice and is refused.
Both files are read back as the grader wrote them (see grader.spreadsheet).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from grader.spreadsheet import read_records


@dataclass(frozen=True)
class ClassPoints:
    points: dict[str, float]  # gradebook student -> points, in the gradebook's order
    maximum: float  # points possible
    warnings: list[str]


def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{where}: {text!r} is not a number of points")
    return value


def _manual_points(path: Path, students: dict[str, float]) -> tuple[dict[str, float], float,
                                                                     list[str]]:
    """Written points per student, the written maximum per student, and warnings."""
    rows = read_records(path)
    if rows and not {"student", "question", "max_points", "points"} <= rows[0].keys():
        raise ValueError(f"{path}: not a manual grading sheet (columns student, question, "
                         f"max_points, points expected; it has {', '.join(rows[0])})")
    points: dict[str, float] = {}
    maxima: dict[str, float] = {}
    warnings = []
    for number, row in enumerate(rows, start=2):
        where = f"{path}, row {number}"
        maxima[row["question"]] = _number(row["max_points"], f"{where}, column max_points")
        if row["student"] not in students:
            warnings.append(f"{where}: {row['student']!r} is not in the gradebook; "
                            "its points are not exported")
            continue
        if row["points"].strip():
            value = _number(row["points"], f"{where}, column points")
            points[row["student"]] = points.get(row["student"], 0.0) + value
    return points, sum(maxima.values()), warnings


def class_points(gradebook: Path, manual: Path | None = None) -> ClassPoints:
    """The points to export for each student of ``gradebook`` (see the module docstring)."""
    rows = read_records(gradebook)
    if not rows or "score" not in rows[0] or "student" not in rows[0]:
        raise ValueError(f"{gradebook}: not a course gradebook (no 'student' and 'score' "
                         "columns, or no rows)")
    merged = "total" in rows[0]
    if merged and manual is not None:
        raise ValueError(f"{gradebook} already includes the written points (column total); "
                         f"leave out --manual {manual}")
    score, maximum = ("total", "total_max") if merged else ("score", "max_score")
    points = {}
    for number, row in enumerate(rows, start=2):
        points[row["student"]] = _number(row[score], f"{gradebook}, row {number}, column {score}")
    most = _number(rows[0][maximum], f"{gradebook}, row 2, column {maximum}")
    if manual is None:
        return ClassPoints(points, most, [])
    written, written_max, warnings = _manual_points(manual, points)
    points = {student: value + written.get(student, 0.0) for student, value in points.items()}
    return ClassPoints(points, most + written_max, warnings)
