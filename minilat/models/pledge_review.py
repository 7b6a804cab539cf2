"""Pledge and review with a review ratchet and changes of government (Chapter 5).

A forum of ``n`` members. Each member holds a pledge — its **ambition**, a number from 0 to 1.
Every period, in this order:

1. **Changes of government.** Each member's government changes with probability ``p``. A new
   government does not feel bound by its predecessor's pledge: it keeps only a random fraction
   ``u`` (drawn uniformly from 0 to 1) of it, ``a ← u·a``.
2. **Review.** Members assess one another's pledges. Review strength ``r`` (0 to 1) pulls every
   pledge that share of the way towards the best pledge on the table: ``a ← a + r·(max a − a)``.
   With ``r = 0`` there is no review; with ``r = 1`` everyone matches the leader at once.
3. **Survival.** The forum's **commitment** is the members' average ambition. When it falls
   below ``threshold`` the forum dies: it no longer holds anyone to anything.

So review can only ratchet pledges up (never above the best one), and only turnover brings them
down: with ``p = 0`` every pledge rises monotonically towards the initial leader, and with
``r = 0`` pledges only fall. A forum alive after ``periods`` periods is right-censored there:
its recorded lifetime is ``periods``.

``simulate`` takes its random numbers as arrays, so hand-worked cases can be checked exactly.
``run`` draws them from a fixed seed and averages ``runs`` forums; ``grid`` runs every
(``r``, ``p``) pair on the same draws (common random numbers), so neighbouring cells differ
because of the parameters, not luck.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

DEFAULT_MEMBERS = 5
DEFAULT_PERIODS = 40
DEFAULT_RUNS = 200
DEFAULT_THRESHOLD = 0.3
DEFAULT_SEED = 2026
INITIAL_RANGE = (0.3, 1.0)  # initial pledges are drawn uniformly from this range
GRID_REVIEW: tuple[float, ...] = tuple(round(0.05 * i, 2) for i in range(11))  # 0 … 0.5
GRID_TURNOVER: tuple[float, ...] = tuple(round(0.025 * i, 3) for i in range(9))  # 0 … 0.2


@dataclass(frozen=True)
class Paths:
    """What ``simulate`` returns for ``runs`` forums over ``periods`` periods.

    ``ambition[k, t]`` is forum k's average pledge after period t (t = 0 is the start), NaN
    once the forum has died; ``lifetime[k]`` is the period in which it died, or ``periods`` if it
    was still alive at the end (then ``died[k]`` is False).
    """

    ambition: np.ndarray
    lifetime: np.ndarray
    died: np.ndarray


def _check_share(value: float, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)) \
            or not 0 <= float(value) <= 1:
        raise ValueError(f"{name} must be a number from 0 to 1, got {value!r}")


def simulate(initial: np.ndarray, turnover_draws: np.ndarray, kept_fractions: np.ndarray,
             review: float, turnover: float, threshold: float = DEFAULT_THRESHOLD) -> Paths:
    """Run forums from given random numbers.

    ``initial``: pledges at the start, shape (runs, members). ``turnover_draws`` and
    ``kept_fractions``: shape (runs, periods, members), uniform on [0, 1): a member's government
    changes in a period when its draw is below ``turnover``, and then keeps that fraction.
    """
    _check_share(review, "review")
    _check_share(turnover, "turnover")
    _check_share(threshold, "threshold")
    pledges = np.array(initial, dtype=float)
    if pledges.ndim != 2 or pledges.shape[1] < 1:
        raise ValueError(f"initial must have shape (runs, members), got {pledges.shape}")
    if np.any((pledges < 0) | (pledges > 1)):
        raise ValueError("initial pledges must lie between 0 and 1")
    turn, kept = np.asarray(turnover_draws, float), np.asarray(kept_fractions, float)
    runs, members = pledges.shape
    if turn.ndim != 3 or turn.shape[::2] != (runs, members) or kept.shape != turn.shape:
        raise ValueError(f"turnover_draws and kept_fractions must both have shape (runs, periods, "
                         f"members) = ({runs}, T, {members}); got {turn.shape} and {kept.shape}")
    periods = turn.shape[1]
    ambition = np.full((runs, periods + 1), np.nan)
    alive = np.ones(runs, dtype=bool)
    lifetime = np.full(runs, periods)
    mean = pledges.mean(axis=1)
    alive &= mean >= threshold
    lifetime[~alive] = 0
    ambition[alive, 0] = mean[alive]
    for t in range(1, periods + 1):
        changed = turn[:, t - 1, :] < turnover
        pledges = np.where(changed, pledges * kept[:, t - 1, :], pledges)
        pledges = pledges + review * (pledges.max(axis=1, keepdims=True) - pledges)
        mean = pledges.mean(axis=1)
        dies_now = alive & (mean < threshold)
        lifetime[dies_now] = t
        alive &= ~dies_now
        ambition[alive, t] = mean[alive]
    return Paths(ambition=ambition, lifetime=lifetime, died=lifetime < periods)


def draws(runs: int = DEFAULT_RUNS, periods: int = DEFAULT_PERIODS,
          members: int = DEFAULT_MEMBERS, seed: int = DEFAULT_SEED
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The random numbers of ``runs`` forums: initial pledges, turnover draws, kept fractions."""
    for value, name in ((runs, "runs"), (periods, "periods"), (members, "members")):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a whole number ≥ 1, got {value!r}")
    rng = np.random.default_rng(seed)
    initial = rng.uniform(*INITIAL_RANGE, size=(runs, members))
    return (initial, rng.random((runs, periods, members)), rng.random((runs, periods, members)))


