"""Eckersley's inclusive minilateral: seat the most capable, the most responsible and the most
vulnerable states, and compare the group with a pure critical mass of the same size.

Eckersley (2012) proposes "common but differentiated representation": a small climate body whose
seats go to three kinds of state. The course turns the rule into three ranked lists built from
``countries.csv`` (states and territories only; organisations such as the EU are left out so that
their members are not counted twice):

- **capable**: largest GDP first (``gdp_musd``);
- **responsible**: largest CO₂ emissions first (``co2_mt``; annual emissions, a proxy for the
  historical responsibility Eckersley means, which the dataset does not hold);
- **vulnerable**: least developed countries (LDC) and small island developing states (SIDS),
  lowest CO₂ emissions per person first. This is a *proxy*: it ranks the states that did least
  to cause the problem among the two UN groups recognised as most exposed to it; it is not a
  measure of physical exposure to climate harm.

A design takes the first ``k`` of each list; the group is their union (a state on two lists holds
one seat). Countries without the value a list needs are left out of that list with a
``MissingDataWarning`` naming them.

>>> import pandas as pd
>>> table = pd.DataFrame({
...     "code": ["BIG", "DIRTY", "TINY"], "entity_type": ["state"] * 3,
...     "gdp_musd": [100.0, 50.0, 1.0], "co2_mt": [40.0, 60.0, 0.1],
...     "population": [10.0, 20.0, 5.0], "ldc": [False, False, True],
...     "sids": [False, False, False]})
>>> design(rankings(table), 1, 2, 1).members
('BIG', 'DIRTY', 'TINY')
"""

from __future__ import annotations

import itertools
import numbers
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from minilat.dataset import countries, forums, world_total
from minilat.dataset.load import PathLike, table
from minilat.dataset.query import INDICATORS, MissingDataWarning
from minilat.models.critical_mass import ranked_shares

LISTS: tuple[str, ...] = ("capable", "responsible", "vulnerable")
LIST_LABELS: dict[str, str] = {"capable": "Most capable (GDP)",
                               "responsible": "Most responsible (CO₂)",
                               "vulnerable": "Most vulnerable (LDC/SIDS, lowest CO₂ per person)"}
K_MAX = 10  # the page's sliders run from 0 to 10 seats per list
REQUIRED = {"code", "entity_type", "population", "gdp_musd", "co2_mt", "ldc", "sids"}


@dataclass(frozen=True)
class Rankings:
    """The three ranked lists of country codes, best-placed first."""

    capable: tuple[str, ...]
    responsible: tuple[str, ...]
    vulnerable: tuple[str, ...]

    def of(self, name: str) -> tuple[str, ...]:
        if name not in LISTS:
            raise ValueError(f"unknown list {name!r}; lists are {', '.join(LISTS)}")
        return getattr(self, name)


@dataclass(frozen=True)
class Design:
    """One inclusive minilateral: how many seats each list gets, and the union of the lists."""

    k_capable: int
    k_responsible: int
    k_vulnerable: int
    members: tuple[str, ...]  # capable first, then responsible, then vulnerable; no repeats
    lists: Mapping[str, tuple[str, ...]]  # code → the lists that seat it

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def overlap(self) -> int:
        """Seats saved because a state is on more than one list."""
        return self.k_capable + self.k_responsible + self.k_vulnerable - self.size


@dataclass(frozen=True)
class Profile:
    """What a group represents: shares of the world total (0–1) and counts of members."""

    size: int
    co2: float
    population: float
    gdp: float
    ldc: int
    sids: int
    vulnerable: int  # LDC or SIDS (a state in both counts once)


def _states(table: pd.DataFrame) -> pd.DataFrame:
    missing = sorted(REQUIRED - set(table.columns))
    if missing:
        raise KeyError(f"the countries table lacks column(s) {', '.join(missing)}")
    if not table["code"].is_unique:
        repeated = sorted(set(table.loc[table["code"].duplicated(), "code"].astype(str)))
        raise ValueError(f"the countries table repeats code(s) {', '.join(repeated)}")
    states = table[table["entity_type"] != "organisation"]
    return states.set_index(states["code"].astype(str))


def _column(states: pd.DataFrame, column: str) -> pd.Series:
    return pd.Series(states[column].to_numpy(dtype=float, na_value=np.nan), index=states.index)


