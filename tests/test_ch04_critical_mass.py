"""Chapter 4: the critical-mass calculator (hand-worked values, edge cases, optimality)."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest

from minilat.dataset import MissingDataWarning, coverage, world_total
from minilat.models.critical_mass import (
    TARGET_GRID,
    TargetUnreachable,
    critical_mass,
    critical_mass_grid,
    forum_coverage,
    indicator_values,
    missing_codes,
    ranked_shares,
    ranking,
    smallest_coalition,
)

# Worked by hand: total 100, so each value is its share in percent.
VALUES = pd.Series({"AAA": 50.0, "BBB": 30.0, "CCC": 15.0, "DDD": 5.0})


@pytest.mark.parametrize(
    ("target", "members", "share"),
    [
        (0.0, (), 0.0),
        (0.10, ("AAA",), 0.50),
        (0.50, ("AAA",), 0.50),  # exactly reached by one
        (0.51, ("AAA", "BBB"), 0.80),
        (0.80, ("AAA", "BBB"), 0.80),  # exact sum: no extra member for float rounding
        (0.81, ("AAA", "BBB", "CCC"), 0.95),
        (1.0, ("AAA", "BBB", "CCC", "DDD"), 1.0),
    ],
)
def test_hand_worked_coalitions(target: float, members: tuple[str, ...], share: float) -> None:
    found = smallest_coalition(VALUES, target)
    assert found.members == members
    assert found.size == len(members)
    assert found.share == pytest.approx(share)


def test_shares_of_a_given_world_total() -> None:
    # World total 200: the four hold only half of it.
    found = smallest_coalition(VALUES, 0.40, total=200.0)
    assert found.members == ("AAA", "BBB") and found.share == pytest.approx(0.40)
    with pytest.raises(TargetUnreachable, match="50.0%"):
        smallest_coalition(VALUES, 0.6, total=200.0)


def test_one_country() -> None:
    assert smallest_coalition(pd.Series({"ONE": 3.0}), 1.0).members == ("ONE",)


def test_target_must_be_a_share() -> None:
    with pytest.raises(ValueError, match="pass 0.5"):
        smallest_coalition(VALUES, 50)
    for bad in (-0.1, 1.5, float("nan"), "half", True):
        with pytest.raises(ValueError, match="target"):
            smallest_coalition(VALUES, bad)  # type: ignore[arg-type]


def test_missing_values_are_left_out_with_a_warning() -> None:
    values = pd.Series({"AAA": 50.0, "BBB": None, "CCC": 30.0, "DDD": np.nan})
    with pytest.warns(MissingDataWarning, match="BBB, DDD"):
        found = smallest_coalition(values, 0.8, total=100.0, indicator="gdp")
    assert found.members == ("AAA", "CCC")
    assert found.share == pytest.approx(0.8)


def test_missing_values_can_make_a_target_unreachable() -> None:
    values = pd.Series({"AAA": 50.0, "BBB": None})
    with pytest.warns(MissingDataWarning), pytest.raises(TargetUnreachable):
        smallest_coalition(values, 0.9, total=100.0)


def test_bad_values_are_named() -> None:
    with pytest.raises(ValueError, match="BBB"):
        smallest_coalition(pd.Series({"AAA": 5.0, "BBB": -1.0}), 0.5)
    with pytest.raises(ValueError, match="AAA"):
        smallest_coalition(pd.Series([1.0, 2.0], index=["AAA", "AAA"]), 0.5)
    with pytest.raises(ValueError, match="positive"):
        smallest_coalition(pd.Series({"AAA": 0.0}), 0.5)


def test_ties_are_broken_by_code() -> None:
    tied = pd.Series({"ZZZ": 10.0, "AAA": 10.0, "MMM": 10.0})
    assert list(ranked_shares(tied).index) == ["AAA", "MMM", "ZZZ"]


@pytest.mark.parametrize("seed", range(40))
def test_greedy_is_the_minimum_count(seed: int) -> None:
    """Brute force over every subset of a small random instance agrees with greedy's count."""
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 9))
    values = pd.Series(rng.pareto(1.2, size) + 0.01, index=[f"C{i:02d}" for i in range(size)])
    total = float(values.sum()) * float(rng.uniform(1.0, 1.3))
    target = float(rng.uniform(0, values.sum() / total))
    greedy = smallest_coalition(values, target, total)
    best = next(k for k in range(size + 1)
                if any(sum(values[list(c)]) / total >= target - 1e-12
                       for c in itertools.combinations(values.index, k)))
    assert greedy.size == best
    assert greedy.share >= target - 1e-12


def test_real_data_calculator_agrees_with_coverage() -> None:
    with pytest.warns(MissingDataWarning, match="co2"):
        found = critical_mass("co2", 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingDataWarning)
        assert coverage(list(found.members), "co2") == pytest.approx(found.share)
    assert found.share >= 0.5
    ranks = ranking("co2")
    # one country fewer falls short: the count is minimal
    assert found.size > 1 and ranks["cumulative"].iloc[found.size - 2] < 0.5
    assert found.members[0] == ranks["code"].iloc[0]


def test_indicator_values_skip_organisations_and_keep_missing() -> None:
    values = indicator_values("gdp")
    assert "EU" not in values.index and "AU" not in values.index
    assert set(missing_codes("gdp")) == set(values.index[values.isna()])
    with pytest.raises(ValueError, match="unknown indicator"):
        indicator_values("co2_per_capita")


def test_grid_covers_every_target_and_indicator() -> None:
    grid = critical_mass_grid()
    assert len(grid) == 3 * len(TARGET_GRID) == 57
    for indicator, part in grid.groupby("indicator"):
        reachable = part[part["reachable"]]
        sizes = reachable["size"].astype(int).tolist()
        assert sizes == sorted(sizes), f"{indicator}: a larger target never needs fewer"
        assert (reachable["share"] >= reachable["target"] - 1e-12).all()
        first = reachable.iloc[-1]
        assert len(first["members"].split(";")) == first["size"]


def test_grid_marks_unreachable_targets() -> None:
    grid = critical_mass_grid(["co2"], [0.5, 0.999])
    assert grid["reachable"].tolist() == [True, False]
    assert pd.isna(grid["size"].iloc[1]) and grid["members"].iloc[1] == ""


def test_forum_coverage_is_never_below_the_frontier() -> None:
    table = forum_coverage()
    assert set(table["forum_id"]) == {"g7", "g20", "brics", "mef"}
    # no real forum reaches its share with fewer countries than the calculator needs
    assert (table["smallest"] <= table["state_members"]).all()
    assert (table["coverage"] > 0).all() and (table["coverage"] < 1).all()
    assert world_total("co2") > 0
