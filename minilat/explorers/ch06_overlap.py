"""Chapter 6 explorer: compose overlap queries on any forums.

``build_panel()`` is the live ipywidgets panel: pick forums and a year, and it lists the
members all of them share, how many belong to at least one, the group's Jaccard similarity and a
pairwise table. ``twin_chart()`` is its kernel-free twin for the site: the overlap heatmap of a
set of Indo-Pacific and Asian forums with a year slider, computed for every year at build time.
Both rest on ``overlap_report()``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from minilat.figures.ch06_overlap import (
    complete_forums,
    forum_labels,
    forum_order,
    heatmap_cells,
    overlap_heatmap,
)
from minilat.models.overlap import (
    MemberSets,
    group_overlap,
    member_sets,
    member_sets_by_year,
    overlap_matrix,
)

START_FORUMS: tuple[str, ...] = ("quad", "i2u2", "aukus")
# The twin's forums: Asian and Indo-Pacific groupings, minilateral and multilateral.
TWIN_FORUMS: tuple[str, ...] = (
    "asean", "saarc", "g20", "apec", "eas", "admm_plus", "rcep", "asean_plus_three", "cptpp", "brics", "sco",
    "g7", "bimstec", "lmc", "mekong_ganga", "musp", "colombo_security_conclave", "quad",
    "i2u2", "aukus", "ifa_trilateral", "us_japan_rok_trilateral", "scri", "impc",
)
TWIN_FIRST_YEAR = 1990


def overlap_report(sets: MemberSets, forum_ids: Sequence[str], labels: Mapping[str, str],
                   member_names: Mapping[str, str]) -> dict[str, Any]:
    """What the panel shows for a choice of forums in one year.

    Returns ``forums`` (labels), ``sizes`` (members per forum), ``shared`` and ``union``
    (member names, sorted), ``jaccard`` (the group's: shared / union) and ``pairs`` (a
    DataFrame: forum, with, shared, union, jaccard for each pair of chosen forums).
    """
    group = group_overlap(sets, forum_ids)
    pairs = overlap_matrix(sets, forum_ids, symmetric=False)
    table = pd.DataFrame({
        "forum": pairs["forum_a"].map(labels), "with": pairs["forum_b"].map(labels),
        "shared": pairs["shared"], "union": pairs["union"], "jaccard": pairs["jaccard"]})
    return {
        "forums": [labels.get(f, f) for f in group["forums"]],
        "sizes": {labels.get(f, f): len(sets[f]) for f in group["forums"]},
        "shared": sorted(member_names.get(c, c) for c in group["shared"]),
        "union": sorted(member_names.get(c, c) for c in group["union"]),
        "jaccard": group["jaccard"],
        "pairs": table.sort_values(["jaccard", "shared"], ascending=False, ignore_index=True),
    }


def _number(value: float) -> str:
    return "undefined (no members)" if math.isnan(value) else f"{value:.2f}"


def _members(count: int) -> str:
    return "member belongs" if count == 1 else "members belong"


def report_html(report: dict[str, Any], year: int) -> str:
    """The panel's text for one query."""
    sizes = ", ".join(f"{html.escape(f)} ({n})" for f, n in report["sizes"].items())
    shared = html.escape(", ".join(report["shared"])) or "<em>no one</em>"
    rows = "".join(
        f"<tr><td>{html.escape(str(r.forum))}</td><td>{html.escape(str(r.with_))}</td>"
        f"<td>{r.shared}</td><td>{r.union}</td><td>{_number(r.jaccard)}</td></tr>"
        for r in report["pairs"].rename(columns={"with": "with_"}).itertuples(index=False))
    table = ("<table><tr><th>Forum</th><th>and</th><th>Shared</th><th>Union</th>"
             f"<th>Jaccard</th></tr>{rows}</table>") if rows else ""
    return (
        f"<p>In <b>{year}</b>: {sizes}.</p>"
        f"<p><b>{len(report['shared'])}</b> {_members(len(report['shared']))} to every forum "
        f"chosen: {shared}.</p>"
        f"<p><b>{len(report['union'])}</b> {_members(len(report['union']))} to at least one. "
        "The group's Jaccard "
        f"similarity (all of them ÷ any of them) is <b>{_number(report['jaccard'])}</b>.</p>"
        f"{table}"
    )


