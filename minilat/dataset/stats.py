"""Headline numbers of the dataset, computed (never typed): ``python -m minilat.dataset.stats``."""

from __future__ import annotations

import sys

import pandas as pd

from .load import PathLike, tables


def counts(data_dir: PathLike = None) -> dict[str, int]:
    """Rows per table: forums, membership spells, events, countries, disagreements."""
    t = tables(data_dir)
    return {
        "forums": len(t["forums"]),
        "membership spells": len(t["memberships"]),
        "events": len(t["events"]),
        "countries": len(t["countries"]),
        "disagreements": len(t["disagreements"]),
    }


def decade_label(year: int) -> str:
    return f"{year // 10 * 10}s"


def forums_by_kind_and_decade(data_dir: PathLike = None) -> pd.DataFrame:
    """Forums founded per decade (rows) and kind (columns), with totals."""
    f = tables(data_dir)["forums"]
    decades = f["founded_year"].map(lambda y: decade_label(int(y)))
    table = pd.crosstab(decades, f["kind"], margins=True, margins_name="total")
    table.index.name, table.columns.name = "decade founded", None
    return table


def forums_by(column: str, data_dir: PathLike = None) -> pd.Series:
    """Number of forums per value of a column (e.g. ``kind``, ``formality``, ``status``)."""
    return tables(data_dir)["forums"][column].value_counts(dropna=False).rename("forums")


def countries_by_type(data_dir: PathLike = None) -> pd.Series:
    """Rows of countries.csv per entity type, and how many are UN members."""
    c = tables(data_dir)["countries"]
    by_type = c["entity_type"].value_counts()
    by_type["of which UN members"] = int(c["un_member"].sum())
    return by_type.rename("rows")


def events_by_kind(data_dir: PathLike = None) -> pd.Series:
    return tables(data_dir)["events"]["kind"].value_counts().rename("events")


def spells_by_role(data_dir: PathLike = None) -> pd.Series:
    return tables(data_dir)["memberships"]["role"].value_counts().rename("spells")


def report(data_dir: PathLike = None) -> str:
    """The numbers as plain text."""
    parts = ["\n".join(f"{name}: {n}" for name, n in counts(data_dir).items())]
    for title, frame in [
        ("Forums by decade founded and kind", forums_by_kind_and_decade(data_dir)),
        ("Forums by formality", forums_by("formality", data_dir)),
        ("Forums by status", forums_by("status", data_dir)),
        ("Membership spells by role", spells_by_role(data_dir)),
        ("Events by kind", events_by_kind(data_dir)),
        ("Countries table by entity type", countries_by_type(data_dir)),
    ]:
        parts.append(f"{title}\n{frame.to_string()}")
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    print(report(args[0] if args else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
