"""The codebook page's generated parts say what the schema and the data say."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from minilat.dataset import codebook
from minilat.dataset.fixture import write_fixture
from minilat.dataset.schema import load_package
from minilat.dataset.stats import counts, forums_by_kind_and_decade
from minilat.dataset.stats import main as stats_main

PAGE = Path(__file__).resolve().parents[1] / "dataset" / "codebook.md"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_fixture(tmp_path)


@pytest.mark.parametrize("table", ["forums", "memberships", "events", "countries",
                                   "disagreements", "world_totals"])
def test_every_column_is_documented(data: Path, table: str) -> None:
    text = codebook.render_columns(table, data).data
    resource = load_package(data).resource(table)
    for field in resource.fields:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{field.name}`"))
        assert field.description.split(".")[0].replace("|", "\\|") in row
        for value in field.enum:
            assert f"`{value}`" in row


def test_tables_are_well_formed(data: Path) -> None:
    text = codebook.render_columns("forums", data).data
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert len({line.count(" | ") for line in rows[2:]}) == 1  # same number of cells each


def test_key_rules_quote_the_schema(data: Path) -> None:
    text = codebook.render_key_rules(data).data
    assert "at most 30 state members" in text
    assert "joined ≤ y and (left is empty or y < left)" in text


def test_summary_states_computed_counts(data: Path) -> None:
    text = codebook.render_summary(data).data
    assert "- 6 forums" in text and "- 17 membership spells" in text
    assert "- 2 events" in text and "- 12 countries" in text
    assert "Version 0.1.0" in text


def test_counts_by_kind_and_decade(data: Path) -> None:
    table = forums_by_kind_and_decade(data)
    assert table.at["1940s", "multilateral"] == 3 and table.at["2000s", "minilateral"] == 1
    assert table.at["total", "total"] == 6
    assert "| 1970s | 1 | 0 | 1 |" in codebook.render_counts(data).data


def test_provenance_and_disagreements(data: Path) -> None:
    provenance = codebook.render_provenance(data).data
    memberships_part = provenance.split("**memberships**")[1].split("**")[0]
    assert "| `fx_g7` | Fixture source fx_g7 | 9 |" in memberships_part
    assert "| Natural Earth admin-0 countries 1:110m (2019 vintage) | public domain |" \
        in provenance
    disagreements = codebook.render_disagreements(data).data
    assert "| g7 | founded_year | 1975 | fx_g7 | 1973 | fx_paper |" in disagreements


def test_world_totals_and_licence(data: Path) -> None:
    assert "| `co2` | 40,000 | Mt CO2 | 2023 |" in codebook.render_world_totals(data).data
    licence = codebook.render_licence(data).data
    assert "Creative Commons Attribution 4.0" in licence and "version 0.1.0" in licence


def test_stats_command_prints_counts(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert stats_main([str(data)]) == 0
    out = capsys.readouterr().out
    assert "forums: 6\nmembership spells: 17\nevents: 2\ncountries: 12" in out
    assert counts(data)["disagreements"] == 2


def test_page_links_every_table_and_hides_code() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert "file_format: mystnb" in text
    for csv_file in sorted(PAGE.parents[1].glob("data/*.csv")):
        assert f"{{download}}`{csv_file.name} <../data/{csv_file.name}>`" in text
    cells = re.findall(r"```\{code-cell\} ipython3\n(:tags: \[[^\]]*\])", text)
    assert cells and all("remove-input" in c or "remove-cell" in c for c in cells)
    assert text.count("```{code-cell}") == len(cells)


def test_paper_figures(data: Path) -> None:
    text = codebook.render_paper_figures(data, paper_key="fx_paper").data
    assert "| forums | g7 | founded_year | 1973 | 1975 | 1973 is the Library Group |" in text


def test_paper_key_exists() -> None:
    from minilat.dataset.bib import bib_keys

    assert codebook.PAPER_KEY in bib_keys(PAGE.parents[1] / "references.bib")
