"""Chapter 2 figures: how the UN grew, a map of its members by admission year, forum sizes,
and the two charts of the voting model.

Each ``*_table`` function turns dataset tables into a small tidy frame; each ``*_chart`` function
turns such a frame into an Altair chart with a title, axis titles with units and a text
description computed from the data.
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from minilat.charts import KIND_COLOURS, OKABE_ITO, SEQUENTIAL_SCHEME, kind_colour_scale
from minilat.dataset.schema import resolve_data_dir
from minilat.models.voting import BAND_LABELS

UN = "un"
GEOMETRY_FILE = Path("geo") / "countries-110m.json"
NOT_MEMBER_FILL = "#d9d9d9"
MINILATERAL_RULE_OF_THUMB = 30  # the codebook: "in practice ≤ 30 state members"


# --- data preparation -----------------------------------------------------------------------

def _member_spells(spells: pd.DataFrame, forum_id: str) -> pd.DataFrame:
    needed = {"forum_id", "member", "role", "joined", "left"}
    missing = sorted(needed - set(spells.columns))
    if missing:
        raise KeyError(f"the memberships table lacks column(s) {', '.join(missing)}")
    chosen = spells[(spells["forum_id"] == forum_id) & (spells["role"] == "member")]
    if chosen.empty:
        raise ValueError(f"the memberships table has no member spells of forum {forum_id!r}")
    return chosen


def membership_by_year(spells: pd.DataFrame, first_year: int, last_year: int,
                       forum_id: str = UN) -> pd.DataFrame:
    """Members, admissions and departures of a forum in every year from first to last.

    A member counts in year y when joined ≤ y and (left is empty or y < left), the dataset's
    rule, so ``members`` equals ``member_count(forum_id, y)``.
    """
    if last_year < first_year:
        raise ValueError(f"last_year {last_year} is before first_year {first_year}")
    chosen = _member_spells(spells, forum_id)
    joined = chosen["joined"].astype(int)
    left = chosen["left"].astype("Float64")
    rows = []
    for year in range(first_year, last_year + 1):
        counts = ((joined <= year) & (left.isna() | (left > year))).fillna(False)
        members = chosen.loc[counts.to_numpy(dtype=bool), "member"].nunique()
        rows.append({"year": year, "members": int(members),
                     "admitted": int((joined == year).sum()),
                     "departed": int((left == year).fillna(False).sum())})
    return pd.DataFrame(rows)


def admission_peaks(by_year: pd.DataFrame, count: int = 3) -> pd.DataFrame:
    """The ``count`` busiest years of admissions after the founding year.

    A peak is a year with at least as many admissions as each neighbouring year (so 1991 does
    not count beside a busier 1992); ties go to the earlier year. The founding year, when every
    original member joins at once, is left out.
    """
    table = by_year.sort_values("year").reset_index(drop=True)
    table = table[table["year"] > table["year"].min()].reset_index(drop=True)
    admitted = table["admitted"]
    is_peak = (admitted > 0) & (admitted >= admitted.shift(1, fill_value=0)) & (
        admitted >= admitted.shift(-1, fill_value=0))
    peaks = table[is_peak].sort_values(["admitted", "year"], ascending=[False, True])
    return peaks.head(count).sort_values("year").reset_index(drop=True)[["year", "admitted"]]


def wave_events(events: pd.DataFrame, forum_id: str = UN) -> pd.DataFrame:
    """The forum's enlargement events, one per year (the first recorded), with their titles."""
    chosen = events[(events["forum_id"] == forum_id) & (events["kind"] == "enlargement")]
    chosen = chosen.sort_values(["year", "event_id"]).drop_duplicates("year")
    return pd.DataFrame({"year": chosen["year"].astype(int).to_numpy(),
                         "title": chosen["title"].astype(str).to_numpy()})


def iso_numeric_to_alpha3() -> dict[str, str]:
    """ISO 3166-1 numeric code ("004") → alpha-3 ("AFG"), from country_converter's table."""
    path = resources.files("country_converter") / "country_data.tsv"
    with path.open(encoding="utf-8") as handle:
        table = pd.read_csv(handle, sep="\t", usecols=["ISO3", "ISOnumeric"])
    table = table.dropna()
    return {f"{int(n):03d}": str(code) for n, code in zip(table["ISOnumeric"], table["ISO3"],
                                                          strict=True)}


