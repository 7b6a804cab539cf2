"""Chapter 2 voting model: hand-worked vote shares, majorities, bands and grids."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from minilat.models.voting import (
    BAND_LABELS,
    alpha_grid,
    band_grid,
    band_of,
    fewest_for_majority,
    small_state_vote_share,
    smallest_majority,
    threshold_grid,
    vote_shares,
    voting_members,
)

# Four states of sizes 1, 4, 4 and 16: square roots 1, 2, 2, 4 (sum 9); sizes sum to 25.
TOY = [1.0, 4.0, 4.0, 16.0]


def test_one_state_one_vote_gives_equal_shares() -> None:
    assert vote_shares(TOY, 0) == pytest.approx([0.25] * 4)


def test_square_root_weights_worked_by_hand() -> None:
    assert vote_shares(TOY, 0.5) == pytest.approx([1 / 9, 2 / 9, 2 / 9, 4 / 9])


def test_proportional_weights_worked_by_hand() -> None:
    assert vote_shares(TOY, 1) == pytest.approx([1 / 25, 4 / 25, 4 / 25, 16 / 25])


def test_huge_sizes_do_not_overflow() -> None:
    assert vote_shares([1e300, 1e300], 1) == pytest.approx([0.5, 0.5])


@pytest.mark.parametrize(("alpha", "expected"), [(0, 3 / 4), (0.5, 5 / 9), (1, 9 / 25)])
def test_small_state_share_below_threshold_five(alpha: float, expected: float) -> None:
    assert small_state_vote_share(TOY, alpha, threshold=5) == pytest.approx(expected)


def test_small_by_population_while_weighting_by_another_size() -> None:
    # Weighted by GDP 10, 10, 80 but "small" by population 1, 2, 30: the first two are small.
    share = small_state_vote_share([10, 10, 80], 1, threshold=5, small_by=[1, 2, 30])
    assert share == pytest.approx(0.2)


def test_threshold_below_every_state_gives_zero() -> None:
    assert small_state_vote_share(TOY, 0, threshold=1) == 0.0


def test_small_by_of_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="small_by has 2 values but sizes has 4"):
        small_state_vote_share(TOY, 0, threshold=5, small_by=[1, 2])


@pytest.mark.parametrize(("alpha", "expected"), [(0, 3), (0.5, 2), (1, 1)])
def test_fewest_for_majority_worked_by_hand(alpha: float, expected: int) -> None:
    # alpha 0: two of four is exactly half, not a majority; alpha 0.5: 4/9 + 2/9 > 1/2.
    assert fewest_for_majority(TOY, alpha) == expected


def test_smallest_majority_worked_by_hand() -> None:
    # One state, one vote: the three smallest (1 + 4 + 4 of 25 people) outvote the largest.
    assert smallest_majority(TOY, 0) == (3, pytest.approx(9 / 25))
    # By population only the largest state (16 of 25) has a majority on its own: all four.
    assert smallest_majority(TOY, 1) == (4, pytest.approx(1.0))
    # Weighted by GDP 10, 10, 80 with populations 5, 3, 2: the two smallest hold 1/5 only.
    assert smallest_majority([10, 10, 80], 1, populations=[5, 3, 2]) == (3, pytest.approx(1.0))
    with pytest.raises(ValueError, match="populations has 1 values"):
        smallest_majority(TOY, 0, populations=[1])


def test_two_equal_states_need_both_for_a_majority() -> None:
    assert fewest_for_majority([5, 5], 0) == 2


def test_two_thirds_quota() -> None:
    # Six equal states: four hold exactly two thirds, so five are needed for more.
    assert fewest_for_majority([1] * 6, 0, quota=2 / 3) == 5
    assert fewest_for_majority([1] * 6, 0, quota=0.6) == 4


@pytest.mark.parametrize("bad", [[], [1, 0], [1, -2], [1, float("nan")], [[1, 2]]])
def test_bad_sizes_are_refused(bad: list) -> None:
    with pytest.raises(ValueError, match="sizes must be"):
        vote_shares(bad, 0.5)


@pytest.mark.parametrize("alpha", [-0.1, float("nan")])
def test_bad_alpha_is_refused(alpha: float) -> None:
    with pytest.raises(ValueError, match="alpha must be"):
        vote_shares(TOY, alpha)


def test_bands_lower_edge_inclusive() -> None:
    assert band_of([999_999, 1_000_000, 99_999_999, 100_000_000]) == [
        BAND_LABELS[0], BAND_LABELS[1], BAND_LABELS[2], BAND_LABELS[3]]


def _countries() -> pd.DataFrame:
    return pd.DataFrame({
        "code": ["AAA", "BBB", "CCC", "DDD", "TWN"],
        "name": ["A", "B", "C", "D", "Taiwan"],
        "un_member": pd.array([True, True, True, True, False], dtype="boolean"),
        "population": pd.array([500_000, 4_000_000, 50_000_000, 200_000_000, 23_000_000],
                               dtype="Float64"),
        "gdp_musd": pd.array([None, 40_000, 500_000, 2_000_000, 700_000], dtype="Float64"),
    })


def test_voting_members_keeps_un_members_and_names_the_dropped() -> None:
    by_population = voting_members(_countries())
    assert list(by_population["code"]) == ["AAA", "BBB", "CCC", "DDD"]
    by_gdp = voting_members(_countries(), "gdp")
    assert list(by_gdp["code"]) == ["BBB", "CCC", "DDD"]
    assert by_gdp.attrs["dropped"] == ["AAA"]
    assert list(by_gdp["size"]) == [40_000, 500_000, 2_000_000]


def test_voting_members_errors_name_the_problem() -> None:
    with pytest.raises(ValueError, match="unknown basis 'area'"):
        voting_members(_countries(), "area")
    with pytest.raises(KeyError, match="population"):
        voting_members(_countries().drop(columns="population"))


def test_band_grid_extremes_match_state_and_population_shares() -> None:
    grid = band_grid(voting_members(_countries()), [0, 0.5, 1])
    assert len(grid) == 3 * len(BAND_LABELS)
    for _, one_alpha in grid.groupby("alpha"):
        assert one_alpha["vote_share"].sum() == pytest.approx(100, abs=0.05)
    at_zero = grid[grid["alpha"] == 0]
    assert list(at_zero["vote_share"]) == [25.0, 25.0, 25.0, 25.0]
    at_one = grid[grid["alpha"] == 1]
    assert list(at_one["vote_share"]) == list(at_one["population_share"])
    # 200 million of 254.5 million people live in the one large state.
    assert at_one["vote_share"].iloc[3] == pytest.approx(100 * 200 / 254.5, abs=0.01)


def test_threshold_grid_small_share_falls_as_alpha_rises() -> None:
    members = voting_members(_countries())
    grid = threshold_grid(members, alpha_grid(0.1), [1e7])
    assert (grid["small_states"] == 2).all()
    assert grid["vote_share"].iloc[0] == 50.0
    assert np.all(np.diff(grid["vote_share"]) < 0)
    assert grid["fewest_for_majority"].iloc[0] == 3
    assert grid["fewest_for_majority"].iloc[-1] == 1


def test_alpha_grid() -> None:
    assert alpha_grid(0.25) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert len(alpha_grid(0.05)) == 21
    with pytest.raises(ValueError, match="step"):
        alpha_grid(0)
