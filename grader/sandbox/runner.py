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

from grader.sandbox import isolation
from grader.sandbox.child import ProgressPage, cell_in_progress, child_main, trim_environment
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


def _data_dirs() -> list[str]:
    """The course data folder, which student code reads through `minilat.dataset`."""
    try:
        from minilat.dataset.schema import resolve_data_dir
    except ImportError:
        return []
    return [str(resolve_data_dir())]


def _noop(*_args: Any, **_kwargs: Any) -> None:
    """check() while grading: the grader runs the tests itself."""


class Runner:
    def __init__(self) -> None:
        self.namespace_problem = isolation.probe_namespaces()
        if self.namespace_problem == "":
            # Once for all children: they inherit this empty network namespace.
            isolation.leave_network()
        self.root = isolation.is_linux_root()
        self.templates: dict[str, dict[str, Any]] = {}
        # Python must stay importable for the unprivileged child (lazy imports, codecs).
        self.expose = isolation.exposure_plan(sys.path) if self.root else {}
        self.keep = isolation.temporary_bind_plan([*sys.path, *_data_dirs()])
        self.progress = ProgressPage()
        self.sealed_for: tuple[str, ...] | None = None  # see _sealed
        self.seal_failed = False

    def capabilities(self) -> dict[str, Any]:
        return {
            "platform": sys.platform,
            "root": self.root,
            "unprivileged_uid": self.root,
            "namespaces": not self.namespace_problem,
            "namespaces_problem": self.namespace_problem,
        }

    def template(self, setup: str, params: dict[str, Any]) -> dict[str, Any]:
        key = hashlib.sha256(json.dumps([setup, params], sort_keys=True).encode()).hexdigest()
        if key not in self.templates:
            namespace: dict[str, Any] = {"__name__": "__main__", "params": dict(params),
                                         "check": _noop, "check_all": _noop}
            exec(compile(setup, "<setup>", "exec"), namespace)  # noqa: S102 - public setup
            self.templates[key] = namespace
        return self.templates[key]

    def _sealed(self, hide: list[str]) -> bool:
        """Whether the runner's own mount namespace already is what a child needs for `hide`:
        every mount read-only, Python's folders exposed, `hide` covered. Then a child only adds
        its private /tmp (~1 ms and ~120 page faults less per submission). The runner seals
        once, at its first request (after building that request's setup namespace, which may
        still write): a runner serves one batch, whose requests all hide the same paths. A
        request hiding other paths gets the whole setup in its child, on top of the runner's —
        never less hidden."""
        key = tuple(hide)
        if self.sealed_for is None and not self.seal_failed:
            try:
                isolation.unshare(isolation.CLONE_NEWNS)
                isolation.seal_mounts(list(hide), self.expose)
                self.sealed_for = key
            except OSError:  # children then seal their own namespaces, as before
                self.seal_failed = True
        return self.sealed_for == key

    def run(self, request: dict[str, Any], channel: int) -> dict[str, Any]:
        """Fork a child for one submission, whose cells and answers travel on ``channel`` (a
        socket to the grading process, closed here at once); wait for it within the limits.
        The reply says how the child ended, never what it said."""
        try:
            try:
                template = self.template(request["setup"], request["params"])
            except Exception as err:
                return {"status": "error", "reason": f"the exercise setup code failed: {err}"}
            limits = request["limits"]
            scratch = None
            sealed = False
            if self.namespace_problem == "":
                sealed = self._sealed(request["hide"])
            else:
                scratch = tempfile.mkdtemp(prefix="course-submission-")
            progress = self.progress.reset()
            base_bytes = isolation.address_space_bytes()
            started = time.monotonic()
            # Objects alive now are never collected in the child: the collector then does not
            # touch (and copy-on-write duplicate) every page the runner owns. About 3x faster.
            gc.freeze()
            pid = os.fork()
            if pid == 0:
                child_main(channel, progress, request, template,
                           self.namespace_problem == "", scratch, self.expose, self.keep,
                           base_bytes, self.root, sealed)
                os._exit(70)  # child_main never returns
        finally:
            os.close(channel)
        try:
            status, stop = self._wait(pid, started, limits)
        finally:
            self._cleanup(pid, scratch)
        return {"status": "ended", "wait_status": status, "stop": stop,
                "last_cell": cell_in_progress(progress),
                "seconds": round(time.monotonic() - started, 4)}

    def _wait(self, pid: int, started: float, limits: dict[str, Any]) -> tuple[int, str]:
        """The child's wait status, and why it was stopped ("timeout", "cpu") if it was."""
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
                        and isolation.cpu_seconds_of(pid) > most_cpu:
                    stop = "cpu"
                    break
        finally:
            if pidfd is not None:
                os.close(pidfd)
        self._kill(pid)
        _, status = os.waitpid(pid, 0)
        return status, stop

    def _kill(self, pid: int) -> None:
        for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
            try:
                target()
            except OSError:
                pass

    def _cleanup(self, pid: int, scratch: str | None) -> None:
        """Kill whatever the submission left running, reap it, remove its scratch folder.

        The runner is the subreaper of everything a submission starts, so "no child left" means
        nothing survived, and the common case costs one waitpid instead of a /proc scan."""
        if isolation.reap_exited():
            self._kill(pid)
            if self.root:
                isolation.kill_uid(isolation.BASE_UID + pid)
            isolation.reap_exited()
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


# After this many submissions a runner backs its warm runtime with huge pages (hugepages.py):
# copying ~48 MB costs ~0.18 s of CPU once and saves ~3 ms per later submission, so a runner of
# a small class never pays it and one of a large class earns it back within ~60 notebooks.
HUGE_PAGES_AFTER = 32


def serve(connection: socket.socket, runner: Runner) -> None:
    """Answer one client's requests, one at a time, until it closes its end."""
    send_frame(connection, {"ready": True, "capabilities": runner.capabilities(),
                            "pid": os.getpid()})
    served = 0
    while True:
        request, channel = recv_frame(connection)
        if request is None:
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
            return


def main() -> None:
    # Frames travel on the socket named by ``--socket FD`` (one client) or, for a zygote, on
    # the sockets handed to it through ``--zygote FD``; stray prints go to stderr.
    mode, fd = sys.argv[1], int(sys.argv[2])
    connection = socket.socket(fileno=fd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    preload()
    runner = Runner()
    tempfile.gettempdir()  # fixed now, from $TMPDIR, for the scratch folders made without it
    trim_environment()  # after the runner has read its settings; children start from this
    if mode == "--zygote":
        serve_as_zygote(connection, runner)
    else:
        isolation.become_subreaper()
        serve(connection, runner)
    # Done: skip the interpreter's teardown of pandas & co. (~0.3 s that the end of every
    # batch waited for); nothing is left to flush but stderr.
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
