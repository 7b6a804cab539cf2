"""Grading written answers by hand: ``course manual-sheets`` then ``course manual-merge``.

1. ``course manual-sheets BUNDLE GRADEBOOK_DIR --out DIR`` writes, for each written question,
   ``DIR/QUESTION.html`` — the question's rubric and every student's answer, shuffled, under a
   pseudonym (``S-4F2A``) unless ``--reveal-names`` — and ``DIR/QUESTION.csv``, the sheet where
   the grader enters a level per rubric criterion (columns ``c1``, ``c2``...) and a comment
   for the student. ``--graders N`` splits each question's answers into N parts,
   ``QUESTION-grader-K.html`` and ``.csv``. The pseudonyms come from a secret in ``DIR/.key``
   (keep it; do not give it to graders). Running it again (say, after a late submission was
   graded) keeps every level and comment already entered in the folder's sheets.
2. ``course manual-merge BUNDLE GRADEBOOK_DIR --sheets DIR`` checks every cell of every sheet
   and lists every problem (file, row, column); when there is none it writes
   ``gradebook-with-written.csv`` beside the gradebook (its columns, each written question's
   points, ``written_score``, ``written_max``, ``total`` = ``score`` + ``written_score`` and
   ``total_max``; ``score`` stays the automatic score) and a section per graded question at
   the end of each student's ``feedback/STUDENT.md`` (replaced, never repeated, on the next
   merge). Answers nobody has graded yet are counted, not refused.

Points: a criterion's levels run from 0 to its highest level descriptor, or to its points when
the rubric lists none (``- 1 point: ...``); a level earns ``level / highest level × points``.
grader.manual.rubric describes the rubric format.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def _sheets(args: argparse.Namespace) -> int:
    from grader.manual.make import make_sheets

    written = make_sheets(args.bundle, args.gradebook, args.out, args.graders,
                          args.reveal_names, "" if args.seed is None else str(args.seed))
    print(f"{len(written.sheets)} grading sheet(s) and page(s) for {written.answers} answers "
          f"in {args.out}" + (f"; kept the entries of {written.kept} answers already graded"
                              if written.kept else ""))
    print(f"keep {args.out / '.key'} (it makes the pseudonyms); give graders the .html and "
          ".csv files only")
    return 0


def _merge(args: argparse.Namespace) -> int:
    from grader.manual.merge import merge_sheets

    merged = merge_sheets(args.bundle, args.gradebook, args.sheets)
    print(f"merged {merged.graded} graded answers into {merged.gradebook}; feedback updated "
          f"for {len(merged.feedback)} students")
    if merged.ungraded:
        print(f"not yet graded: {merged.ungraded} answers")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``manual-sheets`` and ``manual-merge`` to the ``course`` command."""
    sheets = commands.add_parser(
        "manual-sheets",
        help="written questions: a page (rubric and anonymised answers) and a grading sheet each")
    sheets.add_argument("bundle", type=Path)
    sheets.add_argument("gradebook", type=Path, metavar="GRADEBOOK_DIR",
                        help="folder of the gradebook.csv and manual.csv course grade wrote "
                             "(or the gradebook CSV itself)")
    sheets.add_argument("--out", type=Path, required=True, help="folder for pages and sheets")
    sheets.add_argument("--graders", type=int, default=1,
                        help="split each question's answers between this many graders")
    sheets.add_argument("--reveal-names", action="store_true",
                        help="show students' names beside their pseudonyms")
    sheets.add_argument("--seed", default=None, help="another shuffle of the answers")
    sheets.set_defaults(run=_sheets)

    merge = commands.add_parser(
        "manual-merge", help="check the grading sheets; merge points and comments")
    merge.add_argument("bundle", type=Path)
    merge.add_argument("gradebook", type=Path, metavar="GRADEBOOK_DIR",
                       help="folder of the gradebook.csv (or the gradebook CSV itself)")
    merge.add_argument("--sheets", type=Path, required=True,
                       help="the folder course manual-sheets wrote")
    merge.set_defaults(run=_merge)
