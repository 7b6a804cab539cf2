"""Chapter 8 figures and explorer: the tables behind them (hand-made and fixture data), the
charts' titles, descriptions and axis titles, and that every bound input and the legend click
change the rendered chart (vl-convert)."""

from __future__ import annotations

import re
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import pytest
from spec_tools import _walk, bound, set_param, svg, titles

from minilat.dataset.fixture import write_fixture
from minilat.explorers.ch08_cases import (
    build_panel,
    case_report_html,
    case_tables,
    membership_changes,
    twin_chart,
)
from minilat.figures.ch08_synergy import (
    CASES,
    NO_FORUM,
    bracket,
    case_events,
    case_timeline_chart,
    cells_in,
    event_date,
    event_gap,
    forum_labels,
    named,
    nestedness_cells,
    nestedness_chart,
)
from minilat.models.nestedness import nestedness_table

FORUMS = pd.DataFrame({
    "forum_id": ["big", "club", "sub", "far", "coe", "concert"],
    "name": ["Big Union", "Club", "Sub Group", "Far Away", "Council", "Concert"],
    "abbreviation": ["BU", None, "SG", "FA", "CoE", "CoE"],
    "parent_id": [None, None, "big", None, None, None],
    "kind": ["multilateral", "minilateral", "minilateral", "multilateral", "multilateral",
             "minilateral"],
})
NAMES = {"A": "Aland", "B": "Bland", "C": "Cland"}
# 2000–2001: club = {A, B} inside big; 2002 on: C joins club but not big.
SETS = {
    2000: {"big": {"A", "B"}, "far": {"B"}, "club": {"A", "B"}, "sub": {"A"}},
    2001: {"big": {"A", "B"}, "far": {"B"}, "club": {"A", "B"}, "sub": {"A"}},
    2002: {"big": {"A", "B"}, "far": {"B"}, "club": {"A", "B", "C"}, "sub": {"A"}},
}
EVENTS = pd.DataFrame({
    "event_id": ["e1", "e2", "e3", "e4"],
    "forum_id": ["big", None, "club", "club"],
    "year": [2014, 2014, 2015, 2016], "month": [11, 11, 12, None], "day": [12, 12, 12, None],
    "kind": ["agreement", "announcement", "founding", "summit"],
    "title": ["Big deal", "Two leaders", "Club founded", "Club summit"],
    "description": ["d1", None, "d3", "d4"],
})
TEST_CASES = {"Treaty": {"forums": ("big",), "events": ("e2",)},
              "Club": {"forums": ("club",), "events": ()}}


# --- helpers and tables ---------------------------------------------------------------------

def test_labels_and_names() -> None:
    labels = forum_labels(FORUMS)
    assert labels["club"] == "Club" and labels["sub"] == "SG"
    assert labels["coe"] == "CoE (coe)" and labels["concert"] == "CoE (concert)"
    assert named(["C", "A"], NAMES) == "Aland, Cland"
    assert named(["C", "A", "B"], NAMES, shown=2) == "Aland, Bland … and 1 more"


def test_nestedness_cells_collapse_runs_and_drop_empty_cells() -> None:
    table = nestedness_table(SETS, ["club", "sub"], ["big", "far"])
    cells = nestedness_cells(table, FORUMS, NAMES)
    club_big = cells[(cells["minilateral"] == "club") & (cells["multilateral"] == "big")]
    # one run 2000–2001 (nested), one from 2002 (C outside)
    assert club_big[["year", "until", "inside", "members", "share_pct", "nested"]
                    ].values.tolist() == [[2000, 2002, 2, 2, 100.0, True],
                                          [2002, 2003, 2, 3, 66.7, False]]
    assert club_big["outside_names"].tolist() == ["none", "Cland"]
    # sub and far share no one: no cell at all
    assert cells[(cells["minilateral"] == "sub") & (cells["multilateral"] == "far")].empty
    # the declared parent is marked; labels come from the forums involved only
    sub_big = cells[(cells["minilateral"] == "sub") & (cells["multilateral"] == "big")]
    assert sub_big["parent"].tolist() == [True] and not club_big["parent"].any()
    assert set(cells["multi_label"]) == {"BU", "FA"}
    # club–big, club–far (B) and sub–big hold in both years
    assert len(cells_in(cells, 2001)) == 3 and len(cells_in(cells, 2002)) == 3
    assert cells_in(cells, 2002)["share_pct"].tolist().count(66.7) == 1


def test_nestedness_cells_errors() -> None:
    table = nestedness_table(SETS, ["club"], ["big"])
    with pytest.raises(ValueError, match="lacks column\\(s\\) outside"):
        nestedness_cells(table.drop(columns="outside"), FORUMS, NAMES)
    with pytest.raises(ValueError, match="no rows"):
        nestedness_cells(table.iloc[0:0], FORUMS, NAMES)


