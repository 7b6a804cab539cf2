"""What a forked child does with one submission: isolate, limit, run its cells, send answers.

The child's own channel is a socket to the grading process (see :mod:`grader.sandbox.wire`):
it first reads its code cells there, and at the end sends ``{"done": {...}}`` with the encoded
answers as a JSON line. The runner that forked it never sees either. Before each cell the child
writes the cell's number into a page of memory shared with the runner (no system call, no
wake-up: the runner reads it only to say where a timeout or crash happened). Student code can
write to both; that only lets it send plain data — the same as assigning variables — because
all scoring happens in the checker process.
"""

from __future__ import annotations

import json
import mmap
import os
import re
import resource
import struct
import sys
import time
from dataclasses import dataclass
from typing import Any

from grader.sandbox import cgroups, isolation
from grader.sandbox.wire import read_frame_from_fd, write_all
from grader.values import Refused, encode

MAGIC_LINE = re.compile(r"^\s*[%!]")
OUTPUT_KEEP = 4096
# The shared page holds one signed 64-bit number: the cell running now, -1 before the first.
CELL_SLOT = struct.Struct("<q")
NO_CELL = -1


class ProgressPage:
    """Memory a runner shares with each child it forks (MAP_SHARED, anonymous): one page per
    runner *process*. Runners forked from the zygote would otherwise share the zygote's page and
    read each other's children, so a process that did not create the page makes its own."""

    def __init__(self) -> None:
        self._owner = -1
        self._page: mmap.mmap | None = None

    def page(self) -> mmap.mmap:
        if self._page is None or self._owner != os.getpid():
            self._page = mmap.mmap(-1, mmap.PAGESIZE)
            self._owner = os.getpid()
        return self._page

    def reset(self) -> mmap.mmap:
        """The page, saying "no cell yet" (before each fork)."""
        page = self.page()
        CELL_SLOT.pack_into(page, 0, NO_CELL)
        return page


def cell_in_progress(page: mmap.mmap) -> int | None:
    index = CELL_SLOT.unpack_from(page, 0)[0]
    return None if index == NO_CELL else index


