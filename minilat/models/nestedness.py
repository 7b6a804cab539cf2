"""Nestedness: how far a minilateral sits inside a multilateral, by membership.

Chapter 8 asks whether minilaterals replace multilaterals or work inside them. One plain,
checkable part of the answer is membership: a minilateral whose every member also belongs to a
multilateral can bring its work back to that forum. The measures:

- ``nested_share(inner, outer)``: the share of the inner forum's members that also belong to
  the outer forum, |inner ∩ outer| / |inner|, from 0 to 1 (NaN when the inner forum has no
  members that year: there is nothing to place);
- ``is_nested(inner, outer)``: True when the inner forum has members and all of them belong to
  the outer forum (share 1);
- ``outside(inner, outer)``: the inner forum's members that the outer forum lacks.

``nestedness_table`` applies them to every pair of minilateral and multilateral in every year,
from member sets built with the dataset's spell rule (a spell counts in year y when
joined ≤ y and (left is empty or y < left)). ``parent_links`` reads the other kind of nesting,
the one declared in ``forums.csv`` (``parent_id``: the forum a body sits inside institutionally),
which need not match membership (ADMM-Plus sits inside ASEAN but seats eight non-members).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping

import pandas as pd

from minilat.models.overlap import member_sets_by_year

TABLE_COLUMNS = ("year", "minilateral", "multilateral", "members", "inside", "share", "nested",
                 "outside")


def nested_share(inner: Collection[str], outer: Collection[str]) -> float:
    """|inner ∩ outer| / |inner|: the share of the inner forum's members inside the outer one.

    NaN when ``inner`` is empty (a forum without members that year cannot be placed).
    """
    members = set(inner)
    if not members:
        return math.nan
    return len(members & set(outer)) / len(members)


def is_nested(inner: Collection[str], outer: Collection[str]) -> bool:
    """True when ``inner`` has members and every one of them belongs to ``outer``."""
    members = set(inner)
    return bool(members) and members <= set(outer)


def outside(inner: Collection[str], outer: Collection[str]) -> tuple[str, ...]:
    """The members of ``inner`` that ``outer`` lacks, sorted."""
    return tuple(sorted(set(inner) - set(outer)))


def complete_forums(forums: pd.DataFrame, kind: str) -> list[str]:
    """forum_ids of one kind whose members the dataset records completely, oldest first.

    Only complete records can show nesting: a partial record would leave members out and
    understate the share inside (or hide the members outside).
    """
    missing = [c for c in ("forum_id", "kind", "membership_coverage", "founded_year")
               if c not in forums.columns]
    if missing:
        raise ValueError(f"forums table lacks column(s) {', '.join(missing)}")
    chosen = forums[(forums["kind"] == kind) & (forums["membership_coverage"] == "complete")]
    return chosen.sort_values(["founded_year", "forum_id"], kind="stable")["forum_id"].tolist()


def _known(sets: Mapping[str, Collection[str]], forum_ids: Iterable[str], role: str,
           year: int) -> list[str]:
    chosen = list(dict.fromkeys(forum_ids))
    unknown = [f for f in chosen if f not in sets]
    if unknown:
        raise KeyError(f"no member set for {role}(s) {', '.join(map(repr, unknown))} in {year}")
    return chosen


def nestedness_table(sets_by_year: Mapping[int, Mapping[str, Collection[str]]],
                     minilaterals: Iterable[str], multilaterals: Iterable[str]) -> pd.DataFrame:
    """One row per year, minilateral and multilateral, for the years the minilateral has members.

    Columns: year; minilateral; multilateral; members (the minilateral's member count); inside
    (how many of them belong to the multilateral); share (inside / members); nested (every
    member inside); outside (the sorted tuple of members the multilateral lacks). A multilateral
    without members that year (not yet founded) holds none of them: share 0.
    """
    inner_ids, outer_ids = list(dict.fromkeys(minilaterals)), list(dict.fromkeys(multilaterals))
    if not inner_ids or not outer_ids:
        raise ValueError("choose at least one minilateral and one multilateral")
    rows = []
    for year in sorted(sets_by_year):
        sets = sets_by_year[year]
        for mini in _known(sets, inner_ids, "minilateral", year):
            inner = set(sets[mini])
            if not inner:
                continue
            for multi in _known(sets, outer_ids, "multilateral", year):
                outer = set(sets[multi])
                left_out = outside(inner, outer)
                rows.append((int(year), mini, multi, len(inner), len(inner) - len(left_out),
                             nested_share(inner, outer), is_nested(inner, outer), left_out))
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    return table.astype({"year": int, "members": int, "inside": int, "share": float,
                         "nested": bool})


def nestedness_from_spells(spells: pd.DataFrame, years: Iterable[int], minilaterals: Iterable[str],
                           multilaterals: Iterable[str]) -> pd.DataFrame:
    """``nestedness_table`` from a memberships-like table (role ``member`` only)."""
    inner_ids, outer_ids = list(minilaterals), list(multilaterals)
    by_year = member_sets_by_year(spells, years, [*inner_ids, *outer_ids])
    return nestedness_table(by_year, inner_ids, outer_ids)


def hosts(table: pd.DataFrame, year: int) -> dict[str, list[str]]:
    """minilateral → the multilaterals that hold all its members in ``year`` (sorted)."""
    missing = [c for c in ("year", "minilateral", "multilateral", "nested")
               if c not in table.columns]
    if missing:
        raise ValueError(f"nestedness table lacks column(s) {', '.join(missing)}")
    that_year = table[table["year"] == year]
    found: dict[str, list[str]] = {m: [] for m in sorted(set(that_year["minilateral"]))}
    for row in that_year[that_year["nested"]].itertuples(index=False):
        found[row.minilateral].append(row.multilateral)
    return {mini: sorted(outer) for mini, outer in found.items()}


def parent_links(forums: pd.DataFrame) -> pd.DataFrame:
    """The nesting declared in the forums table: forum_id, its parent_id and both kinds.

    A parent_id that names no forum of the table is an error (it names the row).
    """
    missing = [c for c in ("forum_id", "parent_id", "kind") if c not in forums.columns]
    if missing:
        raise ValueError(f"forums table lacks column(s) {', '.join(missing)}")
    kind_of = dict(zip(forums["forum_id"], forums["kind"], strict=True))
    linked = forums[forums["parent_id"].notna()]
    rows = []
    for position, row in linked.iterrows():
        if row["parent_id"] not in kind_of:
            raise ValueError(f"forums row {position} ({row['forum_id']}): parent_id "
                             f"{row['parent_id']!r} is not a forum_id of the table")
        rows.append((row["forum_id"], row["parent_id"], row["kind"], kind_of[row["parent_id"]]))
    return pd.DataFrame(rows, columns=["forum_id", "parent_id", "kind", "parent_kind"])
