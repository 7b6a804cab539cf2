"""Chapter 6 figures and explorer: the tables behind them (hand-made and fixture data), the
charts' titles, descriptions and axis titles, and that every bound input and the click selection
change the rendered chart (vl-convert)."""

from __future__ import annotations

import re
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import pytest
from spec_tools import bound, set_param, svg, titles

from minilat.dataset import countries, forums, memberships
from minilat.dataset.fixture import write_fixture
from minilat.explorers.ch06_overlap import build_panel, overlap_report, report_html, twin_chart
from minilat.figures.ch06_overlap import (
    NAMES_SHOWN,
    complete_forums,
    forum_labels,
    forum_order,
    heatmap_cells,
    network_chart,
    network_tables,
    overlap_heatmap,
    regime_complex_chart,
    regime_complex_table,
)
from minilat.models.overlap import member_sets_by_year

FORUMS = pd.DataFrame({
    "forum_id": ["f", "g", "h", "k"], "name": ["Eff", "Gee", "Aitch", "Kay"],
    "abbreviation": [None, "G", "H", "G"],
    "kind": ["multilateral", "minilateral", "minilateral", "minilateral"],
    "membership_coverage": ["complete", "complete", "partial", "complete"],
    "issue_areas": [["trade", "finance"], ["security"], ["trade"], []],
})
SETS = {"f": {"A", "B", "C"}, "g": {"B", "C", "D", "E"}, "h": {"A", "Z"}}
NAMES = {"A": "Aland", "B": "Bland"}
SPELLS = pd.DataFrame({
    "forum_id": ["f", "f", "f", "g", "g", "g", "g", "h", "h"],
    "member": ["A", "B", "C", "B", "C", "D", "E", "A", "Z"],
    "role": ["member"] * 9,
    "joined": [2000, 2000, 2000, 2000, 2002, 2000, 2000, 2000, 2000],
    "left": [None] * 9,
})


# --- tables ---------------------------------------------------------------------------------

def test_labels_are_short_and_unique() -> None:
    assert forum_labels(FORUMS) == {"f": "Eff", "g": "G (g)", "h": "H", "k": "G (k)"}
    assert complete_forums(FORUMS) == ["f", "g", "k"]


def test_forum_order_multilaterals_then_largest() -> None:
    assert forum_order(SETS, FORUMS) == ["f", "g", "h"]
    with pytest.raises(ValueError, match="no row for forum\\(s\\) q"):
        forum_order({"q": {"A"}}, FORUMS)


def test_heatmap_cells_keep_half_the_matrix() -> None:
    cells = heatmap_cells({2020: SETS}, FORUMS, NAMES)
    pairs = list(zip(cells["forum_a"], cells["forum_b"], strict=True))
    # diagonal + f–g (B, C) + f–h (A); g and h share no one, so no cell.
    assert sorted(pairs) == [("f", "f"), ("f", "g"), ("f", "h"), ("g", "g"), ("h", "h")]
    fg = cells.set_index(["forum_a", "forum_b"]).loc[("f", "g")]
    assert (fg["shared"], fg["jaccard"], fg["names"]) == (2, 0.4, "Bland, C")
    assert (fg["year"], fg["until"]) == (2020, 2021)


def test_heatmap_cells_collapse_unchanged_years() -> None:
    by_year = member_sets_by_year(SPELLS, range(2000, 2005))
    cells = heatmap_cells(by_year, FORUMS, NAMES)
    fg = cells[(cells["forum_a"] == "f") & (cells["forum_b"] == "g")].sort_values("year")
    # C joins g in 2002: one run of 2000–2001 (shared B), one from 2002 on (B and C).
    assert fg[["year", "until", "shared"]].values.tolist() == [[2000, 2002, 1], [2002, 2005, 2]]
    ff = cells[(cells["forum_a"] == "f") & (cells["forum_b"] == "f")]
    assert ff[["year", "until"]].values.tolist() == [[2000, 2005]]


