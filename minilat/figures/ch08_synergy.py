"""Chapter 8 figures: which minilaterals sit inside which multilaterals, and the case timeline.

Each figure has a table builder (tidy rows, pre-aggregated so the page stays small) and a chart
builder (Altair, with a title, a text description computed from the table, axis titles and
kernel-free interaction: a year slider, a case dropdown, legend clicks and tooltips). The
nestedness numbers come from ``minilat.models.nestedness``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from minilat.charts import FONT, OKABE_ITO
from minilat.figures.tables import forum_labels, require_columns

NAMES_SHOWN = 8  # members named in a tooltip before "and N more"
NO_FORUM = "(no forum)"  # the row label of an event with no forum_id

# The cases the chapter follows: label → forums, plus events outside any forum.
CASES: dict[str, dict[str, tuple[str, ...]]] = {
    "Climate": {"forums": ("unfccc", "kyoto_protocol", "paris_agreement"),
                "events": ("us_china_climate_announcement",)},
    "Quad": {"forums": ("quad",), "events": ()},
    "Lancang-Mekong": {"forums": ("lmc",), "events": ()},
    "Mekong-US": {"forums": ("lmi", "musp"), "events": ()},
    "RCEP": {"forums": ("rcep",), "events": ()},
    "Law of the sea": {"forums": ("unclos", "impc"), "events": ()},
    "G7/G20": {"forums": ("library_group", "g7", "g8_plus_5", "g20"), "events": ()},
    "BRICS": {"forums": ("brics", "basic", "ibsa"), "events": ()},
}
EVENT_KIND_ORDER = ("founding", "announcement", "negotiation", "agreement", "entry_into_force",
                    "summit", "enlargement", "revival", "formalisation", "withdrawal", "lapse",
                    "suspension", "other")
EVENT_COLOURS = dict(zip(EVENT_KIND_ORDER, (
    OKABE_ITO[2], OKABE_ITO[1], OKABE_ITO[6], OKABE_ITO[0], OKABE_ITO[4], OKABE_ITO[3],
    OKABE_ITO[4], OKABE_ITO[0], OKABE_ITO[7], OKABE_ITO[5], OKABE_ITO[5], OKABE_ITO[5],
    "#8c8c8c"), strict=True))
EVENT_SHAPES = dict(zip(EVENT_KIND_ORDER, (
    "circle", "square", "triangle-up", "diamond", "cross", "circle", "triangle-up",
    "triangle-right", "square", "triangle-down", "triangle-left", "cross", "circle"),
    strict=True))  # kinds that share a colour get different shapes


def named(codes: Sequence[str], member_names: Mapping[str, str],
          shown: int = NAMES_SHOWN) -> str:
    """Member names, sorted, cut after ``shown`` with "… and N more"."""
    names = sorted(member_names.get(c, c) for c in codes)
    if len(names) > shown:
        return ", ".join(names[:shown]) + f" … and {len(names) - shown} more"
    return ", ".join(names)


# --- 1. nestedness heatmap ------------------------------------------------------------------

def nestedness_cells(table: pd.DataFrame, forums: pd.DataFrame,
                     member_names: Mapping[str, str]) -> pd.DataFrame:
    """The heatmap's cells: runs of years in which a (minilateral, multilateral) cell is the same.

    ``table`` is ``nestedness_table`` output. Cells where the multilateral holds none of the
    minilateral's members are dropped (blank on the chart). Columns: minilateral, multilateral,
    their labels and names, year (first year of the run), until (first year after it), members,
    inside, share_pct, nested, outside_names ("none" when nested) and parent (True when the
    forums table declares the multilateral the minilateral's parent).
    """
    require_columns(table, ("year", "minilateral", "multilateral", "members", "inside", "share",
                     "nested", "outside"), "nestedness table")
    require_columns(forums, ("forum_id", "name", "abbreviation", "parent_id"), "forums table")
    if table.empty:
        raise ValueError("the nestedness table has no rows")
    involved = set(table["minilateral"]) | set(table["multilateral"])
    labels = forum_labels(forums[forums["forum_id"].isin(involved)])
    names = dict(zip(forums["forum_id"], forums["name"], strict=True))
    linked = forums[forums["parent_id"].notna()]
    parents = dict(zip(linked["forum_id"], linked["parent_id"].astype(str), strict=True))
    shared = table[table["inside"] > 0].sort_values(["minilateral", "multilateral", "year"])
    rows: list[dict[str, object]] = []
    for (mini, multi), part in shared.groupby(["minilateral", "multilateral"], sort=True):
        run: dict[str, object] | None = None
        for row in part.itertuples(index=False):
            same = (run is not None and run["until"] == row.year
                    and run["inside"] == row.inside and run["members"] == row.members
                    and run["outside"] == row.outside)
            if same:
                run["until"] = row.year + 1
                continue
            run = {"minilateral": mini, "multilateral": multi, "year": int(row.year),
                   "until": int(row.year) + 1, "members": int(row.members),
                   "inside": int(row.inside), "outside": row.outside,
                   "nested": bool(row.nested)}
            rows.append(run)
    cells = pd.DataFrame(rows)
    cells["share_pct"] = (100 * cells["inside"] / cells["members"]).round(1)
    cells["outside_names"] = [named(codes, member_names) if codes else "none"
                              for codes in cells["outside"]]
    cells["mini_label"] = cells["minilateral"].map(labels)
    cells["multi_label"] = cells["multilateral"].map(labels)
    cells["mini_name"] = cells["minilateral"].map(names)
    cells["multi_name"] = cells["multilateral"].map(names)
    cells["parent"] = [parents.get(m) == p for m, p in zip(cells["minilateral"],
                                                           cells["multilateral"], strict=True)]
    return cells.drop(columns="outside")[
        ["minilateral", "multilateral", "mini_label", "multi_label", "mini_name", "multi_name",
         "year", "until", "members", "inside", "share_pct", "nested", "outside_names", "parent"]]


def cells_in(cells: pd.DataFrame, year: int) -> pd.DataFrame:
    """The cells that hold in ``year`` (year ≤ y < until), as the slider shows them."""
    return cells[(cells["year"] <= year) & (year < cells["until"])]


def _nested_description(cells: pd.DataFrame, year: int, multi_order: Sequence[str]) -> str:
    now = cells_in(cells, year)
    minis = sorted(set(now["mini_label"]))
    hosts = now[now["nested"]].groupby("mini_label")["multi_label"].apply(list)
    nested_somewhere = sorted(hosts.index)
    # The reference column: the multilateral that holds the most minilaterals whole that year.
    nested_counts = now[now["nested"]].groupby("multilateral").size()
    present = [m for m in multi_order if m in set(now["multilateral"])]
    if not present:
        raise ValueError(f"no cell holds in {year}")
    first = max(present, key=lambda m: (nested_counts.get(m, 0), -present.index(m)))
    first_label = now.loc[now["multilateral"] == first, "multi_label"].iloc[0]
    not_in_first = now[(now["multilateral"] == first) & ~now["nested"]]
    missing_first = sorted(set(minis) - set(now.loc[now["multilateral"] == first, "mini_label"]))
    beyond = {label: [h for h in hosts.get(label, []) if h != first_label] for label in minis}
    regional = sorted(f"{m} (in {', '.join(h)})" for m, h in beyond.items() if h)
    outside_first = "; ".join(f"{r.mini_label} (outside: {r.outside_names})"
                              for r in not_in_first.sort_values("mini_label").itertuples())
    parents = now[now["parent"]]
    parent_text = "; ".join(f"{r.mini_label} inside {r.multi_label}: {r.share_pct:.0f}% of its "
                            "members are members" for r in parents.itertuples())
    parts = [
        f"Heatmap of {len(minis)} minilaterals with complete membership records (rows) against "
        f"{len(multi_order)} multilaterals with complete records (columns) in {year}: each cell "
        "is the share of the minilateral's members that belong to the multilateral (%), blank "
        "when they share no one; a tick marks a minilateral nested in the multilateral (every "
        "member inside), an outlined cell a parent declared in the forums table. A year slider "
        "changes the year; tooltips name the members outside.",
        f"In {year}, {len(nested_somewhere)} of the {len(minis)} are nested in at least one "
        "multilateral.",
    ]
    if outside_first or missing_first:
        parts.append(f"Not wholly inside the {first_label}: "
                     + "; ".join(filter(None, [outside_first, ", ".join(missing_first)])) + ".")
    if regional:
        parts.append("Nested beyond the " + first_label + ": " + "; ".join(regional) + ".")
    if parent_text:
        parts.append("Declared parents: " + parent_text + ".")
    return " ".join(parts)


def nestedness_chart(cells: pd.DataFrame, mini_order: Sequence[str], multi_order: Sequence[str],
                     start_year: int) -> alt.LayerChart:
    """Heatmap: minilaterals × multilaterals, share of members inside, with a year slider.

    ``mini_order`` and ``multi_order`` are forum_ids in axis order; the slider runs from the
    first year of any cell to the last year covered.
    """
    require_columns(cells, ("minilateral", "multilateral", "mini_label", "multi_label", "mini_name",
                     "multi_name", "year", "until", "members", "inside", "share_pct", "nested",
                     "outside_names", "parent"), "nestedness cells")
    unknown = sorted((set(cells["minilateral"]) - set(mini_order))
                     | (set(cells["multilateral"]) - set(multi_order)))
    if unknown:
        raise ValueError(f"the axis orders lack forum(s) {', '.join(unknown)}")
    first, last = int(cells["year"].min()), int(cells["until"].max()) - 1
    if not first <= start_year <= last:
        raise ValueError(f"start_year {start_year} is outside the cells' years {first}–{last}")
    labels = {**dict(zip(cells["minilateral"], cells["mini_label"], strict=True)),
              **dict(zip(cells["multilateral"], cells["multi_label"], strict=True))}
    y_sort = [labels[m] for m in mini_order if m in labels]
    x_sort = [labels[m] for m in multi_order if m in labels]
    year = alt.param(name="year", value=start_year, bind=alt.binding_range(
        min=first, max=last, step=1, name="Year "))
    # The page carries labels only; full names come from a small lookup table.
    slim = cells[["mini_label", "multi_label", "year", "until", "members", "inside",
                  "share_pct", "nested", "outside_names", "parent"]]
    names = pd.DataFrame({"label": [*cells["mini_label"], *cells["multi_label"]],
                          "name": [*cells["mini_name"], *cells["multi_name"]]}
                         ).drop_duplicates("label")
    base = alt.Chart(slim).transform_filter(
        "datum.year <= year && year < datum.until").transform_lookup(
        lookup="mini_label", from_=alt.LookupData(names, key="label", fields=["name"]),
        as_=["mini_name"]).transform_lookup(
        lookup="multi_label", from_=alt.LookupData(names, key="label", fields=["name"]),
        as_=["multi_name"]).encode(
        x=alt.X("multi_label:N", title="Multilateral", sort=x_sort,
                axis=alt.Axis(labelAngle=-45, orient="top")),
        y=alt.Y("mini_label:N", title="Minilateral", sort=y_sort,
                axis=alt.Axis(labelLimit=170)))
    tooltip = [alt.Tooltip("mini_name:N", title="Minilateral"),
               alt.Tooltip("multi_name:N", title="Multilateral"),
               alt.Tooltip("share_pct:Q", title="Members inside (%)", format=".1f"),
               alt.Tooltip("inside:Q", title="Members inside (count)"),
               alt.Tooltip("members:Q", title="Members of the minilateral (count)"),
               alt.Tooltip("outside_names:N", title="Members outside"),
               alt.Tooltip("parent:N", title="Declared parent (forums table)")]
    heat = base.mark_rect().encode(
        color=alt.Color("share_pct:Q", title="Members inside (%)",
                        scale=alt.Scale(scheme="viridis", domain=[0, 100]),
                        legend=alt.Legend(orient="bottom", gradientLength=220)),
        tooltip=tooltip)
    ticks = base.transform_filter("datum.nested").mark_text(
        text="✓", font=FONT, fontSize=12, fontWeight="bold", color="#1a1a1a").encode(
        tooltip=tooltip)
    frames = base.transform_filter("datum.parent").mark_rect(
        fill=None, stroke=OKABE_ITO[5], strokeWidth=3).encode(tooltip=tooltip)
    return alt.layer(heat, ticks, frames).add_params(year).properties(
        width=alt.Step(22), height=alt.Step(15),
        title=alt.Title("Which minilaterals sit inside which multilaterals?",
                        subtitle=["Forums with complete membership records. Share of each "
                                  "minilateral's members in the multilateral; ✓ = all",
                                  "Outlined: the parent named in the forums table. Move the "
                                  "year."]),
        description=_nested_description(cells, start_year, multi_order))


# --- 2. the case timeline -------------------------------------------------------------------

def event_date(events: pd.DataFrame, event_id: str) -> dt.date:
    """The event's date; a missing month or day is an error (the gap would be a guess)."""
    require_columns(events, ("event_id", "year", "month", "day"), "events table")
    found = events[events["event_id"] == event_id]
    if found.empty:
        raise KeyError(f"no event {event_id!r} in the events table")
    row = found.iloc[0]
    for part in ("month", "day"):
        if pd.isna(row[part]):
            raise ValueError(f"event {event_id!r} has no {part}: its date is not exact")
    return dt.date(int(row["year"]), int(row["month"]), int(row["day"]))


def event_gap(events: pd.DataFrame, first_id: str, second_id: str) -> dict[str, int]:
    """Days and whole months from one dated event to another (negative if the second is first)."""
    first, second = event_date(events, first_id), event_date(events, second_id)
    months = (second.year - first.year) * 12 + second.month - first.month
    if months > 0 and second.day < first.day:
        months -= 1
    elif months < 0 and second.day > first.day:
        months += 1
    return {"days": (second - first).days, "months": months}


def bracket(events: pd.DataFrame, case: str, first_id: str, second_id: str,
            label: str) -> dict[str, object]:
    """One row of the timeline's ``annotations``: a bracket from one event to another."""
    require_columns(events, ("event_id", "year", "month", "day"), "events table")
    rows = events.set_index("event_id")
    unknown = [e for e in (first_id, second_id) if e not in rows.index]
    if unknown:
        raise KeyError(f"no event(s) {', '.join(unknown)} in the events table")
    when = _when(rows.loc[[first_id, second_id]].reset_index())
    return {"case": case, "start": float(when.iloc[0]), "end": float(when.iloc[1]),
            "label": label}


def _when(events: pd.DataFrame) -> pd.Series:
    month = events["month"].astype("Float64").fillna(1.0).astype(float)
    day = events["day"].astype("Float64").fillna(1.0).astype(float)
    return (events["year"].astype(float) + (month - 1) / 12 + (day - 1) / 365).round(3)


def _date_label(row: pd.Series) -> str:
    if pd.isna(row["month"]):
        return f"{int(row['year'])} (month not recorded)"
    month = dt.date(2000, int(row["month"]), 1).strftime("%B")
    day = "" if pd.isna(row["day"]) else f"{int(row['day'])} "
    return f"{day}{month} {int(row['year'])}"


def case_events(events: pd.DataFrame, forums: pd.DataFrame,
                cases: Mapping[str, Mapping[str, Sequence[str]]] = CASES) -> pd.DataFrame:
    """The events of each case: one row per (case, event), dated and labelled for the chart.

    Columns: case, event_id, forum_id, forum (label; ``NO_FORUM`` for an event outside any
    forum), kind, title, description, year, when (year + fraction, for the x axis), date
    (readable). A case naming a forum or event the tables lack is an error.
    """
    require_columns(events, ("event_id", "forum_id", "year", "month", "day", "kind", "title",
                      "description"), "events table")
    labels = forum_labels(forums)
    frames = []
    for case, spec in cases.items():
        wanted = tuple(spec.get("forums", ()))
        unknown = [f for f in wanted if f not in labels]
        missing = [e for e in spec.get("events", ()) if e not in set(events["event_id"])]
        if unknown or missing:
            raise KeyError(f"case {case!r} names unknown forum(s) {unknown} or event(s) "
                           f"{missing}")
        chosen = events[events["forum_id"].isin(wanted)
                        | events["event_id"].isin(tuple(spec.get("events", ())))]
        frames.append(chosen.assign(case=case))
    table = pd.concat(frames, ignore_index=True)
    if table.empty:
        raise ValueError("no events for any case")
    table["forum"] = [labels.get(f, NO_FORUM) if pd.notna(f) else NO_FORUM
                      for f in table["forum_id"]]
    table["when"] = _when(table)
    table["date"] = table.apply(_date_label, axis=1)
    table["description"] = table["description"].fillna("")
    return table[["case", "event_id", "forum_id", "forum", "kind", "title", "description",
                  "year", "when", "date"]].sort_values(["case", "when", "event_id"],
                                                       ignore_index=True)


def _timeline_description(table: pd.DataFrame, start_case: str,
                          annotations: pd.DataFrame | None) -> str:
    counts = table.groupby("case", sort=False).size()
    listed = ", ".join(f"{case} ({n})" for case, n in counts.items())
    shown = table[table["case"] == start_case]
    events_text = "; ".join(f"{r.date}: {r.title} ({r.forum})" for r in shown.itertuples())
    text = (f"Timeline of {len(table)} dated events in {len(counts)} cases, one row per forum, "
            f"the point's colour and shape giving the kind of event: {listed}. A dropdown "
            "chooses the case; clicking a kind in the legend highlights it; tooltips give the "
            f"date, title and description. Shown first, {start_case}: {events_text}.")
    if annotations is not None and len(annotations):
        notes = annotations[annotations["case"] == start_case]
        if len(notes):
            text += " Marked: " + "; ".join(notes["label"]) + "."
    return text


def case_timeline_chart(table: pd.DataFrame, start_case: str,
                        annotations: pd.DataFrame | None = None,
                        changes: pd.DataFrame | None = None,
                        title: str = "Cases of synergy and strain, event by event"
                        ) -> alt.LayerChart:
    """Events of one case at a time (dropdown), by forum; kind legend click; tooltips.

    ``annotations`` (case, start, end, label) draws a bracket between two dates with its label
    (e.g. the months from an announcement to an agreement). ``changes`` (case, forum, when,
    change, count, who) adds membership changes as triangles (the explorer's twin).
    """
    require_columns(table, ("case", "forum", "kind", "title", "description", "when", "date"),
                    "case events table")
    cases = list(dict.fromkeys(table["case"]))
    if start_case not in cases:
        raise ValueError(f"start_case {start_case!r} is not one of the cases: {', '.join(cases)}")
    case = alt.param(name="chosen_case", value=start_case, bind=alt.binding_select(
        options=cases, name="Case "))
    kinds = [k for k in EVENT_KIND_ORDER if k in set(table["kind"])]
    pick = alt.selection_point(fields=["kind"], bind="legend")
    x = alt.X("when:Q", title="Date (calendar year)",
              scale=alt.Scale(zero=False, nice=False, padding=18),
              axis=alt.Axis(format="d", tickMinStep=1))
    rows = table.groupby("forum")["when"].min().sort_values(kind="stable")
    y = alt.Y("forum:N", title="Forum", sort=list(rows.index),
              axis=alt.Axis(labelLimit=160))
    points = alt.Chart(table).transform_filter("datum.case == chosen_case").mark_point(
        size=150, filled=True, stroke="#1a1a1a", strokeWidth=0.6).encode(
        x=x, y=y,
        color=alt.Color("kind:N", title="Kind of event (click to highlight)", sort=kinds,
                        scale=alt.Scale(domain=kinds, range=[EVENT_COLOURS[k] for k in kinds]),
                        legend=alt.Legend(orient="bottom", columns=4, titleLimit=400)),
        shape=alt.Shape("kind:N", sort=kinds, title="Kind of event (click to highlight)",
                        scale=alt.Scale(domain=kinds, range=[EVENT_SHAPES[k] for k in kinds]),
                        legend=alt.Legend(orient="bottom", columns=4, titleLimit=400)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)),
        tooltip=[alt.Tooltip("date:N", title="Date"), alt.Tooltip("forum:N", title="Forum"),
                 alt.Tooltip("kind:N", title="Kind"), alt.Tooltip("title:N", title="Event"),
                 alt.Tooltip("description:N", title="What happened")])
    layers: list[alt.Chart] = []
    if annotations is not None and len(annotations):
        require_columns(annotations, ("case", "start", "end", "label"), "annotations table")
        notes = alt.Chart(annotations).transform_filter("datum.case == chosen_case")
        layers.append(notes.mark_rule(color="#1a1a1a", strokeDash=[4, 3], strokeWidth=1.5)
                      .encode(x=alt.X("start:Q"), x2="end:Q", y=alt.value(-6)))
        layers.append(notes.mark_text(font=FONT, fontSize=12, color="#1a1a1a", dy=-16,
                                      align="center")
                      .transform_calculate(mid="(datum.start + datum.end) / 2")
                      .encode(x=alt.X("mid:Q"), y=alt.value(-6), text="label:N"))
    layers.append(points.add_params(pick))
    if changes is not None and len(changes):
        require_columns(changes, ("case", "forum", "year", "when", "change", "count", "who"),
                        "membership changes table")
        layers.append(alt.Chart(changes).transform_filter("datum.case == chosen_case")
                      .transform_calculate(
                          sign="(datum.change == 'joined' ? '+' : '−') + datum.count")
                      .mark_text(font=FONT, fontSize=11, fontWeight="bold", dy=14,
                                 color="#1a1a1a").encode(
            x=alt.X("when:Q"), y=y, text="sign:N",
            tooltip=[alt.Tooltip("year:Q", title="Year"), alt.Tooltip("forum:N", title="Forum"),
                     alt.Tooltip("change:N", title="Membership change"),
                     alt.Tooltip("count:Q", title="Members (count)"),
                     alt.Tooltip("who:N", title="Who")]))
    subtitle = "Choose a case; hover a point for the event" + (
        "; +n / −n under a row: members joining / leaving" if changes is not None and len(changes)
        else "")
    return alt.layer(*layers).add_params(case).properties(
        width=520, height=alt.Step(40),
        title=alt.Title(title, subtitle=subtitle),
        description=_timeline_description(table, start_case, annotations))
