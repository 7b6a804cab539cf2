"""Run a question's tests against rebuilt answer values (shared by check() and the grader).

Tests are instructor code: plain ``assert`` statements executed in a namespace holding the setup
names, ``params``, the helpers of :mod:`grader.testing` and the student's rebuilt answer. A test
passes when it raises nothing. Hidden-test failures report only the instructor's feedback text,
never the test code or its error message (which could quote expected values).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from typing import Any

from grader import testing

NOT_ANSWERED = "not answered yet"


@dataclass
class TestOutcome:
    passed: bool
    points: float
    hidden: bool
    message: str = ""


@dataclass
class QuestionResult:
    id: str
    kind: str  # "auto" | "written"
    status: str  # "answered" | "not answered" | "refused" | "manual"
    points: float
    max_points: float
    messages: list[str] = field(default_factory=list)
    outcomes: list[TestOutcome] = field(default_factory=list)

    def copy(self) -> QuestionResult:
        """An independent copy: its lists and outcomes are its own (a fifth of deepcopy's
        cost, which a batch pays once per question per submission)."""
        return replace(self, messages=list(self.messages),
                       outcomes=[replace(outcome) for outcome in self.outcomes])

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["outcomes"] = [vars(outcome).copy() for outcome in self.outcomes]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuestionResult:
        outcomes = [TestOutcome(**o) for o in data.get("outcomes", [])]
        return cls(**{**data, "outcomes": outcomes})


@dataclass
class Answer:
    """What the checker knows about one answer variable."""

    state: str  # "value" | "missing" | "refused"
    value: Any = None
    reason: str = ""


class TestNamespace:
    """The namespace tests run in, built once per (setup, params) and copied per test."""

    def __init__(self, setup: str, test_setup: str, params: dict[str, Any]) -> None:
        namespace: dict[str, Any] = {"__name__": "__grader_tests__"}
        namespace.update({name: getattr(testing, name) for name in testing.__all__})
        namespace["params"] = dict(params)
        for label, code in (("setup", setup), ("test setup", test_setup)):
            if code.strip():
                exec(compile(code, f"<{label}>", "exec"), namespace)  # noqa: S102 - instructor code
        self.base = namespace
        self._compiled: dict[str, Any] = {}

    def run(self, code: str, names: dict[str, Any]) -> tuple[bool, str]:
        compiled = self._compiled.get(code)
        if compiled is None:
            compiled = self._compiled[code] = compile(code, "<test>", "exec")
        namespace = dict(self.base)
        namespace.update(names)
        try:
            exec(compiled, namespace)  # noqa: S102 - instructor code
        except AssertionError as err:
            return False, _shortened(str(err))
        except MemoryError:
            raise  # the checking process's memory limit, not the answer's failing (see grading)
        except Exception as err:  # a wrong answer may break a test in any way
            return False, _shortened(f"{type(err).__name__}: {err}")
        return True, ""


MESSAGE_KEPT = 500
# Characters that do not print as themselves (controls, line separators, bidirectional and
# zero-width formatting): a message quoting an answer must not add lines to feedback.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    return f"\\x{ord(match[0]):02x}" if ord(match[0]) < 0x100 else f"\\u{ord(match[0]):04x}"


def _shortened(message: str) -> str:
    """A test's failure message as feedback shows it, on one line: a message quoting a huge
    answer (a 60 MB string) would otherwise fill the feedback file, the cache and the student's
    screen."""
    kept = UNPRINTABLE.sub(_escaped, message[:MESSAGE_KEPT])
    if len(message) <= MESSAGE_KEPT:
        return kept
    return kept + f"… ({len(message) - MESSAGE_KEPT:,} more characters)"


def check_question(
    question: dict[str, Any],
    answer: Answer,
    namespace: TestNamespace,
    run_hidden: bool,
) -> QuestionResult:
    """Score one question. ``question`` is the bundle/notebook form (see grader.bundle)."""
    qid, max_points = question["id"], float(question["points"])
    if question["kind"] == "written":
        return QuestionResult(qid, "written", "manual", 0.0, max_points,
                              ["written answer: graded by your instructor"])
    hidden_tests = question.get("hidden_tests", [])
    hidden_count = question.get("hidden_count", len(hidden_tests))
    hidden_points = question.get("hidden_points", sum(t["points"] for t in hidden_tests))
    if answer.state == "missing" or (answer.state == "value" and answer.value is Ellipsis):
        why = answer.reason or NOT_ANSWERED
        return QuestionResult(qid, "auto", "not answered", 0.0, max_points, [why])
    if answer.state == "refused":
        return QuestionResult(qid, "auto", "refused", 0.0, max_points,
                              [f"answer refused: {answer.reason}"])
    names = {question["answer"]: answer.value}
    outcomes: list[TestOutcome] = []
    messages: list[str] = []
    for number, test in enumerate(question["public_tests"], start=1):
        passed, error = namespace.run(test["code"], names)
        message = ""
        if not passed:
            message = "; ".join(part for part in (test.get("message", ""), error) if part)
            messages.append(f"public test {number} failed" + (f": {message}" if message else ""))
        outcomes.append(TestOutcome(passed, test["points"] if passed else 0.0, False, message))
    if run_hidden:
        for number, test in enumerate(hidden_tests, start=1):
            passed, _ = namespace.run(test["code"], names)
            message = "" if passed else (test.get("message") or "a hidden test failed")
            if not passed:
                messages.append(f"hidden test {number} failed: {message}")
            outcomes.append(TestOutcome(passed, test["points"] if passed else 0.0, True, message))
    elif hidden_count:
        messages.append(
            f"{hidden_count} hidden test{'s' if hidden_count != 1 else ''} "
            f"({hidden_points:g} point{'s' if hidden_points != 1 else ''}) "
            "will be run when graded"
        )
    points = sum(outcome.points for outcome in outcomes)
    return QuestionResult(qid, "auto", "answered", points, max_points, messages, outcomes)
