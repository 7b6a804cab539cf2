"""What every LMS export shares: the points of the roster's students, in the roster's order,
and the warnings about students who could not be matched."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from grader.lms.points import class_points
from grader.lms.roster import Roster, Student, match_students


@dataclass(frozen=True)
class Graded:
    students: list[tuple[Student, float]]  # roster row, points; in the roster's order
    maximum: float
    warnings: list[str]


@dataclass(frozen=True)
class Export:
    path: Path
    students: int  # rows written
    maximum: float  # points possible, for setting up the grade item in the LMS
    warnings: list[str]


def graded_students(gradebook: Path, roster: Roster, manual: Path | None,
                    also_known_as: Callable[[str], list[str]] = lambda name: []) -> Graded:
    """The points of each roster student who has a row in the gradebook."""
    points = class_points(gradebook, manual)
    matching = match_students(roster, list(points.points), also_known_as)
    found = {student.row: name for name, student in matching.by_student.items()}
    rows = [(student, points.points[found[student.row]]) for student in roster.students
            if student.row in found]
    return Graded(rows, points.maximum, points.warnings + matching.warnings)
