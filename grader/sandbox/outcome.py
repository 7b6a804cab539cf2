"""What became of one submission: the runner's report (how the child ended) read together with
what the child itself sent the grading process (its answers, or why its sandbox failed)."""

from __future__ import annotations

import json
import os
import signal
from typing import Any


def cpu_limit(limits: dict[str, Any]) -> float:
    """The exact CPU limit; RLIMIT_CPU (`cpu_seconds`) counts whole seconds, so the runner
    watches this one itself."""
    return float(limits.get("cpu_limit", limits["cpu_seconds"]))


def _messages(received: bytes) -> tuple[dict[str, Any] | None, str | None]:
    done, sandbox_failed = None, None
    for line in bytes(received).split(b"\n"):
        try:
            message = json.loads(line)
        except (ValueError, UnicodeDecodeError):
            continue
        if not isinstance(message, dict):
            continue
        if isinstance(message.get("done"), dict):
            done = message["done"]
        if isinstance(message.get("sandbox_failed"), str):
            sandbox_failed = message["sandbox_failed"]
    return done, sandbox_failed


def interpret(received: bytes, too_big: bool, report: dict[str, Any],
              limits: dict[str, Any]) -> dict[str, Any]:
    """``{"status": "ok", "done": {...}}`` or a timeout/error with a reason a student can read.

    ``report`` is the runner's: the child's wait status, why it was stopped ("timeout", "cpu"
    or ""), the cell it was in. The child's own messages are only trusted for its answers and
    its sandbox failure; which status it ends with is decided from the runner's report."""
    status = int(report.get("wait_status", 0))
    stop = str(report.get("stop", ""))
    last_cell = report.get("last_cell")
    where = f" in cell {last_cell}" if isinstance(last_cell, int) else ""
    done, sandbox_failed = _messages(received)
    if stop == "timeout":
        return {"status": "timeout", "reason": f"ran longer than "
                f"{float(limits['wall_seconds']):g} s (wall clock){where}"}
    if stop == "cpu" or (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU):
        return {"status": "timeout",
                "reason": f"used more than {cpu_limit(limits):g} s of CPU time{where}"}
    if too_big:
        return {"status": "error", "reason": "the submission sent more than "
                f"{int(limits['result_bytes']) // 2**20} MB of answers{where}"}
    if sandbox_failed is not None:
        return {"status": "error", "reason": f"sandbox setup failed: {sandbox_failed}"}
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 4:
        return {"status": "error", "reason": "the submission broke the reading of its "
                "answers (it replaced or closed something the grader needs)"}
    if done is None or not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
        how = (f"signal {signal.Signals(os.WTERMSIG(status)).name}"
               if os.WIFSIGNALED(status) else f"exit code {os.WEXITSTATUS(status)}")
        return {"status": "error", "reason": f"the submission ended its process ({how})"
                f"{where} before its answers could be read"}
    return {"status": "ok", "done": done}
