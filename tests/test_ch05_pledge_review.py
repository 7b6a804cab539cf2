"""Chapter 5 pledge-and-review model: hand-worked ratchets and shocks, the two limiting cases
(p = 0: a monotone ratchet; r = 0: no ratchet), determinism and the grid."""

from __future__ import annotations

import numpy as np
import pytest

from minilat.models.pledge_review import draws, grid, run, simulate, summarise


def _no_shocks(runs: int, periods: int, members: int) -> tuple[np.ndarray, np.ndarray]:
    return np.ones((runs, periods, members)), np.ones((runs, periods, members))


def test_ratchet_by_hand() -> None:
    # pledges [1.0, 0.5], r = 0.5: the laggard closes half the gap each period
    #   t1: 0.5 + 0.5·0.5 = 0.75 → mean 0.875;  t2: 0.75 + 0.5·0.25 = 0.875 → mean 0.9375
    paths = simulate(np.array([[1.0, 0.5]]), *_no_shocks(1, 2, 2), review=0.5, turnover=0.0)
    assert paths.ambition[0].tolist() == pytest.approx([0.75, 0.875, 0.9375])
    assert paths.lifetime.tolist() == [2] and not paths.died[0]


def test_shock_by_hand() -> None:
    # member 0 (pledge 0.8) gets a new government in period 1 and keeps half: 0.4.
    # Then review r = 0.5 pulls it halfway to the leader 0.6: 0.5. Mean (0.5 + 0.6)/2 = 0.55.
    turn = np.array([[[0.0, 0.9]]])  # member 0 draws below p = 0.5, member 1 does not
    kept = np.array([[[0.5, 0.1]]])
    paths = simulate(np.array([[0.8, 0.6]]), turn, kept, review=0.5, turnover=0.5)
    assert paths.ambition[0].tolist() == pytest.approx([0.7, 0.55])


def test_death_when_commitment_falls_below_threshold() -> None:
    # r = 0, every government changes and keeps half: mean 0.8 → 0.4 → 0.2 (< 0.3: dies at 2)
    turn = np.zeros((1, 4, 2))
    kept = np.full((1, 4, 2), 0.5)
    paths = simulate(np.array([[0.8, 0.8]]), turn, kept, review=0.0, turnover=1.0,
                     threshold=0.3)
    assert paths.lifetime.tolist() == [2] and paths.died.tolist() == [True]
    assert paths.ambition[0, :2].tolist() == pytest.approx([0.8, 0.4])
    assert np.isnan(paths.ambition[0, 2:]).all()


def test_forum_below_threshold_at_start_has_lifetime_zero() -> None:
    paths = simulate(np.array([[0.1, 0.1]]), *_no_shocks(1, 3, 2), 0.5, 0.0, threshold=0.3)
    assert paths.lifetime.tolist() == [0] and np.isnan(paths.ambition).all()


def test_no_turnover_is_a_monotone_ratchet() -> None:
    initial, turn, kept = draws(runs=50, periods=30, members=5, seed=7)
    paths = simulate(initial, turn, kept, review=0.3, turnover=0.0)
    assert not paths.died.any()
    assert (np.diff(paths.ambition, axis=1) >= -1e-12).all()
    # everyone converges on the initial leader, never above it
    assert paths.ambition[:, -1] == pytest.approx(initial.max(axis=1), abs=1e-3)


def test_no_review_means_no_ratchet() -> None:
    initial, turn, kept = draws(runs=50, periods=30, members=5, seed=7)
    still = simulate(initial, turn, kept, review=0.0, turnover=0.0)
    assert np.allclose(still.ambition, initial.mean(axis=1, keepdims=True))
    falling = simulate(initial, turn, kept, review=0.0, turnover=0.2, threshold=0.0)
    assert (np.diff(falling.ambition, axis=1) <= 1e-12).all()


def test_full_review_matches_the_leader_at_once() -> None:
    paths = simulate(np.array([[0.9, 0.3, 0.6]]), *_no_shocks(1, 1, 3), 1.0, 0.0)
    assert paths.ambition[0].tolist() == pytest.approx([0.6, 0.9])


def test_runs_are_deterministic_and_seeded() -> None:
    a, b = run(0.2, 0.1, runs=30), run(0.2, 0.1, runs=30)
    assert np.array_equal(a.lifetime, b.lifetime)
    assert not np.array_equal(run(0.2, 0.1, runs=30, seed=1).lifetime, a.lifetime)


def test_summary_counts_survivors() -> None:
    turn = np.zeros((2, 2, 1))
    kept = np.array([[[0.5], [0.5]], [[1.0], [1.0]]])  # run 0 halves, run 1 keeps
    paths = simulate(np.array([[0.8], [0.8]]), turn, kept, 0.0, 1.0, threshold=0.3)
    table = summarise(paths, 0.0, 1.0)
    assert table["alive_pct"].tolist() == [100.0, 100.0, 50.0]
    assert table["ambition"].tolist() == pytest.approx([0.8, 0.6, 0.8])


def test_grid_shapes_and_ordering() -> None:
    paths, lifetimes = grid(reviews=(0.0, 0.4), turnovers=(0.0, 0.2), runs=100, periods=20)
    assert len(lifetimes) == 4 and len(paths) == 4 * 21
    cell = lifetimes.set_index(["review", "turnover"])
    assert cell.loc[(0.0, 0.0), "survived_pct"] == 100.0
    # more turnover shortens lives; stronger review lengthens them (same draws)
    assert cell.loc[(0.0, 0.2), "mean_lifetime"] < cell.loc[(0.0, 0.0), "mean_lifetime"]
    assert cell.loc[(0.4, 0.2), "mean_lifetime"] > cell.loc[(0.0, 0.2), "mean_lifetime"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"review": 1.5}, "review"),
    ({"turnover": -0.1}, "turnover"),
    ({"threshold": True}, "threshold"),
])
def test_bad_parameters_are_named(kwargs: dict[str, float], message: str) -> None:
    args = {"review": 0.1, "turnover": 0.1, "threshold": 0.3, **kwargs}
    with pytest.raises(ValueError, match=message):
        simulate(np.array([[0.5]]), *_no_shocks(1, 1, 1), **args)


def test_bad_shapes_are_named() -> None:
    with pytest.raises(ValueError, match="shape"):
        simulate(np.array([[0.5, 0.5]]), np.zeros((1, 3, 1)), np.zeros((1, 3, 1)), 0.1, 0.1)
    with pytest.raises(ValueError, match="runs"):
        draws(runs=0)
    with pytest.raises(ValueError, match="at least one"):
        grid(reviews=())
