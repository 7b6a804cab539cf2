"""Vote shares under one-state-one-vote and under weighted voting.

Every state ``i`` of size ``s_i`` (population, or GDP) gets the weight ``s_i ** alpha``; its vote
share is its weight over the sum of all weights. ``alpha = 0`` is one state, one vote (every
weight is 1); ``alpha = 1`` makes votes proportional to size; ``alpha = 0.5`` is Penrose's
square-root rule. The chapter asks: what share of the votes do the states below a size
threshold hold, and how many of the largest states are enough for a majority?

>>> vote_shares([1, 4], alpha=0.5).tolist()
[0.3333333333333333, 0.6666666666666666]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

# Columns of countries.csv a vote can be weighted by.
SIZE_COLUMNS: dict[str, str] = {"population": "population", "gdp": "gdp_musd"}
# Population bands used by the chapter's charts (lower edge inclusive).
BAND_EDGES: tuple[float, ...] = (0, 1e6, 1e7, 1e8, float("inf"))
BAND_LABELS: tuple[str, ...] = (
    "under 1 million", "1–10 million", "10–100 million", "100 million or more")

ArrayLike = Sequence[float] | np.ndarray | pd.Series


def _sizes(sizes: ArrayLike) -> np.ndarray:
    values = np.asarray(sizes, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError("sizes must be a non-empty one-dimensional list of numbers")
    bad = np.flatnonzero(~np.isfinite(values) | (values <= 0))
    if bad.size:
        raise ValueError(f"sizes must be positive and finite; position {int(bad[0])} is "
                         f"{values[bad[0]]!r}")
    return values


def _alpha(alpha: float) -> float:
    if not np.isfinite(alpha) or alpha < 0:
        raise ValueError(f"the weight exponent alpha must be ≥ 0, not {alpha!r}")
    return float(alpha)


def vote_shares(sizes: ArrayLike, alpha: float) -> np.ndarray:
    """Each state's share (0–1) of all votes when its weight is ``size ** alpha``."""
    values, exponent = _sizes(sizes), _alpha(alpha)
    # Divide by the largest size first so that size ** alpha cannot overflow.
    weights = (values / values.max()) ** exponent
    return weights / weights.sum()


def small_state_vote_share(sizes: ArrayLike, alpha: float, threshold: float,
                           small_by: ArrayLike | None = None) -> float:
    """Share (0–1) of the votes held by the states whose ``small_by`` is below ``threshold``.

    ``small_by`` defaults to ``sizes``: pass populations here to weight votes by GDP but call
    a state small by its population.
    """
    shares = vote_shares(sizes, alpha)
    measure = np.asarray(sizes if small_by is None else small_by, dtype=float)
    if measure.shape != shares.shape:
        raise ValueError(f"small_by has {measure.size} values but sizes has {shares.size}")
    return float(shares[measure < threshold].sum())


def fewest_for_majority(sizes: ArrayLike, alpha: float, quota: float = 0.5) -> int:
    """How many of the largest states together hold more than ``quota`` of the votes."""
    if not 0 <= quota < 1:
        raise ValueError(f"quota must be in [0, 1), not {quota!r}")
    ranked = np.sort(vote_shares(sizes, alpha))[::-1]
    # A small tolerance keeps exact halves (e.g. two equal states) from counting as majorities.
    below = int(np.searchsorted(np.cumsum(ranked), quota + 1e-12, side="right"))
    return min(below + 1, ranked.size)


def smallest_majority(sizes: ArrayLike, alpha: float,
                      populations: ArrayLike | None = None) -> tuple[int, float]:
    """The smallest states that together hold a majority: how many, and their population share.

    States are taken from the smallest up until their votes exceed one half. ``populations``
    defaults to ``sizes`` (pass populations when votes are weighted by GDP).
    """
    values = _sizes(sizes)
    people = values if populations is None else _sizes(populations)
    if people.shape != values.shape:
        raise ValueError(f"populations has {people.size} values but sizes has {values.size}")
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(vote_shares(values, alpha)[order])
    count = min(int(np.searchsorted(cumulative, 0.5 + 1e-12, side="right")) + 1, values.size)
    return count, float(people[order[:count]].sum() / people.sum())


