"""The warm fork server: ``python -m grader.sandbox.runner`` (started by :mod:`client`).

A fresh interpreter that imports pandas, numpy, pyarrow and altair once, then forks one child
per submission. It never receives tests, bundles or solutions — and not the submissions either:
a request holds only the public setup code, the parameters, the names of the answer variables
and the limits, plus (as a passed file descriptor) a socket on which the child itself receives
its code cells and sends its answers to the grading process. So nothing secret, and no other
student's work, is in the memory a child inherits. Protocol: :mod:`grader.sandbox.wire` frames
on a Unix socket.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import select
import shutil
import signal
import socket
import sys
import tempfile
import time
from typing import Any

from grader.sandbox import cgroups, isolation, rootfs
from grader.sandbox.child import (
    ChildPlan,
    ProgressPage,
    cell_in_progress,
    child_main,
    trim_environment,
)
from grader.sandbox.hugepages import collapse_memory
from grader.sandbox.outcome import cpu_limit
from grader.sandbox.wire import recv_frame, send_frame


def preload() -> None:
    """Import what submissions use, once, so each fork starts warm."""
    import altair  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401

    import grader.values  # noqa: F401

    speed_up_altair()
    warm_up()
    warm_up_dataset()


def warm_up_dataset() -> None:
    """Load the course dataset's tables into the loader's cache before any fork, so a child's
    ``members(...)`` is a lookup, not a CSV read (the engine works without the library)."""
    try:
        from minilat import dataset
        from minilat.dataset.load import assume_unchanged
    except Exception:
        return
    try:
        assume_unchanged()  # the runtime lives for one batch; students cannot write the data
    except Exception:
        return
    for name, args in (("forums", ()), ("memberships", ()), ("countries", ()), ("events", ()),
                       ("members", ("g7", 2000)), ("member_count", ("g7", 2000)),
                       ("forums_of", ("IND", 2000)), ("coverage", (["USA"], "population"))):
        try:
            getattr(dataset, name)(*args)
        except Exception:  # a warm-up only: the data may differ or be missing
            continue


def speed_up_altair() -> None:
    """Altair rebuilds a table of ~1,100 schema hashes on every ``encode(...)`` channel: it walks
    every schema class (about 1 ms per channel, and in a forked child each class visited is a
    copy-on-write page fault). The walk and the table depend only on the set of schema classes,
    fixed once Altair is imported, so the grading runtime computes both once. Results are
    unchanged; only the repeated work goes."""
    try:
        from altair.utils import schemapi
    except ImportError:
        return
    owners = [schemapi.SchemaBase] + [
        cls for cls in schemapi._subclasses(schemapi.SchemaBase)
        if "_default_wrapper_classes" in vars(cls)
    ]
    build = schemapi._FromDict.__init__
    tables: dict[int, tuple[tuple[type, ...], Any]] = {}
    for owner in dict.fromkeys(owners):
        classes = tuple(owner._default_wrapper_classes())
        converter = schemapi._FromDict(classes)
        tables[id(classes)] = (classes, converter.class_dict)
        owner._default_wrapper_classes = classmethod(lambda cls, fixed=classes: fixed)

    def cached_init(self: Any, wrapper_classes: Any, /) -> None:
        known = tables.get(id(wrapper_classes))
        if known is not None and known[0] is wrapper_classes:
            self.class_dict = known[1]
        else:
            build(self, wrapper_classes)

    schemapi._FromDict.__init__ = cached_init


def warm_up() -> None:
    """Run typical pandas/Altair/Arrow work once: lazy imports and caches then live in the
    parent, so each forked child skips them (measured: 140 ms -> 20 ms per submission)."""
    import altair as alt
    import pandas as pd

    from grader.values import encode

    frame = pd.DataFrame({"name": ["a", "b", "c", "a"], "year": [1990, 2001, 2015, 2020],
                          "size": [3.0, 5.0, 7.0, 11.0]})
    grouped = frame.groupby("name", as_index=False)["size"].sum()
    merged = frame.merge(grouped, on="name").sort_values("year").query("year > 1995")
    merged["size_x"].describe()
    frame["name"].value_counts()
    frame.pivot_table(index="name", values="size", aggfunc="mean")
    pd.to_datetime(frame["year"].astype(str))
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("name:N", title="Name"), y="sum(size):Q", color="name", tooltip=["name", "size"]
    ).properties(title="warm-up")
    layered = chart + alt.Chart(frame).mark_line(point=True).encode(x="year:O", y="size:Q")
    for value in (frame, frame["size"], chart, layered, {"a": [1, 2.5, "x"]}):
        encode(value)


def _data_paths() -> list[str]:
    """The course data folder and the bibliographies its loader checks source keys against,
    which student code reads through `minilat.dataset`."""
    try:
        from minilat.dataset.bib import bib_files
        from minilat.dataset.schema import resolve_data_dir
    except ImportError:
        return []
    data = resolve_data_dir()
    return [str(data), *(str(path) for path in bib_files(data))]


def _private_paths() -> list[str]:
    """Instructor-only paths to cover should the allow-list show them (a repository kept inside
    an allowed tree): the course's exercise sources and the folder grading was started from."""
    grader = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    return [os.path.join(os.path.dirname(grader), "exercises"), os.getcwd()]


