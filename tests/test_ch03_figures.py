"""Chapter 3 figures and explorer: values worked by hand on a tiny table, and chart hygiene."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd
import pytest

from minilat.explorers.ch03_coding import agreement, build_panel, compare_coding
from minilat.figures.ch03_ruggie import (
    coding_sheet_chart,
    codings_long,
    forum_coding_chart,
    kind_comparison_chart,
    kind_means,
    reciprocity_chart,
)
from minilat.models.reciprocity import cooperation_paths, patience_grid


def _forums() -> pd.DataFrame:
    rows = [
        ("un", "United Nations", "multilateral", "formal_igo", 2, 2, 2),
        ("wto", "World Trade Organization", "multilateral", "formal_igo", 2, 2, 1),
        ("g20", "Group of Twenty", "minilateral", "informal", 1, 1, 1),
        ("quad", "Quad", "minilateral", "dialogue", 0, 0, 1),
    ]
    table = pd.DataFrame(rows, columns=["forum_id", "name", "kind", "formality",
                                        "ruggie_principles", "ruggie_indivisibility",
                                        "ruggie_reciprocity"])
    for column in ("ruggie_principles", "ruggie_indivisibility", "ruggie_reciprocity"):
        table[f"{column}_why"] = table["forum_id"] + " because " + column
    return table


def _views(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every unit view of a (layered/concatenated) spec."""
    found = []
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            found += _views(child)
    if "mark" in spec:
        found.append(spec)
    return found


def _assert_hygiene(chart: Any) -> dict[str, Any]:
    spec = chart.to_dict()
    title = spec.get("title")
    assert title and (title.get("text") if isinstance(title, dict) else title)
    assert isinstance(spec.get("description"), str) and len(spec["description"]) > 80
    titled = {ch: False for ch in ("x", "y")}
    for view in _views(spec):
        for channel in titled:
            encoding = view.get("encoding", {}).get(channel, {})
            if encoding.get("title"):
                titled[channel] = True
    assert all(titled.values()), f"axis titles missing: {titled}"
    return spec


def _bound_inputs(spec: dict[str, Any]) -> list[dict[str, Any]]:
    params = list(spec.get("params", []))
    for view in _views(spec):
        params += view.get("params", [])
    inputs = {p["name"]: p for p in params if isinstance(p.get("bind"), dict)}
    return list(inputs.values())


def test_codings_long_has_one_row_per_forum_and_criterion() -> None:
    long = codings_long(_forums())
    assert len(long) == 4 * 3
    quad = long[long["forum_id"] == "quad"].set_index("criterion")
    assert quad.at["Indivisibility", "score"] == 0
    assert quad.at["Diffuse reciprocity", "level"] == "partial"
    assert quad.at["Diffuse reciprocity", "why"] == "quad because ruggie_reciprocity"


def test_codings_long_skips_uncoded_and_rejects_out_of_range() -> None:
    table = _forums()
    table["ruggie_principles"] = table["ruggie_principles"].astype("Int64")
    table.loc[3, "ruggie_principles"] = pd.NA
    assert len(codings_long(table)) == 11
    table.loc[1, "ruggie_reciprocity"] = 3
    with pytest.raises(ValueError, match=r"row 1 \(wto\): column 'ruggie_reciprocity'"):
        codings_long(table)


def test_codings_long_names_missing_columns() -> None:
    with pytest.raises(ValueError, match="ruggie_reciprocity_why"):
        codings_long(_forums().drop(columns="ruggie_reciprocity_why"))


def test_kind_means_worked_by_hand() -> None:
    means = kind_means(_forums()).set_index(["kind", "criterion"])
    assert means.at[("multilateral", "Diffuse reciprocity"), "mean_score"] == pytest.approx(1.5)
    assert means.at[("minilateral", "Generalised principles"), "mean_score"] == pytest.approx(0.5)
    assert means.at[("multilateral", "Diffuse reciprocity"), "share_strong"] == pytest.approx(0.5)
    assert means.at[("minilateral", "Indivisibility"), "forums"] == 2


