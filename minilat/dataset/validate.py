"""Validate the dataset against ``datapackage.json``; collect every problem, not just the first.

Run ``python -m minilat.dataset.validate [DATA_DIR]``: prints each problem and exits 1, or
prints a summary and exits 0.
"""

from __future__ import annotations

import csv
import math
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .bib import known_source_keys
from .schema import Field, Package, Resource, load_package, resolve_data_dir

_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_THREE_LETTERS = re.compile(r"^[A-Z]{3}$")
#: Joins the columns of a composite key in disagreements.key (``brics|ZAF|member|2010``).
KEY_JOINER = "|"


@dataclass(frozen=True)
class Problem:
    """One violation, located as precisely as the rule allows."""

    file: str
    rule: str
    row: int | None = None  # 1-based data row (the header is not a row)
    line: int | None = None  # physical line where the record starts
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row} (line {self.line})")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.value is not None:
            where.append(f"value {self.value!r}")
        return f"{', '.join(where)}: {self.rule}"


class DatasetError(ValueError):
    """The dataset breaks its schema; ``problems`` lists every violation found."""

    def __init__(self, problems: list[Problem], data_dir: Path):
        self.problems = problems
        self.data_dir = data_dir
        lines = "\n".join(f"  - {p}" for p in problems)
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"{count} in the dataset at {data_dir}:\n{lines}")


@dataclass
class RawRow:
    file: str
    row: int
    line: int
    values: dict[str, str]


@dataclass
class RawTable:
    """A table's cells as text, with where each row came from."""

    resource: Resource
    rows: list[RawRow] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    usable: bool = True  # False when a file is missing or its header is wrong