def load_world_topology(path: str | Path | None = None) -> dict[str, Any]:
    """The Natural Earth 1:110m TopoJSON in ``data/geo`` (see its README for the source)."""
    file = Path(path) if path is not None else resolve_data_dir() / GEOMETRY_FILE
    if not file.exists():
        raise FileNotFoundError(f"map geometry not found at {file}; see data/geo/README.md")
    topology = json.loads(file.read_text(encoding="utf-8"))
    if "countries" not in topology.get("objects", {}):
        raise ValueError(f"{file} is not a world-atlas TopoJSON: no 'countries' object")
    return topology


def spells_by_code(spells: pd.DataFrame, forum_id: str = UN) -> pd.DataFrame:
    """One row per member: code, first_joined and its spells as a list of (joined, left)."""
    chosen = _member_spells(spells, forum_id).sort_values(["member", "joined"])
    rows = []
    for code, group in chosen.groupby("member", sort=True):
        pairs = [(int(j), None if pd.isna(x) else int(x))
                 for j, x in zip(group["joined"], group["left"], strict=True)]
        rows.append({"code": str(code), "first_joined": pairs[0][0], "spells": pairs})
    return pd.DataFrame(rows, columns=["code", "first_joined", "spells"])


def membership_topology(topology: dict[str, Any], by_code: pd.DataFrame,
                        names: dict[str, str], numeric_to_alpha3: dict[str, str]
                        ) -> tuple[dict[str, Any], int]:
    """A copy of the topology whose features carry code, name and membership spells.

    Properties added: ``code``, ``name`` (the course's name when known), ``first_joined`` and
    ``joined_1``, ``left_1``, ``joined_2``, … (``left`` 9999 when the spell is open). Returns
    the topology and how many spells columns there are.
    """
    result = copy.deepcopy(topology)
    spells = dict(zip(by_code["code"], by_code["spells"], strict=True))
    width = max((len(s) for s in spells.values()), default=0)
    for geometry in result["objects"]["countries"]["geometries"]:
        code = numeric_to_alpha3.get(str(geometry.get("id", "")))
        props = geometry.setdefault("properties", {})
        props["code"] = code
        props["name"] = names.get(code or "", props.get("name", "unknown"))
        own = spells.get(code or "", [])
        props["first_joined"] = own[0][0] if own else None
        for i in range(width):
            joined, left = own[i] if i < len(own) else (None, None)
            props[f"joined_{i + 1}"] = joined
            props[f"left_{i + 1}"] = 9999 if (joined is not None and left is None) else left
    return result, width


def forum_sizes(forums: pd.DataFrame, spells: pd.DataFrame, reference_year: int) -> pd.DataFrame:
    """Member count of every forum whose membership is fully recorded, in its latest year.

    The latest year is the last year up to ``reference_year`` in which any spell counted: a
    forum with open spells is measured in ``reference_year``, a defunct one as it last stood. Columns: forum_id, name,
    kind, members, year.
    """
    complete = forums[forums["membership_coverage"] == "complete"]
    rows = []
    for forum in complete.itertuples(index=False):
        own = spells[(spells["forum_id"] == forum.forum_id) & (spells["role"] == "member")]
        if own.empty:
            continue
        # The last year (up to reference_year) in which each spell counted.
        ends = [min(reference_year if pd.isna(x) else int(x) - 1, reference_year)
                for x in own["left"]]
        counted = [end for end, j in zip(ends, own["joined"], strict=True) if int(j) <= end]
        if not counted:
            continue
        year = max(counted)
        left = own["left"].astype("Float64")
        counts = ((own["joined"].astype(int) <= year) & (left.isna() | (left > year))).fillna(False)
        rows.append({"forum_id": forum.forum_id, "name": str(forum.name),
                     "kind": str(forum.kind),
                     "members": int(own.loc[counts.to_numpy(dtype=bool), "member"].nunique()),
                     "year": year})
    table = pd.DataFrame(rows, columns=["forum_id", "name", "kind", "members", "year"])
    return table[table["members"] > 0].reset_index(drop=True)


# --- charts ---------------------------------------------------------------------------------

def _peak_phrase(peaks: pd.DataFrame) -> str:
    return ", ".join(f"{int(r.year)} ({int(r.admitted)} admitted)"
                     for r in peaks.sort_values("admitted", ascending=False).itertuples())