def _flag(states: pd.DataFrame, column: str) -> pd.Series:
    """A boolean column with unknown cells kept as missing (None)."""
    return pd.Series([None if pd.isna(v) else bool(v) for v in states[column]],
                     index=states.index, dtype=object)


def vulnerable_ranking(table: pd.DataFrame) -> pd.DataFrame:
    """LDC and SIDS states, lowest CO₂ per person first: code, co2_per_person (t), ldc, sids.

    A state counts when it is flagged LDC or SIDS. States whose LDC or SIDS status is unknown
    (and not flagged by the other), and flagged states without CO₂ or population, are left out
    with a ``MissingDataWarning``. Ties are broken by code.
    """
    states = _states(table)
    ldc, sids = _flag(states, "ldc"), _flag(states, "sids")
    flagged = (ldc == True) | (sids == True)  # noqa: E712 (missing is neither)
    unknown = ~flagged & (ldc.isna() | sids.isna())
    if unknown.any():
        warnings.warn(f"LDC or SIDS status unknown for {', '.join(sorted(states.index[unknown]))}"
                      ": they are not ranked as vulnerable", MissingDataWarning, stacklevel=2)
    co2, people = _column(states, "co2_mt"), _column(states, "population")
    no_value = flagged & (co2.isna() | people.isna() | (people <= 0))
    if no_value.any():
        warnings.warn(f"no CO₂ or population value for {', '.join(sorted(states.index[no_value]))}"
                      ": they are left out of the vulnerable list", MissingDataWarning,
                      stacklevel=2)
    chosen = flagged & ~no_value
    ranked = pd.DataFrame({
        "code": states.index[chosen],
        "co2_per_person": (co2[chosen] * 1e6 / people[chosen]).to_numpy(),  # Mt → t
        "ldc": (ldc[chosen] == True).to_numpy(),  # noqa: E712
        "sids": (sids[chosen] == True).to_numpy(),  # noqa: E712
    })
    return ranked.sort_values(["co2_per_person", "code"], ignore_index=True)


def rankings(table: pd.DataFrame) -> Rankings:
    """The capable (GDP), responsible (CO₂) and vulnerable (see module docs) lists."""
    states = _states(table)
    capable = ranked_shares(_column(states, "gdp_musd"), indicator="gdp").index
    responsible = ranked_shares(_column(states, "co2_mt"), indicator="co2").index
    return Rankings(tuple(map(str, capable)), tuple(map(str, responsible)),
                    tuple(vulnerable_ranking(table)["code"]))


def _check_k(name: str, k: object, available: int) -> int:
    if not isinstance(k, numbers.Integral) or isinstance(k, bool) or k < 0:
        raise ValueError(f"{name} must be a whole number ≥ 0, not {k!r}")
    if k > available:
        raise ValueError(f"{name}={k}, but only {available} countries are on that list")
    return int(k)


def design(ranked: Rankings, k_capable: int, k_responsible: int, k_vulnerable: int) -> Design:
    """The union of the first ``k`` of each list (a state on two lists takes one seat)."""
    ks = {"capable": k_capable, "responsible": k_responsible, "vulnerable": k_vulnerable}
    seats: dict[str, list[str]] = {}
    for name, k in ks.items():
        chosen = ranked.of(name)[:_check_k(f"k_{name}", k, len(ranked.of(name)))]
        for code in chosen:
            seats.setdefault(code, []).append(name)
    return Design(int(k_capable), int(k_responsible), int(k_vulnerable), tuple(seats),
                  {code: tuple(names) for code, names in seats.items()})


def critical_mass_group(ranked: Rankings, size: int) -> tuple[str, ...]:
    """The pure critical-mass group of ``size`` seats: the largest emitters."""
    return ranked.responsible[:_check_k("size", size, len(ranked.responsible))]


def table_totals(table: pd.DataFrame) -> dict[str, float]:
    """World totals taken as the sums over the table's states (for small hand-made tables)."""
    states = _states(table)
    return {name: float(np.nansum(_column(states, column)))
            for name, column in INDICATORS.items()}


