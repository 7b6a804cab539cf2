"""Chapter 7: Eckersley's inclusive minilateral (hand-worked cases, overlaps, k = 0, missing data)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from minilat.dataset import MissingDataWarning, countries, coverage
from minilat.models.inclusive_minilateral import (
    GRID_COLUMNS,
    K_MAX,
    candidates,
    compare,
    critical_mass_group,
    dataset_rankings,
    dataset_representation,
    design,
    design_grid,
    left_out,
    profile,
    rankings,
    table_totals,
    vulnerable_ranking,
)

# Six states worked by hand. GDP ranks: BIG, RICH, DIRTY, …; CO₂ ranks: DIRTY, BIG, MID, …;
# CO₂ per person (t) of the LDC/SIDS: ISLE 0.5/1 = 0.5, POOR 1/4 = 0.25 → POOR, then ISLE.
# An organisation (ORG) must never be ranked or counted.
TABLE = pd.DataFrame({
    "code": ["BIG", "RICH", "DIRTY", "MID", "POOR", "ISLE", "ORG"],
    "name": ["Big", "Rich", "Dirty", "Mid", "Poor", "Isle", "Org"],
    "entity_type": ["state"] * 6 + ["organisation"],
    "gdp_musd": [500.0, 300.0, 100.0, 50.0, 10.0, 40.0, 900.0],
    "co2_mt": [40.0, 5.0, 45.0, 8.5, 1.0, 0.5, 90.0],
    "population": [30.0, 5.0, 50.0, 10.0, 4.0, 1.0, 100.0],
    "ldc": [False, False, False, False, True, False, None],
    "sids": [False, False, False, False, False, True, None],
})
# States only: GDP 1000, CO₂ 100, population 100.
TOTALS = {"gdp": 1000.0, "co2": 100.0, "population": 100.0}


def test_the_three_lists_by_hand() -> None:
    ranked = rankings(TABLE)
    assert ranked.capable == ("BIG", "RICH", "DIRTY", "MID", "ISLE", "POOR")
    assert ranked.responsible == ("DIRTY", "BIG", "MID", "RICH", "POOR", "ISLE")
    assert ranked.vulnerable == ("POOR", "ISLE")
    per_person = vulnerable_ranking(TABLE).set_index("code")["co2_per_person"]
    assert per_person["POOR"] == pytest.approx(0.25e6)  # Mt per person here: toy units
    assert per_person["ISLE"] == pytest.approx(0.5e6)


def test_table_totals_skip_organisations() -> None:
    assert table_totals(TABLE) == TOTALS


def test_union_counts_a_state_on_two_lists_once() -> None:
    # capable 2 = BIG, RICH; responsible 2 = DIRTY, BIG → BIG overlaps; vulnerable 1 = POOR.
    chosen = design(rankings(TABLE), 2, 2, 1)
    assert chosen.members == ("BIG", "RICH", "DIRTY", "POOR")
    assert chosen.size == 4 and chosen.overlap == 1
    assert chosen.lists["BIG"] == ("capable", "responsible")
    assert chosen.lists["POOR"] == ("vulnerable",)


def test_profile_by_hand() -> None:
    found = profile(("BIG", "RICH", "DIRTY", "POOR"), TABLE, TOTALS)
    assert found.size == 4
    assert found.co2 == pytest.approx((40 + 5 + 45 + 1) / 100)
    assert found.population == pytest.approx((30 + 5 + 50 + 4) / 100)
    assert found.gdp == pytest.approx((500 + 300 + 100 + 10) / 1000)
    assert (found.ldc, found.sids, found.vulnerable) == (1, 0, 1)


def test_a_state_both_ldc_and_sids_counts_once_as_vulnerable() -> None:
    table = TABLE.copy()
    table.loc[table["code"] == "POOR", "sids"] = True
    found = profile(("POOR", "ISLE"), table)
    assert (found.ldc, found.sids, found.vulnerable) == (1, 2, 2)


def test_critical_mass_of_the_same_size() -> None:
    ranked = rankings(TABLE)
    chosen = design(ranked, 2, 2, 1)
    assert critical_mass_group(ranked, chosen.size) == ("DIRTY", "BIG", "MID", "RICH")
    mass = profile(critical_mass_group(ranked, 4), TABLE, TOTALS)
    assert mass.co2 == pytest.approx(0.985) and mass.vulnerable == 0


def test_k_zero() -> None:
    ranked = rankings(TABLE)
    empty = design(ranked, 0, 0, 0)
    assert empty.members == () and empty.size == 0 and empty.overlap == 0
    nothing = profile(empty.members, TABLE, TOTALS)
    assert (nothing.size, nothing.co2, nothing.vulnerable) == (0, 0.0, 0)
    only_vulnerable = design(ranked, 0, 0, 2)
    assert only_vulnerable.members == ("POOR", "ISLE")


@pytest.mark.parametrize("bad", [-1, 1.5, "2", True, None])
def test_k_must_be_a_whole_number(bad: object) -> None:
    with pytest.raises(ValueError, match="k_capable"):
        design(rankings(TABLE), bad, 0, 0)  # type: ignore[arg-type]


def test_k_longer_than_the_list() -> None:
    with pytest.raises(ValueError, match="k_vulnerable=3, but only 2"):
        design(rankings(TABLE), 0, 0, 3)


def test_missing_values_are_left_out_with_a_warning() -> None:
    table = TABLE.copy()
    table.loc[table["code"] == "RICH", "gdp_musd"] = None
    table.loc[table["code"] == "ISLE", "population"] = None
    table.loc[table["code"] == "MID", "ldc"] = None  # unknown status, not flagged otherwise
    with pytest.warns(MissingDataWarning) as caught:
        ranked = rankings(table)
    text = " ".join(str(w.message) for w in caught)
    assert "RICH" in text and "ISLE" in text and "MID" in text
    assert "RICH" not in ranked.capable and "RICH" in ranked.responsible
    assert ranked.vulnerable == ("POOR",)
    assert left_out(table) == {"capable": ["RICH"], "responsible": [], "vulnerable":
                               ["ISLE", "MID"]}


def test_bad_tables_are_named() -> None:
    with pytest.raises(KeyError, match="sids"):
        rankings(TABLE.drop(columns="sids"))
    with pytest.raises(ValueError, match="BIG"):
        rankings(pd.concat([TABLE, TABLE.iloc[[0]]]))
    with pytest.raises(KeyError, match="ORG"):
        profile(("ORG",), TABLE)
    with pytest.raises(ValueError, match="gdp"):
        profile(("BIG",), TABLE, {"co2": 1.0, "population": 1.0, "gdp": 0.0})


def test_grid_on_the_hand_table() -> None:
    grid = design_grid(TABLE, rankings(TABLE), TOTALS, k_max=2)
    assert tuple(grid.columns) == GRID_COLUMNS
    assert len(grid) == 2 * 3 ** 3
    row = grid[(grid.k_capable == 2) & (grid.k_responsible == 2) & (grid.k_vulnerable == 1)]
    inclusive = row[row.group == "inclusive"].iloc[0]
    mass = row[row.group == "critical mass"].iloc[0]
    assert inclusive["size"] == 4 and inclusive["overlap"] == 1
    assert inclusive["co2"] == pytest.approx(0.91) and mass["co2"] == pytest.approx(0.985)
    assert inclusive["vulnerable"] == 1 and mass["vulnerable"] == 0
    # the critical mass never covers less CO₂ than an inclusive group of the same size
    wide = grid.pivot_table(index=["k_capable", "k_responsible", "k_vulnerable"],
                            columns="group", values="co2")
    assert (wide["critical mass"] >= wide["inclusive"] - 1e-12).all()


def test_candidates_list_ranks_up_to_k_max() -> None:
    table = candidates(rankings(TABLE), TABLE, k_max=2)
    assert table["code"].tolist() == ["BIG", "RICH", "DIRTY", "POOR", "ISLE"]
    by = table.set_index("code")
    assert by.at["BIG", "rank_capable"] == 1 and by.at["BIG", "rank_responsible"] == 2
    assert pd.isna(by.at["RICH", "rank_responsible"])
    assert by.at["ISLE", "rank_vulnerable"] == 2 and by.at["ISLE", "name"] == "Isle"


def test_on_the_dataset() -> None:
    ranked = dataset_rankings()
    table = countries()
    assert len(ranked.vulnerable) >= K_MAX
    flagged = table.set_index("code").loc[list(ranked.vulnerable), ["ldc", "sids"]]
    assert (flagged["ldc"].fillna(False) | flagged["sids"].fillna(False)).all()
    chosen, inclusive, mass = compare(3, 3, 3)
    assert chosen.size == len(set(ranked.capable[:3]) | set(ranked.responsible[:3])
                              | set(ranked.vulnerable[:3]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingDataWarning)
        assert inclusive.co2 == pytest.approx(coverage(chosen.members, "co2"))
        assert inclusive.population == pytest.approx(coverage(chosen.members, "population"))
        assert mass.co2 == pytest.approx(coverage(ranked.responsible[:chosen.size], "co2"))
    assert inclusive.vulnerable >= 3 and mass.co2 >= inclusive.co2


def test_dataset_representation_matches_coverage() -> None:
    table = dataset_representation().set_index("forum_id")
    assert {"g20", "quad", "un"} <= set(table.index)
    assert set(table["status"]) <= {"active", "dormant"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingDataWarning)
        for fid in ("g20", "quad", "brics"):
            for indicator in ("population", "gdp", "co2"):
                assert table.at[fid, indicator] == pytest.approx(coverage(fid, indicator))
    # every flagged LDC is a UN member state, so the UN leaves none out
    assert table.at["un", "ldc"] == table.at["un", "ldc_total"]
