"""Chapter 5 explorer: a forum's history year by year — by default the Quad (2007, the lapse,
the 2017 revival, the leaders' summits from 2021).

``build_panel()`` is the live ipywidgets panel: a year slider, and for that year the members
(from the memberships table) and every event so far (from the events table). ``twin_chart()`` is
its kernel-free twin for the site: an Altair timeline of membership spells and events with a
year slider that fades what has not happened yet and prints the members of the chosen year.
"""

from __future__ import annotations

import html
from typing import Any

import altair as alt
import pandas as pd

from minilat.charts import FONT, OKABE_ITO
from minilat.dataset import events, forum, members
from minilat.dataset.load import PathLike
from minilat.dataset.query import reference_year

EVENT_COLOURS = {"founding": OKABE_ITO[2], "withdrawal": OKABE_ITO[5], "lapse": OKABE_ITO[5],
                 "suspension": OKABE_ITO[5], "revival": OKABE_ITO[0], "summit": OKABE_ITO[3],
                 "enlargement": OKABE_ITO[4], "agreement": OKABE_ITO[1],
                 "announcement": OKABE_ITO[1], "formalisation": OKABE_ITO[7],
                 "entry_into_force": OKABE_ITO[1], "negotiation": OKABE_ITO[1],
                 "other": "#8c8c8c"}


def forum_events(forum_id: str, data_dir: PathLike = None) -> pd.DataFrame:
    """The forum's events in date order, with ``when`` = year + (month − 1) / 12."""
    table = events(data_dir)
    chosen = table[table["forum_id"] == forum_id].copy()
    month = chosen["month"].astype("Float64").fillna(1.0)
    chosen["when"] = (chosen["year"].astype(float) + (month.astype(float) - 1) / 12).round(3)
    return chosen.sort_values(["when", "event_id"], ignore_index=True)


def display_name(forum_id: str, data_dir: PathLike = None) -> str:
    """The forum's abbreviation, or its name when it has none."""
    row = forum(forum_id, data_dir)
    return str(row["abbreviation"] if pd.notna(row["abbreviation"]) else row["name"])


def year_range(forum_id: str, data_dir: PathLike = None) -> tuple[int, int]:
    """From the forum's first event (or founding year) to the dataset's reference year."""
    found = forum_events(forum_id, data_dir)
    founded = forum(forum_id, data_dir)["founded_year"]
    firsts = [int(y) for y in [*found["year"].tolist()[:1], founded] if pd.notna(y)]
    if not firsts:
        raise ValueError(f"forum {forum_id!r} has neither events nor a founded_year")
    return min(firsts), reference_year(data_dir)


def history_table(forum_id: str, first: int, last: int,
                  data_dir: PathLike = None) -> pd.DataFrame:
    """One row per year: ``members`` (codes, or "no members"), ``n_members`` and ``latest``
    (the latest event up to that year)."""
    if first > last:
        raise ValueError(f"first year {first} is after last year {last}")
    found = forum_events(forum_id, data_dir)
    rows = []
    for year in range(first, last + 1):
        codes = members(forum_id, year, data_dir=data_dir)
        so_far = found[found["year"] <= year]
        latest = (f"Latest event: {so_far['title'].iloc[-1]} ({int(so_far['year'].iloc[-1])})"
                  if len(so_far) else "No event yet")
        rows.append({"year": year, "n_members": len(codes),
                     "members": ", ".join(codes) if codes else "no members",
                     "latest": latest})
    return pd.DataFrame(rows)


def spells_table(forum_id: str, last: int, data_dir: PathLike = None) -> pd.DataFrame:
    """The forum's member spells (role ``member``), open spells running to ``last``."""
    from minilat.dataset import memberships

    spells = memberships(data_dir)
    chosen = spells[(spells["forum_id"] == forum_id) & (spells["role"] == "member")]
    return pd.DataFrame({"member": chosen["member"].astype(str),
                         "joined": chosen["joined"].astype(int),
                         "left": chosen["left"].astype("Float64").fillna(last).astype(int),
                         "open": chosen["left"].isna()}).reset_index(drop=True)


def summary_html(forum_name: str, year: int, history: pd.DataFrame,
                 found: pd.DataFrame) -> str:
    """The live panel's text for one year: the members and the events so far."""
    row = history[history["year"] == year]
    if row.empty:
        raise ValueError(f"year {year} is outside the history ({history['year'].min()}–"
                         f"{history['year'].max()})")
    row = row.iloc[0]
    so_far = found[found["year"] <= year]
    items = "".join(
        f"<li><b>{int(e.year)}</b> ({html.escape(str(e.kind))}): {html.escape(str(e.title))}"
        "</li>" for e in so_far.itertuples(index=False))
    count = int(row["n_members"])
    head = (f"<p>In <b>{year}</b> the {html.escape(forum_name)} has <b>{count}</b> member"
            f"{'' if count == 1 else 's'}: {html.escape(row['members'])}.</p>")
    return head + (f"<p>Events so far:</p><ul>{items}</ul>" if items else "<p>No events yet.</p>")


