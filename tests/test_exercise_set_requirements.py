"""Each chapter's exercise set meets the course's bar (issues 5 and 6): at least four
auto-graded questions, at least one parameterised by the release seed, and a written question
with a rubric; and each chapter links to its exercise set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.source import load_exercise_set

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]-*.md"))


def test_there_are_eight_chapters() -> None:
    assert [p.name[:2] for p in CHAPTERS] == [f"{n:02d}" for n in range(1, 9)]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_has_a_complete_exercise_set(chapter: Path) -> None:
    source = ROOT / "exercises" / chapter.name
    assert source.is_file(), f"no exercise set {source.relative_to(ROOT)} for {chapter.name}"
    exercise_set = load_exercise_set(source)
    auto = [q for q in exercise_set.questions if q.kind == "auto"]
    written = [q for q in exercise_set.questions if q.kind == "written"]
    assert len(auto) >= 4, f"{source.name}: {len(auto)} auto-graded questions"
    assert written and all(q.rubric.strip() for q in written), f"{source.name}: written + rubric"
    assert exercise_set.params, f"{source.name}: no question is parameterised by the seed"
    assert all(q.hidden_tests for q in auto), f"{source.name}: a question without hidden tests"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_follows_the_template(chapter: Path) -> None:
    text = chapter.read_text(encoding="utf-8")
    assert "from minilat.preamble import *" in text
    assert f"_generated/exercises/{chapter.stem}" in text, "link to the exercise set"
    assert "{term}`" in text, "key terms link to the glossary"
    assert "{cite" in text, "the paper's argument is cited"
    assert re.search(r"```\{exercise\}", text), "a kernel-free check-your-understanding quiz"
    assert "explorer(" in text, "a live explorer with its kernel-free twin"
