"""The in-notebook ``check("q1")`` and ``check_all()`` a student runs.

Honest by construction: the answer goes through the same encode → decode → public tests path as
the grader, so check() passes exactly when the grader's public tests pass, and it always says how
many hidden tests remain. It never raises (a blank notebook must execute cleanly).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from grader.checks import Answer, QuestionResult, TestNamespace, check_question
from grader.values import Refused, decode, encode


def _answer_from(namespace: dict[str, Any], variable: str) -> Answer:
    if variable not in namespace:
        return Answer("missing", reason=f"not answered yet (no variable named {variable})")
    try:
        return Answer("value", decode(json.loads(json.dumps(encode(namespace[variable])))))
    except Refused as err:
        return Answer("refused", reason=str(err))


def format_result(result: QuestionResult) -> str:
    points = f"{result.max_points:g} point{'s' if result.max_points != 1 else ''}"
    if result.status == "manual":
        return f"{result.id}: written answer, graded by your instructor ({points})"
    if result.status == "not answered":
        return f"{result.id}: {result.messages[0]} ({points})"
    if result.status == "refused":
        return f"{result.id}: {result.messages[0]}"
    public = [o for o in result.outcomes if not o.hidden]
    passed = sum(o.passed for o in public)
    head = f"{result.id}: {passed} of {len(public)} public tests passed"
    if public and passed == len(public):
        head = f"{result.id}: all {len(public)} public tests passed"
    lines = [head]
    lines += [f"  - {message}" for message in result.messages]
    return "\n".join(lines)


class Checks:
    """Checks for one exercise set, built from the public payload embedded in the notebook."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self.payload = payload
        self.questions = {q["id"]: q for q in payload["questions"]}
        self._namespace: TestNamespace | None = None

    @classmethod
    def from_json(cls, text: str) -> Checks:
        return cls(json.loads(text))

    def _tests(self) -> TestNamespace:
        if self._namespace is None:
            self._namespace = TestNamespace(self.payload["setup"], "", self.payload["params"])
        return self._namespace

    def result(self, question_id: str, namespace: dict[str, Any]) -> QuestionResult:
        question = self.questions[question_id]
        answer = Answer("value")
        if question["kind"] == "auto":
            answer = _answer_from(namespace, question["answer"])
        return check_question(question, answer, self._tests(), run_hidden=False)

    def check(self, question_id: str, namespace: dict[str, Any] | None = None) -> None:
        """Run the public tests of one question and print an honest report."""
        namespace = namespace if namespace is not None else sys._getframe(1).f_globals
        if question_id not in self.questions:
            known = ", ".join(self.questions)
            print(f"check: there is no question {question_id!r} (questions: {known})")
            return
        try:
            print(format_result(self.result(question_id, namespace)))
        except Exception as err:  # check() must never break the notebook
            print(f"{question_id}: the check itself could not run ({type(err).__name__}: {err})")

    def check_all(self, namespace: dict[str, Any] | None = None) -> None:
        """Check every question of the set."""
        namespace = namespace if namespace is not None else sys._getframe(1).f_globals
        for question_id in self.questions:
            self.check(question_id, namespace)
