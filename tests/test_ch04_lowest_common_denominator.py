"""Chapter 4: the lowest common denominator (order statistics worked by hand)."""

from __future__ import annotations

import pytest

from minilat.models.lowest_common_denominator import (
    PRESETS,
    RULES,
    SIZES,
    Preferences,
    expected_order_statistic,
    expected_outcome,
    outcome_grid,
    outcome_rank,
    simulate_outcome,
    supporters_needed,
)


@pytest.mark.parametrize(
    ("n", "consensus", "two_thirds", "majority"),
    [(1, 1, 1, 1), (2, 2, 2, 2), (3, 3, 2, 2), (4, 4, 3, 3), (7, 7, 5, 4), (193, 193, 129, 97)],
)
def test_supporters_needed(n: int, consensus: int, two_thirds: int, majority: int) -> None:
    assert supporters_needed(n, "consensus") == consensus
    assert supporters_needed(n, "two-thirds majority") == two_thirds
    assert supporters_needed(n, "simple majority") == majority


def test_consensus_is_set_by_the_lowest_preference() -> None:
    assert outcome_rank(7, "consensus") == 1
    assert outcome_rank(7, "simple majority") == 4  # the median of seven


@pytest.mark.parametrize("n", [1, 2, 3, 7, 20, 193])
def test_uniform_preferences_give_j_over_n_plus_one(n: int) -> None:
    # Evenly spread preferences: E[j-th lowest of n] = j / (n + 1).
    assert expected_outcome(n, "consensus") == pytest.approx(1 / (n + 1), abs=1e-12)
    for j in {1, (n + 1) // 2, n}:
        assert expected_order_statistic(n, j) == pytest.approx(j / (n + 1), abs=1e-12)


def test_majority_of_an_odd_group_is_one_half() -> None:
    for n in (1, 3, 21, 193):
        assert expected_outcome(n, "simple majority") == pytest.approx(0.5, abs=1e-12)
    # Even n: k = n/2 + 1 supporters, so the (n/2)-th lowest: 2/5 for n = 4.
    assert expected_outcome(4, "simple majority") == pytest.approx(2 / 5)


def test_cautious_members_by_hand() -> None:
    # Beta(1, 3): P(X > x) = (1 − x)³, so E[min of n] = ∫ (1 − x)^(3n) dx = 1 / (3n + 1).
    for n in (1, 3, 21):
        assert expected_outcome(n, "consensus", "mostly cautious") == pytest.approx(1 / (3 * n + 1))


def test_ambitious_members_by_hand() -> None:
    # Beta(3, 1): F(x) = x³. One member: mean 3/4. Max of two (j = 2): ∫ 1 − x⁶ dx = 6/7.
    assert expected_outcome(1, "consensus", "mostly ambitious") == pytest.approx(0.75)
    assert expected_order_statistic(2, 2, "mostly ambitious") == pytest.approx(6 / 7)


def test_one_member_decides_alone_under_every_rule() -> None:
    for name, prefs in PRESETS.items():
        for rule in RULES:
            assert expected_outcome(1, rule, name) == pytest.approx(prefs.mean)


@pytest.mark.parametrize("prefs", list(PRESETS))
def test_exact_agrees_with_deterministic_simulation(prefs: str) -> None:
    for n, rule in [(5, "consensus"), (8, "two-thirds majority"), (15, "simple majority")]:
        exact = expected_outcome(n, rule, prefs)
        assert simulate_outcome(n, rule, prefs, seed=1) == pytest.approx(exact, abs=0.01)
    assert simulate_outcome(5, "consensus", prefs, seed=3) == simulate_outcome(
        5, "consensus", prefs, seed=3), "the simulation is deterministic for a seed"


def test_consensus_falls_and_never_beats_majority() -> None:
    grid = outcome_grid()
    assert len(grid) == len(PRESETS) * len(RULES) * len(SIZES)
    for (prefs, rule), part in grid.groupby(["preferences", "rule"]):
        if rule == "consensus":
            assert part["ambition"].is_monotonic_decreasing, prefs
    wide = grid.pivot_table(index=["preferences", "n"], columns="rule", values="ambition")
    assert (wide["consensus"] <= wide["two-thirds majority"] + 1e-12).all()
    assert (wide["two-thirds majority"] <= wide["simple majority"] + 1e-12).all()


def test_bad_input_is_named() -> None:
    with pytest.raises(ValueError, match="decision rule"):
        supporters_needed(3, "veto")
    with pytest.raises(ValueError, match="members n"):
        expected_outcome(0, "consensus")
    with pytest.raises(ValueError, match="order j"):
        expected_order_statistic(3, 4)
    with pytest.raises(ValueError, match="presets"):
        expected_outcome(3, "consensus", "hopeful")
    with pytest.raises(ValueError, match="whole number"):
        Preferences("odd", 1.5, 2)  # type: ignore[arg-type]
