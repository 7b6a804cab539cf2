"""What the manual grading loop reads: the bundle's written questions, the gradebook and the
written answers ``course grade`` left in ``manual.csv`` beside it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.bundle import Bundle, load_bundle
from grader.manual.rubric import Rubric, parse_rubric
from grader.spreadsheet import read_csv, read_records

GRADEBOOK = "gradebook.csv"
MANUAL = "manual.csv"


@dataclass(frozen=True)
class Gradebook:
    path: Path
    header: list[str]
    rows: list[list[str]]

    @property
    def students(self) -> list[str]:
        column = self.header.index("student")
        return [row[column] for row in self.rows if len(row) > column]


@dataclass(frozen=True)
class Inputs:
    bundle: Bundle
    rubrics: dict[str, Rubric]  # written question id -> rubric, in the bundle's order
    gradebook: Gradebook
    answers: dict[tuple[str, str], str]  # (question, student) -> answer text

    @property
    def folder(self) -> Path:
        return self.gradebook.path.parent


def gradebook_path(where: Path) -> Path:
    """``where`` is the gradebook CSV or the folder holding ``gradebook.csv``."""
    path = where / GRADEBOOK if where.is_dir() else where
    if not path.is_file():
        raise ValueError(f"{path}: no gradebook (run course grade first, or name the gradebook "
                         "CSV it wrote)")
    return path


def read_gradebook(path: Path) -> Gradebook:
    header, rows = read_csv(path)
    for column in ("student", "score", "max_score"):
        if column not in header:
            raise ValueError(f"{path}: not a course gradebook (no {column!r} column)")
    return Gradebook(path, header, [row + [""] * (len(header) - len(row)) for row in rows])


def read_answers(path: Path, rubrics: dict[str, Rubric]) -> dict[tuple[str, str], str]:
    if not path.is_file():
        raise ValueError(f"{path}: no written answers (course grade writes it beside the "
                         "gradebook when the bundle has written questions)")
    answers = {}
    for number, row in enumerate(read_records(path), start=2):
        if row.get("question") not in rubrics:
            raise ValueError(f"{path}, row {number}, column question: {row.get('question')!r} "
                             "is not a written question of the bundle (graded with another "
                             "bundle?)")
        answers[(row["question"], row["student"])] = row.get("answer", "")
    return answers


def load_inputs(bundle_path: Path, where: Path) -> Inputs:
    bundle = load_bundle(bundle_path)
    rubrics = {q["id"]: parse_rubric(q) for q in bundle.questions if q["kind"] == "written"}
    if not rubrics:
        raise ValueError(f"{bundle_path}: the bundle has no written questions")
    gradebook = read_gradebook(gradebook_path(where))
    answers = read_answers(gradebook.path.parent / MANUAL, rubrics)
    return Inputs(bundle, rubrics, gradebook, answers)
