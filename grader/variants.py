"""Per-student variants: parameter values derived from the cohort seed and a student identifier.

A parameter declared ``per_student: true`` (exercises/README.md) takes, for each student, the
choice picked by the first 8 bytes of ``sha256(f"{seed}:{set_id}:{name}:{id}")`` read as a
big-endian integer, modulo the number of choices; ``id`` is the identifier with surrounding
spaces removed and case folded, ``seed`` is the release's ``--seed`` (``None`` without one).
The derivation is public on purpose (the student notebook runs the same code): the point is that
neighbours get different numbers, not that the numbers are secret.

The student writes the identifier as ``STUDENT_ID = "..."`` in the notebook's first code cell.
The grader reads it statically (never by running the notebook's code in the grading process),
grades against that identifier's values, and says whether it is the file's student.
"""

from __future__ import annotations

import ast
from typing import Any

ID_VARIABLE = "STUDENT_ID"
ID_CELL_TAG = "student-id"
LONGEST_ID_LINE = 1000  # a longer line is not read as an identifier (nor parsed)
OK, MISSING, MISMATCH = "ok", "missing", "mismatch: claims "


def variant_index(seed: Any, set_id: str, name: str, student_id: str, count: int) -> int:
    """Which of ``count`` choices parameter ``name`` of set ``set_id`` takes for a student."""
    import hashlib

    key = f"{seed}:{set_id}:{name}:{student_id.strip().casefold()}"
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big") % count


def student_params(cohort: dict[str, Any], per_student: dict[str, list[Any]], seed: Any,
                   set_id: str, student_id: str) -> dict[str, Any]:
    """The cohort's values with each per-student parameter replaced by the student's own; the
    cohort's values unchanged when the identifier is blank."""
    if not student_id.strip():
        return dict(cohort)
    return {**cohort, **{
        name: choices[variant_index(seed, set_id, name, student_id, len(choices))]
        for name, choices in per_student.items()
    }}


def claimed_id(first_cell: str) -> str | None:
    """The identifier a notebook claims: the string of a top-level line
    ``STUDENT_ID = "..."`` in its first code cell (the first such line), or None. Each
    candidate line is parsed alone, so a huge or broken cell costs no more than its lines."""
    for line in first_cell.splitlines():
        if not line.startswith(ID_VARIABLE) or len(line) > LONGEST_ID_LINE:
            continue
        try:
            statement = ast.parse(line).body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        if (len(statement) == 1 and isinstance(statement[0], ast.Assign)
                and [getattr(t, "id", None) for t in statement[0].targets] == [ID_VARIABLE]
                and isinstance(statement[0].value, ast.Constant)
                and isinstance(statement[0].value.value, str)):
            return statement[0].value.value
    return None


def variant_status(student: str, claimed: str | None) -> str:
    """The gradebook's ``variant`` cell: ``ok`` when the identifier is the file's student
    (ignoring case and surrounding spaces), ``missing`` when there is none (or it is blank),
    else ``mismatch: claims <id>`` (the identifier shown as text, on one line)."""
    from grader.notebook_text import visible

    if claimed is None or not claimed.strip():
        return MISSING
    if claimed.strip().casefold() == student.strip().casefold():
        return OK
    return MISMATCH + visible(claimed.strip(), 80)