def _noop(*_args: Any, **_kwargs: Any) -> None:
    """check() while grading: the grader runs the tests itself."""


class Runner:
    """Forks and watches one child per submission. As root on Linux it first moves into its
    allow-list root (inherited by every child, and by the runners a zygote forks) and opens the
    control groups that count each notebook's process tree."""

    def __init__(self) -> None:
        self.root = isolation.is_linux_root()
        self.allowed = rootfs.allowed_paths(_data_paths()) if self.root else []
        # Allowed paths under /tmp (a checkout there) are bound back into each private /tmp.
        self.keep = isolation.temporary_bind_plan(
            [os.path.realpath(p) for p in self.allowed] or [*sys.path, *_data_paths()])
        self.groups: cgroups.GraderGroups | None = None
        self.groups_problem = "not running as root on Linux"
        if self.root:
            self.groups, self.groups_problem = cgroups.open_groups(
                f"course-grader-{os.getpid()}")
        self.namespace_problem = (isolation.probe_namespaces(self.allowed, self.keep)
                                  if self.root else "not running as root on Linux")
        if self.namespace_problem == "":
            try:
                isolation.unshare(isolation.CLONE_NEWNS)
                rootfs.enter_allow_list_root(self.allowed, _private_paths())
                isolation.leave_network()
            except OSError as err:
                self.namespace_problem = f"the allow-list root could not be built: {err}"
        self.templates: dict[str, dict[str, Any]] = {}
        self.progress = ProgressPage()
        self.group: cgroups.NotebookGroup | None = None
        self.group_owner = -1
        self.covered: dict[tuple[str, ...], list[str]] = {}

    def capabilities(self) -> dict[str, Any]:
        return {
            "platform": sys.platform,
            "root": self.root,
            "unprivileged_uid": self.root,
            "namespaces": not self.namespace_problem,
            "namespaces_problem": self.namespace_problem,
            "allow_list": not self.namespace_problem,
            "cgroups": self.groups is not None,
            "cgroups_problem": self.groups_problem if self.groups is None else "",
        }

    def template(self, setup: str, params: dict[str, Any]) -> dict[str, Any]:
        key = hashlib.sha256(json.dumps([setup, params], sort_keys=True).encode()).hexdigest()
        if key not in self.templates:
            namespace: dict[str, Any] = {"__name__": "__main__", "params": dict(params),
                                         "check": _noop, "check_all": _noop}
            exec(compile(setup, "<setup>", "exec"), namespace)  # noqa: S102 - public setup
            self.templates[key] = namespace
        return self.templates[key]

    def _covered(self, hide: list[str]) -> list[str]:
        """The request's hidden paths the allow-list still shows (normally none)."""
        key = tuple(hide)
        if key not in self.covered:
            self.covered[key] = rootfs.visible_hidden(list(hide), self.allowed)
        return self.covered[key]

    def _notebook_group(self) -> cgroups.NotebookGroup | None:
        """This runner process's control group (runners forked from a zygote make their own)."""
        if self.groups is None:
            return None
        if self.group is None or self.group_owner != os.getpid():
            try:
                self.group = self.groups.notebook_group()
                self.group_owner = os.getpid()
            except OSError as err:
                self.groups, self.groups_problem = None, f"cannot use a control group: {err}"
                return None
        return self.group

    def run(self, request: dict[str, Any], channel: int) -> dict[str, Any]:
        """Fork a child for one submission, whose cells and answers travel on ``channel`` (a
        socket to the grading process, closed here at once); wait for it within the limits.
        The reply says how the child ended, never what it said — except why its sandbox could
        not be set up, which the child writes on a pipe of its own and closes before any of
        the submission's code runs."""
        report_read = report_write = -1
        try:
            try:
                template = self.template(request["setup"], request["params"])
            except Exception as err:
                return {"status": "error", "reason": f"the exercise setup code failed: {err}"}
            limits = request["limits"]
            namespaces = self.namespace_problem == ""
            scratch = None if namespaces else tempfile.mkdtemp(prefix="course-submission-")
            group = self._notebook_group()
            if group is not None:
                group.prepare(int(limits["memory_mb"]) * 2**20, int(limits["processes"]))
            report_read, report_write = os.pipe()
            plan = ChildPlan(namespaces, scratch, self.keep,
                             self._covered(request["hide"]) if namespaces else [],
                             isolation.address_space_bytes(), self.root, group is not None,
                             report_write)
            progress = self.progress.reset()
            started = time.monotonic()
            # Objects alive now are never collected in the child: the collector then does not
            # touch (and copy-on-write duplicate) every page the runner owns. About 3x faster.
            gc.freeze()
            pid = os.fork()
            if pid == 0:
                child_main(channel, progress, request, template, plan)
                os._exit(70)  # child_main never returns
        finally:
            os.close(channel)
            if report_write >= 0:
                os.close(report_write)
        try:
            status, stop = self._wait(pid, started, limits, group)
            sandbox_failed = _read_report(report_read)
            memory_exceeded = group.memory_exceeded() if group is not None else False
        finally:
            os.close(report_read)
            self._cleanup(pid, scratch, group)
        return {"status": "ended", "wait_status": status, "stop": stop,
                "last_cell": cell_in_progress(progress),
                "sandbox_failed": sandbox_failed, "memory_exceeded": memory_exceeded,
                "seconds": round(time.monotonic() - started, 4)}

    def _wait(self, pid: int, started: float, limits: dict[str, Any],
              group: cgroups.NotebookGroup | None) -> tuple[int, str]:
        """The child's wait status, and why it was stopped ("timeout", "cpu") if it was. CPU
        counts the notebook's whole process tree (its control group) where there is one."""
        deadline = started + float(limits["wall_seconds"])
        most_cpu = cpu_limit(limits)
        pidfd = os.pidfd_open(pid) if hasattr(os, "pidfd_open") else None
        # Until the child could have spent its CPU limit there is nothing to check: one sleep
        # (most children end within it) instead of a wake-up every 50 ms — each wake-up writes
        # to memory the child shares, splitting the runner's huge pages (see hugepages.py).
        first_check = started + most_cpu / 2
        stop = ""
        try:
            while True:
                now = time.monotonic()
                remaining = deadline - now
                if remaining <= 0:
                    stop = "timeout"
                    break
                if pidfd is not None:
                    select.select([pidfd], [], [], min(remaining, max(first_check - now, 0.05)))
                else:
                    time.sleep(min(remaining, 0.01))
                done_pid, status = os.waitpid(pid, os.WNOHANG)
                if done_pid == pid:
                    return status, ""
                if time.monotonic() - started >= most_cpu / 2 \
                        and self._cpu_used(pid, group) > most_cpu:
                    stop = "cpu"
                    break
        finally:
            if pidfd is not None:
                os.close(pidfd)
        self._kill(pid)
        _, status = os.waitpid(pid, 0)
        return status, stop

    def _cpu_used(self, pid: int, group: cgroups.NotebookGroup | None) -> float:
        """CPU seconds of the notebook: its control group's, else (root, no control groups)
        the sum over the processes of its uid, else the child's own."""
        if group is not None:
            return group.cpu_seconds()
        if self.root:
            return sum(isolation.cpu_seconds_of(p)
                       for p in isolation.processes_of(isolation.BASE_UID + pid))
        return isolation.cpu_seconds_of(pid)

    def _kill(self, pid: int) -> None:
        for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
            try:
                target()
            except OSError:
                pass

    def _cleanup(self, pid: int, scratch: str | None,
                 group: cgroups.NotebookGroup | None) -> None:
        """Kill whatever the submission left running, reap it, remove its scratch folder.

        The runner is the subreaper of everything a submission starts, so "no child left" means
        nothing survived, and the common case costs one waitpid instead of a /proc scan."""
        if isolation.reap_exited():
            self._kill(pid)
            if group is not None:
                group.kill_all()
            if self.root:
                isolation.kill_uid(isolation.BASE_UID + pid)
            isolation.reap_exited()
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)

    def close(self) -> None:
        """Remove this runner process's control group (the zygote also removes the grader's)."""
        if self.group is not None and self.group_owner == os.getpid():
            self.group.remove()
            self.group = None


