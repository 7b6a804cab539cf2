"""Rebuild and test answers in a child of the grading process, under limits of its own.

An answer is data a notebook's process sent, and that process can send anything: rebuilding it
(Arrow, numpy, sets and dicts) and running the tests on it could take minutes (keys whose
hashes collide make a dict quadratic) or gigabytes (compressed buffers, an array type of
400 MB per item). The decoder has bounds of its own (grader.values); on top of them, answers
the grading process has not checked before are checked in a forked child with

- an address-space limit: the grading process's own size plus ``memory_mb`` (Linux; elsewhere
  the CPU and wall-clock limits remain). Memory the grading process freed but kept mapped (a
  long-lived process's heap has plenty) would be handed out again without growing the address
  space, so the child first takes all of it, untouched, and the limit counts everything new;
- a CPU limit per answer (``seconds``, RLIMIT_CPU, whole seconds), and
- a wall-clock deadline per answer (twice the CPU limit) that this process keeps.

The child inherits everything it needs (the answers, the tests' namespace) through the fork
and writes one JSON line as it starts each answer and one with each result. If it dies, the
answer in progress gets no points with the reason, results already written are kept, and the
rest are checked by a fresh child. An answer already checked (the memo of grader.grading)
needs no child at all, which keeps the common case — the same correct answer again — cheap.

A plan may also read the notebook's whole message in the child (a message too large to read
in the grading process, see grader.sandbox.outcome): it then reports the message's checked
parts first, or why the message is malformed.
"""

from __future__ import annotations

import ctypes
import gc
import json
import math
import os
import resource
import select
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from grader.checks import Answer, QuestionResult, TestNamespace, check_question
from grader.sandbox import isolation
from grader.sandbox.message import Malformed
from grader.sandbox.wire import write_all
from grader.values import Refused, decode

RESULT_LINES_BYTES = 64 * 2**20  # what this process reads from a checking child at most
PR_SET_PDEATHSIG = 1
HELD_PIECE_BYTES = 64 * 2**10  # smallest piece of freed memory the checking child takes


@dataclass(frozen=True)
class CheckLimits:
    seconds: float  # CPU per answer
    memory_mb: int  # address space on top of the grading process's

    @property
    def wall_seconds(self) -> float:
        return 2 * self.seconds

    def cpu(self) -> str:
        return f"took more than {self.seconds:g} s of CPU"

    def memory(self) -> str:
        return f"took more than {self.memory_mb} MB of memory"

    def wall(self) -> str:
        return f"took more than {self.wall_seconds:g} s (wall clock)"


STOPPED = "answer refused: checking this answer "


def stopped_answer(cause: str) -> str:
    """A stopped answer's reason, from a cause of :class:`CheckLimits`."""
    return f"checking this answer {cause}; it gets no points"


@dataclass
class Task:
    """One auto-graded question and the answer entry to check (grader.sandbox.message form)."""

    question: dict[str, Any]
    entry: Any
    key: bytes  # the memo key: equal keys, equal results


@dataclass
class Plan:
    """What a checking child works through: the tasks and, for a message read in the child,
    the message's checked parts (everything but the answers)."""

    tasks: list[Task]
    envelope: dict[str, Any] | None = None


@dataclass
class Checked:
    result: QuestionResult
    keep: bool  # may be remembered for equal answers (not for a wall-clock stop)
    key: bytes | None = None  # its task's memo key, where the child said it


@dataclass
class Report:
    """What the checking children produced. Without results: ``malformed``, why the
    notebook's message (read in the child) breaks the rules; or ``unplanned``, why the child
    ended before its plan was made (a cause of CheckLimits' kind: reading the message took
    too much)."""

    results: dict[int, Checked] = field(default_factory=dict)
    envelope: dict[str, Any] | None = None
    malformed: str = ""
    unplanned: str = ""


def answer_of(entry: Any) -> Answer:
    """The checker's view of one checked entry; rebuilding may raise MemoryError (the caller
    words it), anything else makes the answer refused."""
    if not isinstance(entry, dict) or entry.get("state") == "missing":
        return Answer("missing")
    if entry.get("state") == "refused":
        return Answer("refused", reason=str(entry.get("reason", "")))
    try:
        return Answer("value", decode(entry.get("data")))
    except Refused as err:
        return Answer("refused", reason=str(err))
    except MemoryError:
        raise
    except Exception as err:  # malformed Arrow bytes, bad base64, ...
        return Answer("refused", reason=f"malformed answer data ({type(err).__name__})")


