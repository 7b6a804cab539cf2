"""Start and talk to a runner (one per grading process, started on first use)."""

from __future__ import annotations

import atexit
import os
import select
import socket
import subprocess
import sys
import time
from typing import Any

from grader.sandbox.child import KEEP_ENV
from grader.sandbox.outcome import interpret
from grader.sandbox.wire import encode_frame, recv_frame, send_frame

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
        if connection is None:
            connection, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "grader.sandbox.runner", "--socket",
                     str(theirs.fileno())],
                    stdin=subprocess.DEVNULL, pass_fds=(theirs.fileno(),),
                    env=runner_environment(), close_fds=True,
                )
            finally:
                theirs.close()
        self.connection = connection
        self.closed = False
        hello = self._read(timeout=120)
        if not hello or not hello.get("ready"):
            raise RunnerError("the sandbox runner did not start")
        self.capabilities: dict[str, Any] = hello["capabilities"]
        self.pid: int = int(hello["pid"])

    def _read(self, timeout: float) -> Any:
        ready, _, _ = select.select([self.connection], [], [], timeout)
        if not ready:
            raise RunnerError("the sandbox runner stopped answering")
        return self._receive_report()

    def _receive_report(self) -> Any:
        """The runner's next frame (it never sends a descriptor; a stray one is closed)."""
        message, fd = recv_frame(self.connection)
        if fd is not None:
            os.close(fd)
        return message

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        """Grade-run one submission: the runner gets everything but its cells, and hands the
        child a socket whose other end is ours — the cells go out and the answers come back
        here, never through the runner."""
        limits = request["limits"]
        control = {key: value for key, value in request.items() if key != "cells"}
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            try:
                send_frame(self.connection, control, fd=theirs.fileno())
            finally:
                theirs.close()
            received, too_big, report = self._exchange(mine, request["cells"], limits)
        except (OSError, ValueError) as err:
            raise RunnerError(f"the sandbox runner failed: {err}") from err
        finally:
            mine.close()
        if report.get("status") != "ended":
            return report  # the runner could not start the child (e.g. the setup code failed)
        outcome = interpret(received, too_big, report, limits, request)
        outcome["seconds"] = report.get("seconds", 0.0)
        return outcome

    def _exchange(self, channel: socket.socket, cells: list[dict[str, Any]],
                  limits: dict[str, Any]) -> tuple[bytearray, bool, dict[str, Any]]:
        """Send the cells, collect what the child sends (up to the answer limit) until the
        runner reports how the child ended, then whatever was still in flight."""
        outgoing = encode_frame(cells)
        max_bytes = int(limits["result_bytes"])
        received, too_big, open_ = bytearray(), False, True
        channel.setblocking(False)
        deadline = time.monotonic() + float(limits["wall_seconds"]) + 60
        report = None
        while report is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RunnerError("the sandbox runner stopped answering")
            readers = [self.connection] + ([channel] if open_ else [])
            writers = [channel] if outgoing and open_ else []
            readable, writable, _ = select.select(readers, writers, [], remaining)
            if writable:
                try:
                    outgoing = outgoing[channel.send(outgoing):]
                except BlockingIOError:
                    pass
                except OSError:  # the child is gone before reading its cells
                    outgoing = b""
            if channel in readable:
                open_, too_big = self._receive(channel, received, max_bytes)
            if self.connection in readable:
                report = self._receive_report()
                if report is None:
                    raise RunnerError("the sandbox runner exited")
        while open_ and not too_big:  # the child and all it started have ended: drain
            readable, _, _ = select.select([channel], [], [], 0)
            if not readable:
                break
            open_, too_big = self._receive(channel, received, max_bytes)
        return received, too_big, report

    @staticmethod
    def _receive(channel: socket.socket, received: bytearray,
                 max_bytes: int) -> tuple[bool, bool]:
        """Read what is waiting into ``received``; (still open, over the limit)."""
        try:
            chunk = channel.recv(1 << 16)
        except BlockingIOError:
            return True, False
        except OSError:
            return False, False
        if not chunk:
            return False, False
        received += chunk
        if len(received) > max_bytes:
            try:  # the child's (and any helper's) next write fails, and it ends
                channel.shutdown(socket.SHUT_RD)
            except OSError:
                pass
            return False, True
        return True, False

    def alive(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        return not self.closed

    def close(self) -> None:
        """Close our end (the runner then stops); for a spawned runner make sure, and reap."""
        self.closed = True
        try:
            self.connection.close()
        except OSError:
            pass
        if self.process is None:  # a zygote's runner: it exits when its socket closes
            return
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
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


__all__ = ["RunnerClient", "RunnerError", "Zygote", "get_runner", "reset_runner",
           "start_zygote", "stop_zygote"]
