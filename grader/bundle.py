"""The grader bundle (instructor only) and the public payload embedded in student notebooks.

Both are plain JSON built from an :class:`~grader.source.ExerciseSet` for one parameter choice.
The bundle holds hidden tests, points and rubrics but never a solution; the public payload holds
only what the student already sees (setup, public tests, hidden-test counts).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.source import ExerciseSet, Question, Test, substitute

BUNDLE_FORMAT = "minilat-grader-bundle/1"


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
    """What a student notebook embeds for check(): nothing hidden."""
    return {
        "set_id": exercise_set.id,
        "title": exercise_set.title,
        "params": params,
        "setup": setup_code(exercise_set),
        "questions": [_question_public(q, params) for q in exercise_set.questions],
    }


def bundle_payload(
    exercise_set: ExerciseSet, params: dict[str, Any], seed: int | None
) -> dict[str, Any]:
    questions = []
    for question in exercise_set.questions:
        entry = _question_public(question, params)
        entry["hidden_tests"] = [_test_dict(t, params) for t in question.hidden_tests]
        entry["rubric"] = substitute(question.rubric, params)
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
    payload["sha256"] = hashlib.sha256(
        json.dumps(payload, sort_keys=True).encode("utf-8")
    ).hexdigest()
    return payload


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
    return Bundle(data, path.resolve())
