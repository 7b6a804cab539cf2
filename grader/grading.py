"""Grade one submission: a pure function from (bundle, submission, limits) to a ResultRecord.

The student's code runs in a sandboxed child of this process's runner (see grader.sandbox); its
answers come back as one message, read as hostile input (grader.sandbox.message), and are
rebuilt and tested in a limited child of this process (grader.checking) — once per distinct
answer. The row says what the grader observed; the notebook's own text appears only quoted
(grader.notebook_text). A process pool (or a cluster engine) can map :func:`grade_submission`
over a folder.
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
from grader.checking import (
    STOPPED,
    Checked,
    CheckLimits,
    Plan,
    Report,
    Task,
    check_entry,
    run_checks,
    stopped_answer,
    unchecked,
)
from grader.checks import Answer, QuestionResult, TestNamespace, check_question
from grader.notebook_text import cell_error
from grader.sandbox.client import RunnerError, get_runner, reset_runner
from grader.sandbox.message import parse, validate
from grader.sandbox.outcome import malformed_reason
from grader.submission import InvalidSubmission, Submission, read_submission, student_name
from grader.variants import claimed_id, variant_status

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
    # Rebuilding and testing one answer (in a limited child of the grading process, see
    # grader.checking): CPU seconds (the wall clock allows twice that), and memory on top of
    # the grading process's own. A correct answer takes milliseconds.
    check_seconds: float = 10.0
    check_memory_mb: int = 1024

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
    # Sets with per-student parameters (grader.variants): the identifier the notebook claims
    # ("" for none) and whether it is the file's student (``ok``, ``missing``, ``mismatch:
    # claims ID``); both "" for other sets.
    student_id: str = ""
    variant: str = ""

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


_namespaces: dict[tuple[str, str], TestNamespace] = {}


def _params_text(params: dict[str, Any]) -> str:
    return json.dumps(params, sort_keys=True)


def checker_namespace(bundle: Bundle, params: dict[str, Any] | None = None) -> TestNamespace:
    """The tests' namespace for a bundle and parameter values (the bundle's cohort values by
    default; a set with per-student parameters has one namespace per distinct values)."""
    params = bundle.data["params"] if params is None else params
    key = (bundle.sha256, _params_text(params))
    namespace = _namespaces.get(key)
    if namespace is None:
        data = bundle.data
        namespace = TestNamespace(data["setup"], data["test_setup"], params)
        _namespaces[key] = namespace
    return namespace


# Results of answers already checked in this process, by (bundle, parameter values, question,
# answer data).
_checked: OrderedDict[bytes, QuestionResult] = OrderedDict()
CHECKED_KEPT = 4096


def memo_key(bundle: Bundle, question: dict[str, Any], entry: Any, limits: Limits,
             params: dict[str, Any]) -> bytes:
    """Equal answers (under equal parameter values and checking limits), equal keys. The entry
    is already checked (its size within the answer limit, its depth bounded:
    grader.sandbox.message), so writing it is linear."""
    settings = [bundle.sha256, _params_text(params), question["id"], limits.check_seconds,
                limits.check_memory_mb]
    return hashlib.sha256(json.dumps([*settings, entry], sort_keys=True).encode()).digest()


def _remembered(key: bytes) -> QuestionResult | None:
    result = _checked.get(key)
    if result is not None:
        _checked.move_to_end(key)
    return result


def _remember(key: bytes, result: QuestionResult) -> None:
    _checked[key] = result
    if len(_checked) > CHECKED_KEPT:
        _checked.popitem(last=False)


def _auto_questions(bundle: Bundle) -> list[dict[str, Any]]:
    return [q for q in bundle.questions if q["kind"] == "auto"]


def _check_answers(bundle: Bundle, answers: dict[str, Any], namespace: TestNamespace,
                   limits: Limits, params: dict[str, Any]) -> list[QuestionResult]:
    """Each auto-graded answer's result, once per distinct answer.

    A class hands in the same correct answer hundreds of times. An answer is plain data and a
    test sees only its own question's answer and the bundle's namespace, so equal data gets an
    equal result: it is rebuilt and tested the first time only (this is why tests must be
    deterministic — `exercises/README.md`), in a limited child process; an answer met before
    needs none. Each record gets its own copy."""
    results: dict[int, QuestionResult] = {}
    tasks: list[Task] = []
    slots: list[int] = []
    for slot, question in enumerate(_auto_questions(bundle)):
        entry = answers.get(question["answer"])
        if not isinstance(entry, dict) or entry.get("state") != "value":
            results[slot] = check_entry(question, entry, namespace)  # nothing to rebuild
            continue
        key = memo_key(bundle, question, entry, limits, params)
        known = _remembered(key)
        if known is not None:
            results[slot] = known.copy()
        else:
            tasks.append(Task(question, entry, key))
            slots.append(slot)
    if tasks:
        report = run_checks(lambda: Plan(tasks), [task.question for task in tasks], namespace,
                            _check_limits(limits), _remembered)
        for index, slot in enumerate(slots):
            checked = report.results.get(index) or Checked(
                unchecked(tasks[index].question, stopped_answer(report.unplanned)), False)
            if checked.keep:
                _remember(tasks[index].key, checked.result)
            results[slot] = checked.result.copy()
    return [results[slot] for slot in range(len(results))]


def _check_limits(limits: Limits) -> CheckLimits:
    return CheckLimits(float(limits.check_seconds), int(limits.check_memory_mb))


def _message_plan(bundle: Bundle, message: bytes, request: dict[str, Any],
                  limits: Limits) -> Plan:
    """For a checking child: read a message too large to read here (grader.sandbox.outcome),
    then one task per auto-graded question."""
    cells = {cell["index"] for cell in request["cells"]}
    result_bytes = int(request["limits"]["result_bytes"])
    done = validate(parse(message), request["answers"], cells, result_bytes)
    tasks = []
    for question in _auto_questions(bundle):
        entry = done["answers"].get(question["answer"])
        tasks.append(Task(question, entry,
                          memo_key(bundle, question, entry, limits, request["params"])))
    return Plan(tasks, {key: value for key, value in done.items() if key != "answers"})


def _check_message(bundle: Bundle, message: bytes, request: dict[str, Any],
                   namespace: TestNamespace, limits: Limits) -> Report:
    report = run_checks(lambda: _message_plan(bundle, message, request, limits),
                        _auto_questions(bundle), namespace, _check_limits(limits), _remembered)
    for checked in report.results.values():
        if checked.keep and checked.key is not None:
            _remember(checked.key, checked.result)
    return report


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


def _summary(cell_errors: list[dict[str, Any]], questions: list[QuestionResult]) -> str:
    """The row's reason for a graded notebook: answers whose checking was stopped, then the
    cells that raised (their errors already in the grader's words, the notebook's text quoted:
    see grader.notebook_text)."""
    parts = [f"{q.id}: {q.messages[0].removeprefix('answer refused: ')}" for q in questions
             if q.kind == "auto" and q.messages and q.messages[0].startswith(STOPPED)]
    if cell_errors:
        first = "; ".join(f"cell {e['cell']} raised {e['error']}" for e in cell_errors[:2])
        more = f" (+{len(cell_errors) - 2} more)" if len(cell_errors) > 2 else ""
        parts.append(f"{len(cell_errors)} cell(s) raised errors: {first}{more}")
    return "; ".join(parts)


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
    """Grade one notebook. Never raises for anything a submission can do: whatever goes wrong
    after the bundle is loaded gives an ``error`` row naming the exception's type only (its
    message could quote the notebook's data)."""
    started = time.monotonic()
    if not isinstance(bundle, Bundle):
        bundle = load_bundle(Path(bundle))
    limits = limits or Limits()
    student = student_name(submission_path)
    try:
        record = _grade(bundle, submission_path, limits, student)
    except Exception as err:  # the last resort: a row, never an exception in the batch
        record = _unscored(bundle, "error", f"grader failure: {type(err).__name__[:100]}",
                           student)
    record.bundle_sha256 = bundle.sha256
    if bundle.per_student:
        record.variant = variant_status(student, record.student_id or None)
    record.seconds = round(time.monotonic() - started, 4)
    return record


