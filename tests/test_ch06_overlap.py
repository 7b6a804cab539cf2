"""Chapter 6 model: shared members, Jaccard similarity and the forum network, worked by hand."""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from minilat.models.overlap import (
    forum_network,
    group_overlap,
    jaccard,
    member_sets,
    network_layout,
    network_measures,
    overlap_matrix,
    regime_complex,
    threshold_grid,
    threshold_summary,
)

# Three members and four members sharing two (B and C): Jaccard 2 / 5.
SETS = {
    "three": {"A", "B", "C"},
    "four": {"B", "C", "D", "E"},
    "twin": {"B", "C", "D", "E"},  # identical to "four"
    "empty": set(),
    "alone": {"Z"},
}


def test_jaccard_by_hand() -> None:
    assert jaccard(SETS["three"], SETS["four"]) == pytest.approx(2 / 5)
    assert jaccard(SETS["four"], SETS["three"]) == pytest.approx(2 / 5)  # symmetric
    assert jaccard(SETS["four"], SETS["twin"]) == 1.0
    assert jaccard(SETS["three"], SETS["empty"]) == 0.0
    assert jaccard(SETS["three"], SETS["alone"]) == 0.0


def test_jaccard_of_two_empty_forums_is_undefined() -> None:
    assert math.isnan(jaccard(set(), set()))


def test_overlap_matrix_symmetric_cells() -> None:
    matrix = overlap_matrix(SETS).set_index(["forum_a", "forum_b"])
    assert len(matrix) == 25  # every ordered pair, diagonal included
    cell = matrix.loc[("three", "four")]
    assert (cell["members_a"], cell["members_b"], cell["shared"], cell["union"]) == (3, 4, 2, 5)
    assert cell["jaccard"] == pytest.approx(0.4)
    assert cell["shared_members"] == ("B", "C")
    assert matrix.loc[("four", "three"), "jaccard"] == pytest.approx(0.4)
    assert matrix.loc[("three", "three"), "jaccard"] == 1.0
    assert matrix.loc[("three", "three"), "shared"] == 3
    assert matrix.loc[("four", "twin"), "jaccard"] == 1.0
    assert matrix.loc[("empty", "three"), ["shared", "union"]].tolist() == [0, 3]
    assert math.isnan(matrix.loc[("empty", "empty"), "jaccard"])


def test_overlap_matrix_pairs_once_in_given_order() -> None:
    pairs = overlap_matrix(SETS, ["four", "three", "empty"], symmetric=False)
    assert list(zip(pairs["forum_a"], pairs["forum_b"], strict=True)) == [
        ("four", "three"), ("four", "empty"), ("three", "empty")]
    assert pairs["shared"].tolist() == [2, 0, 0]


def test_overlap_matrix_unknown_forum() -> None:
    with pytest.raises(KeyError, match="no member set for forum\\(s\\) 'quad'"):
        overlap_matrix(SETS, ["three", "quad"])


def test_group_overlap_by_hand() -> None:
    group = group_overlap(SETS, ["three", "four", "twin"])
    assert group["shared"] == ["B", "C"]
    assert group["union"] == ["A", "B", "C", "D", "E"]
    assert group["jaccard"] == pytest.approx(2 / 5)
    assert group_overlap(SETS, ["three", "empty"])["shared"] == []
    assert group_overlap(SETS, ["three"])["jaccard"] == 1.0
    assert math.isnan(group_overlap(SETS, ["empty"])["jaccard"])
    with pytest.raises(ValueError, match="at least one forum"):
        group_overlap(SETS, [])


SPELLS = pd.DataFrame({
    "forum_id": ["f", "f", "f", "g", "g", "h"],
    "member": ["A", "B", "C", "B", "C", "A"],
    "role": ["member", "member", "member", "member", "observer", "member"],
    "joined": [2000, 2000, 2005, 2000, 2000, 2010],
    "left": [None, 2004, None, None, None, 2012],
})


def test_member_sets_follow_the_spell_rule() -> None:
    # 2004: B has left f (left = 2004 means not counted in 2004); C joins only in 2005.
    assert member_sets(SPELLS, 2004) == {"f": frozenset({"A"}), "g": frozenset({"B"})}
    sets = member_sets(SPELLS, 2011, ["h", "f", "g", "unseen"])
    assert list(sets) == ["h", "f", "g", "unseen"]
    assert sets == {"h": {"A"}, "f": {"A", "C"}, "g": {"B"}, "unseen": frozenset()}
    with_observers = member_sets(SPELLS, 2011, roles=None)
    assert with_observers["g"] == {"B", "C"}