@dataclass(frozen=True)
class _Values:
    """Per-state amounts and flags in plain dicts: fast sums over many groups (the grid)."""

    amounts: Mapping[str, Mapping[str, float]]  # indicator → code → amount (missing: 0)
    ldc: frozenset[str]
    sids: frozenset[str]
    totals: Mapping[str, float]

    @classmethod
    def of(cls, table: pd.DataFrame, totals: Mapping[str, float] | None) -> _Values:
        states = _states(table)
        totals = table_totals(table) if totals is None else totals
        for name in INDICATORS:
            if name not in totals or not totals[name] > 0:
                raise ValueError(f"the world total of {name} must be positive, "
                                 f"got {totals.get(name)!r}")
        amounts = {name: dict(zip(states.index, np.nan_to_num(_column(states, column)),
                                  strict=True))
                   for name, column in INDICATORS.items()}
        flags = {name: frozenset(states.index[_flag(states, name) == True])  # noqa: E712
                 for name in ("ldc", "sids")}
        return cls(amounts, flags["ldc"], flags["sids"], dict(totals))

    def profile(self, codes: Iterable[str]) -> Profile:
        group = list(dict.fromkeys(codes))
        unknown = [c for c in group if c not in self.amounts["co2"]]
        if unknown:
            raise KeyError(f"{unknown} are not state codes of the countries table")
        shares = {name: float(sum(values[c] for c in group)) / self.totals[name]
                  for name, values in self.amounts.items()}
        members = set(group)
        return Profile(len(group), shares["co2"], shares["population"], shares["gdp"],
                       len(members & self.ldc), len(members & self.sids),
                       len(members & (self.ldc | self.sids)))


def profile(codes: Iterable[str], table: pd.DataFrame,
            totals: Mapping[str, float] | None = None) -> Profile:
    """Shares of world CO₂, population and GDP (0–1) and the LDC/SIDS counts of a group.

    ``totals`` maps "co2", "population" and "gdp" to world totals (default: the table's sums).
    A member without a value adds nothing to that share, which is then a lower bound.
    """
    return _Values.of(table, totals).profile(codes)


def dataset_totals(data_dir: PathLike = None) -> dict[str, float]:
    """The dataset's world totals (the denominators ``coverage()`` uses)."""
    return {name: world_total(name, data_dir) for name in INDICATORS}