def un_growth_chart(by_year: pd.DataFrame, peaks: pd.DataFrame, waves: pd.DataFrame
                    ) -> alt.VConcatChart:
    """Members per year (top) over admissions per year (bottom, brush to zoom the top)."""
    first, last = int(by_year["year"].min()), int(by_year["year"].max())
    period = alt.selection_interval(encodings=["x"], name="period")
    year_axis = alt.Axis(format="d")
    members = alt.Chart(by_year).encode(
        x=alt.X("year:Q", title="Year", axis=year_axis, scale=alt.Scale(domain=period)),
        y=alt.Y("members:Q", title="UN member states (count)"),
    )
    line = members.mark_line(interpolate="step-after", color=OKABE_ITO[0], strokeWidth=2.5,
                             clip=True)
    hover = members.mark_point(opacity=0, size=80).encode(tooltip=[
        alt.Tooltip("year:Q", title="Year", format="d"),
        alt.Tooltip("members:Q", title="Members"),
        alt.Tooltip("admitted:Q", title="Admitted that year"),
        alt.Tooltip("departed:Q", title="Left that year"),
    ])
    # Labels sit low in the panel (the line starts high) and alternate rows so close years
    # (1955, 1960) do not overprint each other.
    waves = waves.assign(row=[i % 2 for i in range(len(waves))])
    lift = 0.12 * by_year["admitted"].max()
    peaks = peaks.assign(label_y=[a + (i % 2) * lift
                                  for i, a in enumerate(peaks["admitted"])])
    rules = alt.Chart(waves).mark_rule(color=OKABE_ITO[5], strokeDash=[4, 3], clip=True).encode(
        x=alt.X("year:Q", scale=alt.Scale(domain=period)),
        tooltip=[alt.Tooltip("year:Q", title="Year", format="d"),
                 alt.Tooltip("title:N", title="Event")],
    )
    rule_labels = rules.mark_text(align="left", dx=3, fontSize=11, color="#8a3a00",
                                  baseline="bottom", clip=True).transform_calculate(
        label_y="250 - 14 * datum.row").encode(
        y=alt.Y("label_y:Q", scale=None), text=alt.Text("year:Q", format="d"))
    top = alt.layer(line, hover, rules, rule_labels).properties(height=260)

    bars = alt.Chart(by_year).mark_bar(color=OKABE_ITO[0]).encode(
        x=alt.X("year:Q", title="Year (drag to zoom the chart above)", axis=year_axis,
                scale=alt.Scale(domain=[first, last + 1])),
        y=alt.Y("admitted:Q", title="Admitted (states per year)"),
        tooltip=[alt.Tooltip("year:Q", title="Year", format="d"),
                 alt.Tooltip("admitted:Q", title="Admitted")],
    ).add_params(period)
    peak_marks = alt.Chart(peaks).mark_bar(color=OKABE_ITO[1]).encode(
        x="year:Q", y="admitted:Q",
        tooltip=[alt.Tooltip("year:Q", title="Peak year", format="d"),
                 alt.Tooltip("admitted:Q", title="Admitted")])
    peak_labels = alt.Chart(peaks).transform_calculate(
        text="datum.year + ': ' + datum.admitted").mark_text(
        dy=-6, fontSize=11, fontWeight="bold", color="#1a1a1a").encode(
        x="year:Q", y="label_y:Q", text="text:N")
    bottom = alt.layer(bars, peak_marks, peak_labels).properties(height=120)

    start = by_year.iloc[0]
    end = by_year.iloc[-1]
    founding_admitted = int(start["admitted"])
    description = (
        f"Line chart of UN member states recorded in the dataset for every year from {first} to "
        f"{last}: {int(start['members'])} in {first}, {int(end['members'])} in {last}. Below it, "
        f"a bar chart of admissions per year ({founding_admitted} original members in {first}). "
        f"The busiest years after the founding, highlighted in orange, are "
        f"{_peak_phrase(peaks)}. Dashed lines mark the dataset's enlargement events: "
        + "; ".join(f"{int(r.year)}, {r.title}" for r in waves.itertuples())
        + ". Dragging across the bar chart zooms the line chart to that period."
    )
    return alt.vconcat(top, bottom, spacing=8).properties(
        title=alt.Title("How the United Nations grew, year by year",
                        subtitle="Members each year (top) and admissions per year (bottom). "
                                 "Drag across the bars to zoom in."),
        description=description,
    )


def _member_in_year(width: int) -> str:
    tests = [f"(datum.properties.joined_{i} != null && datum.properties.joined_{i} <= year "
             f"&& year < datum.properties.left_{i})" for i in range(1, width + 1)]
    return " || ".join(tests) if tests else "false"