class CappedOutput:
    """A stdout/stderr stand-in that keeps the first few KB and counts the rest."""

    encoding = "utf-8"

    def __init__(self) -> None:
        self.kept: list[str] = []
        self.size = 0

    def write(self, text: Any) -> int:
        text = str(text)
        if self.size < OUTPUT_KEEP:
            self.kept.append(text[: OUTPUT_KEEP - self.size])
        self.size += len(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def text(self) -> str:
        return "".join(self.kept)


# What json.dumps raises for data it cannot write (an int past Python's digit limit, ...).
NOT_JSON = (ValueError, TypeError, OverflowError, RecursionError)


def _send_done(fd: int, done: dict[str, Any], result_bytes: int) -> None:
    """Send the answers. Should one answer not turn into JSON after all (say, a chart spec
    holding an integer of 5,000 digits), or make the message larger than the grader accepts (a
    list of a million strings), only that answer is refused, not all of them. A refusal is a
    code the grading process words itself (grader.values.REFUSALS)."""
    answers = done["answers"]
    try:
        data = json.dumps({"done": done})
    except NOT_JSON:
        for name, entry in answers.items():
            try:
                json.dumps(entry)
            except NOT_JSON as err:
                answers[name] = {"state": "refused", "code": "not-json",
                                 "type": type(err).__name__}
        data = json.dumps({"done": done})
    room = result_bytes - 1024  # the grader's limit, less room for the line's end
    if len(data) > room:  # JSON here is ASCII: characters are bytes
        sizes = {name: len(json.dumps(entry)) for name, entry in answers.items()}
        for name in sorted(sizes, key=sizes.__getitem__, reverse=True):
            answers[name] = {"state": "refused", "code": "too-large"}
            data = json.dumps({"done": done})
            if len(data) <= room:
                break
    write_all(fd, (data + "\n").encode("utf-8"))


def _quiet_fds(*keep: int) -> None:
    """Stdin/stdout/stderr to /dev/null; close every other inherited descriptor."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    start = 3
    for fd in sorted(k for k in keep if k >= 3):
        os.closerange(start, fd)
        start = fd + 1
    os.closerange(start, 1 << 16)


KEEP_ENV = ("PATH", "LANG", "LC_ALL", "TZ", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
            "MKL_NUM_THREADS", "ARROW_DEFAULT_MEMORY_POOL", "MINILAT_GRADING", "MINILAT_DATA_DIR")


def trim_environment() -> None:
    """The instructor's environment (tokens, paths) is none of the submission's business. The
    runner trims its own once, so a child only has to say where home is."""
    kept = {k: os.environ[k] for k in KEEP_ENV if k in os.environ}
    os.environ.clear()
    os.environ.update(kept)


def _clean_environment(home: str) -> None:
    if not set(os.environ) <= {*KEEP_ENV, "HOME", "TMPDIR"}:
        trim_environment()
    os.environ.update(HOME=home, TMPDIR=home)


def _write_submission_copy(path: str, cells: list[dict[str, Any]], owner: int | None) -> None:
    """The submission's code as one file in its scratch folder, for the student's code to read
    if it wants. A lone surrogate in a cell (valid JSON) is written escaped: it must not fail
    the whole notebook (that cell alone then fails to compile)."""
    text = "".join(f"# --- cell {cell['index']} ---\n{cell['source']}\n" for cell in cells)
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        write_all(handle, text.encode("utf-8", "backslashreplace"))
        if owner is not None:
            os.fchown(handle, owner, owner)
    finally:
        os.close(handle)


def strip_magics(source: str) -> str:
    """IPython magics and shell escapes are not Python; comment them out."""
    return "\n".join(
        "# " + line if MAGIC_LINE.match(line) else line for line in source.splitlines()
    )


def encode_answers(namespace: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """Each answer as data, ``{"state": "missing"}``, or a refusal: a code and at most a type
    name (only one the grader accepts; grader.values.type_name), never the value's own text."""
    from grader.values import REFUSALS, type_name

    answers: dict[str, Any] = {}
    for name in names:
        if name not in namespace:
            answers[name] = {"state": "missing"}
            continue
        try:
            answers[name] = {"state": "value", "data": encode(namespace[name])}
            continue
        except Refused as err:
            code = err.code if type(err.code) is str and err.code in REFUSALS else "unreadable"
            kind = type_name(err.type_name)
        except BaseException as err:  # anything the value's own code raises
            code, kind = "unreadable", type_name(type(err).__name__)
        answers[name] = {"state": "refused", "code": code, **({"type": kind} if kind else {})}
    return answers


def run_cells(cells: list[dict[str, Any]], namespace: dict[str, Any],
              progress: mmap.mmap) -> list[dict]:
    errors = []
    for cell in cells:
        CELL_SLOT.pack_into(progress, 0, int(cell["index"]))
        try:
            code = compile(strip_magics(cell["source"]), f"<cell {cell['index']}>", "exec")
            exec(code, namespace)  # noqa: S102 - untrusted code, inside the sandbox
        except BaseException as err:  # SystemExit, MemoryError, anything: note it, go on
            errors.append({"cell": cell["index"], "error": f"{type(err).__name__}: {err}"[:300]})
    return errors


@dataclass
class ChildPlan:
    """What the runner prepared for one child (see Runner.run)."""

    namespaces: bool  # the full sandbox: private namespaces in the allow-list root
    scratch: str | None  # its scratch folder when there are no namespaces
    keep: dict[str, list[str]]  # allowed paths under the temporary folders
    cover: list[str]  # paths to hide that the allow-list still shows
    base_bytes: int | None  # the runner's address space at the fork (RLIMIT_AS counts from it)
    root: bool  # whether to become an unprivileged uid of its own
    in_group: bool = False  # born in its runner's control group (see grader.sandbox.cgroups)
    report: int = -1  # pipe to the runner for a failed setup; closed before the code runs


def _set_up(fd: int, plan: ChildPlan, limits: dict[str, Any],
            cells: list[dict[str, Any]]) -> None:
    """Everything between the fork and the submission's first cell (the child is root)."""
    os.setsid()
    if plan.in_group:
        cgroups.child_oom_score()
    _quiet_fds(fd, plan.report)
    uid = isolation.BASE_UID + os.getpid()
    scratch = plan.scratch
    if plan.namespaces:
        isolation.private_namespaces(int(limits["scratch_mb"]), plan.keep, plan.cover)
        scratch = isolation.SCRATCH
        os.mkdir(scratch, 0o700)
    if scratch is None:
        raise RuntimeError("no scratch folder")
    if plan.root:
        os.chown(scratch, uid, uid)
    _write_submission_copy(os.path.join(scratch, "submission.py"), cells,
                           uid if plan.root else None)
    os.chdir(scratch)
    _clean_environment(scratch)
    memory = plan.base_bytes + int(limits["memory_mb"]) * 2**20 if plan.base_bytes else None
    isolation.set_limits(
        limits["cpu_seconds"], memory, int(limits["processes"]), int(limits["output_bytes"])
    )
    if plan.root:
        isolation.drop_privileges(uid)


def child_main(fd: int, progress: mmap.mmap, request: dict[str, Any], template: dict[str, Any],
               plan: ChildPlan) -> None:
    """Entry point in the forked child. Never returns.

    ``fd`` is the submission's socket to the grading process; ``request`` holds what the runner
    knows (setup, limits, answer names, hidden paths); ``plan`` what the runner prepared. A
    setup failure is reported on ``plan.report``, which the submission's code never sees: the
    child closes it before running the first cell, so student code cannot forge one."""
    clock = [time.perf_counter()]
    faults = [resource.getrusage(resource.RUSAGE_SELF).ru_minflt]
    try:
        cells = read_frame_from_fd(fd)
        if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
            raise ValueError("malformed cells")
        _set_up(fd, plan, request["limits"], cells)
        os.close(plan.report)
    except BaseException as err:
        try:
            write_all(plan.report, f"{type(err).__name__}: {err}".encode("utf-8", "replace"))
        except OSError:
            pass
        os._exit(3)
    limits = request["limits"]
    try:
        output = CappedOutput()
        sys.stdout = sys.stderr = output
        namespace = dict(template)
        clock.append(time.perf_counter())
        faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt)
        errors = run_cells(cells, namespace, progress)
        clock.append(time.perf_counter())
        faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt)
        answers = encode_answers(namespace, request["answers"])
        clock.append(time.perf_counter())
        faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt)
        phases = ("sandbox", "cells", "encode")
        # Milliseconds and page faults (mostly copy-on-write of the runner's pages) per phase.
        _send_done(fd, {"answers": answers, "cell_errors": errors,
                        "output": output.text(), "output_size": output.size,
                        "ms": {k: round((b - a) * 1000, 2)
                               for k, a, b in zip(phases, clock, clock[1:], strict=False)},
                        "faults": {k: b - a
                                   for k, a, b in zip(phases, faults, faults[1:], strict=False)}},
                   int(limits["result_bytes"]))
    except BaseException:  # the submission broke the pipe or the encoder: no answers
        os._exit(4)
    os._exit(0)
