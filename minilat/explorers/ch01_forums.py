"""Chapter 1 explorer: which forums deal with an issue area in a region?

``build_panel()`` is the live ipywidgets panel (two dropdowns, a count by kind and a table);
``twin_chart()`` is its kernel-free twin for the site (the same dropdowns bound in the browser).
Both rest on ``filter_forums()``, a plain function students can call themselves.

Regions: the dataset's ``region`` column is free text (UN M49 subregions such as
"South-eastern Asia", or wider names such as "Indo-Pacific"). For filtering, each name is mapped
by keyword to the UN's five regions; forums with no region (global ones) are "Global".
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from minilat.charts import kind_colour_scale

ALL_ISSUES = "All issue areas"
ALL_REGIONS = "All regions"
GLOBAL = "Global (no region)"
UN_REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")
# Keyword in a region name → UN region(s). "Asia-Pacific" matches both Asia and Oceania.
REGION_KEYWORDS: dict[str, tuple[str, ...]] = {
    "africa": ("Africa",),
    "america": ("Americas",),
    "caribbean": ("Americas",),
    "asia": ("Asia",),
    "indo-pacific": ("Asia", "Oceania"),
    "pacific": ("Oceania",),
    "oceania": ("Oceania",),
    "europe": ("Europe",),
    "arctic": ("Europe", "Americas"),
}
REQUIRED = ("forum_id", "name", "kind", "founded_year", "issue_areas", "region")


def un_regions(region: Any) -> list[str]:
    """The UN regions a free-text region names ("Eastern Asia; Oceania" → Asia, Oceania).

    An empty region gives ``[GLOBAL]``. A name no keyword matches raises ``ValueError``.
    """
    if region is None or (not isinstance(region, str) and pd.isna(region)) or not str(region):
        return [GLOBAL]
    found: list[str] = []
    for part in str(region).split(";"):
        hits = [r for key, regions in REGION_KEYWORDS.items() if key in part.casefold()
                for r in regions]
        if not hits:
            raise ValueError(f"region {part.strip()!r} matches no UN region; add a keyword to "
                             "REGION_KEYWORDS")
        found += hits
    return [r for r in UN_REGIONS if r in found]


def explorer_table(forums: pd.DataFrame) -> pd.DataFrame:
    """One row per forum: name, kind, founded, issue areas and UN regions as lists."""
    missing = [c for c in REQUIRED if c not in forums.columns]
    if missing:
        raise ValueError(f"forums table lacks column(s) {', '.join(missing)}")
    regions = []
    for index, row in forums.iterrows():
        try:
            regions.append(un_regions(row["region"]))
        except ValueError as error:
            raise ValueError(f"forums table, row {index} ({row['forum_id']}), column "
                             f"'region': {error}") from None
    return pd.DataFrame({
        "forum_id": forums["forum_id"].to_numpy(),
        "name": forums["name"].to_numpy(),
        "kind": forums["kind"].to_numpy(),
        "founded": forums["founded_year"].astype(int).to_numpy(),
        "issue_areas": [list(a) for a in forums["issue_areas"]],
        "regions": regions,
    })


def issue_options(forums: pd.DataFrame) -> list[str]:
    """Dropdown choices: "All issue areas", then every issue area in the table, sorted."""
    return [ALL_ISSUES, *sorted({a for areas in forums["issue_areas"] for a in areas})]


def region_options() -> list[str]:
    """Dropdown choices: "All regions", the five UN regions, then "Global (no region)"."""
    return [ALL_REGIONS, *UN_REGIONS, GLOBAL]


def filter_forums(forums: pd.DataFrame, issue_area: str = ALL_ISSUES,
                  region: str = ALL_REGIONS) -> pd.DataFrame:
    """Forums dealing with ``issue_area`` in ``region``, oldest first.

    Columns forum_id, name, kind, founded, issue_areas, regions.
    """
    table = explorer_table(forums)
    if issue_area not in issue_options(forums):
        raise ValueError(f"unknown issue area {issue_area!r}; choose from "
                         f"{', '.join(issue_options(forums))}")
    if region not in region_options():
        raise ValueError(f"unknown region {region!r}; choose from {', '.join(region_options())}")
    keep = pd.Series(True, index=table.index)
    if issue_area != ALL_ISSUES:
        keep &= table["issue_areas"].map(lambda areas: issue_area in areas)
    if region != ALL_REGIONS:
        keep &= table["regions"].map(lambda regions: region in regions)
    return table[keep].sort_values(["founded", "name"], ignore_index=True)


def _summary(chosen: pd.DataFrame) -> str:
    counts = chosen["kind"].value_counts()
    return (f"{len(chosen)} forums: {int(counts.get('multilateral', 0))} multilateral, "
            f"{int(counts.get('minilateral', 0))} minilateral")


def build_panel(forums: pd.DataFrame | None = None) -> Any:
    """The live explorer: issue-area and region dropdowns, a count by kind and a table."""
    import ipywidgets as widgets
    from IPython.display import display

    if forums is None:
        from minilat.dataset import forums as load_forums

        forums = load_forums()
    issue = widgets.Dropdown(options=issue_options(forums), description="Issue area")
    region = widgets.Dropdown(options=region_options(), description="Region")
    summary = widgets.HTML()
    output = widgets.Output()

    def show(_change: object = None) -> None:
        chosen = filter_forums(forums, issue.value, region.value)
        summary.value = f"<strong>{_summary(chosen)}</strong>"
        shown = chosen.assign(
            issue_areas=chosen["issue_areas"].map(", ".join),
            regions=chosen["regions"].map(", ".join),
        ).drop(columns="forum_id")
        output.clear_output()
        with output:
            display(shown.style.hide(axis="index"))

    issue.observe(show, names="value")
    region.observe(show, names="value")
    show()
    return widgets.VBox([widgets.HBox([issue, region]), summary, output])


def _joined(values: list[str]) -> str:
    """';a;b;' so that the browser can test membership with indexof(';' + value + ';')."""
    return ";" + ";".join(values) + ";"


def twin_chart(forums: pd.DataFrame) -> alt.LayerChart:
    """The kernel-free twin: the same two dropdowns, bound in the browser, filter a dot plot."""
    table = explorer_table(forums)
    data = pd.DataFrame({
        "name": table["name"], "kind": table["kind"], "founded": table["founded"],
        "issues": table["issue_areas"].map(_joined), "regions": table["regions"].map(_joined),
        "issue_text": table["issue_areas"].map(", ".join),
        "region_text": table["regions"].map(", ".join),
    })
    issue = alt.param(name="issue", value=ALL_ISSUES, bind=alt.binding_select(
        options=issue_options(forums), name="Issue area "))
    region = alt.param(name="region", value=ALL_REGIONS, bind=alt.binding_select(
        options=region_options(), name="Region "))
    chosen = (f"(issue == '{ALL_ISSUES}' || indexof(datum.issues, ';' + issue + ';') >= 0) && "
              f"(region == '{ALL_REGIONS}' || indexof(datum.regions, ';' + region + ';') >= 0)")
    base = alt.Chart(data).transform_filter(chosen)
    dots = base.transform_window(
        stack="rank()", sort=[alt.SortField("name")], groupby=["kind", "founded"]
    ).mark_circle(size=70, opacity=0.85).encode(
        x=alt.X("founded:Q", title="Year founded", axis=alt.Axis(format="d"),
                scale=alt.Scale(domain=[int(data["founded"].min()), int(data["founded"].max())])),
        y=alt.Y("kind:N", title=None, sort=["multilateral", "minilateral"]),
        yOffset=alt.YOffset("stack:Q", scale=alt.Scale(domain=[0, 8])),
        color=alt.Color("kind:N", title="Kind of forum", scale=kind_colour_scale()),
        tooltip=[alt.Tooltip("name:N", title="Forum"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("founded:Q", title="Founded", format="d"),
                 alt.Tooltip("issue_text:N", title="Issue areas"),
                 alt.Tooltip("region_text:N", title="Regions")],
    )
    count = base.transform_aggregate(n="count()").transform_calculate(
        text="datum.n + (datum.n == 1 ? ' forum matches' : ' forums match')"
    ).mark_text(align="left", baseline="top", x=4, y=-4, fontSize=13, fontWeight="bold",
                color="#000000").encode(text="text:N")
    all_areas = issue_options(forums)[1:]
    description = (
        f"Dot plot of the {len(data)} forums of the course dataset by year founded, one row per "
        f"kind, one dot per forum (hover for its name, issue areas and regions). Two dropdowns "
        f"filter the dots: an issue area (one of {len(all_areas)}, from {all_areas[0]} to "
        f"{all_areas[-1]}) and a UN region or 'Global'; a label counts the forums that match."
    )
    return alt.layer(dots, count).add_params(issue, region).properties(
        width=460,  # leaves room for the legend in the book's text column
        height=220,
        title=alt.Title("Forums by issue area and region",
                        subtitle="Choose an issue area and a region; hover over a dot."),
        description=description,
    )
