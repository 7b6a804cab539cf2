"""Chapter 5 Kaplan-Meier model: a hand-worked curve, the censoring rules for forums, and
errors that name the forum and column."""

from __future__ import annotations

import pandas as pd
import pytest

from minilat.models.survival import (
    forum_lifetimes,
    kaplan_meier,
    median_survival,
    survival_at,
    survival_by_group,
    unplaceable_forums,
)

# Five units worked by hand: deaths at 2, 3 and 5; censored at 3 and 8.
#   t=2: 5 at risk, 1 dies         → S = 4/5           = 0.8
#   t=3: 4 at risk, 1 dies, 1 cens → S = 0.8 · 3/4     = 0.6
#   t=5: 2 at risk, 1 dies         → S = 0.6 · 1/2     = 0.3
#   t=8: 1 at risk, censored       → S stays             0.3
DURATIONS = [2, 3, 3, 5, 8]
DIED = [True, True, False, True, False]


def test_hand_worked_curve() -> None:
    curve = kaplan_meier(DURATIONS, DIED)
    assert curve["time"].tolist() == [0, 2, 3, 5, 8]
    assert curve["at_risk"].tolist() == [5, 5, 4, 2, 1]
    assert curve["events"].tolist() == [0, 1, 1, 1, 0]
    assert curve["censored"].tolist() == [0, 0, 1, 0, 1]
    assert curve["survival"].tolist() == pytest.approx([1.0, 0.8, 0.6, 0.3, 0.3])


def test_order_of_units_does_not_matter() -> None:
    shuffled = kaplan_meier(DURATIONS[::-1], DIED[::-1])
    assert shuffled.equals(kaplan_meier(DURATIONS, DIED))


def test_step_values_median_and_lookup() -> None:
    curve = kaplan_meier(DURATIONS, DIED)
    assert survival_at(curve, 0) == 1.0
    assert survival_at(curve, 2.9) == pytest.approx(0.8)  # right-continuous step
    assert survival_at(curve, 3) == pytest.approx(0.6)
    assert survival_at(curve, 100) == pytest.approx(0.3)
    assert median_survival(curve) == 5.0
    assert median_survival(kaplan_meier([1, 2], [False, False])) is None


def test_no_censoring_is_the_empirical_share() -> None:
    curve = kaplan_meier([1, 2, 3, 4], [True] * 4)
    assert curve["survival"].tolist() == pytest.approx([1.0, 0.75, 0.5, 0.25, 0.0])


def test_deaths_at_time_zero_lower_the_first_row() -> None:
    curve = kaplan_meier([0, 0, 4, 4], [True, False, True, True])
    assert curve["time"].tolist() == [0, 4]
    assert curve["survival"].tolist() == pytest.approx([0.75, 0.0])
    assert curve.loc[0, "censored"] == 1


@pytest.mark.parametrize(("durations", "observed", "message"), [
    ([1, 2], [True], "same length"),
    ([1, -2], [True, True], "position 1"),
    ([1, float("nan")], [True, True], "position 1"),
])
def test_bad_input_is_named(durations: list[float], observed: list[bool], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        kaplan_meier(durations, observed)


def test_observed_must_be_booleans() -> None:
    with pytest.raises(TypeError, match="True/False"):
        kaplan_meier([1, 2], [1, 0])  # type: ignore[list-item]


# --- forums ------------------------------------------------------------------------------------

def _forums(rows: list[tuple]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=["forum_id", "formality", "founded_year", "ended_year",
                                        "status"])
    return table.astype({"founded_year": "Int64", "ended_year": "Int64"})


FORUMS = _forums([
    ("a", "informal", 2000, 2005, "defunct"),      # death after 5 years
    ("b", "informal", 2000, 2010, "formalised"),   # censored at 10 (or an end at 10)
    ("c", "informal", 2010, None, "active"),       # censored at 2020 - 2010 = 10
    ("d", "informal", 2015, None, "dormant"),      # censored at 5
    ("e", "formal_igo", 1990, 2000, "superseded"),  # censored at 10 (or an end)
    ("f", "formal_igo", 1990, None, "defunct"),    # cannot be placed
    ("g", "formal_igo", None, None, "active"),     # cannot be placed
])


def test_lifetimes_and_censoring_rules() -> None:
    lives = forum_lifetimes(FORUMS, 2020).set_index("forum_id")
    assert list(lives.index) == ["a", "b", "c", "d", "e"]
    assert lives["lifetime"].to_dict() == {"a": 5, "b": 10, "c": 10, "d": 5, "e": 10}
    assert lives["ended"].to_dict() == {"a": True, "b": False, "c": False, "d": False,
                                        "e": False}
    assert lives.loc["c", "end_reason"] == "censored"
    assert lives.loc["b", "end_reason"] == "formalised"


def test_transformation_can_count_as_an_end() -> None:
    lives = forum_lifetimes(FORUMS, 2020, transformation_ends=True).set_index("forum_id")
    assert lives["ended"].to_dict() == {"a": True, "b": True, "c": False, "d": False, "e": True}


def test_unplaceable_forums_are_reported_not_guessed() -> None:
    left_out = unplaceable_forums(FORUMS)
    assert left_out.to_dict("records") == [
        {"forum_id": "f", "reason": "defunct but no ended_year"},
        {"forum_id": "g", "reason": "no founded_year"}]


def test_curves_by_group_by_hand() -> None:
    curves = survival_by_group(forum_lifetimes(FORUMS, 2020), "formality")
    informal = curves[curves["formality"] == "informal"]
    # a dies at 5 with 4 at risk (a, b, c, d: d censored at 5 counts as at risk) → 0.75
    assert informal["time"].tolist() == [0, 5, 10]
    assert informal["survival"].tolist() == pytest.approx([1.0, 0.75, 0.75])
    assert informal["n"].unique().tolist() == [4]
    formal = curves[curves["formality"] == "formal_igo"]
    assert formal["survival"].tolist() == [1.0, 1.0]


@pytest.mark.parametrize(("row", "column"), [
    (("x", "informal", 2000, 1990, "defunct"), "ended_year"),
    (("x", "informal", 2030, None, "active"), "founded_year"),
    (("x", "informal", 2000, None, "asleep"), "status"),
])
def test_bad_forum_rows_name_forum_and_column(row: tuple, column: str) -> None:
    with pytest.raises(ValueError, match=rf"forum_id 'x', column {column}"):
        forum_lifetimes(_forums([row]), 2020)


def test_missing_columns_are_named() -> None:
    with pytest.raises(KeyError, match="status"):
        forum_lifetimes(FORUMS.drop(columns="status"), 2020)


def test_real_dataset_curves_are_valid() -> None:
    from minilat.dataset import forums
    from minilat.dataset.query import reference_year

    table = forums()
    lives = forum_lifetimes(table, reference_year())
    assert len(lives) + len(unplaceable_forums(table)) == len(table)
    assert (lives["lifetime"] >= 0).all()
    curves = survival_by_group(lives, "formality")
    for _, curve in curves.groupby("formality"):
        assert curve["survival"].is_monotonic_decreasing
        assert curve["at_risk"].is_monotonic_decreasing
