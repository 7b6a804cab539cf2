"""Chapter 1 figures: when forums were founded, how many were alive, and how they overlap.

Every builder takes tables (the dataset's ``forums`` table, or a model's output) and returns an
Altair chart with a title, a text description computed from the data, and axis titles with units.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from minilat.charts import KIND_COLOURS, kind_colour_scale
from minilat.figures.tables import require_columns

KINDS = tuple(KIND_COLOURS)  # ("multilateral", "minilateral")
# Stacks put multilaterals at the bottom ("multilateral" sorts after "minilateral").
MULTILATERAL_FIRST = alt.Order("kind:N", sort="descending")
# Narrower than the theme's default so that chart and legend fit the book's text column.
WIDTH = 460
FORUM_COLUMNS = ("forum_id", "name", "abbreviation", "kind", "founded_year", "ended_year")


def short_name(row: pd.Series) -> str:
    """A forum's abbreviation when it has one (G20, BRICS), otherwise its name."""
    abbreviation = row.get("abbreviation")
    return str(abbreviation) if pd.notna(abbreviation) and abbreviation else str(row["name"])


def _check_forums(forums: pd.DataFrame) -> pd.DataFrame:
    require_columns(forums, FORUM_COLUMNS, "forums table")
    unknown = sorted(set(forums["kind"].dropna()) - set(KINDS))
    if unknown:
        raise ValueError(f"forums table: column 'kind' has unknown value(s) {unknown}; "
                         f"expected {', '.join(KINDS)}")
    undated = forums.index[forums["founded_year"].isna()]
    if len(undated):
        row = undated[0]
        raise ValueError(f"forums table, row {row} ({forums.at[row, 'forum_id']}): "
                         "column 'founded_year' is empty")
    return forums


# ---------------------------------------------------------------- figure 1: foundings per decade

