"""Membership overlap between forums: shared members, Jaccard similarity and the forum network.

Chapter 6 reads the paper's "global governance in pieces" as a question the dataset can answer:
when problems are split among many forums, how much do those forums share their members? Three
plain measures answer it:

- ``shared``: how many members two forums have in common (|A ∩ B|);
- ``jaccard``: the shared members as a share of all members of either forum,
  |A ∩ B| / |A ∪ B|, from 0 (no one in common) to 1 (the same members);
- the forum network: forums are nodes, and two forums are linked when their Jaccard
  similarity reaches a threshold.

The functions take member sets (forum_id → set of codes) so that they can be checked by hand on
tiny cases; ``member_sets`` builds them from a memberships-like table with the dataset's rule
(a spell counts in year y when joined ≤ y and (left is empty or y < left)).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from itertools import combinations

import networkx as nx
import numpy as np
import pandas as pd

from minilat.models.platform_diversity import spell_years

MemberSets = Mapping[str, Collection[str]]
MATRIX_COLUMNS = ("forum_a", "forum_b", "members_a", "members_b", "shared", "union", "jaccard",
                  "shared_members")


def jaccard(a: Collection[str], b: Collection[str]) -> float:
    """|a ∩ b| / |a ∪ b|. Two empty forums have no members to compare: the result is NaN."""
    first, second = set(a), set(b)
    union = first | second
    if not union:
        return math.nan
    return len(first & second) / len(union)


def member_sets(spells: pd.DataFrame, year: int, forum_ids: Iterable[str] | None = None,
                roles: Iterable[str] | None = ("member",)) -> dict[str, frozenset[str]]:
    """forum_id → the codes of its members in ``year``.

    ``forum_ids`` chooses the forums (default: every forum with a member that year); a forum
    chosen but without members in ``year`` maps to an empty set, so it stays visible.
    """
    return member_sets_by_year(spells, [year], forum_ids, roles)[int(year)]


def member_sets_by_year(spells: pd.DataFrame, years: Iterable[int],
                        forum_ids: Iterable[str] | None = None,
                        roles: Iterable[str] | None = ("member",)
                        ) -> dict[int, dict[str, frozenset[str]]]:
    """year → ``member_sets`` of that year, reading the spells once for all the years."""
    grid = sorted({int(y) for y in years})
    counted = spell_years(spells, grid, roles)
    found: dict[int, dict[str, set[str]]] = {y: {} for y in grid}
    for forum, member, year in zip(counted["forum_id"], counted["member"], counted["year"],
                                   strict=True):
        found[int(year)].setdefault(str(forum), set()).add(str(member))
    wanted = None if forum_ids is None else list(dict.fromkeys(forum_ids))
    return {year: {forum: frozenset(by_forum.get(forum, ()))
                   for forum in (sorted(by_forum) if wanted is None else wanted)}
            for year, by_forum in found.items()}


def _checked(sets: MemberSets, forum_ids: Iterable[str] | None) -> list[str]:
    chosen = list(sets) if forum_ids is None else list(dict.fromkeys(forum_ids))
    unknown = [f for f in chosen if f not in sets]
    if unknown:
        raise KeyError(f"no member set for forum(s) {', '.join(map(repr, unknown))}; "
                       f"known: {', '.join(sorted(sets)) or 'none'}")
    return chosen


def overlap_matrix(sets: MemberSets, forum_ids: Iterable[str] | None = None,
                   symmetric: bool = True) -> pd.DataFrame:
    """One row per pair of forums with their sizes, shared members, union and Jaccard.

    ``symmetric=True`` gives every ordered pair, the diagonal included (a heatmap's cells);
    ``False`` gives each unordered pair once, forum_a before forum_b in the order given.
    ``shared_members`` is the sorted tuple of the codes both forums hold.
    """
    chosen = _checked(sets, forum_ids)
    if symmetric:
        pairs = [(a, b) for a in chosen for b in chosen]
    else:
        pairs = list(combinations(chosen, 2))
    rows = []
    for a, b in pairs:
        first, second = set(sets[a]), set(sets[b])
        both = first & second
        rows.append((a, b, len(first), len(second), len(both), len(first | second),
                     jaccard(first, second), tuple(sorted(both))))
    table = pd.DataFrame(rows, columns=list(MATRIX_COLUMNS))
    return table.astype({"members_a": int, "members_b": int, "shared": int, "union": int,
                         "jaccard": float})


def group_overlap(sets: MemberSets, forum_ids: Iterable[str]) -> dict[str, object]:
    """What a group of forums has in common: members of all, members of any, their Jaccard.

    Returns ``forums`` (the ids), ``shared`` (sorted codes in every forum), ``union`` (sorted
    codes in at least one) and ``jaccard`` (len(shared) / len(union); NaN when all are empty).
    """
    chosen = _checked(sets, forum_ids)
    if not chosen:
        raise ValueError("choose at least one forum")
    groups = [set(sets[f]) for f in chosen]
    shared = set.intersection(*groups)
    union = set.union(*groups)
    return {"forums": chosen, "shared": sorted(shared), "union": sorted(union),
            "jaccard": len(shared) / len(union) if union else math.nan}


def forum_network(matrix: pd.DataFrame, threshold: float = 0.0) -> nx.Graph:
    """Forums as nodes (attribute ``members``), linked when they share at least one member and
    their Jaccard similarity is at least ``threshold``; edges carry ``shared`` and ``jaccard``.
    """
    missing = [c for c in ("forum_a", "forum_b", "members_a", "shared", "jaccard")
               if c not in matrix.columns]
    if missing:
        raise ValueError(f"overlap matrix lacks column(s) {', '.join(missing)}; "
                         "build it with overlap_matrix()")
    if not 0 <= threshold <= 1:
        raise ValueError(f"threshold is a Jaccard similarity from 0 to 1, got {threshold}")
    graph = nx.Graph()
    for row in matrix.itertuples(index=False):
        graph.add_node(row.forum_a, members=int(row.members_a))
    for row in matrix.itertuples(index=False):
        if row.forum_a != row.forum_b and row.shared > 0 and row.jaccard >= threshold:
            graph.add_edge(row.forum_a, row.forum_b, shared=int(row.shared),
                           jaccard=float(row.jaccard))
    return graph


def network_layout(graph: nx.Graph, seed: int = 6, iterations: int = 200,
                   spread: float = 3.0) -> pd.DataFrame:
    """Node positions from networkx's spring layout (edges pull by Jaccard), fixed by ``seed``.

    ``spread`` scales the distance the layout aims for between nodes (networkx's ``k`` is
    spread / √nodes; networkx's default is spread 1): a dense network of forums needs more room
    than the default gives, or its centre becomes an unreadable knot. Columns forum_id, x, y,
    each coordinate scaled into [-1, 1]. The same graph and seed give the same positions, so the
    layout can be computed once when the book is built.
    """
    if graph.number_of_nodes() == 0:
        raise ValueError("the network has no forums to lay out")
    if spread <= 0:
        raise ValueError(f"spread must be positive, got {spread}")
    positions = nx.spring_layout(graph, weight="jaccard", seed=seed, iterations=iterations,
                                 k=spread / math.sqrt(graph.number_of_nodes()))
    table = pd.DataFrame([(node, float(x), float(y)) for node, (x, y) in positions.items()],
                         columns=["forum_id", "x", "y"])
    for axis in ("x", "y"):
        largest = table[axis].abs().max()
        if largest > 0:
            table[axis] = table[axis] / largest
    return table.sort_values("forum_id", ignore_index=True)


def network_measures(graph: nx.Graph) -> pd.DataFrame:
    """Per forum: degree (links), strength (sum of link Jaccards), betweenness centrality
    (share of shortest paths between other forums that pass through it) and component (1 =
    the largest group of connected forums)."""
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    component_of = {node: i + 1 for i, nodes in enumerate(components) for node in nodes}
    betweenness = nx.betweenness_centrality(graph)
    rows = [(node, graph.degree(node), float(graph.degree(node, weight="jaccard")),
             betweenness[node], component_of[node]) for node in sorted(graph.nodes)]
    return pd.DataFrame(rows, columns=["forum_id", "degree", "strength", "betweenness",
                                       "component"])


def threshold_summary(matrix: pd.DataFrame, thresholds: Iterable[float]) -> pd.DataFrame:
    """For each threshold: links, density (links / possible links), components, the size of
    the largest component and the forums left without any link."""
    rows = []
    for threshold in sorted({round(float(t), 10) for t in thresholds}):
        graph = forum_network(matrix, threshold)
        components = list(nx.connected_components(graph))
        rows.append((threshold, graph.number_of_edges(), nx.density(graph), len(components),
                     max((len(c) for c in components), default=0),
                     sum(1 for node in graph if graph.degree(node) == 0)))
    return pd.DataFrame(rows, columns=["threshold", "links", "density", "components",
                                       "largest_component", "isolated"])


def threshold_grid(start: float = 0.05, stop: float = 0.9, step: float = 0.05) -> list[float]:
    """Thresholds from ``start`` to ``stop`` in steps of ``step`` (rounded, ends included)."""
    if step <= 0 or stop < start:
        raise ValueError("need step > 0 and stop ≥ start")
    count = int(round((stop - start) / step)) + 1
    return [round(float(v), 10) for v in np.linspace(start, start + step * (count - 1), count)]


def regime_complex(spells: pd.DataFrame, forums: pd.DataFrame, code: str, year: int,
                   roles: Iterable[str] | None = ("member",)) -> pd.DataFrame:
    """A member's forums in ``year``, one row per forum and issue area.

    Columns forum_id, name, kind, issue_area (from the forums table's ``issue_areas`` lists).
    A forum with no issue area recorded gets issue_area ``"unrecorded"``.
    """
    missing = [c for c in ("forum_id", "name", "kind", "issue_areas") if c not in forums.columns]
    if missing:
        raise ValueError(f"forums table lacks column(s) {', '.join(missing)}")
    counted = spell_years(spells, [int(year)], roles)
    held = sorted(set(counted.loc[counted["member"] == code, "forum_id"]))
    table = forums.loc[forums["forum_id"].isin(held), ["forum_id", "name", "kind", "issue_areas"]]
    unknown = sorted(set(held) - set(table["forum_id"]))
    if unknown:
        raise ValueError(f"spells name forum(s) {', '.join(unknown)} that the forums table "
                         "lacks")
    areas = table["issue_areas"].map(lambda v: list(v) if isinstance(v, list | tuple) and v
                                     else ["unrecorded"])
    long = table.assign(issue_area=areas).explode("issue_area")
    return long.drop(columns="issue_areas").sort_values(
        ["issue_area", "forum_id"], ignore_index=True).astype({"issue_area": str})
