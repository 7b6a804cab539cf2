"""Sourced member histories written into the committed forum tables.

The committed CSVs in ``data/`` are the source of truth. This script holds the member histories
added after the first release of the dataset, each with the stored source it was read from, and
writes them in place: for every forum listed in ``HISTORIES`` it replaces that forum's spells in
``memberships.csv`` and sets ``membership_coverage``, ``sources`` and ``notes`` in ``forums.csv``.
Source keys it uses and that ``sources.bib`` lacks are appended there. Forums not listed are left
untouched, so running it twice changes nothing.

Run: ``python -m minilat.dataset.build_forums`` then ``python -m minilat.dataset.validate``.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
SPELL_TOKEN = re.compile(r"^(?P<member>[A-Z][A-Za-z0-9-]*):(?P<joined>\d{4})(?:-(?P<left>\d{4}))?$")


@dataclass(frozen=True)
class Source:
    """A stored public page read for this dataset (becomes a @misc entry of sources.bib)."""

    key: str
    title: str
    url: str
    year: str = ""
    note: str = ""


@dataclass(frozen=True)
class Spells:
    """Spells sharing one source, role and note: ``members`` holds ``CODE:joined[-left]`` tokens."""

    members: str
    source: str
    note: str = ""
    role: str = "member"
    member_notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class History:
    """Everything the dataset records of one forum's membership."""

    forum_id: str
    coverage: str
    groups: tuple[Spells, ...]
    notes: str | None = None
    note_sources: str = ""  # keys backing statements in `notes` but no spell


@dataclass(frozen=True)
class Spell:
    """One row of memberships.csv."""

    forum_id: str
    member: str
    role: str
    joined: int
    left: int | None
    source: str
    note: str

    def row(self) -> dict[str, str]:
        return {"forum_id": self.forum_id, "member": self.member, "role": self.role,
                "joined": str(self.joined), "left": "" if self.left is None else str(self.left),
                "source": self.source, "note": self.note}


def parse_spells(history: History) -> list[Spell]:
    """Expand a history's compact ``CODE:joined[-left]`` tokens into spells."""
    spells: list[Spell] = []
    for group in history.groups:
        for token in group.members.split():
            match = SPELL_TOKEN.match(token)
            if not match:
                raise ValueError(f"{history.forum_id}: bad spell token {token!r} "
                                 "(expected CODE:joined or CODE:joined-left)")
            left = int(match["left"]) if match["left"] else None
            note = group.member_notes.get(match["member"], group.note)
            spells.append(Spell(history.forum_id, match["member"], group.role,
                                int(match["joined"]), left, group.source, note))
    return spells


