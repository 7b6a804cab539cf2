"""Shared fixtures: the built site (built once per session) and a headless Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
IN_CI = os.environ.get("CI", "").lower() == "true"


@dataclass
class BuildResult:
    returncode: int
    output: str


@pytest.fixture(scope="session")
def book_build() -> BuildResult:
    """Run the real book build once (`python -m minilat.site.build`), as `make book` does.

    Set MINILAT_REUSE_BUILD=1 to reuse an existing `_build/html` during local work.
    """
    if os.environ.get("MINILAT_REUSE_BUILD") == "1" and (SITE / "index.html").is_file():
        return BuildResult(0, "reused existing build")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    completed = subprocess.run(
        [sys.executable, "-m", "minilat.site.build"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    return BuildResult(completed.returncode, completed.stdout + completed.stderr)


@pytest.fixture(scope="session")
def site_dir(book_build: BuildResult) -> Path:
    if book_build.returncode != 0:
        pytest.fail("the book build failed:\n" + book_build.output[-6000:])
    return SITE


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from minilat.site.audit import CHROMIUM, CHROMIUM_FLAGS, chromium_available

    if not chromium_available():
        message = f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)"
        if IN_CI:
            pytest.fail(message + " — browser tests are required under CI=true")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield instance
        instance.close()
