"""The default CPU limit per notebook: measured from the worked solution at release, used by
``course grade`` unless ``--timeout`` is given, the built-in 20 s for bundles without it."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from test_grader_helpers import Tiny, notebook_with_cells, write_notebook

import grader.batch
import grader.release
import grader.solution_cost
from grader.bundle import bundle_payload, load_bundle
from grader.cli import main as course
from grader.sandbox.client import reset_runner
from grader.solution_cost import MeasurementError, timeout_for

LOOP = "while True:\n    pass"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Tiny:
    return Tiny(tmp_path_factory.mktemp("tiny"))


def gradebook_row(path: Path, student: str) -> dict[str, str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return next(row for row in csv.DictReader(handle) if row["student"] == student)


def stopped_at(limit: float) -> tuple[str, str]:
    """The reasons a notebook stopped by ``limit`` CPU seconds may give (on a busy machine the
    wall clock, twice the limit, may come first)."""
    return f"used more than {limit:g} s of CPU time", f"longer than {2 * limit:g} s (wall clock)"


def test_limit_is_twenty_times_the_cost_at_least_one_second_in_half_seconds() -> None:
    assert timeout_for(0.001) == 1.0
    assert timeout_for(0.05) == 1.0  # 20 x 0.05 is 1.0000000000000002 in floating point
    assert timeout_for(0.06) == 1.5
    assert timeout_for(0.0751) == 2.0
    assert timeout_for(0.1) == 2.0
    assert timeout_for(1.23) == 25.0


def test_release_records_the_measured_solution_cost(tiny: Tiny) -> None:
    data = json.loads(tiny.released.bundle.read_text(encoding="utf-8"))
    recorded = data["default_limit"]
    cost = recorded["solution_cpu_seconds"]
    assert 0 < cost < 5
    assert recorded["timeout"] >= 1.0
    assert recorded["timeout"] == max(1.0, math.ceil(round(20 * cost / 0.5, 6)) * 0.5)
    assert "median of 5 runs" in recorded["measured_by"]
    assert tiny.bundle.default_limit is not None
    assert tiny.bundle.default_limit.timeout == recorded["timeout"]
    assert tiny.released.default_limit == tiny.bundle.default_limit
    # What is graded is unchanged, so the bundle's identity is too.
    fresh = bundle_payload(tiny.exercise_set, tiny.params, 7)
    assert data["sha256"] == fresh["sha256"]


def test_release_measures_in_the_limits_only_sandbox(tmp_path: Path, tiny: Tiny,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_GRADER_LIMITS_ONLY", "1")
    reset_runner()
    try:
        [released] = grader.release.release([tiny.source], tmp_path / "release", 7)
    finally:
        reset_runner()
    assert released.default_limit is not None, released.problem
    assert released.default_limit.solution_cpu_seconds > 0
    assert load_bundle(released.bundle).default_limit == released.default_limit


def test_grade_without_timeout_uses_the_bundle_limit_and_says_so(
        tiny: Tiny, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    limit = tiny.bundle.default_limit
    assert limit is not None
    subs = tmp_path / "subs"
    write_notebook(subs, "looping", notebook_with_cells([LOOP], tiny.solved))
    out = tmp_path / "out" / "gradebook.csv"
    assert course(["grade", str(tiny.released.bundle), str(subs), "--out", str(out),
                   "--workers", "1", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert (f"CPU limit {limit.timeout:g} s per notebook (from the solution: "
            f"{limit.solution_cpu_seconds:g} s measured at release)") in printed
    row = gradebook_row(out, "looping")
    assert row["status"] == "timeout"
    assert any(reason in row["reason"] for reason in stopped_at(limit.timeout)), row["reason"]


def test_the_timeout_flag_wins_over_the_bundle(tiny: Tiny, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    subs = tmp_path / "subs"
    write_notebook(subs, "looping", notebook_with_cells([LOOP], tiny.solved))
    out = tmp_path / "out" / "gradebook.csv"
    assert course(["grade", str(tiny.released.bundle), str(subs), "--out", str(out),
                   "--workers", "1", "--quiet", "--timeout", "0.5"]) == 0
    assert "CPU limit 0.5 s per notebook (--timeout)" in capsys.readouterr().out
    row = gradebook_row(out, "looping")
    assert row["status"] == "timeout"
    assert any(reason in row["reason"] for reason in stopped_at(0.5)), row["reason"]


def test_an_old_bundle_grades_with_the_built_in_limit_and_says_so(
        tiny: Tiny, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.loads(tiny.released.bundle.read_text(encoding="utf-8"))
    del data["default_limit"]
    old = tmp_path / "instructor" / "old.bundle.json"
    old.parent.mkdir()
    old.write_text(json.dumps(data), encoding="utf-8")
    assert load_bundle(old).default_limit is None
    used = []
    real_grade_folder = grader.batch.grade_folder

    def grade_folder(*args, **kwargs):  # the limits the command hands the batch
        used.append(args[3])
        return real_grade_folder(*args, **kwargs)

    monkeypatch.setattr(grader.batch, "grade_folder", grade_folder)
    subs = tmp_path / "subs"
    write_notebook(subs, "solved", tiny.solved)
    out = tmp_path / "out" / "gradebook.csv"
    assert course(["grade", str(old), str(subs), "--out", str(out), "--workers", "1",
                   "--quiet"]) == 0
    assert ("CPU limit 20 s per notebook (built-in default: the bundle records no measured "
            "solution cost") in capsys.readouterr().out
    assert [limits.timeout for limits in used] == [20.0]
    assert gradebook_row(out, "solved")["status"] == "graded"


def test_a_damaged_default_limit_is_an_error_naming_the_bundle(
        tiny: Tiny, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(tiny.released.bundle.read_text(encoding="utf-8"))
    data["default_limit"]["timeout"] = -1
    bad = tmp_path / "bad.bundle.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    subs = tmp_path / "subs"
    write_notebook(subs, "solved", tiny.solved)
    assert course(["grade", str(bad), str(subs), "--out", str(tmp_path / "g.csv")]) == 1
    error = capsys.readouterr().err
    assert str(bad) in error and "'default_limit'" in error and "'timeout'" in error


def test_release_prints_the_limit_or_why_there_is_none(
        tiny: Tiny, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert course(["release", str(tiny.source), "--out", str(tmp_path / "measured")]) == 0
    assert "CPU limit" in capsys.readouterr().out

    def fails(exercise_set, params, bundle):
        raise MeasurementError(f"{exercise_set.id}: the worked solution did not grade")

    monkeypatch.setattr(grader.release, "measure_cost", fails)
    assert course(["release", str(tiny.source), "--out", str(tmp_path / "unmeasured")]) == 0
    printed = capsys.readouterr()
    assert "01-tiny: the worked solution did not grade" in printed.err
    assert "built-in limit" in printed.err
    bundle = tmp_path / "unmeasured" / "instructor" / "01-tiny.bundle.json"
    assert load_bundle(bundle).default_limit is None


def test_where_the_notebook_cpu_is_unreadable_the_wall_time_is_measured(
        tiny: Tiny, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grader.solution_cost, "_reaped_cpu_seconds", lambda pid: None)
    limit = grader.solution_cost.measure_cost(tiny.exercise_set, tiny.params, tiny.bundle)
    assert limit.measured_by.startswith("wall time of grading the worked solution")
    assert limit.solution_cpu_seconds > 0
    assert limit.timeout == timeout_for(limit.solution_cpu_seconds)
