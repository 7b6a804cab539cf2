"""What `course grade` prints: the protections the batch really had, and file names that
cannot write control sequences to the instructor's terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_grader_helpers import Tiny, write_notebook

from grader.cli import main as course
from grader.sandbox import isolation
from grader.sandbox.summary import describe


def test_the_summary_names_each_protection_or_why_it_is_missing() -> None:
    full = describe({"root": True, "allow_list": True, "cgroups": True})
    assert "unprivileged uid" in full and "allow-list root" in full
    assert "counted per notebook" in full
    bare = describe({"root": False, "allow_list": False, "namespaces_problem": "not root",
                     "cgroups": False, "cgroups_problem": "no cgroup v2"})
    assert "same user as the grader" in bare and "(not root)" in bare
    assert "files readable by you are readable by notebooks" in bare
    assert "per process only (no cgroup v2)" in bare


def test_course_grade_prints_the_sandbox_and_escapes_file_names(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tiny = Tiny(tmp_path / "tiny")
    write_notebook(tiny.submissions, "kim", tiny.solved)
    (tiny.submissions / "note\x1b[2J.txt").write_text("handed in by mistake")
    out = tmp_path / "grades" / "gradebook.csv"
    assert course(["grade", str(tiny.released.bundle), str(tiny.submissions), "--out", str(out),
                   "--workers", "1", "--quiet", "--timeout", "5"]) == 0
    printed = capsys.readouterr()
    assert "\x1b" not in printed.err + printed.out
    assert "note\\x1b[2J.txt" in printed.err
    line = next(s for s in printed.out.splitlines() if s.startswith("sandbox: "))
    if isolation.is_linux_root():
        assert "allow-list root" in line and "unprivileged uid" in line


def test_every_test_the_threat_model_cites_exists() -> None:
    """instructors.md names the test that proves each protection: each must be a real test."""
    import re

    root = Path(__file__).resolve().parents[1]
    page = (root / "instructors.md").read_text(encoding="utf-8")
    model = page[page.index("## What the sandbox guarantees"):]
    cited = set(re.findall(r"`(test_[a-z0-9_]+)`", model))
    defined = set()
    for path in (root / "tests").glob("test_*.py"):
        defined |= set(re.findall(r"^def (test_[a-z0-9_]+)", path.read_text(), re.M))
    assert len(cited) >= 25
    assert cited <= defined, sorted(cited - defined)
