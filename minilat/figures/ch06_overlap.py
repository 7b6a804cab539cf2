"""Chapter 6 figures: how forums share members, the network they form, a state's regime complex.

Each figure has a table builder (tidy rows, pre-aggregated so the page stays small) and a chart
builder (Altair, with a title, a text description computed from the table, axis titles and
kernel-free interaction). The numbers come from ``minilat.models.overlap``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import altair as alt
import pandas as pd

from minilat.charts import KIND_COLOURS, kind_colour_scale
from minilat.figures.tables import forum_labels, require_columns
from minilat.models.overlap import (
    MemberSets,
    forum_network,
    network_layout,
    network_measures,
    overlap_matrix,
    regime_complex,
)

KINDS = tuple(KIND_COLOURS)
MEASURES = {"shared": "Shared members (count)", "jaccard": "Jaccard similarity (0–1)"}
NAMES_SHOWN = 15  # shared members named in a tooltip before "and N more"
HEATMAP_SIDE = 500  # pixels: the matrix fits the text column with its labels
HEATMAP_CELL_MAX = 18  # pixels per row and column when there are few forums


def complete_forums(forums: pd.DataFrame) -> list[str]:
    """The forum_ids whose membership the dataset records completely (membership_coverage)."""
    require_columns(forums, ("forum_id", "membership_coverage"), "forums table")
    return sorted(forums.loc[forums["membership_coverage"] == "complete", "forum_id"])


def _named(codes: Sequence[str], member_names: Mapping[str, str]) -> str:
    names = sorted(member_names.get(c, c) for c in codes)
    if len(names) > NAMES_SHOWN:
        return ", ".join(names[:NAMES_SHOWN]) + f" … and {len(names) - NAMES_SHOWN} more"
    return ", ".join(names)


def forum_order(sets: MemberSets, forums: pd.DataFrame) -> list[str]:
    """Multilaterals first, then minilaterals; within a kind the largest first, ties by id."""
    kinds = dict(zip(forums["forum_id"], forums["kind"], strict=True))
    unknown = sorted(set(sets) - set(kinds))
    if unknown:
        raise ValueError(f"forums table has no row for forum(s) {', '.join(unknown)}")
    return sorted(sets, key=lambda f: (KINDS.index(kinds[f]) if kinds[f] in KINDS else 9,
                                       -len(sets[f]), f))


# ---------------------------------------------------------------- figure 1: the overlap heatmap

def heatmap_cells(sets_by_year: Mapping[int, MemberSets], forums: pd.DataFrame,
                  member_names: Mapping[str, str], order: Sequence[str] | None = None
                  ) -> pd.DataFrame:
    """The heatmap's cells for one or more years: each pair of forums sharing at least one
    member once (forum_a before forum_b in ``order``), and each forum with members paired with
    itself (the diagonal). The chart mirrors the pairs, so the page carries half the matrix.

    Columns year, forum_a, forum_b, label_a, label_b, members_a, members_b, shared, jaccard,
    names (the shared members' names, at most ``NAMES_SHOWN`` then "and N more"). Pairs
    sharing no one are left out: the chart shows them as empty cells. ``order`` defaults to
    ``forum_order`` of the last year. A cell that stays the same over several years is one row
    valid from ``year`` up to ``until``; when the years given skip some, a cell holds until the
    next year given.
    """
    if not sets_by_year:
        raise ValueError("no year given: sets_by_year is empty")
    labels = forum_labels(forums)
    last = sets_by_year[max(sets_by_year)]
    rank = {f: i for i, f in enumerate(forum_order(last, forums) if order is None else order)}
    frames = []
    for year, sets in sorted(sets_by_year.items()):
        forum_order(sets, forums)  # checks every forum has a row
        unranked = sorted(set(sets) - set(rank))
        if unranked:
            raise ValueError(f"order lacks forum(s) {', '.join(unranked)} of year {year}")
        matrix = overlap_matrix(sets, sorted(sets, key=rank.__getitem__))
        keep = (matrix["shared"] > 0) & (matrix["forum_a"].map(rank) <= matrix["forum_b"].map(rank))
        matrix = matrix[keep].copy()
        matrix["names"] = [_named(codes, member_names) for codes in matrix["shared_members"]]
        matrix["year"] = int(year)
        frames.append(matrix.drop(columns=["shared_members", "union"]))
    cells = _runs(pd.concat(frames, ignore_index=True), sorted(sets_by_year))
    cells["label_a"] = cells["forum_a"].map(labels)
    cells["label_b"] = cells["forum_b"].map(labels)
    cells["jaccard"] = cells["jaccard"].round(3)
    return cells[["year", "until", "forum_a", "forum_b", "label_a", "label_b", "members_a",
                  "members_b", "shared", "jaccard", "names"]]


def _runs(cells: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Collapse a cell that stays the same over consecutive years into one row valid from
    ``year`` up to (not including) ``until``: memberships change rarely, so this keeps a
    year slider's data small."""
    following = {y: n for y, n in zip(years, years[1:] + [years[-1] + 1], strict=True)}
    value = ("forum_a", "forum_b", "members_a", "members_b", "shared", "names")
    open_runs: dict[tuple[str, str], dict] = {}
    rows = []
    for record in cells.sort_values("year").to_dict("records"):
        pair = (record["forum_a"], record["forum_b"])
        run = open_runs.get(pair)
        if run is not None and run["until"] == record["year"] and all(
                run[c] == record[c] for c in value):
            run["until"] = following[record["year"]]
            continue
        if run is not None:
            rows.append(run)
        open_runs[pair] = {**record, "until": following[record["year"]]}
    rows += open_runs.values()
    return pd.DataFrame(rows).astype({"year": int, "until": int})


def _heatmap_description(cells: pd.DataFrame, year: int, forums_shown: int) -> str:
    now = cells[(cells["year"] <= year) & (year < cells["until"])]
    pairs = now[now["forum_a"] != now["forum_b"]]
    possible = forums_shown * (forums_shown - 1) // 2
    text = (f"Heatmap of membership overlap among {forums_shown} forums in {year}: a cell is "
            f"coloured when the row's forum and the column's forum share members; the grey "
            f"diagonal is each forum itself. {len(pairs)} of the {possible} pairs share at "
            f"least one member.")
    if len(pairs):
        most = pairs.sort_values(["shared", "label_a"], ascending=[False, True]).iloc[0]
        alike = pairs.sort_values(["jaccard", "shared", "label_a"],
                                  ascending=[False, False, True]).iloc[0]
        text += (f" The pair sharing the most members is {most['label_a']} and "
                 f"{most['label_b']} ({int(most['shared'])}); the most alike is "
                 f"{alike['label_a']} and {alike['label_b']} (Jaccard {alike['jaccard']:.2f}, "
                 f"{int(alike['shared'])} shared of {int(alike['members_a'])} and "
                 f"{int(alike['members_b'])} members).")
    return text + (" A radio button switches the colour between the count of shared members "
                   "and the Jaccard similarity; clicking a cell highlights its row's forum "
                   "across the matrix; hover for the shared members' names.")


def overlap_heatmap(cells: pd.DataFrame, order: Sequence[str], title: str, subtitle: str,
                    start_year: int | None = None, measure: str = "shared") -> alt.LayerChart:
    """Shared members between forums as a heatmap, rows and columns in ``order`` (forum_ids).

    ``cells`` comes from ``heatmap_cells`` (half the matrix; the chart mirrors it). A radio
    button switches the colour between the count of shared members and the Jaccard
    similarity; a click on a cell highlights its row's forum in every row and column (shift
    adds forums, a double click clears); with several years in ``cells`` a slider picks the
    year. The diagonal (a forum with itself) is grey, so that a large forum's own size does not
    swamp the colour scale.
    """
    require_columns(cells, ("year", "until", "forum_a", "forum_b", "label_a", "label_b", "members_a",
                     "members_b", "shared", "jaccard", "names"), "heatmap cells")
    if cells.empty:
        raise ValueError("no heatmap cells: no forum has members in the years given")
    if measure not in MEASURES:
        raise ValueError(f"measure is one of {', '.join(MEASURES)}, not {measure!r}")
    labels = dict(zip(cells["forum_a"], cells["label_a"], strict=False))
    labels.update(zip(cells["forum_b"], cells["label_b"], strict=False))
    missing = [f for f in order if f not in labels]
    if missing:
        raise ValueError(f"order names forum(s) {', '.join(missing)} with no cell")
    domain = [labels[f] for f in order]
    years = list(range(int(cells["year"].min()), int(cells["until"].max())))
    year = years[-1] if start_year is None else int(start_year)
    if year not in years:
        raise ValueError(f"start_year {year} is not a year of the cells ({years[0]}–{years[-1]})")

    colour_by = alt.param(name="measure", value=MEASURES[measure], bind=alt.binding_radio(
        options=list(MEASURES.values()), name="Colour shows "))
    pick = alt.selection_point(name="pick", fields=["row_id"], on="click", clear="dblclick")
    # The picked forum is highlighted in its row and in its column (the matrix is symmetric).
    highlighted = ("!isValid(pick.row_id) || indexof(pick.row_id, datum.row_id) >= 0 || "
                   "indexof(pick.row_id, datum.col_id) >= 0")
    base = alt.Chart(cells)
    params: list = [colour_by, pick]
    if len(years) > 1:
        year_param = alt.param(name="year", value=year, bind=alt.binding_range(
            min=years[0], max=years[-1], step=1, name="Year "))
        base = base.transform_filter((alt.datum.year <= year_param)
                                     & (year_param < alt.datum.until))
        params.append(year_param)
    else:
        base = base.transform_filter((alt.datum.year <= year) & (year < alt.datum.until))
    # Mirror the half matrix: each pair becomes a cell above and a cell below the diagonal.
    base = base.transform_fold(["forum_a", "forum_b"], as_=["side", "row_id"]).transform_filter(
        "datum.side == 'forum_a' || datum.forum_a != datum.forum_b").transform_calculate(
        col_id="datum.side == 'forum_a' ? datum.forum_b : datum.forum_a",
        row="datum.side == 'forum_a' ? datum.label_a : datum.label_b",
        col="datum.side == 'forum_a' ? datum.label_b : datum.label_a",
        row_members="datum.side == 'forum_a' ? datum.members_a : datum.members_b",
        col_members="datum.side == 'forum_a' ? datum.members_b : datum.members_a",
        value=f"measure == '{MEASURES['jaccard']}' ? datum.jaccard : datum.shared",
        diagonal="datum.forum_a == datum.forum_b",
    )
    size = min(HEATMAP_CELL_MAX, HEATMAP_SIDE // len(domain)) * len(domain)
    x = alt.X("col:N", title="Forum (column)", sort=domain, scale=alt.Scale(domain=domain),
              axis=alt.Axis(labelAngle=-60, labelFontSize=9, labelLimit=90))
    y = alt.Y("row:N", title="Forum (row)", sort=domain, scale=alt.Scale(domain=domain),
              axis=alt.Axis(labelFontSize=9, labelLimit=90))
    tooltip = [
        alt.Tooltip("row:N", title="Row forum"),
        alt.Tooltip("col:N", title="Column forum"),
        alt.Tooltip("row_members:Q", title="Row forum's members"),
        alt.Tooltip("col_members:Q", title="Column forum's members"),
        alt.Tooltip("shared:Q", title="Shared members"),
        alt.Tooltip("jaccard:Q", title="Jaccard similarity", format=".2f"),
        alt.Tooltip("names:N", title="Shared"),
    ]
    opacity = alt.condition(highlighted, alt.value(1.0), alt.value(0.2))
    pairs = base.transform_filter("!datum.diagonal").mark_rect(
        stroke="#ffffff", strokeWidth=0.3).encode(
        x=x, y=y, opacity=opacity, tooltip=tooltip,
        color=alt.Color("value:Q", title="Shared members (count) or Jaccard similarity (0–1)",
                        legend=alt.Legend(orient="top", gradientLength=240, titleLimit=400),
                        scale=alt.Scale(scheme="viridis", reverse=True, type="sqrt", zero=True)),
    ).add_params(*params)
    itself = base.transform_filter("datum.diagonal").mark_rect(
        color="#8c8c8c", stroke="#ffffff", strokeWidth=0.3).encode(
        x=x, y=y, opacity=opacity, tooltip=tooltip)
    forums_shown = len(domain)
    return alt.layer(pairs, itself).properties(
        width=size, height=size,
        title=alt.Title(title, subtitle=subtitle),
        description=_heatmap_description(cells, year, forums_shown),
    )


# ---------------------------------------------------------------- figure 2: the forum network

def network_tables(sets: MemberSets, forums: pd.DataFrame, seed: int = 6,
                   layout_threshold: float = 0.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges of the forum network, with positions computed now (spring layout).

    The layout uses every link whose Jaccard similarity is at least ``layout_threshold``, so
    the positions do not move when a reader changes the threshold on the page. Nodes: forum_id,
    label, name, kind, members, x, y, degree and betweenness (over all links). Edges: forum_a,
    forum_b, label_a, label_b, shared, jaccard, x, y, x2, y2.
    """
    require_columns(forums, ("forum_id", "name", "abbreviation", "kind"), "forums table")
    nonempty = {f: s for f, s in sets.items() if len(s)}
    if not nonempty:
        raise ValueError("no forum has members: nothing to draw")
    matrix = overlap_matrix(nonempty)
    graph = forum_network(matrix, layout_threshold)
    layout = network_layout(graph, seed=seed)
    measures = network_measures(graph)
    info = forums.set_index("forum_id")
    nodes = layout.merge(measures, on="forum_id")
    nodes["label"] = nodes["forum_id"].map(forum_labels(forums))
    nodes["name"] = nodes["forum_id"].map(info["name"])
    nodes["kind"] = nodes["forum_id"].map(info["kind"])
    nodes["members"] = nodes["forum_id"].map(lambda f: len(nonempty[f]))
    pairs = overlap_matrix(nonempty, symmetric=False)
    edges = pairs[pairs["shared"] > 0].drop(columns=["shared_members", "union", "members_a",
                                                     "members_b"])
    where = layout.set_index("forum_id")
    edges = edges.assign(
        label_a=edges["forum_a"].map(nodes.set_index("forum_id")["label"]),
        label_b=edges["forum_b"].map(nodes.set_index("forum_id")["label"]),
        x=edges["forum_a"].map(where["x"]), y=edges["forum_a"].map(where["y"]),
        x2=edges["forum_b"].map(where["x"]), y2=edges["forum_b"].map(where["y"]),
    ).reset_index(drop=True)
    for table in (nodes, edges):
        for column in ("x", "y", "x2", "y2", "jaccard", "betweenness", "strength"):
            if column in table:
                table[column] = table[column].round(4)
    return nodes.drop(columns=["strength", "component"]), edges


def _network_description(nodes: pd.DataFrame, edges: pd.DataFrame, threshold: float) -> str:
    kept = edges[edges["jaccard"] >= threshold]
    isolated = len(set(nodes["forum_id"]) - set(kept["forum_a"]) - set(kept["forum_b"]))
    kinds = nodes["kind"].value_counts()
    central = nodes.sort_values(["betweenness", "label"], ascending=[False, True]).head(3)
    return (
        f"Network of {len(nodes)} forums ({', '.join(f'{kinds.get(k, 0)} {k}' for k in KINDS)}"
        f"), drawn as circles sized by members and coloured by kind; {len(edges)} pairs share at "
        f"least one member. A slider sets the smallest Jaccard similarity a link needs: at "
        f"{threshold:.2f}, {len(kept)} links remain and {isolated} forums have "
        f"none. Counting every shared member, the forums that most often lie between others "
        f"are {', '.join(central['label'])}. Positions come from a spring layout computed when "
        "the page was built."
    )


def network_chart(nodes: pd.DataFrame, edges: pd.DataFrame, threshold: float = 0.2,
                  step: float = 0.05) -> alt.LayerChart:
    """The forum network: fixed positions, links filtered by a Jaccard slider, hover details."""
    require_columns(nodes, ("forum_id", "label", "name", "kind", "members", "x", "y", "degree",
                     "betweenness"), "network nodes")
    require_columns(edges, ("forum_a", "forum_b", "label_a", "label_b", "shared", "jaccard", "x", "y",
                     "x2", "y2"), "network edges")
    if nodes.empty:
        raise ValueError("the network has no nodes")
    cut = alt.param(name="threshold", value=threshold, bind=alt.binding_range(
        min=step, max=0.9, step=step, name="Smallest Jaccard similarity for a link "))
    x = alt.X("x:Q", title="Layout position (no unit)", axis=None,
              scale=alt.Scale(domain=[-1.1, 1.1]))
    y = alt.Y("y:Q", title="Layout position (no unit)", axis=None,
              scale=alt.Scale(domain=[-1.1, 1.1]))
    links = alt.Chart(edges).transform_filter(alt.datum.jaccard >= cut).mark_rule(
        color="#777777").encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        strokeWidth=alt.StrokeWidth("jaccard:Q", title="Jaccard similarity (0–1)",
                                    scale=alt.Scale(domain=[0, 1], range=[0.3, 5])),
        opacity=alt.value(0.45),
        tooltip=[alt.Tooltip("label_a:N", title="Forum"), alt.Tooltip("label_b:N", title="and"),
                 alt.Tooltip("shared:Q", title="Shared members"),
                 alt.Tooltip("jaccard:Q", title="Jaccard similarity", format=".2f")],
    )
    dots = alt.Chart(nodes).mark_circle(stroke="#ffffff", strokeWidth=1, opacity=0.9).encode(
        x=x, y=y,
        size=alt.Size("members:Q", title="Members (count)",
                      scale=alt.Scale(type="sqrt", range=[30, 900])),
        color=alt.Color("kind:N", title="Kind of forum", scale=kind_colour_scale()),
        tooltip=[alt.Tooltip("name:N", title="Forum"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("members:Q", title="Members"),
                 alt.Tooltip("degree:Q", title="Forums sharing a member"),
                 alt.Tooltip("betweenness:Q", title="Betweenness", format=".3f")],
    )
    names = alt.Chart(nodes).mark_text(fontSize=9, dy=-9, color="#1a1a1a", limit=80).encode(
        x=x, y=y, text="label:N")
    # Counted as a sum rather than after a filter, so that zero links still shows a zero.
    count = alt.Chart(edges).transform_calculate(
        kept=alt.expr.if_(alt.datum.jaccard >= cut, 1, 0)).transform_aggregate(
        links="sum(kept)").transform_calculate(
        text="'Links shown: ' + datum.links").mark_text(
        align="left", baseline="top", fontSize=12, color="#1a1a1a").encode(
        x=alt.value(4), y=alt.value(4), text="text:N")
    return alt.layer(links, dots, names, count).add_params(cut).properties(
        width=460, height=460,
        title=alt.Title("Forums linked by shared members",
                        subtitle="Move the slider: only pairs at least this alike stay linked."),
        description=_network_description(nodes, edges, threshold),
    )


# ---------------------------------------------------------------- figure 3: a regime complex

def regime_complex_table(spells: pd.DataFrame, forums: pd.DataFrame, member_names:
                         Mapping[str, str], codes: Iterable[str], year: int) -> pd.DataFrame:
    """For each code, its forums in ``year`` by issue area (see ``models.overlap.regime_complex``).

    Columns code, country, forum_id, label, name, kind, issue_area.
    """
    labels = forum_labels(forums)
    frames = []
    for code in codes:
        table = regime_complex(spells, forums, code, year)
        frames.append(table.assign(code=code, country=member_names.get(code, code)))
    if not frames:
        raise ValueError("no country code given")
    long = pd.concat(frames, ignore_index=True)
    long["label"] = long["forum_id"].map(labels)
    return long[["code", "country", "forum_id", "label", "name", "kind", "issue_area"]]


def _complex_description(table: pd.DataFrame, code: str, year: int) -> str:
    per_country = table.groupby("country")["forum_id"].nunique()
    mine = table[table["code"] == code]
    country = mine["country"].iloc[0] if len(mine) else code
    areas = mine.groupby("issue_area")["forum_id"].nunique().sort_values(ascending=False)
    top = ", ".join(f"{_area_label(a)} ({n})" for a, n in areas.head(3).items())
    return (
        f"Dot matrix of the forums a chosen country belonged to in {year}, one row per forum "
        f"and one column per issue area, coloured by kind; a dropdown picks one of "
        f"{table['code'].nunique()} countries. {country}, shown first, belongs to "
        f"{mine['forum_id'].nunique()} recorded forums; its busiest issue areas are {top}. "
        f"Across the countries listed, the number of recorded forums runs from "
        f"{int(per_country.min())} to {int(per_country.max())} "
        f"({', '.join(per_country[per_country == per_country.max()].index)})."
    )


def _area_label(area: str) -> str:
    return area.replace("_", " ")


def regime_complex_chart(table: pd.DataFrame, start_code: str, year: int) -> alt.Chart:
    """A country's forums by issue area, the country picked in a dropdown.

    Rows are grouped: multilaterals first, then each forum under its most common issue area.
    The page carries only codes, short labels and areas; full forum names are looked up.
    """
    require_columns(table, ("code", "country", "forum_id", "label", "name", "kind", "issue_area"),
                    "regime complex table")
    countries = table.drop_duplicates("code").sort_values("country")
    if start_code not in set(countries["code"]):
        raise ValueError(f"start_code {start_code!r} is not a country of the table")
    areas = table["issue_area"].value_counts()
    area_order = sorted(areas.index, key=lambda a: (-areas[a], a))
    area_rank = {a: i for i, a in enumerate(area_order)}
    slim = table[["code", "label", "kind", "issue_area"]].copy()
    first_area = slim.groupby(["code", "label"])["issue_area"].transform(
        lambda s: min(area_rank[a] for a in s))
    slim["rank"] = (slim["kind"].map(lambda k: KINDS.index(k) if k in KINDS else 9) * 100
                    + first_area)
    slim["issue_area"] = slim["issue_area"].map(_area_label)
    names = table[["label", "name"]].drop_duplicates("label")
    chosen = alt.param(name="country", value=start_code, bind=alt.binding_select(
        options=list(countries["code"]), labels=list(countries["country"]), name="Country "))
    area_domain = [_area_label(a) for a in area_order]
    return alt.Chart(slim).transform_filter(alt.datum.code == chosen).transform_lookup(
        lookup="label", from_=alt.LookupData(names, key="label", fields=["name"])).mark_square(
        size=150, opacity=0.9).encode(
        x=alt.X("issue_area:N", title="Issue area", sort=area_domain,
                scale=alt.Scale(domain=area_domain), axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("label:N", title="Forum", sort=alt.EncodingSortField("rank", op="min"),
                axis=alt.Axis(labelLimit=150)),
        color=alt.Color("kind:N", title="Kind of forum", scale=kind_colour_scale()),
        tooltip=[alt.Tooltip("name:N", title="Forum"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("issue_area:N", title="Issue area")],
    ).add_params(chosen).properties(
        width=330,
        title=alt.Title("A country's regime complex",
                        subtitle="Pick a country: its recorded forums, by the issue areas they "
                                 "cover."),
        description=_complex_description(table, start_code, year),
    )