def test_event_gap_by_hand() -> None:
    assert str(event_date(EVENTS, "e1")) == "2014-11-12"
    # 12 Nov 2014 → 12 Dec 2015: 13 months, 395 days (no leap day in between)
    assert event_gap(EVENTS, "e1", "e3") == {"days": 395, "months": 13}
    assert event_gap(EVENTS, "e3", "e1") == {"days": -395, "months": -13}
    with pytest.raises(ValueError, match="e4.* no month"):
        event_date(EVENTS, "e4")
    with pytest.raises(KeyError, match="no event 'zz'"):
        event_date(EVENTS, "zz")


def test_event_gap_counts_whole_months_only() -> None:
    events = EVENTS.assign(month=[1, 1, 3, None], day=[31, 31, 30, None], year=[2015] * 4)
    assert event_gap(events, "e1", "e3") == {"days": 58, "months": 1}  # 31 Jan → 30 Mar


def test_bracket_spans_two_events() -> None:
    row = bracket(EVENTS, "Treaty", "e1", "e3", "13 months")
    assert row["case"] == "Treaty" and row["label"] == "13 months"
    assert row["start"] == pytest.approx(2014 + 10 / 12 + 11 / 365, abs=1e-3)
    assert row["end"] == pytest.approx(2015 + 11 / 12 + 11 / 365, abs=1e-3)
    with pytest.raises(KeyError, match="no event\\(s\\) zz"):
        bracket(EVENTS, "Treaty", "e1", "zz", "x")


def test_case_events() -> None:
    table = case_events(EVENTS, FORUMS, TEST_CASES)
    treaty = table[table["case"] == "Treaty"]
    assert treaty["event_id"].tolist() == ["e1", "e2"]
    assert treaty["forum"].tolist() == ["BU", NO_FORUM]
    assert treaty["date"].tolist() == ["12 November 2014", "12 November 2014"]
    assert treaty["description"].tolist() == ["d1", ""]
    club = table[table["case"] == "Club"].set_index("event_id")
    assert club.loc["e4", "date"] == "2016 (month not recorded)"
    assert club.loc["e3", "when"] == pytest.approx(2015 + 11 / 12 + 11 / 365, abs=1e-3)
    with pytest.raises(KeyError, match="unknown forum\\(s\\) \\['nope'\\]"):
        case_events(EVENTS, FORUMS, {"Bad": {"forums": ("nope",)}})


def test_membership_changes_by_hand() -> None:
    spells = pd.DataFrame({"forum_id": ["club"] * 4, "member": ["A", "B", "C", "A"],
                           "role": ["member", "member", "member", "observer"],
                           "joined": [2000, 2000, 2002, 1999], "left": [None, 2004, None, None]})
    changes = membership_changes(spells, FORUMS, NAMES, TEST_CASES)
    assert changes[["year", "change", "count", "who"]].values.tolist() == [
        [2000, "joined", 2, "founding members: Aland, Bland"],
        [2002, "joined", 1, "Cland"],
        [2004, "left", 1, "Bland"]]
    assert set(changes["case"]) == {"Club"}  # "big" has no spells


# --- charts ---------------------------------------------------------------------------------

def test_nestedness_chart_text_axes_and_slider() -> None:
    cells = nestedness_cells(nestedness_table(SETS, ["club", "sub"], ["big", "far"]), FORUMS,
                             NAMES)
    spec = nestedness_chart(cells, ["club", "sub"], ["big", "far"], 2002).to_dict()
    assert spec["title"]["text"] == "Which minilaterals sit inside which multilaterals?"
    description = spec["description"]
    assert "Heatmap of 2 minilaterals" in description and "in 2002" in description
    assert "In 2002, 1 of the 2 are nested in at least one multilateral." in description
    assert "Not wholly inside the BU: Club (outside: Cland)." in description
    assert "Declared parents: SG inside BU: 100% of its members are members." in description
    # the reference column is the one that holds most minilaterals whole, not the first one
    other = nestedness_chart(cells, ["club", "sub"], ["far", "big"], 2002).to_dict()
    assert "Not wholly inside the BU: Club (outside: Cland)." in other["description"]
    assert titles(spec, "x") == {"Multilateral"} and titles(spec, "y") == {"Minilateral"}
    assert titles(spec, "color") == {"Members inside (%)"}
    assert bound(spec)["year"]["bind"] == {"input": "range", "min": 2000, "max": 2002,
                                           "step": 1, "name": "Year "}
    before, after = svg(set_param(spec, "year", 2001)), svg(set_param(spec, "year", 2002))
    assert before != after
    ticks = r">✓</text>"  # the tick marks themselves, not the subtitle
    assert len(re.findall(ticks, before)) == 2 and len(re.findall(ticks, after)) == 1