def un_map_chart(topology: dict[str, Any], width: int, by_year: pd.DataFrame,
                 start_year: int = 1960) -> alt.LayerChart:
    """World map of UN members in a chosen year, coloured by year of admission (year slider).

    ``topology`` and ``width`` come from ``membership_topology``; ``by_year`` from
    ``membership_by_year`` (for the count printed on the map).
    """
    first, last = int(by_year["year"].min()), int(by_year["year"].max())
    if not first <= start_year <= last:
        raise ValueError(f"start_year {start_year} is outside {first}–{last}")
    year = alt.param(name="year", value=start_year,
                     bind=alt.binding_range(min=first, max=last, step=1, name="Year "))
    admitted_years = [g["properties"].get("first_joined")
                      for g in topology["objects"]["countries"]["geometries"]]
    latest = max((y for y in admitted_years if y is not None), default=last)
    features = alt.InlineData(values=topology,
                              format=alt.DataFormat(type="topojson", feature="countries"))
    shapes = alt.Chart(features).mark_geoshape(stroke="#ffffff", strokeWidth=0.4).transform_calculate(
        member=_member_in_year(width),
        name="datum.properties.name",
        admitted="datum.properties.first_joined",
        status="datum.member ? 'member in ' + year : (datum.properties.first_joined == null ? "
               "'not a UN member' : 'not yet (or not then) a member in ' + year)",
    ).encode(
        color=alt.condition(
            "datum.member",
            alt.Color("admitted:Q", title="Year of admission",
                      scale=alt.Scale(scheme=SEQUENTIAL_SCHEME, domain=[first, latest]),
                      legend=alt.Legend(format="d", orient="bottom", direction="horizontal",
                                        gradientLength=320, titleLimit=300)),
            alt.value(NOT_MEMBER_FILL)),
        tooltip=[alt.Tooltip("name:N", title="Country"),
                 alt.Tooltip("admitted:Q", title="First admitted", format="d"),
                 alt.Tooltip("status:N", title="Status")],
    )
    count = alt.Chart(by_year).transform_filter("datum.year == year").transform_calculate(
        text="datum.members + ' UN member states in ' + datum.year",
    ).mark_text(align="left", baseline="top", fontSize=14, fontWeight="bold",
                color="#1a1a1a").encode(x=alt.value(4), y=alt.value(4), text="text:N")

    features_list = topology["objects"]["countries"]["geometries"]
    drawn = {g["properties"].get("code") for g in features_list}
    start = by_year.set_index("year")
    description = (
        f"World map (Natural Earth, 1:110m) of the UN's member states in a chosen year from "
        f"{first} to {last}; members are coloured by the year they were first admitted, from "
        f"dark purple ({first}) to yellow ({latest}), and other countries are grey. It opens at "
        f"{start_year}, when the dataset records {int(start.at[start_year, 'members'])} "
        f"members; in {last} it records {int(start.at[last, 'members'])}. "
        f"{len(features_list)} shapes are drawn, {len(drawn - {None})} of them with a code, so "
        "many small island states are too small to appear. The Year slider moves through time; "
        "hovering over a country names it and gives its admission year."
    )
    return alt.layer(shapes, count).add_params(year).project(type="equalEarth").properties(
        width=600, height=320,
        title=alt.Title("The UN's members on the map",
                        subtitle="Coloured by year of admission; grey: not a member in the "
                                 "chosen year. Move the Year slider."),
        description=description,
    )


