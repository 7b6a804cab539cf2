"""``course similarity``: which submissions look alike, and which look like the worked solutions.

    course similarity SUBMISSIONS --out DIR [--solutions EXERCISE_SOURCE] [--top N]

What it compares
    Every pair of notebooks in ``SUBMISSIONS`` (names read as ``course grade`` reads them), and,
    with ``--solutions exercises/NN-slug.md``, each notebook against that set's worked solutions
    (each question's solution cell; each written question's rubric text).

    - Code cells are normalised first: every variable or function name becomes the same
      placeholder, every number and string another, comments and blank lines are dropped. A
      copy with renamed variables, changed comments or values, or reflowed lines compares as
      the original. Cells left as released (the blank notebook's stubs and check cells, the
      set's setup) are left out, so the shared template makes no one alike. Notebooks are
      compared as sets of fingerprints (every run of 10 normalised tokens).
    - Written answers (the markdown cells of written questions) are compared as runs of five
      lower-cased words, question by question.
    - A step that more than a fifth of the class wrote the same way (and more than 10 students)
      is ignored: it is the obvious way to do it, not a sign of copying.

How to read the scores (0 to 1)
    - ``code_score``: the share of the two notebooks' code fingerprints they have in common
      (Jaccard: 1 is the same code up to names, literals, comments and layout).
    - ``text_score``: for the most alike written answer, the share of the shorter answer's
      five-word runs that also appear in the other (1: one answer is inside the other).
    - ``score``: the higher of the two. 0.5 and above is marked in the report.
    - ``solution_score``: the same against the worked solutions (for a pair, the higher of the
      two students'): two students who both pasted the solution look alike through it.

Outputs in ``--out DIR``
    - ``similarity.html``: offline (no network, no script). First the distribution of each
      student's highest score against a classmate (and against the worked solutions), then the
      ``--top`` (default 50) most similar pairs with their matching cells side by side and the
      matching lines and words highlighted, then the notebooks closest to the worked solutions,
      then the files that could not be read.
    - ``similarity.csv``: ``kind,student_a,student_b,score,code_score,text_score,
      solution_score,matches``: one ``pair`` row per pair scoring 0.2 or more (at most ten per submission, the
      most similar), then one
      ``solution`` row per student; ``matches`` names the cells (``cell 5 ~ cell 7``) and the
      written answer. Formula-safe, as every course CSV.

What it is not
    A verdict. Short exercises have few ways to be answered, hints can spell an answer out,
    students may work together where allowed, and a student who copied and rewrote the logic
    can score low. The report shows where to look; a person reads the passages and decides.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _similarity(args: argparse.Namespace) -> int:
    from grader.notebook_text import visible
    from grader.similarity.compare import compare_folder
    from grader.similarity.report import write_similarity_csv, write_similarity_html

    if not args.submissions.is_dir():
        raise ValueError(f"{args.submissions}: not a folder of submissions")
    if args.top < 0:
        raise ValueError(f"--top must be 0 or more, got {args.top}")
    comparison = compare_folder(args.submissions, args.solutions)
    args.out.mkdir(parents=True, exist_ok=True)
    csv_path, html_path = args.out / "similarity.csv", args.out / "similarity.html"
    write_similarity_csv(comparison, csv_path)
    write_similarity_html(comparison, html_path, args.top)
    for name, why in comparison.unreadable:
        print(f"not compared, {visible(name)}: {why}", file=sys.stderr)
    flagged = sum(1 for pair in comparison.pairs if pair.score >= 0.5)
    print(f"{len(comparison.documents)} submissions compared, {flagged} pairs at 0.5 or above; "
          f"report {html_path}, table {csv_path} (a signal for a human reader, not a verdict)")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``course similarity`` to the ``course`` command's subcommands."""
    similarity = commands.add_parser(
        "similarity",
        help="offline report of submissions that look alike (a signal, not a verdict)")
    similarity.add_argument("submissions", type=Path, metavar="SUBMISSIONS")
    similarity.add_argument("--solutions", type=Path, default=None, metavar="EXERCISE_SOURCE",
                            help="exercise source (exercises/NN-slug.md): compare with its "
                                 "worked solutions and leave out its template code")
    similarity.add_argument("--out", type=Path, required=True,
                            help="folder for similarity.html and similarity.csv")
    similarity.add_argument("--top", type=int, default=50,
                            help="pairs shown side by side in the report")
    similarity.set_defaults(run=_similarity)
