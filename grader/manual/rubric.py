"""A written question's rubric as criteria, each with its points and the levels a grader enters.

The bundle stores a written question's rubric as the markdown of its ``written`` cell: an
introduction, then one line per criterion, ``- N points: what earns them`` (the lines whose
points add up to the question's). A criterion may list level descriptors on indented lines
below it, ``  - L: what this level looks like``::

    - 2 points: uses a number from the table correctly
      - 0: no number, or a wrong one
      - 1: a correct number, not said what it counts
      - 2: a correct number and what it counts

The levels of a criterion run from 0 to its highest listed level; without descriptors they run
from 0 to its points. A level earns ``level / highest level × points`` (without descriptors,
the level is the points). A level may be fractional (``0.5``) if it lies in that range.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

CRITERION_LINE = re.compile(
    r"^\s*[-*]\s*\(?(?P<points>\d+(?:\.\d+)?)\s*points?\)?\s*[:.\-–—]?\s*(?P<text>.*)$",
    re.IGNORECASE)
LEVEL_LINE = re.compile(r"^(?P<indent>\s+)[-*]\s*(?P<level>\d+(?:\.\d+)?)\s*:\s*(?P<text>.*)$")


@dataclass(frozen=True)
class Criterion:
    number: int  # 1-based, as the sheet's column ``c1``, ``c2``... names it
    points: float
    text: str
    levels: dict[float, str] = field(default_factory=dict)  # level -> descriptor

    @property
    def max_level(self) -> float:
        return max(self.levels) if self.levels else self.points

    @property
    def column(self) -> str:
        return f"c{self.number}"

    def points_for(self, level: float) -> float:
        """The points a level earns (see the module docstring)."""
        return level * self.points / self.max_level if self.max_level else 0.0

    def check_level(self, text: str) -> float:
        """The level a sheet's cell holds; ValueError saying why when it is not one."""
        try:
            level = float(text.strip().replace(",", ".") if text.count(",") == 1 else text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number (a level from 0 to "
                             f"{self.max_level:g})") from None
        if not math.isfinite(level) or not 0 <= level <= self.max_level:
            raise ValueError(f"level {text.strip()} is out of range: {self.column} takes "
                             f"0 to {self.max_level:g}")
        return level


@dataclass(frozen=True)
class Rubric:
    question: str
    points: float
    introduction: str
    criteria: list[Criterion]


def parse_rubric(question: dict) -> Rubric:
    """The rubric of a bundle's written question (``id``, ``points``, ``rubric``)."""
    criteria: list[Criterion] = []
    introduction: list[str] = []
    for line in str(question.get("rubric", "")).split("\n"):
        if (level := LEVEL_LINE.match(line)) and criteria and not CRITERION_LINE.match(line):
            criteria[-1].levels[float(level["level"])] = level["text"].strip()
        elif criterion := CRITERION_LINE.match(line):
            criteria.append(Criterion(len(criteria) + 1, float(criterion["points"]),
                                      criterion["text"].strip()))
        elif not criteria:
            introduction.append(line)
    if not criteria:  # a rubric with no points lines: one criterion worth the question
        criteria = [Criterion(1, float(question["points"]), "overall")]
    return Rubric(str(question["id"]), float(question["points"]),
                  "\n".join(introduction).strip(), criteria)
