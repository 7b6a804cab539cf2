"""What became of one submission: the runner's report (how the child ended) read together with
the one message the child sent the grading process (its answers).

The runner is the grader's own process and its report is believed: the child's wait status,
why it was stopped, whether its control group ran out of memory, and why its sandbox could not
be set up (written by the child on a pipe of its own, closed before the submission's first
cell). The message on the notebook's channel is not: the submission's code can write anything
there, so it is read by the rules of :mod:`grader.sandbox.message`, and a cell number the runner
saw (in memory the child could also write) is repeated only if the submission has that cell.
"""

from __future__ import annotations

import os
import signal
from typing import Any

from grader.notebook_text import visible
from grader.sandbox.message import Malformed, one_line, read_done

# A message up to this size is read here; a larger one (up to the answer limit, 64 MB, which
# JSON can turn into a gigabyte of Python objects) is read by the limited checking process
# (grader.checking), with the rules of grader.sandbox.message.
READ_HERE_BYTES = 2**20
SETUP_FAILURE_CHARS = 300


def cpu_limit(limits: dict[str, Any]) -> float:
    """The exact CPU limit; RLIMIT_CPU (`cpu_seconds`) counts whole seconds, so the runner
    watches this one itself."""
    return float(limits.get("cpu_limit", limits["cpu_seconds"]))


def malformed_reason(what: str) -> str:
    return f"the notebook's process sent a malformed answer message: {what}"


def _where(report: dict[str, Any], cells: set[int]) -> str:
    last_cell = report.get("last_cell")
    return f" in cell {last_cell}" if type(last_cell) is int and last_cell in cells else ""


def _ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"signal {signal.Signals(number).name}"
        except ValueError:
            return f"signal {number}"
    return f"exit code {os.WEXITSTATUS(status)}" if os.WIFEXITED(status) else "an unknown way"


def interpret(received: bytes | bytearray, too_big: bool, report: dict[str, Any],
              limits: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
    """``{"status": "ok", "done": {...}}`` (a checked message, see grader.sandbox.message),
    ``{"status": "ok", "message": bytes}`` (a message too large to read here, one line), or a
    timeout/error with a reason in the grader's words.

    ``report`` is the runner's: the child's wait status, why it was stopped ("timeout", "cpu"
    or ""), the cell it was in, ``sandbox_failed``, ``memory_exceeded`` (fields it lacks count
    as absent). ``request`` is what was asked: its answer names and the submission's cells."""
    status = report.get("wait_status", 0)
    status = status if type(status) is int else 0
    stop = report.get("stop", "")
    cells = {cell["index"] for cell in request["cells"]}
    where = _where(report, cells)
    sandbox_failed = report.get("sandbox_failed")
    if type(sandbox_failed) is str and sandbox_failed:
        return {"status": "error",
                "reason": f"sandbox setup failed: {visible(sandbox_failed, SETUP_FAILURE_CHARS)}"}
    if stop == "timeout":
        return {"status": "timeout", "reason": f"ran longer than "
                f"{float(limits['wall_seconds']):g} s (wall clock){where}"}
    if stop == "cpu" or (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU):
        return {"status": "timeout",
                "reason": f"used more than {cpu_limit(limits):g} s of CPU time{where}"}
    if report.get("memory_exceeded") is True:
        return {"status": "error",
                "reason": f"used more than {int(limits['memory_mb'])} MB of memory{where}"}
    if too_big:
        return {"status": "error", "reason": "the submission sent more than "
                f"{int(limits['result_bytes']) // 2**20} MB of answers{where}"}
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 4:
        return {"status": "error", "reason": "the submission broke the reading of its "
                "answers (it replaced or closed something the grader needs)"}
    if not received or not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
        return {"status": "error", "reason": f"the submission ended its process "
                f"({_ended(status)}){where} before its answers could be read"}
    try:
        if len(received) > READ_HERE_BYTES:
            return {"status": "ok", "message": one_line(received)}
        done = read_done(received, request["answers"], cells, int(limits["result_bytes"]))
    except Malformed as err:
        return {"status": "error", "reason": malformed_reason(str(err))}
    return {"status": "ok", "done": done}
