"""Grading speed: the course grader against the naive way (a fresh Jupyter kernel per notebook).

    .venv/bin/python benchmarks/grading.py [--n 1000] [--workers 4] [--timeout 2] [--naive 8]
    .venv/bin/python benchmarks/grading.py --default-limit   # the limit `course grade` uses

Generates N realistic submissions of the pilot set (correct, partly wrong, blank, broken,
looping), grades them with ``course grade``'s batch engine with every limit on, then runs a
small sample the naive way — nbclient executing each notebook in a fresh kernel — and prints
submissions per second, per-submission time and the ratio. Figures only; no assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.batch import default_workers, grade_folder  # noqa: E402
from grader.bundle import load_bundle  # noqa: E402
from grader.grading import Limits  # noqa: E402
from grader.release import release  # noqa: E402
from grader.solution_cost import chosen_timeout  # noqa: E402
from grader.solutions import blank_notebook, solved_notebook  # noqa: E402
from grader.source import load_exercise_set  # noqa: E402

SOURCE = ROOT / "exercises" / "00-the-dataset.md"
AUTO_QUESTIONS: list[Any] = []  # filled in main() from the exercise set
# Share of each kind in a realistic batch (a stuck notebook or two per hundred).
MIX = [("correct", 0.60), ("partly_wrong", 0.20), ("blank", 0.10), ("broken", 0.08),
       ("looping", 0.02)]
SHUFFLE_SEED = 2026


def _with_answer(notebook: dict[str, Any], question: str, source: str) -> dict[str, Any]:
    notebook = json.loads(json.dumps(notebook))
    for cell in notebook["cells"]:
        if f"answer-{question}" in cell["metadata"].get("tags", []):
            cell["source"] = source
    return notebook


def _append(notebook: dict[str, Any], source: str) -> dict[str, Any]:
    notebook = json.loads(json.dumps(notebook))
    notebook["cells"].append({"cell_type": "code", "id": f"extra-{len(notebook['cells'])}",
                              "metadata": {}, "source": source, "outputs": [],
                              "execution_count": None})
    return notebook


def make_submission(kind: str, number: int, solved: dict, blank: dict) -> bytes:
    """One notebook of the given kind; each differs (a comment) so no two hash alike."""
    tag = f"# student {number}"
    if kind == "correct":
        notebook = _append(solved, tag)
    elif kind == "partly_wrong":  # every other auto-graded answer replaced by a wrong value
        notebook = solved
        for question in AUTO_QUESTIONS[::2]:
            notebook = _with_answer(notebook, question.id, f"{question.answer} = None  {tag}")
    elif kind == "blank":
        notebook = _append(blank, tag)
    elif kind == "broken":
        variant = number % 3
        if variant == 0:
            return b'{"cells": [' + tag.encode()  # truncated JSON
        notebook = _append(solved, f"this is not python {tag}" if variant == 1 else
                           f"raise RuntimeError('student bug')  {tag}")
    else:  # looping
        notebook = _append(solved, "while True:\n    pass" if number % 2 else
                           "import time\ntime.sleep(3600)")
    return json.dumps(notebook).encode()


def generate(folder: Path, n: int, solved: dict, blank: dict) -> Counter:
    kinds: list[str] = []
    for kind, share in MIX:
        kinds += [kind] * round(n * share)
    kinds = (kinds + ["correct"] * n)[:n]
    # A class folder is sorted by student, not by what went wrong: stuck notebooks sit at
    # random places (fixed seed, so every run grades the same folder), not all at the end.
    random.Random(SHUFFLE_SEED).shuffle(kinds)
    for number, kind in enumerate(kinds):
        (folder / f"s{number:05d}.ipynb").write_bytes(make_submission(kind, number, solved, blank))
    return Counter(kinds)


def _cpu_seconds() -> float:
    """CPU time of this process and every reaped descendant (pool workers, runners, children)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def naive_seconds(paths: list[Path], timeout: float) -> list[float]:
    """Execute each notebook in a fresh kernel, as a per-submission nbclient grader would."""
    import nbformat
    from nbclient import NotebookClient

    times = []
    for path in paths:
        started = time.perf_counter()
        try:
            notebook = nbformat.reads(path.read_text(), as_version=4)
            NotebookClient(notebook, timeout=timeout, kernel_name="python3", allow_errors=True,
                           resources={"metadata": {"path": str(path.parent)}}).execute()
        except Exception:  # broken notebooks fail here; the time still counts
            pass
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--default-limit", action="store_true",
                        help="use the bundle's CPU limit (measured from the solution at release, "
                             "what course grade uses without --timeout) instead of --timeout")
    parser.add_argument("--memory", type=int, default=1024)
    parser.add_argument("--naive", type=int, default=8, help="sample size for the naive way")
    parser.add_argument("--exercise", type=Path, default=SOURCE, help="exercise source to use")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="grading-bench-"))
    [released] = release([args.exercise], work / "release", seed=1)
    exercise_set = load_exercise_set(args.exercise)
    AUTO_QUESTIONS[:] = [q for q in exercise_set.questions if q.kind == "auto"]
    solved = solved_notebook(exercise_set, released.params)
    blank = blank_notebook(exercise_set, released.params)
    subs = work / "submissions"
    subs.mkdir()
    kinds = generate(subs, args.n, solved, blank)
    timeout, source = chosen_timeout(load_bundle(released.bundle),
                                     None if args.default_limit else args.timeout)
    limits = Limits(timeout=timeout, memory_mb=args.memory)

    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    records = grade_folder(released.bundle, subs, work / "out" / "gradebook.csv", limits,
                           workers=args.workers, progress=False)
    wall = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before
    load = os.getloadavg()[0]
    statuses = Counter(r.status for r in records)
    per_record = [r.seconds for r in records]

    naive_sample = [p for p in sorted(subs.glob("*.ipynb"))
                    if b"while True" not in p.read_bytes() and b"sleep(3600)" not in p.read_bytes()]
    step = max(1, len(naive_sample) // max(1, args.naive))
    naive = naive_seconds(naive_sample[::step][: args.naive], timeout=60)
    naive_mean = statistics.mean(naive)
    ours = wall / args.n
    sandbox = records[0].sandbox if records else {}

    print(f"exercise set       {args.exercise.name}")
    print(f"submissions        {args.n}  ({', '.join(f'{k} {v}' for k, v in kinds.items())})")
    print(f"statuses           {dict(statuses)}")
    print(f"limits             timeout {timeout:g} s ({source}), memory {args.memory} MB, "
          f"16 processes, 16 MB files, 64 MB answers; uid drop: {sandbox.get('root')}, "
          f"namespaces (no network, hidden files): {sandbox.get('namespaces')}")
    print(f"workers            {args.workers} on {os.cpu_count()} CPUs")
    print(f"course grade       {wall:.1f} s wall = {args.n / wall:.1f} submissions/s, "
          f"{ours * 1000:.1f} ms per submission (wall / N)")
    print(f"  per submission   median {statistics.median(per_record) * 1000:.1f} ms, "
          f"p95 {sorted(per_record)[int(0.95 * len(per_record))] * 1000:.1f} ms "
          "(one worker's time, incl. timeouts)")
    cores = os.cpu_count() or 1
    print(f"  CPU time         {cpu:.1f} s = {cpu / args.n * 1000:.1f} ms per submission; "
          f"machine load average during the run {load:.1f} on {cores} cores")
    print(f"  idle projection  {args.n * cpu / args.n / min(cores, args.workers):.1f} s for "
          f"{args.n} if the CPUs were ours alone (CPU time / cores; sleeping timeouts "
          "overlap with work)")
    print(f"naive nbclient     {naive_mean * 1000:.0f} ms per submission (mean of {len(naive)}, "
          f"one fresh kernel each, sequential)")
    print(f"ratio              {naive_mean / ours:.0f}x faster than naive "
          f"(naive per submission / ours per submission)")
    print(f"1,000 submissions  {1000 * ours:.1f} s projected")
    print(f"(work folder: {work})")


if __name__ == "__main__":
    main()
