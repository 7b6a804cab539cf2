"""How long forums last: Kaplan-Meier survival curves computed from the forums table (Chapter 5).

A forum's **lifetime** runs from its ``founded_year`` to the year it ended. Three things can
happen to a forum, and the course counts only one of them as a *death*:

- ``defunct`` — the forum stopped meeting or was dissolved: a **death** at ``ended_year``.
- ``formalised`` or ``superseded`` — the forum was turned into (or replaced by) another body.
  The cooperation did not die: it changed form, often because it worked. Counting it as a death
  would score success as failure, so by default the course **right-censors** such a forum at
  ``ended_year``: it is known to have lasted at least that long *as the body it was*, and what
  happens next belongs to its successor. ``transformation_ends=True`` gives the other reading
  (every end of a body is an end), so the two can be compared.
- ``active`` or ``dormant`` — still there (a dormant forum can revive, as the Quad did in 2017):
  right-censored at the dataset's reference year.

A ``defunct`` forum without an ``ended_year`` cannot be placed on the time axis: it is left out
and reported by ``unplaceable_forums``, never guessed.

The Kaplan-Meier estimate: at every distinct time *t* at which some forum ends, with *n* forums
still at risk (lifetime ≥ *t*) and *d* deaths at *t*, the survival curve is multiplied by
(1 − *d*/*n*). Forums censored at *t* still count as at risk at *t* (deaths are taken to come
first), the usual convention.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

DEATH = "defunct"
TRANSFORMED = ("formalised", "superseded")
STILL_THERE = ("active", "dormant")
STATUSES = (DEATH, *TRANSFORMED, *STILL_THERE)
CURVE_COLUMNS = ["time", "at_risk", "events", "censored", "survival"]


def kaplan_meier(durations: Sequence[float], observed: Sequence[bool]) -> pd.DataFrame:
    """The Kaplan-Meier survival curve of units with ``durations`` (``observed``: died, not censored).

    One row per distinct time, starting with time 0 (survival 1): ``time``, ``at_risk`` (units
    whose duration is ≥ time), ``events`` (deaths at time), ``censored`` (censored at time) and
    ``survival`` (the estimate just after time).

    >>> kaplan_meier([2, 3, 3, 5, 8], [True, True, False, True, False])["survival"].tolist()
    [1.0, 0.8, 0.6, 0.3, 0.3]
    """
    times = np.asarray(durations, dtype=float)
    died = np.asarray(observed)
    if times.ndim != 1 or died.shape != times.shape:
        raise ValueError(f"durations and observed must be two lists of the same length, got "
                         f"{times.shape} and {died.shape}")
    if died.dtype != bool:
        raise TypeError(f"observed must hold True/False values, got dtype {died.dtype}")
    bad = np.flatnonzero(~np.isfinite(times) | (times < 0))
    if bad.size:
        raise ValueError(f"durations must be finite and ≥ 0; position {int(bad[0])} holds "
                         f"{times[bad[0]]!r}")
    rows = [{"time": 0.0, "at_risk": len(times), "events": 0, "censored": 0, "survival": 1.0}]
    survival = 1.0
    for time in np.unique(times):
        at_risk = int((times >= time).sum())
        deaths = int((died & (times == time)).sum())
        censored = int((~died & (times == time)).sum())
        survival *= 1.0 - deaths / at_risk
        if time == 0:  # the time-0 row already exists; deaths at 0 lower it
            rows[0].update(events=deaths, censored=censored, survival=survival)
        else:
            rows.append({"time": float(time), "at_risk": at_risk, "events": deaths,
                         "censored": censored, "survival": survival})
    return pd.DataFrame(rows, columns=CURVE_COLUMNS)


def median_survival(curve: pd.DataFrame) -> float | None:
    """The first time at which the curve is at or below one half; ``None`` if it never gets there."""
    below = curve.loc[curve["survival"] <= 0.5, "time"]
    return float(below.iloc[0]) if len(below) else None


def survival_at(curve: pd.DataFrame, time: float) -> float:
    """The curve's value at ``time`` (a step function, right-continuous)."""
    if time < 0:
        raise ValueError(f"time must be ≥ 0, got {time}")
    return float(curve.loc[curve["time"] <= time, "survival"].iloc[-1])