def test_nestedness_chart_errors() -> None:
    cells = nestedness_cells(nestedness_table(SETS, ["club"], ["big"]), FORUMS, NAMES)
    with pytest.raises(ValueError, match="lack forum\\(s\\) club"):
        nestedness_chart(cells, [], ["big"], 2001)
    with pytest.raises(ValueError, match="start_year 1999 is outside"):
        nestedness_chart(cells, ["club"], ["big"], 1999)


def test_case_timeline_dropdown_legend_and_annotation() -> None:
    table = case_events(EVENTS, FORUMS, TEST_CASES)
    notes = pd.DataFrame({"case": ["Treaty"], "start": [2014.9], "end": [2015.9],
                          "label": ["13 months to the deal"]})
    spec = case_timeline_chart(table, "Treaty", notes).to_dict()
    assert spec["title"]["text"] == "Cases of synergy and strain, event by event"
    assert "Timeline of 4 dated events in 2 cases" in spec["description"]
    assert "Shown first, Treaty: 12 November 2014: Big deal (BU)" in spec["description"]
    assert "Marked: 13 months to the deal." in spec["description"]
    assert titles(spec, "x") == {"Date (calendar year)"} and titles(spec, "y") == {"Forum"}
    assert bound(spec)["chosen_case"]["bind"]["input"] == "select"
    treaty, club = svg(spec), svg(set_param(spec, "chosen_case", "Club"))
    assert treaty != club
    assert "13 months to the deal" in treaty and "13 months to the deal" not in club
    # a legend click on a kind fades the other kinds' points
    legend = [p for node in _walk(spec) for p in node.get("params", [])
              if isinstance(p, dict) and p.get("bind") == "legend"]
    assert len(legend) == 1
    picked = svg(set_param(spec, legend[0]["name"], [{"kind": "agreement"}]))
    assert len(re.findall(r'opacity="0.15"', picked)) == 1 and 'opacity="0.15"' not in treaty
    with pytest.raises(ValueError, match="start_case 'Nope'"):
        case_timeline_chart(table, "Nope")


# --- explorer on the fixture dataset --------------------------------------------------------

FIXTURE_CASES = {"Quad": {"forums": ("quad",), "events": ()},
                 "G7": {"forums": ("g7",), "events": ()}}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("ch08"))


def test_case_report_on_fixture(data: Path) -> None:
    case_table, changes = case_tables(FIXTURE_CASES, data)
    quad = changes[changes["case"] == "Quad"]
    # 2007 four join, 2008 four leave (the lapse), 2017 four join again
    assert quad[["year", "change", "count"]].values.tolist() == [
        [2007, "joined", 4], [2008, "left", 4], [2017, "joined", 4]]
    text = case_report_html("Quad", 2010, case_table, changes)
    assert "up to 2010: 0 events and 2 membership changes" in text and "−4 members" in text
    assert "revival" in case_report_html("Quad", 2020, case_table, changes)
    with pytest.raises(ValueError, match="no case 'X'"):
        case_report_html("X", 2020, case_table, changes)


def test_live_panel_reacts(data: Path) -> None:
    panel = build_panel("Quad", FIXTURE_CASES, data)
    controls, output = panel.children
    picker, year = controls.children
    assert isinstance(picker, widgets.Dropdown) and isinstance(year, widgets.IntSlider)
    before = output.value
    picker.value = "G7"
    assert output.value != before and "First leaders" not in before
    picker.value = "Quad"
    year.value = year.min  # 1975: nothing has happened to the Quad yet
    assert "Nothing recorded yet" in output.value


def test_twin_chart_on_fixture(data: Path) -> None:
    spec = twin_chart("Quad", cases=FIXTURE_CASES, data_dir=data).to_dict()
    assert spec["title"]["text"] and spec["description"]
    assert bound(spec)["chosen_case"]["bind"]["input"] == "select"
    quad, g7 = svg(spec), svg(set_param(spec, "chosen_case", "G7"))
    assert quad != g7
    assert "−4" in quad and "+6" in g7  # the lapse; the six founders of 1975


def test_default_cases_name_real_forums() -> None:
    from minilat.dataset import events, forums

    table = case_events(events(), forums())
    assert set(table["case"]) == set(CASES)
    climate = table[table["case"] == "Climate"]
    assert "us_china_climate_announcement" in set(climate["event_id"])
