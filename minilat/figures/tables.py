"""What every chart builder checks of its input tables, and the forum labels they share."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


class MissingColumnsError(KeyError, ValueError):
    """A table lacks columns a chart needs. Both a KeyError (a column lookup failed) and a
    ValueError (the argument is unusable), so callers may catch either."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


def require_columns(table: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise naming the table and every missing column (sets are reported sorted)."""
    ordered = sorted(columns) if isinstance(columns, set | frozenset) else list(columns)
    missing = [c for c in ordered if c not in table.columns]
    if missing:
        raise MissingColumnsError(f"{what} lacks column(s) {', '.join(missing)}")


def forum_labels(forums: pd.DataFrame) -> dict[str, str]:
    """forum_id → a short unique label: the abbreviation (G20, BRICS), else the name; a label
    two forums share gets the forum_id added."""
    require_columns(forums, ("forum_id", "name", "abbreviation"), "forums table")
    labels: dict[str, str] = {}
    for row in forums.itertuples(index=False):
        short = row.abbreviation if pd.notna(row.abbreviation) and row.abbreviation else row.name
        labels[row.forum_id] = str(short)
    counts = pd.Series(labels).value_counts()
    return {fid: (f"{label} ({fid})" if counts[label] > 1 else label)
            for fid, label in labels.items()}
