"""The exercise source format: MyST reading/writing, validation errors, student pages, seeds."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from test_grader_helpers import (
    HIDDEN_MARKER,
    RUBRIC_MARKER,
    SOLUTION_MARKER,
    TINY_SOURCE,
    write_tiny_source,
)

from grader.myst import MystFormatError, parse_myst, write_myst
from grader.pages import write_student_pages
from grader.source import SourceError, load_exercise_set


def test_myst_round_trip_keeps_cells_and_metadata() -> None:
    notebook = parse_myst(TINY_SOURCE, "tiny.md")
    again = parse_myst(write_myst(notebook), "again.md")
    assert [(c.cell_type, c.source, c.metadata) for c in again.cells] == [
        (c.cell_type, c.source, c.metadata) for c in notebook.cells
    ]
    assert notebook.front_matter["exercises"]["id"] == "01-tiny"


def test_myst_errors_name_file_and_line() -> None:
    with pytest.raises(MystFormatError, match=r"broken\.md:3: code-cell is never closed"):
        parse_myst("# hi\n\n```{code-cell} ipython3\nx = 1\n", "broken.md")
    with pytest.raises(MystFormatError, match=r"meta\.md:2: metadata after \+\+\+"):
        parse_myst("a\n+++ {not json}\nb\n", "meta.md")


def test_tiny_set_is_read_with_points_and_tests(tmp_path: Path) -> None:
    exercise_set = load_exercise_set(write_tiny_source(tmp_path))
    summary = {q.id: (q.kind, q.points, len(q.public_tests), len(q.hidden_tests))
               for q in exercise_set.questions}
    assert summary == {
        "q1": ("auto", 3.0, 1, 1), "q2": ("auto", 2.0, 1, 1), "q3": ("auto", 3.0, 1, 1),
        "q4": ("auto", 2.0, 1, 1), "q5": ("written", 2.0, 0, 0),
    }
    assert exercise_set.choose_params(None) == {"group": "alpha"}
    seeded = {exercise_set.choose_params(seed)["group"] for seed in range(20)}
    assert seeded == {"alpha", "beta", "gamma"}  # seeds pick different cohort values
    assert exercise_set.choose_params(5) == exercise_set.choose_params(5)  # reproducibly


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("grader: {question: q1, answer: n_rows}", "grader: {question: q1}"),
         r"01-tiny\.md:\d+: solution of 'q1' needs grader: \{answer: VARIABLE\}"),
        (("- 1 point: lower costs of bargaining", "- 2 points: lower costs of bargaining"),
         r"written question 'q5' has points 2.0 but its rubric lines .* add up to 3.0"),
        (("grader: {question: q2, points: 1}", "grader: {question: q9, points: 1}"),
         r"hidden-test cell for 'q9' comes before that question's solution"),
        (("default: alpha", "default: delta"), r"default of parameter 'group' is not one"),
        (("points: 2, feedback", "points: -2, feedback"), r"points must be a non-negative"),
    ],
)
def test_source_errors_are_clear(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    path = write_tiny_source(tmp_path)
    text = path.read_text()
    assert change[0] in text
    path.write_text(text.replace(change[0], change[1], 1))
    with pytest.raises(SourceError, match=message):
        load_exercise_set(path)


def test_unknown_placeholder_is_an_error(tmp_path: Path) -> None:
    path = write_tiny_source(tmp_path / "src")
    path.write_text(path.read_text().replace("**{{group}}**", "**{{grup}}**"))
    with pytest.raises(SourceError, match=r"placeholder \{\{grup\}\} names no parameter"):
        write_student_pages(path.parent, tmp_path / "out")


def test_student_page_has_questions_checks_and_nothing_hidden(tmp_path: Path) -> None:
    source = write_tiny_source(tmp_path / "src")
    [page] = write_student_pages(source.parent, tmp_path / "out")
    text = page.read_text()
    for secret in (HIDDEN_MARKER, SOLUTION_MARKER, RUBRIC_MARKER, "expected_by_group",
                   "hidden-test", "test-setup", "len(table)\n", "feedback"):
        assert secret not in text, secret
    assert "Total `size` of group **alpha**" in text  # the default parameter is filled in
    assert 'check("q1")' in text and "check_all()" in text
    assert "n_rows = ..." in text
    assert "remove-cell" in text  # the setup with embedded public tests is hidden on the site
    notebook = parse_myst(text, str(page))
    setup = notebook.cells[0].source
    literal = setup[setup.index("Checks.from_json") + len("Checks.from_json"):].split("\ncheck,")[0]
    payload = json.loads(ast.literal_eval(literal))
    q1 = payload["questions"][0]
    assert q1["public_tests"][0]["message"] == "Use len(table)."  # public tests travel along
    assert (q1["hidden_count"], q1["hidden_points"]) == (1, 2.0)
    assert "hidden_tests" not in q1 and "rubric" not in q1
    assert notebook.front_matter["file_format"] == "mystnb"
    assert notebook.front_matter["kernelspec"]["name"] == "python3"


def test_pages_module_entry_point(tmp_path: Path) -> None:
    from grader.pages import main

    source = write_tiny_source(tmp_path / "src")
    assert main([str(source.parent), str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "01-tiny.md").is_file()
    (tmp_path / "src" / "02-bad.md").write_text("```{code-cell} ipython3\nx\n")
    assert main([str(source.parent), str(tmp_path / "out2")]) == 1
