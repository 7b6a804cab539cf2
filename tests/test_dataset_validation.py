"""Each kind of corruption of a (temporary, tiny) dataset is caught with a precise message."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from minilat.dataset import DatasetError
from minilat.dataset import validate_dataset as validate
from minilat.dataset.fixture import write_fixture
from minilat.dataset.validate import main as validate_main


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_fixture(tmp_path)


def edit(data: Path, file: str, row: int, column: str, value: str) -> None:
    """Set one cell (row is the 1-based data row, as in the error messages)."""
    path = data / file
    with path.open(encoding="utf-8", newline="") as fh:
        records = list(csv.reader(fh))
    records[row][records[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(records)


def error_of(data: Path) -> str:
    with pytest.raises(DatasetError) as caught:
        validate(data)
    return str(caught.value)


def test_fixture_is_valid(data: Path) -> None:
    tables = validate(data)
    assert len(tables["memberships"].rows) == 17
    assert len(tables["disagreements"].rows) == 2  # both disagreements*.csv files


def test_bad_type(data: Path) -> None:
    edit(data, "memberships.csv", 3, "joined", "19x5")
    assert ("memberships.csv, row 3 (line 4), column 'joined', value '19x5': not an integer"
            in error_of(data))


def test_bad_enum(data: Path) -> None:
    edit(data, "forums.csv", 3, "kind", "plurilateral")
    message = error_of(data)
    assert "forums.csv, row 3 (line 4), column 'kind', value 'plurilateral': not an allowed" \
        in message
    assert "allowed: multilateral, minilateral" in message


def test_bad_boolean(data: Path) -> None:
    edit(data, "countries.csv", 2, "un_member", "yes")
    assert "countries.csv, row 2 (line 3), column 'un_member', value 'yes': not a boolean" \
        in error_of(data)


def test_missing_required(data: Path) -> None:
    edit(data, "events.csv", 1, "title", "")
    assert "events.csv, row 1 (line 2), column 'title', value '': required value is missing" \
        in error_of(data)


def test_duplicate_key(data: Path) -> None:
    edit(data, "forums.csv", 6, "forum_id", "gatt")
    message = error_of(data)
    assert "forums.csv, row 6 (line 7), column 'forum_id', value 'gatt': duplicate key" in message
    assert "first at" in message and "row 5 (line 6)" in message


def test_duplicate_composite_key(data: Path) -> None:
    edit(data, "memberships.csv", 14, "joined", "2007")  # AUS's revival spell now repeats 2007
    assert "memberships.csv, row 14 (line 15), column 'joined', value '2007': duplicate key " \
           "(forum_id='quad', member='AUS', role='member', joined='2007')" in error_of(data)


@pytest.mark.parametrize(("file", "row", "column", "value", "target"), [
    ("memberships.csv", 1, "member", "XYZ", "not a code of countries"),
    ("memberships.csv", 2, "forum_id", "g77", "not a forum_id of forums"),
    ("forums.csv", 2, "parent_id", "united_nations", "not a forum_id of forums"),
    ("forums.csv", 6, "predecessor_id", "itu", "not a forum_id of forums"),
    ("events.csv", 2, "forum_id", "quadd", "not a forum_id of forums"),
])
def test_dangling_foreign_key(data: Path, file: str, row: int, column: str, value: str,
                              target: str) -> None:
    edit(data, file, row, column, value)
    assert f"{file}, row {row} (line {row + 1}), column '{column}', value '{value}': {target}" \
        in error_of(data)


def test_dangling_list_item(data: Path) -> None:
    edit(data, "events.csv", 2, "members", "AUS;IND;JPN;USX")
    assert "events.csv, row 2 (line 3), column 'members', value 'AUS;IND;JPN;USX': list " \
           "item(s) 'USX' not a code of countries" in error_of(data)


def test_joined_after_left(data: Path) -> None:
    edit(data, "memberships.csv", 8, "left", "1990")
    assert "memberships.csv, row 8 (line 9), column 'left', value '1990': left 1990 is before " \
           "joined 1997 (rule: joined ≤ left)" in error_of(data)


def test_overlapping_spells(data: Path) -> None:
    edit(data, "memberships.csv", 11, "left", "")  # India's first Quad spell never ends
    assert "memberships.csv, row 15 (line 16), column 'joined', value '2017': spell overlaps " \
           "the spell of quad/IND/member at row 11 (line 12; joined 2007, open-ended)" \
        in error_of(data)


def test_touching_spells_do_not_overlap(data: Path) -> None:
    edit(data, "memberships.csv", 14, "joined", "2008")  # AUS left in 2008, back in 2008
    validate(data)


def test_unknown_source_key(data: Path) -> None:
    edit(data, "events.csv", 2, "source", "fx_quad;fx_nowhere")
    message = error_of(data)
    assert "events.csv, row 2 (line 3), column 'source', value 'fx_quad;fx_nowhere': unknown " \
           "source key(s) 'fx_nowhere'" in message
    assert "references.bib or" in message


def test_source_key_from_references_bib_is_accepted(data: Path) -> None:
    edit(data, "memberships.csv", 1, "source", "fx_paper")  # defined in ../references.bib only
    validate(data)


def test_bad_list_value(data: Path) -> None:
    edit(data, "forums.csv", 1, "issue_areas", "general;warfare")
    assert "forums.csv, row 1 (line 2), column 'issue_areas', value 'general;warfare': list " \
           "item(s) 'warfare' not allowed" in error_of(data)


def test_ended_before_founded(data: Path) -> None:
    edit(data, "forums.csv", 5, "ended_year", "1940")
    assert "forums.csv, row 5 (line 6), column 'ended_year', value '1940': ended_year 1940 is " \
           "before founded_year 1948" in error_of(data)


def test_indicator_needs_year_and_source(data: Path) -> None:
    edit(data, "countries.csv", 1, "co2_source", "")
    assert "countries.csv, row 1 (line 2), column 'co2_source', value '': required because " \
           "co2_mt is given" in error_of(data)


def test_disagreement_must_point_at_a_real_row_and_column(data: Path) -> None:
    edit(data, "disagreements.csv", 1, "column", "founding_year")
    edit(data, "disagreements_countries.csv", 1, "key", "XXX")
    message = error_of(data)
    assert "disagreements.csv, row 1 (line 2), column 'column', value 'founding_year': not a " \
           "column of forums" in message
    assert "disagreements_countries.csv, row 1 (line 2), column 'key', value 'XXX': not a code " \
           "of countries" in message


def test_disagreement_about_a_spell_uses_its_composite_key(data: Path) -> None:
    path = data / "disagreements.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("memberships,g7|RUS|member|1997,joined,1998,fx_g7,1999,fx_paper,\n")
        fh.write("memberships,g7|RUS|member|1998,joined,1998,fx_g7,1999,fx_paper,\n")
    message = error_of(data)
    assert "disagreements.csv, row 3 (line 4), column 'key', value 'g7|RUS|member|1998': not " \
           "a forum_id|member|role|joined of memberships" in message
    assert "row 2 (line 3)" not in message


def test_organisation_code_shape(data: Path) -> None:
    edit(data, "countries.csv", 12, "code", "EUR")
    edit(data, "memberships.csv", 9, "member", "EUR")
    assert "countries.csv, row 12 (line 13), column 'code', value 'EUR': an organisation's " \
           "code must not have three letters" in error_of(data)


def test_every_problem_is_reported_not_just_the_first(data: Path) -> None:
    edit(data, "memberships.csv", 3, "joined", "19x5")
    edit(data, "forums.csv", 3, "kind", "plurilateral")
    edit(data, "events.csv", 1, "title", "")
    with pytest.raises(DatasetError) as caught:
        validate(data)
    assert len(caught.value.problems) == 3
    assert str(caught.value).startswith("3 problems in the dataset at")


def test_line_numbers_follow_multiline_cells(data: Path) -> None:
    edit(data, "events.csv", 1, "description", "First line.\nSecond line.")
    edit(data, "events.csv", 2, "year", "twenty17")
    assert "events.csv, row 2 (line 4), column 'year'" in error_of(data)


def test_header_must_match_schema(data: Path) -> None:
    path = data / "memberships.csv"
    path.write_text(path.read_text().replace("joined,left", "start,end", 1))
    message = error_of(data)
    assert "memberships.csv: header does not match the schema (missing ['joined', 'left']; " \
           "unexpected ['start', 'end'])" in message


def test_missing_file(data: Path) -> None:
    (data / "events.csv").unlink()
    assert "events.csv: file is missing" in error_of(data)


def test_data_dir_from_environment(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(data, "memberships.csv", 3, "joined", "19x5")
    monkeypatch.setenv("MINILAT_DATA_DIR", str(data))
    with pytest.raises(DatasetError, match=r"row 3 \(line 4\), column 'joined'"):
        validate()


def test_command_line_exit_codes(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert validate_main([str(data)]) == 0
    assert "is valid" in capsys.readouterr().out
    edit(data, "forums.csv", 3, "kind", "plurilateral")
    assert validate_main([str(data)]) == 1
    assert "column 'kind', value 'plurilateral'" in capsys.readouterr().err
