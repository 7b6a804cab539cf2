"""Platform diversity: how many forums a state sits in, and how many forums share members.

Chapter 1 reads the paper's claim that the puzzle is "not the absence of platforms" but their
diversity. Two plain measures make that claim countable from membership spells:

- ``forum_counts``: for each state and year, the number of forums it belongs to;
- ``overlap_by_year``: for each year, how many pairs of forums have at least one member in common.

Both take a memberships-like table (columns ``forum_id``, ``member``, ``joined``, ``left``;
optionally ``role``) and follow the dataset's rule: a spell counts in year y when
joined ≤ y and (left is empty or y < left). They count only what the table records, so a
chapter should pass the spells of forums whose membership is recorded completely.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import combinations

import numpy as np
import pandas as pd

SPELL_COLUMNS = ("forum_id", "member", "joined", "left")


def _years(years: Iterable[int]) -> np.ndarray:
    chosen = np.array(sorted({int(y) for y in years}), dtype=int)
    if chosen.size == 0:
        raise ValueError("years is empty: give at least one year")
    return chosen


def checked_spells(spells: pd.DataFrame, roles: Iterable[str] | None = ("member",)) -> pd.DataFrame:
    """The spells as (forum_id, member, joined, left) with integer-or-missing years.

    Keeps only ``roles`` when the table has a ``role`` column (``None`` keeps every role).
    Raises ``ValueError`` naming the missing column, or the row and column of a bad year.
    """
    missing = [c for c in SPELL_COLUMNS if c not in spells.columns]
    if missing:
        raise ValueError(f"spells table lacks column(s) {', '.join(missing)}; "
                         f"it needs {', '.join(SPELL_COLUMNS)}")
    table = spells
    if roles is not None and "role" in table.columns:
        table = table[table["role"].isin(list(roles))]
    table = table.loc[:, list(SPELL_COLUMNS)].reset_index(drop=True)
    for column in ("joined", "left"):
        numbers = pd.to_numeric(table[column], errors="coerce")
        bad = (numbers.isna() & table[column].notna()) | ((numbers % 1 != 0) & numbers.notna())
        if column == "joined":
            bad |= table[column].isna()
        if bad.any():
            row = int(bad.idxmax())
            raise ValueError(f"spells row {row} ({table.at[row, 'forum_id']}, "
                             f"{table.at[row, 'member']}): column {column!r} must be a whole "
                             f"year{' (it may not be empty)' if column == 'joined' else ''}, "
                             f"got {table.at[row, column]!r}")
        table[column] = numbers.astype("Int64")
    return table


def spell_years(spells: pd.DataFrame, years: Iterable[int],
                roles: Iterable[str] | None = ("member",)) -> pd.DataFrame:
    """One row per (forum_id, member, year) in which a spell counts, for the given years."""
    table = checked_spells(spells, roles)
    grid = _years(years)
    joined = table["joined"].to_numpy(dtype=float)[:, None]
    left = table["left"].to_numpy(dtype=float, na_value=np.inf)[:, None]
    counts = (joined <= grid[None, :]) & (grid[None, :] < left)
    rows, cols = np.nonzero(counts)
    result = pd.DataFrame({
        "forum_id": table["forum_id"].to_numpy()[rows],
        "member": table["member"].to_numpy()[rows],
        "year": grid[cols],
    })
    return result.drop_duplicates(ignore_index=True)


def forum_counts(spells: pd.DataFrame, years: Iterable[int], codes: Iterable[str] | None = None,
                 kinds: Mapping[str, str] | None = None) -> pd.DataFrame:
    """How many forums each member belongs to in each year.

    Returns columns member, year, forums (and kind, when ``kinds`` maps forum_id → kind), with a
    row for every member × year (× kind), zeros included. ``codes`` limits the members (default:
    every member in the spells).
    """
    counted = spell_years(spells, years)
    grid_years = _years(years)
    members = sorted(set(counted["member"]) if codes is None else set(codes))
    keys = ["member", "year"]
    axes: list[list] = [members, list(grid_years)]
    if kinds is not None:
        unknown = sorted(set(counted["forum_id"]) - set(kinds))
        if unknown:
            raise ValueError(f"kinds has no kind for forum(s) {', '.join(unknown)}")
        counted = counted.assign(kind=counted["forum_id"].map(kinds))
        keys.append("kind")
        axes.append(sorted(set(kinds.values())))
    tally = counted[counted["member"].isin(members)].groupby(keys).size().rename("forums")
    grid = pd.MultiIndex.from_product(axes, names=keys)
    table = tally.reindex(grid, fill_value=0).reset_index()
    return table.astype({"year": int, "forums": int})


def _pairs(counted: pd.DataFrame) -> pd.DataFrame:
    """Pairs of forums sharing members, from (forum_id, member) rows of one year."""
    by_forum: dict[str, set[str]] = {}
    for forum, member in zip(counted["forum_id"], counted["member"], strict=True):
        by_forum.setdefault(forum, set()).add(member)
    rows = [(a, b, len(by_forum[a] & by_forum[b]))
            for a, b in combinations(sorted(by_forum), 2)]
    pairs = pd.DataFrame(rows, columns=["forum_a", "forum_b", "shared"])
    pairs = pairs[pairs["shared"] > 0].astype({"shared": int})
    return pairs.sort_values(["shared", "forum_a", "forum_b"], ascending=[False, True, True],
                             ignore_index=True)


def shared_member_pairs(spells: pd.DataFrame, year: int) -> pd.DataFrame:
    """Pairs of forums with at least one member in common in ``year``.

    Columns forum_a, forum_b (forum_a < forum_b) and shared (how many members they share),
    sorted by shared (most first), then by name.
    """
    return _pairs(spell_years(spells, [year]))


def overlap_by_year(spells: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """For each year: forums with members, possible pairs, overlapping pairs and their share.

    ``share`` is overlapping / pairs (missing when fewer than two forums have members).
    """
    grid = _years(years)
    counted = spell_years(spells, grid)
    rows = []
    for year in grid:
        this_year = counted[counted["year"] == year]
        forums = this_year["forum_id"].nunique()
        possible = forums * (forums - 1) // 2
        overlapping = len(_pairs(this_year))
        rows.append((int(year), forums, possible, overlapping,
                     overlapping / possible if possible else np.nan))
    return pd.DataFrame(rows, columns=["year", "forums", "pairs", "overlapping", "share"])


def fully_recorded(spells: pd.DataFrame, forums: pd.DataFrame) -> pd.DataFrame:
    """The spells of forums whose membership the dataset records completely.

    Counting forums per state only makes sense over forums whose members are all listed;
    ``forums.membership_coverage`` says which ones are (``complete``).
    """
    for table, name, column in ((spells, "spells", "forum_id"),
                                (forums, "forums", "membership_coverage")):
        if column not in table.columns:
            raise ValueError(f"{name} table lacks column {column!r}")
    complete = set(forums.loc[forums["membership_coverage"] == "complete", "forum_id"])
    return spells[spells["forum_id"].isin(complete)].reset_index(drop=True)


def forum_kinds(forums: pd.DataFrame) -> dict[str, str]:
    """forum_id → kind, the ``kinds`` argument of ``forum_counts``."""
    return dict(zip(forums["forum_id"], forums["kind"], strict=True))


def most_connected(counts: pd.DataFrame, year: int, minimum: int = 1) -> list[str]:
    """Members in at least ``minimum`` forums in ``year``, most forums first (ties by code)."""
    in_year = counts[counts["year"] == year]
    if in_year.empty:
        raise ValueError(f"the counts table has no row for {year}")
    totals = in_year.groupby("member")["forums"].sum()
    totals = totals[totals >= minimum]
    return [code for code, _ in sorted(totals.items(), key=lambda item: (-item[1], item[0]))]