def summarise(paths: Paths, review: float, turnover: float) -> pd.DataFrame:
    """One row per period: ``alive_pct`` (forums still alive) and ``ambition`` (their average)."""
    periods = paths.ambition.shape[1]
    alive = ~np.isnan(paths.ambition)
    counts = alive.sum(axis=0)
    totals = np.where(alive, paths.ambition, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        average = np.where(counts > 0, totals / np.maximum(counts, 1), np.nan)
    return pd.DataFrame({"review": review, "turnover": turnover, "period": np.arange(periods),
                         "alive_pct": 100 * counts / alive.shape[0], "ambition": average})


def run(review: float, turnover: float, runs: int = DEFAULT_RUNS,
        periods: int = DEFAULT_PERIODS, members: int = DEFAULT_MEMBERS,
        threshold: float = DEFAULT_THRESHOLD, seed: int = DEFAULT_SEED) -> Paths:
    """``runs`` forums with review strength ``review`` and turnover ``turnover`` (fixed seed)."""
    return simulate(*draws(runs, periods, members, seed), review, turnover, threshold)


def grid(reviews: Sequence[float] = GRID_REVIEW, turnovers: Sequence[float] = GRID_TURNOVER,
         runs: int = DEFAULT_RUNS, periods: int = DEFAULT_PERIODS,
         members: int = DEFAULT_MEMBERS, threshold: float = DEFAULT_THRESHOLD,
         seed: int = DEFAULT_SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The model on every (review, turnover) pair, on the same random draws.

    Returns ``(paths, lifetimes)``: ``paths`` has one row per pair and period (``alive_pct``,
    ``ambition``); ``lifetimes`` one row per pair with ``mean_lifetime`` (periods, capped at
    ``periods``), ``survived_pct`` (alive at the end) and ``final_ambition`` (average pledge of
    the survivors at the end, NaN if none survived).
    """
    if not reviews or not turnovers:
        raise ValueError("the grid needs at least one review strength and one turnover rate")
    random_numbers = draws(runs, periods, members, seed)
    path_tables, rows = [], []
    for review in reviews:
        for turnover in turnovers:
            paths = simulate(*random_numbers, review, turnover, threshold)
            path_tables.append(summarise(paths, review, turnover))
            final = paths.ambition[:, -1]
            rows.append({"review": review, "turnover": turnover,
                         "mean_lifetime": float(paths.lifetime.mean()),
                         "survived_pct": 100 * float((~paths.died).mean()),
                         "final_ambition": float(np.nanmean(final)) if np.isfinite(final).any()
                         else np.nan})
    return pd.concat(path_tables, ignore_index=True), pd.DataFrame(rows)
