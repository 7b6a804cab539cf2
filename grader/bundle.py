"""The grader bundle (instructor only) and the public payload embedded in student notebooks.

Both are plain JSON built from an :class:`~grader.source.ExerciseSet` for one parameter choice.
The bundle holds hidden tests, points and rubrics but never a solution; the public payload holds
only what the student already sees (setup, public tests, hidden-test counts).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.source import ExerciseSet, Question, Test, substitute
from grader.variants import student_params

BUNDLE_FORMAT = "minilat-grader-bundle/1"
# Optional (bundles released before it still load): the CPU limit per notebook measured from
# the worked solution at release (grader.solution_cost). Outside the bundle's sha256, which
# names what is graded, not how long a notebook may take: the batch cache keys on the limits.
DEFAULT_LIMIT_KEY = "default_limit"
# Only in bundles of sets with per-student parameters: each one's choices (grader.variants).
PER_STUDENT_KEY = "per_student"


PREAMBLE = "from minilat.preamble import *  # noqa: F403"


def setup_code(exercise_set: ExerciseSet) -> str:
    """The code every namespace starts from: the book's shared preamble (when the teaching
    library has one), then the set's own setup cells."""
    lines = [PREAMBLE] if importlib.util.find_spec("minilat.preamble") is not None else []
    return "\n".join([*lines, exercise_set.setup])


def _test_dict(test: Test, params: dict[str, Any]) -> dict[str, Any]:
    return {"code": test.code, "points": test.points, "message": substitute(test.message, params)}


def _question_public(question: Question, params: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": question.id,
        "kind": question.kind,
        "points": question.points,
        "answer": question.answer,
        "hint": substitute(question.hint, params),
        "public_tests": [_test_dict(t, params) for t in question.public_tests],
        "hidden_count": len(question.hidden_tests),
        "hidden_points": question.hidden_points,
    }


def public_payload(exercise_set: ExerciseSet, params: dict[str, Any]) -> dict[str, Any]:
    """What a student notebook embeds for check(): nothing hidden. ``params`` are the cohort's
    values; a notebook with per-student parameters replaces them with its student's own."""
    shown = exercise_set.text_params(params)
    return {
        "set_id": exercise_set.id,
        "title": exercise_set.title,
        "params": params,
        "setup": setup_code(exercise_set),
        "questions": [_question_public(q, shown) for q in exercise_set.questions],
    }


def bundle_payload(
    exercise_set: ExerciseSet, params: dict[str, Any], seed: int | None
) -> dict[str, Any]:
    questions = []
    shown = exercise_set.text_params(params)
    for question in exercise_set.questions:
        entry = _question_public(question, shown)
        entry["hidden_tests"] = [_test_dict(t, shown) for t in question.hidden_tests]
        entry["rubric"] = substitute(question.rubric, shown)
        questions.append(entry)
    payload = {
        "format": BUNDLE_FORMAT,
        "set_id": exercise_set.id,
        "title": exercise_set.title,
        "seed": seed,
        "params": params,
        "setup": setup_code(exercise_set),
        "test_setup": exercise_set.test_setup,
        "questions": questions,
    }
    if exercise_set.per_student:  # only then: other sets' bundles (and sha256) stay as they were
        payload[PER_STUDENT_KEY] = exercise_set.per_student
    payload["sha256"] = hashlib.sha256(
        json.dumps(payload, sort_keys=True).encode("utf-8")
    ).hexdigest()
    return payload


@dataclass(frozen=True)
class DefaultLimit:
    """A bundle's default CPU limit per notebook and the measurement it follows from."""

    timeout: float  # CPU seconds per notebook
    solution_cpu_seconds: float  # what the worked solution needed
    measured_by: str  # how, in words

    def to_dict(self) -> dict[str, Any]:
        return {"timeout": self.timeout, "solution_cpu_seconds": self.solution_cpu_seconds,
                "measured_by": self.measured_by}


def with_default_limit(payload: dict[str, Any], limit: DefaultLimit) -> dict[str, Any]:
    """The bundle payload with its measured default limit (the sha256 stays the same)."""
    return {**payload, DEFAULT_LIMIT_KEY: limit.to_dict()}


def _read_default_limit(value: Any, path: Path) -> DefaultLimit:
    where = f"{path}: grader bundle's {DEFAULT_LIMIT_KEY!r}"
    if not isinstance(value, dict):
        raise ValueError(f"{where} should be an object")
    numbers = {}
    for key in ("timeout", "solution_cpu_seconds"):
        number = value.get(key)
        if type(number) not in (int, float) or not math.isfinite(number) or number <= 0:
            raise ValueError(f"{where}: {key!r} should be a positive number, not {number!r}")
        numbers[key] = float(number)
    measured_by = value.get("measured_by", "")
    if not isinstance(measured_by, str):
        raise ValueError(f"{where}: 'measured_by' should be text")
    return DefaultLimit(numbers["timeout"], numbers["solution_cpu_seconds"], measured_by)


@dataclass(frozen=True)
class Bundle:
    """A loaded grader bundle. ``path`` is where it lives (hidden from student code)."""

    data: dict[str, Any]
    path: Path | None = None

    @property
    def sha256(self) -> str:
        return self.data["sha256"]

    @property
    def questions(self) -> list[dict[str, Any]]:
        return self.data["questions"]

    @property
    def question_ids(self) -> list[str]:
        return [q["id"] for q in self.questions]

    @property
    def max_auto_points(self) -> float:
        return sum(q["points"] for q in self.questions if q["kind"] == "auto")

    @property
    def per_student(self) -> dict[str, list[Any]]:
        """The choices of each per-student parameter; empty for a set without them."""
        return self.data.get(PER_STUDENT_KEY) or {}

    def student_params(self, student_id: str | None) -> dict[str, Any]:
        """The values a notebook claiming ``student_id`` is graded with (grader.variants): the
        cohort's when the set has no per-student parameter or the identifier is missing."""
        if not self.per_student or student_id is None:
            return self.data["params"]
        return student_params(self.data["params"], self.per_student, self.data.get("seed"),
                              self.data["set_id"], student_id)

    @property
    def default_limit(self) -> DefaultLimit | None:
        """The limit measured at release; None for a bundle released before it was recorded."""
        value = self.data.get(DEFAULT_LIMIT_KEY)
        return None if value is None else _read_default_limit(value, self.path or Path("bundle"))


def write_bundle(payload: dict[str, Any], path: Path) -> None:
    """Write a bundle readable by its owner only (it holds the hidden tests)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=1)
    os.chmod(path, 0o600)


def load_bundle(path: Path) -> Bundle:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"{path}: cannot read grader bundle: {err}") from err
    if not isinstance(data, dict) or data.get("format") != BUNDLE_FORMAT:
        raise ValueError(f"{path}: not a grader bundle (format should be {BUNDLE_FORMAT!r})")
    for key in ("set_id", "params", "setup", "test_setup", "questions", "sha256"):
        if key not in data:
            raise ValueError(f"{path}: grader bundle lacks {key!r}")
    per_student = data.get(PER_STUDENT_KEY, {})
    if not isinstance(per_student, dict) or not all(
            isinstance(choices, list) and choices for choices in per_student.values()):
        raise ValueError(f"{path}: grader bundle's {PER_STUDENT_KEY!r} should map each "
                         "parameter to its list of choices")
    if data.get(DEFAULT_LIMIT_KEY) is not None:
        _read_default_limit(data[DEFAULT_LIMIT_KEY], path)  # a damaged field fails here
    return Bundle(data, path.resolve())
