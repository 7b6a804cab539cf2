"""Per-student variants: a parameter declared ``per_student: true`` takes each student's own value
(from the cohort seed and the notebook's STUDENT_ID), in check() and in grading."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from test_grader_helpers import (
    HIDDEN_MARKER,
    SOLUTION_MARKER,
    TINY_SOURCE,
    Tiny,
    write_notebook,
)

import grader.batch
from grader.bundle import load_bundle
from grader.grading import Limits
from grader.myst import write_myst
from grader.pages import student_notebook
from grader.release import release
from grader.source import SourceError, load_exercise_set
from grader.variants import claimed_id, student_params, variant_status

SEED = 7
COHORT_LINE = "group: {choices: [alpha, beta, gamma], default: alpha}"
PER_STUDENT_SOURCE = TINY_SOURCE.replace(
    COHORT_LINE, "group: {choices: [alpha, beta, gamma], default: alpha, per_student: true}")
TOTALS = {"alpha": 8, "beta": 7, "gamma": 11}  # the tiny table's size per group (question 2)
# The tiny set without per-student parameters, released with seed 7, as it was before
# per-student parameters existed: their addition must not change it.
TINY_BUNDLE_SHA256 = "37568915cb76a7c9dd4173e8eab7b98e8b4362f0bc455a3ac39d023330e159d7"
TINY_PAGE_SHA256 = "9c7f5c748e173fea7f9deccbc07b941cc5570a4fc333841b46315450c1ec66ae"


def documented_value(student_id: str) -> str:
    """The derivation exercises/README.md documents, written out independently."""
    key = f"{SEED}:01-tiny:group:{student_id.strip().casefold()}".encode()
    choices = ["alpha", "beta", "gamma"]
    return choices[int.from_bytes(hashlib.sha256(key).digest()[:8], "big") % len(choices)]


class Released:
    """The per-student tiny set released with seed 7 (its notebook and bundle)."""

    def __init__(self, root: Path) -> None:
        (root / "src").mkdir(parents=True)
        self.source = root / "src" / "01-tiny.md"
        self.source.write_text(PER_STUDENT_SOURCE, encoding="utf-8")
        self.exercise_set = load_exercise_set(self.source)
        released = release([self.source], root / "release", SEED, measure=False)[0]
        self.bundle_path = released.bundle
        self.cohort = released.params
        self.notebook = json.loads(released.notebook.read_text(encoding="utf-8"))

    def submission(self, student_id: str | None, answers: dict[str, str] | None = None
                   ) -> dict[str, Any]:
        """The released notebook with STUDENT_ID set (the line removed for None) and every
        answer cell holding the worked solution unless ``answers`` says otherwise."""
        notebook = json.loads(json.dumps(self.notebook))
        first = notebook["cells"][0]
        first["source"] = "" if student_id is None else f"STUDENT_ID = {student_id!r}\n"
        for cell in notebook["cells"]:
            for tag in cell["metadata"].get("tags", []):
                if tag.startswith("answer-") and tag != "answer-q5":
                    question = self.exercise_set.question(tag.removeprefix("answer-"))
                    cell["source"] = (answers or {}).get(question.id, question.solution)
        return notebook


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Released:
    return Released(tmp_path_factory.mktemp("variants"))


def run_check(notebook: dict[str, Any], answer: str) -> tuple[dict[str, Any], str]:
    """Run a released notebook's STUDENT_ID cell and hidden setup here, as Jupyter would, then
    an answer and check("q2"): the values check() uses and what it printed."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for cell in notebook["cells"][:2]:
            exec("".join(cell["source"]), namespace)  # noqa: S102 - the course's own cells
        exec(answer, namespace)  # noqa: S102
        namespace["check"]("q2", namespace)
    return namespace["_checks"].payload["params"], out.getvalue()


def test_the_released_notebook_asks_for_the_identifier_first(released: Released) -> None:
    cells = released.notebook["cells"]
    assert "".join(cells[0]["source"]).rstrip().endswith('STUDENT_ID = ""')
    assert cells[0]["metadata"]["tags"] == ["student-id"]
    assert "grader-setup" in cells[1]["metadata"]["tags"]
    text = json.dumps(released.notebook)
    assert 'Total `size` of group **`params[\\"group\\"]`**' in text  # no cohort value shown
    assert HIDDEN_MARKER not in text and SOLUTION_MARKER not in text
    bundle = load_bundle(released.bundle_path)
    assert bundle.per_student == {"group": ["alpha", "beta", "gamma"]}


def test_neighbours_get_their_own_values_in_check(released: Released) -> None:
    ann, ben = documented_value("ann"), documented_value("ben")
    assert ann != ben, "the test needs two students with different values"
    for student, group, other in [("ann", ann, ben), ("ben", ben, ann)]:
        notebook = released.submission(student)
        params, printed = run_check(notebook, f"group_total = {TOTALS[group]}")
        assert params == {"group": group}
        assert "q2: all 1 public tests passed" in printed
        _, printed = run_check(notebook, f"group_total = {TOTALS[other]}")
        assert "q2: 0 of 1 public tests passed" in printed
    params, printed = run_check(released.submission(""), "group_total = 0")
    assert params == released.cohort  # no identifier: the class's shared values
    assert "Set STUDENT_ID in the first cell" in printed


