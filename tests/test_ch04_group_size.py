"""Chapter 4: group size and collective-good provision (Olson vs Chamberlin), worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from minilat.models.group_size import (
    CROWDINGS,
    SIZES,
    best_response,
    equilibrium_contributions,
    group_benefit,
    marginal_valuations,
    optimal_provision,
    provision,
    provision_grid,
    stakes,
)


def test_stakes_fall_with_rank() -> None:
    assert stakes(3).tolist() == pytest.approx([1, 1 / 2, 1 / 3])
    assert stakes(3, inequality=0).tolist() == [1, 1, 1]
    assert stakes(2, inequality=2).tolist() == pytest.approx([1, 1 / 4])


def test_one_member_provides_its_own_optimum() -> None:
    # V = 10, n = 1: buys where 10 / (1 + Q) = 1, so Q = 9, whatever the crowding.
    for c in (0.0, 0.5, 1.0):
        assert provision(1, c) == pytest.approx(9.0)
        assert optimal_provision(1, c) == pytest.approx(9.0)


def test_hand_worked_two_members() -> None:
    # n = 2, V = 10, Zipf stakes 1 and 1/2.
    # Rival (c = 1): valuations 5 and 2.5 → the largest buys 4; optimum 7.5 − 1 = 6.5.
    assert marginal_valuations(2, 1.0).tolist() == pytest.approx([5.0, 2.5])
    assert provision(2, 1.0) == pytest.approx(4.0)
    assert optimal_provision(2, 1.0) == pytest.approx(6.5)
    # Pure public good (c = 0): valuations 10 and 5 → 9 provided; optimum 15 − 1 = 14.
    assert provision(2, 0.0) == pytest.approx(9.0)
    assert optimal_provision(2, 0.0) == pytest.approx(14.0)
    # c = 0.5: largest valuation 10/√2 → provision 10/√2 − 1.
    assert provision(2, 0.5) == pytest.approx(10 / math.sqrt(2) - 1)


def test_rival_good_is_not_provided_once_the_share_is_below_cost() -> None:
    # c = 1, V = 10: the largest member's valuation 10/n ≤ 1 from n = 10 on.
    assert provision(9, 1.0) == pytest.approx(10 / 9 - 1)
    assert provision(10, 1.0) == 0.0
    assert provision(40, 1.0) == 0.0


def test_equilibrium_is_a_nash_equilibrium() -> None:
    for n, c in [(1, 0.0), (5, 0.0), (5, 0.7), (12, 1.0), (30, 0.3)]:
        given = equilibrium_contributions(n, c)
        assert given[1:].sum() == 0.0, "only the largest member contributes"
        for member in range(n):
            others = float(given.sum() - given[member])
            assert best_response(member, others, n, c) == pytest.approx(given[member])


def test_equal_members_make_provision_the_same_as_one_members() -> None:
    # Equal stakes and no crowding: each values the good as a lone member would.
    assert provision(7, 0.0, inequality=0.0) == pytest.approx(9.0)
    assert optimal_provision(7, 0.0, inequality=0.0) == pytest.approx(69.0)


def test_olson_and_chamberlin() -> None:
    grid = provision_grid()
    pure = grid[grid["crowding"] == 0.0]
    rival = grid[grid["crowding"] == 1.0]
    # Chamberlin: a non-rival good is provided at the same level however large the group,
    # and its value to the group rises with every member.
    assert np.allclose(pure["provided"], 9.0)
    assert pure["group_benefit"].is_monotonic_increasing
    assert pure["group_benefit"].iloc[-1] > pure["group_benefit"].iloc[0]
    # Olson: with crowding, provision falls as the group grows.
    assert rival["provided"].is_monotonic_decreasing
    assert rival["provided"].iloc[-1] == 0.0
    assert (grid["gap"] >= -1e-12).all(), "provision never exceeds the optimum"


def test_grid_shape() -> None:
    grid = provision_grid()
    assert len(grid) == len(SIZES) * len(CROWDINGS) == 40 * 11
    assert set(grid.columns) == {"n", "crowding", "provided", "optimal", "gap", "group_benefit"}


def test_group_benefit_by_hand() -> None:
    # n = 2, c = 0: total valuation 15; at Q = e − 1, ln(1 + Q) = 1.
    assert group_benefit(2, 0.0, math.e - 1) == pytest.approx(15.0)
    assert group_benefit(2, 0.0, 0.0) == 0.0
    with pytest.raises(ValueError, match="quantity"):
        group_benefit(2, 0.0, -1.0)


@pytest.mark.parametrize(("n", "c", "match"), [(0, 0.5, "group size"), (2.5, 0.5, "group size"),
                                               (3, 1.5, "crowding"), (3, -0.1, "crowding")])
def test_bad_input(n, c, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        provision(n, c)


def test_bad_value() -> None:
    with pytest.raises(ValueError, match="value"):
        provision(2, 0.5, value=-1.0)
