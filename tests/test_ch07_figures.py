"""Chapter 7 figures and explorer: the tables behind the charts (hand-made data), the charts'
titles, descriptions and axis titles, and that every bound input changes the rendered chart."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from spec_tools import bound, set_param, svg

from minilat.explorers.ch07_design import build_panel, summary_html
from minilat.figures.ch07_legitimacy import (
    candidates_table,
    design_key,
    designer_chart,
    designer_table,
    left_out_chart,
    left_out_table,
    representation_chart,
    representation_table,
)
from minilat.models.inclusive_minilateral import (
    candidates,
    critical_mass_group,
    design,
    design_grid,
    profile,
    rankings,
    representation,
)

COUNTRIES = pd.DataFrame({
    "code": ["BIG", "RICH", "DIRTY", "MID", "POOR", "ISLE", "ORG"],
    "name": ["Big", "Rich", "Dirty", "Mid", "Poor", "Isle", "Org"],
    "entity_type": ["state"] * 6 + ["organisation"],
    "gdp_musd": [500.0, 300.0, 100.0, 50.0, 10.0, 40.0, None],
    "co2_mt": [40.0, 5.0, 45.0, 8.5, 1.0, 0.5, None],
    "population": [30.0, 5.0, 50.0, 10.0, 4.0, 1.0, None],
    "ldc": [False, False, False, False, True, False, None],
    "sids": [False, False, False, False, False, True, None],
})
TOTALS = {"gdp": 1000.0, "co2": 100.0, "population": 100.0}
FORUMS = pd.DataFrame({"forum_id": ["club", "wide", "gone"],
                       "kind": ["minilateral", "multilateral", "minilateral"],
                       "status": ["active", "active", "active"]})
SETS = {"club": ["BIG", "RICH", "ORG"], "wide": ["BIG", "RICH", "DIRTY", "POOR", "ISLE"]}
LABELS = {"club": "Club", "wide": "Wide"}


def _walk(node: Any) -> list[dict[str, Any]]:
    if not isinstance(node, dict):
        return []
    found = [node]
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in node.get(key, []):
            found += _walk(child)
    return found


def titles(spec: dict[str, Any], channel: str) -> set[str]:
    return {node["encoding"][channel]["title"] for node in _walk(spec)
            if isinstance(node.get("encoding"), dict) and channel in node["encoding"]
            and node["encoding"][channel].get("title")}


@pytest.fixture(scope="module")
def rep() -> pd.DataFrame:
    return representation(FORUMS, SETS, COUNTRIES, TOTALS)


# --- the representation table (model) and its charts ---------------------------------------

def test_representation_by_hand(rep: pd.DataFrame) -> None:
    assert rep["forum_id"].tolist() == ["club", "wide"]  # "gone" has no members: skipped
    club = rep.set_index("forum_id").loc["club"]
    assert (club["members"], club["state_members"]) == (3, 2)  # ORG is not a state
    assert club["co2"] == pytest.approx(0.45) and club["population"] == pytest.approx(0.35)
    assert club["gdp"] == pytest.approx(0.8)
    wide = rep.set_index("forum_id").loc["wide"]
    assert (wide["ldc"], wide["sids"], wide["ldc_total"], wide["sids_total"]) == (1, 1, 1, 1)


def test_representation_rejects_unknown_members() -> None:
    with pytest.raises(KeyError, match="club.*XXX"):
        representation(FORUMS, {"club": ["XXX"]}, COUNTRIES, TOTALS)
    with pytest.raises(KeyError, match="status"):
        representation(FORUMS.drop(columns="status"), SETS, COUNTRIES, TOTALS)


def test_representation_chart(rep: pd.DataFrame) -> None:
    long = representation_table(rep, LABELS)
    assert len(long) == 2 * 3
    assert long.set_index(["forum_id", "indicator"]).at[("club", "gdp"), "share_pct"] == 80.0
    spec = representation_chart(rep, LABELS).to_dict()
    assert spec["title"]["text"] == "Whom does each forum represent?"
    assert "2 living forums" in spec["description"]
    assert "1 multilateral and 1 minilateral" in spec["description"]
    assert "world GDP: Club, 80% with 2 states" in spec["description"]
    assert titles(spec, "x") == {"State members (count, log scale)"}
    assert titles(spec, "y") == {"Share of the world total held (%)"}
    assert bound(spec)["indicator"]["bind"]["input"] == "select"
    assert svg(set_param(spec, "indicator", "gdp")) != svg(set_param(spec, "indicator", "co2"))
    with pytest.raises(ValueError, match="start"):
        representation_chart(rep, LABELS, start="votes")


def test_left_out_table_by_hand(rep: pd.DataFrame) -> None:
    table = left_out_table(rep, LABELS).set_index(["forum_id", "row", "side"])
    assert table.at[("club", "World population", "inside"), "share_pct"] == 35.0
    assert table.at[("club", "World population", "outside"), "share_pct"] == 65.0
    assert table.at[("club", "World population", "outside"), "text"] == "65%"
    ldc = "Least developed countries (1 in all)"
    assert table.at[("club", ldc, "outside"), "count"] == 1
    assert table.at[("wide", ldc, "inside"), "share_pct"] == 100.0
    assert table.at[("wide", ldc, "inside"), "text"] == "1"


def test_left_out_chart(rep: pd.DataFrame) -> None:
    spec = left_out_chart(rep, LABELS, start="club").to_dict()
    assert spec["title"]["text"] == "Who is left out?"
    assert "Shown first: Club, whose states hold 35% of the world's people, so 65% live " \
           "outside it; it has 0 of 1 LDCs and 0 of 1 SIDS" in spec["description"]
    assert "1 of the 1 minilaterals shown count no LDC and no SIDS" in spec["description"]
    assert titles(spec, "x") == {"Share of the world's people, LDCs or SIDS (%)"}
    assert bound(spec)["forum"]["bind"]["options"] == ["wide", "club"]  # multilaterals first
    assert svg(set_param(spec, "forum", "club")) != svg(set_param(spec, "forum", "wide"))
    with pytest.raises(ValueError, match="nowhere"):
        left_out_chart(rep, LABELS, start="nowhere")


# --- the designer --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def grid() -> pd.DataFrame:
    return design_grid(COUNTRIES, rankings(COUNTRIES), TOTALS, k_max=2)


def test_design_key_is_one_to_one() -> None:
    keys = {design_key(a, b, c, 2) for a in range(3) for b in range(3) for c in range(3)}
    assert keys == set(range(27))


def test_designer_table(grid: pd.DataFrame) -> None:
    table = designer_table(grid).set_index(["design", "group"])
    row = table.loc[(design_key(2, 2, 1, 2), "inclusive")]
    assert (row["size"], row["overlap"], row["vulnerable"]) == (4, 1, 1)
    assert row["co2"] == 91.0 and row["pop"] == 89.0 and row["gdp"] == 91.0
    assert table.loc[(design_key(2, 2, 1, 2), "critical mass"), "co2"] == 98.5


def test_candidates_table_long_form() -> None:
    long = candidates_table(candidates(rankings(COUNTRIES), COUNTRIES, k_max=2))
    assert len(long) == 6  # 2 ranks on each of three lists
    big = long[long["code"] == "BIG"].set_index("list")["rank"].to_dict()
    assert big == {"capable": 1, "responsible": 2}


def test_designer_chart(grid: pd.DataFrame) -> None:
    spec = designer_chart(grid, candidates(rankings(COUNTRIES), COUNTRIES, k_max=2),
                          start=(2, 2, 1)).to_dict()
    assert spec["title"]["text"] == "Design an inclusive minilateral"
    text = spec["description"]
    assert "2 capable, 2 responsible and 1 vulnerable give 4 members (1 seat saved by overlaps), holding 91%" in text
    assert "holding 91% of world CO₂" in text and "hold 98% of CO₂" in text
    assert "With all three sliders at 2 the group has 5 members" in text
    assert titles(spec, "x") >= {"Share of the world total held (%)",
                                 "Ranked list (rank in the circle)"}
    sliders = bound(spec)
    assert set(sliders) == {"k_capable", "k_responsible", "k_vulnerable"}
    assert all(s["bind"]["input"] == "range" and s["bind"]["max"] == 2 for s in sliders.values())
    first = svg(spec)
    for name in sliders:
        assert svg(set_param(spec, name, 0)) != first, name
    with pytest.raises(ValueError, match="outside"):
        designer_chart(grid, candidates(rankings(COUNTRIES), COUNTRIES, k_max=2),
                       start=(3, 0, 0))


# --- the explorer --------------------------------------------------------------------------

def test_summary_html_lists_members_and_the_difference() -> None:
    ranked = rankings(COUNTRIES)
    chosen = design(ranked, 2, 2, 1)
    mass = critical_mass_group(ranked, chosen.size)
    page = summary_html(chosen, profile(chosen.members, COUNTRIES, TOTALS),
                        profile(mass, COUNTRIES, TOTALS), mass,
                        {"BIG": "Big", "MID": "Mid"}, {"capable": ["XYZ"], "responsible": []})
    assert "<b>4 members</b>. 1 seat saved" in page
    assert "<li>Big <small>(capable, responsible)</small></li>" in page
    assert "would seat instead: Mid." in page
    assert "91.0%" in page and "98.5%" in page
    assert "Most capable (GDP): XYZ" in page
    empty = design(ranked, 0, 0, 0)
    assert "No seats yet" in summary_html(empty, profile((), COUNTRIES, TOTALS),
                                          profile((), COUNTRIES, TOTALS), (), {}, {})


def test_live_panel_reacts() -> None:
    panel = build_panel()
    sliders, output = panel.children[0].children, panel.children[1]
    before = output.value
    assert "Inclusive (Eckersley)" in before
    for slider in sliders:
        slider.value = 0
    assert output.value != before and "No seats yet" in output.value
