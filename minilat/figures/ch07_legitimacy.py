"""Chapter 7 figures: whom forums represent, who they leave out, and Eckersley's designer.

Each ``*_table`` function turns model output (``minilat.models.inclusive_minilateral``) into the
small tidy frame a chart reads; each ``*_chart`` function returns an Altair chart with a title,
axis titles with units, kernel-free interaction (a dropdown, legend selection, sliders,
tooltips) and a text description computed from the data.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from minilat.charts import FONT, KIND_COLOURS, OKABE_ITO, kind_colour_scale
from minilat.figures.tables import require_columns
from minilat.models.inclusive_minilateral import LIST_LABELS, LISTS

INDICATOR_LABELS: dict[str, str] = {"population": "population", "gdp": "GDP",
                                    "co2": "CO₂ emissions"}
# Forums the chapter discusses: labelled on the representation chart.
LABELLED: tuple[str, ...] = ("un", "g7", "g20", "quad", "brics", "basic", "aukus")
INSIDE_COLOUR, OUTSIDE_COLOUR = OKABE_ITO[0], "#b3b3b3"
GROUP_COLOURS: dict[str, str] = {"inclusive": OKABE_ITO[2], "critical mass": OKABE_ITO[5]}
SEATED_COLOUR, UNSEATED_COLOUR = OKABE_ITO[2], "#c8c8c8"
TEXT_COLOUR = "#1a1a1a"


REPRESENTATION = ("forum_id", "kind", "members", "state_members", "co2", "population", "gdp",
                  "ldc", "sids", "ldc_total", "sids_total")


# --- 1. the share of the world each forum represents ---------------------------------------

def representation_table(representation: pd.DataFrame,
                         labels: Mapping[str, str]) -> pd.DataFrame:
    """Long form: one row per (forum, indicator), share in %, with a label for named forums."""
    require_columns(representation, REPRESENTATION, "the representation table")
    long = representation.melt(id_vars=["forum_id", "kind", "members", "state_members"],
                               value_vars=list(INDICATOR_LABELS), var_name="indicator",
                               value_name="share")
    long["share_pct"] = (100 * long["share"]).round(2)
    long["forum"] = [labels.get(f, f) for f in long["forum_id"]]
    long["label"] = [labels.get(f, f) if f in LABELLED else "" for f in long["forum_id"]]
    return long[["forum_id", "forum", "label", "kind", "members", "state_members", "indicator",
                 "share_pct"]]


def _representation_description(long: pd.DataFrame) -> str:
    counts = long.drop_duplicates("forum_id")["kind"].value_counts()
    kinds = " and ".join(f"{counts.get(k, 0)} {k}" for k in KIND_COLOURS)
    minis = long[long["kind"] == "minilateral"]
    parts = []
    for indicator, label in INDICATOR_LABELS.items():
        top = minis[minis["indicator"] == indicator].sort_values(
            ["share_pct", "forum"], ascending=[False, True]).iloc[0]
        parts.append(f"{label}: {top.forum}, {top.share_pct:.0f}% with {int(top.state_members)} "
                     "states")
    half = minis[minis["share_pct"] >= 50]
    smallest = half.sort_values(["state_members", "forum"]).iloc[0] if len(half) else None
    smallest_text = (f" The fewest states in a minilateral holding half of the world on any "
                     f"indicator: {smallest.forum} ({int(smallest.state_members)} states, "
                     f"{smallest.share_pct:.0f}% of world "
                     f"{INDICATOR_LABELS[smallest.indicator]}).") if smallest is not None else ""
    return (
        f"Scatter plot of {len(counts) and counts.sum()} living forums whose members the dataset "
        f"records completely ({kinds}): the number of state members (log scale) against the "
        "share of world population, GDP or CO₂ emissions those states hold; a dropdown picks "
        "the indicator, clicking a kind in the legend highlights it, and tooltips name each "
        f"forum. The minilateral with the largest share of world {parts[0]}; of world "
        f"{parts[1]}; of world {parts[2]}.{smallest_text}"
    )


def representation_chart(representation: pd.DataFrame, labels: Mapping[str, str],
                         start: str = "population") -> alt.LayerChart:
    """State members against the share of the world they hold; a dropdown for the indicator."""
    long = representation_table(representation, labels)
    if start not in INDICATOR_LABELS:
        raise ValueError(f"start {start!r} is not one of {', '.join(INDICATOR_LABELS)}")
    indicator = alt.param(name="indicator", value=start, bind=alt.binding_select(
        options=list(INDICATOR_LABELS), labels=[f"World {v}" for v in INDICATOR_LABELS.values()],
        name="Share of "))
    kind_pick = alt.selection_point(fields=["kind"], bind="legend")
    largest = int(long["state_members"].max())
    base = alt.Chart(long).transform_filter("datum.indicator == indicator").encode(
        x=alt.X("state_members:Q", title="State members (count, log scale)",
                scale=alt.Scale(type="log", domain=[1, max(largest, 10) * 1.3], nice=False)),
        y=alt.Y("share_pct:Q", title="Share of the world total held (%)",
                scale=alt.Scale(domain=[0, 100])))
    points = base.mark_circle(size=80, stroke="#ffffff", strokeWidth=0.8).encode(
        color=alt.Color("kind:N", scale=kind_colour_scale(),
                        title="Kind (click one to highlight it)",
                        legend=alt.Legend(orient="top", titleLimit=400)),
        opacity=alt.condition(kind_pick, alt.value(0.9), alt.value(0.15)),
        tooltip=[alt.Tooltip("forum:N", title="Forum"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("members:Q", title="Members (count)"),
                 alt.Tooltip("state_members:Q", title="State members (count)"),
                 alt.Tooltip("share_pct:Q", title="Share held (%)", format=".1f")],
    ).add_params(kind_pick)
    names = base.transform_filter("datum.label != ''").mark_text(
        align="left", dx=7, dy=-6, fontSize=11, font=FONT, color=TEXT_COLOUR).encode(
        text="label:N")
    return alt.layer(points, names).add_params(indicator).properties(
        title=alt.Title("Whom does each forum represent?",
                        subtitle="Share of the world held by each forum's state members. "
                                 "Pick an indicator; hover for details."),
        description=_representation_description(long))


# --- 2. who is left out ----------------------------------------------------------------------

ROWS = {"population": "World population", "ldc": "Least developed countries",
        "sids": "Small island developing states"}


def left_out_table(representation: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """Per forum, three rows (population, LDCs, SIDS) × inside/outside, in % of the world's.

    ``count`` is the number of states for the LDC and SIDS rows and empty for population.
    """
    require_columns(representation, REPRESENTATION, "the representation table")
    rows = []
    for r in representation.itertuples(index=False):
        forum = labels.get(r.forum_id, r.forum_id)
        inside = {"population": r.population, "ldc": r.ldc / r.ldc_total if r.ldc_total else 0,
                  "sids": r.sids / r.sids_total if r.sids_total else 0}
        counts = {"ldc": (r.ldc, r.ldc_total - r.ldc), "sids": (r.sids, r.sids_total - r.sids)}
        for key, row_label in ROWS.items():
            total = {"ldc": r.ldc_total, "sids": r.sids_total}.get(key)
            title = row_label if total is None else f"{row_label} ({total} in all)"
            for side, share in (("inside", inside[key]), ("outside", 1 - inside[key])):
                count = counts[key][side == "outside"] if key in counts else None
                rows.append((r.forum_id, forum, title, side, round(100 * share, 2), count))
    table = pd.DataFrame(rows, columns=["forum_id", "forum", "row", "side", "share_pct",
                                        "count"])
    table["count"] = table["count"].astype("Int64")
    table["text"] = [f"{c}" if pd.notna(c) else f"{s:.0f}%"
                     for c, s in zip(table["count"], table["share_pct"], strict=True)]
    return table


def _left_out_description(representation: pd.DataFrame, labels: Mapping[str, str],
                          start: str) -> str:
    row = representation.set_index("forum_id").loc[start]
    minis = representation[representation["kind"] == "minilateral"]
    without = minis[(minis["ldc"] == 0) & (minis["sids"] == 0)]
    return (
        "Stacked bar chart, for a forum chosen in a dropdown, of how much of the world lies "
        "inside and outside it: the share of world population living in its member states, "
        "and how many of the world's least developed countries (LDC) and small island "
        f"developing states (SIDS) are members. Shown first: {labels.get(start, start)}, whose "
        f"states hold {100 * row['population']:.0f}% of the world's people, so "
        f"{100 * (1 - row['population']):.0f}% live outside it; it has {int(row['ldc'])} of "
        f"{int(row['ldc_total'])} LDCs and {int(row['sids'])} of {int(row['sids_total'])} SIDS. "
        f"{len(without)} of the {len(minis)} minilaterals shown count no LDC and no SIDS among "
        "their members."
    )


def left_out_chart(representation: pd.DataFrame, labels: Mapping[str, str],
                   start: str = "quad") -> alt.LayerChart:
    """Inside vs outside a chosen forum: population share, LDCs and SIDS; a forum dropdown."""
    table = left_out_table(representation, labels)
    ordered = representation.assign(label=[labels.get(f, f) for f in
                                            representation["forum_id"]])
    ordered = ordered.sort_values(["kind", "label"], ascending=[False, True])
    if start not in set(ordered["forum_id"]):
        raise ValueError(f"start {start!r} is not a forum of the representation table")
    forum = alt.param(name="forum", value=start, bind=alt.binding_select(
        options=ordered["forum_id"].tolist(), labels=ordered["label"].tolist(),
        name="Forum "))
    base = alt.Chart(table).transform_filter("datum.forum_id == forum").encode(
        y=alt.Y("row:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("share_pct:Q", title="Share of the world's people, LDCs or SIDS (%)",
                stack="zero",
                scale=alt.Scale(domain=[0, 100])),
        order=alt.Order("side:N", sort="ascending"))
    bars = base.mark_bar(height=26).encode(
        color=alt.Color("side:N", title="Inside or outside the forum's member states",
                        scale=alt.Scale(domain=["inside", "outside"],
                                        range=[INSIDE_COLOUR, OUTSIDE_COLOUR]),
                        legend=alt.Legend(orient="top", titleLimit=400)),
        tooltip=[alt.Tooltip("forum:N", title="Forum"), alt.Tooltip("row:N", title="What"),
                 alt.Tooltip("side:N", title="Inside or outside"),
                 alt.Tooltip("share_pct:Q", title="Share (%)", format=".1f"),
                 alt.Tooltip("count:Q", title="States (count)")])
    labels_layer = base.transform_filter("datum.share_pct >= 6").mark_text(
        font=FONT, fontSize=12, fontWeight="bold", color="#ffffff", align="right",
        dx=-4).encode(x=alt.X("end:Q"), text="text:N").transform_stack(
        stack="share_pct", groupby=["row"], sort=[alt.SortField("side")], as_=["start", "end"])
    return alt.layer(bars, labels_layer).add_params(forum).properties(
        title=alt.Title("Who is left out?",
                        subtitle="Inside and outside a forum: the world's people, its least "
                                 "developed countries and its small island states"),
        description=_left_out_description(representation, labels, start),
        height=alt.Step(40), width=400)


# --- 3. the inclusive-minilateral designer ----------------------------------------------------

METRICS = {"co2": "World CO₂ emissions", "pop": "World population", "gdp": "World GDP"}
SHORT_LIST_LABELS = {"capable": "Capable", "responsible": "Responsible",
                     "vulnerable": "Vulnerable"}


def design_key(k_capable: int, k_responsible: int, k_vulnerable: int, k_max: int) -> int:
    """One integer per design, so that the page filters on one field (the data stay small)."""
    base = k_max + 1
    return (k_capable * base + k_responsible) * base + k_vulnerable


def designer_table(grid: pd.DataFrame) -> pd.DataFrame:
    """The grid in percentages, rounded, one row per (design, group), keyed by ``design``."""
    require_columns(grid, ("k_capable", "k_responsible", "k_vulnerable", "size", "overlap", "group",
                    "co2", "population", "gdp", "vulnerable"), "the design grid")
    k_max = int(grid[["k_capable", "k_responsible", "k_vulnerable"]].to_numpy().max())
    table = pd.DataFrame({
        "design": [design_key(a, b, c, k_max) for a, b, c in
                   zip(grid["k_capable"], grid["k_responsible"], grid["k_vulnerable"],
                       strict=True)],
        "group": grid["group"], "size": grid["size"], "overlap": grid["overlap"],
        "vulnerable": grid["vulnerable"],
        "co2": (100 * grid["co2"]).round(2), "pop": (100 * grid["population"]).round(2),
        "gdp": (100 * grid["gdp"]).round(2)})
    return table.reset_index(drop=True)


def candidates_table(candidates: pd.DataFrame) -> pd.DataFrame:
    """Long form of the candidates: one row per (country, list it is ranked on)."""
    require_columns(candidates, ("code", "name", *(f"rank_{name}" for name in LISTS)),
                    "the candidates table")
    long = candidates.melt(id_vars=["code", "name"],
                           value_vars=[f"rank_{name}" for name in LISTS],
                           var_name="list", value_name="rank").dropna(subset=["rank"])
    long["list"] = long["list"].str.removeprefix("rank_")
    long["list_label"] = long["list"].map(LIST_LABELS)
    long["list_short"] = long["list"].map(SHORT_LIST_LABELS)
    long["rank"] = long["rank"].astype(int)
    long["order"] = [candidates["code"].tolist().index(c) for c in long["code"]]
    return long.reset_index(drop=True)


def _designer_description(table: pd.DataFrame, start: tuple[int, int, int], k_max: int) -> str:
    at = table.set_index(["design", "group"])
    key = design_key(*start, k_max)
    inclusive, mass = at.loc[(key, "inclusive")], at.loc[(key, "critical mass")]
    full = at.loc[(design_key(k_max, k_max, k_max, k_max), "inclusive")]
    overlap = int(inclusive["overlap"])
    saved = f"{overlap} seat" if overlap == 1 else f"{overlap} seats"
    full_text = (f" With all three sliders at {k_max} the group has {int(full['size'])} members "
                 f"and holds {full['co2']:.0f}% of world CO₂ and {full['pop']:.0f}% of its "
                 "people.")
    return (
        "Two stacked panels driven by three sliders: how many of the most capable states (GDP), the "
        "most responsible (CO₂ emissions) and the most vulnerable (least developed countries and "
        "small island states with the lowest CO₂ per person) get a seat. The upper panel compares "
        "the inclusive group with a pure critical-mass group of the same size, the largest "
        "emitters, on their shares of world CO₂ emissions, population and GDP; the text above "
        "it gives the size and the vulnerable members of each. The lower panel lists every "
        "candidate country on each list it ranks on, with its rank; seated countries turn "
        f"green. Shown first: {start[0]} capable, {start[1]} responsible and {start[2]} "
        f"vulnerable give {int(inclusive['size'])} members ({saved} saved by overlaps), "
        f"holding {inclusive['co2']:.0f}% of world CO₂ and "
        f"{inclusive['pop']:.0f}% of its people with {int(inclusive['vulnerable'])} "
        f"vulnerable members; the {int(mass['size'])} largest emitters hold "
        f"{mass['co2']:.0f}% of CO₂ and {mass['pop']:.0f}% of its people with "
        f"{int(mass['vulnerable'])} vulnerable members.{full_text}"
    )


def designer_chart(grid: pd.DataFrame, candidates: pd.DataFrame,
                   start: tuple[int, int, int] = (3, 3, 3)) -> alt.VConcatChart:
    """Eckersley's rule on three sliders: the group's profile against a critical mass, and
    the candidate countries, seated or not."""
    table = designer_table(grid)
    people = candidates_table(candidates)
    k_max = int(grid["k_capable"].max())
    if any(not 0 <= k <= k_max for k in start):
        raise ValueError(f"start {start} is outside the grid's 0–{k_max}")
    sliders = {name: alt.param(name=f"k_{name}", value=k, bind=alt.binding_range(
        min=0, max=k_max, step=1, name=f"{LIST_LABELS[name].split(' (')[0]} (seats) "))
        for name, k in zip(LISTS, start, strict=True)}
    base = k_max + 1
    chosen = f"datum.design == (k_capable * {base} + k_responsible) * {base} + k_vulnerable"
    selected = alt.Chart(table).transform_filter(chosen)
    groups = list(GROUP_COLOURS)
    bars = selected.transform_fold(list(METRICS), as_=["metric", "pct"]).transform_calculate(
        metric_label=" + ".join(f"(datum.metric == '{k}' ? '{v}' : '')"
                                for k, v in METRICS.items())).mark_bar().encode(
        y=alt.Y("metric_label:N", title=None, sort=list(METRICS.values()),
                axis=alt.Axis(labelLimit=200)),
        yOffset=alt.YOffset("group:N", sort=groups),
        x=alt.X("pct:Q", title="Share of the world total held (%)",
                scale=alt.Scale(domain=[0, 100])),
        # no legend: the two lines of text above the bars name the groups in their colours
        color=alt.Color("group:N", sort=groups, legend=None,
                        scale=alt.Scale(domain=groups, range=list(GROUP_COLOURS.values()))),
        tooltip=[alt.Tooltip("group:N", title="Group"),
                 alt.Tooltip("metric_label:N", title="Share of"),
                 alt.Tooltip("pct:Q", title="Share (%)", format=".1f"),
                 alt.Tooltip("size:Q", title="Members (count)"),
                 alt.Tooltip("vulnerable:Q", title="LDC/SIDS members (count)")],
    ).properties(width=400, height=alt.Step(16))
    lines = selected.transform_calculate(
        line="(datum.group == 'inclusive' ? 'Inclusive: ' : 'Critical mass: ') + datum.size + "
             "' members, ' + datum.vulnerable + ' LDC/SIDS'"
             " + (datum.group == 'inclusive' && datum.overlap > 0 ? ' (' + datum.overlap + "
             "' on two lists)' : '')",
        row="datum.group == 'inclusive' ? 0 : 1").encode(y=alt.Y("row:O", axis=None))
    # a colour key in front of each line (the lines name the groups, so no legend)
    keys = lines.mark_square(size=110, opacity=1).encode(
        x=alt.value(6), color=alt.Color("group:N", legend=None, scale=alt.Scale(
            domain=groups, range=list(GROUP_COLOURS.values()))))
    texts = lines.mark_text(align="left", font=FONT, fontSize=12, color=TEXT_COLOUR).encode(
        x=alt.value(18), text="line:N")
    headline = alt.layer(keys, texts).properties(width=400, height=36)
    left = alt.vconcat(headline, bars, spacing=4)  # the text sits right above the bars
    seated = " || ".join(f"(datum.list == '{name}' && datum.rank <= k_{name})"
                         for name in LISTS)
    y = alt.Y("name:N", title=None, sort=alt.EncodingSortField("order"),
              axis=alt.Axis(labelLimit=150))
    x = alt.X("list_short:N", title="Ranked list (rank in the circle)",
              sort=[SHORT_LIST_LABELS[n] for n in LISTS],
              axis=alt.Axis(labelAngle=0, orient="top"))
    grid_people = alt.Chart(people).encode(x=x, y=y)
    dots = grid_people.mark_circle(size=260).encode(
        color=alt.condition(seated, alt.value(SEATED_COLOUR), alt.value(UNSEATED_COLOUR)),
        tooltip=[alt.Tooltip("name:N", title="Country"),
                 alt.Tooltip("list_label:N", title="List"),
                 alt.Tooltip("rank:Q", title="Rank on the list")])
    ranks = grid_people.mark_text(font=FONT, fontSize=10, color=TEXT_COLOUR).encode(
        text="rank:Q")
    right = alt.layer(dots, ranks).properties(width=300, height=alt.Step(14))
    return alt.vconcat(left, right, spacing=28).add_params(*sliders.values()).properties(
        title=alt.Title("Design an inclusive minilateral",
                        subtitle="Eckersley's rule: seats for the most capable, the most "
                                 "responsible and the most vulnerable. Move the sliders."),
        description=_designer_description(table, start, k_max))