def forum_size_chart(sizes: pd.DataFrame) -> alt.LayerChart:
    """Strip chart of forum sizes (log scale) by kind; click the legend to pick a kind."""
    if sizes.empty:
        raise ValueError("no forum sizes to plot: is any forum's membership_coverage complete?")
    table = sizes.copy()
    # Spread dots of equal size vertically so none hides another (deterministic jitter).
    lanes = (0, 1, -1, 2, -2)  # the first dot on the centre line, later ones around it
    table["lane"] = [lanes[i % 5] for i in table.groupby(["kind", "members"]).cumcount()]
    pick = alt.selection_point(fields=["kind"], bind="legend", name="pick_kind")
    base = alt.Chart(table).encode(
        x=alt.X("members:Q", title="Members (count, log scale)",
                scale=alt.Scale(type="log", domain=[2, 256]), axis=alt.Axis(values=[
                    2, 3, 5, 10, 20, 30, 50, 100, 200])),
        y=alt.Y("kind:N", title=None, sort=list(KIND_COLOURS)),
    )
    dots = base.mark_circle(size=90, stroke="#ffffff", strokeWidth=0.6).encode(
        yOffset=alt.YOffset("lane:Q", scale=alt.Scale(domain=[-3, 3])),
        color=alt.Color("kind:N", title="Kind of forum (click to highlight)",
                        scale=kind_colour_scale(),
                        legend=alt.Legend(orient="bottom", direction="horizontal",
                                          titleLimit=300)),
        opacity=alt.condition(pick, alt.value(0.9), alt.value(0.12)),
        tooltip=[alt.Tooltip("name:N", title="Forum"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("members:Q", title="Members"),
                 alt.Tooltip("year:Q", title="Counted in", format="d")],
    ).add_params(pick)
    medians = base.mark_tick(color="#1a1a1a", thickness=2, size=40).encode(
        x="median(members):Q",
        tooltip=[alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("median(members):Q", title="Median members")])
    rule = alt.Chart(pd.DataFrame({"members": [MINILATERAL_RULE_OF_THUMB]})).mark_rule(
        strokeDash=[5, 4], color="#555").encode(x="members:Q")

    stats = table.groupby("kind")["members"].agg(["count", "median", "min", "max"])
    parts = [f"{int(s['count'])} {kind}s (median {s['median']:g} members, from {int(s['min'])} "
             f"to {int(s['max'])})" for kind, s in stats.iterrows()]
    description = (
        "Strip chart of how many members each forum has, on a logarithmic axis, one dot per "
        "forum whose membership the dataset records completely, counted in the forum's latest "
        f"year: {'; '.join(parts)}. A black tick marks each kind's median and a dashed line the "
        f"codebook's rule of thumb of {MINILATERAL_RULE_OF_THUMB} members for a minilateral. "
        "Clicking a kind in the legend highlights it; hovering over a dot names the forum."
    )
    return alt.layer(dots, medians, rule).properties(
        width=540, height=200,
        title=alt.Title("How big are multilaterals and minilaterals?",
                        subtitle="Members of each fully recorded forum (log scale)."),
        description=description,
    )


def band_chart(grid: pd.DataFrame, start_alpha: float = 0.0) -> alt.LayerChart:
    """Vote share of each population band at the alpha of a slider (from ``band_grid``)."""
    alphas = sorted(grid["alpha"].unique())
    step = round(alphas[1] - alphas[0], 4) if len(alphas) > 1 else 1
    alpha = alt.param(name="alpha", value=start_alpha, bind=alt.binding_range(
        min=alphas[0], max=alphas[-1], step=step, name="Weight exponent α "))
    order = list(BAND_LABELS)
    x = alt.X("band:N", title="States grouped by population", sort=order,
              axis=alt.Axis(labelAngle=0))
    bars = alt.Chart(grid).transform_filter("abs(datum.alpha - alpha) < 1e-6").mark_bar(
        color=OKABE_ITO[0], size=60).encode(
        x=x, y=alt.Y("vote_share:Q", title="Share of votes (%)", scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("band:N", title="Band"), alt.Tooltip("states:Q", title="States"),
                 alt.Tooltip("vote_share:Q", title="Share of votes (%)", format=".1f"),
                 alt.Tooltip("state_share:Q", title="Share of states (%)", format=".1f"),
                 alt.Tooltip("population_share:Q", title="Share of population (%)",
                             format=".1f")])
    labels = alt.Chart(grid).transform_filter("abs(datum.alpha - alpha) < 1e-6").mark_text(
        dy=-7, fontSize=12, fontWeight="bold", color="#1a1a1a").encode(
        x=x, y="vote_share:Q", text=alt.Text("vote_share:Q", format=".1f"))
    first = grid[grid["alpha"] == alphas[0]]
    marks = pd.concat([
        first.assign(measure="Share of states (α = 0)", value=first["state_share"]),
        first.assign(measure="Share of population (α = 1)", value=first["population_share"]),
    ])[["band", "measure", "value"]]
    measures = ["Share of states (α = 0)", "Share of population (α = 1)"]
    ticks = alt.Chart(marks).mark_tick(thickness=3, size=90).encode(
        x=x, y="value:Q",
        color=alt.Color("measure:N", title="Reference marks",
                        scale=alt.Scale(domain=measures, range=[OKABE_ITO[1], OKABE_ITO[5]]),
                        legend=alt.Legend(orient="bottom", direction="horizontal",
                                          labelLimit=300)),
        tooltip=[alt.Tooltip("band:N", title="Band"), alt.Tooltip("measure:N", title="Measure"),
                 alt.Tooltip("value:Q", title="%", format=".1f")])

    smallest = first.iloc[0]
    half = grid[(grid["alpha"] - 0.5).abs() < 1e-6]
    half_phrase = ""
    if not half.empty:
        half_phrase = (f"at α = 0.5 (square-root weights) they hold "
                       f"{half.iloc[0]['vote_share']:.1f}%; ")
    description = (
        "Bar chart of the share of votes held by the UN's member states grouped into four "
        "population bands, when each state's votes are proportional to population^α. "
        f"The smallest band, {smallest['band']}, has {int(smallest['states'])} states: "
        f"{smallest['state_share']:.1f}% of the votes under one state, one vote (α = 0); "
        f"{half_phrase}and {smallest['population_share']:.2f}% when votes follow population "
        "(α = 1). For every band an orange tick marks its share of states (α = 0) and a red tick "
        "its share of population (α = 1); the slider sets α."
    )
    return alt.layer(bars, labels, ticks).add_params(alpha).properties(
        width=520, height=280,
        title=alt.Title("Who holds the votes?",
                        subtitle="Share of votes by population band when a state's weight is "
                                 "population^α. Move the α slider."),
        description=description,
    )


def threshold_chart(grid: pd.DataFrame, default_threshold: float = 1e7) -> alt.LayerChart:
    """Vote share of the states below a population threshold as α runs from 0 to 1.

    ``grid`` comes from ``threshold_grid``; a dropdown picks the threshold.
    """
    thresholds = sorted(grid["threshold"].unique())
    if default_threshold not in thresholds:
        raise ValueError(f"default_threshold {default_threshold:g} is not in the grid's "
                         f"thresholds {thresholds}")
    table = grid.assign(label=[f"{t / 1e6:g} million" for t in grid["threshold"]])
    labels = [f"{t / 1e6:g} million" for t in thresholds]
    chosen = alt.param(name="threshold", value=f"{default_threshold / 1e6:g} million",
                       bind=alt.binding_select(options=labels,
                                               name="Small means fewer people than "))
    base = alt.Chart(table).transform_filter("datum.label == threshold").encode(
        x=alt.X("alpha:Q", title="Weight exponent α (0 = one state, one vote; 1 = by population)",
                scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("vote_share:Q", title="Votes held by small states (%)",
                scale=alt.Scale(domain=[0, 100])),
    )
    tips = [alt.Tooltip("alpha:Q", title="α", format=".2f"),
            alt.Tooltip("small_states:Q", title="Small states"),
            alt.Tooltip("vote_share:Q", title="Their share of votes (%)", format=".1f"),
            alt.Tooltip("fewest_for_majority:Q", title="Largest states needed for a majority")]
    line = base.mark_line(color=OKABE_ITO[0], strokeWidth=3)
    points = base.mark_circle(color=OKABE_ITO[0], size=45).encode(tooltip=tips)
    half = alt.Chart(pd.DataFrame({"y": [50]})).mark_rule(strokeDash=[5, 4], color="#555").encode(
        y="y:Q")
    penrose = alt.Chart(pd.DataFrame({"alpha": [0.5], "text": ["square-root rule"]}))
    penrose_rule = penrose.mark_rule(color=OKABE_ITO[2], strokeWidth=2).encode(x="alpha:Q")
    penrose_text = penrose.mark_text(align="left", dx=4, y=8, color="#00664b").encode(
        x="alpha:Q", text="text:N")

    ten = grid[grid["threshold"] == default_threshold].sort_values("alpha")
    description = (
        "Line chart of the share of votes held by the UN member states below a population "
        "threshold, as the weight exponent α runs from 0 (one state, one vote) to 1 (votes "
        f"proportional to population). For states under {default_threshold / 1e6:g} million "
        f"people ({int(ten.iloc[0]['small_states'])} states) the share falls from "
        f"{ten.iloc[0]['vote_share']:.1f}% at α = 0 to {ten.iloc[-1]['vote_share']:.1f}% at "
        f"α = 1, while the number of the largest states that together hold a majority falls "
        f"from {int(ten.iloc[0]['fewest_for_majority'])} to "
        f"{int(ten.iloc[-1]['fewest_for_majority'])}. A dashed line marks 50%, a green line "
        "the square-root rule (α = 0.5); a dropdown changes the threshold."
    )
    return alt.layer(line, points, half, penrose_rule, penrose_text).add_params(chosen).properties(
        height=300,
        title=alt.Title("How much say do small states keep?",
                        subtitle="Votes of the states below a population threshold, for every "
                                 "α. Pick a threshold."),
        description=description,
    )
