"""Student versions of exercise sets: the book page (MyST) and the release notebook (.ipynb).

``python -m grader.pages SRC_DIR OUT_DIR`` writes, for each ``SRC_DIR/NN-slug.md``, the student
page ``OUT_DIR/NN-slug.md``: questions, blank answer cells and check cells; no solutions, hidden
tests, test setup or rubrics. Public tests travel inside a hidden setup cell, so the downloaded
notebook checks answers offline.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import sys
from pathlib import Path
from typing import Any

from grader.bundle import PREAMBLE, public_payload
from grader.myst import Cell, MystNotebook, write_myst
from grader.source import PLACEHOLDER, ExerciseSet, SourceError, load_exercise_set, role_of
from grader.variants import ID_CELL_TAG, ID_VARIABLE, student_params, variant_index

SETUP_TAG = "grader-setup"
WRITTEN_PLACEHOLDER = "*Write your answer here, replacing this line.*"

FRONT_MATTER = {
    "jupytext": {
        "text_representation": {"extension": ".md", "format_name": "myst"},
    },
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "file_format": "mystnb",
}


def _python_literal(text: str, width: int = 90) -> str:
    """A long string as a parenthesised run of short string literals (readable, exact)."""
    chunks = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    return "(\n" + "".join(f"    {chunk!r}\n" for chunk in chunks) + ")"


def hidden_setup_source(exercise_set: ExerciseSet, params: dict[str, Any],
                        seed: int | None = None) -> str:
    lines = []
    if importlib.util.find_spec("minilat.preamble") is not None:
        lines.append(PREAMBLE)
    payload = json.dumps(public_payload(exercise_set, params), ensure_ascii=False)
    lines += [
        "from grader.student import Checks",
        "",
        "# Public tests of this set: check() runs them here; hidden tests run when graded.",
    ]
    if not exercise_set.per_student:
        lines += [
            f"_checks = Checks.from_json{_python_literal(payload)}",
            "check, check_all = _checks.check, _checks.check_all",
            f"params = {params!r}",
        ]
        return "\n".join(lines)
    # The student's own values, from STUDENT_ID (first cell) and the cohort seed; the grader
    # derives the same ones with the same code (grader.variants).
    lines += [
        "import json as _json",
        "from typing import Any",
        "",
        inspect.getsource(variant_index),
        inspect.getsource(student_params),
        f"_payload = _json.loads{_python_literal(payload)}",
        "_student_id = globals().get(\"STUDENT_ID\")",
        "_student_id = _student_id if isinstance(_student_id, str) else \"\"",
        f"params = student_params(_payload[\"params\"], {exercise_set.per_student!r}, "
        f"{seed!r}, {exercise_set.id!r}, _student_id)",
        "_payload[\"params\"] = params",
        "_checks = Checks(_payload)",
        "check, check_all = _checks.check, _checks.check_all",
        "if _student_id.strip():",
        "    print(f\"Your values (student {_student_id.strip()!r}): {params}\")",
        "else:",
        "    print(\"Set STUDENT_ID in the first cell, run it, then run this notebook again: \"",
        "          \"until then you have the class's shared values, not your own.\")",
    ]
    return "\n".join(lines)


STUDENT_ID_CELL = f"""# Your student identifier, exactly as your instructor gave it: some values in this
# notebook are your own, computed from it. Set it, then run every cell again.
{ID_VARIABLE} = \"\""""


def _markdown(cell: Cell, params: dict[str, Any], where: str) -> Cell:
    from grader.source import substitute

    text = substitute(cell.source, params)
    leftover = PLACEHOLDER.search(text)
    if leftover:
        raise SourceError(
            f"{where}:{cell.line}: placeholder {leftover.group(0)} names no parameter "
            f"(parameters: {', '.join(params) or 'none'})"
        )
    metadata = {k: v for k, v in cell.metadata.items() if k != "grader"}
    return Cell("markdown", text, metadata, cell.line)


def student_notebook(exercise_set: ExerciseSet, params: dict[str, Any],
                     seed: int | None = None) -> MystNotebook:
    """The student version of a set for one parameter choice (and, for per-student
    parameters, the cohort ``seed`` their values derive from)."""
    where = str(exercise_set.path)
    cells = []
    if exercise_set.per_student:  # the identifier comes first: the hidden setup reads it
        cells.append(Cell("code", STUDENT_ID_CELL, {"tags": [ID_CELL_TAG]}))
    cells.append(Cell("code", hidden_setup_source(exercise_set, params, seed),
                      {"tags": ["remove-cell", SETUP_TAG]}))
    shown = exercise_set.text_params(params)
    for cell in exercise_set.notebook.cells:
        role = role_of(cell)
        if role in ("test", "hidden-test", "test-setup"):
            continue
        if role == "setup":
            cells.append(Cell("code", cell.source, {"tags": [SETUP_TAG]}))
        elif role == "solution":
            question = exercise_set.question(cell.metadata["grader"]["question"])
            cells.append(Cell("code", question.stub, {"tags": [f"answer-{question.id}"]}))
            cells.append(Cell("code", f'check("{question.id}")', {}))
        elif role == "written":
            question = exercise_set.question(cell.metadata["grader"]["question"])
            cells.append(Cell("markdown", WRITTEN_PLACEHOLDER, {"tags": [f"answer-{question.id}"]}))
        elif cell.cell_type == "markdown":
            cells.append(_markdown(cell, shown, where))
        else:
            metadata = {k: v for k, v in cell.metadata.items() if k != "grader"}
            cells.append(Cell("code", cell.source, metadata))
    cells.append(Cell("markdown", "## Check all your answers", {}))
    cells.append(Cell("code", "check_all()", {}))
    return MystNotebook(dict(FRONT_MATTER), cells)


def write_student_pages(src_dir: Path, out_dir: Path) -> list[Path]:
    """Write the book page of every exercise source in ``src_dir``; return the written paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    from grader.source import exercise_sources

    for source in exercise_sources(src_dir):
        exercise_set = load_exercise_set(source)
        notebook = student_notebook(exercise_set, exercise_set.choose_params(None))
        target = out_dir / source.name
        text = write_myst(notebook)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")  # unchanged pages keep the build cache
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m grader.pages", description="Write the student pages of exercise sets."
    )
    parser.add_argument("src_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    try:
        paths = write_student_pages(args.src_dir, args.out_dir)
    except (SourceError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