def _read_report(fd: int) -> str:
    """What the child wrote on its setup pipe before running the submission ("" if fine)."""
    os.set_blocking(fd, False)
    chunks = []
    try:
        while chunk := os.read(fd, 4096):
            chunks.append(chunk)
            if sum(map(len, chunks)) > 4096:
                break
    except BlockingIOError:
        pass
    return b"".join(chunks)[:2000].decode("utf-8", "replace")


# After this many submissions a runner backs its warm runtime with huge pages (hugepages.py):
# copying ~48 MB costs ~0.18 s of CPU once and saves ~3 ms per later submission, so a runner of
# a small class never pays it and one of a large class earns it back within ~60 notebooks.
HUGE_PAGES_AFTER = 32


def serve(connection: socket.socket, runner: Runner) -> None:
    """Answer one client's requests, one at a time, until it closes its end."""
    runner._notebook_group()  # before saying what the sandbox has
    send_frame(connection, {"ready": True, "capabilities": runner.capabilities(),
                            "pid": os.getpid()})
    served = 0
    while True:
        request, channel = recv_frame(connection)
        if request is None:
            runner.close()
            return
        if channel is None:
            reply = {"status": "error", "reason": "runner failure: no channel for the submission"}
        else:
            try:
                reply = runner.run(request, channel)
            except Exception as err:  # keep serving; the client records an error for this one
                reply = {"status": "error",
                         "reason": f"runner failure: {type(err).__name__}: {err}"}
        send_frame(connection, reply)
        served += 1
        if served == HUGE_PAGES_AFTER:  # between submissions: no child shares the memory now
            collapse_memory()


