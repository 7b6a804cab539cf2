"""Bib keys of the bibliographies that source keys in the tables must point into."""

from __future__ import annotations

import re
from pathlib import Path

_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*[{(]\s*([^,\s{}()]+)\s*,")
_NOT_ENTRIES = {"comment", "string", "preamble"}


def bib_keys(path: Path) -> set[str]:
    """Entry keys of one .bib file (empty set when the file does not exist)."""
    if not path.exists():
        return set()
    text = path.read_text(encoding="utf-8")
    return {key for kind, key in _ENTRY.findall(text) if kind.lower() not in _NOT_ENTRIES}


def bib_files(data_dir: Path) -> list[Path]:
    """The literature bibliography beside ``data/`` and the dataset's own ``sources.bib``."""
    return [data_dir.parent / "references.bib", data_dir / "sources.bib"]


def known_source_keys(data_dir: Path) -> set[str]:
    keys: set[str] = set()
    for path in bib_files(data_dir):
        keys |= bib_keys(path)
    return keys
