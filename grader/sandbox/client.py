"""Start and talk to a runner (one per grading process, started on first use)."""

from __future__ import annotations

import atexit
import os
import select
import subprocess
import sys
from typing import Any

from grader.sandbox.runner import HEADER, read_frame, write_frame

# One thread per library: forks of a process with live thread pools can deadlock.
THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "ARROW_DEFAULT_MEMORY_POOL": "system",
    "ARROW_NUM_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "MINILAT_GRADING": "1",
}


class RunnerError(RuntimeError):
    pass


class RunnerClient:
    def __init__(self) -> None:
        env = {**os.environ, **THREAD_ENV}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "grader.sandbox.runner"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            close_fds=True,
        )
        hello = self._read(timeout=120)
        if not hello or not hello.get("ready"):
            raise RunnerError("the sandbox runner did not start")
        self.capabilities: dict[str, Any] = hello["capabilities"]

    def _read(self, timeout: float) -> Any:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            raise RunnerError("the sandbox runner stopped answering")
        return read_frame(self.process.stdout)

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None
        try:
            write_frame(self.process.stdin, request)
            reply = self._read(timeout=float(request["limits"]["wall_seconds"]) + 60)
        except (OSError, ValueError) as err:
            raise RunnerError(f"the sandbox runner failed: {err}") from err
        if reply is None:
            raise RunnerError("the sandbox runner exited")
        return reply

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """Ask the runner to stop (end of input), then make sure; always reap it."""
        if self.process.poll() is None:
            try:
                assert self.process.stdin is not None
                self.process.stdin.close()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
        self.process.wait()


_runners: dict[int, RunnerClient] = {}


def get_runner() -> RunnerClient:
    """This process's runner (a forked pool worker starts its own)."""
    runner = _runners.get(os.getpid())
    if runner is None or not runner.alive():
        runner = RunnerClient()
        _runners[os.getpid()] = runner
    return runner


def reset_runner() -> None:
    runner = _runners.pop(os.getpid(), None)
    if runner is not None:
        runner.close()


@atexit.register
def _close_runners() -> None:
    runner = _runners.pop(os.getpid(), None)
    if runner is not None:
        runner.close()


__all__ = ["HEADER", "RunnerClient", "RunnerError", "get_runner", "reset_runner"]
