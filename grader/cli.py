"""The ``course`` command: an instructor's term — release, grade, manual-sheets and
manual-merge (written answers), similarity, export-canvas / -moodle / -brightspace /
-blackboard, report — plus student-wheel and pages.

Run ``course COMMAND --help`` for each command's options; instructors.md walks through them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grader.source import SourceError


def _release(args: argparse.Namespace) -> int:
    from grader.release import release

    for item in release(args.exercise_sets, args.out, args.seed):
        chosen = ", ".join(f"{k}={v}" for k, v in item.params.items()) or "no parameters"
        print(f"{item.set_id}: {item.notebook} (students), {item.bundle} (keep private); "
              f"{chosen}")
        if item.default_limit is not None:
            print(f"  CPU limit {item.default_limit.timeout:g} s per notebook by default (the "
                  f"solution needs {item.default_limit.solution_cpu_seconds:g} s)")
        else:
            print(f"warning: {item.problem}; course grade will use the built-in limit unless "
                  "given --timeout", file=sys.stderr)
    return 0


def _grade(args: argparse.Namespace) -> int:
    from collections import Counter

    from grader.batch import default_workers, grade_folder, not_notebooks
    from grader.bundle import load_bundle
    from grader.grading import Limits
    from grader.notebook_text import visible
    from grader.sandbox.summary import describe
    from grader.solution_cost import chosen_timeout

    timeout, source = chosen_timeout(load_bundle(args.bundle), args.timeout)
    print(f"CPU limit {timeout:g} s per notebook ({source})")
    limits = Limits(timeout=timeout, memory_mb=args.memory,
                    check_seconds=args.check_timeout, check_memory_mb=args.check_memory)
    workers = args.workers or default_workers()
    records = grade_folder(args.bundle, args.submissions, args.out, limits, workers,
                           args.student, progress=not args.quiet)
    counts = Counter(r.status for r in records)
    print(f"{len(records)} submissions: " + ", ".join(f"{n} {s}" for s, n in counts.items())
          + f"; gradebook {args.out}; feedback in {args.out.parent / 'feedback'}")
    twice = sorted(name for name, n in Counter(r.student for r in records).items() if n > 1)
    if twice:  # e.g. kim.ipynb and kim.IPYNB: both graded, one feedback file
        print(f"more than one notebook for: {', '.join(map(visible, twice))} (each has a row in the "
              "gradebook; keep one per student)", file=sys.stderr)
    skipped = not_notebooks(args.submissions)
    if skipped:
        shown = ", ".join(map(visible, skipped[:10])) + (f" and {len(skipped) - 10} more" if len(skipped) > 10
                                           else "")
        print(f"not graded, not .ipynb files: {shown}", file=sys.stderr)
    fresh = [r.sandbox for r in records if r.sandbox]
    if fresh:
        print(describe(fresh[-1]))
    return 0


def _export_canvas(args: argparse.Namespace) -> int:
    from grader.canvas import export_canvas

    warnings = export_canvas(args.gradebook, args.out, args.assignment, args.roster, args.manual)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"Canvas gradebook: {args.out}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from grader.report import write_report

    print(f"report: {write_report(args.gradebook, args.out, args.bundle)}")
    return 0


def _pages(args: argparse.Namespace) -> int:
    from grader.pages import write_student_pages

    for path in write_student_pages(args.src_dir, args.out_dir):
        print(path)
    return 0


def _student_wheel(args: argparse.Namespace) -> int:
    import hashlib

    from grader.student_wheel import build_student_wheel

    wheel = build_student_wheel(args.out)
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    print(f"student package: {wheel} (sha256 {digest}); students install it with "
          f"pip install {wheel.name}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="course", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    release = commands.add_parser("release", help="write student notebooks and grader bundles")
    release.add_argument("exercise_sets", nargs="+", type=Path, metavar="EXERCISE_SET")
    release.add_argument("--out", type=Path, required=True)
    release.add_argument("--seed", type=int, default=None,
                         help="cohort seed: picks the values of parameterised questions")
    release.set_defaults(run=_release)

    grade = commands.add_parser("grade", help="grade a folder of .ipynb submissions")
    grade.add_argument("bundle", type=Path)
    grade.add_argument("submissions", type=Path)
    grade.add_argument("--out", type=Path, required=True, help="gradebook CSV to write")
    grade.add_argument("--workers", type=int, default=None,
                       help="grading processes (default: CPU cores + 2)")
    grade.add_argument("--timeout", type=float, default=None,
                       help="CPU seconds per notebook, fractions allowed (the wall clock allows twice "
                            "that; default: the bundle's limit, measured from the solution at "
                            "release)")
    grade.add_argument("--memory", type=int, default=1024, help="MB per notebook")
    grade.add_argument("--check-timeout", type=float, default=10.0,
                       help="CPU seconds for checking one answer (the tests' side)")
    grade.add_argument("--check-memory", type=int, default=1024,
                       help="MB for checking a notebook's answers (the tests' side)")
    grade.add_argument("--student", default=None, help="regrade this student only")
    grade.add_argument("--quiet", action="store_true", help="no progress bar")
    grade.set_defaults(run=_grade)

    canvas = commands.add_parser("export-canvas", help="gradebook -> Canvas import CSV")
    canvas.add_argument("gradebook", type=Path)
    canvas.add_argument("--out", type=Path, required=True)
    canvas.add_argument("--assignment", required=True, help="Canvas assignment column name")
    canvas.add_argument("--roster", type=Path, default=None,
                        help="Canvas gradebook export, to match students")
    canvas.add_argument("--manual", type=Path, default=None,
                        help="manual.csv with points filled in for written questions")
    canvas.set_defaults(run=_export_canvas)

    report = commands.add_parser("report", help="offline HTML report of a gradebook")
    report.add_argument("gradebook", type=Path)
    report.add_argument("--out", type=Path, default=Path("report.html"))
    report.add_argument("--bundle", type=Path, default=None,
                        help="bundle, for exact per-question maxima")
    report.set_defaults(run=_report)

    wheel = commands.add_parser(
        "student-wheel",
        help="build the package students install: the course library, the data and check() "
             "(no exercise sources, solutions, hidden tests or grading code)")
    wheel.add_argument("--out", type=Path, required=True, help="folder to write the wheel into")
    wheel.set_defaults(run=_student_wheel)

    from grader import lms, manual, similarity

    manual.register(commands)
    similarity.register(commands)
    lms.register(commands)

    pages = commands.add_parser("pages", help="write the book's student pages")
    pages.add_argument("src_dir", type=Path)
    pages.add_argument("out_dir", type=Path)
    pages.set_defaults(run=_pages)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (SourceError, ValueError, OSError) as err:
        print(f"course {args.command}: error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