def display_path(path: Path) -> str:
    """Path relative to the working directory when possible (``data/forums.csv``)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_csv_file(path: Path, resource: Resource, problems: list[Problem]) -> RawTable:
    """Read one CSV as text, checking the header and the number of cells per row."""
    shown = display_path(path)
    table = RawTable(resource, files=[shown])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, f"not valid UTF-8 ({exc.reason} at byte {exc.start})"))
        table.usable = False
        return table
    if text.startswith("\ufeff"):
        problems.append(Problem(shown, "starts with a byte-order mark; save as plain UTF-8"))
        text = text[1:]
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(shown, "file is empty (expected a header row)"))
        table.usable = False
        return table
    expected = resource.field_names
    if header != expected:
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        detail = []
        if missing:
            detail.append(f"missing {missing}")
        if extra:
            detail.append(f"unexpected {extra}")
        if not detail:
            detail.append("columns out of order")
        problems.append(Problem(shown, f"header does not match the schema ({'; '.join(detail)});"
                                       f" expected: {','.join(expected)}", row=None))
        if missing or extra:
            table.usable = False
            return table
    previous_end = reader.line_num
    for number, record in enumerate(reader, start=1):
        line = previous_end + 1
        previous_end = reader.line_num
        if not record:  # a blank line
            problems.append(Problem(shown, "blank line (remove it)", row=number, line=line))
            continue
        if len(record) != len(header):
            problems.append(Problem(shown, f"has {len(record)} cells but the header has "
                                           f"{len(header)}", row=number, line=line))
            continue
        table.rows.append(RawRow(shown, number, line, dict(zip(header, record, strict=True))))
    return table


def read_tables(package: Package, data_dir: Path, problems: list[Problem]) -> dict[str, RawTable]:
    tables: dict[str, RawTable] = {}
    for resource in package.resources.values():
        paths = resource.files(data_dir)
        if not paths:
            if resource.path_pattern:  # optional family of files (disagreements*.csv)
                tables[resource.name] = RawTable(resource)
                continue
            problems.append(Problem(display_path(data_dir / resource.path), "file is missing"))
            tables[resource.name] = RawTable(resource, usable=False)
            continue
        combined = RawTable(resource)
        for path in paths:
            part = read_csv_file(path, resource, problems)
            combined.rows.extend(part.rows)
            combined.files.extend(part.files)
            combined.usable &= part.usable
        tables[resource.name] = combined
    return tables


def items(f: Field, value: str) -> list[str]:
    """The list items of a cell (the cell itself for non-list fields)."""
    if f.separator:
        return [item.strip() for item in value.split(f.separator)]
    return [value]


def check_cell(f: Field, value: str) -> str | None:
    """The rule a non-empty cell breaks, or None."""
    if value != value.strip():
        return "leading or trailing whitespace"
    if f.type == "integer":
        if not _INTEGER.match(value):
            return "not an integer"
        number: float = int(value)
    elif f.type == "number":
        if not _NUMBER.match(value) or not math.isfinite(float(value)):
            return "not a number"
        number = float(value)
    elif f.type == "boolean":
        allowed = [*f.true_values, *f.false_values]
        if value not in allowed:
            return f"not a boolean (allowed: {', '.join(allowed)})"
        return None
    else:
        number = math.nan
    if f.enum and value not in f.enum:
        return f"not an allowed value (allowed: {', '.join(f.enum)})"
    if f.pattern and not re.fullmatch(f.pattern, value):
        return f"does not match the pattern {f.pattern}"
    if f.minimum is not None and number < f.minimum:
        return f"below the minimum {f.minimum}"
    if f.maximum is not None and number > f.maximum:
        return f"above the maximum {f.maximum}"
    if f.separator:
        parts = items(f, value)
        if any(p == "" for p in parts):
            return f"empty item in a {f.separator!r}-separated list"
        if len(set(parts)) != len(parts):
            return "repeated item in the list"
        bad = [p for p in parts if f.item_enum and p not in f.item_enum]
        if bad:
            return (f"list item(s) {', '.join(map(repr, bad))} not allowed "
                    f"(allowed: {', '.join(f.item_enum)})")
    return None


def check_cells(table: RawTable, problems: list[Problem]) -> None:
    for row in table.rows:
        for f in table.resource.fields:
            value = row.values[f.name]
            if value == "":
                if f.required:
                    problems.append(Problem(row.file, "required value is missing", row.row,
                                            row.line, f.name, value))
                continue
            rule = check_cell(f, value)
            if rule:
                problems.append(Problem(row.file, rule, row.row, row.line, f.name, value))


def valid_int(table: RawTable, row: RawRow, column: str) -> int | None:
    value = row.values[column]
    if value and _INTEGER.match(value):
        return int(value)
    return None


def check_primary_key(table: RawTable, problems: list[Problem]) -> None:
    key = table.resource.primary_key
    seen: dict[tuple[str, ...], RawRow] = {}
    for row in table.rows:
        values = tuple(row.values[k] for k in key)
        if "" in values:
            continue  # reported as a missing required value
        if values in seen:
            first = seen[values]
            shown = ", ".join(f"{k}={v!r}" for k, v in zip(key, values, strict=True))
            problems.append(Problem(row.file, f"duplicate key ({shown}); first at "
                                              f"{first.file} row {first.row} (line {first.line})",
                                    row.row, row.line, key[-1] if len(key) > 1 else key[0],
                                    values[-1] if len(key) > 1 else values[0]))
        else:
            seen[values] = row


def key_values(table: RawTable, fields: Iterable[str]) -> set[tuple[str, ...]]:
    names = tuple(fields)
    return {tuple(r.values[n] for n in names) for r in table.rows}


def check_foreign_keys(tables: dict[str, RawTable], problems: list[Problem]) -> None:
    for table in tables.values():
        for fk in table.resource.foreign_keys:
            target = tables.get(fk.resource)
            if target is None or not target.usable:
                continue  # the missing or broken target is reported already
            allowed = key_values(target, fk.reference_fields)
            for row in table.rows:
                values = tuple(row.values[n] for n in fk.fields)
                if "" in values or values in allowed:
                    continue
                problems.append(Problem(
                    row.file, f"not a {'/'.join(fk.reference_fields)} of {fk.resource} "
                              f"({', '.join(target.files)})",
                    row.row, row.line, fk.fields[0], values[0]))
        for f in table.resource.fields:
            if not f.item_foreign_key:
                continue
            resource, column = f.item_foreign_key
            target = tables.get(resource)
            if target is None or not target.usable:
                continue
            allowed_items = {r.values[column] for r in target.rows}
            for row in table.rows:
                value = row.values[f.name]
                if not value:
                    continue
                bad = [i for i in items(f, value) if i and i not in allowed_items]
                if bad:
                    problems.append(Problem(
                        row.file, f"list item(s) {', '.join(map(repr, bad))} not a {column} of "
                                  f"{resource}", row.row, row.line, f.name, value))


def check_source_keys(tables: dict[str, RawTable], known: set[str], data_dir: Path,
                      problems: list[Problem]) -> None:
    where = f"references.bib or {display_path(data_dir / 'sources.bib')}"
    for table in tables.values():
        for f in table.resource.fields:
            if not f.source_keys:
                continue
            for row in table.rows:
                value = row.values[f.name]
                if not value:
                    continue
                unknown = [k for k in items(f, value) if k and k not in known]
                if unknown:
                    problems.append(Problem(
                        row.file, f"unknown source key(s) {', '.join(map(repr, unknown))}: "
                                  f"not in {where}", row.row, row.line, f.name, value))


def rule_not_before(table: RawTable, rule: dict, problems: list[Problem]) -> None:
    later, earlier = rule["field"], rule["other"]
    for row in table.rows:
        end, start = valid_int(table, row, later), valid_int(table, row, earlier)
        if end is not None and start is not None and end < start:
            problems.append(Problem(row.file, f"{later} {end} is before {earlier} {start} "
                                              f"(rule: {earlier} ≤ {later})",
                                    row.row, row.line, later, row.values[later]))


def rule_no_overlap(table: RawTable, rule: dict, problems: list[Problem]) -> None:
    start, end = rule["start"], rule["end"]
    groups: dict[tuple[str, ...], list[tuple[int, float, RawRow]]] = defaultdict(list)
    for row in table.rows:
        first = valid_int(table, row, start)
        if first is None:
            continue
        if row.values[end] and valid_int(table, row, end) is None:
            continue  # a malformed end year is reported by the cell checks
        last = valid_int(table, row, end)
        groups[tuple(row.values[g] for g in rule["group"])].append(
            (first, math.inf if last is None else last, row))
    for key, spells in groups.items():
        spells.sort(key=lambda s: (s[0], s[2].row))
        for (_, prev_end, prev), (first, _, row) in zip(spells, spells[1:], strict=False):
            if first < prev_end:
                until = "open-ended" if prev_end == math.inf else f"left {int(prev_end)}"
                problems.append(Problem(
                    row.file, f"spell overlaps the spell of {'/'.join(key)} at row {prev.row} "
                              f"(line {prev.line}; joined {prev.values[start]}, {until})",
                    row.row, row.line, start, row.values[start]))


def rule_requires(table: RawTable, rule: dict, problems: list[Problem]) -> None:
    for row in table.rows:
        if not row.values[rule["field"]]:
            continue
        for needed in rule["fields"]:
            if not row.values[needed]:
                problems.append(Problem(row.file, f"required because {rule['field']} is given "
                                                  f"({rule['description']})",
                                        row.row, row.line, needed, ""))


def rule_code_shape(table: RawTable, rule: dict, problems: list[Problem]) -> None:
    for row in table.rows:
        code, kind = row.values["code"], row.values["entity_type"]
        three = bool(_THREE_LETTERS.match(code))
        if kind in ("state", "territory") and not three:
            problems.append(Problem(row.file, f"a {kind} needs an ISO 3166-1 alpha-3 code",
                                    row.row, row.line, "code", code))
        elif kind == "organisation" and three:
            problems.append(Problem(row.file, "an organisation's code must not have three "
                                              "letters (those are ISO country codes)",
                                    row.row, row.line, "code", code))


def rule_disagreement_target(tables: dict[str, RawTable], table: RawTable, rule: dict,
                             problems: list[Problem]) -> None:
    for row in table.rows:
        target = tables.get(row.values["table"])
        if target is None:
            continue  # a bad table name is reported by the enum check
        column = row.values["column"]
        if column and column not in target.resource.field_names:
            problems.append(Problem(row.file, f"not a column of {target.resource.name}",
                                    row.row, row.line, "column", column))
        key = target.resource.primary_key
        if target.usable and row.values["key"]:
            existing = {KEY_JOINER.join(r.values[k] for k in key) for r in target.rows}
            if row.values["key"] not in existing:
                problems.append(Problem(row.file, f"not a {KEY_JOINER.join(key)} of "
                                                  f"{target.resource.name}",
                                        row.row, row.line, "key", row.values["key"]))


def check_rules(tables: dict[str, RawTable], problems: list[Problem]) -> None:
    simple = {"not_before": rule_not_before, "no_overlap": rule_no_overlap,
              "requires": rule_requires, "code_shape": rule_code_shape}
    for table in tables.values():
        for rule in table.resource.rules:
            kind = rule["rule"]
            if kind in simple:
                simple[kind](table, rule, problems)
            elif kind == "disagreement_target":
                rule_disagreement_target(tables, table, rule, problems)
            else:
                raise ValueError(f"datapackage.json: table {table.resource.name!r} has an "
                                 f"unknown rule {kind!r}")


def collect(data_dir: str | os.PathLike[str] | None = None
            ) -> tuple[list[Problem], dict[str, RawTable]]:
    """Read and check every table; return all problems found and the raw tables."""
    root = resolve_data_dir(data_dir)
    package = load_package(root)
    problems: list[Problem] = []
    tables = read_tables(package, root, problems)
    for table in tables.values():
        check_cells(table, problems)
        check_primary_key(table, problems)
    check_foreign_keys(tables, problems)
    check_source_keys(tables, known_source_keys(root), root, problems)
    check_rules(tables, problems)
    return problems, tables


def validate_dataset(data_dir: str | os.PathLike[str] | None = None
                     ) -> dict[str, RawTable]:
    """The raw tables when the dataset is valid; otherwise raise one ``DatasetError``."""
    problems, tables = collect(data_dir)
    if problems:
        raise DatasetError(problems, resolve_data_dir(data_dir))
    return tables


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    root = resolve_data_dir(args[0] if args else None)
    problems, tables = collect(root)
    if problems:
        print(DatasetError(problems, root), file=sys.stderr)
        return 1
    counts = ", ".join(f"{name} {len(t.rows)}" for name, t in tables.items())
    print(f"OK: {root} is valid ({counts} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
