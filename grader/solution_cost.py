"""The CPU cost of a set's worked solution, measured in the sandbox at release, and the default
CPU limit per notebook that follows from it.

A correct notebook costs about what the solution costs; one that runs twenty times longer is
stuck or doing something else. A limit of 20 s (the built-in default) keeps a class with a few
looping notebooks waiting on them for most of its grading time, while the sets' solutions need
a few hundredths of a second.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import tempfile
from pathlib import Path
from typing import Any

from grader.bundle import Bundle, DefaultLimit
from grader.grading import Limits, grade_submission
from grader.sandbox.client import RunnerError, get_runner
from grader.solutions import solved_notebook
from grader.source import ExerciseSet

RUNS = 5
HEADROOM = 20  # the limit is this many times the solution's CPU time...
MINIMUM_SECONDS = 1.0  # ...but never below this (a busy machine, a slower grading computer)
STEP_SECONDS = 0.5  # and rounded up to a multiple of this
BUILT_IN_SECONDS = Limits().timeout


class MeasurementError(ValueError):
    """The worked solution did not run to the end in the sandbox."""


def timeout_for(cpu_seconds: float) -> float:
    """``max(1, 20 x cpu_seconds)`` rounded up to a multiple of 0.5 s."""
    steps = math.ceil(round(HEADROOM * cpu_seconds / STEP_SECONDS, 6))
    return max(MINIMUM_SECONDS, steps * STEP_SECONDS)


def _reaped_cpu_seconds(pid: int) -> float | None:
    """CPU time of the children ``pid`` has waited for (Linux /proc; None elsewhere). A runner
    waits for each notebook's process, so the change over one run is that notebook's CPU."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _runner_pid() -> int | None:
    try:
        return get_runner().pid
    except RunnerError:
        return None


def measure_cost(exercise_set: ExerciseSet, params: dict[str, Any], bundle: Bundle,
                 runs: int = RUNS) -> DefaultLimit:
    """Grade the solved notebook ``runs`` times in the sandbox with the built-in limits; the
    median CPU time of the notebook's process (where /proc shows it, else the wall time of
    grading it) gives the default limit. Raises :class:`MeasurementError` if the solution does
    not grade."""
    cpu: list[float] = []
    wall: list[float] = []
    with tempfile.TemporaryDirectory(prefix="course-solution-cost-") as folder:
        path = Path(folder) / "solution.ipynb"
        path.write_text(json.dumps(solved_notebook(exercise_set, params)), encoding="utf-8")
        for _ in range(runs):
            pid = _runner_pid()
            before = _reaped_cpu_seconds(pid) if pid is not None else None
            record = grade_submission(bundle, path, Limits())
            after = _reaped_cpu_seconds(pid) if pid is not None else None
            if record.status != "graded":
                raise MeasurementError(
                    f"{exercise_set.id}: the worked solution did not grade in the sandbox "
                    f"({record.status}: {record.reason}), so its CPU cost is unknown")
            wall.append(record.seconds)
            # A runner replaced during the run (it failed) reaped the notebook elsewhere.
            if before is not None and after is not None and _runner_pid() == pid:
                cpu.append(after - before)
    return _limit(cpu, True) if len(cpu) == len(wall) else _limit(wall, False)


def _limit(samples: list[float], by_cpu: bool) -> DefaultLimit:
    tick = 1 / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 0.01
    # Below one clock tick the kernel may count nothing: one tick is an upper bound.
    cost = round(max(statistics.median(samples), tick), 4)
    if by_cpu:
        how = (f"CPU time of the notebook's process, median of {len(samples)} runs of the "
               f"worked solution in the sandbox (clock ticks of {tick:g} s)")
    else:
        how = (f"wall time of grading the worked solution, median of {len(samples)} runs in "
               "the sandbox (the notebook's CPU time was not readable here)")
    return DefaultLimit(timeout_for(cost), cost, how)


def chosen_timeout(bundle: Bundle, flag: float | None) -> tuple[float, str]:
    """The CPU limit per notebook for a batch and where it comes from, in words: ``--timeout``
    wins, then the bundle's measured default, then the built-in one."""
    if flag is not None:
        return flag, "--timeout"
    recorded = bundle.default_limit
    if recorded is not None:
        return recorded.timeout, (f"from the solution: {recorded.solution_cpu_seconds:g} s "
                                  "measured at release")
    return BUILT_IN_SECONDS, ("built-in default: the bundle records no measured solution cost; "
                              "release the set again to measure one")
