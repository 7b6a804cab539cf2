"""The critical-mass calculator: the fewest countries that together hold a target share of the world.

A minilateral forum follows a "critical mass" approach: it invites the few countries that matter
most for the problem. Given an indicator (CO₂ emissions, GDP, population) and a target share of
the world total, `smallest_coalition` finds the smallest group of countries whose combined share
reaches the target.

>>> import pandas as pd
>>> values = pd.Series({"AAA": 50.0, "BBB": 30.0, "CCC": 15.0, "DDD": 5.0})
>>> smallest_coalition(values, target=0.75).members
('AAA', 'BBB')
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from minilat.dataset import countries, coverage, members, world_total
from minilat.dataset.load import PathLike
from minilat.dataset.query import INDICATORS, MissingDataWarning

# Targets on the page: 5 % to 95 % in steps of 5 (shares, not percentages).
TARGET_GRID: tuple[float, ...] = tuple(round(t / 100, 2) for t in range(5, 100, 5))
FORUMS: tuple[str, ...] = ("g7", "g20", "brics", "mef")
# Prefix sums are floats: a target equal to an exact sum must not need one more country.
TOLERANCE = 1e-12


class TargetUnreachable(ValueError):
    """Even every country with a value together holds less than the target share."""


@dataclass(frozen=True)
class Coalition:
    """The smallest coalition found for one target share of one indicator."""

    target: float  # share of the world total asked for, 0–1
    members: tuple[str, ...]  # codes, largest first
    share: float  # share of the world total the members hold together, 0–1
    indicator: str = ""

    @property
    def size(self) -> int:
        return len(self.members)


def _check_target(target: float) -> float:
    if not isinstance(target, numbers.Real) or isinstance(target, bool) or np.isnan(target):
        raise ValueError(f"target must be a share between 0 and 1, not {target!r}")
    if not 0 <= target <= 1:
        hint = f"; for {target} % pass {target / 100:g}" if 1 < target <= 100 else ""
        raise ValueError(f"target must be a share between 0 and 1, got {target}{hint}")
    return float(target)


def ranked_shares(values: pd.Series, total: float | None = None,
                  indicator: str = "indicator") -> pd.Series:
    """Each country's share of ``total`` (default: the sum of ``values``), largest first.

    ``values`` maps country codes (the index) to amounts. Missing amounts are left out with a
    ``MissingDataWarning`` naming the countries; negative amounts raise ``ValueError``. Ties are
    broken by code so that the ranking, and every coalition built from it, is reproducible.
    """
    numbers = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce").astype(float)
    if not numbers.index.is_unique:
        duplicated = sorted(set(numbers.index[numbers.index.duplicated()]))
        raise ValueError(f"{indicator}: each country may appear once; repeated: {duplicated}")
    missing = sorted(str(code) for code in numbers.index[numbers.isna()])
    if missing:
        warnings.warn(f"no {indicator} value for {len(missing)} countries "
                      f"({', '.join(missing)}): they are left out", MissingDataWarning,
                      stacklevel=2)
    numbers = numbers.dropna()
    negative = sorted(str(code) for code in numbers.index[numbers < 0])
    if negative:
        raise ValueError(f"{indicator}: amounts cannot be negative; see {', '.join(negative)}")
    denominator = float(numbers.sum()) if total is None else float(total)
    if denominator <= 0:
        raise ValueError(f"{indicator}: the world total must be positive, got {denominator}")
    frame = pd.DataFrame({"code": numbers.index.astype(str), "value": numbers.to_numpy()})
    frame = frame.sort_values(["value", "code"], ascending=[False, True])
    return pd.Series(frame["value"].to_numpy() / denominator, index=frame["code"].to_numpy(),
                     name="share")


def smallest_coalition(values: pd.Series, target: float, total: float | None = None,
                       indicator: str = "indicator") -> Coalition:
    """The fewest countries whose shares of ``total`` add up to at least ``target`` (0–1).

    The method is greedy: take countries from the largest down until the target is reached.

    Why greedy by size gives the minimum count. Sort the shares so that v₁ ≥ v₂ ≥ … ≥ vₙ and let
    k be the first count with v₁ + … + vₖ ≥ target (what greedy returns). Take any coalition
    with m members, and list its shares from largest down: u₁ ≥ … ≥ uₘ. Its i-th largest share
    is at most vᵢ, because at least i countries (its own i largest) hold uᵢ or more, so uᵢ
    cannot exceed the i-th largest share of all countries. Hence u₁ + … + uₘ ≤ v₁ + … + vₘ: no
    coalition of m members holds more than the m largest countries together. If m < k, the
    m largest fall short of the target (k was the first count to reach it), so the coalition
    does too. Every coalition that reaches the target therefore has at least k members, and
    greedy's k is the minimum. (The members need not be unique when shares tie; the count is.)

    ``target`` 0 gives the empty coalition. A target above what all countries with a value hold
    together raises ``TargetUnreachable``.
    """
    wanted = _check_target(target)
    shares = ranked_shares(values, total, indicator)
    running = shares.cumsum().to_numpy()
    if wanted == 0:
        return Coalition(wanted, (), 0.0, indicator)
    reached = np.flatnonzero(running >= wanted - TOLERANCE)
    if reached.size == 0:
        most = running[-1] if running.size else 0.0
        raise TargetUnreachable(
            f"{indicator}: all {len(shares)} countries with a value hold {most:.1%} of the world "
            f"total, less than the target {wanted:.1%}")
    size = int(reached[0]) + 1
    return Coalition(wanted, tuple(shares.index[:size]), float(running[size - 1]), indicator)


def indicator_values(indicator: str, data_dir: PathLike = None) -> pd.Series:
    """The indicator for every country that can join a coalition: codes → amounts.

    Organisations (EU, AU) are left out so that their member states are not counted twice, as
    ``coverage()`` does. Countries without a value stay in the series as missing.
    """
    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}; use one of {', '.join(INDICATORS)}")
    table = countries(data_dir)
    table = table[table["entity_type"] != "organisation"]
    return pd.Series(table[INDICATORS[indicator]].to_numpy(dtype=float, na_value=np.nan),
                     index=table["code"].astype(str).to_numpy(), name=indicator)


def critical_mass(indicator: str, target: float, data_dir: PathLike = None) -> Coalition:
    """The smallest coalition holding ``target`` (0–1) of the world's ``indicator``.

    >>> critical_mass("co2", 0.5).size  # doctest: +SKIP
    3
    """
    return smallest_coalition(indicator_values(indicator, data_dir), target,
                              world_total(indicator, data_dir), indicator)


def missing_codes(indicator: str, data_dir: PathLike = None) -> list[str]:
    """Codes of the countries left out of the calculator because the indicator is missing."""
    values = indicator_values(indicator, data_dir)
    return sorted(values.index[values.isna()])


def ranking(indicator: str, data_dir: PathLike = None) -> pd.DataFrame:
    """Countries largest first: rank, code, name, share and cumulative share (all 0–1)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingDataWarning)  # reported by missing_codes()
        shares = ranked_shares(indicator_values(indicator, data_dir),
                               world_total(indicator, data_dir), indicator)
    names = countries(data_dir).set_index("code")["name"]
    return pd.DataFrame({
        "indicator": indicator,
        "rank": np.arange(1, len(shares) + 1),
        "code": shares.index,
        "name": [str(names[code]) for code in shares.index],
        "share": shares.to_numpy(),
        "cumulative": shares.cumsum().to_numpy(),
    })


