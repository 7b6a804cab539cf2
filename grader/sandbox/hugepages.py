"""Back a runner's warm runtime with huge pages, so that the fork per submission is cheaper.

Forking copies one page-table entry per 4 KB page of the runner's private memory (~95 MB of
Python objects, pandas, Arrow, Altair: ~24,000 entries), and the child's exit tears them all
down again; on the course's 2-core VM that is about a fifth of a submission's cost. A 2 MB huge
page needs one entry instead of 512. ``MADV_COLLAPSE`` (Linux 6.1+) rebuilds each 2 MB-aligned
stretch of private anonymous memory as one transparent huge page, whatever the machine's THP
policy says for new memory. The contents do not change; a child's write into a huge page still
copies only 4 KB (the kernel splits the child's mapping, not the runner's).

A runner does it after its first submissions (``runner.HUGE_PAGES_AFTER``): it collapses ~48 MB
(~0.18 s of CPU); the blocks it writes to itself while a child is alive are split again, down to
24-32 MB by the end of a 1,000-notebook batch (DESIGN.md has the measurements).

Best effort: a block another process is copying right now is retried; one the kernel refuses
(an old kernel, memory marked not to, nothing in it) stays as it was. Nothing happens off Linux.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import sys

MADV_COLLAPSE = 25
HUGE = 1 << 21

_libc = None
if sys.platform == "linux":
    _libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    _libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]


def private_anonymous_blocks(maps: str) -> list[tuple[int, int]]:
    """The writable private anonymous mappings (Python's heap and its allocators' arenas) in a
    /proc/PID/maps text, trimmed to whole 2 MB blocks: ``(start, end)`` address pairs."""
    blocks = []
    for line in maps.splitlines():
        fields = line.split()
        if len(fields) < 5 or fields[1] != "rw-p":
            continue
        if len(fields) > 5 and fields[5] != "[heap]":
            continue  # files, the stack, the vdso: not ours to rearrange
        start, end = (int(x, 16) for x in fields[0].split("-"))
        start = (start + HUGE - 1) & ~(HUGE - 1)
        end &= ~(HUGE - 1)
        if end > start:
            blocks.append((start, end))
    return blocks


def huge_page_bytes(pid: int | str = "self") -> int:
    """Anonymous memory of a process mapped as huge pages, in bytes (0 if unknown)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("AnonHugePages:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def collapse_memory(attempts: int = 3) -> None:
    """Collapse this process's private anonymous memory into huge pages (best effort)."""
    if _libc is None:
        return
    try:
        with open("/proc/self/maps", encoding="ascii") as handle:
            maps = handle.read()
    except OSError:
        return
    for start, end in private_anonymous_blocks(maps):
        for _ in range(attempts):
            if _libc.madvise(start, end - start, MADV_COLLAPSE) == 0:
                break
            if ctypes.get_errno() != errno.EAGAIN:
                break
