"""Similarity report speed: ``course similarity`` on a class of N notebooks of set 00.

    .venv/bin/python benchmarks/similarity.py [--n 1000] [--copies 20] [--pastes 10]

Generates N notebooks as a class would write them: each question answered one of several
correct ways (the hand-written answers of tests/similarity_samples.py, or the worked solution),
with each student's own variable names, comments and exploration cells, some questions left
blank, and a written answer of the student's own words. Plants copies: notebooks copied with
renamed variables and comments, notebooks pasting the worked solution, written answers copied
with a few words changed. Then times the whole command (read, compare, write the CSV and HTML)
and prints how many planted copies score at or above the report's mark. Figures only.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "tests")]

from grading import _append  # noqa: E402
from similarity_samples import HONEST_CODE, SOURCE, notebook_with  # noqa: E402

from grader.similarity.compare import compare_folder  # noqa: E402
from grader.similarity.report import (  # noqa: E402
    FLAG_AT,
    write_similarity_csv,
    write_similarity_html,
)
from grader.solutions import blank_notebook  # noqa: E402
from grader.source import load_exercise_set  # noqa: E402

SEED = 2026
LOCAL_NAMES = ["count", "kind", "rows", "decade", "founded", "row", "year", "mini", "counts",
               "bars", "chart", "table", "decades", "is_mini", "matches", "first_year", "kinds",
               "year_founded", "forum_row"]
EXPLORING = ["forum_table.head()", "print(n_minilateral)", "forum_table.columns",
             "founded_per_decade", "len(forum_table)", "forum_table.kind.unique()",
             "forum_table.describe()", "decade_chart"]
WORDS = ("forum forums minilateral multilateral states decade decades founded rise growth club "
         "clubs gridlock consensus bargaining power table count counts limitation coding source "
         "reading argues shows pattern after before cold war trade security climate members "
         "small large universal organisations shift rising powers cost costs dataset year years "
         "increase sharp steady most few many several important activity size measure").split()


def _student_code(rng: random.Random, solutions: dict[str, str]) -> dict[str, str]:
    """Each question answered one of the known ways, with this student's names and comments;
    now and then left as released."""
    code = {}
    suffix = rng.choice(["", "_", "2", "_my", "_x", "_tmp", "_val"])
    for question, worked in solutions.items():
        if rng.random() < 0.07:
            continue
        variants = [answers[question] for answers in HONEST_CODE] + [worked]
        source = rng.choice(variants)
        for name in LOCAL_NAMES:
            if rng.random() < 0.5:
                source = re.sub(rf"(?<![\"'.])\b{name}\b(?![\"'])", name + suffix, source)
        if rng.random() < 0.4:
            source = f"# question {question}: {rng.choice(WORDS)} {rng.choice(WORDS)}\n{source}"
        code[question] = source
    return code


STEPS = ['.groupby("kind")', '.groupby("region")', '["founded_year"]', '.sort_values("name")',
         '.head(10)', '.tail(3)', '.reset_index()', '.dropna()', '.describe()', '.count()',
         '[forum_table["founded_year"] > 1990]', '.mean()', '.max()', '.nunique()',
         '.value_counts()', '.drop_duplicates()', '.loc[:, ["forum_id", "kind"]]', '.T']


def _exploring(rng: random.Random) -> str:
    """A student's own look at the data: a chain of steps few others write the same."""
    lines = []
    for _ in range(rng.randint(1, 3)):
        lines.append("forum_table" + "".join(rng.choice(STEPS) for _ in range(rng.randint(3, 6))))
    return "\n".join(lines)


def _student_text(rng: random.Random) -> str:
    sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize()
                 for _ in range(rng.randint(4, 6))]
    return ". ".join(sentences) + "."


def _reworded(rng: random.Random, text: str, changes: int = 3) -> str:
    words = text.split()
    for _ in range(changes):
        words[rng.randrange(len(words))] = rng.choice(WORDS)
    return " ".join(words)


def _renamed(source: str) -> str:
    for name in LOCAL_NAMES:
        source = re.sub(rf"(?<![\"'.])\b{name}\b(?![\"'])", f"my_{name}", source)
    return "# worked this out myself\n" + source


