"""countries.csv, world_totals.csv and disagreements_countries.csv are reproducible."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from minilat.dataset.build_countries import REFERENCE_DATA, build
from minilat.dataset.schema import default_data_dir

BUILT = ("countries.csv", "world_totals.csv", "disagreements_countries.csv")


@pytest.mark.skipif(not REFERENCE_DATA.exists(), reason="needs ../shared/reference-data/")
def test_build_reproduces_the_committed_files(tmp_path: Path) -> None:
    pytest.importorskip("countrygroups")
    shipped = default_data_dir()
    for name in ("datapackage.json", "memberships.csv"):
        shutil.copy(shipped / name, tmp_path / name)
    rows = build(REFERENCE_DATA, tmp_path)
    assert rows["countries.csv"] >= 201
    for name in BUILT:
        assert (tmp_path / name).read_text(encoding="utf-8") == \
            (shipped / name).read_text(encoding="utf-8"), f"{name} differs: rebuild it"


@pytest.mark.skipif(not REFERENCE_DATA.exists(), reason="needs ../shared/reference-data/")
def test_unknown_organisation_code_stops_the_build(tmp_path: Path) -> None:
    pytest.importorskip("countrygroups")
    shutil.copy(default_data_dir() / "datapackage.json", tmp_path / "datapackage.json")
    (tmp_path / "memberships.csv").write_text(
        "forum_id,member,role,joined,left,source,note\nx,OPEC,member,1960,,k,\n")
    with pytest.raises(SystemExit, match=r"\['OPEC'\].*ORGANISATIONS"):
        build(REFERENCE_DATA, tmp_path)