def read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write_table(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def merged_keys(existing: str, added: str) -> str:
    """Union of two ``;``-separated key lists, keeping the existing order first."""
    keys: list[str] = []
    for key in existing.split(";") + added.split(";"):
        if key and key not in keys:
            keys.append(key)
    return ";".join(keys)


def update_memberships(data_dir: Path) -> tuple[int, int]:
    """Replace the spells of every forum in HISTORIES; return spell counts before and after."""
    path = data_dir / "memberships.csv"
    columns, rows = read_table(path)
    before = len(rows)
    added: dict[str, list[dict[str, str]]] = {}
    for history in HISTORIES:
        added.setdefault(history.forum_id, []).extend(s.row() for s in parse_spells(history))
    known = {r["forum_id"] for r in read_table(data_dir / "forums.csv")[1]}
    unknown = sorted(set(added) - known)
    if unknown:
        raise ValueError(f"{path.name}: histories name unknown forum_id(s) {unknown}")
    # A rewritten forum's spells take the place of its first old spell; new forums go at the end.
    result: list[dict[str, str]] = []
    placed: set[str] = set()
    for row in rows:
        forum = row["forum_id"]
        if forum not in added:
            result.append(row)
        elif forum not in placed:
            result.extend(added[forum])
            placed.add(forum)
    for forum, spells in added.items():
        if forum not in placed:
            result.extend(spells)
    write_table(path, columns, result)
    return before, len(result)


def update_forums(data_dir: Path) -> None:
    path = data_dir / "forums.csv"
    columns, rows = read_table(path)
    by_id = {h.forum_id: h for h in HISTORIES}
    for row in rows:
        history = by_id.get(row["forum_id"])
        if history is None:
            continue
        row["membership_coverage"] = history.coverage
        cited = ";".join([g.source for g in history.groups] + [history.note_sources])
        row["sources"] = merged_keys(row["sources"], cited)
        if history.notes is not None:
            row["notes"] = history.notes
    write_table(path, columns, rows)


def update_disagreements(data_dir: Path) -> int:
    """Append the DISAGREEMENTS rows the file lacks; return how many were added."""
    path = data_dir / "disagreements.csv"
    columns, rows = read_table(path)
    key_columns = ("table", "key", "column", "value_alt")
    present = {tuple(r[c] for c in key_columns) for r in rows}
    new = [dict(zip(columns, d, strict=True)) for d in DISAGREEMENTS
           if tuple(dict(zip(columns, d, strict=True))[c] for c in key_columns) not in present]
    if new:
        write_table(path, columns, rows + new)
    return len(new)


def bib_entry(source: Source) -> str:
    lines = [f"@misc{{{source.key},", f"  title        = {{{source.title}}},",
             f"  year         = {{{source.year or 'n.d.'}}},", f"  url          = {{{source.url}}}"]
    if source.note:
        lines[-1] += ","
        lines.append(f"  note         = {{{source.note}}}")
    lines.append("}")
    return "\n".join(lines)


def append_sources(data_dir: Path) -> list[str]:
    """Append the bib entries sources.bib lacks; return their keys."""
    path = data_dir / "sources.bib"
    text = path.read_text(encoding="utf-8")
    present = set(re.findall(r"@\w+\{([^,\s]+),", text))
    used = used_source_keys()
    missing = [s for s in SOURCES.values() if s.key not in present and s.key in used]
    if missing:
        addition = "\n\n".join(bib_entry(s) for s in missing)
        path.write_text(text.rstrip("\n") + "\n\n" + addition + "\n", encoding="utf-8")
    return [s.key for s in missing]


def used_source_keys() -> set[str]:
    cited = [g.source for h in HISTORIES for g in h.groups] + [h.note_sources for h in HISTORIES]
    cited += [f"{d[4]};{d[6]}" for d in DISAGREEMENTS]
    return {k for keys in cited for k in keys.split(";") if k}


def main(data_dir: Path = DATA_DIR) -> None:
    undefined = used_source_keys() - set(SOURCES) - existing_bib_keys(data_dir)
    if undefined:
        raise ValueError(f"histories cite source keys defined nowhere: {sorted(undefined)}")
    appended = append_sources(data_dir)
    before, after = update_memberships(data_dir)
    update_forums(data_dir)
    disagreements = update_disagreements(data_dir)
    print(f"memberships: {before} -> {after} spells; {len(HISTORIES)} forum histories; "
          f"{len(appended)} bib entries appended; {disagreements} disagreements appended")


def existing_bib_keys(data_dir: Path) -> set[str]:
    keys: set[str] = set()
    for name in ("sources.bib",):
        keys |= set(re.findall(r"@\w+\{([^,\s]+),", (data_dir / name).read_text(encoding="utf-8")))
    references = data_dir.parent / "references.bib"
    if references.exists():
        keys |= set(re.findall(r"@\w+\{([^,\s]+),", references.read_text(encoding="utf-8")))
    return keys


# ---------------------------------------------------------------------------------------------
# Sources read (stored public pages) and the histories taken from them.
# ---------------------------------------------------------------------------------------------

def source(key: str, title: str, url: str, year: str = "", note: str = "") -> str:
    """Register a stored page as a source and return its key (for use in Spells)."""
    if key in SOURCES:
        raise ValueError(f"source key {key!r} defined twice")
    SOURCES[key] = Source(key, title, url, year, note)
    return key


SOURCES: dict[str, Source] = {}
WEST_GERMANY = "Federal Republic of Germany (West Germany) until 1990; the course codes it DEU throughout."
SOVIET_UNION = "The Soviet Union until 1991, continued by the Russian Federation; coded RUS throughout."

NSG = source("web_nsg_participants", "Participants (Nuclear Suppliers Group)",
             "https://www.nuclearsuppliersgroup.org/index.php/en/about/participants", "2025",
             "Official table of the 48 Participating Governments with their year of adherence")
MTCR_LIST = source("web_kmhouse_mtcr", "Missile Technology Control Regime (MTCR): the 34 members with "
                   "their year of joining (K M House India blog)",
                   "https://kmhouseindia.blogspot.com/2016/06/missile-technology-control-regimemtcr.html",
                   "2016")
MTCR_INDIA = source("web_ibtimes_mtcr_india", "India now a member of exclusive missile technology group "
                    "MTCR (International Business Times)",
                    "http://www.ibtimes.com/india-now-member-exclusive-missile-technology-group-mtcr-2387127",
                    "2016-06-27")
MTCR_30 = source("web_mtcr_30th", "Joint statement agreed by consensus during the Reinforced Points of "
                 "Contact 2017 to celebrate the 30th anniversary of the MTCR (MTCR)",
                 "https://mtcr.info/en/news/joint-statement-agreed-by-consensus-during-the-reinforced-"
                 "points-of-contact-2017-to-celebrate-the-30th-anniversary-of-the-mtcr", "2017")
G10_ACT = source("web_act_g10", "G-10 (ACT Wiki, Association of Corporate Treasurers)",
                 "https://wiki-dev.treasurers.org/w/index.php?direction=next&oldid=22600&title=G-10")
G10_OTC = source("web_otcspace_g10", "G10 (The OTC Space knowledge base)",
                 "https://theotcspace.com/knowledge_item/g10/")
OPEC_LIST = source("web_oilinsight_opec", "OPEC members: new member approved and applications lining up "
                   "(Oil Industry Insight)",
                   "https://oilindustryinsight.com/investors-traders/oil-market-updates/opec-members-new-"
                   "member-approved-and-applications-lining-up", "2018")
OPEC_FOOL = source("web_fool_opec", "OPEC (The Motley Fool, investing terms)",
                   "https://www.fool.com/terms/o/opec/", "2025")
OPEC_CNN = source("web_cnn_opec", "OPEC Fast Facts (CNN)",
                  "https://edition.cnn.com/2013/07/30/world/opec-fast-facts/index.html", "")
PARIS_MEMBERS = source("web_clubdeparis_members", "Permanent members (Paris Club)",
                       "https://clubdeparis.org/en/communications/page/permanent-members", "2022")
PARIS_WHO = source("web_clubdeparis_who", "Who are we? (Paris Club)",
                   "https://clubdeparis.org/en/communications/page/who-are-we", "")
PARIS_ISRAEL = source("web_clubdeparis_israel", "The State of Israel becomes the twentieth member of the "
                      "Paris Club (Paris Club)", "https://clubdeparis.org/en/node/5", "2014-06-24")
PARIS_RUSSIA = source("web_veb_parisclub", "Paris Club (Vnesheconombank)",
                      "http://www.veb.ru/en/agent/finance/paris/", "")
QUARTET = source("web_palestinestudies_quartet", "Birth of the Middle East 'Quartet', 2002 (Institute for "
                 "Palestine Studies)", "https://www.palestine-studies.org/en/node/1652729", "2022")
LIMA_DECL = source("web_canada_lima2017", "Lima Declaration, 8 August 2017 (Global Affairs Canada)",
                   "https://www.international.gc.ca/world-monde/international_relations-relations_"
                   "internationales/latin_america-amerique_latine/2017-08-08-lima_group-groupe_lima.aspx"
                   "?lang=eng", "2017-08-08")
LIMA_ARG = source("web_resumen_lima_arg", "Argentina formally withdraws from the Lima Group (Resumen "
                  "Latinoamericano)",
                  "https://www.resumen-english.org/2021/03/argentina-formally-withdraws-from-the-lima-group/",
                  "2021-03-24")
LIMA_PER = source("web_peoplesdispatch_lima", "Peru and Saint Lucia pull out of anti-Venezuela group "
                  "(Peoples Dispatch)",
                  "https://peoplesdispatch.org/2021/08/12/peru-and-saint-lucia-pull-out-of-anti-venezuela-"
                  "group/", "2021-08-12")
LIMA_2018 = source("web_minrel_lima2018", "Foreign Minister has lunch with ambassadors and representatives "
                   "of the Lima Group (Chile, Ministry of Foreign Affairs)",
                   "https://www.minrel.gob.cl/minrel/noticias-anteriores/foreign-minister-has-lunch-with-"
                   "ambassadors-and-representatives-of-the", "2018-06-27")
LIMA_2019 = source("web_minrel_lima2019", "Lima Group Declaration, 15 April 2019 (Chile, Ministry of "
                   "Foreign Affairs)", "https://www.minrel.gob.cl/minrel/news/lima-group-declaration-2",
                   "2019-04-15")
SADC_40 = source("web_sardc_sadc40", "SADC at 40, page 36 (SARDC)",
                 "https://sardc.net/en/wp-content/uploads/flipbook/8/files/basic-html/page36.html", "2020")
SADC_DATES = source("web_infolist_sadc", "Southern African Development Community: member states with "
                    "notes on membership (The Info List copy of Wikipedia)",
                    "http://theinfolist.com/php/SummaryGet.php?FindGo=Southern_African_Development_Community")
SADC_MDG = source("web_gpewiki_sadc", "Southern African Development Community (Wikipedia, Ghanaian Pidgin "
                  "edition, member table)", "https://gpe.wikipedia.org/wiki/Southern_African_Development_"
                  "Community", "2022")
EAC_HIST = source("web_eaccon_eac", "Who makes up the East African Community? (EACCON)",
                  "https://eaccon.com/?p=1958", "2024")
EAC_SOM = source("web_diramakini_eac_somalia", "EAC continues on trajectory of expansion: Somalia admitted "
                 "(Diramakini)", "https://diramakini.co.tz/2023/11/eac-continues-on-trajectory-of.html",
                 "2023-11-24")
SAARC = source("web_swapsushias_saarc", "International organisation: SAARC (blog copy of the Wikipedia "
               "article)", "http://swapsushias.blogspot.com/2010/09/international-organisation-saarc.html",
               "2010-09")
MERCOSUR_VEN = source("web_wikimili_mercosur", "Member states of Mercosur (WikiMili)",
                      "https://wikimili.com/en/Member_states_of_Mercosur", "")
MERCOSUR_SUSP = source("web_wikisum_mercosur", "Member states of Mercosur (WikiSum summary)",
                       "https://wikisum.wiki/wiki/Member_states_of_Mercosur", "")
MERCOSUR_BOL = source("web_noticiabrasil_bolivia", "Arce ratifica entrada da Bolivia no Mercosul "
                      "(Noticia Brasil)",
                      "https://noticiabrasil.net.br/amp/20240705/arce-ratifica-entrada-da-bolivia-no-"
                      "mercosul-35451500.html", "2024-07-05")
ECOWAS_RW = source("web_reliefweb_ecowas", "ECOWAS (ReliefWeb organisation profile)",
                   "https://reliefweb.int/organization/ecowas", "")
ECOWAS_WN = source("web_wn_ecowas2016", "Statement by the spokesperson on the upcoming ECOWAS presidential "
                   "elections (WN, with background on ECOWAS)",
                   "https://article.wn.com/view/2016/11/04/Statement_by_the_spokesperson_on_the_upcoming_"
                   "ECOWAS_preside_0/", "2016-11-04")
ECOWAS_EXIT = source("web_tvc_ecowas_exit", "Burkina Faso, Mali, Niger officially withdraw from ECOWAS "
                     "(TVC News)",
                     "https://www.tvcnews.tv/2025/01/burkina-faso-mali-niger-officially-withdraw-from-ecowas/",
                     "2025-01-30")
IGAD_FMH = source("web_freemovehub_igad", "Intergovernmental Authority on Development (IGAD) (Free "
                  "Movement Hub)", "http://www.freemovehub.com/regimes/igad/", "2024")
IGAD_HAPC = source("web_hapc_igad", "IGAD (Horn of Africa Peace Centre)", "https://hapc.africa/en/igad", "")
CARICOM = source("web_skcfilms_caricom", "Caribbean Community: member states in order of membership "
                 "(SKC Films Library)", "https://skcfilms.com/social/history/america/caricom.html", "2017")
CARICOM_JIS = source("web_jis_caricom", "CARICOM (Jamaica Information Service)",
                     "https://jis.gov.jm/information/caricom/", "")
CSC_2022 = source("web_newslk_csc2022", "Colombo Security Conclave: the 5th NSA level meeting concludes in "
                  "Maldives (news.lk, Government of Sri Lanka)",
                  "https://www.news.lk/news/political-current-affairs/item/33809-colombo-security-conclave-"
                  "the-5-th-nsa-level-meeting-concludes-in-maldives", "2022-03-14")
G15_HIST = source("web_g15_history", "Historical background (Group of Fifteen)",
                  "http://g15.org/member-countries-2/historical-background/", "")
G15_FOUNDERS = source("web_countryreports_g15", "Glossary: Group of Fifteen (G-15) (countryreports.org)",
                      "https://www.countryreports.org/glossary.htm?term=Group+of+Fifteen+%28G-15%29", "")
G15_WIKI = source("web_datana_g15", "Group of 15 (Wikipedia mini snapshot, April 2024)",
                  "https://encyclopedia.datana.cloud/content/wikipedia_en_all_mini_2024-04/A/Group_of_15",
                  "2024-04")
CIS_LIST = source("web_ipfs_cis", "Member states of the Commonwealth of Independent States (Wikipedia on "
                  "IPFS, with signature and ratification dates)",
                  "https://en.wikipedia-on-ipfs.org/wiki/Member_states_of_the_Commonwealth_of_Independent_"
                  "States", "")
CIS_FACTBOOK = source("web_factbook_cis", "Commonwealth of Independent States (CIS) (The World Factbook, "
                      "Unbound Medicine copy)",
                      "https://relief.unboundmedicine.com/relief/view/The-World-Factbook/563540/all/"
                      "Commonwealth_of_Independent_States__CIS_", "")
PIF_ADB = source("web_adb_pif", "Pacific Islands Forum Secretariat (Asian Development Bank, ARIC)",
                 "https://aric.adb.org/initiative/pacific-islands-forum-secretariat", "2018")
PIF_FRANCE = source("web_diplomatie_pif2016", "Pacific Islands Forum: accession of New Caledonia and French "
                    "Polynesia as full-fledged members (France Diplomacy)",
                    "https://www.diplomatie.gouv.fr/en/country-files/asia-and-oceania/news/article/pacific-"
                    "islands-forum-accession-of-new-caledonia-and-french-polynesia-as-full", "2016-09")

HISTORIES: list[History] = [
    History("nsg", "complete", (
        Spells("CAN:1974 FRA:1974 GBR:1974 JPN:1974 USA:1974 AUS:1978 BEL:1978 ITA:1978 NLD:1978 "
               "POL:1978 SWE:1978 CHE:1978 FIN:1980 DNK:1984 BGR:1984 GRC:1984 IRL:1984 LUX:1984 "
               "HUN:1985 PRT:1986 ESP:1988 NOR:1989 ROU:1990 AUT:1991 CZE:1993 SVK:1993 ARG:1994 "
               "NZL:1994 KOR:1995 ZAF:1995 BRA:1996 UKR:1996 LVA:1997 BLR:2000 CYP:2000 SVN:2000 "
               "TUR:2000 KAZ:2002 CHN:2004 EST:2004 LTU:2004 MLT:2004 HRV:2005 ISL:2009 MEX:2012 "
               "SRB:2013 DEU:1974 RUS:1974", NSG,
               member_notes={
                   "CZE": "The NSG table dates Czechoslovakia's adherence 1978; the Czech Republic's "
                          "participation dates from 5 March 1993.",
                   "SVK": "The NSG table dates Czechoslovakia's adherence 1978; Slovakia's participation "
                          "dates from 5 March 1993.",
                   "DEU": WEST_GERMANY, "RUS": SOVIET_UNION}),),
        notes="The 48 Participating Governments with the year of adherence given in the NSG's own table. "
              "The European Commission and the Chair of the Zangger Committee take part as observers and "
              "are not recorded. IIGO 2.0 counts 46 state members in 2017."),
    History("mtcr", "complete", (
        Spells("CAN:1987 FRA:1987 DEU:1987 ITA:1987 JPN:1987 GBR:1987 USA:1987 AUS:1990 BEL:1990 "
               "DNK:1990 LUX:1990 NLD:1990 NOR:1990 ESP:1990 AUT:1991 FIN:1991 NZL:1991 SWE:1991 "
               "GRC:1992 IRL:1992 PRT:1992 CHE:1992 ARG:1993 HUN:1993 ISL:1993 BRA:1995 RUS:1995 "
               "ZAF:1995 POL:1997 TUR:1997 CZE:1998 UKR:1998 KOR:2001 BGR:2004", f"{MTCR_LIST};{MTCR_30}",
               member_notes={"DEU": WEST_GERMANY}),
        Spells("IND:2016", MTCR_INDIA, "Signed the instrument of accession on 27 June 2016 as the 35th "
               "partner."),),
        notes="Founded in April 1987 by the G7 states; 35 partners since India joined in 2016 (the MTCR's "
              "30th-anniversary statement: 'from 7 to 35 states'). Partners' join years from a 2016 list of "
              "the 34; unilateral adherents (e.g. China, Israel) are not partners and are not recorded."),
    History("g10", "complete", (
        Spells("BEL:1962 CAN:1962 FRA:1962 DEU:1962 ITA:1962 JPN:1962 NLD:1962 SWE:1962 GBR:1962 "
               "USA:1962", f"{G10_ACT};{G10_OTC}", "One of the ten states that formed the group in 1962.",
               member_notes={"DEU": WEST_GERMANY}),
        Spells("CHE:1964", f"{G10_ACT};{G10_OTC}", "Joined in 1964; the group kept the name G10."),),
        notes="The states that agreed in 1962 to participate in the IMF's General Arrangements to Borrow; "
              "Switzerland joined in 1964. The BIS, EC, IMF and OECD attend as observers (not recorded). "
              "IIGO 2.0 marks it dead with an unknown end year, so spells are left open."),
    History("opec", "complete", (
        Spells("IRN:1960 IRQ:1960 KWT:1960 SAU:1960 VEN:1960", f"{OPEC_LIST};{OPEC_CNN}",
               "Founder member (Baghdad Conference, September 1960)."),
        Spells("LBY:1962 ARE:1967 DZA:1969 NGA:1971 AGO:2007-2024 GNQ:2017 COG:2018",
               f"{OPEC_LIST};{OPEC_CNN};{OPEC_FOOL}",
               member_notes={"ARE": "Joined in 1967 (as Abu Dhabi, before the UAE was formed in 1971); "
                                    "the course codes it ARE throughout.",
                             "AGO": "Withdrew with effect from 1 January 2024."}),
        Spells("QAT:1961-2019", f"{OPEC_LIST};{OPEC_FOOL}", "Terminated its membership in 2019."),
        Spells("IDN:1962-2009 IDN:2016-2016", f"{OPEC_LIST};{OPEC_FOOL}",
               "Suspended January 2009; reactivated January 2016 and suspended again November 2016 (that "
               "spell ends within its first year, so it counts in no panel year)."),
        Spells("ECU:1973-1992 ECU:2007-2020", f"{OPEC_LIST};{OPEC_FOOL}",
               "Suspended December 1992, reactivated October 2007, withdrew in 2020."),
        Spells("GAB:1975-1995 GAB:2016", f"{OPEC_LIST};{OPEC_CNN}",
               "Terminated its membership in January 1995; rejoined July 2016."),),
        notes="Member history from OPEC's own summary (as quoted in 2018) with later departures (Qatar "
              "2019, Ecuador 2020, Angola 2024). COW IGO v3 runs to 2014; status after 2014 is the course's "
              "reading."),
    History("paris_club", "partial", (
        Spells("RUS:1997", PARIS_RUSSIA, "Memorandum of Understanding of September 1997 formalised Russia "
               "as a full member."),
        Spells("ISR:2014", PARIS_ISRAEL, "Became the 20th full member on 24 June 2014 after some 30 years "
               "as an ad hoc participant."),
        Spells("BRA:2016 KOR:2016", PARIS_WHO, "Welcomed as full members in 2016 after years of ad hoc "
               "participation."),),
        notes="Only members whose year of joining a stored source gives are recorded. The other 18 of "
              "the 22 permanent members (Australia, Austria, Belgium, Canada, Denmark, Finland, France, "
              "Germany, Ireland, Italy, Japan, Netherlands, Norway, Spain, Sweden, Switzerland, United "
              "Kingdom, United States; Paris Club list) have no sourced joining year. South Africa has been "
              "a prospective member since July 2022 (not recorded). IIGO 2.0 counts 20 state members in "
              "2017 and formalises the club in 1979, when a permanent secretariat was set up.",
        note_sources=PARIS_MEMBERS),
    History("quartet", "partial", (
        Spells("USA:2002 RUS:2002 EU:2002", QUARTET, "Met as the Middle East Quartet in Madrid on 10 April "
               "2002."),),
        notes="The Quartet is the United States, Russia, the European Union and the United Nations. The UN "
              "has no code in countries.csv and is not recorded, hence partial coverage. IIGO 2.0 counts 3 "
              "state members."),
    History("lima_group", "partial", (
        Spells("BRA:2017 CAN:2017 CHL:2017 COL:2017 CRI:2017 GTM:2017 HND:2017 PAN:2017 PRY:2017",
               f"{LIMA_DECL};{LIMA_2019}", "Signed the Lima Declaration of 8 August 2017."),
        Spells("MEX:2017", f"{LIMA_DECL};{LIMA_2019}", "Signed the Lima Declaration of 8 August 2017; "
               "absent from the group's 2019 declarations, but no withdrawal date was found, so the spell "
               "is left open."),
        Spells("ARG:2017-2021", f"{LIMA_DECL};{LIMA_ARG}", "Signed the Lima Declaration of 8 August 2017; "
               "formally withdrew on 24 March 2021."),
        Spells("PER:2017-2021", f"{LIMA_DECL};{LIMA_PER}", "Host and signatory of the Lima Declaration; "
               "left in August 2021."),),
        notes="The twelve signatories of the 2017 Lima Declaration. Guyana and Saint Lucia were members by "
              "June 2018 (Chile MFA) and Saint Lucia left in August 2021, but no source gives the year they "
              "joined, so they are not recorded; nor is the Venezuelan opposition's representation from "
              "2019. IIGO 2.0 counts 13 state members in 2017.", note_sources=LIMA_2018),
    History("sadc", "complete", (
        Spells("AGO:1992 BWA:1992 LSO:1992 MWI:1992 MOZ:1992 NAM:1992 SWZ:1992 TZA:1992 ZMB:1992 "
               "ZWE:1992", f"{SADC_40};{SADC_DATES}",
               "One of the ten states that signed the SADC Treaty in Windhoek in 1992 (the 2020 membership "
               "less the six states with later accession dates)."),
        Spells("ZAF:1994", f"{SADC_40};{SADC_DATES}", "Joined on 30 August 1994 as the 11th member."),
        Spells("MUS:1995 COD:1997 COM:2017", SADC_DATES),
        Spells("SYC:1997-2004 SYC:2008", SADC_DATES, "Member from 8 September 1997 to 1 July 2004; "
               "rejoined in 2008."),
        Spells("MDG:2005-2009 MDG:2014", f"{SADC_DATES};{SADC_MDG}",
               "Admitted 18 August 2005; suspended in 2009; reinstated 30 January 2014."),),
        notes="Members from the SADC Treaty of 1992; the SADCC (1980) has its own row. COW IGO v3 runs to "
              "2014; status after 2014 is the course's reading."),
    History("eac", "complete", (
        Spells("KEN:2000 TZA:2000 UGA:2000", EAC_HIST, "Founding member of the re-established EAC (treaty "
               "signed 1999, in force 7 July 2000)."),
        Spells("BDI:2007 RWA:2007", EAC_HIST, "Joined on 1 July 2007."),
        Spells("SSD:2016", EAC_HIST, "Joined on 15 April 2016."),
        Spells("COD:2022", EAC_HIST, "Admitted on 29 March 2022."),
        Spells("SOM:2023", f"{EAC_HIST};{EAC_SOM}", "Admitted as a full member by the summit of 24 November "
               "2023; it then had to sign and ratify the treaty of accession."),),
        notes="Founding members are dated from the treaty's entry into force in 2000; COW IGO v3 starts "
              "the row in 1996 (the tripartite commission that preceded the treaty), so the panel shows no "
              "members for 1996-1999. COW IGO v3 runs to 2014; status after 2014 is the course's reading."),
    History("saarc", "complete", (
        Spells("BGD:1985 BTN:1985 IND:1985 MDV:1985 NPL:1985 PAK:1985 LKA:1985", SAARC,
               "One of the seven founding members (Dhaka, December 1985)."),
        Spells("AFG:2007", SAARC, "Became a member on 3 April 2007."),),
        notes="Observers (e.g. the US, South Korea, the EU, agreed in principle in 2006) are not recorded. "
              "COW IGO v3 runs to 2014; status after 2014 is the course's reading."),
    History("mercosur", "complete", (
        Spells("ARG:1991 BRA:1991 URY:1991", f"{MERCOSUR_VEN};{MERCOSUR_BOL}",
               "Signatory of the Treaty of Asuncion, 26 March 1991."),
        Spells("PRY:1991-2012 PRY:2013", f"{MERCOSUR_VEN};{MERCOSUR_BOL}",
               "Signatory of the Treaty of Asuncion; suspended in June 2012 after President Lugo's removal "
               "and readmitted after its 2013 elections."),
        Spells("VEN:2012-2016", f"{MERCOSUR_VEN};{MERCOSUR_SUSP}",
               "Admission effective 31 July 2012; suspended on 1 December 2016 (indefinitely from August "
               "2017)."),
        Spells("BOL:2024", MERCOSUR_BOL, "Accession law promulgated on 5 July 2024; first summit as a full "
               "member on 8 July 2024."),),
        notes="Full members only; associate states are not recorded. COW IGO v3 runs to 2014; status after "
              "2014 is the course's reading."),
    History("ecowas", "complete", (
        Spells("BEN:1975 CIV:1975 GMB:1975 GHA:1975 GIN:1975 GNB:1975 LBR:1975 NGA:1975 SEN:1975 "
               "SLE:1975 TGO:1975", ECOWAS_RW, "Signatory of the Treaty of Lagos, 28 May 1975."),
        Spells("BFA:1975-2025 MLI:1975-2025 NER:1975-2025", f"{ECOWAS_RW};{ECOWAS_EXIT}",
               "Signatory of the Treaty of Lagos (Burkina Faso as Upper Volta); withdrawal effective 29 "
               "January 2025."),
        Spells("MRT:1975-2000", ECOWAS_RW, "Signatory of the Treaty of Lagos; withdrew in December 2000."),
        Spells("CPV:1977", f"{ECOWAS_RW};{ECOWAS_WN}", "Joined in 1977 (WN's background note says 1976)."),),
        notes="Accessions and withdrawals only: suspensions after coups (e.g. Guinea 2008, Niger 2009, Cote "
              "d'Ivoire 2010, and the Sahel states before their 2025 exit) are not recorded as breaks. "
              "COW IGO v3 runs to 2014; status after 2014 is the course's reading."),
    History("igad", "complete", (
        Spells("DJI:1986 ETH:1986 KEN:1986 SOM:1986 UGA:1986", f"{IGAD_FMH};{IGAD_HAPC}",
               "Founding member of IGADD (January 1986)."),
        Spells("SDN:1986-2024", IGAD_FMH, "Founding member; suspended its membership in January 2024 over "
               "IGAD's handling of the war in Sudan."),
        Spells("ERI:1993-2007 ERI:2023", IGAD_FMH, "Joined after independence in 1993; suspended its "
               "membership in 2007; rejoined in 2023."),
        Spells("SSD:2011-2021", IGAD_FMH, "Joined after independence in 2011; suspended in December 2021 "
               "over unpaid dues (no reinstatement found)."),),
        notes="Founded in 1986 as the Intergovernmental Authority on Drought and Development, renamed IGAD "
              "in 1996. COW IGO v3 runs to 2014; status after 2014 is the course's reading."),
    History("caricom", "partial", (
        Spells("BRB:1973 GUY:1973 JAM:1973 TTO:1973", f"{CARICOM};{CARICOM_JIS}",
               "Signatory of the Treaty of Chaguaramas, in force 1 August 1973."),
        Spells("BLZ:1974 DMA:1974 GRD:1974 LCA:1974 VCT:1974 ATG:1974 KNA:1974", CARICOM,
               member_notes={"KNA": "Joined 26 July 1974 as Saint Christopher-Nevis-Anguilla."}),
        Spells("BHS:1983 SUR:1995 HTI:2002", f"{CARICOM};{CARICOM_JIS}"),),
        notes="Full member Montserrat (1 May 1974), a British territory, has no code in countries.csv and "
              "is not recorded, hence partial coverage; associate members (Anguilla, Bermuda, British "
              "Virgin Islands, Cayman Islands, Turks and Caicos) are not recorded either. COW IGO v3 runs "
              "to 2014; status after 2014 is the course's reading."),
    History("g15", "partial", (
        Spells("DZA:1989 ARG:1989 BRA:1989 EGY:1989 IND:1989 IDN:1989 JAM:1989 MYS:1989 MEX:1989 "
               "NGA:1989 SEN:1989 VEN:1989 ZWE:1989", f"{G15_HIST};{G15_FOUNDERS}",
               "Founding member (Belgrade, September 1989)."),
        Spells("PER:1989-2011", f"{G15_FOUNDERS};{G15_WIKI}", "Founding member; left in 2011."),),
        notes="Founding members from 1989. Yugoslavia, a founder, has no code in countries.csv and is not "
              "recorded; Chile, Iran and Kenya joined later but no stored source gives the years, so they "
              "are not recorded either (17 members today). IIGO 2.0 counts 17 state members in 2017."),
    History("cis", "partial", (
        Spells("ARM:1991 AZE:1991 BLR:1991 KAZ:1991 KGZ:1991 MDA:1991 RUS:1991 TJK:1991 UZB:1991", CIS_LIST,
               "Signed the CIS Creation Agreement in December 1991 and later ratified the 1993 Charter.",
               member_notes={"RUS": "Signed the Creation Agreement on 8 December 1991; ratified the "
                                    "Charter in 1993."}),
        Spells("TKM:1991-2005", f"{CIS_LIST};{CIS_FACTBOOK}", "Signed the Creation Agreement in 1991 but "
               "never ratified the Charter; associate member since 26 August 2005 (not coded as a member "
               "from then)."),
        Spells("UKR:1991-2018", f"{CIS_LIST};{CIS_FACTBOOK}", "Founding state that never ratified the "
               "Charter; formally ended its participation in CIS statutory bodies in May 2018."),),
        notes="Georgia joined later and left in August 2009 (World Factbook), but no stored source gives its "
              "joining year, so it is not recorded. COW IGO v3 runs to 2014; status after 2014 is the "
              "course's reading."),
    History("colombo_security_conclave", "complete", (
        Spells("IND:2020 LKA:2020 MDV:2020", "web_utkarsh_csc",
               "Founding trio of the 2011 trilateral dialogue, renamed in 2020."),
        Spells("MUS:2022", CSC_2022, "Took part as the newest member at the 5th NSA-level meeting, Male, "
               "9-10 March 2022."),
        Spells("BGD:2024", "web_utkarsh_csc", "Admitted 10 July 2024."),),
        notes="Origin: a 2011 trilateral maritime dialogue (recorded in disagreements). Charter and an MoU "
              "establishing a secretariat signed in Colombo on 30 August 2024 (secretariat_since 2024 is "
              "the MoU year). Mauritius took part as a member from the March 2022 meeting; Bangladesh "
              "admitted 10 July 2024; Seychelles is an observer (year not sourced). Meets at national "
              "security adviser level."),
    History("pif", "partial", (
        Spells("AUS:1971 FJI:1971 NRU:1971 NZL:1971 TON:1971 WSM:1971", PIF_ADB,
               "Founding member of the South Pacific Forum (1971)."),),
        notes="Only the founders are recorded. The Cook Islands (a founder), Niue, French Polynesia and New "
              "Caledonia (full members since September 2016) have no code in countries.csv; the other "
              "independent members (FSM, Kiribati, Marshall Islands, Palau, Papua New Guinea, Solomon "
              "Islands, Tuvalu, Vanuatu) have no sourced joining year. COW IGO v3 runs to 2014.",
        note_sources=PIF_FRANCE),
]

ECOWAS_MN = source("web_medianigeria_ecowas", "List of ECOWAS countries (Media Nigeria)",
                   "https://medianigeria.com/list-of-ecowas-countries", "")

# (table, key, column, value_used, source_used, value_alt, source_alt, note): disagreements.csv rows.
DISAGREEMENTS: list[tuple[str, str, str, str, str, str, str, str]] = [
    ("memberships", "ecowas|CPV|member|1977", "joined", "1977", ECOWAS_RW, "1976", ECOWAS_WN,
     "ReliefWeb's ECOWAS profile and Media Nigeria say Cape Verde joined in 1977; a 2016 WN background "
     "note says 1976."),
    ("memberships", "ecowas|MRT|member|1975", "left", "2000", f"{ECOWAS_RW};{ECOWAS_WN}", "2002",
     ECOWAS_MN, "ReliefWeb and WN: Mauritania withdrew in December 2000 (announced December 1999); "
     "Media Nigeria's list says it left in 2002."),
]

OECD_DE = source("web_bwl_oecd", "OECD-Staaten, with year of accession (betriebswirtschaft-lernen.net)",
                 "https://www.betriebswirtschaft-lernen.net/erklaerung/oecd-staaten/", "")
OECD_SIMPLE = source("web_simplewiki_oecd", "OECD (Simple English Wikipedia)",
                     "https://simple.m.wikipedia.org/wiki/OECD", "")
OECD_2013 = source("web_oecd_2013_accession", "Global OECD boosted by decision to open membership talks with "
                   "Colombia and Latvia (OECD press release)",
                   "https://www.oecd.org/mcm/global-oecd-boosted-by-decision-to-open-membership-talks-with-"
                   "colombia-and-latvia-with-more-to-follow.htm", "2013-05-30")
OECD_RECENT = source("web_ehotelat_oecd", "The OECD at a glance (ehotelat.com)",
                     "https://www.ehotelat.com/the-oecd-at-a-glance/", "2021")
OECD_CRI = source("web_oecd_costa_rica", "OECD welcomes Costa Rica as its 38th Member (OECD press release)",
                  "https://www.oecd.org/en/about/news/press-releases/2021/05/oecd-welcomes-costa-rica-as-its-"
                  "38th-member.html", "2021-05-25")
COE_DATES = source("web_ecotaf_coe", "Council of Europe: member states with date joined (ecotaf.net copy of "
                   "the Wikipedia table)", "https://nz.ecotaf.net/2054-council-of-europe.html", "")
COE_WIKI = source("web_encycloreader_coe", "Member states of the Council of Europe (EncycloReader copy of "
                  "Wikipedia)", "https://encycloreader.org/r/wikipedia.php?q=Member_states_of_the_Council_of_"
                  "Europe", "")
COE_2022 = source("web_wikipedia_coe_members", "Member states of the Council of Europe (Wikipedia)",
                  "https://en.wikipedia.org/wiki/Member_states_of_the_Council_of_Europe", "2022")
SICA_SIMPLE = source("web_simplewiki_sica", "Central American Integration System (Simple English "
                     "Wikipedia)", "https://simple.wikipedia.org/wiki/Central_American_Integration_System", "")
SICA_FR = source("web_frwiki_sica", "Centralamerikansk integrationssystem (Danish translation of the French "
                 "Wikipedia article)", "https://da.frwiki.wiki/wiki/Syst%C3%A8me_d%27int%C3%A9gration_"
                 "centram%C3%A9ricain", "")
COMESA_LIST = source("web_edocr_comesa", "Common Market for Eastern and Southern Africa (edocr copy of the "
                     "Wikipedia article, with membership dates)",
                     "https://www.edocr.com/v/ozmqzkk8/globaldocuments/commonmarketforeasternandsouthernafricapdf")
COMESA_FORMER = source("web_reingex_comesa", "COMESA: Common Market for Eastern and Southern Africa "
                       "(Reingex)", "https://en.reingex.com/COMESA-Common-Market-Eastern-Southern-Africa.shtml")
COMESA_2018 = source("web_cgtn_comesa2018", "Tunisia, Somalia join COMESA (CGTN Africa)",
                     "https://africa.cgtn.com/tunisia-somalia-join-comesa", "2018-07")
OAS_LATER = source("web_enacademic_oas", "Member states of the Organization of American States (Academic "
                   "dictionaries copy of Wikipedia, 2010)", "https://en-academic.com/dic.nsf/enwiki/11724402",
                   "2010")
OAS_FOUNDERS = source("web_queshub_oas", "Members of the Organization of American States (QuesHub answer)",
                      "https://m.queshub.com/ask/1309719.html", "")
OAS_NOW = source("web_wikiwand_oas", "Member states of the Organization of American States (Wikiwand)",
                 "https://wikiwand.com/en/articles/Member_states_of_the_Organization_of_American_States", "")
OAS_NIC = source("web_ktvz_nicaragua_oas", "US calls Nicaragua's decision to leave Organization of American "
                 "States a 'step away from democracy' (AP via KTVZ)",
                 "https://ktvz.com/news/ap-national-news/2023/11/19/us-calls-nicaraguas-decision-to-leave-"
                 "organization-of-american-states-a-step-away-from-democracy/", "2023-11-19")
OAS_RIA = source("web_newspravda_nicaragua_oas", "Nicaragua withdrew from the Organization of American States "
                 "(RIA Novosti via news-pravda.com)", "https://news-pravda.com/world/2023/11/20/191554.html",
                 "2023-11-20")
OAS_FACTBOOK = source("web_factbook_oas", "Organization of American States (OAS) (The World Factbook, Unbound "
                      "Medicine copy)", "https://relief.unboundmedicine.com/relief/view/The-World-Factbook/"
                      "563656/0/Organization_of_American_States__OAS_", "")
CELAC_WIKI = source("web_datana_celac", "Community of Latin American and Caribbean States (Wikipedia mini "
                    "snapshot, April 2024)", "https://encyclopedia.datana.cloud/content/wikipedia_en_all_mini_"
                    "2024-04/A/Community_of_Latin_American_and_Caribbean_States", "2024-04")
CELAC_SCOPE = source("web_wikimili_celac", "Community of Latin American and Caribbean States (WikiMili)",
                     "https://wikimili.com/en/Community_of_Latin_American_and_Caribbean_States", "")
CELAC_BRA = source("web_telesur_brazil_celac", "Brazil makes official with Argentina its return to CELAC "
                   "(teleSUR)", "https://www.telesurenglish.net/news/Brazil-Makes-Official-With-Argentina-"
                   "Its-Return-to-CELAC-20230112-0017.html", "2023-01-12")
WA_MEX = source("web_state_mexico_wassenaar", "U.S. congratulates Mexico on accession to Wassenaar "
                "Arrangement (U.S. Department of State media note via EIN Presswire)",
                "https://einpresswire.com/article/77424780/western-hemisphere-u-s-congratulates-mexico-on-"
                "accession-to-wassenaar-arrangement", "2012")
WA_IND = source("web_indiandiplomacy_wassenaar", "India joins the Wassenaar Arrangement (Ministry of "
                "External Affairs statement, indiandiplomacy.org)", "https://indiandiplomacy.org/?p=4818",
                "2017-12-08")
WA_2004 = source("web_bis_wassenaar2004", "The Wassenaar Arrangement: members and criteria for membership "
                 "(U.S. Bureau of Industry and Security, archived 2004)",
                 "https://webharvest.gov/peth04/20041015025704/http:/www.bis.doc.gov/Wassenaar/"
                 "MembershipandCriteria.html", "2004")
AG_2016 = source("web_uncensored_australiagroup", "Australia Group (2016 Wikipedia snapshot)",
                 "http://the-uncensored-wiki.com:20161/2016-wikipedia_en_all_2016-02/A/Australia_Group.html",
                 "2016-02")
AG_IND = source("web_narvi_australiagroup", "Australia Group (Narvi Academy)",
                "https://www.narviacademy.in/Topics/general-awareness/international-organisations/australia-"
                "group.php", "2018")

HISTORIES += [
    History("oecd", "complete", (
        Spells("AUT:1961 BEL:1961 CAN:1961 DNK:1961 FRA:1961 DEU:1961 GRC:1961 ISL:1961 IRL:1961 ITA:1961 "
               "LUX:1961 NLD:1961 NOR:1961 PRT:1961 ESP:1961 SWE:1961 CHE:1961 TUR:1961 GBR:1961 USA:1961",
               OECD_DE, "Founder member (Convention in force 30 September 1961).",
               member_notes={"DEU": WEST_GERMANY}),
        Spells("JPN:1964 FIN:1969 AUS:1971 NZL:1973 MEX:1994 CZE:1995 HUN:1996 POL:1996 KOR:1996 SVK:2000",
               OECD_DE),
        Spells("CHL:2010 EST:2010 ISR:2010 SVN:2010", OECD_2013, "Became a full member in 2010."),
        Spells("LVA:2016 LTU:2018 COL:2020", OECD_RECENT),
        Spells("CRI:2021", OECD_CRI, "Deposited its instrument of accession on 25 May 2021 (38th member)."),),
        notes="Coded minilateral (a selective club admitted by invitation) although it counts 38 members "
              "since 2021, above the codebook's rule of thumb of 30: a borderline case. The European "
              "Commission takes part without being a member (not recorded). COW IGO v3 runs to 2014; status "
              "after 2014 is the course's reading."),
    History("coe", "complete", (
        Spells("BEL:1949 DNK:1949 FRA:1949 IRL:1949 ITA:1949 LUX:1949 NLD:1949 NOR:1949 SWE:1949 GBR:1949",
               f"{COE_DATES};{COE_WIKI}", "Founder (Statute signed in London, 5 May 1949)."),
        Spells("GRC:1949-1969 GRC:1974", COE_WIKI, "Joined 9 August 1949; withdrew 12 December 1969 under "
               "the military dictatorship; rejoined 28 November 1974."),
        Spells("TUR:1950 ISL:1950", f"{COE_WIKI};{COE_DATES}"),
        Spells("DEU:1950", f"{COE_WIKI};{COE_DATES}", "West Germany was an associate member from 1950 and a "
               "full member from 1951; the course codes it DEU throughout."),
        Spells("AUT:1956 CYP:1961 CHE:1963 MLT:1965 PRT:1976 ESP:1977 LIE:1978 SMR:1988 FIN:1989 HUN:1990 "
               "POL:1991 BGR:1992 EST:1993 LTU:1993 SVN:1993 ROU:1993 AND:1994 LVA:1995 ALB:1995 MDA:1995 "
               "UKR:1995 HRV:1996 GEO:1999 ARM:2001 AZE:2001 BIH:2002 MCO:2004 MNE:2007", COE_DATES),
        Spells("CZE:1993 SVK:1993", COE_DATES, "Joined 30 June 1993 after the dissolution of Czechoslovakia "
               "(Czechoslovakia's own membership is not recorded)."),
        Spells("MKD:1995", COE_DATES, "Joined 9 November 1995 as 'the former Yugoslav Republic of "
               "Macedonia'."),
        Spells("SRB:2003", COE_DATES, "Joined 3 April 2003 as Serbia and Montenegro; Serbia continued the "
               "membership in 2006."),
        Spells("RUS:1996-2022", f"{COE_DATES};{COE_2022}", "Joined 28 February 1996; no longer a member "
               "from March 2022."),),
        notes="46 member states since Russia's membership ended in March 2022. COW IGO v3 runs to 2014; "
              "status after 2014 is the course's reading."),
    History("sica", "complete", (
        Spells("CRI:1991 SLV:1991 GTM:1991 HND:1991 NIC:1991 PAN:1991", f"{SICA_SIMPLE};{SICA_FR}",
               "Signed the Tegucigalpa Protocol, 13 December 1991."),
        Spells("BLZ:2000", SICA_FR, "Joined as a full member in 2000 (Simple English Wikipedia says 1998)."),
        Spells("DOM:2013", SICA_SIMPLE, "Associated state from 2004; full member from 2013."),),
        notes="Full members only; observers are not recorded. COW IGO v3 runs to 2014; status after 2014 is "
              "the course's reading."),
    History("comesa", "complete", (
        Spells("BDI:1994 COM:1994 COD:1994 DJI:1994 ETH:1994 KEN:1994 MDG:1994 MWI:1994 MUS:1994 RWA:1994 "
               "SDN:1994 SWZ:1994 UGA:1994 ZMB:1994 ZWE:1994", COMESA_LIST,
               "Member of the Preferential Trade Area since 21 December 1981; recorded from the COMESA "
               "treaty's ratification in December 1994."),
        Spells("ERI:1994 EGY:1999 SYC:2001 LBY:2005", COMESA_LIST),
        Spells("SOM:2018 TUN:2018", COMESA_2018, "Admitted at the 20th summit in Lusaka, July 2018."),
        Spells("LSO:1994-1997 MOZ:1994-1997 TZA:1994-2000 NAM:1994-2004", f"{COMESA_LIST};{COMESA_FORMER}",
               "Former member; recorded from COMESA's 1994 start because its own joining date is not in the "
               "stored sources."),
        Spells("AGO:1994-2007", f"{COMESA_LIST};{COMESA_FORMER}",
               "Listed as a former member (self-suspension in 2007); recorded from COMESA's 1994 start."),),
        notes="The COMESA treaty was signed 5 November 1993 and ratified 8 December 1994, replacing the "
              "Preferential Trade Area of 1981. COW IGO v3 runs to 2014; status after 2014 is the course's "
              "reading."),
    History("oas", "complete", (
        Spells("ARG:1948 BOL:1948 BRA:1948 CHL:1948 COL:1948 CRI:1948 DOM:1948 ECU:1948 SLV:1948 GTM:1948 "
               "HTI:1948 MEX:1948 PAN:1948 PRY:1948 PER:1948 USA:1948 URY:1948",
               f"{OAS_FOUNDERS};{OAS_FACTBOOK}", "One of the 21 founding members (5 May 1948)."),
        Spells("VEN:1948", f"{OAS_FOUNDERS};{OAS_NOW}", "Founding member. It denounced the Charter and "
               "left at its own request in 2019 (RIA Novosti), but the OAS still counts it among its "
               "members (Wikiwand), so the spell is left open; see disagreements."),
        Spells("CUB:1948-1962", f"{OAS_FOUNDERS};{OAS_LATER}", "Founding member; excluded from "
               "participation in 1962. The exclusion was lifted in 2009 but Cuba has not returned."),
        Spells("HND:1948-2009 HND:2011", OAS_LATER, "Founding member; suspended 5 July 2009 after the coup; "
               "suspension lifted 1 June 2011."),
        Spells("NIC:1948-2023", f"{OAS_FOUNDERS};{OAS_NIC}", "Founding member; denounced the Charter in "
               "November 2021, effective 19 November 2023."),
        Spells("BRB:1967 TTO:1967 JAM:1969 GRD:1975 SUR:1977 DMA:1979 LCA:1979 ATG:1981 VCT:1981 BHS:1982 "
               "KNA:1984 CAN:1990 BLZ:1991 GUY:1991", OAS_LATER),),
        notes="Dated from the 1948 Charter; COW IGO v3 starts the organisation in 1890 (Pan American Union) "
              "and IIGO dates the informal inter-American system from 1826 (both in disagreements). "
              "Suspensions of Cuba (1962) and Honduras (2009-2011) are recorded as breaks."),
    History("celac", "complete", (
        Spells("ATG:2011 ARG:2011 BHS:2011 BRB:2011 BLZ:2011 BOL:2011 CHL:2011 COL:2011 CRI:2011 CUB:2011 "
               "DMA:2011 DOM:2011 ECU:2011 SLV:2011 GRD:2011 GTM:2011 GUY:2011 HTI:2011 HND:2011 JAM:2011 "
               "MEX:2011 NIC:2011 PAN:2011 PRY:2011 PER:2011 KNA:2011 LCA:2011 VCT:2011 SUR:2011 TTO:2011 "
               "URY:2011 VEN:2011", f"{CELAC_WIKI};{CELAC_SCOPE};{OAS_FACTBOOK}",
               "Member since the Declaration of Caracas, 3 December 2011 (CELAC's 33 states are the OAS "
               "members other than the United States and Canada)."),
        Spells("BRA:2011-2020 BRA:2023", f"{CELAC_WIKI};{CELAC_BRA}", "Suspended its participation on 16 "
               "January 2020; formalised its return on 12 January 2023."),),
        notes="Proposed at the Rio Group-CARICOM unity summit of February 2010 (the row's founding year) "
              "and created by the Declaration of Caracas on 3 December 2011, from which members are dated."),
    History("wassenaar", "partial", (
        Spells("MEX:2012", WA_MEX, "Acceded in 2012."),
        Spells("IND:2017", WA_IND, "Joined on 8 December 2017 as the 42nd Participating State."),),
        notes="Only the two accessions a stored source dates are recorded. The 33 states the U.S. Bureau of "
              "Industry and Security listed as members in 2004 (and the later entrants before 2012) have no "
              "sourced joining year. IIGO 2.0 counts 41 state members in 2017 and marks the informal phase "
              "formalised in 1996.", note_sources=WA_2004),
    History("australia_group", "partial", (
        Spells("MEX:2013", AG_2016, "Joined on 12 August 2013."),
        Spells("IND:2018", AG_IND, "Became the 43rd member on 19 January 2018."),),
        notes="Coded minilateral for its selective, like-minded membership. Founded in 1985 by 15 states that "
              "the stored sources do not name; only the two accessions a stored source dates are recorded. "
              "The European Commission participates (not recorded). IIGO 2.0 counts 41 state members in "
              "2017."),
]

DISAGREEMENTS += [
    ("memberships", "oecd|ITA|member|1961", "joined", "1961", OECD_DE, "1962", OECD_SIMPLE,
     "Most lists count Italy among the 20 founders of 1961; Simple English Wikipedia dates its membership "
     "1962 (it ratified the Convention after the September 1961 entry into force)."),
    ("memberships", "coe|TUR|member|1950", "joined", "1950", COE_WIKI, "1949", COE_DATES,
     "Current Wikipedia table: 13 April 1950; an older copy gives 9 August 1949 and counts Turkey with Greece "
     "as a founder."),
    ("memberships", "sica|BLZ|member|2000", "joined", "2000", SICA_FR, "1998", SICA_SIMPLE,
     "Belize's accession as a full member: 2000 (French Wikipedia) or 1998 (Simple English Wikipedia)."),
    ("memberships", "oas|VEN|member|1948", "left", "", OAS_NOW, "2019", OAS_RIA,
     "RIA Novosti: Venezuela was excluded at its own request in 2019; the OAS list (Wikiwand) counts 33 of "
     "35 American states as members, with only Cuba and Nicaragua outside."),
    ("memberships", "oas|NIC|member|1948", "joined", "1948", OAS_FOUNDERS, "1950", OAS_NIC,
     "AP: Nicaragua 'has belonged to [the OAS] since 1950' (its ratification); it signed the Charter as a "
     "founding member in 1948."),
    ("memberships", "oas|BRB|member|1967", "joined", "1967", OAS_LATER, "1969", OAS_FOUNDERS, ""),
    ("memberships", "oas|GRD|member|1975", "joined", "1975", OAS_LATER, "1974", OAS_FOUNDERS, ""),
    ("memberships", "oas|KNA|member|1984", "joined", "1984", OAS_LATER, "1983", OAS_FOUNDERS, ""),
]

WTO_1995 = source("web_patidvl_wto", "WTO members and observers, with membership dates (The EU and the WTO, "
                  "student site)", "https://patidvl.wixsite.com/euwto/members", "")
WTO_LAWIN = source("web_lawin_wto", "History of the World Trade Organization: country and date of membership, "
                   "with GATT dates (Lawin)", "https://lawin.org/history-of-the-world-trade-organization/", "")
WTO_DAY1 = source("web_mbendi_wto", "World Trade Organisation (MBendi)", "https://mbendi.co.za/import/sa/wto.htm",
                  "")
WTO_KAZ = source("web_wto_kazakhstan", "Accession: Kazakhstan (WTO)",
                 "https://www.wto.org/english/thewto_e/acc_e/a1_kazakhstan_e.htm", "2015")
WTO_CIS = source("web_wtoaz_membership", "Membership and accessions (WTO Azerbaijan information site)",
                 "http://wto.az/en/wto/membership-and-accessions/", "2018")

HISTORIES += [
    History("wto", "partial", (
        Spells("ATG:1995 ARG:1995 AUS:1995 AUT:1995 BHR:1995 BGD:1995 BRB:1995 BEL:1995 BLZ:1995 BRA:1995 "
               "BRN:1995 CAN:1995 CHL:1995 CRI:1995 CIV:1995 CZE:1995 DNK:1995 DMA:1995 FIN:1995 FRA:1995 "
               "GAB:1995 DEU:1995 EU:1995 GHA:1995 GRC:1995 GUY:1995 HND:1995 HKG:1995 HUN:1995 ISL:1995 "
               "IND:1995 IDN:1995 IRL:1995 ITA:1995 JPN:1995 KEN:1995 KOR:1995 KWT:1995 LUX:1995 MAC:1995 "
               "MYS:1995 MLT:1995 MUS:1995 MEX:1995 MAR:1995 MMR:1995 NAM:1995 NLD:1995 NZL:1995 NGA:1995 "
               "NOR:1995 PAK:1995 PRY:1995 PER:1995 PHL:1995 PRT:1995 ROU:1995 LCA:1995 VCT:1995 SEN:1995 "
               "SGP:1995 SVK:1995 ZAF:1995 ESP:1995 LKA:1995 SUR:1995 SWZ:1995 SWE:1995 TZA:1995 THA:1995 "
               "UGA:1995 GBR:1995 USA:1995 URY:1995 VEN:1995 ZMB:1995", f"{WTO_1995};{WTO_DAY1}",
               "Original member from 1 January 1995.",
               member_notes={"EU": "Original member from 1 January 1995 as the European Communities."}),
        Spells("TTO:1995 ZWE:1995 DOM:1995 JAM:1995 COL:1995 SLV:1995 BWA:1995 CAF:1995 DJI:1995 GNB:1995 "
               "LSO:1995 MWI:1995 MDV:1995 MLI:1995 MRT:1995 TGO:1995 BFA:1995 EGY:1995 POL:1995 CHE:1995 "
               "GTM:1995 BDI:1995 SLE:1995 MOZ:1995 LIE:1995", WTO_1995, "Member later in 1995."),
        Spells("BOL:1995 CMR:1995 CUB:1995 CYP:1995 BEN:1996 AGO:1996 TCD:1996 BGR:1996 COG:1997 ALB:2000 "
               "HRV:2000 CHN:2001 ARM:2003 KHM:2004 CPV:2008 AFG:2016", WTO_LAWIN),
        Spells("UKR:2008 RUS:2012 TJK:2013", WTO_CIS),
        Spells("KAZ:2015", WTO_KAZ, "Became the 162nd member on 30 November 2015."),),
        notes="Founding year 1995 (entry into force) used; 1994 (Marrakesh Agreement signed 15 April 1994) "
              "recorded in disagreements. Partial: membership dates are recorded for the 76 original members "
              "of 1 January 1995 (75 states and customs territories plus the EU) and for the later members "
              "whose dates the stored copies of the WTO list show; the other members (166 in 2024) have no "
              "date read here. COW IGO v3 runs to 2014; status after 2014 is the course's reading."),
    History("gatt", "partial", (
        Spells("AUS:1948-1995 BEL:1948-1995 BRA:1948-1995 CAN:1948-1995 CUB:1948-1995 CHL:1949-1995 "
               "AUT:1951-1995 BEN:1963-1995 BFA:1963-1995 CMR:1963-1995 CAF:1963-1995 TCD:1963-1995 "
               "COG:1963-1995 CIV:1963-1995 CYP:1963-1995 BDI:1965-1995 ARG:1967-1995 BRB:1967-1995 "
               "BGD:1972-1995 COL:1981-1995 BLZ:1983-1995 ATG:1987-1995 BWA:1987-1995 BOL:1990-1995 "
               "CRI:1990-1995 BHR:1993-1995 BRN:1993-1995 AGO:1994-1995", WTO_LAWIN,
               "GATT contracting party from the date the WTO's list gives; the spell ends when the WTO "
               "replaced the GATT in 1995."),
        Spells("CZE:1993-1995", WTO_LAWIN, "The Czech Republic's GATT date (15 April 1993) follows the "
               "dissolution of Czechoslovakia, a GATT founder that is not recorded."),),
        notes="IIGO treats GATT as an informal IGO that was formalised in 1994; COW dates it 1948-1995. Both "
              "years recorded in disagreements. Partial: only the contracting parties whose GATT accession "
              "dates appear in the stored copy of the WTO's member list (countries A to C) are recorded "
              "(IIGO: 123 at end; COW: 125); withdrawals such as the Republic of China's (1950) are not."),
]

OIC_SIS = source("web_sis_oic", "The Organization of Islamic Cooperation: member states and date of joining "
                 "(Egypt State Information Service)",
                 "https://us.sis.gov.eg/Story/178316/The-Organization-of-Islamic-Cooperation?lang=en-us",
                 "2023-03-18")
OIC_ALT = source("web_avsab_oic", "OIC term paper, with a table of member states and years joined "
                 "(avsabonline.org)", "https://www.avsabonline.org/papers/oic-term-paper", "")
OIC_SYR = source("web_wikivahdat_oic", "Organization of the Islamic Conference (OIC), from The Statesman's "
                 "Yearbook (Wikivahdat)", "https://en.wikivahdat.com/wiki/Organization_of_the_Islamic_"
                 "Conference_(OIC)", "2016")
CW_LIST = source("web_lenin_commonwealth", "The Commonwealth: members by date of joining (eh.lenin.ru "
                 "reference table)", "http://eh.lenin.ru/english/7or/org/bcom.htm", "")
CW_PORTAL = source("web_commonwealthportal_expansion", "Commonwealth expansion (Commonwealth Portal)",
                   "https://www.commonwealthportal.org/commonwealth-expansion", "")
OSCE_1992 = source("web_osce_expansion", "Expansion of the CSCE/OSCE (OSCE timeline)",
                   "https://www.osce.org/who/timeline/1990s/05", "")
OSCE_MNG = source("web_bmeia_mongolia_osce", "Mongolia becomes 57th member of the OSCE (Austrian Federal "
                  "Ministry for European and International Affairs)",
                  "https://www.bmeia.gv.at/en/the-ministry/press/announcements/2012/mongolei-wird-57-"
                  "mitglied-der-osze/", "2012-11-21")
OSCE_MNE = source("web_osce_mongolia_request", "Mongolia requests to become OSCE participating State (OSCE)",
                  "http://osce.org/cio/84562", "2011-10-28")
FSF_1999 = source("web_nbb_fsf", "Financial Stability Forum (National Bank of Belgium glossary)",
                  "https://www.nbb.be/en/glossary/definition?id=t000100", "")
FSB_2009 = source("web_epfl_fsb", "Financial Stability Board (EPFL Graph Search concept page)",
                  "https://graphsearch.epfl.ch/concept/22263201", "")

HISTORIES += [
    History("oic", "complete", (
        Spells("AFG:1969 DZA:1969 TCD:1969 EGY:1969 GIN:1969 IDN:1969 IRN:1969 JOR:1969 KWT:1969 LBN:1969 "
               "LBY:1969 MYS:1969 MLI:1969 MRT:1969 MAR:1969 NER:1969 PAK:1969 PSE:1969 SAU:1969 SEN:1969 "
               "SOM:1969 SDN:1969 TUN:1969 TUR:1969 YEM:1969", OIC_SIS,
               member_notes={"YEM": "Yemen from 1969; united with Democratic Yemen in 1990.",
                             "PSE": "Palestine (represented by the PLO) from 1969."}),
        Spells("ARE:1972 BHR:1972 OMN:1972 QAT:1972 SLE:1972 BGD:1974 BFA:1974 CMR:1974 GAB:1974 GMB:1974 "
               "GNB:1974 UGA:1974 IRQ:1975 COM:1976 MDV:1976 DJI:1978 BEN:1983 BRN:1984 NGA:1986 ALB:1992 "
               "AZE:1992 KGZ:1992 TJK:1992 TKM:1992 MOZ:1994 KAZ:1995 SUR:1996 UZB:1996 TGO:1997 GUY:1998 "
               "CIV:2001", OIC_SIS),
        Spells("SYR:1972-2012", f"{OIC_SIS};{OIC_SYR}", "Joined 1972; suspended since August 2012."),),
        notes="The 57 members with the joining years of Egypt's State Information Service; another table "
              "gives 1970 for several Gulf states (see disagreements). Syria's suspension since 2012 is "
              "recorded as the end of its spell. Observers (Bosnia and Herzegovina, Central African "
              "Republic, Thailand, Russia, the 'Turkish Cypriot State') are not recorded. COW IGO v3 runs "
              "to 2014; status after 2014 is the course's reading."),
    History("commonwealth", "complete", (
        Spells("GBR:1931-1965 AUS:1931-1965 CAN:1931-1965 NZL:1931-1965", CW_LIST,
               "Original member (Statute of Westminster, 1931); the spell ends when the informal phase "
               "ended with the Commonwealth Secretariat in 1965."),
        Spells("IRL:1931-1949", CW_LIST, "Original member; withdrew 18 April 1949."),
        Spells("ZAF:1931-1961", CW_LIST, "Original member; withdrew 31 May 1961 (rejoined in 1994, after "
               "this row's informal phase)."),
        Spells("IND:1947-1965 PAK:1947-1965", CW_PORTAL, "Joined at independence in August 1947."),
        Spells("LKA:1948-1965 GHA:1957-1965 MYS:1957-1965 NGA:1960-1965 CYP:1961-1965 SLE:1961-1965 "
               "TZA:1961-1965 JAM:1962-1965 TTO:1962-1965 UGA:1962-1965 KEN:1963-1965 MWI:1964-1965 "
               "MLT:1964-1965 ZMB:1964-1965 GMB:1965-1965 SGP:1965-1965", CW_LIST,
               "Joined at or after independence; the spell ends with the informal phase in 1965.",
               member_notes={"LKA": "Joined 4 February 1948 as Ceylon.",
                             "MYS": "Joined 31 August 1957 as Malaya.",
                             "TZA": "Joined 9 December 1961 as Tanganyika.",
                             "GMB": "Joined 18 February 1965; the spell ends in its first year with the "
                                    "informal phase, so it counts in no panel year.",
                             "SGP": "Joined 15 October 1965; the spell ends in its first year with the "
                                    "informal phase, so it counts in no panel year."}),),
        notes="This row is the informal British Commonwealth from the Statute of Westminster (1931) to the "
              "Commonwealth Secretariat (1965, COW's start of ComSec); spells end in 1965. Newfoundland, an "
              "original dominion, has no code in countries.csv and is not recorded. IIGO 2.0 counts 22 "
              "state members at the end of the informal phase."),
    History("csce", "partial", (
        Spells("EST:1991-1994 LVA:1991-1994 LTU:1991-1994", OSCE_1992, "Became a participating State on 10 "
               "September 1991; the CSCE became the OSCE in 1994."),
        Spells("ARM:1992-1994 AZE:1992-1994 BLR:1992-1994 KAZ:1992-1994 KGZ:1992-1994 MDA:1992-1994 "
               "TJK:1992-1994 TKM:1992-1994 UKR:1992-1994 UZB:1992-1994", OSCE_1992,
               "Welcomed as a participating State on 30-31 January 1992; the CSCE became the OSCE in 1994."),
        Spells("HRV:1992-1994 GEO:1992-1994 SVN:1992-1994", OSCE_1992, "Admitted on 24 March 1992; the CSCE "
               "became the OSCE in 1994."),),
        notes="Only the admissions of 1991-1992 dated by the OSCE's timeline are recorded; the 35 states of "
              "the 1975 Helsinki Final Act are not enumerated in a stored source read here. IIGO counts 35 "
              "state members at its end."),
    History("osce", "partial", (
        Spells("EST:1994 LVA:1994 LTU:1994 ARM:1994 AZE:1994 BLR:1994 KAZ:1994 KGZ:1994 MDA:1994 TJK:1994 "
               "TKM:1994 UKR:1994 UZB:1994 HRV:1994 GEO:1994 SVN:1994", OSCE_1992,
               "CSCE participating State since 1991-1992; recorded from the OSCE's start in 1994."),
        Spells("SRB:2000", OSCE_1992, "Joined on 10 September 2000 as the Federal Republic of Yugoslavia."),
        Spells("MNE:2006", OSCE_MNE, "Joined in 2006."),
        Spells("MNG:2012", OSCE_MNG, "Admitted as the 57th participating State on 21 November 2012."),),
        notes="Partial: the 35 original CSCE states and several later entrants (e.g. Albania, Andorra, Bosnia "
              "and Herzegovina, Czech Republic, Slovakia, North Macedonia) have no admission date in a "
              "stored source read here. COW IGO v3 dates the organisation from 1973 (the CSCE); recorded "
              "in disagreements. 57 participating States since 2012."),
    History("fsb", "partial", (
        Spells("CAN:1999 FRA:1999 DEU:1999 ITA:1999 JPN:1999 GBR:1999 USA:1999 AUS:1999 NLD:1999 HKG:1999 "
               "SGP:1999", FSF_1999, "Member of the Financial Stability Forum set up in April 1999 (G7 "
               "ministries, central banks and supervisors; the central bank for the four others)."),
        Spells("ARG:2009 BRA:2009 CHN:2009 IND:2009 IDN:2009 KOR:2009 MEX:2009 RUS:2009 SAU:2009 ZAF:2009 "
               "TUR:2009 EU:2009", FSB_2009, "Joined when the FSB replaced the FSF in 2009 ('all G20 major "
               "economies, FSF members, and the European Commission')."),),
        notes="Members are jurisdictions represented by their authorities. Partial: Spain and Switzerland, "
              "which also joined in 2009, are not named in a stored source read here. IIGO 2.0 counts 24 "
              "state members in 2017; its follow-on note names the Financial Stability Forum as the "
              "predecessor."),
]

DISAGREEMENTS += [
    ("memberships", f"oic|{code}|member|1972", "joined", "1972", OIC_SIS, "1970", OIC_ALT,
     "Egypt's State Information Service gives 1972; another member table gives 1970.")
    for code in ("ARE", "OMN", "QAT")
] + [
    ("memberships", "oic|SYR|member|1972", "joined", "1972", OIC_SIS, "1970", OIC_ALT,
     "Egypt's State Information Service gives 1972; another member table gives 1970."),
    ("memberships", "oic|UZB|member|1996", "joined", "1996", OIC_SIS, "1995", OIC_ALT,
     "Egypt's State Information Service gives 1996; another member table gives 1995."),
]

PSI_CORE = source("web_liquisearch_psi", "Proliferation Security Initiative: history (LiquiSearch copy of "
                  "Wikipedia)", "http://www.liquisearch.com/proliferation_security_initiative/history", "")
PSI_KOR = source("web_reuters_psi2009", "FACTBOX: Proliferation Security Initiative mission, members "
                 "(Reuters)", "https://www.reuters.com/article/idUSN27421752", "2009-05-27")
PSI_NOW = source("web_state_psi", "About the Proliferation Security Initiative (U.S. Department of State)",
                 "https://preview.state.gov/proliferation-security-initiative/", "2021")
GICNT_2006 = source("web_state_gicnt2006", "Partner nations endorse Global Initiative to Combat Nuclear "
                    "Terrorism Statement of Principles (U.S. Department of State fact sheet, archived)",
                    "https://webarchive.library.unt.edu/eot2008/20080916142812/http://www.state.gov/t/isn/rls/"
                    "fs/75845.htm", "2006-11-07")
NAM_1961 = source("web_iins_nam", "High-level commemorative meeting in Belgrade marks the 60th anniversary of "
                  "the first NAM conference (IINS)", "https://iins.org/high-level-commemorative-meeting-in-"
                  "belgrade-marks-the-60th-anniversary-of-the-first-nam-conference/", "2021-10")
CSLF_2003 = source("web_scienceblog_cslf2003", "U.S. signs international agreement on clean emissions "
                   "technologies; U.S. hosts forum for carbon sequestration research (U.S. Department of "
                   "Energy release via ScienceBlog)",
                   "https://www3.scienceblog.com/community/older/archives/K/3/pub3755.html", "2003-06-25")
CSLF_ZAF = source("web_miningmonthly_cslf", "International collaboration on CO2 (Mining Monthly)",
                  "https://miningmonthly.com/markets/international-coal-news/1268576/international-"
                  "collaboration-co2", "2003")

HISTORIES += [
    History("psi", "partial", (
        Spells("AUS:2003 FRA:2003 DEU:2003 JPN:2003 NLD:2003 PRT:2003 ESP:2003 GBR:2003 USA:2003 POL:2003",
               PSI_CORE, "One of the initial 'core' states of 2003."),
        Spells("KOR:2009", PSI_KOR, "Became the 95th participant on 27 May 2009."),),
        notes="Launched by the United States in Krakow on 31 May 2003. The source names ten of the eleven "
              "initial core states (Italy, the usual eleventh, is not named, so it is not recorded). "
              "Endorsers since (107 by 2021) have no joining year in a stored source read here. IIGO 2.0 "
              "counts 105 state members in 2017.", note_sources=PSI_NOW),
    History("gicnt", "partial", (
        Spells("USA:2006 RUS:2006 AUS:2006 CAN:2006 CHN:2006 FRA:2006 DEU:2006 ITA:2006 JPN:2006 KAZ:2006 "
               "MAR:2006 TUR:2006 GBR:2006", GICNT_2006, "One of the 13 partners that endorsed the Statement "
               "of Principles in Rabat, 30-31 October 2006."),),
        notes="Launched by Presidents Bush and Putin on 15 July 2006. Only the 13 initial partners are "
              "recorded; the 75 partners of 2008 and 86-88 later ones have no joining year in a stored "
              "source read here. IIGO 2.0 counts 86 state members in 2017."),
    History("nam", "partial", (
        Spells("AFG:1961 DZA:1961 YEM:1961 MMR:1961 KHM:1961 LKA:1961 CUB:1961 CYP:1961 EGY:1961 ETH:1961 "
               "GHA:1961 GIN:1961 IND:1961 IDN:1961 IRQ:1961 LBN:1961 MLI:1961 MAR:1961 NPL:1961 SAU:1961 "
               "SOM:1961 SDN:1961 SYR:1961 TUN:1961", NAM_1961,
               "Attended the first Belgrade conference, 1-6 September 1961.",
               member_notes={"DZA": "Attended the Belgrade conference of 1961 before independence (1962).",
                             "EGY": "Attended in 1961 as the United Arab Republic.",
                             "MMR": "Attended in 1961 as Burma.", "LKA": "Attended in 1961 as Ceylon."}),),
        notes="Only the founding participants of the 1961 Belgrade conference are recorded. Yugoslavia (a "
              "founder) has no code in countries.csv; the source's 'Congo' is not identified as either "
              "Congo state, so neither is recorded. Later members (120 today) have no joining year in a "
              "stored source read here, and departures (e.g. Cyprus) are not recorded. IIGO 2.0 counts 119 "
              "state members in 2017."),
    History("cslf", "partial", (
        Spells("AUS:2003 BRA:2003 CAN:2003 CHN:2003 COL:2003 IND:2003 ITA:2003 JPN:2003 MEX:2003 NOR:2003 "
               "RUS:2003 GBR:2003 USA:2003 EU:2003", f"{CSLF_2003};{CSLF_ZAF}",
               "Signed the CSLF charter in Washington on 25 June 2003.",
               member_notes={"EU": "Signed the charter on 25 June 2003 as the European Commission."}),),
        notes="Only the charter signatories of June 2003 are recorded (South Africa attended but did not "
              "sign). Later members (23 countries and the European Commission by about 2009, e.g. New "
              "Zealand) have no joining year in a stored source read here. IIGO 2.0 counts 26 state members "
              "in 2017."),
]

ADMM = source("web_admm_about", "About the ASEAN Defence Ministers' Meeting Plus (ADMM)",
              "https://admm.asean.org/index.php/about-admm/about-admm-plus.html", "")
ADMM_2010 = source("web_vietnamplus_admm2010", "First ADMM-Plus Chairman's statement (VietnamPlus)",
                   "https://en.vietnamplus.vn/first-admm-chairmans-statement-post23267.vnp", "2010-10-13")
IEA_HIST = source("web_iea_history", "History (International Energy Agency)",
                  "https://prod.iea.org/about/history", "")
IEA_FAQ = source("web_iea_membership_faq", "FAQs: membership (International Energy Agency, archived)",
                 "http://www.iea.org/aboutus/faqs/membership/", "2014")
BCBS_1974 = source("web_finma_bcbs", "Basel Committee on Banking Supervision (Swiss Federal Banking "
                   "Commission, FINMA archive)", "https://finma.ch/FinmaArchiv/ebk/e/internat/mitglied/"
                   "mitglied1.html", "")
BCBS_2009 = source("web_gtnews_bcbs2009", "Expansion of membership announced by the Basel Committee "
                   "(gtnews)", "https://www.gtnews.com/2009/03/13/expansion-of-membership-announced-by-the-"
                   "basel-committee/", "2009-03-13")
BCBS_NOW = source("web_bis_bcbs_membership", "Basel Committee membership (Bank for International "
                  "Settlements)", "https://www.bis.org/bcbs/membership.htm", "2024-05-14")

HISTORIES += [
    History("admm_plus", "complete", (
        Spells("BRN:2010 KHM:2010 IDN:2010 LAO:2010 MYS:2010 MMR:2010 PHL:2010 SGP:2010 THA:2010 VNM:2010",
               f"{ADMM};{ADMM_2010}", "ASEAN member state at the inaugural ADMM-Plus, Hanoi, 12 October 2010."),
        Spells("AUS:2010 CHN:2010 IND:2010 JPN:2010 KOR:2010 NZL:2010 RUS:2010 USA:2010", f"{ADMM};{ADMM_2010}",
               "One of the eight 'Plus' dialogue partners since the inaugural meeting of 12 October 2010."),),
        notes="ASEAN's ten member states and eight dialogue partners since 2010 (meeting annually since "
              "2017). Whether Timor-Leste, an ASEAN member since 2025, takes part is not in the stored "
              "sources. IIGO 2.0 counts 18 state members in 2017."),
    History("iea", "partial", (
        Spells("AUT:1974 BEL:1974 CAN:1974 DNK:1974 DEU:1974 IRL:1974 ITA:1974 JPN:1974 LUX:1974 NLD:1974 "
               "ESP:1974 SWE:1974 CHE:1974 TUR:1974 GBR:1974 USA:1974", f"{IEA_HIST};{IEA_FAQ}",
               "Founding member (Agreement on an International Energy Program, 18 November 1974).",
               member_notes={"DEU": WEST_GERMANY}),
        Spells("NOR:1974", f"{IEA_HIST};{IEA_FAQ}", "Founding participant under a special agreement."),
        Spells("GRC:1976 NZL:1977 AUS:1979 PRT:1981 FIN:1992 FRA:1992 HUN:1997 CZE:2001 KOR:2002 SVK:2007 "
               "POL:2008 EST:2014 MEX:2018", IEA_HIST),),
        notes="The 30 members to 2018 with the joining years of the IEA's own history page. Partial: later "
              "accessions (e.g. Lithuania, listed as seeking accession in 2022) are not in the stored "
              "sources. COW IGO v3 runs to 2014; status after 2014 is the course's reading."),
    History("bcbs", "partial", (
        Spells("BEL:1974 CAN:1974 FRA:1974 DEU:1974 ITA:1974 JPN:1974 NLD:1974 SWE:1974 CHE:1974 GBR:1974 "
               "USA:1974", BCBS_1974, "Founded at the end of 1974 by the central bank governors of the Group "
               "of Ten.", member_notes={"DEU": WEST_GERMANY}),
        Spells("AUS:2009 BRA:2009 CHN:2009 IND:2009 KOR:2009 MEX:2009 RUS:2009", BCBS_2009,
               "Invited to join at the Committee's meeting of 10-11 March 2009."),),
        notes="Members are jurisdictions represented by central banks and supervisors (28 jurisdictions in "
              "2024; the Committee expanded in 2009 and 2014). Partial: the G10 founders of 1974 and the "
              "seven invited in March 2009 are recorded; Luxembourg, Spain, the later 2009 entrants "
              "(Argentina, Hong Kong, Indonesia, Saudi Arabia, Singapore, South Africa, Turkey) and the EU "
              "have no joining year in a stored source read here. IIGO 2.0 counts 27 state members in 2017.",
        note_sources=BCBS_NOW),
]


if __name__ == "__main__":
    main()