def test_forum_coding_chart_opens_on_the_chosen_forum_with_a_dropdown() -> None:
    spec = _assert_hygiene(forum_coding_chart(_forums(), start="g20"))
    (select,) = _bound_inputs(spec)
    assert select["value"] == "g20" and select["bind"]["input"] == "select"
    assert select["bind"]["labels"][select["bind"]["options"].index("quad")] == "Quad"
    assert "Group of Twenty" in spec["description"]
    with pytest.raises(ValueError, match="'nato'"):
        forum_coding_chart(_forums(), start="nato")


def test_kind_comparison_quotes_the_means() -> None:
    spec = _assert_hygiene(kind_comparison_chart(_forums()))
    assert "multilateral 1.50, minilateral 1.00" in spec["description"]  # diffuse reciprocity
    assert "2 multilateral and 2 minilateral" in spec["description"]
    bound = _bound_inputs(spec)
    assert [p["name"] for p in bound] == ["formality"]


def test_coding_sheet_chart_describes_its_start_forum() -> None:
    spec = _assert_hygiene(coding_sheet_chart(_forums(), start="wto"))
    assert "Diffuse reciprocity 1 — wto because ruggie_reciprocity" in spec["description"]
    assert _bound_inputs(spec)[0]["name"] == "key_forum"


def test_reciprocity_chart_has_three_bound_controls_and_quotes_the_start_cell() -> None:
    paths = cooperation_paths(n_states=[3, 5], noise=[0.0, 0.1], rounds=8, runs=3)
    values = patience_grid(paths, patience=[0.5, 0.9])
    spec = _assert_hygiene(reciprocity_chart(paths, values, start_n=5, start_noise=0.0,
                                             start_patience=0.9))
    assert sorted(p["name"] for p in _bound_inputs(spec)) == ["n_states", "noise", "patience"]
    # Without noise everyone cooperates: the description must say 100 % for both rules.
    assert "100% of pairs cooperate under specific and 100% under diffuse" in spec["description"]
    with pytest.raises(ValueError, match="start_n=4"):
        reciprocity_chart(paths, values, start_n=4, start_noise=0.0, start_patience=0.9)


def test_compare_coding_worked_by_hand() -> None:
    row = _forums().set_index("forum_id").loc["g20"]
    table = compare_coding(row, 2, 1, 0)
    assert table["dataset"].tolist() == [1, 1, 1]
    assert table["difference"].tolist() == [1, 0, -1]
    assert agreement(table).startswith("You agree on 1 of 3 criteria; your scores differ by 2")
    assert agreement(compare_coding(row, 1, 1, 1)) == "You agree with the dataset on all 3 criteria."


@pytest.mark.parametrize("bad", [3, -1, 1.5, True])
def test_compare_coding_rejects_scores_outside_0_to_2(bad: object) -> None:
    row = _forums().set_index("forum_id").loc["g20"]
    with pytest.raises(ValueError, match="indivisibility score"):
        compare_coding(row, 1, bad, 1)  # type: ignore[arg-type]


def test_live_panel_reveals_the_dataset_only_after_compare() -> None:
    panel = build_panel(_forums(), start="quad")
    assert isinstance(panel, widgets.VBox)
    choose, *sliders, button, result = panel.children
    assert "because" not in result.value
    for slider, score in zip(sliders, (0, 0, 2), strict=True):
        slider.value = score
    button.click()
    assert "quad because ruggie_reciprocity" in result.value
    assert "You agree on 2 of 3 criteria" in result.value
    choose.value = "un"
    assert "because" not in result.value


def test_kind_comparison_headline_follows_the_data() -> None:
    assert kind_comparison_chart(_forums()).to_dict()["title"]["text"].startswith(
        "Multilaterals score higher")
    flipped = _forums()
    flipped.loc[flipped["kind"] == "minilateral", "ruggie_reciprocity"] = 2
    assert kind_comparison_chart(flipped).to_dict()["title"]["text"] == (
        "Mean coding of Ruggie's criteria by kind")
