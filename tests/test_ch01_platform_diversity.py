"""Chapter 1 model: forums per state and overlapping pairs, checked against values worked by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from minilat.dataset import forums_of, memberships
from minilat.dataset.fixture import write_fixture
from minilat.models.platform_diversity import (
    checked_spells,
    forum_counts,
    forum_kinds,
    fully_recorded,
    most_connected,
    overlap_by_year,
    shared_member_pairs,
    spell_years,
)

# Forum A: X from 2000, Y in 2000–2001 (left 2002). Forum B: X and Z from 2001.
# Forum C: Z from 2003, and W only as an observer (roles other than member are left out).
SPELLS = pd.DataFrame(
    [
        ("a", "X", "member", 2000, None),
        ("a", "Y", "member", 2000, 2002),
        ("b", "X", "member", 2001, None),
        ("b", "Z", "member", 2001, None),
        ("c", "Z", "member", 2003, None),
        ("c", "W", "observer", 1990, None),
    ],
    columns=["forum_id", "member", "role", "joined", "left"],
).astype({"joined": "Int64", "left": "Int64"})
YEARS = range(2000, 2004)


def count_of(table: pd.DataFrame, member: str, year: int, **extra: str) -> int:
    chosen = (table["member"] == member) & (table["year"] == year)
    for column, value in extra.items():
        chosen &= table[column] == value
    assert chosen.sum() == 1, f"expected one row for {member} {year} {extra}"
    return int(table.loc[chosen, "forums"].iloc[0])


def test_forum_counts_by_hand() -> None:
    counts = forum_counts(SPELLS, YEARS)
    expected = {"X": [1, 2, 2, 2], "Y": [1, 1, 0, 0], "Z": [0, 1, 1, 2]}
    for member, by_year in expected.items():
        assert [count_of(counts, member, y) for y in YEARS] == by_year, member
    assert "W" not in set(counts["member"]), "observers are not members"
    assert len(counts) == 3 * 4  # every member × year, zeros included


def test_left_year_is_not_counted() -> None:
    # Y left forum A in 2002: it counts in 2001 but not in 2002.
    years = spell_years(SPELLS, [2001, 2002])
    assert {("a", "Y", 2001)} <= set(map(tuple, years.to_numpy()))
    assert ("a", "Y", 2002) not in set(map(tuple, years.to_numpy()))


def test_forum_counts_by_kind_and_chosen_codes() -> None:
    kinds = {"a": "multilateral", "b": "minilateral", "c": "minilateral"}
    counts = forum_counts(SPELLS, YEARS, codes=["Z", "Q"], kinds=kinds)
    assert count_of(counts, "Z", 2003, kind="minilateral") == 2
    assert count_of(counts, "Z", 2003, kind="multilateral") == 0
    assert count_of(counts, "Q", 2001, kind="minilateral") == 0  # a code with no spells
    assert set(counts["member"]) == {"Z", "Q"}


def test_kinds_must_cover_every_forum() -> None:
    with pytest.raises(ValueError, match="no kind for forum.*c"):
        forum_counts(SPELLS, YEARS, kinds={"a": "multilateral", "b": "minilateral"})


def test_shared_member_pairs_by_hand() -> None:
    pairs = shared_member_pairs(SPELLS, 2003)
    assert pairs.to_dict("records") == [
        {"forum_a": "a", "forum_b": "b", "shared": 1},
        {"forum_a": "b", "forum_b": "c", "shared": 1},
    ]
    assert shared_member_pairs(SPELLS, 2001).to_dict("records") == [
        {"forum_a": "a", "forum_b": "b", "shared": 1}
    ]
    assert shared_member_pairs(SPELLS, 1999).empty


def test_overlap_by_year_by_hand() -> None:
    overlap = overlap_by_year(SPELLS, YEARS).set_index("year")
    assert overlap["forums"].tolist() == [1, 2, 2, 3]
    assert overlap["pairs"].tolist() == [0, 1, 1, 3]
    assert overlap["overlapping"].tolist() == [0, 1, 1, 2]
    assert np.isnan(overlap.at[2000, "share"])  # one forum: no pair to share
    assert overlap.at[2003, "share"] == pytest.approx(2 / 3)


def test_counts_agree_with_forums_of_on_the_fixture(tmp_path: Path) -> None:
    data = write_fixture(tmp_path)
    spells = memberships(data)
    years = range(1974, 2025)
    counts = forum_counts(spells, years, codes=["JPN", "RUS", "AUS", "CAN"])
    for code in ("JPN", "RUS", "AUS", "CAN"):
        for year in years:
            assert count_of(counts, code, year) == len(forums_of(code, year, data_dir=data)), (
                code, year)


def test_bad_spells_are_named() -> None:
    with pytest.raises(ValueError, match="lacks column.*left"):
        checked_spells(SPELLS.drop(columns="left"))
    broken = SPELLS.astype({"joined": object})
    broken.loc[1, "joined"] = "2000s"
    with pytest.raises(ValueError, match=r"row 1 \(a, Y\): column 'joined'"):
        checked_spells(broken)
    undated = SPELLS.copy()
    undated.loc[0, "joined"] = pd.NA
    with pytest.raises(ValueError, match="may not be empty"):
        checked_spells(undated)
    with pytest.raises(ValueError, match="years is empty"):
        forum_counts(SPELLS, [])


def test_fully_recorded_keeps_complete_forums_only() -> None:
    forums = pd.DataFrame({"forum_id": ["a", "b", "c"], "kind": ["multilateral"] * 3,
                           "membership_coverage": ["complete", "partial", "complete"]})
    kept = fully_recorded(SPELLS, forums)
    assert set(kept["forum_id"]) == {"a", "c"}
    assert len(kept) == 4
    assert forum_kinds(forums) == {"a": "multilateral", "b": "multilateral", "c": "multilateral"}
    with pytest.raises(ValueError, match="forums table lacks column 'membership_coverage'"):
        fully_recorded(SPELLS, forums.drop(columns="membership_coverage"))


def test_most_connected_by_hand() -> None:
    counts = forum_counts(SPELLS, YEARS)
    # 2003: X in a and b (2), Z in b and c (2), Y in none.
    assert most_connected(counts, 2003) == ["X", "Z"]
    assert most_connected(counts, 2001, minimum=2) == ["X"]
    assert most_connected(counts, 2000, minimum=3) == []
    with pytest.raises(ValueError, match="no row for 1999"):
        most_connected(counts, 1999)