def test_heatmap_cells_cut_long_name_lists() -> None:
    many = {f"M{i:02d}" for i in range(NAMES_SHOWN + 3)}
    cells = heatmap_cells({2020: {"f": many, "g": many}}, FORUMS, {})
    assert cells["names"].iloc[0].endswith("… and 3 more")


def test_regime_complex_table() -> None:
    table = regime_complex_table(SPELLS, FORUMS, NAMES, ["A", "D"], 2001)
    a = table[table["code"] == "A"]
    assert sorted(zip(a["forum_id"], a["issue_area"], strict=True)) == [
        ("f", "finance"), ("f", "trade"), ("h", "trade")]
    assert set(a["country"]) == {"Aland"}
    assert table[table["code"] == "D"]["label"].tolist() == ["G (g)"]


# --- charts ---------------------------------------------------------------------------------

def test_heatmap_text_axes_and_inputs() -> None:
    cells = heatmap_cells({2020: SETS}, FORUMS, NAMES)
    spec = overlap_heatmap(cells, ["f", "g", "h"], "Shared members", "sub").to_dict()
    assert spec["title"]["text"] == "Shared members"
    assert "among 3 forums in 2020" in spec["description"]
    assert "2 of the 3 pairs share at least one member" in spec["description"]
    assert "the most alike is Eff and G (g) (Jaccard 0.40, 2 shared of 3 and 4" in spec[
        "description"]
    assert titles(spec, "x") == {"Forum (column)"} and titles(spec, "y") == {"Forum (row)"}
    assert bound(spec)["measure"]["bind"]["input"] == "radio"
    first = svg(spec)
    assert first != svg(set_param(spec, "measure", "Jaccard similarity (0–1)"))
    picked = svg(set_param(spec, "pick", [{"row_id": "h"}]))
    # h's row and column (f–h, h–f) and its diagonal stay; the four other cells fade.
    assert len(re.findall(r'opacity="0.2"', picked)) == 4
    assert 'opacity="0.2"' not in first


def test_heatmap_year_slider_changes_the_cells() -> None:
    cells = heatmap_cells(member_sets_by_year(SPELLS, range(2000, 2005)), FORUMS, NAMES)
    spec = overlap_heatmap(cells, ["f", "g", "h"], "t", "s", start_year=2001).to_dict()
    assert bound(spec)["year"]["bind"]["input"] == "range"
    assert "in 2001" in spec["description"]
    assert svg(set_param(spec, "year", 2001)) != svg(set_param(spec, "year", 2003))


def test_heatmap_errors() -> None:
    cells = heatmap_cells({2020: SETS}, FORUMS, NAMES)
    with pytest.raises(ValueError, match="order names forum\\(s\\) k"):
        overlap_heatmap(cells, ["f", "k"], "t", "s")
    with pytest.raises(ValueError, match="start_year 1999"):
        overlap_heatmap(cells, ["f"], "t", "s", start_year=1999)
    with pytest.raises(ValueError, match="lacks column"):
        overlap_heatmap(cells.drop(columns="until"), ["f"], "t", "s")
    with pytest.raises(ValueError, match="no year"):
        heatmap_cells({}, FORUMS, NAMES)


