"""Limits count a notebook, not a process: memory held in in-memory files and shared memory,
CPU of every process it starts; each notebook has its own IPC, network and abstract-socket
namespace; a sandbox that could not be set up is reported by the runner, not by the notebook.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from grader.grading import Limits
from grader.sandbox import cgroups, isolation
from grader.sandbox.client import RunnerClient, Zygote
from grader.values import decode

LINUX_ROOT = pytest.mark.skipif(
    not isolation.is_linux_root(), reason="needs root on Linux (control groups, namespaces)"
)


def _request(source: str, answers: list[str], limits: Limits) -> dict[str, Any]:
    return {"setup": "", "params": {}, "cells": [{"index": 1, "source": source}],
            "answers": answers, "limits": limits.as_request(), "hide": []}


@pytest.fixture(scope="module")
def runner() -> Any:
    client = RunnerClient()
    yield client
    client.close()


def _needs_cgroups(client: RunnerClient) -> None:
    """Skip where the runner says this machine has no usable control groups (a runner that
    does not report them at all is tested, and fails)."""
    if client.capabilities.get("cgroups", True) is False:
        pytest.skip(f"no control groups here: {client.capabilities.get('cgroups_problem')}")


MEMFDS = """
import os
files = []
for _ in range(40):  # 40 in-memory files of 15 MB: each under the file-size limit
    fd = os.memfd_create('answer')
    for _ in range(15):
        os.write(fd, b'x' * 2**20)
    files.append(fd)
done = True
"""

SYSV_SEGMENTS = """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
libc.shmdt.argtypes = [ctypes.c_void_p]
size = 100 * 2**20
for _ in range(5):  # five 100 MB segments, attached one at a time: never 200 MB mapped at once
    segment = libc.shmget(0, size, 0o1000 | 0o600)
    address = libc.shmat(segment, None, 0)
    ctypes.memset(address, 1, size)
    libc.shmdt(address)
done = True
"""


@LINUX_ROOT
@pytest.mark.parametrize("source", [MEMFDS, SYSV_SEGMENTS], ids=["memfd", "sysv-shm"])
def test_memory_outside_the_address_space_counts_for_the_notebook(
        runner: RunnerClient, source: str) -> None:
    """600 MB in in-memory files, or 500 MB of System V shared memory, against a 200 MB limit:
    each piece stays under the per-process limits, the notebook's total does not."""
    _needs_cgroups(runner)
    reply = runner.run(_request(source, ["done"], Limits(timeout=10, memory_mb=200)))
    assert reply["status"] == "error", reply
    assert "memory" in reply["reason"], reply["reason"]
    same_with_room = runner.run(_request(source, ["done"], Limits(timeout=20, memory_mb=1500)))
    assert same_with_room["status"] == "ok", same_with_room


SPINNERS = """
import os, time
for _ in range(4):  # four processes of 1.5 s of CPU each: 6 s for the notebook
    if os.fork() == 0:
        start = time.process_time()
        while time.process_time() - start < 1.5:
            pass
        os._exit(0)
for _ in range(4):
    os.wait()
done = True
"""


@LINUX_ROOT
def test_cpu_of_every_process_of_a_notebook_counts(runner: RunnerClient) -> None:
    _needs_cgroups(runner)
    started = time.monotonic()
    reply = runner.run(_request(SPINNERS, ["done"], Limits(timeout=3)))
    assert reply["status"] == "timeout", reply
    assert "CPU" in reply["reason"]
    assert time.monotonic() - started < 5.5


@LINUX_ROOT
def test_notebooks_graded_at_the_same_time_cannot_talk() -> None:
    """Two runners of one pool (forked from one zygote) grade at the same time: one notebook
    listens on an abstract Unix socket, the other cannot reach it."""
    listener = (
        "import socket, time\nserver = socket.socket(socket.AF_UNIX)\n"
        "server.bind('\\0course-grader-rendezvous')\nserver.listen(1)\nserver.settimeout(4)\n"
        "try:\n    server.accept()\n    heard = True\nexcept OSError:\n    heard = False\n"
    )
    caller = (
        "import socket, time\ntime.sleep(1)\nclient = socket.socket(socket.AF_UNIX)\n"
        "try:\n    client.connect('\\0course-grader-rendezvous')\n    reached = 'connected'\n"
        "except OSError as err:\n    reached = type(err).__name__\n"
    )
    zygote = Zygote()
    runners = [zygote.runner(), zygote.runner()]
    replies: dict[str, Any] = {}

    def grade(name: str, client: RunnerClient, source: str, answer: str) -> None:
        replies[name] = client.run(_request(source, [answer], Limits(timeout=8)))

    try:
        threads = [threading.Thread(target=grade, args=("listener", runners[0], listener,
                                                         "heard")),
                   threading.Thread(target=grade, args=("caller", runners[1], caller,
                                                        "reached"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        for client in runners:
            client.close()
        zygote.close()
    heard = decode(replies["listener"]["done"]["answers"]["heard"]["data"])
    reached = decode(replies["caller"]["done"]["answers"]["reached"]["data"])
    assert (heard, reached) == (False, "ConnectionRefusedError")


@LINUX_ROOT
def test_a_failed_sandbox_setup_is_reported_by_the_runner(runner: RunnerClient) -> None:
    """A private /tmp the kernel refuses to mount makes the setup fail before any cell: the
    reason comes from the child's private pipe to the runner (the notebook's own channel is
    never believed)."""
    request = _request("done = True", ["done"], Limits(timeout=3))
    request["limits"]["scratch_mb"] = -5
    reply = runner.run(request)
    assert reply["status"] == "error"
    assert reply["reason"].startswith("sandbox setup failed: OSError"), reply["reason"]
    assert "/tmp" in reply["reason"]


@LINUX_ROOT
def test_a_runners_control_groups_are_removed_when_it_ends() -> None:
    client = RunnerClient()
    pid = client.pid
    if not client.capabilities.get("cgroups"):
        client.close()
        pytest.skip(f"no control groups here: {client.capabilities.get('cgroups_problem')}")
    client.run(_request("done = True", ["done"], Limits(timeout=3)))
    own, mounts = cgroups._own_paths(), cgroups._mounts()
    key = "pids" if "pids" in mounts and "pids" in own else ""
    folder = Path(mounts[key], own[key].lstrip("/"), f"course-grader-{pid}")
    assert (folder / f"runner-{pid}").is_dir()
    client.close()
    assert not folder.exists()
    assert os.path.isdir(folder.parent)
