"""The exercise source format: one MyST notebook per exercise set (see exercises/README.md).

Cell roles come from tags; per-cell settings from a ``grader:`` mapping in the cell options.

=================  =====================================================================
tag                meaning
=================  =====================================================================
``setup``          public code run first everywhere (student page, sandbox, checker)
``solution``       the model answer of one question; ``grader: {question, answer, stub}``
``test``           a public test (students see and run it); ``grader: {question, points, hint}``
``hidden-test``    a hidden test (grader bundle only); ``grader: {question, points, feedback}``
``test-setup``     hidden code run once in the checker before hidden tests (expected values)
``written``        markdown: a written question's rubric; ``grader: {question, points}``
=================  =====================================================================

Front matter ``exercises: {id, title, params}`` declares seed parameters::

    params:
      forum: {choices: [quad, g7, brics], default: quad}
      year: {choices: [1990, 2000, 2010], per_student: true}  # one value per student

(see grader.variants for how a per-student value is derived).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.myst import Cell, MystNotebook, read_myst

ROLES = ("setup", "solution", "test", "hidden-test", "test-setup", "written")
QUESTION_ID = re.compile(r"^[A-Za-z][\w-]*$")
IDENTIFIER = re.compile(r"^[A-Za-z_]\w*$")
PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
RUBRIC_LINE = re.compile(r"^\s*[-*]\s*\(?(\d+(?:\.\d+)?)\s*points?\)?", re.IGNORECASE)


class SourceError(ValueError):
    """An exercise source breaks the format; the message names the file and line."""


@dataclass
class Test:
    code: str
    points: float
    message: str  # hint (public) or feedback (hidden) shown when the test fails
    line: int


@dataclass
class Question:
    id: str
    kind: str  # "auto" | "written"
    points: float = 0.0
    answer: str = ""  # the variable that holds the answer (auto questions)
    stub: str = ""
    solution: str = ""
    hint: str = ""
    public_tests: list[Test] = field(default_factory=list)
    hidden_tests: list[Test] = field(default_factory=list)
    rubric: str = ""
    line: int = 0

    @property
    def hidden_points(self) -> float:
        return sum(test.points for test in self.hidden_tests)


@dataclass
class ExerciseSet:
    path: Path
    id: str
    title: str
    params: dict[str, dict[str, Any]]
    setup: str
    test_setup: str
    questions: list[Question]
    notebook: MystNotebook

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    @property
    def per_student(self) -> dict[str, list[Any]]:
        """The choices of each parameter declared ``per_student: true``."""
        return {name: spec["choices"] for name, spec in self.params.items()
                if spec.get("per_student")}

    def text_params(self, params: dict[str, Any]) -> dict[str, Any]:
        """What ``{{ name }}`` shows in text: the value, or, for a per-student parameter (whose
        value differs between the students of one notebook), ``params["name"]`` as code."""
        return {**params, **{name: f'`params["{name}"]`' for name in self.per_student}}

    def choose_params(self, seed: int | None) -> dict[str, Any]:
        """Parameter values for a cohort: the defaults, or a seeded choice per parameter."""
        chosen = {}
        for name, spec in self.params.items():
            if seed is None:
                chosen[name] = spec["default"]
            else:
                rng = random.Random(f"{seed}/{self.id}/{name}")
                chosen[name] = rng.choice(spec["choices"])
        return chosen


def role_of(cell: Cell) -> str | None:
    roles = [tag for tag in cell.tags if tag in ROLES]
    return roles[0] if roles else None


def substitute(text: str, params: dict[str, Any]) -> str:
    """Replace ``{{ name }}`` placeholders with parameter values."""
    return PLACEHOLDER.sub(
        lambda m: str(params[m.group(1)]) if m.group(1) in params else m.group(0), text
    )


def _settings(cell: Cell, where: str) -> dict[str, Any]:
    settings = cell.metadata.get("grader", {})
    if not isinstance(settings, dict):
        raise SourceError(f"{where}:{cell.line}: 'grader' must be a mapping")
    question_id = settings.get("question")
    if not isinstance(question_id, str) or not QUESTION_ID.match(question_id):
        raise SourceError(
            f"{where}:{cell.line}: a {role_of(cell)} cell needs grader: {{question: ID}} "
            "with an ID such as q1"
        )
    return settings


def _points(settings: dict[str, Any], default: float, where: str, line: int) -> float:
    points = settings.get("points", default)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
        raise SourceError(f"{where}:{line}: points must be a non-negative number, got {points!r}")
    return float(points)


def _check_params(raw: Any, where: str) -> dict[str, dict[str, Any]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise SourceError(f"{where}: exercises.params must be a mapping of name to choices")
    params = {}
    for name, spec in raw.items():
        if not IDENTIFIER.match(str(name)):
            raise SourceError(f"{where}: parameter name {name!r} is not an identifier")
        if not isinstance(spec, dict) or not isinstance(spec.get("choices"), list):
            raise SourceError(f"{where}: parameter {name!r} needs a list of choices")
        if not spec["choices"]:
            raise SourceError(f"{where}: parameter {name!r} has no choices")
        default = spec.get("default", spec["choices"][0])
        if default not in spec["choices"]:
            raise SourceError(f"{where}: default of parameter {name!r} is not one of its choices")
        params[str(name)] = {"choices": list(spec["choices"]), "default": default}
        per_student = spec.get("per_student", False)
        if not isinstance(per_student, bool):
            raise SourceError(f"{where}: per_student of parameter {name!r} must be true or false")
        if per_student:
            params[str(name)]["per_student"] = True
    return params


def load_exercise_set(path: Path) -> ExerciseSet:
    """Read and validate one exercise source file."""
    where = str(path)
    notebook = read_myst(path)
    meta = notebook.front_matter.get("exercises", {}) or {}
    if not isinstance(meta, dict):
        raise SourceError(f"{where}: front matter 'exercises' must be a mapping")
    set_id = str(meta.get("id", path.stem))
    title = str(meta.get("title", set_id))
    params = _check_params(meta.get("params"), where)
    questions: dict[str, Question] = {}
    setup, test_setup = [], []

    def question_for(cell: Cell, settings: dict[str, Any]) -> Question:
        question = questions.get(settings["question"])
        if question is None:
            raise SourceError(
                f"{where}:{cell.line}: {role_of(cell)} cell for {settings['question']!r} "
                "comes before that question's solution or written cell"
            )
        return question

    for cell in notebook.cells:
        role = role_of(cell)
        if role == "setup":
            setup.append(cell.source)
        elif role == "test-setup":
            test_setup.append(cell.source)
        elif role in ("solution", "written"):
            settings = _settings(cell, where)
            qid = settings["question"]
            if qid in questions:
                raise SourceError(f"{where}:{cell.line}: question {qid!r} is defined twice")
            if role == "solution":
                answer = settings.get("answer")
                if not isinstance(answer, str) or not IDENTIFIER.match(answer):
                    raise SourceError(
                        f"{where}:{cell.line}: solution of {qid!r} needs grader: "
                        "{answer: VARIABLE} naming the variable that holds the answer"
                    )
                questions[qid] = Question(
                    id=qid,
                    kind="auto",
                    answer=answer,
                    stub=str(settings.get("stub", f"{answer} = ...")),
                    solution=cell.source,
                    hint=str(settings.get("hint", "")),
                    line=cell.line,
                )
            else:
                if cell.cell_type != "markdown":
                    raise SourceError(f"{where}:{cell.line}: a written cell must be markdown")
                points = _points(settings, 0, where, cell.line)
                rubric_total = sum(
                    float(m.group(1))
                    for line in cell.source.splitlines()
                    if (m := RUBRIC_LINE.match(line))
                )
                if points <= 0 or abs(rubric_total - points) > 1e-9:
                    raise SourceError(
                        f"{where}:{cell.line}: written question {qid!r} has points {points} "
                        f"but its rubric lines ('- N points: ...') add up to {rubric_total}"
                    )
                questions[qid] = Question(
                    id=qid, kind="written", points=points, rubric=cell.source, line=cell.line
                )
        elif role in ("test", "hidden-test"):
            settings = _settings(cell, where)
            question = question_for(cell, settings)
            if question.kind != "auto":
                raise SourceError(f"{where}:{cell.line}: written question {question.id!r} "
                                  "cannot have tests")
            points = _points(settings, 1, where, cell.line)
            if role == "test":
                message = str(settings.get("hint", ""))
                question.public_tests.append(Test(cell.source, points, message, cell.line))
            else:
                message = str(settings.get("feedback", ""))
                question.hidden_tests.append(Test(cell.source, points, message, cell.line))
            question.points += points
    for question in questions.values():
        if question.kind == "auto" and not (question.public_tests or question.hidden_tests):
            raise SourceError(f"{where}:{question.line}: question {question.id!r} has no tests")
    return ExerciseSet(
        path=path,
        id=set_id,
        title=title,
        params=params,
        setup="\n\n".join(setup),
        test_setup="\n\n".join(test_setup),
        questions=list(questions.values()),
        notebook=notebook,
    )


def exercise_sources(src_dir: Path) -> list[Path]:
    """The exercise sources of a folder: ``NN-slug.md`` files, in order."""
    return sorted(p for p in src_dir.glob("*.md") if re.match(r"^\d\d-[\w-]+\.md$", p.name))