def read_gradebook(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.timeout(300)
def test_each_student_is_graded_against_their_own_values_and_flagged(
        released: Released, tmp_path: Path) -> None:
    ann = documented_value("ann")
    assert ann != documented_value("ben"), "ben must get no points for ann's value"
    cohort = released.cohort["group"]
    subs = tmp_path / "subs"
    ann_notebook = released.submission("Ann")  # case does not matter
    write_notebook(subs, "ann", ann_notebook)
    write_notebook(subs, "eve", ann_notebook)  # the same bytes under another name
    write_notebook(subs, "ben", released.submission("ben", {"q2": f"group_total = {TOTALS[ann]}"}))
    write_notebook(subs, "cat", released.submission("ann", {"q2": f"group_total = {TOTALS[ann]}"}))
    write_notebook(subs, "dan", released.submission(None, {"q2": f"group_total = {TOTALS[cohort]}"}))
    out = tmp_path / "out" / "gradebook.csv"
    for attempt in ("graded", "from the cache"):
        records = {r.student: r for r in grader.batch.grade_folder(
            released.bundle_path, subs, out, Limits(timeout=10), progress=False)}
        rows = {row["student"]: row for row in read_gradebook(out)}
        assert list(rows["ann"])[-1] == "variant", attempt
        assert list(rows["ann"])[:-1] == [*grader.batch.BASE_COLUMNS, "q1", "q2", "q3", "q4",
                                          "q5"]
        assert (records["ann"].score, rows["ann"]["variant"]) == (10, "ok"), attempt
        assert records["ben"].score == 8, "a neighbour's value gets no points"
        assert rows["ben"]["variant"] == "ok"
        assert (rows["ben"]["q2"], rows["ann"]["q2"]) == ("0", "2")
        assert (records["cat"].score, rows["cat"]["variant"]) == (10, "mismatch: claims ann")
        assert (records["dan"].score, rows["dan"]["variant"]) == (10, "missing")
        assert (records["eve"].score, rows["eve"]["variant"]) == (10, "mismatch: claims Ann")
    assert "Student identifier: mismatch: claims ann" in (
        out.parent / "feedback" / "cat.md").read_text()


def test_a_set_without_per_student_parameters_is_released_as_before(tmp_path: Path) -> None:
    tiny = Tiny(tmp_path)
    assert tiny.bundle.sha256 == TINY_BUNDLE_SHA256
    assert "per_student" not in tiny.bundle.data
    page = write_myst(student_notebook(tiny.exercise_set, tiny.params))
    assert hashlib.sha256(page.encode()).hexdigest() == TINY_PAGE_SHA256
    assert "STUDENT_ID" not in tiny.released.notebook.read_text()


@pytest.mark.timeout(120)
def test_a_set_without_per_student_parameters_has_no_variant_column(tmp_path: Path) -> None:
    tiny = Tiny(tmp_path)
    write_notebook(tiny.submissions, "ann", tiny.solved)
    out = tmp_path / "out" / "gradebook.csv"
    [record] = grader.batch.grade_folder(tiny.released.bundle, tiny.submissions, out,
                                         Limits(timeout=10), progress=False)
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header == "student,status,score,max_score,reason,q1,q2,q3,q4,q5"
    assert (record.score, record.variant, record.student_id) == (10, "", "")


def test_the_identifier_is_read_from_a_literal_line_only() -> None:
    assert claimed_id('# my id\nSTUDENT_ID = "kim"  # as given\nx = 1') == "kim"
    assert claimed_id("STUDENT_ID = input()") is None  # never run, only read
    assert claimed_id("STUDENT_ID = 'a' + 'b'") is None
    assert claimed_id("STUDENT_ID = 12") is None
    assert claimed_id("STUDENT_ID = (") is None
    assert claimed_id("  STUDENT_ID = 'indented'") is None
    assert claimed_id(f"STUDENT_ID = '{'x' * 2000}'") is None
    assert variant_status("Kim", " kim ") == "ok"
    assert variant_status("kim", "") == variant_status("kim", None) == "missing"
    assert variant_status("kim", "lee\n=1+1") == "mismatch: claims lee\\n=1+1"


def test_the_derivation_is_the_documented_one() -> None:
    per_student = {"group": ["alpha", "beta", "gamma"]}
    values = {student_params({"group": "beta"}, per_student, SEED, "01-tiny", name)["group"]
              for name in ("ann", "ben", "cat", "dan", "eve", "kim", "lee")}
    assert len(values) > 1
    for name in ("ann", "ben", "Lee "):
        assert student_params({"group": "beta"}, per_student, SEED, "01-tiny", name) == {
            "group": documented_value(name)}
    assert student_params({"group": "beta"}, per_student, SEED, "01-tiny", "  ") == {
        "group": "beta"}


def test_per_student_must_be_true_or_false(tmp_path: Path) -> None:
    path = tmp_path / "01-tiny.md"
    path.write_text(TINY_SOURCE.replace(
        COHORT_LINE, "group: {choices: [alpha, beta], per_student: yes please}"))
    with pytest.raises(SourceError, match="per_student of parameter 'group' must be true or"):
        load_exercise_set(path)
