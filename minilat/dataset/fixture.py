# ruff: noqa: E501  (CSV rows are kept one record per line, as in the real files)
"""A tiny, valid dataset for tests and examples, written with the real schema.

``write_fixture(tmp_path)`` creates ``tmp_path/data/`` (every table, ``sources.bib`` and the
repository's ``datapackage.json``) and ``tmp_path/references.bib``, and returns the data dir.
Its numbers are simplified or invented (round populations, made-up GDP) so that tests can
state exact expected answers: never use it as data.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .schema import DESCRIPTOR, default_data_dir

FORUMS = """\
forum_id,name,abbreviation,aliases,kind,formality,parent_id,predecessor_id,founded_year,founded_event,ended_year,ended_event,status,secretariat,secretariat_since,legal_basis,decision_rule,issue_areas,scope,region,level,multi_stakeholder,membership_coverage,ruggie_principles,ruggie_principles_why,ruggie_indivisibility,ruggie_indivisibility_why,ruggie_reciprocity,ruggie_reciprocity_why,sources,notes
un,United Nations,UN,,multilateral,formal_igo,,,1945,UN Charter enters into force,,,active,permanent,1945,treaty,mixed,general;security,global,,mixed,false,partial,2,Universal membership,2,Collective security,2,Open to all,fx_charter,
unsc,UN Security Council,UNSC,Security Council,multilateral,formal_igo,un,,1945,UN Charter enters into force,,,active,permanent,1945,treaty,qualified_majority,security,global,,ministers,false,none,1,Veto powers,1,Collective security,1,Permanent five,fx_charter,
g7,Group of Seven,G7,G-7;G8;Group of Eight,minilateral,informal,,,1975,First leaders' summit at Rambouillet,,,active,rotating,,declaration,consensus,general;finance,cross_regional,,leaders,false,complete,0,Club of rich democracies,1,,0,,fx_g7;fx_paper,
quad,Quadrilateral Security Dialogue,Quad,QSD,minilateral,dialogue,,,2007,First meeting,,,active,none,,none,consensus,security;maritime,cross_regional,,leaders,false,complete,0,,0,,0,,fx_quad,Lapsed 2008; revived 2017.
gatt,General Agreement on Tariffs and Trade,GATT,,multilateral,treaty_regime,,,1948,Provisional application,1995,Superseded by the WTO,superseded,permanent,1948,treaty,consensus,trade,global,,ministers,false,none,,,,,,,fx_wto,
wto,World Trade Organization,WTO,,multilateral,formal_igo,,gatt,1995,Marrakesh Agreement enters into force,,,active,permanent,1995,treaty,consensus,trade,global,,ministers,false,none,2,,2,,2,,fx_wto,
"""

MEMBERSHIPS = """\
forum_id,member,role,joined,left,source,note
g7,FRA,member,1975,,fx_g7,
g7,DEU,member,1975,,fx_g7,
g7,ITA,member,1975,,fx_g7,
g7,JPN,member,1975,,fx_g7,
g7,GBR,member,1975,,fx_g7,
g7,USA,member,1975,,fx_g7,
g7,CAN,member,1976,,fx_g7,
g7,RUS,member,1997,2014,fx_g7,G8 years; suspended 2014
g7,EU,invited,1977,,fx_g7,
quad,AUS,member,2007,2008,fx_quad,
quad,IND,member,2007,2008,fx_quad,
quad,JPN,member,2007,2008,fx_quad,
quad,USA,member,2007,2008,fx_quad,
quad,AUS,member,2017,,fx_quad,Revival
quad,IND,member,2017,,fx_quad,Revival
quad,JPN,member,2017,,fx_quad,Revival
quad,USA,member,2017,,fx_quad,Revival
"""

EVENTS = """\
event_id,forum_id,year,month,day,kind,title,description,members,source,notes
g7_rambouillet,g7,1975,11,15,summit,Rambouillet summit,First leaders' summit.,FRA;DEU;ITA;JPN;GBR;USA,fx_g7,
quad_revival,quad,2017,11,12,revival,Quad revived in Manila,Officials meet again.,AUS;IND;JPN;USA,fx_quad,
"""

COUNTRIES = """\
code,name,entity_type,un_member,un_admission_year,un_region,un_subregion,population,population_year,population_source,gdp_musd,gdp_year,gdp_source,co2_mt,co2_year,co2_source,ldc,ldc_source,sids,sids_source
AUS,Australia,state,true,1945,Oceania,Australia and New Zealand,26000000,2023,fx_pop,1000,2019,fx_gdp,400,2023,fx_co2,false,fx_groups,false,fx_groups
CAN,Canada,state,true,1945,Americas,Northern America,40000000,2023,fx_pop,1500,2019,fx_gdp,550,2023,fx_co2,false,fx_groups,false,fx_groups
DEU,Germany,state,true,1973,Europe,Western Europe,84000000,2023,fx_pop,3800,2019,fx_gdp,600,2023,fx_co2,false,fx_groups,false,fx_groups
FRA,France,state,true,1945,Europe,Western Europe,66000000,2023,fx_pop,2700,2019,fx_gdp,300,2023,fx_co2,false,fx_groups,false,fx_groups
GBR,United Kingdom,state,true,1945,Europe,Northern Europe,68000000,2023,fx_pop,2800,2019,fx_gdp,300,2023,fx_co2,false,fx_groups,false,fx_groups
IND,India,state,true,1945,Asia,Southern Asia,1400000000,2023,fx_pop,2900,2019,fx_gdp,3000,2023,fx_co2,false,fx_groups,false,fx_groups
ITA,Italy,state,true,1955,Europe,Southern Europe,59000000,2023,fx_pop,2000,2019,fx_gdp,300,2023,fx_co2,false,fx_groups,false,fx_groups
JPN,Japan,state,true,1956,Asia,Eastern Asia,124000000,2023,fx_pop,5000,2019,fx_gdp,1000,2023,fx_co2,false,fx_groups,false,fx_groups
RUS,Russia,state,true,1945,Europe,Eastern Europe,145000000,2023,fx_pop,1700,2019,fx_gdp,1800,2023,fx_co2,false,fx_groups,false,fx_groups
USA,United States,state,true,1945,Americas,Northern America,340000000,2023,fx_pop,21000,2019,fx_gdp,5000,2023,fx_co2,false,fx_groups,false,fx_groups
TUV,Tuvalu,state,true,2000,Oceania,Polynesia,10000,2023,fx_pop,,,,,,,true,fx_groups,true,fx_groups
EU,European Union,organisation,false,,,,,,,,,,,,,,,,
"""

DISAGREEMENTS = """\
table,key,column,value_used,source_used,value_alt,source_alt,note
forums,g7,founded_year,1975,fx_g7,1973,fx_paper,1973 is the Library Group
"""

DISAGREEMENTS_COUNTRIES = """\
table,key,column,value_used,source_used,value_alt,source_alt,note
countries,IND,population,1400000000,fx_pop,1350000000,fx_geonames,Older figure
"""

WORLD_TOTALS = """\
indicator,column,value,unit,year,source,definition
population,population,8000000000,persons,2023,fx_pop,World population
gdp,gdp_musd,80000,million US$,2019,fx_gdp,Sum over units
co2,co2_mt,40000,Mt CO2,2023,fx_co2,World total incl. bunkers
"""

SOURCES_BIB = "".join(
    f"@misc{{{key},\n  title = {{Fixture source {key}}},\n  year = {{2024}}\n}}\n\n"
    for key in ("fx_g7", "fx_quad", "fx_wto", "fx_charter", "fx_pop", "fx_gdp", "fx_co2",
                "fx_groups", "fx_geonames"))

REFERENCES_BIB = "@article{fx_paper,\n  title = {The paper},\n  year = {2024}\n}\n"

TABLES = {
    "forums.csv": FORUMS, "memberships.csv": MEMBERSHIPS, "events.csv": EVENTS,
    "countries.csv": COUNTRIES, "disagreements.csv": DISAGREEMENTS,
    "disagreements_countries.csv": DISAGREEMENTS_COUNTRIES, "world_totals.csv": WORLD_TOTALS,
}


def write_fixture(root: Path) -> Path:
    """Write the fixture dataset under ``root``; return its data directory."""
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    shutil.copy(default_data_dir() / DESCRIPTOR, data / DESCRIPTOR)
    for name, text in TABLES.items():
        (data / name).write_text(text, encoding="utf-8")
    (data / "sources.bib").write_text(SOURCES_BIB, encoding="utf-8")
    (root / "references.bib").write_text(REFERENCES_BIB, encoding="utf-8")
    return data