def check_entry(question: dict[str, Any], entry: Any, namespace: TestNamespace) -> QuestionResult:
    return check_question(question, answer_of(entry), namespace, run_hidden=True)


def unchecked(question: dict[str, Any], reason: str) -> QuestionResult:
    """The result of an answer whose checking was stopped: no points, the reason."""
    return QuestionResult(question["id"], "auto", "refused", 0.0, float(question["points"]),
                          [f"answer refused: {reason}"])


class _Discard:
    """Where a checking child's prints go (the grading process's own stdout buffer, inherited
    through the fork, must never be flushed twice)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


_inherited: list[Any] = []  # the child keeps the inherited streams alive: never flushed


def _write_line(fd: int, message: dict[str, Any]) -> None:
    write_all(fd, (json.dumps(message) + "\n").encode("utf-8", "backslashreplace"))


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _limit_cpu(seconds: float, hard: int) -> None:
    soft = min(hard, math.ceil(_cpu_used() + seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _hold_freed_memory(size: int) -> None:
    """Allocate, without touching, the memory malloc holds free inside an address space of
    ``size`` bytes (this process's own), so that nothing can reuse it past the address-space
    limit. With the limit at the present size, malloc can only return such free memory. Free
    pieces under HELD_PIECE_BYTES stay (a large value needs large pieces; taking each small
    one would copy a page of the grading process's heap)."""
    malloc = ctypes.CDLL(None).malloc
    malloc.restype, malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    pieces = [1 << n for n in range(size.bit_length() - 1, HELD_PIECE_BYTES.bit_length() - 2, -1)]
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (size, hard))
    try:
        for piece in pieces:
            while malloc(piece):
                pass
    except MemoryError:  # Python itself found no room: what is held so far stays held
        pass


def _set_limits(limits: CheckLimits, steps: int) -> int:
    """The child's limits; returns its hard CPU limit (every step's share, and one more)."""
    _, old_hard = resource.getrlimit(resource.RLIMIT_CPU)
    hard = math.ceil(limits.seconds * (steps + 1)) + 1
    if old_hard != resource.RLIM_INFINITY:
        hard = min(hard, old_hard)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _limit_cpu(limits.seconds, hard)
    size = isolation.address_space_bytes()
    if size is not None:
        try:  # macOS and others may refuse; the CPU and wall-clock limits remain
            _hold_freed_memory(size)
            memory = size + limits.memory_mb * 2**20
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        except (ValueError, OSError):
            if sys.platform == "linux":
                raise
    return hard


def _child(fd: int, plan: Callable[[], Plan], start: int, namespace: TestNamespace,
           limits: CheckLimits, lookup: Callable[[bytes], QuestionResult | None],
           steps: int, parent: int) -> None:
    gc.freeze()  # the inherited objects are never scanned (nor copied on write) by collections
    if sys.platform == "linux":
        try:  # end with the grading process, should it end first
            isolation.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except OSError:
            pass
    if os.getppid() != parent:
        return
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    _inherited.extend((sys.stdout, sys.stderr))
    sys.stdout = sys.stderr = _Discard()  # type: ignore[assignment]
    hard = _set_limits(limits, steps)
    try:
        work = plan()
    except Malformed as err:
        _write_line(fd, {"malformed": str(err)})
        return
    except MemoryError:
        _write_line(fd, {"unreadable": "memory"})
        return
    _write_line(fd, {"tasks": len(work.tasks), "envelope": work.envelope})
    for index in range(start, len(work.tasks)):
        task = work.tasks[index]
        _write_line(fd, {"start": index, "key": task.key.hex()})
        _limit_cpu(limits.seconds, hard)
        known = lookup(task.key)
        try:
            result = known if known is not None else check_entry(task.question, task.entry,
                                                                 namespace)
        except MemoryError:  # the memory is free again once the exception is caught
            result = unchecked(task.question, stopped_answer(limits.memory()))
        _write_line(fd, {"done": index, "key": task.key.hex(), "keep": True,
                         "result": result.to_dict()})


@dataclass
class _Run:
    """What one checking child did."""

    tasks: int | None = None
    envelope: dict[str, Any] | None = None
    malformed: str = ""
    unreadable: str = ""
    results: dict[int, Checked] = field(default_factory=dict)
    in_progress: tuple[int, bytes] | None = None
    wall_stopped: bool = False
    status: int = 0
    cpu: float = 0.0


def _take_line(run: _Run, line: bytes) -> None:
    message = json.loads(line)
    if "tasks" in message:
        run.tasks, run.envelope = int(message["tasks"]), message["envelope"]
    elif "start" in message:
        run.in_progress = (int(message["start"]), bytes.fromhex(message["key"]))
    elif "done" in message:
        result = QuestionResult.from_dict(message["result"])
        run.results[int(message["done"])] = Checked(result, bool(message["keep"]),
                                                    bytes.fromhex(message["key"]))
        run.in_progress = None
    elif "malformed" in message:
        run.malformed = str(message["malformed"])
    elif "unreadable" in message:
        run.unreadable = str(message["unreadable"])


def _read_child(pid: int, fd: int, limits: CheckLimits) -> _Run:
    """Read a child's lines until it ends (or kill it at a deadline), then reap it."""
    run, pending, total = _Run(), b"", 0
    deadline = time.monotonic() + limits.wall_seconds
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                run.wall_stopped = True
                break
            readable, _, _ = select.select([fd], [], [], remaining)
            if not readable:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            total += len(chunk)
            if total > RESULT_LINES_BYTES:
                break  # far more than results take: the child is stopped below
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                _take_line(run, line)
            deadline = time.monotonic() + limits.wall_seconds  # each step has its own
    except (ValueError, KeyError, TypeError):  # a line the child could not finish
        pass
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, status, usage = os.wait4(pid, 0)
        run.status, run.cpu = status, usage.ru_utime + usage.ru_stime
    return run


def _cause(run: _Run, limits: CheckLimits) -> tuple[str, bool]:
    """Why a child ended before its work was done (a cause of CheckLimits' kind); and whether
    an equal answer would end the same way (then its result may be remembered)."""
    if run.unreadable == "memory":
        return limits.memory(), True
    if run.wall_stopped:
        return limits.wall(), False
    status = run.status
    if os.WIFSIGNALED(status) and (os.WTERMSIG(status) == signal.SIGXCPU or (
            os.WTERMSIG(status) == signal.SIGKILL and run.cpu >= limits.seconds)):
        return limits.cpu(), True
    if os.WIFSIGNALED(status):
        try:
            how = f"signal {signal.Signals(os.WTERMSIG(status)).name}"
        except ValueError:
            how = f"signal {os.WTERMSIG(status)}"
    else:
        how = f"exit code {os.WEXITSTATUS(status)}"
    return f"stopped the checking process ({how})", False


def _fork(plan: Callable[[], Plan], start: int, namespace: TestNamespace, limits: CheckLimits,
          lookup: Callable[[bytes], QuestionResult | None], steps: int) -> _Run:
    parent = os.getpid()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # never returns to the caller's code, whatever happens
        status = 70
        try:
            os.close(read_end)
            _child(write_end, plan, start, namespace, limits, lookup, steps, parent)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        return _read_child(pid, read_end, limits)
    finally:
        os.close(read_end)


def run_checks(plan: Callable[[], Plan], questions: list[dict[str, Any]],
               namespace: TestNamespace, limits: CheckLimits,
               lookup: Callable[[bytes], QuestionResult | None]) -> Report:
    """Work through ``plan()``'s tasks — one per entry of ``questions``, in that order — in
    limited children: one, unless a child dies; then the task it was on gets no points and a
    fresh child goes on after it."""
    report = Report()
    start = 0
    while True:
        run = _fork(plan, start, namespace, limits, lookup, len(questions))
        if run.malformed:
            return Report(malformed=run.malformed)
        if run.tasks is None:  # ended before its plan was made
            return Report(unplanned=_cause(run, limits)[0])
        report.envelope = report.envelope or run.envelope
        report.results.update(run.results)
        missing = [i for i in range(start, min(run.tasks, len(questions)))
                   if i not in report.results]
        if not missing:
            return report
        stopped, key = run.in_progress or (missing[0], None)
        cause, keep = _cause(run, limits)
        report.results[stopped] = Checked(unchecked(questions[stopped], stopped_answer(cause)),
                                          keep, key)
        start = stopped + 1
