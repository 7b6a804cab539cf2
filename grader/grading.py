"""Grade one submission: a pure function from (bundle, submission, limits) to a ResultRecord.

The student's code runs in a sandboxed child of this process's runner (see grader.sandbox); the
tests run here, on values rebuilt from the plain data the child sends back. A process pool (or
a cluster engine) can map :func:`grade_submission` over a folder.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import time
from collections import OrderedDict
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from grader.bundle import Bundle, load_bundle
from grader.checks import Answer, QuestionResult, TestNamespace, check_question
from grader.sandbox.client import RunnerError, get_runner, reset_runner
from grader.submission import InvalidSubmission, read_submission, student_name
from grader.values import Refused, decode

STATUSES = ("graded", "timeout", "error", "invalid")


@dataclass(frozen=True)
class Limits:
    """Per-submission limits. ``hide`` lists paths student code must not see."""

    timeout: float = 20.0  # CPU seconds for the whole notebook
    wall_seconds: float | None = None  # defaults to twice the timeout: a busy machine must
    # not turn a slow but finite notebook into a timeout; sleeps and waits still end here
    memory_mb: int = 1024  # address space on top of the warm runner's own
    processes: int = 16
    output_bytes: int = 16 * 2**20  # largest file the submission may write
    result_bytes: int = 64 * 2**20  # largest answer message accepted
    scratch_mb: int = 64  # size of the private /tmp (Linux, root)
    hide: tuple[str, ...] = ()

    def as_request(self) -> dict[str, Any]:
        return {
            "wall_seconds": self.wall_seconds or 2 * self.timeout,
            "cpu_seconds": max(1, math.ceil(self.timeout)),  # RLIMIT_CPU counts whole seconds
            "cpu_limit": self.timeout,  # the exact limit, watched by the runner
            "memory_mb": self.memory_mb,
            "processes": self.processes,
            "output_bytes": self.output_bytes,
            "result_bytes": self.result_bytes,
            "scratch_mb": self.scratch_mb,
        }


@dataclass
class ResultRecord:
    student: str
    status: str
    score: float
    max_score: float
    reason: str
    questions: list[QuestionResult] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)
    cell_errors: list[dict[str, Any]] = field(default_factory=list)
    submission_sha256: str = ""
    bundle_sha256: str = ""
    seconds: float = 0.0
    sandbox: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (shallow: `dataclasses.asdict` deep-copies every record, which
        the batch's main process paid for each submission)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["questions"] = [question.to_dict() for question in self.questions]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ResultRecord:
        questions = [QuestionResult.from_dict(q) for q in data.get("questions", [])]
        return cls(**{**data, "questions": questions})


_namespaces: dict[str, TestNamespace] = {}


def checker_namespace(bundle: Bundle) -> TestNamespace:
    namespace = _namespaces.get(bundle.sha256)
    if namespace is None:
        data = bundle.data
        namespace = TestNamespace(data["setup"], data["test_setup"], data["params"])
        _namespaces[bundle.sha256] = namespace
    return namespace


def _answer(entry: Any) -> Answer:
    if not isinstance(entry, dict) or entry.get("state") == "missing":
        return Answer("missing")
    if entry.get("state") == "refused":
        return Answer("refused", reason=str(entry.get("reason", ""))[:300])
    try:
        return Answer("value", decode(entry.get("data")))
    except Refused as err:
        return Answer("refused", reason=str(err))
    except Exception as err:  # malformed Arrow bytes, bad base64, ...
        return Answer("refused", reason=f"malformed answer data ({type(err).__name__})")


# Results of answers already checked in this process, by (bundle, question, answer data).
_checked: OrderedDict[bytes, QuestionResult] = OrderedDict()
CHECKED_KEPT = 4096


def _checked_question(bundle: Bundle, question: dict[str, Any], entry: Any,
                      namespace: TestNamespace) -> QuestionResult:
    """Check one auto-graded answer, once per distinct answer.

    A class hands in the same correct answer hundreds of times. An answer is plain data and a
    test sees only its own question's answer and the bundle's namespace, so equal data gets an
    equal result: it is rebuilt and tested the first time only (this is why tests must be
    deterministic — `exercises/README.md`). Each record gets its own copy."""
    key = hashlib.sha256(json.dumps([bundle.sha256, question["id"], entry],
                                    sort_keys=True).encode()).digest()
    result = _checked.get(key)
    if result is None:
        result = check_question(question, _answer(entry), namespace, run_hidden=True)
        _checked[key] = result
        if len(_checked) > CHECKED_KEPT:
            _checked.popitem(last=False)
    else:
        _checked.move_to_end(key)
    return result.copy()


def _unscored(bundle: Bundle, status: str, reason: str, student: str,
              written: dict[str, str] | None = None) -> ResultRecord:
    questions = []
    for question in bundle.questions:
        kind = question["kind"]
        questions.append(QuestionResult(
            question["id"], kind, "manual" if kind == "written" else status, 0.0,
            float(question["points"]), [reason] if kind == "auto" else [],
        ))
    return ResultRecord(student, status, 0.0, bundle.max_auto_points, reason, questions,
                        written or {}, bundle_sha256=bundle.sha256)


def _summary(cell_errors: list[dict[str, Any]]) -> str:
    if not cell_errors:
        return ""
    first = "; ".join(f"cell {e['cell']}: {e['error']}" for e in cell_errors[:2])
    more = f" (+{len(cell_errors) - 2} more)" if len(cell_errors) > 2 else ""
    return f"{len(cell_errors)} cell(s) raised errors: {first}{more}"


def needed_by_sandbox(path: Path) -> bool:
    """True if hiding ``path`` would hide the Python environment or the grader itself."""
    needed = [Path(sys.prefix).resolve(), Path(__file__).resolve().parent]
    return path.is_dir() and any(need.is_relative_to(path.resolve()) for need in needed)


def hidden_paths(bundle: Bundle, submission_path: Path, limits: Limits) -> list[str]:
    """What student code must not see: the limits' list, the bundle, the submissions folder."""
    return list(_hidden(bundle.path, submission_path.parent, limits.hide))


