"""Chapter 5 figures and explorer: tables worked by hand, chart text and axes with units, bound
inputs and legend selections that change the rendered SVG (vl-convert), and the live panel."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
import vl_convert as vlc
from spec_tools import _walk, axis_titles
from spec_tools import set_param as with_param

from minilat.explorers.ch05_quad import (
    build_panel,
    forum_events,
    history_table,
    lapses,
    summary_html,
    twin_chart,
)
from minilat.figures.ch05_informality import (
    RULES,
    formalised_chart,
    formalised_table,
    pledge_review_chart,
    status_chart,
    status_table,
    survival_chart,
    survival_table,
)
from minilat.models.pledge_review import grid


def quantitative_titles(spec: dict[str, Any]) -> list[str]:
    return [node["encoding"][channel]["title"] for node in _walk(spec) for channel in ("x", "y")
            if isinstance(node.get("encoding"), dict)
            and isinstance(node["encoding"].get(channel), dict)
            and node["encoding"][channel].get("type") == "quantitative"
            and node["encoding"][channel].get("title")]


def check_text(spec: dict[str, Any]) -> None:
    title = spec["title"]["text"] if isinstance(spec["title"], dict) else spec["title"]
    assert title and spec["description"]
    assert axis_titles(spec, "x") and axis_titles(spec, "y")
    titles = quantitative_titles(spec)
    assert titles and all("(" in t for t in titles), \
        f"quantitative axis titles name their unit in brackets: {titles}"


def bound_inputs(spec: dict[str, Any]) -> set[str]:
    return {p["name"] for node in _walk(spec) for p in node.get("params", [])
            if isinstance(p, dict) and isinstance(p.get("bind"), dict) and "input" in p["bind"]}


def legend_selections(spec: dict[str, Any]) -> set[str]:
    return {p["name"] for node in _walk(spec) for p in node.get("params", [])
            if isinstance(p, dict) and p.get("bind") == "legend"}


# --- hand-made forums ----------------------------------------------------------------------------

FORUMS = pd.DataFrame({
    "forum_id": ["a", "b", "c", "d", "e"],
    "name": ["Alpha Group", "Beta Forum", "Gamma Union", "Delta Talks", "Epsilon Union"],
    "abbreviation": ["AG", None, "GU", "DT", "EU5"],
    "kind": ["minilateral", "minilateral", "multilateral", "minilateral", "multilateral"],
    "formality": ["informal", "informal", "formal_igo", "informal", "formal_igo"],
    "status": ["formalised", "active", "active", "defunct", "active"],
    "founded_year": pd.array([1990, 2005, 1960, 2000, 2001], dtype="Int64"),
    "ended_year": pd.array([2000, None, None, 2004, None], dtype="Int64"),
    "ended_event": ["became Epsilon", None, None, "dissolved", None],
    "predecessor_id": [None, None, None, None, "a"],
})
EVENTS = pd.DataFrame({
    "forum_id": ["b", "e", "b"], "year": [2014, 2003, 2010],
    "kind": ["formalisation", "formalisation", "summit"],
    "title": ["Beta sets up a bank", "Epsilon gets a secretariat", "Beta summit"],
})


def test_status_table_by_hand() -> None:
    table = status_table(FORUMS).set_index(["kind", "status"])
    assert table.loc[("minilateral", "active"), "forums"] == 1
    assert table.loc[("minilateral", "formalised"), "share_pct"] == pytest.approx(33.3)
    assert table.loc[("multilateral", "active"), "forums"] == 2
    assert table.loc[("multilateral", "active"), "names"] == "EU5, GU"
    assert table.loc[("minilateral", "active"), "names"] == "Beta Forum"


def test_formalised_table_by_hand() -> None:
    phases, steps = formalised_table(FORUMS, EVENTS, 2020)
    by_id = phases.set_index("forum_id")
    assert list(by_id.index) == ["a", "b"]  # in order of founding
    assert by_id.loc["a", "years_informal"] == 10
    assert by_id.loc["a", "became"] == "Epsilon Union (a new body)"
    assert by_id.loc["b", "end"] == 2020 and bool(by_id.loc["b", "still_informal"])
    # the successor's own step belongs to the successor, not to its predecessor
    assert steps[["forum", "year"]].values.tolist() == [["Alpha Group", 2000],
                                                        ["Beta Forum", 2014]]
    assert set(by_id["sources_differ"]) == {"no"}


def test_formalised_table_notes_disagreements() -> None:
    disagreements = pd.DataFrame({"table": ["forums", "forums", "events"],
                                  "key": ["a", "b", "a"],
                                  "column": ["ended_year", "name", "year"],
                                  "value_alt": ["2001", "Beta", "1999"]})
    phases, _ = formalised_table(FORUMS, EVENTS, 2020, disagreements)
    by_id = phases.set_index("forum_id")
    assert by_id.loc["a", "sources_differ"] == "ended_year 2001 in another source"
    assert by_id.loc["b", "sources_differ"] == "no"  # only year columns are noted
    chart = formalised_chart(*formalised_table(FORUMS, EVENTS, 2020, disagreements)).to_dict()
    assert "Alpha Group (ended_year 2001 in another source)" in chart["description"]


def test_survival_table_has_both_rules_and_ends_at_one_hundred() -> None:
    table = survival_table(FORUMS, 2020)
    assert set(table["rule"]) == set(RULES.values())
    informal = table[(table["rule"] == RULES[False]) & (table["formality"] == "informal")]
    # a (formalised, censored at 10), b (censored at 15), d (died at 4): 2/3 after year 4
    assert informal["time"].tolist() == [0, 4, 10, 15]
    assert informal["survival_pct"].tolist() == pytest.approx([100, 66.67, 66.67, 66.67])
    counted = table[(table["rule"] == RULES[True]) & (table["formality"] == "informal")]
    assert counted["survival_pct"].tolist() == pytest.approx([100, 66.67, 33.33, 33.33])


# --- charts on the real dataset ------------------------------------------------------------------

@pytest.fixture(scope="module")
def real() -> dict[str, Any]:
    from minilat.dataset import disagreements, events, forums
    from minilat.dataset.query import reference_year

    year = reference_year()
    phases, steps = formalised_table(forums(), events(), year, disagreements())
    paths, lifetimes = grid(runs=40)
    return {"survival": survival_chart(survival_table(forums(), year)).to_dict(),
            "status": status_chart(status_table(forums())).to_dict(),
            "formalised": formalised_chart(phases, steps).to_dict(),
            "model": pledge_review_chart(paths, lifetimes, 0.3).to_dict()}


@pytest.mark.parametrize("name", ["survival", "status", "formalised", "model"])
def test_every_chart_has_title_description_and_axis_units(real: dict[str, Any],
                                                          name: str) -> None:
    check_text(real[name])


def test_survival_radio_changes_the_curves(real: dict[str, Any]) -> None:
    spec = real["survival"]
    assert bound_inputs(spec) == {"rule"} and legend_selections(spec)
    assert vlc.vegalite_to_svg(with_param(spec, "rule", RULES[True])) != vlc.vegalite_to_svg(spec)
    assert "Forums at risk (count)" in str(spec)


def test_survival_description_quotes_the_data(real: dict[str, Any]) -> None:
    description = real["survival"]["description"]
    assert "informal:" in description and "formal IGO:" in description


def test_model_sliders_change_the_chart(real: dict[str, Any]) -> None:
    spec = real["model"]
    assert bound_inputs(spec) == {"review", "turnover"}
    base = vlc.vegalite_to_svg(spec)
    assert vlc.vegalite_to_svg(with_param(spec, "review", 0.4)) != base
    assert vlc.vegalite_to_svg(with_param(spec, "turnover", 0.2)) != base


def test_model_start_must_be_on_the_grid() -> None:
    paths, lifetimes = grid(reviews=(0.0, 0.5), turnovers=(0.0, 0.1), runs=5, periods=3)
    with pytest.raises(ValueError, match="not on the grid"):
        pledge_review_chart(paths, lifetimes, 0.3, start=(0.25, 0.0))


def test_legend_selections_on_status_and_timeline(real: dict[str, Any]) -> None:
    assert legend_selections(real["status"]) and legend_selections(real["formalised"])


def test_chart_data_stays_small(real: dict[str, Any]) -> None:
    import json

    assert sum(len(json.dumps(spec)) for spec in real.values()) < 600_000


def test_missing_columns_are_named() -> None:
    with pytest.raises(KeyError, match="status"):
        status_table(FORUMS.drop(columns="status"))


# --- the Quad explorer ---------------------------------------------------------------------------

def test_quad_history_from_the_tables() -> None:
    from minilat.dataset import members

    history = history_table("quad", 2006, 2022).set_index("year")
    assert history.loc[2007, "members"] == ", ".join(members("quad", 2007))
    assert history.loc[2010, "n_members"] == len(members("quad", 2010))
    assert history.loc[2006, "latest"].startswith("Latest event")
    assert history.index.tolist() == list(range(2006, 2023))


def test_lapses_by_hand() -> None:
    history = pd.DataFrame({"year": range(2000, 2008),
                            "n_members": [0, 4, 4, 0, 0, 4, 0, 0]})
    assert lapses(history) == [(2003, 2004)]
    assert lapses(history.assign(n_members=0)) == []


def test_summary_html_and_bad_year() -> None:
    history = pd.DataFrame({"year": [2000, 2001], "n_members": [1, 2],
                            "members": ["AAA", "AAA, BBB"], "latest": ["", ""]})
    found = pd.DataFrame({"year": [2001], "kind": ["summit"], "title": ["A <b>summit</b>"]})
    text = summary_html("Forum", 2001, history, found)
    assert "<b>2</b> members: AAA, BBB" in text and "&lt;b&gt;summit" in text
    assert "No events yet" in summary_html("Forum", 2000, history, found)
    with pytest.raises(ValueError, match="outside"):
        summary_html("Forum", 1999, history, found)


def test_live_panel_reacts_to_the_slider() -> None:
    panel = build_panel()
    slider, output = panel.children
    slider.value = 2010
    lapsed = output.value
    slider.value = 2022
    assert output.value != lapsed and "2022" in output.value


def test_twin_slider_changes_the_timeline() -> None:
    spec = twin_chart().to_dict()
    check_text(spec)
    assert bound_inputs(spec) == {"year"}
    assert vlc.vegalite_to_svg(with_param(spec, "year", 2010)) != vlc.vegalite_to_svg(spec)
    events = forum_events("quad")
    assert events["when"].is_monotonic_increasing
    with pytest.raises(ValueError, match="outside"):
        twin_chart(start=1900)


def test_explorer_works_for_a_forum_without_abbreviation() -> None:
    from minilat.dataset import forums

    table = forums()
    plain = table[table["abbreviation"].isna() & table["founded_year"].notna()]
    assert len(plain), "the dataset has forums without an abbreviation"
    forum_id = str(plain["forum_id"].iloc[0])
    slider, output = build_panel(forum_id).children
    assert str(plain["name"].iloc[0]) in output.value
    assert twin_chart(forum_id).to_dict()["description"]
