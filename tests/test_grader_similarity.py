"""course similarity: planted copies are found, honest work is not flagged, the report is safe."""

from __future__ import annotations

import argparse
import json
import re
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from similarity_samples import HONEST_CODE, HONEST_WRITTEN, SOURCE, notebook_with

from grader.similarity import register
from grader.similarity.compare import Comparison, compare_folder
from grader.similarity.report import FLAG_AT
from grader.solutions import blank_notebook
from grader.source import load_exercise_set
from grader.spreadsheet import read_records

RENAMES = {"count": "total", "kind": "k", "forum_row": "r", "rows": "tally", "decade": "dec",
           "founded": "start_year", "bars": "plot"}


@pytest.fixture(scope="module")
def exercise_set():
    return load_exercise_set(SOURCE)


@pytest.fixture(scope="module")
def blank(exercise_set) -> dict[str, Any]:
    return blank_notebook(exercise_set, exercise_set.choose_params(None))


def _renamed(code: str) -> str:
    """The same program with other variable names, another comment, values changed."""
    for old, new in RENAMES.items():
        code = re.sub(rf"(?<![\"'.])\b{old}\b(?![\"'])", new, code)
    code = code.replace("0", "1").replace("\n", "  # step\n", 1)
    return "# my own work, honestly\n\n" + code + "\n"


def _reworded(text: str) -> str:
    return (text.replace("Most", "Nearly all").replace("slow", "sluggish")
            .replace("small clubs", "little clubs"))


def _write(folder: Path, name: str, notebook: dict[str, Any]) -> None:
    (folder / f"{name}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")


def _class(folder: Path, blank: dict[str, Any]) -> None:
    for number, (code, written) in enumerate(zip(HONEST_CODE, HONEST_WRITTEN, strict=True)):
        _write(folder, f"honest{number}", notebook_with(blank, code, written))


def _score(comparison: Comparison, a: str, b: str) -> tuple[float, float]:
    names = [d.name for d in comparison.documents]
    pair = {(names[p.a], names[p.b]): p for p in comparison.pairs}.get((a, b))
    return (pair.code, pair.text) if pair else (0.0, 0.0)


def _honest_pairs_below_threshold(comparison: Comparison) -> None:
    honest = [f"honest{n}" for n in range(len(HONEST_CODE))]
    for a, b in combinations(honest, 2):
        assert max(_score(comparison, a, b)) < FLAG_AT, (a, b, _score(comparison, a, b))


def test_renamed_copy_is_found_and_honest_work_is_not(tmp_path, blank):
    _class(tmp_path, blank)
    copied = {q: _renamed(code) for q, code in HONEST_CODE[1].items()}
    assert copied != HONEST_CODE[1]
    _write(tmp_path, "renamer", notebook_with(blank, copied, "I did not have time."))
    comparison = compare_folder(tmp_path, SOURCE)
    assert _score(comparison, "honest1", "renamer")[0] >= 0.9
    _honest_pairs_below_threshold(comparison)


def test_pasted_solution_scores_high_against_the_solutions(tmp_path, blank, exercise_set):
    _class(tmp_path, blank)
    solved = {q.id: q.solution for q in exercise_set.questions if q.kind == "auto"}
    _write(tmp_path, "paster", notebook_with(blank, solved))
    comparison = compare_folder(tmp_path, SOURCE)
    assert comparison.solutions is not None
    by_name = {comparison.documents[s.student].name: s for s in comparison.solutions}
    assert by_name["paster"].code >= 0.9
    assert all(by_name[f"honest{n}"].score < FLAG_AT for n in range(len(HONEST_CODE)))


def test_reworded_written_answer_is_found(tmp_path, blank):
    _class(tmp_path, blank)
    reworded = _reworded(HONEST_WRITTEN[0])
    assert reworded != HONEST_WRITTEN[0]
    _write(tmp_path, "rewriter", notebook_with(blank, HONEST_CODE[2] | {"q1": "n_minilateral = 7"},
                                               reworded))
    comparison = compare_folder(tmp_path)
    assert _score(comparison, "honest0", "rewriter")[1] >= FLAG_AT
    _honest_pairs_below_threshold(comparison)


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="course")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.run(args)


def test_report_is_escaped_offline_and_readable_back(tmp_path, blank, capsys):
    subs, out = tmp_path / "subs", tmp_path / "out"
    subs.mkdir()
    _class(subs, blank)
    attack = dict(HONEST_CODE[3], q1='x = "</pre><script>alert(1)</script>"\n'
                                      + HONEST_CODE[3]["q1"])
    _write(subs, "=evil<script>", notebook_with(blank, attack, HONEST_WRITTEN[3]))
    _write(subs, "copier", notebook_with(blank, attack, "<script>steal()</script> "
                                         + HONEST_WRITTEN[3]))
    (subs / "broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    assert _run(["similarity", str(subs), "--solutions", str(SOURCE), "--out", str(out),
                 "--top", "5"]) == 0
    page = (out / "similarity.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?[^"'>]*http""", page, re.IGNORECASE)
    assert "http" not in page
    assert "not a verdict" in page
    assert "broken" in page and "not valid notebook JSON" in page
    assert "not compared, broken" in capsys.readouterr().err
    records = read_records(out / "similarity.csv")
    pairs = [r for r in records if r["kind"] == "pair"]
    assert pairs[0]["student_a"] in ("=evil<script>", "copier")  # formula text read back as is
    assert {pairs[0]["student_a"], pairs[0]["student_b"]} == {"=evil<script>", "copier"}
    assert float(pairs[0]["score"]) >= FLAG_AT and "cell" in pairs[0]["matches"]
    assert "=evil" not in (out / "similarity.csv").read_text(encoding="utf-8").replace("'=", "")
    solution_rows = [r for r in records if r["kind"] == "solution"]
    assert len(solution_rows) == len(HONEST_CODE) + 2
    assert {r["student_a"] for r in records} >= {"honest0", "copier"}