def build_panel(forum_id: str = "quad", data_dir: PathLike = None) -> Any:
    """The live panel: move the year; read the members and the events so far."""
    import ipywidgets as widgets

    first, last = year_range(forum_id, data_dir)
    history = history_table(forum_id, first, last, data_dir)
    found = forum_events(forum_id, data_dir)
    name = display_name(forum_id, data_dir)
    slider = widgets.IntSlider(value=first, min=first, max=last, step=1, description="Year",
                               continuous_update=True)
    output = widgets.HTML(summary_html(name, first, history, found))

    def update(change: dict[str, Any]) -> None:
        output.value = summary_html(name, int(change["new"]), history, found)

    slider.observe(update, names="value")
    return widgets.VBox([slider, output])


def twin_chart(forum_id: str = "quad", start: int | None = None,
               data_dir: PathLike = None) -> alt.VConcatChart:
    """The kernel-free twin: spells and events on one time axis, with a year slider."""
    first, last = year_range(forum_id, data_dir)
    history = history_table(forum_id, first, last, data_dir)
    found = forum_events(forum_id, data_dir)
    spells = spells_table(forum_id, last, data_dir)
    name = display_name(forum_id, data_dir)
    start = last if start is None else start
    if not first <= start <= last:
        raise ValueError(f"start year {start} is outside {first}–{last}")
    year = alt.param(name="year", value=start, bind=alt.binding_range(
        min=first, max=last, step=1, name="Year "))
    x_scale = alt.Scale(domain=[first, last + 1], nice=False)
    x_axis = alt.Axis(format="d", tickMinStep=1)
    bars = alt.Chart(spells).mark_bar(height=14).encode(
        x=alt.X("joined:Q", title="Year (calendar year)", scale=x_scale, axis=x_axis),
        x2="left:Q", y=alt.Y("member:N", title="Member (code)"),
        color=alt.condition("datum.joined <= year", alt.value(OKABE_ITO[0]), alt.value("#d0d0d0")),
        tooltip=[alt.Tooltip("member:N", title="Member"),
                 alt.Tooltip("joined:Q", title="Joined (year)"),
                 alt.Tooltip("left:Q", title="Left (year, or today)")])
    now = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#1a1a1a", strokeDash=[4, 3]) \
        .transform_calculate(at="year + 0.5").encode(x=alt.X("at:Q", scale=x_scale))
    said = alt.Chart(history).transform_filter("datum.year == year")
    line1 = said.mark_text(align="left", font=FONT, fontSize=13, fontWeight="bold",
                           color="#1a1a1a").encode(
        x=alt.value(4), y=alt.value(-28),
        text=alt.Text("label:N")).transform_calculate(
        label="'In ' + datum.year + ': ' + datum.n_members + ' members (' + datum.members + ')'")
    line2 = said.mark_text(align="left", font=FONT, fontSize=12, color="#1a1a1a").encode(
        x=alt.value(4), y=alt.value(-12), text="latest:N")
    top = alt.layer(bars, now, line1, line2).properties(height=alt.Step(22), width=520)
    kinds = [k for k in EVENT_COLOURS if k in set(found["kind"])]
    points = alt.Chart(found).mark_point(shape="diamond", size=140, filled=True).encode(
        x=alt.X("when:Q", title="Year (calendar year)", scale=x_scale, axis=x_axis),
        y=alt.Y("kind:N", title="Event (kind)", sort=kinds),
        color=alt.Color("kind:N", sort=kinds, legend=None,
                        scale=alt.Scale(domain=kinds, range=[EVENT_COLOURS[k] for k in kinds])),
        opacity=alt.condition("datum.year <= year", alt.value(1.0), alt.value(0.15)),
        tooltip=[alt.Tooltip("year:Q", title="Year"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("title:N", title="Event"),
                 alt.Tooltip("description:N", title="What happened")])
    bottom = alt.layer(points, now).properties(height=alt.Step(26), width=520)
    return alt.vconcat(top, bottom).add_params(year).properties(
        title=alt.Title(f"The {name} year by year",
                        subtitle="Move the year: members then (top) and events so far (bottom)"),
        description=_twin_description(name, history, found, spells))


def lapses(history: pd.DataFrame) -> list[tuple[int, int]]:
    """Runs of years without members between the first and the last year with members."""
    with_members = history.loc[history["n_members"] > 0, "year"].tolist()
    if not with_members:
        return []
    runs: list[tuple[int, int]] = []
    for year in range(with_members[0], with_members[-1] + 1):
        if year in with_members:
            continue
        if runs and runs[-1][1] == year - 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return runs


def _twin_description(name: str, history: pd.DataFrame, found: pd.DataFrame,
                      spells: pd.DataFrame) -> str:
    gaps = lapses(history)
    gap_text = "".join(f" It had no members from {a} to {b}." for a, b in gaps)
    listed = "; ".join(f"{int(e.year)}: {e.title}" for e in found.itertuples(index=False))
    return (f"Timeline of the {name} from {int(history['year'].min())} to "
            f"{int(history['year'].max())}. Top: one bar per membership spell of each member "
            f"({len(spells)} spells); bottom: its {len(found)} recorded events by kind. A year "
            "slider moves a dashed line, fades events that have not happened yet and prints "
            f"the members of that year and the latest event.{gap_text} Events: {listed}.")