def test_network_tables_and_chart() -> None:
    nodes, edges = network_tables({**SETS, "k": set()}, FORUMS, seed=1)
    assert sorted(nodes["forum_id"]) == ["f", "g", "h"]  # the empty forum is left out
    assert nodes.set_index("forum_id")["members"].to_dict() == {"f": 3, "g": 4, "h": 2}
    assert nodes.set_index("forum_id").at["f", "betweenness"] == pytest.approx(1.0)
    assert sorted(zip(edges["forum_a"], edges["forum_b"], strict=True)) == [("f", "g"),
                                                                           ("f", "h")]
    row = edges.set_index("forum_b").loc["g"]
    assert (row["x2"], row["y2"]) == tuple(nodes.set_index("forum_id").loc["g", ["x", "y"]])
    again, _ = network_tables(SETS, FORUMS, seed=1)
    pd.testing.assert_frame_equal(nodes, again)  # fixed seed: the same layout

    spec = network_chart(nodes, edges, threshold=0.3).to_dict()
    assert spec["title"]["text"]
    assert "Network of 3 forums (1 multilateral, 2 minilateral)" in spec["description"]
    assert "at 0.30, 1 links remain and 1 forums have none" in spec["description"]
    assert titles(spec, "size") == {"Members (count)"}
    assert titles(spec, "x") == {"Layout position (no unit)"}
    assert bound(spec)["threshold"]["bind"]["input"] == "range"
    low, high = svg(set_param(spec, "threshold", 0.2)), svg(set_param(spec, "threshold", 0.5))
    assert "Links shown: 2" in low and "Links shown: 0" in high


def test_regime_complex_chart_dropdown() -> None:
    table = regime_complex_table(SPELLS, FORUMS, NAMES, ["A", "D"], 2001)
    spec = regime_complex_chart(table, "A", 2001).to_dict()
    assert spec["title"]["text"]
    assert "Aland, shown first, belongs to 2 recorded forums" in spec["description"]
    assert "runs from 1 to 2 (Aland)" in spec["description"]
    assert titles(spec, "x") == {"Issue area"} and titles(spec, "y") == {"Forum"}
    assert bound(spec)["country"]["bind"]["input"] == "select"
    assert svg(set_param(spec, "country", "A")) != svg(set_param(spec, "country", "D"))
    with pytest.raises(ValueError, match="start_code 'X'"):
        regime_complex_chart(table, "X", 2001)


# --- explorer -------------------------------------------------------------------------------

def test_overlap_report_by_hand() -> None:
    report = overlap_report(SETS, ["f", "g"], {"f": "Eff", "g": "Gee"}, NAMES)
    assert report["shared"] == ["Bland", "C"]
    assert len(report["union"]) == 5 and report["jaccard"] == pytest.approx(0.4)
    assert report["sizes"] == {"Eff": 3, "Gee": 4}
    assert report["pairs"][["forum", "with", "shared", "union"]].values.tolist() == [
        ["Eff", "Gee", 2, 5]]
    text = report_html(report, 2020)
    assert "<b>2</b> members belong to every forum chosen: Bland, C" in text
    assert "<b>0.40</b>" in text and "<b>5</b> members belong to at least one" in text
    single = report_html(overlap_report(SETS, ["f", "h"], {}, NAMES), 2020)
    assert "<b>1</b> member belongs to every forum chosen: Aland" in single


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("ch06"))


def test_live_panel_reacts(data: Path) -> None:
    panel = build_panel(memberships(data), forums(data), countries(data), year=2020,
                        start=("g7", "quad"))
    controls, output = panel.children
    picker, year = controls.children
    assert isinstance(picker, widgets.SelectMultiple) and picker.value == ("g7", "quad")
    before = output.value
    assert "In <b>2020</b>" in before
    year.value = 2008  # the Quad had lapsed: it shares no one with the G7
    assert output.value != before and "<b>0</b> members belong to every forum" in output.value
    picker.value = ()
    assert "Choose at least one forum" in output.value


def test_twin_chart_on_fixture(data: Path) -> None:
    spec = twin_chart(memberships(data), forums(data), countries(data), 2020,
                      forum_ids=("g7", "quad", "un"), first_year=2005).to_dict()
    assert spec["title"]["text"] and spec["description"]
    assert "among 2 forums in 2020" in spec["description"]  # the UN's record is partial
    assert bound(spec)["year"]["bind"]["input"] == "range"
    assert svg(set_param(spec, "year", 2008)) != svg(set_param(spec, "year", 2020))
    with pytest.raises(ValueError, match="complete membership record"):
        twin_chart(memberships(data), forums(data), countries(data), 2020, forum_ids=("un",))
