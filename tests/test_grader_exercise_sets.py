"""Every exercise set in exercises/: its solution scores full marks, its blank student version
executes cleanly (as in the book build) and scores 0 with status graded, and its release holds
no solution or hidden-test text."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from grader.bundle import load_bundle
from grader.grading import Limits, grade_submission
from grader.pages import write_student_pages
from grader.release import release
from grader.solutions import blank_notebook, solved_notebook
from grader.source import exercise_sources, load_exercise_set

ROOT = Path(__file__).resolve().parents[1]
SOURCES = exercise_sources(ROOT / "exercises")
SEEDS = [None, 7]


def test_there_is_a_pilot_set() -> None:
    assert [p.name for p in SOURCES][:1] == ["00-the-dataset.md"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
@pytest.mark.parametrize("seed", SEEDS)
def test_solution_full_marks_and_blank_zero(source: Path, seed: int | None,
                                            tmp_path: Path) -> None:
    exercise_set = load_exercise_set(source)
    [released] = release([source], tmp_path / "release", seed)
    bundle = load_bundle(released.bundle)
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "solved.ipynb").write_text(json.dumps(solved_notebook(exercise_set, released.params)))
    (subs / "blank.ipynb").write_text(json.dumps(blank_notebook(exercise_set, released.params)))
    limits = Limits(timeout=30, hide=(str(released.bundle), str(subs)))
    solved = grade_submission(bundle, subs / "solved.ipynb", limits)
    assert (solved.status, solved.reason) == ("graded", "")
    assert solved.score == solved.max_score > 0
    blank = grade_submission(bundle, subs / "blank.ipynb", limits)
    assert (blank.status, blank.score, blank.reason) == ("graded", 0, "")
    assert {q.status for q in blank.questions} <= {"not answered", "manual"}


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_release_contains_no_solution_or_hidden_test_text(source: Path, tmp_path: Path) -> None:
    exercise_set = load_exercise_set(source)
    release([source], tmp_path, seed=3)
    student_text = "\n".join(p.read_text() for p in (tmp_path / "student").rglob("*"))
    secrets = [exercise_set.test_setup]
    for question in exercise_set.questions:
        secrets += [question.solution, *(t.code for t in question.hidden_tests)]
        secrets += [line for line in question.rubric.splitlines() if line.startswith("- ")]
    for secret in filter(None, (s.strip() for s in secrets)):
        for line in secret.splitlines():
            # short lines (")", ".size()") and the stub's own lines prove nothing
            if len(line.strip()) >= 15 and line.strip() not in question_stub_lines(exercise_set):
                assert line.strip() not in student_text, line


def question_stub_lines(exercise_set) -> set[str]:  # type: ignore[no-untyped-def]
    return {line.strip() for q in exercise_set.questions for line in q.stub.splitlines()}


@pytest.mark.slow
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_student_page_and_solution_in_a_kernel(source: Path, tmp_path: Path) -> None:
    """As the book build runs it (a Jupyter kernel, cwd = the page's folder, MINILAT_BUILD):
    the blank page executes cleanly and every check says "not answered yet". Then, in the same
    kernel, the solved notebook: check() agrees with the grader and passes every public test."""
    import nbformat
    from myst_nb.core.read import read_myst_markdown_notebook
    from nbclient import NotebookClient

    exercise_set = load_exercise_set(source)
    [page] = [p for p in write_student_pages(source.parent, tmp_path) if p.stem == source.stem]
    blank = read_myst_markdown_notebook(page.read_text())
    solved = nbformat.from_dict(solved_notebook(exercise_set, exercise_set.choose_params(None)))
    client = NotebookClient(blank, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    os.environ["MINILAT_BUILD"] = "site"
    try:
        with client.setup_kernel():
            for index, cell in enumerate(blank.cells):
                client.execute_cell(cell, index)
            client.nb = solved
            for index, cell in enumerate(solved.cells):
                client.execute_cell(cell, index)
    finally:
        os.environ.pop("MINILAT_BUILD", None)
    auto = [q for q in exercise_set.questions if q.kind == "auto"]
    printed_blank, printed_solved = (
        "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                for o in c.get("outputs", []) if o.output_type == "stream")
        for nb in (blank, solved)
    )
    for question in auto:
        assert f"{question.id}: not answered yet" in printed_blank
        if question.public_tests:
            count = len(question.public_tests)
            assert f"{question.id}: all {count} public tests passed" in printed_solved
    assert "failed" not in printed_solved and "refused" not in printed_solved
