"""Chapter 2 explorer: the summary it shows, the live panel reacting, and the twin chart."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import pytest

from minilat.explorers.ch02_voting import build_panel, twin_chart, voting_summary
from minilat.models.voting import voting_members


def _countries() -> pd.DataFrame:
    # Sizes 1, 4, 4 and 16 million people; the smallest has no GDP.
    return pd.DataFrame({
        "code": ["AAA", "BBB", "CCC", "DDD"], "name": ["Aland", "Bland", "Cland", "Dland"],
        "un_member": pd.array([True] * 4, dtype="boolean"),
        "population": pd.array([1e6, 4e6, 4e6, 16e6], dtype="Float64"),
        "gdp_musd": pd.array([None, 10.0, 10.0, 80.0], dtype="Float64"),
    })


def test_summary_worked_by_hand() -> None:
    summary = voting_summary(voting_members(_countries()), alpha=0.5, threshold=5e6)
    # Square roots 1, 2, 2, 4 (sum 9): the three states under 5 million hold 5/9.
    assert summary["small_states"] == 3
    assert summary["small_vote_share"] == pytest.approx(500 / 9)
    assert summary["small_state_share"] == pytest.approx(75)
    assert summary["fewest_for_majority"] == 2
    assert summary["top"]["name"].tolist()[0] == "Dland"
    assert summary["top"]["vote_share"].iloc[0] == pytest.approx(400 / 9)


def test_summary_by_gdp_names_dropped_states() -> None:
    summary = voting_summary(voting_members(_countries(), "gdp"), alpha=1, threshold=5e6)
    assert summary["dropped"] == ["AAA"]
    assert summary["small_vote_share"] == pytest.approx(20)


def test_live_panel_reacts_to_its_controls() -> None:
    panel = build_panel(_countries())
    assert isinstance(panel, widgets.Widget)
    alpha, threshold, basis = panel.children[0].children
    output = panel.children[1]
    assert "hold <b>55.6%</b>" in output.value
    alpha.value = 0.0
    assert "hold <b>75.0%</b>" in output.value
    threshold.value = 2e7  # now every state is "small"
    assert "hold <b>100.0%</b>" in output.value
    basis.value = "gdp"
    assert "left out: AAA" in output.value


def test_twin_chart_has_the_dropdown() -> None:
    spec = twin_chart(_countries()).to_dict()
    assert spec["title"]["text"] and spec["description"]
    binds = [p["bind"]["input"] for p in spec["params"] if "bind" in p]
    assert binds == ["select"]