def critical_mass_grid(indicators: Iterable[str] = ("co2", "gdp", "population"),
                       targets: Sequence[float] = TARGET_GRID,
                       data_dir: PathLike = None) -> pd.DataFrame:
    """The smallest coalition for every (indicator, target): the table the page's slider reads.

    Columns: indicator, target (0–1), reachable, size, share, members (codes largest first,
    ``;``-joined). An unreachable target has ``reachable`` False and empty size and members.
    """
    rows = []
    for indicator in indicators:
        values = indicator_values(indicator, data_dir)
        total = world_total(indicator, data_dir)
        for target in targets:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", MissingDataWarning)  # see missing_codes()
                try:
                    found = smallest_coalition(values, target, total, indicator)
                except TargetUnreachable:
                    rows.append((indicator, float(target), False, None, None, ""))
                    continue
            rows.append((indicator, float(target), True, found.size, found.share,
                         ";".join(found.members)))
    grid = pd.DataFrame(rows, columns=["indicator", "target", "reachable", "size", "share",
                                       "members"])
    return grid.astype({"size": "Int64", "share": "Float64"})


def forum_coverage(forum_ids: Iterable[str] = FORUMS,
                   indicators: Iterable[str] = ("co2", "gdp", "population"),
                   data_dir: PathLike = None) -> pd.DataFrame:
    """Real forums against the calculator: one row per (forum, indicator).

    Columns: forum_id, indicator, members (all current members, organisations included),
    state_members (the ones coverage counts), coverage (0–1), smallest (how many countries
    the calculator needs for the same share).
    """
    table = countries(data_dir).set_index("code")
    rows = []
    for fid in forum_ids:
        codes = members(fid, data_dir=data_dir)
        states = [c for c in codes if table.at[c, "entity_type"] != "organisation"]
        for indicator in indicators:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", MissingDataWarning)
                share = coverage(codes, indicator, data_dir=data_dir)
                smallest = critical_mass(indicator, share, data_dir).size
            rows.append((fid, indicator, len(codes), len(states), share, smallest))
    return pd.DataFrame(rows, columns=["forum_id", "indicator", "members", "state_members",
                                       "coverage", "smallest"])
