"""Chapter 1 figures and explorer: the tables behind them, worked by hand, and chart metadata."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from minilat.explorers.ch01_forums import (
    ALL_ISSUES,
    ALL_REGIONS,
    GLOBAL,
    filter_forums,
    issue_options,
    twin_chart,
    un_regions,
)
from minilat.figures.ch01_forums import (
    alive_chart,
    alive_counts,
    foundings_by_decade,
    foundings_chart,
    membership_chart,
    overlap_chart,
    step_points,
)
from minilat.models.platform_diversity import forum_counts, overlap_by_year

FORUMS = pd.DataFrame(
    [
        ("un", "United Nations", "UN", "multilateral", 1945, None, ["general", "security"], None),
        ("g7", "Group of Seven", "G7", "minilateral", 1975, None, ["finance"], None),
        ("quad", "Quadrilateral Security Dialogue", "Quad", "minilateral", 2007, None,
         ["security", "maritime"], "Indo-Pacific"),
        ("csce", "Conference on Security and Co-operation in Europe", None, "multilateral",
         1973, 1994, ["security"], "Europe; North America"),
        ("g15", "Group of Fifteen", "G-15", "minilateral", 1979, 1979, ["development"],
         "Latin America"),
    ],
    columns=["forum_id", "name", "abbreviation", "kind", "founded_year", "ended_year",
             "issue_areas", "region"],
).astype({"founded_year": "Int64", "ended_year": "Int64"})
SPELLS = pd.DataFrame(
    [("g7", "JPN", 1975, None), ("quad", "JPN", 2007, 2008), ("quad", "JPN", 2017, None),
     ("g7", "USA", 1975, None), ("quad", "USA", 2017, None)],
    columns=["forum_id", "member", "joined", "left"],
).astype({"joined": "Int64", "left": "Int64"})
KINDS = {"g7": "minilateral", "quad": "minilateral"}
NAMES = {"JPN": "Japan", "USA": "United States"}


def texts(spec: dict[str, Any]) -> tuple[str, str]:
    title = spec["title"]
    return (title["text"] if isinstance(title, dict) else title), spec["description"]


def axis_titles(spec: Any) -> list[tuple[str, Any]]:
    """Every (channel, title) of an x or y encoding anywhere in a spec."""
    found: list[tuple[str, Any]] = []
    if isinstance(spec, dict):
        for channel in ("x", "y"):
            encoding = spec.get("encoding", {}).get(channel)
            if isinstance(encoding, dict) and "field" in encoding and "aggregate" not in encoding:
                found.append((channel, encoding.get("title", "MISSING")))
        for value in spec.values():
            found += axis_titles(value)
    elif isinstance(spec, list):
        for item in spec:
            found += axis_titles(item)
    return found


def all_charts() -> dict[str, Any]:
    counts = forum_counts(SPELLS, range(1975, 2021), kinds=KINDS)
    return {
        "foundings": foundings_chart(FORUMS),
        "alive": alive_chart(FORUMS, last_year=2020, start=1980),
        "membership": membership_chart(counts, NAMES, "JPN"),
        "overlap": overlap_chart(overlap_by_year(SPELLS, range(1975, 2021))),
        "twin": twin_chart(FORUMS),
    }


def test_foundings_by_decade_by_hand() -> None:
    table = foundings_by_decade(FORUMS)
    rows = {(r.label, r.kind): (r.founded, r.names) for r in table.itertuples()}
    assert rows == {
        ("1940s", "multilateral"): (1, "UN"),
        ("1970s", "multilateral"): (1, "Conference on Security and Co-operation in Europe"),
        ("1970s", "minilateral"): (2, "G7; G-15"),  # founding order, abbreviations first
        ("2000s", "minilateral"): (1, "Quad"),
    }
    assert (table["decade_end"] - table["decade"] == 10).all()


def test_alive_counts_by_hand() -> None:
    counts = alive_counts(FORUMS, range(1978, 1981)).set_index(["year", "kind"])["alive"]
    # 1979: UN and CSCE (multilateral); G7 and G-15, alive in its only year (minilateral).
    assert counts[(1979, "multilateral")] == 2
    assert counts[(1979, "minilateral")] == 2
    assert counts[(1980, "minilateral")] == 1  # G-15 ended in 1979
    assert counts[(1978, "minilateral")] == 1
    assert len(counts) == 3 * 2


def test_step_points_keep_changes_and_ends() -> None:
    counts = forum_counts(SPELLS, range(1975, 2021), kinds=KINDS)
    japan = step_points(counts).query("member == 'JPN' and kind == 'minilateral'")
    assert japan[["year", "forums"]].values.tolist() == [
        [1975, 1], [2007, 2], [2008, 1], [2017, 2], [2020, 2]]


def test_every_chart_has_title_description_and_axis_titles() -> None:
    for name, chart in all_charts().items():
        spec = chart.to_dict()
        title, description = texts(spec)
        assert title and len(description) > 60, name
        titles = axis_titles(spec)
        assert titles, f"{name}: no x/y encodings found"
        assert all(t is None or (isinstance(t, str) and t) for _, t in titles), (name, titles)
        assert "MISSING" not in [t for _, t in titles], (name, titles)


def test_descriptions_quote_the_data() -> None:
    charts = all_charts()
    assert "5 forums" in charts["foundings"].to_dict()["description"]
    assert "1970s with 3 foundings" in charts["foundings"].to_dict()["description"]
    assert "Japan and United States sat in the most (2)." in charts["membership"].to_dict()["description"]
    assert "2 forums make 1 pairs, of which 1 (100%)" in charts["overlap"].to_dict()["description"]


def test_bound_inputs_are_present() -> None:
    charts = {name: chart.to_dict() for name, chart in all_charts().items()}

    def bindings(spec: dict[str, Any]) -> list[str]:
        return [p["bind"].get("input", "legend" if p["bind"] == "legend" else "")
                if isinstance(p.get("bind"), dict) else p.get("bind")
                for p in spec.get("params", []) if "bind" in p]

    assert "range" in bindings(charts["alive"])
    assert "select" in bindings(charts["membership"])
    assert bindings(charts["twin"]).count("select") == 2
    assert "legend" in bindings(charts["foundings"])
    assert any(p.get("select", {}).get("type") == "interval" if isinstance(p.get("select"), dict)
               else p.get("select") == "interval" for p in charts["foundings"]["params"])


def test_un_regions() -> None:
    assert un_regions(None) == [GLOBAL]
    assert un_regions("Asia-Pacific") == ["Asia", "Oceania"]
    assert un_regions("Europe; North America") == ["Americas", "Europe"]
    assert un_regions("Latin America and the Caribbean") == ["Americas"]
    with pytest.raises(ValueError, match="'Atlantis' matches no UN region"):
        un_regions("Atlantis")


def test_filter_forums_by_hand() -> None:
    assert list(filter_forums(FORUMS)["forum_id"]) == ["un", "csce", "g7", "g15", "quad"]
    assert list(filter_forums(FORUMS, "security")["forum_id"]) == ["un", "csce", "quad"]
    assert list(filter_forums(FORUMS, "security", "Americas")["forum_id"]) == ["csce"]
    assert list(filter_forums(FORUMS, ALL_ISSUES, GLOBAL)["forum_id"]) == ["un", "g7"]
    assert filter_forums(FORUMS, "maritime", "Europe").empty
    assert issue_options(FORUMS)[0] == ALL_ISSUES and "maritime" in issue_options(FORUMS)
    with pytest.raises(ValueError, match="unknown issue area 'piracy'"):
        filter_forums(FORUMS, "piracy", ALL_REGIONS)
    with pytest.raises(ValueError, match="unknown region 'Mars'"):
        filter_forums(FORUMS, ALL_ISSUES, "Mars")


def test_bad_input_is_named() -> None:
    with pytest.raises(ValueError, match="lacks column.*founded_year"):
        foundings_by_decade(FORUMS.drop(columns="founded_year"))
    undated = FORUMS.copy()
    undated.loc[2, "founded_year"] = pd.NA
    with pytest.raises(ValueError, match=r"row 2 \(quad\): column 'founded_year' is empty"):
        alive_counts(undated, range(2000, 2001))
    odd = FORUMS.copy()
    odd.loc[0, "kind"] = "bilateral"
    with pytest.raises(ValueError, match="unknown value.*bilateral"):
        foundings_chart(odd)
    with pytest.raises(ValueError, match="outside"):
        alive_chart(FORUMS, last_year=2020, start=2030)
    counts = forum_counts(SPELLS, range(1975, 2021))
    with pytest.raises(ValueError, match="no display name for USA"):
        membership_chart(counts.assign(kind="minilateral"), {"JPN": "Japan"}, "JPN")


def test_panel_updates_with_the_dropdowns() -> None:
    pytest.importorskip("ipywidgets")
    from minilat.explorers.ch01_forums import build_panel

    panel = build_panel(FORUMS)
    issue, region = panel.children[0].children
    summary = panel.children[1]
    assert "5 forums: 2 multilateral, 3 minilateral" in summary.value
    issue.value = "security"
    region.value = "Americas"
    assert "1 forums: 1 multilateral, 0 minilateral" in summary.value


def test_facts_the_chapter_text_names_hold_in_the_shipped_data() -> None:
    """Chapter 1 names a few forums in its prose and quiz; the dataset must still agree."""
    from minilat.dataset import forums

    table = forums().set_index("forum_id")
    assert table.at["quad", "membership_coverage"] == "complete"
    assert table.at["brics", "membership_coverage"] == "complete"
    assert table.at["unsc", "membership_coverage"] != "complete"  # elected members not listed
    for ended in ("concert_of_europe", "gatt", "contact_group_balkans"):
        assert pd.notna(table.at[ended, "ended_year"]), ended
    assert table.at["wto", "predecessor_id"] == "gatt"


def test_patterns_the_chapter_text_reads_hold_in_the_shipped_data() -> None:
    """The prose says the older layer is mostly multilateral, the newer one mostly minilateral,
    and that the post-1945 multilaterals have not gone away."""
    from minilat.dataset import forums

    table = forums()
    recent = table["founded_year"] >= 1990
    assert (table.loc[recent, "kind"] == "minilateral").mean() > 0.5
    assert (table.loc[~recent, "kind"] == "multilateral").mean() > 0.5
    post_war = table[table["founded_year"].between(1945, 1960) & (table["kind"] == "multilateral")]
    assert post_war["ended_year"].isna().mean() > 0.75
