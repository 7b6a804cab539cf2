"""Chapter 2 figures: the tables behind them (on the fixture dataset and hand-made frames),
and the charts' titles, descriptions, axis titles and bound inputs (rendered with vl-convert)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from spec_tools import _walk, svg

from minilat.dataset import events, forums, member_count, memberships
from minilat.dataset.fixture import write_fixture
from minilat.figures.ch02_history import (
    admission_peaks,
    band_chart,
    forum_size_chart,
    forum_sizes,
    iso_numeric_to_alpha3,
    load_world_topology,
    membership_by_year,
    membership_topology,
    spells_by_code,
    threshold_chart,
    un_growth_chart,
    un_map_chart,
    wave_events,
)
from minilat.models.voting import alpha_grid, band_grid, threshold_grid, voting_members


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_fixture(tmp_path)


# --- tables ---------------------------------------------------------------------------------

@pytest.mark.parametrize("forum_id", ["quad", "g7"])
def test_membership_by_year_matches_member_count(data: Path, forum_id: str) -> None:
    table = membership_by_year(memberships(data), 2000, 2020, forum_id=forum_id)
    expected = [member_count(forum_id, y, data_dir=data) for y in range(2000, 2021)]
    assert table["members"].tolist() == expected


def test_membership_by_year_counts_admissions_and_departures(data: Path) -> None:
    quad = membership_by_year(memberships(data), 2006, 2018, forum_id="quad").set_index("year")
    assert quad.at[2007, "members"] == 4 and quad.at[2007, "admitted"] == 4
    assert quad.at[2008, "members"] == 0 and quad.at[2008, "departed"] == 4
    assert quad.at[2017, "admitted"] == 4
    g7 = membership_by_year(memberships(data), 2013, 2014, forum_id="g7").set_index("year")
    # Russia left in 2014 and the EU is only "invited": 8 then 7.
    assert g7["members"].tolist() == [8, 7]


def test_membership_by_year_errors(data: Path) -> None:
    with pytest.raises(ValueError, match="no member spells of forum 'un'"):
        membership_by_year(memberships(data), 1945, 1950)
    with pytest.raises(ValueError, match="before first_year"):
        membership_by_year(memberships(data), 2000, 1999, forum_id="g7")
    with pytest.raises(KeyError, match="joined"):
        membership_by_year(memberships(data).drop(columns="joined"), 2000, 2001, "g7")


def _admissions(counts: list[int], first: int = 1945) -> pd.DataFrame:
    return pd.DataFrame({"year": range(first, first + len(counts)), "admitted": counts})


def test_admission_peaks_skip_founding_year_and_break_ties_early() -> None:
    peaks = admission_peaks(_admissions([50, 1, 5, 3, 5, 0]), count=1)
    assert peaks.to_dict("records") == [{"year": 1947, "admitted": 5}]


def test_admission_peaks_ignore_a_shoulder_beside_a_busier_year() -> None:
    peaks = admission_peaks(_admissions([50, 0, 7, 13, 6, 0, 2]), count=2)
    assert peaks["year"].tolist() == [1948, 1951]


def test_wave_events_one_per_year(data: Path) -> None:
    table = pd.DataFrame({
        "event_id": ["b", "a", "c", "d"], "forum_id": ["un", "un", "un", "g7"],
        "kind": ["enlargement", "enlargement", "summit", "enlargement"],
        "year": [1960, 1960, 1961, 1962], "title": ["Second", "First", "Summit", "G7"]})
    assert wave_events(table).to_dict("records") == [{"year": 1960, "title": "First"}]
    assert wave_events(events(data), "quad").empty


def test_iso_numeric_codes() -> None:
    mapping = iso_numeric_to_alpha3()
    assert mapping["004"] == "AFG"
    assert mapping["356"] == "IND"
    assert mapping["840"] == "USA"


def test_world_topology_file() -> None:
    topology = load_world_topology()
    geometries = topology["objects"]["countries"]["geometries"]
    assert len(geometries) == 177
    mapping = iso_numeric_to_alpha3()
    assert all(g["id"] in mapping for g in geometries if "id" in g)


def test_world_topology_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="data/geo/README.md"):
        load_world_topology(tmp_path / "missing.json")
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"type": "Topology", "objects": {"land": {}}}))
    with pytest.raises(ValueError, match="no 'countries' object"):
        load_world_topology(wrong)


TINY_TOPOLOGY: dict[str, Any] = {
    "type": "Topology", "arcs": [],
    "objects": {"countries": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "arcs": [], "id": "036", "properties": {"name": "Australia"}},
        {"type": "Polygon", "arcs": [], "id": "124", "properties": {"name": "Canada"}},
        {"type": "Polygon", "arcs": [], "properties": {"name": "Kosovo"}},
    ]}},
}


def test_membership_topology_adds_spells(data: Path) -> None:
    by_code = spells_by_code(memberships(data), "quad")
    assert by_code.set_index("code").at["AUS", "spells"] == [(2007, 2008), (2017, None)]
    original = copy.deepcopy(TINY_TOPOLOGY)
    topology, width = membership_topology(TINY_TOPOLOGY, by_code, {"AUS": "Australia (course)"},
                                          iso_numeric_to_alpha3())
    assert TINY_TOPOLOGY == original, "the input topology must not be modified"
    assert width == 2
    australia, canada, kosovo = (g["properties"] for g in
                                 topology["objects"]["countries"]["geometries"])
    assert australia == {"name": "Australia (course)", "code": "AUS", "first_joined": 2007,
                         "joined_1": 2007, "left_1": 2008, "joined_2": 2017, "left_2": 9999}
    assert canada["code"] == "CAN" and canada["first_joined"] is None
    assert canada["joined_1"] is None and canada["left_1"] is None
    assert kosovo["code"] is None and kosovo["name"] == "Kosovo"


def test_forum_sizes_use_latest_year(data: Path) -> None:
    sizes = forum_sizes(forums(data), memberships(data), reference_year=2024).set_index(
        "forum_id")
    # Only the G7 and the Quad are fully recorded in the fixture; the UN is "partial".
    assert sorted(sizes.index) == ["g7", "quad"]
    assert sizes.at["g7", "members"] == 7 and sizes.at["quad", "members"] == 4
    before_revival = forum_sizes(forums(data), memberships(data), reference_year=2010)
    # In 2010 the Quad had lapsed: it is measured as it last stood, in 2007.
    quad = before_revival.set_index("forum_id").loc["quad"]
    assert (quad["members"], quad["year"]) == (4, 2007)


# --- charts ---------------------------------------------------------------------------------


def axis_titles(spec: dict[str, Any], channel: str) -> list[str]:
    """Titles of every positional encoding of ``channel`` that has a field."""
    titles = []
    for node in _walk(spec):
        encoding = node.get("encoding", {})
        enc = encoding.get(channel) if isinstance(encoding, dict) else None
        if isinstance(enc, dict) and "field" in enc and enc.get("title"):
            titles.append(enc["title"])
    return titles


def set_param(spec: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(spec)
    hits = [p for node in _walk(changed) for p in node.get("params", []) if
            isinstance(p, dict) and p.get("name") == name]
    assert hits, f"no param {name!r} in the spec"
    for param in hits:
        param["value"] = value
    return changed


@pytest.fixture(scope="module")
def by_year() -> pd.DataFrame:
    rows = [(1945, 3, 3, 0), (1946, 4, 1, 0), (1947, 4, 0, 0), (1948, 6, 2, 0)]
    return pd.DataFrame(rows, columns=["year", "members", "admitted", "departed"])


def test_growth_chart_text_and_axes(by_year: pd.DataFrame) -> None:
    waves = pd.DataFrame({"year": [1948], "title": ["Two join"]})
    spec = un_growth_chart(by_year, admission_peaks(by_year, 1), waves).to_dict()
    assert spec["title"]["text"]
    assert "3 in 1945, 6 in 1948" in spec["description"]
    assert "1948 (2 admitted)" in spec["description"] and "Two join" in spec["description"]
    assert "UN member states (count)" in axis_titles(spec, "y")
    assert "Admitted (states per year)" in axis_titles(spec, "y")
    assert axis_titles(spec, "x")
    assert svg(spec).count("<path") > 0


def test_map_chart_slider_changes_the_map(by_year: pd.DataFrame) -> None:
    codes = pd.DataFrame({"code": ["AUS", "CAN"], "first_joined": [1945, 1948],
                          "spells": [[(1945, None)], [(1948, None)]]})
    topology, width = membership_topology(load_world_topology(), codes, {},
                                          iso_numeric_to_alpha3())
    spec = un_map_chart(topology, width, by_year, start_year=1946).to_dict()
    assert spec["title"]["text"] and "opens at 1946, when the dataset records 4" in spec[
        "description"]
    assert spec["params"][0]["bind"]["input"] == "range"
    early, late = svg(set_param(spec, "year", 1945)), svg(set_param(spec, "year", 1948))
    assert early != late
    assert "3 UN member states in 1945" in early and "6 UN member states in 1948" in late
    with pytest.raises(ValueError, match="outside 1945–1948"):
        un_map_chart(topology, width, by_year, start_year=1990)


def test_forum_size_chart(data: Path) -> None:
    sizes = forum_sizes(forums(data), memberships(data), reference_year=2024)
    spec = forum_size_chart(sizes).to_dict()
    assert spec["title"]["text"]
    assert "2 minilaterals (median 5.5 members, from 4 to 7)" in spec["description"]
    assert axis_titles(spec, "x") == ["Members (count, log scale)"]
    assert any(p.get("bind") == "legend" for n in _walk(spec) for p in n.get("params", [])
               if isinstance(p, dict))
    with pytest.raises(ValueError, match="no forum sizes"):
        forum_size_chart(sizes.iloc[0:0])


def _members() -> pd.DataFrame:
    return pd.DataFrame({"code": ["A", "B", "C", "D"], "name": list("ABCD"),
                         "un_member": pd.array([True] * 4, dtype="boolean"),
                         "population": [5e5, 4e6, 5e7, 2e8], "gdp_musd": [1.0, 2, 3, 4]})


def test_band_chart_slider_changes_the_bars() -> None:
    grid = band_grid(voting_members(_members()), alpha_grid(0.5))
    spec = band_chart(grid).to_dict()
    assert spec["title"]["text"]
    assert "has 1 states: 25.0% of the votes" in spec["description"]
    assert "Share of votes (%)" in axis_titles(spec, "y")
    assert "States grouped by population" in axis_titles(spec, "x")
    assert svg(set_param(spec, "alpha", 0.0)) != svg(set_param(spec, "alpha", 1.0))


def test_threshold_chart_dropdown_changes_the_line() -> None:
    grid = threshold_grid(voting_members(_members()), alpha_grid(0.25), [1e6, 1e7])
    spec = threshold_chart(grid).to_dict()
    assert spec["title"]["text"]
    assert "under 10 million people (2 states)" in spec["description"]
    assert "falls from 50.0% at α = 0" in spec["description"]
    assert axis_titles(spec, "y") == ["Votes held by small states (%)"] * 2
    assert axis_titles(spec, "x")
    assert svg(set_param(spec, "threshold", "1 million")) != svg(
        set_param(spec, "threshold", "10 million"))
    with pytest.raises(ValueError, match="not in the grid"):
        threshold_chart(grid, default_threshold=5e6)
