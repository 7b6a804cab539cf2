"""The shipped dataset in data/ validates and answers the course's example queries correctly."""

from __future__ import annotations

import pytest

from minilat.dataset import (
    countries,
    coverage,
    disagreements,
    forum_id,
    forums,
    forums_of,
    member_count,
    members,
    memberships,
    world_total,
)
from minilat.dataset.stats import counts
from minilat.dataset.validate import collect


def test_shipped_data_is_valid() -> None:
    problems, _ = collect()
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize(("name", "expected"), [
    ("Quad", "quad"), ("quad", "quad"), ("G-7", "g7"), ("G7", "g7"), ("g20", "g20"),
    ("BRICS", "brics"), ("WTO", "wto"), ("UNSC", "unsc"),
])
def test_forum_names_resolve(name: str, expected: str) -> None:
    assert forum_id(name) == expected


def test_quad_lapse_and_revival() -> None:
    assert members("Quad", year=2010) == []
    assert members("Quad", year=2022) == ["AUS", "IND", "JPN", "USA"]


def test_g7_history() -> None:
    assert "CAN" not in members("G7", 1975) and "CAN" in members("G7", 1976)
    assert "RUS" in members("G7", 2010) and "RUS" not in members("G7", 2015)
    assert member_count("G7", 2015) == 7


def test_enlargements() -> None:
    assert "AU" not in members("G20", 2022) and "AU" in members("G20", 2023)
    assert "TLS" not in members("ASEAN", 2024) and "TLS" in members("ASEAN", 2025)
    assert {"EGY", "ETH", "IRN", "ARE"} <= set(members("BRICS", 2024))
    assert set(members("BRICS", 2023)) == {"BRA", "CHN", "IND", "RUS", "ZAF"}


def test_un_membership_is_universal_today() -> None:
    un_members = set(countries().query("un_member")["code"])
    assert len(un_members) == 193
    assert set(members("UN")) == un_members


def test_forums_of_india() -> None:
    assert {"quad", "brics", "g20"} <= set(forums_of("IND", year=2025))
    assert "quad" not in forums_of("IND", year=2010)


def test_coverage_is_a_share() -> None:
    for indicator in ("population", "gdp", "co2"):
        share = coverage("G20", indicator)
        assert 0.5 < share < 1
    every_state = countries().query("entity_type != 'organisation'")["code"]
    with pytest.warns(UserWarning):  # some states lack a GDP or CO2 figure
        assert coverage(every_state, "co2") == pytest.approx(0.97, abs=0.01)  # less bunkers
    assert world_total("co2") == pytest.approx(37791.57)


def test_countries_table() -> None:
    c = countries()
    un = c[c["un_member"]]
    assert len(un) == 193
    assert {"VAT", "PSE", "XKX", "TWN", "HKG", "MAC", "EU", "AU"} <= set(c["code"])
    assert set(memberships()["member"]) <= set(c["code"])
    assert un["population"].notna().all()
    assert sorted(un.loc[un["co2_mt"].isna(), "code"]) == ["MCO", "SMR"]
    assert un["gdp_musd"].isna().sum() == 28  # the small states Natural Earth 1:110m lacks
    assert (c[["population", "gdp_musd", "co2_mt"]] > 0).sum().sum() == \
        c[["population", "gdp_musd", "co2_mt"]].notna().sum().sum()  # no zeros for missing
    assert int(un["ldc"].sum()) == 44  # December 2024, after Bhutan and Sao Tome and Principe
    assert not c.set_index("code").at["BTN", "ldc"]
    assert int(un["sids"].sum()) == 37
    assert c.loc[c["entity_type"] == "organisation", "ldc"].isna().all()


def test_country_disagreements_are_recorded() -> None:
    d = disagreements()
    ldc = d[(d["table"] == "countries") & (d["column"] == "ldc")]
    assert sorted(ldc["key"]) == ["BTN", "STP"]


def test_counts_match_tables() -> None:
    n = counts()
    assert n["forums"] == len(forums()) >= 120
    assert n["membership spells"] == len(memberships())
