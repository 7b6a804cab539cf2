"""Checking what graders entered: every cell of every sheet, every error listed at once."""

from __future__ import annotations

from dataclasses import dataclass

from grader.manual.rubric import Rubric
from grader.manual.sheets import SheetRow


@dataclass(frozen=True)
class Grade:
    """One written answer, graded: a level per criterion and the grader's comment."""

    question: str
    student: str
    levels: dict[int, float]  # criterion number -> level
    comment: str
    source: SheetRow

    def points(self, rubric: Rubric) -> dict[int, float]:
        return {c.number: c.points_for(self.levels[c.number]) for c in rubric.criteria}


@dataclass
class Checked:
    grades: dict[tuple[str, str], Grade]  # (question, student) -> grade
    ungraded: int  # answers with no row filled in yet
    errors: list[str]


def _check_row(row: SheetRow, rubric: Rubric, student: str) -> tuple[Grade | None, list[str]]:
    """The grade a row holds (None if it holds none yet) and the errors of its cells."""
    errors = []
    levels: dict[int, float] = {}
    blank = []
    for criterion in rubric.criteria:
        text = row.levels.get(criterion.number)
        if text is None:
            errors.append(f"{row.file}, row 1: no column {criterion.column} for question "
                          f"{rubric.question} (needed by row {row.row})")
        elif not text.strip():
            blank.append(criterion)
        else:
            try:
                levels[criterion.number] = criterion.check_level(text)
            except ValueError as err:
                errors.append(f"{row.where(criterion.column)}: {err}")
    for number in sorted(set(row.levels) - {c.number for c in rubric.criteria}):
        if row.levels[number].strip():
            errors.append(f"{row.where(f'c{number}')}: question {rubric.question} has no "
                          f"criterion c{number} (it has {len(rubric.criteria)})")
    if not any(row.levels.get(c.number, "").strip() for c in rubric.criteria):
        if row.comment.strip():
            errors.append(f"{row.where('comment')}: a comment but no levels (enter a level "
                          "for every criterion, or clear the comment)")
        return None, errors
    errors += [f"{row.where(c.column)}: no level (once a row has a level, every criterion "
               "needs one)" for c in blank]
    if errors:
        return None, errors
    return Grade(rubric.question, student, levels, row.comment.strip(), row), errors


def check_rows(rows: list[SheetRow], rubrics: dict[str, Rubric],
               students_by_pseudonym: dict[str, str],
               answers: set[tuple[str, str]]) -> Checked:
    """Grades from sheet rows; ``answers`` are the (question, student) pairs to grade."""
    errors: list[str] = []
    grades: dict[tuple[str, str], Grade] = {}
    for row in rows:
        if not row.pseudonym and not row.question and not row.entered:
            continue  # a blank line a spreadsheet left
        student = students_by_pseudonym.get(row.pseudonym)
        rubric = rubrics.get(row.question)
        if student is None:
            errors.append(f"{row.where('pseudonym')}: unknown pseudonym {row.pseudonym!r} "
                          "(not a student of this gradebook)")
        if rubric is None:
            errors.append(f"{row.where('question')}: unknown question {row.question!r} "
                          f"(written questions: {', '.join(rubrics)})")
        if student is None or rubric is None or not row.entered:
            continue
        grade, wrong = _check_row(row, rubric, student)
        errors += wrong
        if grade is None:
            continue
        earlier = grades.get((row.question, student))
        if earlier is not None and not earlier.source.same_entries(row):
            errors.append(f"{earlier.source.file}, row {earlier.source.row} and {row.file}, "
                          f"row {row.row}: the answer of {row.pseudonym} to {row.question} is "
                          "graded differently in each (keep one)")
        elif earlier is None:
            grades[(row.question, student)] = grade
    ungraded = sum(1 for key in answers if key not in grades)
    return Checked(grades, ungraded, errors)