def _tables(spells: pd.DataFrame | None, forums: pd.DataFrame | None,
            countries: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from minilat.dataset import countries as load_countries
    from minilat.dataset import forums as load_forums
    from minilat.dataset import memberships as load_memberships

    return (load_memberships() if spells is None else spells,
            load_forums() if forums is None else forums,
            load_countries() if countries is None else countries)


def _forum_options(spells: pd.DataFrame, forums: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, forum_id) for every forum with recorded members, by label."""
    labels = forum_labels(forums)
    coverage = dict(zip(forums["forum_id"], forums["membership_coverage"], strict=True))
    recorded = sorted(set(spells["forum_id"]) & set(labels), key=lambda f: labels[f].casefold())
    return [(f"{labels[f]} ({coverage[f]} record)", f) for f in recorded]


def build_panel(spells: pd.DataFrame | None = None, forums: pd.DataFrame | None = None,
                countries: pd.DataFrame | None = None, year: int | None = None,
                start: Iterable[str] = START_FORUMS) -> Any:
    """The live panel: choose forums (ctrl/cmd-click for several) and a year (the slider ends at
    ``year``, by default the dataset's reference year)."""
    import ipywidgets as widgets

    spells, forums, countries = _tables(spells, forums, countries)
    labels = forum_labels(forums)
    names = dict(zip(countries["code"], countries["name"], strict=True))
    options = _forum_options(spells, forums)
    chosen_ids = [f for f in start if f in dict((v, k) for k, v in options)]
    first = int(spells["joined"].min())
    if year is None:
        from minilat.dataset.query import reference_year
        year = reference_year()
    last = int(year)
    picker = widgets.SelectMultiple(options=options, value=tuple(chosen_ids), rows=12,
                                    description="Forums", layout=widgets.Layout(width="360px"))
    when = widgets.IntSlider(value=last, min=first, max=last, step=1, description="Year",
                             continuous_update=False)
    output = widgets.HTML()

    def update(_: Any = None) -> None:
        if not picker.value:
            output.value = "<p>Choose at least one forum.</p>"
            return
        sets = member_sets(spells, when.value, picker.value)
        output.value = report_html(overlap_report(sets, picker.value, labels, names), when.value)

    for control in (picker, when):
        control.observe(update, names="value")
    update()
    return widgets.HBox([widgets.VBox([picker, when]), output])


def twin_chart(spells: pd.DataFrame, forums: pd.DataFrame, countries: pd.DataFrame,
               last_year: int, forum_ids: Sequence[str] = TWIN_FORUMS,
               first_year: int = TWIN_FIRST_YEAR) -> alt.LayerChart:
    """The kernel-free twin: the overlap heatmap of ``forum_ids`` with a year slider.

    Only forums whose membership is recorded completely are drawn; the others are left out.
    """
    if last_year < first_year:
        raise ValueError(f"last_year {last_year} is before first_year {first_year}")
    complete = set(complete_forums(forums))
    chosen = [f for f in forum_ids if f in complete]
    if not chosen:
        raise ValueError("none of the twin's forums has a complete membership record")
    names = dict(zip(countries["code"], countries["name"], strict=True))
    by_year = member_sets_by_year(spells, range(first_year, last_year + 1), chosen)
    ever = {f for sets in by_year.values() for f, members in sets.items() if members}
    by_year = {y: {f: s for f, s in sets.items() if f in ever} for y, sets in by_year.items()}
    cells = heatmap_cells(by_year, forums, names, order=forum_order(by_year[last_year], forums))
    return overlap_heatmap(
        cells, forum_order(by_year[last_year], forums),
        title="Asian and Indo-Pacific forums: who shares members, year by year",
        subtitle="Move the year slider; switch the colour; click a cell to follow one forum.",
        start_year=last_year)