def test_network_links_and_threshold() -> None:
    matrix = overlap_matrix(SETS)
    graph = forum_network(matrix)
    assert set(graph.nodes) == set(SETS)
    # three–four, three–twin (0.4 each) and four–twin (1.0); the empty and lone forums stay
    # unlinked.
    assert graph.number_of_edges() == 3
    assert graph.degree("empty") == 0 and graph.degree("alone") == 0
    assert graph.nodes["four"]["members"] == 4
    assert graph.edges["three", "four"]["shared"] == 2
    strict = forum_network(matrix, threshold=0.5)
    assert list(strict.edges) in ([("four", "twin")], [("twin", "four")])
    with pytest.raises(ValueError, match="from 0 to 1"):
        forum_network(matrix, threshold=1.5)
    with pytest.raises(ValueError, match="lacks column"):
        forum_network(matrix.drop(columns="jaccard"))


def test_network_measures_on_a_path() -> None:
    # a – b – c in a line, and d alone: b lies on the only path between a and c.
    sets = {"a": {"1", "2"}, "b": {"2", "3"}, "c": {"3", "4"}, "d": {"9"}}
    measures = network_measures(forum_network(overlap_matrix(sets))).set_index("forum_id")
    assert measures["degree"].to_dict() == {"a": 1, "b": 2, "c": 1, "d": 0}
    assert measures.at["b", "strength"] == pytest.approx(2 / 3)  # two links of Jaccard 1/3
    # Of the 3 pairs of other forums (a–c, a–d, c–d) only a–c is joined, through b: 1/3.
    assert measures.at["b", "betweenness"] == pytest.approx(1 / 3)
    assert measures.at["a", "betweenness"] == 0.0
    assert measures["component"].to_dict() == {"a": 1, "b": 1, "c": 1, "d": 2}


def test_threshold_summary_by_hand() -> None:
    summary = threshold_summary(overlap_matrix(SETS), [0.0, 0.5, 1.0]).set_index("threshold")
    assert summary["links"].tolist() == [3, 1, 1]
    assert summary.at[0.0, "density"] == pytest.approx(3 / 10)
    assert summary.at[0.0, "largest_component"] == 3
    assert summary.at[0.5, "largest_component"] == 2
    assert summary.at[0.5, "isolated"] == 3
    assert summary["components"].tolist() == [3, 4, 4]


def test_threshold_grid() -> None:
    assert threshold_grid(0.1, 0.3, 0.1) == [0.1, 0.2, 0.3]
    assert len(threshold_grid()) == 18
    with pytest.raises(ValueError):
        threshold_grid(0.5, 0.1, 0.1)


def test_layout_is_fixed_by_seed_and_scaled() -> None:
    graph = forum_network(overlap_matrix(SETS))
    first, again = network_layout(graph, seed=3), network_layout(graph, seed=3)
    pd.testing.assert_frame_equal(first, again)
    assert sorted(first["forum_id"]) == sorted(SETS)
    assert first[["x", "y"]].abs().max().max() == pytest.approx(1.0)
    assert not first.equals(network_layout(graph, seed=4))
    with pytest.raises(ValueError, match="no forums"):
        network_layout(nx.Graph())
    with pytest.raises(ValueError, match="spread must be positive"):
        network_layout(graph, spread=0)


def test_layout_keeps_linked_forums_closer_than_unlinked() -> None:
    # Two identical forums are pulled together; a forum sharing no one drifts away.
    graph = forum_network(overlap_matrix({"p": {"A", "B"}, "q": {"A", "B"}, "r": {"Z"}}))
    where = network_layout(graph, seed=1).set_index("forum_id")

    def distance(a: str, b: str) -> float:
        return float(((where.loc[a] - where.loc[b]) ** 2).sum() ** 0.5)

    assert distance("p", "q") < distance("p", "r")
    assert distance("p", "q") < distance("q", "r")


FORUMS = pd.DataFrame({
    "forum_id": ["f", "g", "h"], "name": ["Eff", "Gee", "Aitch"],
    "kind": ["multilateral", "minilateral", "minilateral"],
    "issue_areas": [["trade", "finance"], [], ["security"]],
})


def test_regime_complex_by_hand() -> None:
    complex_ = regime_complex(SPELLS, FORUMS, "A", 2011)
    assert list(zip(complex_["issue_area"], complex_["forum_id"], strict=True)) == [
        ("finance", "f"), ("security", "h"), ("trade", "f")]
    # B in 2005: B left f in 2004, so only g, which records no issue area.
    assert regime_complex(SPELLS, FORUMS, "B", 2005)[["forum_id", "issue_area"]].values.tolist(
    ) == [["g", "unrecorded"]]
    assert regime_complex(SPELLS, FORUMS, "Q", 2011).empty
    with pytest.raises(ValueError, match="lacks"):
        regime_complex(SPELLS, FORUMS[FORUMS["forum_id"] != "h"], "A", 2011)
