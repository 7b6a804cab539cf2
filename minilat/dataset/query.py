"""Questions students ask of the dataset, each answerable in one readable line.

>>> members("Quad", year=2022)
['AUS', 'IND', 'JPN', 'USA']
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from .load import PathLike, forums, tables
from .schema import load_package

ROLES = ("member", "observer", "partner", "dialogue_partner", "invited")
INDICATORS = {"population": "population", "gdp": "gdp_musd", "co2": "co2_mt"}


class UnknownForumError(LookupError):
    """No forum matches the name given."""


class MissingDataWarning(UserWarning):
    """Some members lack the indicator: the share is a lower bound."""


def _exact(text: str) -> str:
    return text.strip().casefold()


def _loose(text: str) -> str:
    """Case, spaces and punctuation ignored: "G-7" and "g 7" both become "g7"."""
    return re.sub(r"[\W_]+", "", text.casefold())


def _names(row: pd.Series) -> list[str]:
    names = [row["forum_id"], row["name"]]
    if pd.notna(row["abbreviation"]):
        names.append(row["abbreviation"])
    return names + list(row["aliases"])


@dataclass(frozen=True)
class NameIndex:
    """Every name of every forum, normalised two ways, mapped to forum_ids."""

    exact: dict[str, set[str]]
    loose: dict[str, set[str]]
    names: dict[str, str]  # name as written → forum_id (for suggestions)
    ids: frozenset[str]

    @classmethod
    def of(cls, table: pd.DataFrame) -> NameIndex:
        exact: dict[str, set[str]] = {}
        loose: dict[str, set[str]] = {}
        names: dict[str, str] = {}
        for _, row in table.iterrows():
            for name in _names(row):
                exact.setdefault(_exact(name), set()).add(row["forum_id"])
                loose.setdefault(_loose(name), set()).add(row["forum_id"])
                names.setdefault(name, row["forum_id"])
        return cls(exact, loose, names, frozenset(table["forum_id"]))


# The index of the last forums table seen; rebuilt when the loader returns a new table.
_last_index: tuple[pd.DataFrame, NameIndex] | None = None


def _name_index(data_dir: PathLike) -> NameIndex:
    global _last_index
    table = tables(data_dir)["forums"]
    if _last_index is None or _last_index[0] is not table:
        _last_index = (table, NameIndex.of(table))
    return _last_index[1]


def forum(name_or_id: str, data_dir: PathLike = None) -> pd.Series:
    """The forum row for an id, abbreviation, name or alias, in any case ("Quad", "g20", "G-7").

    Raises ``UnknownForumError`` (suggesting close matches) when nothing matches, or when a
    name is ambiguous.
    """
    table = forums(data_dir).set_index("forum_id", drop=False)
    return table.loc[forum_id(name_or_id, data_dir)].rename(None)


def forum_id(name_or_id: str, data_dir: PathLike = None) -> str:
    """The forum_id for any of a forum's names (see ``forum``)."""
    if not isinstance(name_or_id, str) or not name_or_id.strip():
        raise UnknownForumError(f"a forum is named by a non-empty string, not {name_or_id!r}")
    index_of = _name_index(data_dir)
    every_name = index_of.names
    # An exact forum_id wins over other forums' abbreviations ("coe" is the Council of Europe's
    # id, and also the Concert of Europe's abbreviation).
    if name_or_id in index_of.ids:
        return name_or_id
    for index, normalise in ((index_of.exact, _exact), (index_of.loose, _loose)):
        ids = sorted(index.get(normalise(name_or_id), ()))
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            raise UnknownForumError(f"{name_or_id!r} is ambiguous: it names {', '.join(ids)}; "
                                    "use a forum_id")
    wanted = _loose(name_or_id)
    close = difflib.get_close_matches(name_or_id, list(every_name), n=10, cutoff=0.6)
    close += [n for n in every_name if len(wanted) >= 2 and wanted in _loose(n)]
    suggestions: dict[str, str] = {}  # one suggestion per forum
    for name in close:
        suggestions.setdefault(every_name[name], name)
    shown = [f"{name!r} ({fid})" for fid, name in list(suggestions.items())[:5]]
    hint = (f"; did you mean {', '.join(shown)}?" if shown else "; see forums() for every forum")
    raise UnknownForumError(f"no forum is called {name_or_id!r}{hint}")


def _roles(roles: str | Iterable[str]) -> tuple[str, ...]:
    chosen = (roles,) if isinstance(roles, str) else tuple(roles)
    unknown = [r for r in chosen if r not in ROLES]
    if unknown or not chosen:
        raise ValueError(f"unknown role(s) {unknown}; roles are {', '.join(ROLES)}")
    return chosen


Spell = tuple[str, str, str, int | None, int | None]  # forum_id, member, role, joined, left


@dataclass(frozen=True)
class SpellIndex:
    """The membership spells as plain tuples, by forum and by member: `members()` and
    `forums_of()` are called in loops (and once per graded notebook), where filtering the
    1,500-row table with pandas cost milliseconds per call."""

    by_forum: dict[str, list[Spell]]
    by_member: dict[str, list[Spell]]

    @classmethod
    def of(cls, spells: pd.DataFrame) -> SpellIndex:
        by_forum: dict[str, list[Spell]] = {}
        by_member: dict[str, list[Spell]] = {}
        columns = [spells[c].tolist() for c in ("forum_id", "member", "role", "joined", "left")]
        for fid, member, role, joined, left in zip(*columns, strict=True):
            spell = (str(fid), str(member), str(role), _year_or_none(joined), _year_or_none(left))
            by_forum.setdefault(spell[0], []).append(spell)
            by_member.setdefault(spell[1], []).append(spell)
        return cls(by_forum, by_member)