def _grade(bundle: Bundle, submission_path: Path, limits: Limits,
           student: str) -> ResultRecord:
    try:
        submission = read_submission(submission_path)
    except InvalidSubmission as err:
        return _unscored(bundle, "invalid", str(err), student)
    claimed = None
    if bundle.per_student and submission.code_cells:
        claimed = claimed_id(submission.code_cells[0]["source"])
    request = {
        "setup": bundle.data["setup"],
        "params": bundle.student_params(claimed),  # the cohort's, unless per-student
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
        record = _graded(bundle, submission, reply, request, limits, student)
    record.submission_sha256 = submission.sha256
    record.sandbox = sandbox
    record.student_id = claimed or ""
    return record


def _graded(bundle: Bundle, submission: Submission, reply: dict[str, Any],
            request: dict[str, Any], limits: Limits, student: str) -> ResultRecord:
    """The record of a notebook whose process ended with a message: its answers checked."""
    params = request["params"]
    namespace = checker_namespace(bundle, params)  # the cohort's, or a student's variant
    if "done" in reply:
        done = reply["done"]
        auto = iter(_check_answers(bundle, done["answers"], namespace, limits, params))
    else:  # a message too large to read here: read in the limited checking process too
        report = _check_message(bundle, reply["message"], request, namespace, limits)
        if report.malformed or report.envelope is None:
            reason = malformed_reason(report.malformed) if report.malformed else (
                f"reading the notebook's answer message {report.unplanned}")
            return _unscored(bundle, "error", reason, student, submission.written)
        done = report.envelope
        auto = iter(report.results[index].result for index in range(len(report.results)))
    questions = [next(auto) if question["kind"] == "auto" else
                 check_question(question, Answer("value"), namespace, run_hidden=True)
                 for question in bundle.questions]
    cell_errors = [{"cell": e["cell"], "error": cell_error(e["error"])}
                   for e in done["cell_errors"]]
    return ResultRecord(
        student, "graded", sum(q.points for q in questions if q.kind == "auto"),
        bundle.max_auto_points, _summary(cell_errors, questions), questions, submission.written,
        cell_errors,
    )
