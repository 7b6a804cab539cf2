"""Start and talk to a runner (one per grading process, started on first use)."""

from __future__ import annotations

import atexit
import os
import select
import socket
import subprocess
import sys
from typing import Any

from grader.sandbox.child import KEEP_ENV
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


# What a runner starts with besides KEEP_ENV: how to find Python and the grader, where its own
# temporary folders go, and the tests' switch to the limits-only sandbox.
RUNNER_START_ENV = ("PYTHONPATH", "PYTHONHOME", "LD_LIBRARY_PATH", "VIRTUAL_ENV", "HOME",
                    "TMPDIR", "COURSE_GRADER_LIMITS_ONLY")


def runner_environment() -> dict[str, str]:
    """The environment a runner (or zygote) is started with: never the instructor's whole
    environment. Clearing ``os.environ`` later would not be enough — the strings a process
    starts with stay on its stack, where student code forked from it could read them."""
    names = (*KEEP_ENV, *RUNNER_START_ENV)
    return {**{k: os.environ[k] for k in names if k in os.environ}, **THREAD_ENV}


class RunnerError(RuntimeError):
    pass


class RunnerClient:
    """One runner: spawned as its own process, or (``connection``) forked for us by a zygote."""

    def __init__(self, connection: socket.socket | None = None) -> None:
        self.process: subprocess.Popen | None = None
        self.connection = connection
        if connection is None:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "grader.sandbox.runner"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=runner_environment(),
                close_fds=True,
            )
            assert self.process.stdin is not None and self.process.stdout is not None
            self.writer, self.reader = self.process.stdin, self.process.stdout
        else:
            self.writer = connection.makefile("wb")
            self.reader = connection.makefile("rb")
        self.closed = False
        hello = self._read(timeout=120)
        if not hello or not hello.get("ready"):
            raise RunnerError("the sandbox runner did not start")
        self.capabilities: dict[str, Any] = hello["capabilities"]
        self.pid: int = int(hello["pid"])

    def _read(self, timeout: float) -> Any:
        ready, _, _ = select.select([self.reader], [], [], timeout)
        if not ready:
            raise RunnerError("the sandbox runner stopped answering")
        return read_frame(self.reader)

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        try:
            write_frame(self.writer, request)
            reply = self._read(timeout=float(request["limits"]["wall_seconds"]) + 60)
        except (OSError, ValueError) as err:
            raise RunnerError(f"the sandbox runner failed: {err}") from err
        if reply is None:
            raise RunnerError("the sandbox runner exited")
        return reply

    def alive(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        return not self.closed

    def close(self) -> None:
        """Ask the runner to stop (end of input), then make sure; always reap it."""
        self.closed = True
        if self.process is None:  # a zygote's runner: it exits when its socket closes
            for stream in (self.writer, self.reader, self.connection):
                try:
                    stream.close()  # type: ignore[union-attr]
                except OSError:
                    pass
            return
        if self.process.poll() is None:
            try:
                self.writer.close()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
        self.process.wait()


class Zygote:
    """A preloaded runner that forks ready runners on request (for a pool's workers).

    Started in the process that creates the pool; the workers, forked from it, inherit the
    control socket and send one end of a fresh socket pair for each runner they need."""

    def __init__(self) -> None:
        control, remote = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "grader.sandbox.runner", "--zygote", str(remote.fileno())],
            stdin=subprocess.DEVNULL, pass_fds=(remote.fileno(),),
            env=runner_environment(),
        )
        remote.close()
        self.control = control
        self.owner = os.getpid()

    def runner(self) -> RunnerClient:
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            socket.send_fds(self.control, [b"r"], [theirs.fileno()])
        except OSError as err:
            mine.close()
            raise RunnerError(f"the runner zygote is gone: {err}") from err
        finally:
            theirs.close()
        return RunnerClient(mine)

    def close(self) -> None:
        self.control.close()
        if os.getpid() == self.owner:
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


_zygote: Zygote | None = None


def start_zygote() -> None:
    """Runners asked for from now on (here or in processes forked from here) are forked from
    one preloaded runner. Falls back to spawning runners if it cannot start."""
    global _zygote
    if _zygote is None:
        try:
            _zygote = Zygote()
        except OSError:
            _zygote = None


def stop_zygote() -> None:
    global _zygote
    if _zygote is not None:
        _zygote.close()
        _zygote = None


_runners: dict[int, RunnerClient] = {}


def get_runner() -> RunnerClient:
    """This process's runner (a forked pool worker starts its own)."""
    runner = _runners.get(os.getpid())
    if runner is None or not runner.alive():
        runner = None
        if _zygote is not None:
            try:
                runner = _zygote.runner()
            except RunnerError:
                runner = None
        runner = runner or RunnerClient()
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


__all__ = ["HEADER", "RunnerClient", "RunnerError", "Zygote", "get_runner", "reset_runner",
           "start_zygote", "stop_zygote"]
