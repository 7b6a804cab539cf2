"""The course's forum dataset: schema, validation, typed loaders and queries.

>>> from minilat.dataset import members, forums_of, coverage
>>> members("Quad", year=2010)
[]

Names are imported lazily so that ``python -m minilat.dataset.validate`` (and ``.stats``)
run without importing their own module twice.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "DATASET_DATE", "DATASET_VERSION", "DatasetError", "MissingDataWarning", "Problem",
    "UnknownForumError", "alive_in", "countries", "coverage", "disagreements", "events",
    "forum", "forum_id", "forums", "forums_of", "member_count", "members", "membership_panel",
    "memberships", "tables", "validate_dataset", "world_total", "world_totals",
]

_MODULE_OF = {
    "validate": ("DatasetError", "Problem", "validate_dataset"),
    "load": ("forums", "memberships", "events", "countries", "disagreements", "world_totals",
             "tables"),
    "query": ("forum", "forum_id", "members", "member_count", "forums_of", "alive_in",
              "membership_panel", "coverage", "world_total", "UnknownForumError",
              "MissingDataWarning"),
    "version": ("DATASET_VERSION", "DATASET_DATE"),
}
_EXPORTS = {name: module for module, names in _MODULE_OF.items() for name in names}

if TYPE_CHECKING:
    from .load import countries, disagreements, events, forums, memberships, tables, world_totals
    from .query import (
        MissingDataWarning,
        UnknownForumError,
        alive_in,
        coverage,
        forum,
        forum_id,
        forums_of,
        member_count,
        members,
        membership_panel,
        world_total,
    )
    from .validate import DatasetError, Problem, validate_dataset
    from .version import DATASET_DATE, DATASET_VERSION


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
