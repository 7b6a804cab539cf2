"""``course manual-sheets``: write each written question's page and grading sheet(s)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from grader.manual.inputs import Inputs, load_inputs
from grader.manual.page import grading_page
from grader.manual.pseudonyms import load_or_create_key, pseudonyms, shuffled
from grader.manual.sheets import SheetRow, read_sheets, sheet_header, sheet_stem
from grader.spreadsheet import TEXT_ERRORS, Cell, write_csv


@dataclass(frozen=True)
class Written:
    sheets: list[Path]
    pages: list[Path]
    answers: int
    kept: int  # rows whose entries were carried over from existing sheets


def class_students(inputs: Inputs) -> list[str]:
    """Everyone with a row in the gradebook or an answer in manual.csv, each once."""
    students = dict.fromkeys(inputs.gradebook.students)
    students.update(dict.fromkeys(student for _, student in inputs.answers))
    return list(students)


def _entered_rows(folder: Path, known: set[tuple[str, str]]) -> dict[tuple[str, str], SheetRow]:
    """What graders already entered in the folder's sheets, by (question, pseudonym)."""
    rows, problems = read_sheets(folder)
    entered: dict[tuple[str, str], SheetRow] = {}
    for row in rows:
        if not row.entered:
            continue
        key = (row.question, row.pseudonym)
        if key not in known:
            problems.append(f"{row.where('pseudonym')}: levels or a comment for "
                            f"{row.pseudonym!r}, question {row.question!r}, which this "
                            "gradebook does not have (move the row's entries, or delete it)")
        elif key in entered and not entered[key].same_entries(row):
            problems.append(f"{entered[key].file}, row {entered[key].row} and {row.file}, row "
                            f"{row.row}: the answer of {row.pseudonym} to {row.question} has "
                            "different entries in each (keep one)")
        else:
            entered.setdefault(key, row)
    if problems:
        raise ValueError("cannot keep the entries of the existing sheets:\n  "
                         + "\n  ".join(problems))
    return entered


def _replace(path: Path, text: str | None = None,
             rows: tuple[list[str], list[list[Cell]]] | None = None) -> None:
    """Write a file whole or not at all: a sheet is never left half written."""
    partial = path.with_name(f".{path.name}.partial")
    if rows is not None:
        write_csv(partial, rows[0], rows[1])
    else:
        partial.write_text(text or "", encoding="utf-8", errors=TEXT_ERRORS)
    os.replace(partial, path)


def make_sheets(bundle_path: Path, where: Path, out: Path, graders: int = 1,
                reveal_names: bool = False, seed: str = "") -> Written:
    if graders < 1:
        raise ValueError(f"--graders {graders}: at least one grader")
    inputs = load_inputs(bundle_path, where)
    out.mkdir(parents=True, exist_ok=True)
    os.chmod(out, 0o700)  # the students' answers and the key
    key = load_or_create_key(out)
    names = pseudonyms(key, class_students(inputs))
    known = {(question, names[student]) for question, student in inputs.answers}
    entered = _entered_rows(out, known)
    title = str(inputs.bundle.data.get("title") or inputs.bundle.data["set_id"])
    sheets, pages = [], []
    for question, rubric in inputs.rubrics.items():
        students = [s for q, s in inputs.answers if q == question]
        order = shuffled(key, seed, question, students)
        for grader in range(1, graders + 1):
            part = order[(grader - 1) * len(order) // graders: grader * len(order) // graders]
            stem = sheet_stem(question, grader, graders)
            rows: list[list[Cell]] = []
            for student in part:
                pseudonym = names[student]
                kept = entered.get((question, pseudonym))
                levels = [kept.levels.get(c.number, "") if kept else "" for c in rubric.criteria]
                rows.append([pseudonym, *([student] if reveal_names else []), question, *levels,
                             kept.comment if kept else ""])
            sheet, page = out / f"{stem}.csv", out / f"{stem}.html"
            _replace(sheet, rows=(sheet_header(rubric, reveal_names), rows))
            labels = [f"{names[s]} ({s})" if reveal_names else names[s] for s in part]
            answers = [inputs.answers[(question, s)] for s in part]
            _replace(page, grading_page(title, rubric, sheet.name,
                                        list(zip(labels, answers, strict=True))))
            sheets.append(sheet)
            pages.append(page)
    _remove_stale(out, inputs.rubrics, set(sheets) | set(pages))
    return Written(sheets, pages, len(inputs.answers), len(entered))


def _remove_stale(out: Path, questions: dict, current: set[Path]) -> None:
    """Sheets and pages of an earlier split (say, three graders, now two): their entries were
    carried into the current sheets, and merging must not read them twice."""
    for question in questions:
        for pattern in (f"{question}.*", f"{question}-grader-*.*"):
            for path in out.glob(pattern):
                if path.suffix in (".csv", ".html") and path not in current:
                    path.unlink()
