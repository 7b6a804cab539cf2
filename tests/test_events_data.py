"""Checks of data/events.csv: shape, dates, sources, and the events the chapters rely on.

The required events are pinned with the dates their sources give, so an edit that moves
or deletes one of them fails here and has to be argued with a new source.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from pybtex.database import parse_file

from minilat.dataset.bib import known_source_keys

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
EVENTS_CSV = DATA_DIR / "events.csv"

COLUMNS = [
    "event_id", "forum_id", "year", "month", "day", "kind", "title",
    "description", "members", "source", "notes",
]
KINDS = {
    "founding", "summit", "enlargement", "withdrawal", "suspension", "lapse", "revival",
    "entry_into_force", "agreement", "announcement", "negotiation", "formalisation", "other",
}
# The forum ids agreed with the owner of forums.csv for the events table.
FORUM_IDS = {
    "un", "unsc", "wto", "gatt", "doha_round", "wto_ita", "wto_gpa", "g7", "library_group",
    "g20", "brics", "impc", "lmc", "lmi", "musp", "ifa_trilateral", "i2u2", "quad", "rcep",
    "unfccc", "kyoto_protocol", "paris_agreement", "unclos", "imf", "world_bank", "nato",
    "osce", "asean", "au", "oas", "apec", "sco", "aukus", "mef", "eu", "eas", "cptpp",
}
FIRST_YEAR, LAST_YEAR = 1815, 2026

# event_id -> (year, month, day) as sourced; None where the source gives no month or day.
REQUIRED: dict[str, tuple[int, int | None, int | None]] = {
    "un_charter_signed": (1945, 6, 26),
    "un_charter_in_force": (1945, 10, 24),
    "gatt_signed": (1947, 10, 30),
    "wto_established": (1995, 1, 1),
    "g7_library_group_meeting": (1973, None, None),
    "g7_rambouillet_summit": (1975, 11, 15),
    "g7_canada_joins": (1976, 6, 27),
    "g8_russia_member": (1998, None, None),
    "g8_russia_suspended": (2014, 3, 24),
    "g20_fm_first_meeting": (1999, 12, 15),
    "g20_first_leaders_summit": (2008, 11, 14),
    "g20_african_union_joins": (2023, 9, 9),
    "bric_first_summit": (2009, 6, 16),
    "brics_south_africa_invited": (2010, 12, 23),
    "brics_sanya_summit": (2011, 4, 14),
    "brics_enlargement_2024": (2024, 1, 1),
    "brics_indonesia_joins": (2025, 1, 6),
    "brics_saudi_undecided": (2025, 1, None),
    "quad_tsunami_core_group": (2004, 12, 29),
    "quad_first_dialogue_2007": (2007, 5, None),
    "quad_australia_withdraws": (2008, 2, 5),
    "quad_revival_2017": (2017, 11, 12),
    "quad_first_leaders_summit": (2021, 3, 12),
    "quad_first_inperson_summit": (2021, 9, 24),
    "lmc_proposed": (2014, 11, None),
    "lmc_sanya_leaders": (2016, 3, 23),
    "lmi_launched": (2009, 7, 23),
    "musp_launched": (2020, 9, 11),
    "impc_yogyakarta_declaration": (2016, 5, 5),
    "impc_maritime_patrols": (2017, 6, 19),
    "ifa_first_dialogue": (2020, 9, 9),
    "i2u2_foreign_ministers": (2021, 10, 18),
    "i2u2_first_leaders_summit": (2022, 7, 14),
    "aukus_announced": (2021, 9, 15),
    "rcep_negotiations_launched": (2012, 11, 20),
    "rcep_india_leaves": (2019, 11, 4),
    "rcep_signed": (2020, 11, 15),
    "rcep_in_force": (2022, 1, 1),
    "unfccc_adopted": (1992, 5, 9),
    "unfccc_in_force": (1994, 3, 21),
    "kyoto_adopted": (1997, 12, 11),
    "kyoto_in_force": (2005, 2, 16),
    "copenhagen_cop15": (2009, 12, 18),
    "us_china_climate_announcement": (2014, 11, 12),
    "paris_adopted": (2015, 12, 12),
    "paris_in_force": (2016, 11, 4),
    "us_paris_withdrawal_effective": (2020, 11, 4),
    "us_paris_rejoins": (2021, 2, 19),
    "unclos_opened_signature": (1982, 12, 10),
    "unclos_in_force": (1994, 11, 16),
    "doha_round_launched": (2001, 11, 14),
    "doha_cancun_collapse": (2003, 9, 14),
    "doha_july_2008_collapse": (2008, 7, 29),
    "doha_nairobi_stall": (2015, 12, None),
    "wto_ita_concluded": (1996, 12, 13),
    "un_millennium_declaration": (2000, 9, 8),
    "asean_timor_leste_joins": (2025, 10, 26),
    "sco_founded": (2001, 6, 15),
    "sco_india_pakistan_join": (2017, 6, 9),
    "un_admissions_1960": (1960, None, None),
    "un_admissions_1955": (1955, 12, 14),
    "un_admissions_sept_1960": (1960, 9, 20),
    "wto_marrakesh_signed": (1994, 4, 15),
    "brics_expansion_invitation": (2023, 8, 24),
    "brics_argentina_declines": (2023, 12, 22),
    "sco_iran_joins": (2023, 7, 4),
    "sco_belarus_joins": (2024, 7, 4),
    "us_paris_withdrawal_announced": (2017, 6, 1),
    "us_paris_second_withdrawal": (2025, 1, 20),
    "us_paris_second_withdrawal_effective": (2026, 1, 27),
}


def read_events() -> tuple[list[str], list[dict[str, str]]]:
    with EVENTS_CSV.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def optional_int(value: str) -> int | None:
    return int(value) if value.strip() else None


@pytest.fixture(scope="module")
def events() -> list[dict[str, str]]:
    return read_events()[1]


@pytest.fixture(scope="module")
def by_id(events: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["event_id"]: row for row in events}


def where(row: dict[str, str], column: str) -> str:
    return f"{EVENTS_CSV.name} event {row.get('event_id')!r}, column {column!r}"


def test_columns_are_the_data_contract() -> None:
    columns, _ = read_events()
    assert columns == COLUMNS


def test_between_80_and_150_events(events: list[dict[str, str]]) -> None:
    assert 80 <= len(events) <= 150, len(events)


def test_event_ids_are_unique_slugs(events: list[dict[str, str]]) -> None:
    ids = [row["event_id"] for row in events]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate event_id in {EVENTS_CSV.name}: {duplicates}"
    for row in events:
        slug = row["event_id"]
        assert slug and slug == slug.lower() and slug.replace("_", "").isalnum(), where(row, "event_id")


def test_every_row_has_known_source_keys(events: list[dict[str, str]]) -> None:
    known = known_source_keys(DATA_DIR)
    for row in events:
        keys = [k for k in row["source"].split(";") if k]
        assert keys, f"{where(row, 'source')}: no source key"
        missing = [k for k in keys if k not in known]
        assert not missing, f"{where(row, 'source')}: keys not in any .bib file: {missing}"


def test_event_sources_in_sources_bib_have_title_year_and_url(events: list[dict[str, str]]) -> None:
    entries = parse_file(str(DATA_DIR / "sources.bib")).entries
    used = {k for row in events for k in row["source"].split(";") if k}
    for key in sorted(used & set(entries)):
        fields = entries[key].fields
        persons = entries[key].persons
        assert fields.get("title"), f"sources.bib entry {key!r}: no title"
        assert fields.get("year"), f"sources.bib entry {key!r}: no year"
        assert persons or fields.get("author") or fields.get("publisher"), f"sources.bib entry {key!r}: no author"
        # The country_converter paper is cited by DOI; every web page must carry its address.
        assert fields.get("url") or fields.get("doi"), f"sources.bib entry {key!r}: no url"


def test_years_are_plausible(events: list[dict[str, str]]) -> None:
    for row in events:
        year = int(row["year"])
        assert FIRST_YEAR <= year <= LAST_YEAR, f"{where(row, 'year')}: {year}"


def test_month_and_day_form_a_real_date(events: list[dict[str, str]]) -> None:
    for row in events:
        year, month, day = int(row["year"]), optional_int(row["month"]), optional_int(row["day"])
        if day is not None:
            assert month is not None, f"{where(row, 'day')}: a day without a month"
        if month is not None:
            assert 1 <= month <= 12, f"{where(row, 'month')}: {month}"
            # Raises ValueError (failing the test) for dates such as 31 April or 29 February 2023.
            dt.date(year, month, day or 1)


def test_kinds_and_forums_are_allowed(events: list[dict[str, str]]) -> None:
    for row in events:
        assert row["kind"] in KINDS, f"{where(row, 'kind')}: {row['kind']!r}"
        forum = row["forum_id"]
        assert forum == "" or forum in FORUM_IDS, f"{where(row, 'forum_id')}: {forum!r}"


def test_member_codes_look_like_codes(events: list[dict[str, str]]) -> None:
    for row in events:
        for code in filter(None, row["members"].split(";")):
            is_iso3 = len(code) == 3 and code.isalpha() and code.isupper()
            is_organisation = code in {"EU", "AU", "ASEAN"}
            assert is_iso3 or is_organisation, f"{where(row, 'members')}: {code!r}"


def test_titles_and_descriptions_are_filled(events: list[dict[str, str]]) -> None:
    for row in events:
        assert row["title"].strip(), where(row, "title")
        assert row["description"].strip(), where(row, "description")


def test_rows_are_in_date_order(events: list[dict[str, str]]) -> None:
    keys = [
        (int(r["year"]), optional_int(r["month"]) or 0, optional_int(r["day"]) or 0) for r in events
    ]
    assert keys == sorted(keys)


@pytest.mark.parametrize("event_id", sorted(REQUIRED))
def test_required_event_has_its_sourced_date(by_id: dict[str, dict[str, str]], event_id: str) -> None:
    assert event_id in by_id, f"required event {event_id!r} missing from {EVENTS_CSV.name}"
    row = by_id[event_id]
    found = (int(row["year"]), optional_int(row["month"]), optional_int(row["day"]))
    assert found == REQUIRED[event_id], f"{event_id}: dated {found}, sources give {REQUIRED[event_id]}"


def test_millennium_declaration_records_the_papers_figure(by_id: dict[str, dict[str, str]]) -> None:
    notes = by_id["un_millennium_declaration"]["notes"]
    assert "189" in notes and "192" in notes


def test_saudi_brics_status_is_recorded_as_unconfirmed(by_id: dict[str, dict[str, str]]) -> None:
    row = by_id["brics_saudi_undecided"]
    assert row["members"] == "SAU"
    assert "unconfirmed" in row["description"].lower() or "disputed" in row["notes"].lower()


def test_quad_history_runs_lapse_then_revival(by_id: dict[str, dict[str, str]]) -> None:
    order = ["quad_first_dialogue_2007", "quad_australia_withdraws", "quad_revival_2017",
             "quad_first_leaders_summit"]
    years = [int(by_id[e]["year"]) for e in order]
    assert years == sorted(years)
    assert by_id["quad_australia_withdraws"]["kind"] == "withdrawal"
    assert by_id["quad_revival_2017"]["kind"] == "revival"
