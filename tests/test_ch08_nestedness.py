"""Chapter 8 model: nestedness measures on small cases worked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from minilat.models.nestedness import (
    complete_forums,
    hosts,
    is_nested,
    nested_share,
    nestedness_from_spells,
    nestedness_table,
    outside,
    parent_links,
)


def test_fully_nested() -> None:
    assert nested_share({"A", "B"}, {"A", "B", "C"}) == 1.0
    assert is_nested({"A", "B"}, {"A", "B", "C"})
    assert outside({"A", "B"}, {"A", "B", "C"}) == ()


def test_partly_nested() -> None:
    # 2 of 3 members inside: share 2/3, not nested, C named outside.
    assert nested_share(["A", "B", "C"], ["A", "B", "D"]) == pytest.approx(2 / 3)
    assert not is_nested(["A", "B", "C"], ["A", "B", "D"])
    assert outside(["C", "A", "B", "Z"], ["A", "B", "D"]) == ("C", "Z")


def test_disjoint_and_empty() -> None:
    assert nested_share({"A"}, {"B"}) == 0.0
    assert nested_share({"A"}, set()) == 0.0  # an empty multilateral holds no one
    assert math.isnan(nested_share(set(), {"A"}))  # nothing to place
    assert not is_nested(set(), {"A"})  # an empty forum is not "inside" anything
    assert outside(set(), {"A"}) == ()


def test_duplicates_do_not_count_twice() -> None:
    assert nested_share(["A", "A", "B"], ["A"]) == 0.5


SPELLS = pd.DataFrame({
    "forum_id": ["mini", "mini", "mini", "multi", "multi", "multi"],
    "member": ["A", "B", "C", "A", "B", "C"],
    "role": ["member", "member", "member", "member", "member", "observer"],
    "joined": [2000, 2000, 2002, 1990, 1990, 1990],
    "left": [None, 2003, None, None, None, None],
})


def test_year_boundaries_follow_the_spell_rule() -> None:
    # joined ≤ y < left: B counts in 2000–2002 and not in 2003; C from 2002 on.
    # C is only an observer of multi, so it is outside.
    table = nestedness_from_spells(SPELLS, range(1999, 2005), ["mini"], ["multi"])
    by_year = table.set_index("year")
    assert list(by_year.index) == [2000, 2001, 2002, 2003, 2004]  # no members in 1999: no row
    assert by_year.loc[2001, ["members", "inside", "nested"]].tolist() == [2, 2, True]
    assert by_year.loc[2002, ["members", "inside"]].tolist() == [3, 2]
    assert by_year.loc[2002, "share"] == pytest.approx(2 / 3)
    assert by_year.loc[2002, "outside"] == ("C",)
    assert by_year.loc[2003, ["members", "inside", "share"]].tolist() == [2, 1, 0.5]
    assert by_year.loc[2003, "outside"] == ("C",)


def test_table_multilateral_not_yet_founded() -> None:
    sets = {2000: {"mini": {"A"}, "multi": set()}, 2001: {"mini": {"A"}, "multi": {"A"}}}
    table = nestedness_table(sets, ["mini"], ["multi"])
    assert table[["year", "share", "nested"]].values.tolist() == [[2000, 0.0, False],
                                                                  [2001, 1.0, True]]


def test_table_errors() -> None:
    with pytest.raises(KeyError, match="multilateral\\(s\\) 'nope' in 2000"):
        nestedness_table({2000: {"mini": {"A"}}}, ["mini"], ["nope"])
    with pytest.raises(ValueError, match="at least one minilateral"):
        nestedness_table({2000: {}}, [], ["multi"])


def test_hosts_lists_every_multilateral_that_holds_all_members() -> None:
    sets = {2020: {"m": {"A", "B"}, "n": {"C"}, "big": {"A", "B", "C"}, "half": {"A"}}}
    table = nestedness_table(sets, ["m", "n"], ["big", "half"])
    assert hosts(table, 2020) == {"m": ["big"], "n": ["big"]}
    with pytest.raises(ValueError, match="lacks column"):
        hosts(table.drop(columns="nested"), 2020)


def test_parent_links() -> None:
    forums = pd.DataFrame({"forum_id": ["asean", "admm", "g7"],
                           "parent_id": [None, "asean", None],
                           "kind": ["multilateral", "minilateral", "minilateral"]})
    links = parent_links(forums)
    assert links.values.tolist() == [["admm", "asean", "minilateral", "multilateral"]]
    broken = forums.assign(parent_id=[None, "nowhere", None])
    with pytest.raises(ValueError, match="row 1 \\(admm\\): parent_id 'nowhere'"):
        parent_links(broken)


def test_complete_forums_oldest_first() -> None:
    forums = pd.DataFrame({"forum_id": ["b", "a", "c", "d"],
                           "kind": ["minilateral", "minilateral", "minilateral", "multilateral"],
                           "membership_coverage": ["complete", "complete", "partial", "complete"],
                           "founded_year": [2001, 2001, 1990, 1945]})
    assert complete_forums(forums, "minilateral") == ["a", "b"]
    assert complete_forums(forums, "multilateral") == ["d"]
    with pytest.raises(ValueError, match="lacks column\\(s\\) founded_year"):
        complete_forums(forums.drop(columns="founded_year"), "minilateral")
