"""Read and write MyST Markdown notebooks (the text notebook format of the book).

Only the subset the course uses: YAML front matter, ```{code-cell}``` blocks with ``:key: value``
options or a ``---`` YAML option block, and ``+++ {json}`` markers that start a markdown cell
(optionally with metadata). Errors name the file and line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CODE_CELL_START = re.compile(r"^(?P<fence>`{3,}|~{3,})\{code-cell\}(?P<lang>.*)$")
CELL_BREAK = re.compile(r"^\+\+\+\s*(?P<meta>\{.*\})?\s*$")


class MystFormatError(ValueError):
    """A MyST notebook could not be read; the message names the file and line."""


@dataclass
class Cell:
    cell_type: str  # "code" | "markdown"
    source: str
    metadata: dict[str, Any] = field(default_factory=dict)
    line: int = 0  # 1-based line in the source file, for error messages

    @property
    def tags(self) -> list[str]:
        return list(self.metadata.get("tags", []))


@dataclass
class MystNotebook:
    front_matter: dict[str, Any]
    cells: list[Cell]


def _split_front_matter(lines: list[str], where: str) -> tuple[dict[str, Any], int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            try:
                data = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError as err:
                raise MystFormatError(f"{where}: front matter is not valid YAML: {err}") from err
            if not isinstance(data, dict):
                raise MystFormatError(f"{where}: front matter must be a YAML mapping")
            return data, end + 1
    raise MystFormatError(f"{where}:1: front matter starts with '---' but never ends")


def _code_cell_options(body: list[str], where: str, line: int) -> tuple[dict[str, Any], list[str]]:
    """Split a code cell body into its options and its code."""
    if body and body[0].strip() == "---":
        for end in range(1, len(body)):
            if body[end].strip() == "---":
                try:
                    options = yaml.safe_load("\n".join(body[1:end])) or {}
                except yaml.YAMLError as err:
                    raise MystFormatError(
                        f"{where}:{line}: code-cell options are not valid YAML: {err}"
                    ) from err
                if not isinstance(options, dict):
                    raise MystFormatError(f"{where}:{line}: code-cell options must be a mapping")
                return options, body[end + 1 :]
        raise MystFormatError(f"{where}:{line}: code-cell option block '---' never ends")
    options: dict[str, Any] = {}
    index = 0
    while index < len(body) and re.match(r"^:[\w-]+:", body[index]):
        key, _, value = body[index][1:].partition(":")
        try:
            options[key] = yaml.safe_load(value.strip()) if value.strip() else None
        except yaml.YAMLError as err:
            raise MystFormatError(
                f"{where}:{line + index + 1}: option :{key}: is not valid YAML: {err}"
            ) from err
        index += 1
    return options, body[index:]


def _markdown_cell(lines: list[str], metadata: dict[str, Any], line: int) -> Cell | None:
    text = "\n".join(lines).strip("\n")
    if not text.strip() and not metadata:
        return None
    return Cell("markdown", text, metadata, line)


def parse_myst(text: str, where: str = "<string>") -> MystNotebook:
    """Parse MyST notebook text into front matter and cells."""
    lines = text.splitlines()
    front_matter, index = _split_front_matter(lines, where)
    cells: list[Cell] = []
    pending: list[str] = []
    pending_meta: dict[str, Any] = {}
    pending_line = index + 1
    while index < len(lines):
        line = lines[index]
        start = CODE_CELL_START.match(line)
        brk = CELL_BREAK.match(line)
        if start or brk:
            cell = _markdown_cell(pending, pending_meta, pending_line)
            if cell:
                cells.append(cell)
            pending, pending_meta = [], {}
        if start:
            fence = start.group("fence")
            body_start = index + 1
            end = body_start
            while end < len(lines) and lines[end].rstrip() != fence:
                end += 1
            if end == len(lines):
                raise MystFormatError(f"{where}:{index + 1}: code-cell is never closed by {fence}")
            options, code = _code_cell_options(lines[body_start:end], where, index + 1)
            cells.append(Cell("code", "\n".join(code).strip("\n"), options, index + 1))
            index = end + 1
            pending_line = index + 1
            continue
        if brk:
            if brk.group("meta"):
                try:
                    pending_meta = json.loads(brk.group("meta"))
                except json.JSONDecodeError as err:
                    raise MystFormatError(
                        f"{where}:{index + 1}: metadata after +++ is not valid JSON: {err}"
                    ) from err
            pending_line = index + 2
            index += 1
            continue
        pending.append(line)
        index += 1
    cell = _markdown_cell(pending, pending_meta, pending_line)
    if cell:
        cells.append(cell)
    return MystNotebook(front_matter, cells)


def read_myst(path: Path) -> MystNotebook:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise MystFormatError(f"{path}: not UTF-8 text ({err})") from err
    return parse_myst(text, str(path))


def _longest_backtick_run(text: str) -> int:
    runs = [len(m) for m in re.findall(r"`+", text)]
    return max(runs, default=0)


def write_myst(notebook: MystNotebook) -> str:
    """Render a notebook as MyST text (the inverse of parse_myst for the subset it reads)."""
    parts = ["---\n" + yaml.safe_dump(notebook.front_matter, sort_keys=False) + "---\n"]
    previous_type = None
    for cell in notebook.cells:
        if cell.cell_type == "code":
            fence = "`" * max(3, _longest_backtick_run(cell.source) + 1)
            head = f"{fence}{{code-cell}} ipython3\n"
            if cell.metadata:
                head += "---\n" + yaml.safe_dump(cell.metadata, sort_keys=False) + "---\n"
            parts.append(f"{head}{cell.source}\n{fence}\n")
        else:
            if cell.metadata:
                parts.append("+++ " + json.dumps(cell.metadata, ensure_ascii=False) + "\n")
            elif previous_type == "markdown":
                parts.append("+++\n")
            parts.append(cell.source + "\n")
        previous_type = cell.cell_type
    return "\n".join(parts)


def to_ipynb(notebook: MystNotebook) -> dict[str, Any]:
    """Convert to an nbformat 4 notebook dict (no outputs)."""
    cells = []
    for number, cell in enumerate(notebook.cells):
        entry: dict[str, Any] = {
            "cell_type": cell.cell_type,
            "id": f"cell-{number}",
            "metadata": dict(cell.metadata),
            "source": cell.source,
        }
        if cell.cell_type == "code":
            entry["execution_count"] = None
            entry["outputs"] = []
        cells.append(entry)
    kernelspec = notebook.front_matter.get(
        "kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"}
    )
    return {
        "cells": cells,
        "metadata": {"kernelspec": kernelspec, "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
