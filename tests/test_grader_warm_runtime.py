"""The runner's warm-up shortcuts change speed only, never results."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT


def test_altair_wrapper_table_shortcut_keeps_every_spec_identical() -> None:
    # In a fresh interpreter: the shortcut patches Altair for the whole process.
    code = textwrap.dedent("""
        import json
        import altair as alt
        import pandas as pd
        from altair.utils import schemapi

        def specs():
            frame = pd.DataFrame({"a": ["x", "y"], "b": [1, 2], "c": [0.5, 1.5]})
            bar = alt.Chart(frame).mark_bar().encode(
                x=alt.X("a:N", title="A"), y="sum(b):Q", color="a", tooltip=["a", "b"])
            line = alt.Chart(frame).mark_line(point=True).encode(x="a", y=alt.Y("c", stack=None))
            out = [bar.to_dict(), (bar + line).to_dict(), alt.hconcat(bar, line).to_dict(),
                   alt.Chart.from_dict(bar.to_dict()).to_dict(),
                   alt.X.from_dict({"field": "a", "type": "nominal"}).to_dict()]
            return json.dumps(out, sort_keys=True)

        before = specs()
        from grader.sandbox.runner import speed_up_altair
        speed_up_altair()
        assert specs() == before, "the shortcut changed a spec"
        same = schemapi.SchemaBase._default_wrapper_classes()
        assert same is schemapi.SchemaBase._default_wrapper_classes(), "walk not cached"
        assert len(same) > 500
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.stdout.strip() == "ok", result.stderr[-2000:]


MAPS_SAMPLE = """\
00400000-00401000 r--p 00000000 fd:00 1234  /usr/bin/python3.11
01e01000-02a34000 rw-p 00000000 00:00 0  [heap]
7f0000000000-7f0000500000 rw-p 00000000 00:00 0
7f0000600000-7f0000700000 rw-p 00000000 00:00 0
7f0000800000-7f0000c00000 rw-p 00010000 fd:00 99  /usr/lib/libfoo.so
7f0001000000-7f0001400000 r--p 00000000 00:00 0
7ffc00000000-7ffc00400000 rw-p 00000000 00:00 0  [stack]
"""


def test_only_private_anonymous_memory_is_offered_for_huge_pages() -> None:
    from grader.sandbox.hugepages import private_anonymous_blocks

    assert private_anonymous_blocks(MAPS_SAMPLE) == [
        (0x2000000, 0x2a00000),  # the heap, trimmed to whole 2 MB blocks
        (0x7f0000000000, 0x7f0000400000),  # an arena of 5 MB: two whole blocks
    ]  # not: the 1 MB mapping, a file, read-only memory, the stack


def _collapse_supported() -> bool:
    """A fresh 4 MB of anonymous memory can be collapsed (Linux 6.1+ with THP built in)."""
    code = textwrap.dedent("""
        import ctypes, mmap
        from grader.sandbox.hugepages import _libc, MADV_COLLAPSE, HUGE
        area = mmap.mmap(-1, 3 * HUGE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        base = ctypes.addressof(ctypes.c_char.from_buffer(area))
        start = (base + HUGE - 1) & ~(HUGE - 1)
        ctypes.memset(start, 1, HUGE)
        print("yes" if _libc and _libc.madvise(start, HUGE, MADV_COLLAPSE) == 0 else "no")
    """)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    return result.stdout.strip() == "yes"


def test_collapsing_into_huge_pages_keeps_every_byte() -> None:
    if sys.platform != "linux" or not _collapse_supported():
        pytest.skip("this kernel cannot collapse memory into huge pages (MADV_COLLAPSE)")
    code = textwrap.dedent("""
        import hashlib, os
        from grader.sandbox.hugepages import collapse_memory, huge_page_bytes
        data = [os.urandom(100) + bytes([i % 256]) * 3900 for i in range(8_000)]  # 32 MB of heap
        before = hashlib.sha256(b"".join(data)).hexdigest()
        huge_before = huge_page_bytes()
        collapse_memory()
        assert huge_page_bytes() >= huge_before + 16 * 2**20, (huge_before, huge_page_bytes())
        assert hashlib.sha256(b"".join(data)).hexdigest() == before
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.stdout.strip() == "ok", result.stderr[-2000:]


def test_a_busy_runner_backs_its_warm_runtime_with_huge_pages() -> None:
    """Not at start (a small class would pay the copy and never earn it back): after
    HUGE_PAGES_AFTER submissions, between two of them."""
    if sys.platform != "linux" or not _collapse_supported():
        pytest.skip("this kernel cannot collapse memory into huge pages (MADV_COLLAPSE)")
    from grader.grading import Limits
    from grader.sandbox.client import RunnerClient
    from grader.sandbox.hugepages import huge_page_bytes
    from grader.sandbox.runner import HUGE_PAGES_AFTER

    runner = RunnerClient()
    try:
        request = {"setup": "", "params": {}, "cells": [{"index": 1, "source": "x = 1"}],
                   "answers": ["x"], "limits": Limits(timeout=3.0).as_request(), "hide": []}
        at_start = huge_page_bytes(runner.pid)
        for _ in range(HUGE_PAGES_AFTER - 1):
            assert runner.run(request)["status"] == "ok"
        assert huge_page_bytes(runner.pid) - at_start < 8 * 2**20, "collapsed too early"
        reply = runner.run(request)
        assert reply["status"] == "ok" and reply["done"]["answers"]["x"]["data"]["v"] == 1
        runner.run(request)  # the runner collapses after replying: this one waits for it
        assert huge_page_bytes(runner.pid) >= at_start + 16 * 2**20
    finally:
        runner.close()