def foundings_by_decade(forums: pd.DataFrame) -> pd.DataFrame:
    """Forums founded per decade and kind, with the short names of those forums.

    Columns decade (first year, e.g. 1990), decade_end, label ("1990s"), kind, founded (count),
    names ("; "-joined short names in founding order). Decades with no founding of a kind are
    left out.
    """
    table = _check_forums(forums).copy()
    table["decade"] = (table["founded_year"].astype(int) // 10) * 10
    table["short"] = table.apply(short_name, axis=1)
    table = table.sort_values(["founded_year", "short"])
    grouped = table.groupby(["decade", "kind"], sort=True).agg(
        founded=("forum_id", "size"), names=("short", "; ".join)).reset_index()
    grouped["decade_end"] = grouped["decade"] + 10
    grouped["label"] = grouped["decade"].astype(str) + "s"
    grouped = grouped.astype({"decade": int, "decade_end": int, "founded": int})
    return grouped[["decade", "decade_end", "label", "kind", "founded", "names"]]


def _foundings_description(counts: pd.DataFrame) -> str:
    total = int(counts["founded"].sum())
    per_decade = counts.groupby("label")["founded"].sum()
    busiest = str(per_decade.idxmax())
    in_busiest = counts[counts["label"] == busiest].set_index("kind")["founded"]
    since_1990 = counts[counts["decade"] >= 1990]
    mini_since = int(since_1990.loc[since_1990["kind"] == "minilateral", "founded"].sum())
    parts = ", ".join(f"{int(in_busiest.get(k, 0))} {k}" for k in KINDS)
    return (
        f"Stacked bar chart of the {total} forums in the course dataset by the decade they were "
        f"founded, {counts['label'].iloc[0]} to {counts['label'].iloc[-1]}, coloured by kind. "
        f"The busiest decade is the {busiest} with {int(per_decade.max())} foundings ({parts}). "
        f"{int(since_1990['founded'].sum())} forums were founded from 1990 on, {mini_since} of "
        "them minilateral. Drag across the bars to select a period: the lower panel counts the "
        "forums of each kind founded in it. Click a kind in the legend to highlight it."
    )


def foundings_chart(forums: pd.DataFrame) -> alt.VConcatChart:
    """Forums founded per decade by kind: brush a period, click a kind, hover for names."""
    counts = foundings_by_decade(forums)
    period = alt.selection_interval(name="period", encodings=["x"])
    kind = alt.selection_point(name="kind_pick", fields=["kind"], bind="legend")
    colour = alt.Color("kind:N", title="Kind of forum", scale=kind_colour_scale())
    bars = alt.Chart(counts).mark_bar(stroke="#ffffff", strokeWidth=0.5).encode(
        x=alt.X("decade:Q", bin="binned", title="Decade founded (year)",
                axis=alt.Axis(format="d", tickMinStep=10)),
        x2="decade_end:Q",
        y=alt.Y("founded:Q", stack=True, title="Forums founded (count)"),
        color=colour,
        order=MULTILATERAL_FIRST,
        opacity=alt.condition(kind, alt.value(1.0), alt.value(0.25)),
        tooltip=[
            alt.Tooltip("label:N", title="Decade"),
            alt.Tooltip("kind:N", title="Kind"),
            alt.Tooltip("founded:Q", title="Forums founded"),
            alt.Tooltip("names:N", title="Forums"),
        ],
    ).add_params(period, kind).properties(width=WIDTH, height=260)
    summary = alt.Chart(counts).transform_filter(period).transform_aggregate(
        founded="sum(founded)", groupby=["kind"]
    ).mark_bar().encode(
        y=alt.Y("kind:N", title=None, sort=list(KINDS)),
        x=alt.X("founded:Q", title="Forums founded in the selected period (count)"),
        color=colour,
        opacity=alt.condition(kind, alt.value(1.0), alt.value(0.25)),
        tooltip=[alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("founded:Q", title="Founded in the period")],
    ).properties(width=WIDTH, height=70)
    labels = summary.mark_text(align="left", dx=4, color="#1a1a1a").encode(
        text="founded:Q", opacity=alt.value(1.0))
    return alt.vconcat(bars, alt.layer(summary, labels)).properties(
        title=alt.Title(
            "Forums founded per decade",
            subtitle="Drag across the bars to pick a period; click a kind in the legend.",
        ),
        description=_foundings_description(counts),
    )


# ---------------------------------------------------------------- figure 2: forums alive in a year

def alive_counts(forums: pd.DataFrame, years: range) -> pd.DataFrame:
    """Forums alive per year and kind (founded ≤ year ≤ ended, as ``alive_in``).

    Columns year, kind, alive; a row for every year × kind, zeros included.
    """
    table = _check_forums(forums)
    if len(years) == 0:
        raise ValueError("years is empty: give at least one year")
    grid = np.array(list(years), dtype=int)[None, :]
    founded = table["founded_year"].to_numpy(dtype=float)[:, None]
    ended = table["ended_year"].to_numpy(dtype=float, na_value=np.inf)[:, None]
    alive = (founded <= grid) & (grid <= ended)  # forum × year
    kinds = table["kind"].to_numpy()
    rows = [(int(year), k, int(alive[kinds == k, column].sum()))
            for column, year in enumerate(grid[0]) for k in KINDS]
    return pd.DataFrame(rows, columns=["year", "kind", "alive"])


def _lifespans(forums: pd.DataFrame) -> pd.DataFrame:
    table = forums.copy()
    table["short"] = table.apply(short_name, axis=1)
    table["ended"] = table["ended_year"].astype("Float64")
    table = table.assign(founded=table["founded_year"].astype(int))
    return pd.DataFrame({
        "short": table["short"], "name": table["name"], "kind": table["kind"],
        "founded": table["founded"],
        # The browser filter needs a number: a forum still alive gets an end after any year.
        "ended": table["ended"].fillna(9999).astype(int),
        "ended_text": table["ended_year"].map(lambda y: "" if pd.isna(y) else str(int(y))),
    })


def alive_chart(forums: pd.DataFrame, last_year: int, first_year: int | None = None,
                start: int = 1990) -> alt.VConcatChart:
    """Forums alive over time with a year slider that marks a year and lists its forums.

    The years run from ``first_year`` (default: the earliest founding) to ``last_year``.
    """
    if first_year is None:
        first_year = int(_check_forums(forums)["founded_year"].min())
    if not first_year <= start <= last_year:
        raise ValueError(f"start year {start} is outside {first_year}–{last_year}")
    counts = alive_counts(forums, range(first_year, last_year + 1))
    spans = _lifespans(_check_forums(forums))
    year = alt.param(name="year", value=start, bind=alt.binding_range(
        min=first_year, max=last_year, step=1, name="Year "))
    colour = alt.Color("kind:N", title="Kind of forum", scale=kind_colour_scale())
    lines = alt.Chart(counts).mark_line(strokeWidth=2.5).encode(
        x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d"),
                scale=alt.Scale(domain=[first_year, last_year], nice=False)),
        y=alt.Y("alive:Q", title="Forums alive (count)"),
        color=colour,
        tooltip=[alt.Tooltip("year:Q", title="Year", format="d"),
                 alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("alive:Q", title="Forums alive")],
    )
    rule = alt.Chart(counts).transform_filter("datum.year == year").mark_rule(
        color="#000000", strokeWidth=2).encode(x=alt.X("year:Q", title="Year"))
    label = alt.Chart(counts).transform_filter("datum.year == year").transform_aggregate(
        total="sum(alive)", groupby=["year"]
    ).transform_calculate(
        text="datum.total + (datum.total == 1 ? ' forum' : ' forums') + ' alive in ' + datum.year"
    ).mark_text(  # fixed top-left place: a label beside the rule would spill past the plot
        align="left", baseline="top", fontSize=13, fontWeight="bold", color="#000000"
    ).encode(x=alt.value(8), y=alt.value(6), text="text:N")
    over_time = alt.layer(lines, rule, label).properties(width=WIDTH, height=240)
    alive_now = "datum.founded <= year && datum.ended >= year"
    strip = alt.Chart(spans).transform_filter(alive_now).mark_tick(
        thickness=2, size=22, opacity=0.85
    ).encode(
        x=alt.X("founded:Q", title="Year founded (forums alive in the chosen year)",
                axis=alt.Axis(format="d"),
                scale=alt.Scale(domain=[int(spans["founded"].min()), last_year], nice=False)),
        y=alt.Y("kind:N", title=None, sort=list(KINDS)),
        color=colour,
        tooltip=[alt.Tooltip("name:N", title="Forum"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("founded:Q", title="Founded", format="d"),
                 alt.Tooltip("ended_text:N", title="Ended")],
    ).properties(width=WIDTH, height=90)
    def alive_in_words(year: int) -> str:
        row = counts[counts["year"] == year].set_index("kind")["alive"]
        parts = " and ".join(f"{int(row[k])} {k}" for k in KINDS)
        return f"{int(row.sum())} in {year} ({parts})"

    marks = [y for y in (1950, last_year) if first_year <= y <= last_year]
    description = (
        f"Line chart of how many forums of the course dataset were alive in each year from "
        f"{first_year} to {last_year}, one line per kind. Forums alive: "
        + "; ".join(alive_in_words(y) for y in marks)
        + ". A year slider marks a year and prints the total; below it, one tick per forum alive "
        "in that year, placed at its founding year (hover for its name)."
    )
    return alt.vconcat(over_time, strip).add_params(year).properties(
        title=alt.Title("Forums alive in a chosen year",
                        subtitle="Move the slider: the count and the forums below follow it."),
        description=description,
    )


# ---------------------------------------------------------------- model: platform diversity

def step_points(counts: pd.DataFrame) -> pd.DataFrame:
    """Only the rows a stepped chart needs: each member's first and last year and the years in
    which any of its counts changes (every kind kept there, so the stack stays aligned)."""
    require_columns(counts, ("member", "year", "forums"), "counts table")
    keys = [c for c in ("member", "kind") if c in counts.columns]
    table = counts.sort_values([*keys, "year"], ignore_index=True)
    changed = table.groupby(keys)["forums"].diff().fillna(1).ne(0)
    ends = table["year"].eq(table.groupby("member")["year"].transform("max"))
    keep = table.loc[changed | ends, ["member", "year"]].drop_duplicates()
    return table.merge(keep, on=["member", "year"]).sort_values(
        ["member", "year", *keys[1:]], ignore_index=True)


def membership_chart(counts: pd.DataFrame, names: dict[str, str], start: str) -> alt.Chart:
    """Forums a chosen state belongs to over time, stacked by kind, with a state dropdown.

    ``counts`` is ``forum_counts(..., kinds=...)`` output (member, year, kind, forums);
    ``names`` maps member codes to display names; ``start`` is the state shown first.
    """
    require_columns(counts, ("member", "year", "kind", "forums"), "counts table")
    missing = sorted(set(counts["member"]) - set(names))
    if missing:
        raise ValueError(f"names has no display name for {', '.join(missing)}")
    if start not in set(counts["member"]):
        raise ValueError(f"start state {start!r} is not in the counts table")
    table = step_points(counts).assign(state=lambda t: t["member"].map(names))
    table = table[["state", "year", "kind", "forums"]]
    options = sorted(table["state"].unique())
    state = alt.param(name="state", value=names[start], bind=alt.binding_select(
        options=options, name="State "))
    area = alt.Chart(table).transform_filter("datum.state == state").mark_area(
        interpolate="step-after", opacity=0.9
    ).encode(
        x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d")),
        y=alt.Y("forums:Q", stack=True, title="Forums the state belongs to (count)",
                axis=alt.Axis(format="d", tickMinStep=1)),
        color=alt.Color("kind:N", title="Kind of forum", scale=kind_colour_scale()),
        order=MULTILATERAL_FIRST,
        tooltip=[alt.Tooltip("state:N", title="State"),
                 alt.Tooltip("year:Q", title="Year", format="d"),
                 alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("forums:Q", title="Forums")],
    ).add_params(state)
    last = int(table["year"].max())
    first = int(table["year"].min())
    totals = table[table["year"] == last].groupby("state")["forums"].sum()
    most = sorted(totals.index[totals == totals.max()])
    fewest = int((totals == totals.min()).sum())
    description = (
        f"Stepped area chart of how many of the recorded forums a chosen state belonged to in "
        f"each year from {first} to {last}, stacked by kind; a dropdown picks one of "
        f"{len(options)} states. In {last}, {' and '.join(most)} sat in the most "
        f"({int(totals.max())})"
        + (f"; {fewest} of the states listed sat in the fewest ({int(totals.min())})."
           if totals.max() > totals.min() else ".")
    )
    return area.properties(
        width=WIDTH,
        title=alt.Title("How many forums does a state sit in?",
                        subtitle="Pick a state. Only forums whose membership is fully recorded "
                                 "count."),
        description=description,
    )


def overlap_chart(overlap: pd.DataFrame) -> alt.Chart:
    """Pairs of forums over time: all possible pairs and those sharing at least one member.

    ``overlap`` is ``overlap_by_year`` output (year, forums, pairs, overlapping, share).
    """
    require_columns(overlap, ("year", "forums", "pairs", "overlapping", "share"), "overlap table")
    long = overlap.melt(id_vars=["year", "forums", "share"], value_vars=["pairs", "overlapping"],
                        var_name="series", value_name="count")
    long["series"] = long["series"].map({"pairs": "all pairs of forums",
                                         "overlapping": "pairs sharing a member"})
    hover = alt.selection_point(name="hover_year", fields=["year"], on="pointerover",
                                nearest=True, empty=False)
    base = alt.Chart(long).encode(
        x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d")),
        y=alt.Y("count:Q", title="Pairs of forums (count)"),
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(range=["#999999", "#009E73"])),
    )
    lines = base.mark_line(strokeWidth=2.5, interpolate="step-after")
    points = base.mark_point(filled=True, size=60).encode(
        opacity=alt.condition(hover, alt.value(1), alt.value(0)),
        tooltip=[alt.Tooltip("year:Q", title="Year", format="d"),
                 alt.Tooltip("series:N", title="Series"),
                 alt.Tooltip("count:Q", title="Pairs"),
                 alt.Tooltip("forums:Q", title="Forums with members"),
                 alt.Tooltip("share:Q", title="Share overlapping", format=".0%")],
    ).add_params(hover)
    final = overlap.iloc[-1]
    share = "" if pd.isna(final["share"]) else f" ({final['share']:.0%})"
    description = (
        f"Line chart of pairs of recorded forums from {int(overlap['year'].iloc[0])} to "
        f"{int(final['year'])}: every possible pair, and the pairs that share at least one "
        f"member. In {int(final['year'])}, {int(final['forums'])} forums make "
        f"{int(final['pairs'])} pairs, of which {int(final['overlapping'])}{share} "
        "share a member. Hover for a year's numbers."
    )
    return alt.layer(lines, points).properties(
        width=WIDTH,
        title=alt.Title("Forums that share members",
                        subtitle="Every pair of recorded forums, and the pairs with a member "
                                 "in common."),
        description=description,
    )