def _check_forums(table: pd.DataFrame, reference_year: int) -> None:
    needed = {"forum_id", "founded_year", "ended_year", "status"}
    missing = sorted(needed - set(table.columns))
    if missing:
        raise KeyError(f"the forums table lacks column(s) {', '.join(missing)}")
    for row in table.itertuples(index=False):
        where = f"forums table, forum_id {row.forum_id!r}"
        if row.status not in STATUSES:
            raise ValueError(f"{where}, column status: unknown value {row.status!r}")
        if pd.notna(row.founded_year) and row.founded_year > reference_year:
            raise ValueError(f"{where}, column founded_year: {row.founded_year} is after the "
                             f"reference year {reference_year}")
        if pd.notna(row.ended_year) and pd.notna(row.founded_year) \
                and row.ended_year < row.founded_year:
            raise ValueError(f"{where}, column ended_year: {row.ended_year} is before "
                             f"founded_year {row.founded_year}")


def unplaceable_forums(table: pd.DataFrame) -> pd.DataFrame:
    """Forums that cannot be placed on a lifetime axis, with the reason (``forum_id``, ``reason``)."""
    reasons = []
    for row in table.itertuples(index=False):
        if pd.isna(row.founded_year):
            reasons.append((row.forum_id, "no founded_year"))
        elif row.status == DEATH and pd.isna(row.ended_year):
            reasons.append((row.forum_id, "defunct but no ended_year"))
    return pd.DataFrame(reasons, columns=["forum_id", "reason"])


def forum_lifetimes(table: pd.DataFrame, reference_year: int,
                    transformation_ends: bool = False) -> pd.DataFrame:
    """One row per placeable forum: its ``lifetime`` in years and whether it ``ended`` (a death).

    Keeps the input's other columns. ``end_reason`` says which rule applied: ``defunct``,
    ``formalised``/``superseded`` (a death only with ``transformation_ends``), or ``censored``
    (still there at ``reference_year``). See the module docstring for why.
    """
    _check_forums(table, reference_year)
    left_out = set(unplaceable_forums(table)["forum_id"])
    usable = table[~table["forum_id"].isin(left_out)].copy()
    founded = usable["founded_year"].astype(int)
    still_there = usable["status"].isin(STILL_THERE) | usable["ended_year"].isna()
    end = usable["ended_year"].astype("Float64").fillna(reference_year).astype(int)
    end = end.where(~still_there, reference_year)
    usable["lifetime"] = (end - founded).astype(int)
    transformed = usable["status"].isin(TRANSFORMED) & ~still_there
    usable["ended"] = (usable["status"] == DEATH) | (transformed & transformation_ends)
    usable["end_reason"] = np.where(still_there, "censored", usable["status"])
    return usable.reset_index(drop=True)


def survival_by_group(lifetimes: pd.DataFrame, by: str) -> pd.DataFrame:
    """Kaplan-Meier curves of ``lifetimes`` per value of column ``by`` (long table, ``by`` first)."""
    if by not in lifetimes.columns:
        raise KeyError(f"the lifetimes table has no column {by!r}")
    curves = []
    for group, part in lifetimes.groupby(by, sort=True):
        curve = kaplan_meier(part["lifetime"].tolist(), part["ended"].astype(bool).tolist())
        curves.append(curve.assign(**{by: group, "n": len(part)}))
    if not curves:
        return pd.DataFrame(columns=[by, "n", *CURVE_COLUMNS])
    return pd.concat(curves, ignore_index=True)[[by, "n", *CURVE_COLUMNS]]
