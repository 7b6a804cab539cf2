"""The solved student notebook of a set: the release notebook with each answer cell filled in.

For checking an exercise set (its solution must score full marks) and for benchmarks; never
part of a release.
"""

from __future__ import annotations

from typing import Any

from grader.myst import to_ipynb
from grader.pages import student_notebook
from grader.source import ExerciseSet


def solved_notebook(exercise_set: ExerciseSet, params: dict[str, Any]) -> dict[str, Any]:
    """nbformat dict of the student notebook with every question answered by its solution."""
    notebook = to_ipynb(student_notebook(exercise_set, params))
    answers = {q.id: q for q in exercise_set.questions}
    for cell in notebook["cells"]:
        for tag in cell["metadata"].get("tags", []):
            question = answers.get(tag.removeprefix("answer-")) if tag.startswith("answer-") else None
            if question is None:
                continue
            if question.kind == "auto":
                cell["source"] = question.solution
            else:
                cell["source"] = "A model answer written for the grader's own checks."
    return notebook


def blank_notebook(exercise_set: ExerciseSet, params: dict[str, Any]) -> dict[str, Any]:
    return to_ipynb(student_notebook(exercise_set, params))