@lru_cache(maxsize=64)
def _hidden(bundle_path: Path | None, folder: Path, hide: tuple[str, ...]) -> tuple[str, ...]:
    # Resolving costs dozens of stat calls; a batch asks the same question for every notebook.
    paths = [Path(p) for p in hide]
    if bundle_path is not None:
        paths.append(bundle_path)
    paths.append(folder)
    return tuple(dict.fromkeys(str(p.resolve()) for p in paths if not needed_by_sandbox(p)))


def grade_submission(bundle: Bundle | Path, submission_path: Path,
                     limits: Limits | None = None) -> ResultRecord:
    """Grade one notebook. Never raises for anything a submission can do."""
    started = time.monotonic()
    if not isinstance(bundle, Bundle):
        bundle = load_bundle(Path(bundle))
    limits = limits or Limits()
    student = student_name(submission_path)
    try:
        submission = read_submission(submission_path)
    except InvalidSubmission as err:
        record = _unscored(bundle, "invalid", str(err), student)
        record.seconds = round(time.monotonic() - started, 4)
        return record
    request = {
        "setup": bundle.data["setup"],
        "params": bundle.data["params"],
        "cells": submission.code_cells,
        "answers": [q["answer"] for q in bundle.questions if q["kind"] == "auto"],
        "limits": limits.as_request(),
        "hide": hidden_paths(bundle, submission_path, limits),
    }
    try:
        runner = get_runner()
        reply = runner.run(request)
        sandbox = runner.capabilities
    except RunnerError as err:
        reset_runner()
        reply, sandbox = {"status": "error", "reason": str(err)}, {}
    if reply.get("status") != "ok":
        status = "timeout" if reply.get("status") == "timeout" else "error"
        record = _unscored(bundle, status, str(reply.get("reason", "")), student,
                           submission.written)
    else:
        done = reply["done"]
        answers = done.get("answers", {}) if isinstance(done.get("answers"), dict) else {}
        namespace = checker_namespace(bundle)
        questions = []
        for question in bundle.questions:
            if question["kind"] == "auto":
                questions.append(_checked_question(bundle, question,
                                                   answers.get(question["answer"]), namespace))
            else:
                questions.append(check_question(question, Answer("value"), namespace,
                                                run_hidden=True))
        cell_errors = [e for e in done.get("cell_errors", []) if isinstance(e, dict)]
        record = ResultRecord(
            student, "graded", sum(q.points for q in questions if q.kind == "auto"),
            bundle.max_auto_points, _summary(cell_errors), questions, submission.written,
            cell_errors,
        )
    record.submission_sha256 = submission.sha256
    record.bundle_sha256 = bundle.sha256
    record.sandbox = sandbox
    record.seconds = round(time.monotonic() - started, 4)
    return record
