"""``course manual-merge``: check the graders' sheets and merge them into the gradebook and the
students' feedback."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from grader.manual.grades import Grade, check_rows
from grader.manual.inputs import Inputs, load_inputs
from grader.manual.make import class_students
from grader.manual.pseudonyms import pseudonyms, read_key
from grader.manual.rubric import Rubric
from grader.manual.sheets import read_sheets
from grader.spreadsheet import TEXT_ERRORS, Cell, write_csv

MERGED = "gradebook-with-written.csv"
EXTRA_COLUMNS = ["written_score", "written_max", "total", "total_max"]


class SheetErrors(ValueError):
    """The sheets hold cells that cannot be merged; the message lists every one."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in the grading sheets, nothing merged:\n  "
                         + "\n  ".join(errors))


@dataclass(frozen=True)
class Merged:
    gradebook: Path
    graded: int
    ungraded: int
    feedback: list[Path]


def start_marker(question: str) -> str:
    return f"<!-- written grade {question} -->"


def end_marker(question: str) -> str:
    return f"<!-- end of written grade {question} -->"


def _fmt(points: float) -> str:
    return f"{points:g}"


def feedback_section(rubric: Rubric, grade: Grade) -> str:
    points = grade.points(rubric)
    lines = [start_marker(rubric.question),
             f"## {rubric.question}: written answer, {_fmt(sum(points.values()))} / "
             f"{_fmt(rubric.points)} (graded by your instructor)", ""]
    lines += [f"- {_fmt(points[c.number])} / {_fmt(c.points)}: {c.text}" for c in rubric.criteria]
    if grade.comment:
        lines += ["", "Comment:", ""]
        lines += ["> " + line for line in grade.comment.replace("\r\n", "\n").split("\n")]
    lines.append(end_marker(rubric.question))
    return "\n".join(lines)


def without_sections(text: str, questions: list[str]) -> str:
    """``text`` without the sections an earlier merge added (whole lines between markers;
    a student's answer is quoted with ``> `` there, so it cannot forge a marker)."""
    starts = {start_marker(q): end_marker(q) for q in questions}
    kept, ending = [], None
    for line in text.split("\n"):
        if ending is None and line in starts:
            ending = starts[line]
        elif ending is not None:
            if line == ending:
                ending = None
        else:
            kept.append(line)
    return "\n".join(kept).rstrip("\n") + "\n"


def _write_feedback(inputs: Inputs, grades: dict[tuple[str, str], Grade]) -> list[Path]:
    folder = inputs.folder / "feedback"
    folder.mkdir(exist_ok=True)
    written = []
    for student in class_students(inputs):
        path = folder / f"{student}.md"
        if path.resolve().parent != folder.resolve():
            raise ValueError(f"{inputs.gradebook.path}: student {student!r} is not a file name")
        old = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        sections = [feedback_section(rubric, grades[(question, student)])
                    for question, rubric in inputs.rubrics.items()
                    if (question, student) in grades]
        new = without_sections(old, list(inputs.rubrics))
        if sections:
            new += "\n" + "\n\n".join(sections) + "\n"
        if new != old:
            path.write_text(new, encoding="utf-8", errors=TEXT_ERRORS)
            written.append(path)
    return written


def _number(text: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{where}: {text!r} is not a number") from None


def _write_gradebook(inputs: Inputs, grades: dict[tuple[str, str], Grade]) -> Path:
    book = inputs.gradebook
    header = list(book.header)
    header += [q for q in inputs.rubrics if q not in header]
    header += [c for c in EXTRA_COLUMNS if c not in header]
    written_max = sum(rubric.points for rubric in inputs.rubrics.values())
    rows: list[list[Cell]] = []
    for number, cells in enumerate(book.rows, start=2):
        row: dict[str, Cell] = dict(zip(book.header, cells, strict=False))
        student = str(row["student"])
        written = 0.0
        for question, rubric in inputs.rubrics.items():
            grade = grades.get((question, student))
            if grade is None:
                row[question] = "not graded"
            else:
                row[question] = sum(grade.points(rubric).values())
                written += float(row[question])
        score = _number(str(row["score"]), f"{book.path}, row {number}, column score")
        most = _number(str(row["max_score"]), f"{book.path}, row {number}, column max_score")
        row |= {"written_score": written, "written_max": written_max,
                "total": score + written, "total_max": most + written_max}
        rows.append([row.get(column, "") for column in header])
    path = inputs.folder / MERGED
    partial = path.with_name(f".{path.name}.partial")
    write_csv(partial, header, rows)
    os.replace(partial, path)
    return path


def merge_sheets(bundle_path: Path, where: Path, sheets: Path) -> Merged:
    inputs = load_inputs(bundle_path, where)
    names = pseudonyms(read_key(sheets), class_students(inputs))
    rows, problems = read_sheets(sheets)
    if not rows and not problems:
        raise ValueError(f"{sheets}: no grading sheets (*.csv); write them with "
                         "course manual-sheets")
    checked = check_rows(rows, inputs.rubrics, {p: s for s, p in names.items()},
                         set(inputs.answers))
    if problems or checked.errors:
        raise SheetErrors(problems + checked.errors)
    gradebook = _write_gradebook(inputs, checked.grades)
    feedback = _write_feedback(inputs, checked.grades)
    return Merged(gradebook, len(checked.grades), checked.ungraded, feedback)