def dataset_rankings(data_dir: PathLike = None) -> Rankings:
    """The three lists from the shipped dataset (missing data left out silently; see
    ``left_out``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingDataWarning)
        return rankings(countries(data_dir))


def left_out(table: pd.DataFrame) -> dict[str, list[str]]:
    """Per list, the codes left out for missing data (the warnings' contents, as data)."""
    states = _states(table)
    ldc, sids = _flag(states, "ldc"), _flag(states, "sids")
    flagged = (ldc == True) | (sids == True)  # noqa: E712
    per_person = _column(states, "co2_mt").isna() | _column(states, "population").isna()
    return {
        "capable": sorted(states.index[_column(states, "gdp_musd").isna()]),
        "responsible": sorted(states.index[_column(states, "co2_mt").isna()]),
        "vulnerable": sorted(states.index[(~flagged & (ldc.isna() | sids.isna()))
                                          | (flagged & per_person)]),
    }


def compare(k_capable: int, k_responsible: int, k_vulnerable: int,
            data_dir: PathLike = None) -> tuple[Design, Profile, Profile]:
    """An inclusive design from the dataset, its profile, and the critical mass of its size."""
    table = countries(data_dir)
    ranked = dataset_rankings(data_dir)
    chosen = design(ranked, k_capable, k_responsible, k_vulnerable)
    totals = dataset_totals(data_dir)
    return (chosen, profile(chosen.members, table, totals),
            profile(critical_mass_group(ranked, chosen.size), table, totals))


GRID_COLUMNS = ("k_capable", "k_responsible", "k_vulnerable", "size", "overlap", "group",
                "co2", "population", "gdp", "ldc", "sids", "vulnerable")


def design_grid(table: pd.DataFrame, ranked: Rankings, totals: Mapping[str, float],
                k_max: int = K_MAX) -> pd.DataFrame:
    """Every design with 0…``k_max`` seats per list, next to its critical-mass twin.

    Two rows per design: ``group`` "inclusive" and "critical mass" (the largest emitters, as
    many as the inclusive group has members). Shares are 0–1.
    """
    for name in LISTS:
        _check_k("k_max", k_max, len(ranked.of(name)))
    values = _Values.of(table, totals)
    rows = []
    for kc, kr, kv in itertools.product(range(k_max + 1), repeat=3):
        chosen = design(ranked, kc, kr, kv)
        for group, codes in (("inclusive", chosen.members),
                             ("critical mass", critical_mass_group(ranked, chosen.size))):
            p = values.profile(codes)
            rows.append((kc, kr, kv, chosen.size, chosen.overlap, group, p.co2, p.population,
                         p.gdp, p.ldc, p.sids, p.vulnerable))
    return pd.DataFrame(rows, columns=list(GRID_COLUMNS))


def dataset_grid(k_max: int = K_MAX, data_dir: PathLike = None) -> pd.DataFrame:
    """``design_grid`` on the shipped dataset: the table the page's three sliders read."""
    return design_grid(countries(data_dir), dataset_rankings(data_dir), dataset_totals(data_dir),
                       k_max)


def candidates(ranked: Rankings, table: pd.DataFrame, k_max: int = K_MAX) -> pd.DataFrame:
    """Every country within the first ``k_max`` of some list, with its rank on each (or NA).

    Columns: code, name, rank_capable, rank_responsible, rank_vulnerable. A country is in the
    design (kc, kr, kv) exactly when one of its ranks is at most that list's k.
    """
    names = table.set_index(table["code"].astype(str))["name"]
    codes = list(dict.fromkeys(code for name in LISTS for code in ranked.of(name)[:k_max]))
    frame = pd.DataFrame({"code": codes, "name": [str(names.get(c, c)) for c in codes]})
    for name in LISTS:
        position = {code: i + 1 for i, code in enumerate(ranked.of(name)[:k_max])}
        frame[f"rank_{name}"] = pd.array([position.get(c) for c in codes], dtype="Int64")
    return frame


# --- who a forum represents, and who it leaves out -----------------------------------------

LIVING = ("active", "dormant")  # forums that exist today; their current members are counted
REPRESENTATION_COLUMNS = ("forum_id", "kind", "status", "members", "state_members", "co2",
                          "population", "gdp", "ldc", "sids", "ldc_total", "sids_total")


def current_member_sets(data_dir: PathLike = None) -> dict[str, list[str]]:
    """forum_id → sorted codes of its current members (role ``member``, spell still open).

    Read straight from the memberships table, so that a forum_id that is also another forum's
    abbreviation (``coe``) is never ambiguous.
    """
    spells = table("memberships", data_dir)
    current = spells[(spells["role"] == "member") & spells["left"].isna()]
    return {str(fid): sorted(set(group["member"].astype(str)))
            for fid, group in current.groupby("forum_id")}


def representation(forum_table: pd.DataFrame, member_sets: Mapping[str, Iterable[str]],
                   country_table: pd.DataFrame,
                   totals: Mapping[str, float] | None = None) -> pd.DataFrame:
    """One row per forum: its state members' shares of the world (0–1) and LDC/SIDS counts.

    Forums come from ``forum_table`` (forum_id, kind, status) in its order; a forum without
    members in ``member_sets`` is skipped. ``members`` counts every member (organisations
    included), ``state_members`` the ones whose amounts count. ``ldc_total`` and ``sids_total``
    are how many states of ``country_table`` are flagged, for the "left out" side.
    """
    missing = sorted({"forum_id", "kind", "status"} - set(forum_table.columns))
    if missing:
        raise KeyError(f"the forums table lacks column(s) {', '.join(missing)}")
    values = _Values.of(country_table, totals)
    known = set(country_table["code"].astype(str))
    rows = []
    for row in forum_table.itertuples(index=False):
        codes = sorted(set(member_sets.get(row.forum_id, ())))
        if not codes:
            continue
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise KeyError(f"forum {row.forum_id}: members {unknown} are not codes of the "
                           "countries table")
        states = [c for c in codes if c in values.amounts["co2"]]
        p = values.profile(states)
        rows.append((row.forum_id, row.kind, row.status, len(codes), len(states), p.co2,
                     p.population, p.gdp, p.ldc, p.sids, len(values.ldc), len(values.sids)))
    return pd.DataFrame(rows, columns=list(REPRESENTATION_COLUMNS))


def dataset_representation(data_dir: PathLike = None) -> pd.DataFrame:
    """``representation`` of every living forum whose membership the dataset records completely."""
    chosen = forums(data_dir)
    chosen = chosen[(chosen["membership_coverage"] == "complete")
                    & chosen["status"].isin(LIVING)]
    return representation(chosen, current_member_sets(data_dir), countries(data_dir),
                          dataset_totals(data_dir))