def generate(folder: Path, n: int, copies: int, pastes: int, blank: dict[str, Any],
             solutions: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """Write the class; return the planted pairs by kind (original, copy)."""
    rng = random.Random(SEED)
    honest = n - copies * 2 - pastes
    written: dict[str, str] = {}
    code: dict[str, dict[str, str]] = {}
    planted: dict[str, list[tuple[str, str]]] = {"code copy": [], "written copy": [],
                                                 "pasted solution": []}

    def write(name: str, answers: dict[str, str], text: str) -> None:
        notebook = notebook_with(blank, answers, text)
        for _ in range(rng.randint(0, 3)):
            notebook = _append(notebook, rng.choice(EXPLORING))
        if rng.random() < 0.8:
            notebook = _append(notebook, _exploring(rng))
        (folder / f"{name}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
        code[name], written[name] = answers, text

    for number in range(honest):
        write(f"s{number:05d}", _student_code(rng, solutions), _student_text(rng))
    originals = rng.sample(sorted(code), copies * 2)
    for number, original in enumerate(originals[:copies]):
        name = f"s{honest + number:05d}"
        write(name, {q: _renamed(s) for q, s in code[original].items()}, _student_text(rng))
        planted["code copy"].append((original, name))
    for number, original in enumerate(originals[copies:]):
        name = f"s{honest + copies + number:05d}"
        write(name, _student_code(rng, solutions), _reworded(rng, written[original]))
        planted["written copy"].append((original, name))
    for number in range(pastes):
        name = f"s{honest + copies * 2 + number:05d}"
        write(name, dict(solutions), _student_text(rng))
        planted["pasted solution"].append((name, "worked solutions"))
    return planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--copies", type=int, default=20, help="code copies and written copies")
    parser.add_argument("--pastes", type=int, default=10, help="notebooks pasting the solution")
    args = parser.parse_args()

    exercise_set = load_exercise_set(SOURCE)
    blank = blank_notebook(exercise_set, exercise_set.choose_params(None))
    solutions = {q.id: q.solution for q in exercise_set.questions if q.kind == "auto"}
    work = Path(tempfile.mkdtemp(prefix="similarity-bench-"))
    subs, out = work / "submissions", work / "out"
    subs.mkdir()
    out.mkdir()
    planted = generate(subs, args.n, args.copies, args.pastes, blank, solutions)

    started = time.perf_counter()
    comparison = compare_folder(subs, SOURCE)
    compared = time.perf_counter() - started
    write_similarity_csv(comparison, out / "similarity.csv")
    write_similarity_html(comparison, out / "similarity.html")
    wall = time.perf_counter() - started

    names = [d.name for d in comparison.documents]
    scores = {(names[p.a], names[p.b]): p for p in comparison.pairs}
    against = {names[s.student]: s.score for s in comparison.solutions or []}
    print(f"submissions        {len(names)} of set 00 "
          f"({', '.join(f'{len(v)} {k}' for k, v in planted.items())} planted)")
    for kind, pairs in planted.items():
        if kind == "pasted solution":
            found = sum(against.get(a, 0) >= FLAG_AT for a, _ in pairs)
        else:
            found = sum(scores[tuple(sorted(p))].score >= FLAG_AT
                        for p in pairs if tuple(sorted(p)) in scores)
        print(f"  {kind:16} {found} of {len(pairs)} at {FLAG_AT} or above")
    planted_pairs = {tuple(sorted(p)) for k in ("code copy", "written copy") for p in planted[k]}
    flagged = [p for p, s in scores.items() if s.score >= FLAG_AT]
    print(f"pairs at {FLAG_AT}+       {len(flagged)} ({len(set(flagged) - planted_pairs)} not "
          f"planted: students who happened to pick the same ways of answering)")
    print(f"pairs scored       {len(comparison.pairs)} sharing anything, of "
          f"{len(names) * (len(names) - 1) // 2} possible")
    print(f"course similarity  {wall:.1f} s wall ({compared:.1f} s reading and comparing, "
          f"{wall - compared:.1f} s writing the report)")
    print(f"(work folder: {work})")


if __name__ == "__main__":
    main()
