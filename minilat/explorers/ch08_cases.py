"""Chapter 8 explorer: pick a case (the Quad, Lancang-Mekong, RCEP, the climate regime, …) and
follow its events and membership changes over time.

``build_panel()`` is the live ipywidgets panel: a case dropdown and a year slider; for the case
it lists every event up to that year (events table) and every member joining or leaving
(memberships table). ``twin_chart()`` is its kernel-free twin for the site: the chapter's case
timeline with a case dropdown, with the membership changes added as +n / −n marks.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from minilat.dataset import countries, events, forums, memberships
from minilat.dataset.load import PathLike
from minilat.figures.ch08_synergy import (
    CASES,
    case_events,
    case_timeline_chart,
    forum_labels,
    named,
)


def membership_changes(spells: pd.DataFrame, forum_table: pd.DataFrame,
                       member_names: Mapping[str, str],
                       cases: Mapping[str, Mapping[str, Sequence[str]]] = CASES) -> pd.DataFrame:
    """Members joining and leaving each case's forums, one row per (case, forum, year, change).

    Columns: case, forum_id, forum (label), year, when (mid-year, for the timeline), change
    ("joined" or "left"), count, who (names; the first year's joiners are the founding members).
    Only role ``member`` counts. A forum without recorded spells has no rows.
    """
    missing = [c for c in ("forum_id", "member", "role", "joined", "left")
               if c not in spells.columns]
    if missing:
        raise ValueError(f"memberships table lacks column(s) {', '.join(missing)}")
    labels = forum_labels(forum_table)
    members_only = spells[spells["role"] == "member"]
    rows = []
    for case, spec in cases.items():
        for forum_id in spec.get("forums", ()):
            mine = members_only[members_only["forum_id"] == forum_id]
            if mine.empty:
                continue
            first_year = int(mine["joined"].min())
            for change, column in (("joined", "joined"), ("left", "left")):
                dated = mine[mine[column].notna()]
                for year, part in dated.groupby(column, sort=True):
                    who = named(list(part["member"]), member_names)
                    if change == "joined" and int(year) == first_year:
                        who = f"founding members: {who}"
                    rows.append({"case": case, "forum_id": forum_id,
                                 "forum": labels[forum_id], "year": int(year),
                                 "when": int(year) + 0.5, "change": change,
                                 "count": len(part), "who": who})
    columns = ["case", "forum_id", "forum", "year", "when", "change", "count", "who"]
    return pd.DataFrame(rows, columns=columns).sort_values(
        ["case", "year", "forum", "change"], ignore_index=True)


def case_report_html(case: str, year: int, case_table: pd.DataFrame,
                     changes: pd.DataFrame) -> str:
    """The live panel's text: the case's events and membership changes up to ``year``."""
    if case not in set(case_table["case"]):
        raise ValueError(f"no case {case!r}; cases: {', '.join(dict.fromkeys(case_table['case']))}")
    shown = case_table[(case_table["case"] == case) & (case_table["year"] <= year)]
    moved = changes[(changes["case"] == case) & (changes["year"] <= year)]
    merged = [(float(r.when), f"<b>{html.escape(r.date)}</b> · {html.escape(r.forum)} · "
                              f"<i>{html.escape(str(r.kind))}</i>: {html.escape(r.title)}")
              for r in shown.itertuples()]
    merged += [(float(r.when), f"<b>{r.year}</b> · {html.escape(r.forum)} · "
                               f"<i>{'+' if r.change == 'joined' else '−'}{r.count} "
                               f"member{'' if r.count == 1 else 's'}</i>: {html.escape(r.who)}")
               for r in moved.itertuples()]
    merged.sort(key=lambda item: item[0])
    head = (f"<p><b>{html.escape(case)}</b> up to {year}: {len(shown)} event"
            f"{'' if len(shown) == 1 else 's'} and {len(moved)} membership change"
            f"{'' if len(moved) == 1 else 's'}.</p>")
    if not merged:
        return head + "<p>Nothing recorded yet.</p>"
    return head + "<ul>" + "".join(f"<li>{text}</li>" for _, text in merged) + "</ul>"


Cases = Mapping[str, Mapping[str, Sequence[str]]]


def case_tables(cases: Cases = CASES,
                data_dir: PathLike = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cases' events (``case_events``) and membership changes, from the dataset."""
    forum_table = forums(data_dir)
    names = dict(zip(countries(data_dir)["code"], countries(data_dir)["name"], strict=True))
    return (case_events(events(data_dir), forum_table, cases),
            membership_changes(memberships(data_dir), forum_table, names, cases))


def build_panel(start_case: str = "Climate", cases: Cases = CASES,
                data_dir: PathLike = None) -> Any:
    """The live panel: choose a case and a year; read what happened up to then."""
    import ipywidgets as widgets

    case_table, changes = case_tables(cases, data_dir)
    cases = list(dict.fromkeys(case_table["case"]))
    if start_case not in cases:
        raise ValueError(f"start_case {start_case!r} is not one of {', '.join(cases)}")
    first = int(min(case_table["year"].min(), changes["year"].min() if len(changes) else 9999))
    last = int(max(case_table["year"].max(), changes["year"].max() if len(changes) else 0))
    picker = widgets.Dropdown(options=cases, value=start_case, description="Case")
    year = widgets.IntSlider(value=last, min=first, max=last, step=1, description="Up to",
                             continuous_update=True)
    output = widgets.HTML(case_report_html(start_case, last, case_table, changes))

    def update(_change: dict[str, Any]) -> None:
        output.value = case_report_html(picker.value, int(year.value), case_table, changes)

    picker.observe(update, names="value")
    year.observe(update, names="value")
    return widgets.VBox([widgets.HBox([picker, year]), output])


def twin_chart(start_case: str = "Climate", annotations: pd.DataFrame | None = None,
               cases: Cases = CASES, data_dir: PathLike = None) -> alt.LayerChart:
    """The kernel-free twin: the case timeline with a dropdown, plus membership changes."""
    case_table, changes = case_tables(cases, data_dir)
    return case_timeline_chart(case_table, start_case, annotations, changes,
                               title="A case's events and members over time")