def voting_members(countries: pd.DataFrame, basis: str = "population") -> pd.DataFrame:
    """UN member states with their population and the chosen weighting basis.

    Returns columns code, name, population, size (the basis). States without a value for the
    basis are dropped; ``df.attrs["dropped"]`` lists their codes so callers can say so.
    """
    if basis not in SIZE_COLUMNS:
        raise ValueError(f"unknown basis {basis!r}; use one of {', '.join(SIZE_COLUMNS)}")
    needed = {"code", "name", "un_member", "population", SIZE_COLUMNS[basis]}
    missing = sorted(needed - set(countries.columns))
    if missing:
        raise KeyError(f"the countries table lacks column(s) {', '.join(missing)}")
    members = countries[countries["un_member"].fillna(False).astype(bool)]
    table = pd.DataFrame({
        "code": members["code"].astype(str),
        "name": members["name"].astype(str),
        "population": members["population"].astype("Float64"),
        "size": members[SIZE_COLUMNS[basis]].astype("Float64"),
    })
    known = table["size"].notna() & table["population"].notna()
    result = table[known].astype({"population": float, "size": float}).reset_index(drop=True)
    result.attrs["dropped"] = sorted(table.loc[~known, "code"])
    return result


def band_of(population: ArrayLike) -> list[str]:
    """The population band label (``BAND_LABELS``) of each value."""
    values = np.asarray(population, dtype=float)
    index = np.searchsorted(np.asarray(BAND_EDGES), values, side="right") - 1
    return [BAND_LABELS[i] for i in index]


def band_grid(members: pd.DataFrame, alphas: Iterable[float]) -> pd.DataFrame:
    """Vote share of each population band at each alpha (the chapter's model chart).

    One row per alpha and band: alpha, band, band_order, states, state_share, population_share,
    vote_share (shares in %, rounded to 0.01). Uses ``members`` from ``voting_members``.
    """
    bands = pd.Series(band_of(members["population"]), index=members.index)
    population_share = members["population"] / members["population"].sum()
    rows = []
    for alpha in alphas:
        shares = pd.Series(vote_shares(members["size"], alpha), index=members.index)
        for order, label in enumerate(BAND_LABELS):
            chosen = bands == label
            rows.append({
                "alpha": round(float(alpha), 4), "band": label, "band_order": order,
                "states": int(chosen.sum()),
                "state_share": round(100 * chosen.mean(), 2),
                "population_share": round(100 * float(population_share[chosen].sum()), 2),
                "vote_share": round(100 * float(shares[chosen].sum()), 2),
            })
    return pd.DataFrame(rows)


def threshold_grid(members: pd.DataFrame, alphas: Iterable[float],
                   thresholds: Iterable[float]) -> pd.DataFrame:
    """Vote share (%) of the states below each population threshold, at each alpha.

    One row per threshold and alpha: threshold, alpha, small_states, vote_share,
    fewest_for_majority (how many of the largest states hold a majority at that alpha).
    """
    alphas = [float(a) for a in alphas]
    majority = {a: fewest_for_majority(members["size"], a) for a in alphas}
    rows = []
    for threshold in thresholds:
        small = int((members["population"] < threshold).sum())
        for alpha in alphas:
            share = small_state_vote_share(members["size"], alpha, threshold,
                                           small_by=members["population"])
            rows.append({"threshold": float(threshold), "alpha": round(alpha, 4),
                         "small_states": small, "vote_share": round(100 * share, 2),
                         "fewest_for_majority": majority[alpha]})
    return pd.DataFrame(rows)


def alpha_grid(step: float = 0.05) -> list[float]:
    """Alphas from 0 to 1 in equal steps (rounded so that chart filters match exactly)."""
    if not 0 < step <= 1:
        raise ValueError(f"step must be in (0, 1], not {step!r}")
    count = int(round(1 / step))
    return [round(i / count, 4) for i in range(count + 1)]