def _year_or_none(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


_spell_indexes: dict[int, tuple[pd.DataFrame, SpellIndex]] = {}


def _spell_index(data_dir: PathLike) -> SpellIndex:
    spells = tables(data_dir)["memberships"]
    cached = _spell_indexes.get(id(spells))
    if cached is None or cached[0] is not spells:  # a reloaded table gets a new index
        if len(_spell_indexes) > 8:
            _spell_indexes.clear()
        cached = (spells, SpellIndex.of(spells))
        _spell_indexes[id(spells)] = cached
    return cached[1]


def _counts_in(spell: Spell, year: int | None) -> bool:
    """The spell rule: joined ≤ year < left; ``None``: the spell is still open."""
    joined, left = spell[3], spell[4]
    if year is None:
        return left is None
    return joined is not None and joined <= year and (left is None or left > year)


def members(forum: str, year: int | None = None,
            roles: str | Iterable[str] = ("member",), data_dir: PathLike = None) -> list[str]:
    """Sorted codes of the forum's members in ``year`` (``None``: its current members)."""
    fid = forum_id(forum, data_dir)
    wanted = set(_roles(roles))
    spells = _spell_index(data_dir).by_forum.get(fid, [])
    return sorted({s[1] for s in spells if s[2] in wanted and _counts_in(s, year)})


def member_count(forum: str, year: int | None = None,
                 roles: str | Iterable[str] = ("member",), data_dir: PathLike = None) -> int:
    """How many members the forum has in ``year`` (derived from the spells)."""
    return len(members(forum, year, roles, data_dir))


def forums_of(code: str, year: int | None = None, roles: str | Iterable[str] = ("member",),
              data_dir: PathLike = None) -> list[str]:
    """Sorted forum_ids in which ``code`` (e.g. "IND") holds a role in ``year``."""
    known = set(tables(data_dir)["countries"]["code"])
    if code not in known:
        close = difflib.get_close_matches(code.upper(), list(known), n=3)
        raise KeyError(f"{code!r} is not a code of countries.csv"
                       + (f"; did you mean {', '.join(close)}?" if close else ""))
    wanted = set(_roles(roles))
    spells = _spell_index(data_dir).by_member.get(code, [])
    return sorted({s[0] for s in spells if s[2] in wanted and _counts_in(s, year)})


def alive_in(year: int, data_dir: PathLike = None) -> pd.DataFrame:
    """Forums founded in or before ``year`` that had not ended before it."""
    table = forums(data_dir)
    alive = (table["founded_year"] <= year) & (
        table["ended_year"].isna() | (table["ended_year"] >= year))
    return table[alive.fillna(False)].reset_index(drop=True)


def reference_year(data_dir: PathLike = None) -> int:
    """The dataset's date year: open spells run up to it in the panel."""
    return int(load_package(data_dir).created[:4])


def membership_panel(roles: str | Iterable[str] = ("member",), until: int | None = None,
                     data_dir: PathLike = None) -> pd.DataFrame:
    """Long table forum_id, member, role, year: one row per year a spell counts.

    Open spells run to ``until`` (default: the dataset's reference year).
    """
    last = reference_year(data_dir) if until is None else until
    spells = tables(data_dir)["memberships"]
    spells = spells[spells["role"].isin(_roles(roles))]
    rows = [(s.forum_id, s.member, s.role, y)
            for s in spells.itertuples(index=False)
            for y in range(int(s.joined), (last + 1) if pd.isna(s.left) else int(s.left))]
    panel = pd.DataFrame(rows, columns=["forum_id", "member", "role", "year"])
    return panel.astype({"year": "Int64"}).sort_values(
        ["forum_id", "year", "member"], ignore_index=True)


def _indicator_column(indicator: str) -> str:
    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}; use one of {', '.join(INDICATORS)}")
    return INDICATORS[indicator]


def world_total(indicator: str, data_dir: PathLike = None) -> float:
    """The world total of an indicator (see world_totals() for what each includes).

    population: world population 2023 (UN WPP 2024 via OWID); gdp: sum over Natural Earth's
    177 admin-0 units, 2019 (the 28 small states it lacks are in neither the total nor any
    group); co2: the Global Carbon Budget's World total for 2023, which includes international
    aviation and shipping that no country is assigned.
    """
    _indicator_column(indicator)
    totals = tables(data_dir)["world_totals"].set_index("indicator")
    return float(totals.at[indicator, "value"])


def coverage(group: str | Iterable[str], indicator: str, year: int | None = None,
             data_dir: PathLike = None) -> float:
    """Share (0–1) of the world total of ``indicator`` held by a group.

    ``group`` is a forum name (its members in ``year``; ``None``: current members) or an
    iterable of codes. ``indicator`` is "population", "gdp" or "co2"; see ``world_total`` for
    each denominator. Organisations (EU, AU) are skipped so that their member states are not
    counted twice; members without a value are skipped with a ``MissingDataWarning``.
    """
    column = _indicator_column(indicator)
    codes = members(group, year, data_dir=data_dir) if isinstance(group, str) else list(group)
    table = tables(data_dir)["countries"].set_index("code")
    unknown = [c for c in codes if c not in table.index]
    if unknown:
        raise KeyError(f"{unknown} are not codes of countries.csv")
    chosen = table.loc[sorted(set(codes))]
    chosen = chosen[chosen["entity_type"] != "organisation"]
    missing = sorted(chosen.index[chosen[column].isna()])
    if missing:
        warnings.warn(f"no {indicator} value for {', '.join(missing)}: coverage leaves them "
                      "out", MissingDataWarning, stacklevel=2)
    return float(chosen[column].sum(skipna=True)) / world_total(indicator, data_dir)
