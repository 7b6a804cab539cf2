"""Chapter 4 figures: the critical-mass calculator, group size and collective goods, and the
lowest common denominator.

Each ``*_table`` function turns model output into the small tidy frame a chart reads; each
``*_chart`` function returns an Altair chart with a title, axis titles with units, bound inputs
and a text description computed from the data. The models run in Python at build time over a
parameter grid; the charts only filter that grid by the bound parameter in the browser.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from minilat.charts import FONT, HEIGHT, OKABE_ITO, WIDTH, kind_colour_scale
from minilat.figures.tables import require_columns

INDICATOR_LABELS: dict[str, str] = {"co2": "CO₂ emissions", "gdp": "GDP",
                                    "population": "population"}
FORUM_LABELS: dict[str, str] = {"library_group": "Library Group", "g7": "G7", "quad": "Quad",
                                "brics": "BRICS", "mef": "MEF", "g20": "G20"}
LISTED = 6  # members named in the calculator's label before "+ k more" (keeps it short)
FRONTIER_RANKS = 100  # countries drawn on the frontier (the 95 % targets need fewer than 90)
COALITION_COLOUR = OKABE_ITO[2]
FRONTIER_COLOUR = OKABE_ITO[0]
MUTED = "#8c8c8c"


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


# --- 1. the critical-mass calculator -------------------------------------------------------

def member_list(codes: list[str], listed: int = LISTED) -> str:
    """"CHN, USA, IND" — or the first ``listed`` codes and "+ k more"."""
    if len(codes) <= listed:
        return ", ".join(codes)
    return f"{', '.join(codes[:listed])} + {len(codes) - listed} more"


def calculator_table(grid: pd.DataFrame) -> pd.DataFrame:
    """The grid with percentages and the two lines of text the chart prints for a target."""
    require_columns(grid, {"indicator", "target", "reachable", "size", "share", "members"},
                    "the critical-mass grid")
    table = grid.copy()
    table["target_pct"] = (100 * table["target"].astype(float)).round().astype(int)
    lines, names = [], []
    for row in table.itertuples(index=False):
        label = INDICATOR_LABELS.get(row.indicator, row.indicator)
        if not row.reachable:
            lines.append(f"No coalition reaches {row.target_pct}% of world {label}")
            names.append("(countries without data are left out)")
            continue
        count = int(row.size)
        noun = "country holds" if count == 1 else "countries hold"
        lines.append(f"{count} {noun} {100 * float(row.share):.1f}% of world {label}")
        names.append(member_list(row.members.split(";")) if row.members else "nobody needed")
    table["headline"] = lines
    table["names"] = names
    table["share_pct"] = 100 * table["share"].astype("Float64")
    return table[["indicator", "target_pct", "reachable", "size", "share_pct", "headline",
                  "names"]].astype({"size": "float", "share_pct": "float"})


def frontier_table(ranking: pd.DataFrame, ranks: int = FRONTIER_RANKS) -> pd.DataFrame:
    """The ranking in percentages, with each country's cumulative share before it joins.

    A country is in the smallest coalition for target t exactly when the countries ranked above
    it hold less than t (the greedy rule), so the chart can colour the coalition in the browser.
    """
    require_columns(ranking, {"indicator", "rank", "code", "name", "share", "cumulative"},
                    "the ranking")
    table = ranking[ranking["rank"] <= ranks].copy()
    table["share_pct"] = 100 * table["share"]
    table["cumulative_pct"] = 100 * table["cumulative"]
    table["before_pct"] = table["cumulative_pct"] - table["share_pct"]
    return table[["indicator", "rank", "code", "name", "share_pct", "cumulative_pct",
                  "before_pct"]]


def forum_points_table(forum_coverage: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """One point per (forum, indicator): its state members against the share they hold."""
    require_columns(forum_coverage, {"forum_id", "indicator", "members", "state_members", "coverage",
                              "smallest"}, "the forum coverage table")
    table = forum_coverage.copy()
    table["forum"] = [FORUM_LABELS.get(f, f) for f in table["forum_id"]]
    table["forum_name"] = [names.get(f, f) for f in table["forum_id"]]
    table["coverage_pct"] = 100 * table["coverage"]
    table["kind"] = "minilateral"
    return table[["forum", "forum_name", "indicator", "members", "state_members",
                  "coverage_pct", "smallest", "kind"]]


def _calculator_description(calculator: pd.DataFrame, points: pd.DataFrame) -> str:
    half = calculator[(calculator["target_pct"] == 50) & calculator["reachable"]]
    reach = "; ".join(
        f"{int(row.size)} for {INDICATOR_LABELS.get(row.indicator, row.indicator)}"
        for row in half.itertuples(index=False))
    co2 = points[points["indicator"] == "co2"].sort_values("state_members")
    forums = "; ".join(
        f"{row.forum}: {int(row.state_members)} states hold {row.coverage_pct:.0f}%, "
        f"which the calculator reaches with {int(row.smallest)}"
        for row in co2.itertuples(index=False))
    return (
        "Line chart of the cumulative share of the world total held by the largest countries, "
        "added largest first, for a chosen indicator (CO₂ emissions, GDP or population); the "
        "line is the frontier: no group of the same size holds more. A slider sets the target "
        "share: a horizontal rule marks it, the countries of the smallest coalition that "
        "reaches it turn green and the text names them. Countries needed to reach half the "
        f"world: {reach}. Real forums are points at their number of state members and "
        f"the share they hold; for CO₂, {forums}."
    )


def critical_mass_chart(grid: pd.DataFrame, ranking: pd.DataFrame,
                        forum_coverage: pd.DataFrame,
                        forum_names: dict[str, str] | None = None,
                        start: tuple[str, int] = ("co2", 50)) -> alt.LayerChart:
    """The calculator: frontier, target rule, coalition, real forums; dropdown and slider."""
    calculator = calculator_table(grid)
    frontier = frontier_table(ranking)
    points = forum_points_table(forum_coverage, forum_names or {})
    indicators = [i for i in INDICATOR_LABELS if i in set(calculator["indicator"])]
    targets = sorted(calculator["target_pct"].unique())
    if start[0] not in indicators or start[1] not in targets:
        raise ValueError(f"start {start} is not in the grid ({indicators}, {targets})")
    step = int(targets[1] - targets[0]) if len(targets) > 1 else 1
    indicator = alt.param(name="indicator", value=start[0], bind=alt.binding_select(
        options=indicators, labels=[INDICATOR_LABELS[i] for i in indicators],
        name="Indicator "))
    target = alt.param(name="target", value=start[1], bind=alt.binding_range(
        min=int(targets[0]), max=int(targets[-1]), step=step, name="Target share of world (%) "))
    x = alt.X("rank:Q", title="Countries in the group (count)",
              scale=alt.Scale(domain=[0, FRONTIER_RANKS], nice=False))
    y = alt.Y("cumulative_pct:Q", title="Share of the world total (%)",
              scale=alt.Scale(domain=[0, 100]))
    on_indicator = "datum.indicator == indicator"
    line = alt.Chart(frontier).transform_filter(on_indicator).mark_line(
        interpolate="step-before", color=FRONTIER_COLOUR, strokeWidth=2).encode(x=x, y=y)
    in_coalition = "datum.before_pct < target - 1e-9"
    dots = alt.Chart(frontier).transform_filter(on_indicator).mark_circle(size=36).encode(
        x=x, y=y,
        color=alt.condition(in_coalition, alt.value(COALITION_COLOUR), alt.value(MUTED)),
        tooltip=[alt.Tooltip("rank:Q", title="Rank"), alt.Tooltip("name:N", title="Country"),
                 alt.Tooltip("share_pct:Q", title="Its share (%)", format=".2f"),
                 alt.Tooltip("cumulative_pct:Q", title="Running total (%)", format=".1f")])
    chosen = alt.Chart(calculator).transform_filter(
        f"{on_indicator} && datum.target_pct == target")
    rule = chosen.mark_rule(color="#000000", strokeDash=[4, 3]).encode(
        y=alt.Y("target_pct:Q"))
    headline = chosen.mark_text(align="right", fontSize=12, fontWeight="bold", font=FONT,
                                color="#1a1a1a").encode(
        x=alt.value(WIDTH - 8), y=alt.value(HEIGHT - 52), text="headline:N")
    listed = chosen.mark_text(align="right", fontSize=12, font=FONT, color="#1a1a1a").encode(
        x=alt.value(WIDTH - 8), y=alt.value(HEIGHT - 34), text="names:N")
    forum_base = alt.Chart(points).transform_filter(on_indicator).encode(
        x=alt.X("state_members:Q"), y=alt.Y("coverage_pct:Q"))
    forum_marks = forum_base.mark_point(size=110, filled=True, shape="diamond").encode(
        # every forum here is a minilateral: the labels name them, so no legend
        color=alt.Color("kind:N", scale=kind_colour_scale(), legend=None),
        tooltip=[alt.Tooltip("forum_name:N", title="Forum"),
                 alt.Tooltip("members:Q", title="Members (count)"),
                 alt.Tooltip("state_members:Q", title="State members (count)"),
                 alt.Tooltip("coverage_pct:Q", title="Share they hold (%)", format=".1f"),
                 alt.Tooltip("smallest:Q", title="Fewest countries for that share")])
    forum_labels = forum_base.mark_text(align="left", dx=7, dy=-7, fontSize=12, font=FONT,
                                        color="#1a1a1a").encode(text="forum:N")
    return alt.layer(line, dots, rule, forum_marks, forum_labels, headline, listed).add_params(
        indicator, target).properties(
        title=alt.Title("The critical-mass calculator",
                        subtitle="The fewest countries that hold a target share of the world. "
                                 "Pick an indicator; move the target."),
        description=_calculator_description(calculator, points))


def coverage_chart(forum_coverage: pd.DataFrame, names: dict[str, str]) -> alt.Chart:
    """How much of the world real minilaterals hold: one bar per (forum, indicator).

    Forums are sorted by their number of state members; clicking an indicator in the legend
    highlights it.
    """
    points = forum_points_table(forum_coverage, names)
    points["indicator_label"] = points["indicator"].map(INDICATOR_LABELS)
    order = points.sort_values(["state_members", "forum"])["forum"].drop_duplicates().tolist()
    points["forum_label"] = [f"{f} ({n})" for f, n in zip(points["forum"],
                                                          points["state_members"], strict=True)]
    label_order = [points.loc[points["forum"] == f, "forum_label"].iloc[0] for f in order]
    labels = [INDICATOR_LABELS[i] for i in INDICATOR_LABELS if i in set(points["indicator"])]
    pick = alt.selection_point(fields=["indicator_label"], bind="legend")
    bars = alt.Chart(points).mark_bar().encode(
        y=alt.Y("forum_label:N", sort=label_order,
                title="Forum (state members, count)"),
        yOffset=alt.YOffset("indicator_label:N", sort=labels),
        x=alt.X("coverage_pct:Q", title="Share of the world total held by its states (%)",
                scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("indicator_label:N", title="Indicator (click to highlight)", sort=labels,
                        scale=alt.Scale(domain=labels, range=[OKABE_ITO[5], OKABE_ITO[0],
                                                              OKABE_ITO[2]]),
                        legend=alt.Legend(orient="top", titleLimit=400)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.25)),
        tooltip=[alt.Tooltip("forum_name:N", title="Forum"),
                 alt.Tooltip("indicator_label:N", title="Indicator"),
                 alt.Tooltip("state_members:Q", title="State members (count)"),
                 alt.Tooltip("coverage_pct:Q", title="Share held (%)", format=".1f"),
                 alt.Tooltip("smallest:Q", title="Fewest countries for that share")],
    ).add_params(pick)
    widest = points.loc[points["coverage_pct"].idxmax()]
    smallest_big = points[points["coverage_pct"] >= 50].sort_values("state_members")
    small_text = ""
    if len(smallest_big):
        row = smallest_big.iloc[0]
        small_text = (f" The smallest forum holding at least half of the world on some "
                      f"indicator is {row.forum} ({int(row.state_members)} states, "
                      f"{row.coverage_pct:.0f}% of world {INDICATOR_LABELS[row.indicator]}).")
    description = (
        f"Grouped bar chart of the share of world CO₂ emissions, GDP and population held by the "
        f"state members of {len(order)} minilateral forums ({', '.join(order)}), sorted by "
        f"their number of state members. The largest share is {widest.forum}'s "
        f"{widest.coverage_pct:.0f}% of world {INDICATOR_LABELS[widest.indicator]}."
        f"{small_text} Clicking an indicator in the legend highlights it; tooltips give the "
        "exact shares."
    )
    return bars.properties(
        title=alt.Title("How much of the world sits at the table?",
                        subtitle="Share of the world total held by each forum's state members"),
        description=description, height=alt.Step(12))


# --- 2. group size and collective goods -----------------------------------------------------

SERIES = {"provided": "Provided (the largest member pays)",
          "optimal": "Best for the group as a whole"}


def provision_table(grid: pd.DataFrame) -> pd.DataFrame:
    """Long form of the provision grid: one row per (crowding, n, series)."""
    require_columns(grid, {"n", "crowding", "provided", "optimal"}, "the provision grid")
    long = grid.melt(id_vars=["n", "crowding"], value_vars=list(SERIES), var_name="series",
                     value_name="quantity")
    long["series"] = long["series"].map(SERIES)
    long["crowding"] = long["crowding"].round(2)
    return long


def provision_chart(grid: pd.DataFrame, start: float = 0.0) -> alt.LayerChart:
    """Provision against group size, with a slider for the crowding of the good."""
    table = provision_table(grid)
    crowdings = sorted(table["crowding"].unique())
    if start not in crowdings:
        raise ValueError(f"start crowding {start} is not in the grid {crowdings}")
    step = round(crowdings[1] - crowdings[0], 2) if len(crowdings) > 1 else 0.1
    crowding = alt.param(name="crowding", value=start, bind=alt.binding_range(
        min=crowdings[0], max=crowdings[-1], step=step,
        name="Crowding c (0 = pure public good, 1 = fully rival) "))
    largest_n = int(grid["n"].max())
    lines = alt.Chart(table).transform_filter(
        "abs(datum.crowding - crowding) < 1e-9").mark_line(point=True, strokeWidth=2).encode(
        x=alt.X("n:Q", title="Members in the group (count)",
                scale=alt.Scale(domain=[1, largest_n], nice=False)),
        y=alt.Y("quantity:Q", title="Amount of the good (units)",
                scale=alt.Scale(domain=[0, float(table["quantity"].max())])),
        color=alt.Color("series:N", title=None, sort=list(SERIES.values()),
                        scale=alt.Scale(domain=list(SERIES.values()),
                                        range=[OKABE_ITO[5], OKABE_ITO[0]]),
                        legend=alt.Legend(orient="top", labelLimit=400)),
        tooltip=[alt.Tooltip("n:Q", title="Members"), alt.Tooltip("series:N", title="Series"),
                 alt.Tooltip("quantity:Q", title="Amount (units)", format=".2f"),
                 alt.Tooltip("crowding:Q", title="Crowding c")])
    by = grid.set_index(["crowding", "n"])
    pure = by.loc[(0.0, largest_n)]
    rival_stops = grid[(grid["crowding"] == 1.0) & (grid["provided"] == 0)]["n"]
    stop = f"from {int(rival_stops.min())} members on" if len(rival_stops) else "never"
    single = by.loc[(0.0, 1), "provided"]
    description = (
        "Line chart of how much of a collective good a group provides, against the number of "
        f"members (1 to {largest_n}), with a slider for crowding c. One orange line is what the "
        "group provides when each member decides for itself (the member with the largest "
        "stake pays; the others ride free), one blue line the amount that would be best for "
        f"the group as a whole. A lone member provides {single:.0f} units. With a pure public "
        f"good (c = 0) provision stays at {pure['provided']:.0f} units for any size while the "
        f"group's best amount rises to {pure['optimal']:.0f} at {largest_n} members. With a "
        f"fully rival good (c = 1) provision falls and stops {stop}."
    )
    return lines.add_params(crowding).properties(
        title=alt.Title("Group size and collective goods",
                        subtitle="Olson: crowding makes large groups provide less. "
                                 "Chamberlin: not for a non-rival good. Move the slider."),
        description=description)


# --- 3. the lowest common denominator ------------------------------------------------------

RULE_COLOURS = {"consensus": OKABE_ITO[5], "two-thirds majority": OKABE_ITO[3],
                "simple majority": OKABE_ITO[0]}


def lcd_chart(grid: pd.DataFrame, reference_sizes: dict[str, int],
              start: str = "evenly spread") -> alt.LayerChart:
    """Expected ambition of the outcome against membership, by decision rule; a dropdown for
    how members' preferences are spread, and rules at the sizes of real forums."""
    require_columns(grid, {"preferences", "rule", "n", "supporters", "ambition"},
                    "the outcome grid")
    presets = list(dict.fromkeys(grid["preferences"]))
    if start not in presets:
        raise ValueError(f"start {start!r} is not one of the grid's preferences {presets}")
    prefs = alt.param(name="preferences", value=start, bind=alt.binding_select(
        options=presets, name="Members' preferred ambition is "))
    largest_n = int(grid["n"].max())
    x = alt.X("n:Q", title="Members (count, log scale)",
              scale=alt.Scale(type="log", domain=[1, largest_n], nice=False))
    rule_pick = alt.selection_point(fields=["rule"], bind="legend")
    lines = alt.Chart(grid).transform_filter("datum.preferences == preferences").mark_line(
        strokeWidth=2.5).encode(
        x=x,
        y=alt.Y("ambition:Q", title="Expected ambition of the outcome (0–1)",
                scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("rule:N", title="Decision rule (click one to highlight it)",
                        scale=alt.Scale(domain=list(RULE_COLOURS),
                                        range=list(RULE_COLOURS.values())),
                        legend=alt.Legend(orient="top", titleLimit=400, labelLimit=300)),
        opacity=alt.condition(rule_pick, alt.value(1.0), alt.value(0.15)),
        tooltip=[alt.Tooltip("rule:N", title="Rule"), alt.Tooltip("n:Q", title="Members"),
                 alt.Tooltip("supporters:Q", title="Supporters needed"),
                 alt.Tooltip("ambition:Q", title="Expected ambition", format=".3f")],
    ).add_params(rule_pick)
    refs = pd.DataFrame({"forum": list(reference_sizes),
                         "n": [int(v) for v in reference_sizes.values()]})
    ref_rules = alt.Chart(refs).mark_rule(color=MUTED, strokeDash=[2, 3]).encode(x="n:Q")
    ref_text = alt.Chart(refs).mark_text(align="left", dx=3, y=8, fontSize=11, font=FONT,
                                         color="#333333").encode(
        x="n:Q", text=alt.Text("label:N")).transform_calculate(
        label="datum.forum + ' (' + datum.n + ')'")
    evenly = grid[grid["preferences"] == presets[0]].set_index(["rule", "n"])["ambition"]
    sizes = sorted(reference_sizes.items(), key=lambda item: item[1])
    at_sizes = "; ".join(
        f"{name} ({n}): {evenly.get(('consensus', n), float('nan')):.2f} by consensus, "
        f"{evenly.get(('simple majority', n), float('nan')):.2f} by majority"
        for name, n in sizes if ("consensus", n) in evenly.index)
    description = (
        "Line chart of the expected ambition (0 to 1) of the most ambitious proposal that "
        f"passes, against the number of members (1 to {largest_n}, log scale), for three "
        "decision rules: consensus, two-thirds majority and simple majority. A dropdown sets "
        "how members' preferred ambition is spread; clicking a rule in the legend highlights "
        f"it. Dotted rules mark real forums. With {presets[0]} preferences: {at_sizes}. "
        "Under consensus ambition falls towards zero as members are added; under majority "
        "rule it does not."
    )
    return alt.layer(ref_rules, ref_text, lines).add_params(prefs).properties(
        title=alt.Title("The lowest common denominator",
                        subtitle="Consensus is set by the least ambitious member, majority "
                                 "rule by the median. Pick a spread of preferences."),
        description=description)
