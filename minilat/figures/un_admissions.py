"""UN member states by year of admission: the demonstration chart of the interactive figures."""

from __future__ import annotations

import altair as alt
import pandas as pd

FIRST_YEAR = 1945
ALL_REGIONS = "All regions"


def admissions_by_year(countries: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """Current UN members admitted per year and region, every year from 1945 to `last_year`.

    Uses today's 193 members and their admission years: states that no longer exist
    (e.g. the USSR, Yugoslavia) are not counted, which the chapters point out.
    """
    members = countries[countries["un_member"].fillna(False).astype(bool)]
    members = members.dropna(subset=["un_admission_year"])
    counts = (
        members.groupby(["un_region", "un_admission_year"]).size().rename("admitted").reset_index()
    )
    years = range(FIRST_YEAR, last_year + 1)
    regions = sorted(members["un_region"].dropna().unique())
    grid = pd.MultiIndex.from_product([regions, years], names=["un_region", "year"]).to_frame(
        index=False
    )
    counts = counts.rename(columns={"un_admission_year": "year"})
    counts["year"] = counts["year"].astype(int)
    table = grid.merge(counts, on=["un_region", "year"], how="left").fillna({"admitted": 0})
    table["admitted"] = table["admitted"].astype(int)
    table["members_so_far"] = table.groupby("un_region")["admitted"].cumsum()
    return table


def admissions_chart(countries: pd.DataFrame, last_year: int = 2024) -> alt.Chart:
    """Cumulative UN membership by region with a year slider and a region dropdown."""
    table = admissions_by_year(countries, last_year)
    regions = [ALL_REGIONS, *sorted(table["un_region"].unique())]
    year = alt.param(
        name="year",
        value=1960,
        bind=alt.binding_range(min=FIRST_YEAR, max=last_year, step=1, name="Year "),
    )
    region = alt.param(
        name="region",
        value=ALL_REGIONS,
        bind=alt.binding_select(options=regions, name="Region "),
    )
    in_region = f"region == '{ALL_REGIONS}' || datum.un_region == region"
    base = alt.Chart(table).transform_filter(in_region)
    area = base.mark_area(opacity=0.85).encode(
        x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d")),
        y=alt.Y("sum(members_so_far):Q", title="UN member states (count)", stack=True),
        color=alt.Color("un_region:N", title="UN region"),
        tooltip=[
            alt.Tooltip("un_region:N", title="Region"),
            alt.Tooltip("year:Q", title="Year", format="d"),
            alt.Tooltip("sum(members_so_far):Q", title="Members so far"),
            alt.Tooltip("sum(admitted):Q", title="Admitted that year"),
        ],
    )
    rule = (
        base.mark_rule(color="#000000", strokeWidth=2)
        .encode(x="year:Q")
        .transform_filter("datum.year == year")
    )
    label = (
        base.transform_filter("datum.year == year")
        .transform_aggregate(total="sum(members_so_far)", groupby=["year"])
        .transform_calculate(text="datum.total + ' members in ' + datum.year")
        .mark_text(align="left", dx=6, fontSize=13, fontWeight="bold", color="#000000")
        .encode(x="year:Q", y=alt.value(12), text="text:N")
    )
    per_year = table.groupby("year")["admitted"].sum()
    busiest_year = int(per_year.idxmax())
    description = (
        f"Stacked area chart of today's {int(per_year.sum())} UN member states counted from their "
        f"year of admission, {FIRST_YEAR} to {last_year}, by UN region. {int(per_year.loc[FIRST_YEAR])}"
        f" of them were admitted in {FIRST_YEAR}; the busiest year was {busiest_year}, with "
        f"{int(per_year.loc[busiest_year])} admissions. A slider marks a year and prints the count; "
        "a dropdown limits the chart to one region."
    )
    return (
        alt.layer(area, rule, label)
        .add_params(year, region)
        .properties(
            title=alt.Title(
                "How the United Nations grew",
                subtitle="Today's member states by year of admission. Move the slider; pick a region.",
            ),
            description=description,
        )
    )