def serve_as_zygote(control: socket.socket, runner: Runner) -> None:
    """Fork a ready runner for every connection a grading worker sends (one fd per message).

    Preloading takes ~1.6 s of CPU; a pool of N workers then pays it once instead of N times.
    The forked runner is exactly what a fresh runner would be after preloading; it inherits no
    secret either (this process never receives tests). When the control socket closes it waits
    for its runners (they end when their clients close), so their CPU time is accounted to it."""
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 1, 1)
        except OSError:
            break
        if not message:
            break
        isolation.reap_exited()
        if not fds:
            continue
        if os.fork() == 0:
            control.close()
            isolation.become_subreaper()
            try:
                serve(socket.socket(fileno=fds[0]), runner)
            finally:
                os._exit(0)
        os.close(fds[0])
    while True:
        try:
            os.wait()
        except ChildProcessError:
            break
    if runner.groups is not None:
        runner.groups.remove()


def main() -> None:
    # Frames travel on the socket named by ``--socket FD`` (one client) or, for a zygote, on
    # the sockets handed to it through ``--zygote FD``; stray prints go to stderr.
    mode, fd = sys.argv[1], int(sys.argv[2])
    connection = socket.socket(fileno=fd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    preload()
    tempfile.gettempdir()  # fixed now, from $TMPDIR, for the scratch folders made without it
    runner = Runner()
    trim_environment()  # after the runner has read its settings; children start from this
    if mode == "--zygote":
        serve_as_zygote(connection, runner)
    else:
        isolation.become_subreaper()
        serve(connection, runner)
        if runner.groups is not None:
            runner.groups.remove()
    # Done: skip the interpreter's teardown of pandas & co. (~0.3 s that the end of every
    # batch waited for); nothing is left to flush but stderr.
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
