"""Chapter 4 figures and explorer: tables worked by hand, chart text and axes, bound inputs that
change the rendered SVG (vl-convert), and the live panel reacting to its controls."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd
import pytest
import vl_convert as vlc
from spec_tools import _walk, axis_titles
from spec_tools import set_param as with_param

from minilat.explorers.ch04_critical_mass import (
    build_panel,
    coalition_table,
    summary_html,
    twin_chart,
)
from minilat.figures.ch04_minilateral import (
    calculator_table,
    coverage_chart,
    critical_mass_chart,
    frontier_table,
    lcd_chart,
    member_list,
    provision_chart,
    provision_table,
)
from minilat.models.critical_mass import TargetUnreachable, critical_mass, smallest_coalition
from minilat.models.group_size import provision_grid
from minilat.models.lowest_common_denominator import outcome_grid

# --- helpers ---------------------------------------------------------------------------------


def bound_params(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for node in _walk(spec) for p in node.get("params", [])
            if isinstance(p, dict) and "bind" in p and isinstance(p["bind"], dict)
            and "input" in p["bind"]}


def check_text(spec: dict[str, Any]) -> None:
    title = spec["title"]["text"] if isinstance(spec["title"], dict) else spec["title"]
    assert title and spec["description"]
    assert axis_titles(spec, "x") and axis_titles(spec, "y")
    assert all("(" in t for t in axis_titles(spec, "x") + axis_titles(spec, "y")), \
        "axis titles name their unit in brackets"


# --- small hand-made inputs ------------------------------------------------------------------

GRID = pd.DataFrame({
    "indicator": ["co2", "co2", "gdp", "gdp"],
    "target": [0.5, 0.9, 0.5, 0.9],
    "reachable": [True, False, True, True],
    "size": pd.array([2, None, 1, 3], dtype="Int64"),
    "share": pd.array([0.8, None, 0.6, 0.95], dtype="Float64"),
    "members": ["AAA;BBB", "", "BBB", "BBB;AAA;CCC"],
})
RANKING = pd.DataFrame({
    "indicator": ["co2"] * 3 + ["gdp"] * 3,
    "rank": [1, 2, 3, 1, 2, 3],
    "code": ["AAA", "BBB", "CCC", "BBB", "AAA", "CCC"],
    "name": ["Aland", "Bland", "Cland", "Bland", "Aland", "Cland"],
    "share": [0.5, 0.3, 0.05, 0.6, 0.3, 0.05],
    "cumulative": [0.5, 0.8, 0.85, 0.6, 0.9, 0.95],
})
FORUMS = pd.DataFrame({
    "forum_id": ["g7", "g7", "brics", "brics"],
    "indicator": ["co2", "gdp", "co2", "gdp"],
    "members": [2, 2, 3, 3], "state_members": [2, 2, 3, 3],
    "coverage": [0.55, 0.9, 0.85, 0.95], "smallest": [2, 2, 3, 3],
})


def test_member_list_truncates() -> None:
    assert member_list(["A", "B"]) == "A, B"
    assert member_list([f"C{i}" for i in range(13)], listed=10).endswith("C9 + 3 more")
    assert member_list([f"C{i}" for i in range(7)]) == "C0, C1, C2, C3, C4, C5 + 1 more"


def test_calculator_table_by_hand() -> None:
    table = calculator_table(GRID).set_index(["indicator", "target_pct"])
    assert table.at[("co2", 50), "headline"] == "2 countries hold 80.0% of world CO₂ emissions"
    assert table.at[("co2", 50), "names"] == "AAA, BBB"
    assert table.at[("gdp", 50), "headline"] == "1 country holds 60.0% of world GDP"
    assert table.at[("co2", 90), "headline"] == "No coalition reaches 90% of world CO₂ emissions"
    with pytest.raises(KeyError, match="members"):
        calculator_table(GRID.drop(columns="members"))


def test_frontier_before_marks_the_greedy_coalition() -> None:
    table = frontier_table(RANKING)
    co2 = table[table["indicator"] == "co2"]
    assert co2["before_pct"].tolist() == pytest.approx([0, 50, 80])
    # target 60 %: countries whose predecessors hold < 60 % are AAA and BBB, as greedy says
    values = pd.Series({"AAA": 50.0, "BBB": 30.0, "CCC": 5.0})
    greedy = smallest_coalition(values, 0.6, total=100.0)
    assert co2.loc[co2["before_pct"] < 60, "code"].tolist() == list(greedy.members)


def test_calculator_chart_text_axes_and_inputs() -> None:
    spec = critical_mass_chart(GRID, RANKING, FORUMS, {"g7": "Group of Seven"},
                               start=("co2", 50)).to_dict()
    check_text(spec)
    assert "2 for CO₂ emissions; 1 for GDP" in spec["description"]
    assert "G7: 2 states hold 55%, which the calculator reaches with 2" in \
        spec["description"]
    params = bound_params(spec)
    assert set(params) == {"indicator", "target"}
    assert params["target"]["bind"]["min"] == 50 and params["target"]["bind"]["max"] == 90
    base = vlc.vegalite_to_svg(spec)
    assert vlc.vegalite_to_svg(with_param(spec, "target", 90)) != base
    assert vlc.vegalite_to_svg(with_param(spec, "indicator", "gdp")) != base
    with pytest.raises(ValueError, match="start"):
        critical_mass_chart(GRID, RANKING, FORUMS, start=("co2", 55))


def test_coverage_chart_text() -> None:
    spec = coverage_chart(FORUMS, {"g7": "Group of Seven", "brics": "BRICS"}).to_dict()
    check_text(spec)
    assert "2 minilateral forums (G7, BRICS)" in spec["description"]
    assert "The largest share is BRICS's 95% of world GDP" in spec["description"]
    assert "smallest forum holding at least half of the world on some indicator is G7" in \
        spec["description"]


def test_provision_chart_text_axes_and_slider() -> None:
    grid = provision_grid(sizes=range(1, 21))
    long = provision_table(grid)
    assert len(long) == 2 * len(grid)
    spec = provision_chart(grid).to_dict()
    check_text(spec)
    # by hand (V = 10): a lone member buys 9; rival goods stop from n = 10 (10/n ≤ 1).
    assert "A lone member provides 9 units" in spec["description"]
    assert "stops from 10 members on" in spec["description"]
    assert set(bound_params(spec)) == {"crowding"}
    assert vlc.vegalite_to_svg(with_param(spec, "crowding", 1.0)) != vlc.vegalite_to_svg(spec)


def test_lcd_chart_text_axes_and_dropdown() -> None:
    grid = outcome_grid(sizes=[1, 2, 3, 5, 7, 9])
    spec = lcd_chart(grid, {"G7": 7}).to_dict()
    check_text(spec)
    # evenly spread: consensus of 7 is 1/8, majority of 7 is 1/2
    assert "G7 (7): 0.12 by consensus, 0.50 by majority" in spec["description"]
    params = bound_params(spec)
    assert set(params) == {"preferences"}
    assert vlc.vegalite_to_svg(with_param(spec, "preferences", "mostly cautious")) != \
        vlc.vegalite_to_svg(spec)
    with pytest.raises(ValueError, match="preferences"):
        lcd_chart(grid, {"G7": 7}, start="hopeful")


# --- explorer --------------------------------------------------------------------------------

def test_coalition_table_and_summary_by_hand() -> None:
    values = pd.Series({"AAA": 50.0, "BBB": 30.0, "CCC": 15.0})
    found = smallest_coalition(values, 0.6, total=100.0)
    table = coalition_table(found, values, 100.0, {"AAA": "Aland", "BBB": "Bland"})
    assert table["name"].tolist() == ["Aland", "Bland"]
    assert table["running_pct"].tolist() == pytest.approx([50, 80])
    text = summary_html("co2", 60, found, table, FORUMS[FORUMS["indicator"] == "co2"], ["ZZZ"])
    assert "<b>2</b> countries reach 60% of world CO₂ emissions (together 80.0%)" in text
    assert "G7: 2 states hold 55.0%; the calculator needs 2" in text
    assert "left out: ZZZ" in text
    empty = smallest_coalition(values, 0.0, total=100.0)
    assert "no country" in summary_html("co2", 0, empty, coalition_table(
        empty, values, 100.0, {}), FORUMS.iloc[:0], [])


@pytest.mark.filterwarnings("ignore::minilat.dataset.query.MissingDataWarning")
def test_live_panel_reacts_to_its_controls() -> None:
    panel = build_panel()
    assert isinstance(panel, widgets.Widget)
    indicator, target = panel.children[0].children
    output = panel.children[1]
    expected = critical_mass("co2", 0.5).size
    assert f"<b>{expected}</b> countr" in output.value
    target.value = 80
    assert f"<b>{critical_mass('co2', 0.8).size}</b> countries reach 80%" in output.value
    indicator.value = "population"
    assert "of world population" in output.value
    target.value = 100
    try:
        critical_mass("population", 1.0)
    except TargetUnreachable:
        assert "No coalition reaches 100%" in output.value
    else:
        assert "reach 100% of world population" in output.value
    target.value = 0
    assert "no country" in output.value


@pytest.mark.filterwarnings("ignore::minilat.dataset.query.MissingDataWarning")
def test_twin_is_the_calculator_on_the_real_grid() -> None:
    spec = twin_chart().to_dict()
    check_text(spec)
    assert set(bound_params(spec)) == {"indicator", "target"}
    assert f"{critical_mass('co2', 0.5).size} for CO₂ emissions" in spec["description"]
