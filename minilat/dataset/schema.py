"""The dataset's schema, read from ``data/datapackage.json`` (the single source of truth)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

#: Environment variable that points the loader and validator at another data directory.
DATA_DIR_ENV = "MINILAT_DATA_DIR"
DESCRIPTOR = "datapackage.json"
#: Folder inside the ``minilat`` package where the student package ships the course files the
#: library reads (``data/`` and ``references.bib``), laid out as in the repository.
SHIPPED_FOLDER = "_course"


def shipped_data_dir() -> Path:
    """Where the student package keeps its copy of ``data/`` (absent in the repository)."""
    return Path(__file__).resolve().parents[1] / SHIPPED_FOLDER / "data"


def default_data_dir() -> Path:
    """The data shipped inside the package when there is a copy (the student package, installed
    without the repository), else ``data/`` beside the ``minilat`` package (the repository's)."""
    shipped = shipped_data_dir()
    if (shipped / DESCRIPTOR).is_file():
        return shipped
    return Path(__file__).resolve().parents[2] / "data"


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: the argument, else ``$MINILAT_DATA_DIR``, else the default one."""
    if data_dir is not None:
        return Path(data_dir).resolve()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).resolve()
    return default_data_dir()


@dataclass(frozen=True)
class Field:
    """One column of a table, as the descriptor defines it."""

    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    separator: str | None = None
    item_enum: tuple[str, ...] = ()
    item_foreign_key: tuple[str, str] | None = None  # (resource, field)
    source_keys: bool = False
    true_values: tuple[str, ...] = ("true",)
    false_values: tuple[str, ...] = ("false",)

    @classmethod
    def from_descriptor(cls, d: dict[str, Any]) -> Field:
        c = d.get("constraints", {})
        fk = d.get("x-itemForeignKey")
        return cls(
            name=d["name"],
            type=d.get("type", "string"),
            description=d.get("description", ""),
            required=bool(c.get("required", False)),
            enum=tuple(c.get("enum", ())),
            minimum=c.get("minimum"),
            maximum=c.get("maximum"),
            pattern=c.get("pattern"),
            separator=d.get("x-separator"),
            item_enum=tuple(d.get("x-itemEnum", ())),
            item_foreign_key=(fk["resource"], fk["field"]) if fk else None,
            source_keys=bool(d.get("x-sourceKeys", False)),
            true_values=tuple(d.get("trueValues", ("true",))),
            false_values=tuple(d.get("falseValues", ("false",))),
        )


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Resource:
    """One table: its file(s), fields, keys and extra rules."""

    name: str
    path: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    rules: tuple[dict[str, Any], ...] = ()
    path_pattern: str | None = None

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    def files(self, data_dir: Path) -> list[Path]:
        """The CSV files of this table that exist (several when ``x-pathPattern`` is set)."""
        if self.path_pattern:
            return sorted(data_dir.glob(self.path_pattern))
        path = data_dir / self.path
        return [path] if path.exists() else []

    @classmethod
    def from_descriptor(cls, d: dict[str, Any]) -> Resource:
        schema = d["schema"]

        def as_tuple(v: str | list[str]) -> tuple[str, ...]:
            return (v,) if isinstance(v, str) else tuple(v)

        fks = tuple(
            ForeignKey(
                fields=as_tuple(fk["fields"]),
                # Table Schema uses "" for a reference to the same resource.
                resource=fk["reference"]["resource"] or d["name"],
                reference_fields=as_tuple(fk["reference"]["fields"]),
            )
            for fk in schema.get("foreignKeys", [])
        )
        return cls(
            name=d["name"],
            path=d["path"],
            title=d.get("title", d["name"]),
            description=d.get("description", ""),
            fields=tuple(Field.from_descriptor(f) for f in schema["fields"]),
            primary_key=as_tuple(schema.get("primaryKey", [])),
            foreign_keys=fks,
            rules=tuple(d.get("x-rules", [])),
            path_pattern=d.get("x-pathPattern"),
        )


@dataclass(frozen=True)
class Package:
    """The whole descriptor: metadata plus resources by name."""

    name: str
    title: str
    version: str
    created: str
    licenses: tuple[dict[str, str], ...]
    sources: tuple[dict[str, str], ...]
    resources: dict[str, Resource] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def resource(self, name: str) -> Resource:
        try:
            return self.resources[name]
        except KeyError:
            raise KeyError(f"the data package has no table {name!r}; tables: "
                           f"{', '.join(self.resources)}") from None


@lru_cache(maxsize=8)
def _read_package(path: Path, mtime: float) -> Package:
    with path.open(encoding="utf-8") as fh:
        raw = json.load(fh)
    resources = [Resource.from_descriptor(r) for r in raw["resources"]]
    return Package(
        name=raw["name"],
        title=raw.get("title", raw["name"]),
        version=raw["version"],
        created=raw["created"],
        licenses=tuple(raw.get("licenses", [])),
        sources=tuple(raw.get("sources", [])),
        resources={r.name: r for r in resources},
        raw=raw,
    )


def load_package(data_dir: str | os.PathLike[str] | None = None) -> Package:
    """Read ``datapackage.json`` from the data directory (cached until the file changes)."""
    path = resolve_data_dir(data_dir) / DESCRIPTOR
    if not path.exists():
        raise FileNotFoundError(f"{path}: the data package descriptor is missing")
    return _read_package(path, path.stat().st_mtime)
