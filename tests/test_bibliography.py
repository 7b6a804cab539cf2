"""The literature file and the glossary agree with each other and with what chapters need.

references.bib is parsed with pybtex (the parser sphinxcontrib-bibtex uses), so a key that
passes here resolves in the built book.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from pybtex.database import BibliographyData, Entry, parse_file

ROOT = Path(__file__).resolve().parents[1]
REFERENCES_BIB = ROOT / "references.bib"
SOURCES_BIB = ROOT / "data" / "sources.bib"
GLOSSARY_MD = ROOT / "glossary.md"
REFERENCES_MD = ROOT / "references.md"

# Every work the paper cites, the paper itself, and the charts' palette.
REQUIRED_KEYS = (
    "fathah_paper",
    "kahler1992",
    "ruggie1992",
    "martin1992",
    "wedgwood2002",
    "naim2009",
    "patrick2015",
    "patrick2016",
    "oye1986",
    "chamberlin1974",
    "olson1965",
    "anuar2021",
    "hardin1982",
    "parameswaran2018",
    "cohen_sabel",
    "eckersley2012",
    "tow2018",
    "okabe2008",
)

# Terms chapters link with {term}`...`; the text must match a glossary term exactly.
REQUIRED_TERMS = (
    "multilateralism",
    "minilateralism",
    "plurilateral agreement",
    "bilateralism",
    "unilateralism",
    "generalized organizing principles",
    "indivisibility",
    "diffuse reciprocity",
    "specific reciprocity",
    "critical mass",
    "magic number",
    "exclusivity",
    "collective good",
    "public good",
    "crowding",
    "rival good",
    "free riding",
    "side-payment",
    "conditional cooperation",
    "regime complex",
    "disaggregated multilateralism",
    "informal intergovernmental organization",
    "formal IGO",
    "secretariat",
    "treaty regime",
    "pledge and review",
    "institutionalisation",
    "lowest common denominator",
    "consensus",
    "weighted voting",
    "procedural justice",
    "legitimacy",
    "inclusive minilateralism",
    "common but differentiated representation",
    "trans-governmental cooperation",
    "multi-stakeholder cooperation",
    "nestedness",
    "decolonisation",
    "Library Group",
    "Quad",
    "I2U2",
    "Lancang-Mekong Cooperation",
    "RCEP",
    "UNCLOS",
    "Kaplan-Meier survival curve",
    "repeated game",
)

PROVENANCE_FIELDS = ("note", "doi", "url", "publisher", "journal")
ENTRY_KEY = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)
CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
GLOSSARY_BLOCK = re.compile(r"^```\{glossary\}\n(.*?)^```", re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def references() -> BibliographyData:
    return parse_file(str(REFERENCES_BIB), bib_format="bibtex")


def cited_keys(markdown: str) -> set[str]:
    """Keys in every {cite}/{cite:p}/{cite:t} role; a role may list several, comma-separated."""
    return {key.strip() for keys in CITE_ROLE.findall(markdown) for key in keys.split(",")}


def glossary_terms(markdown: str) -> list[str]:
    """Term lines of the page's glossary directive: unindented, non-blank lines inside it."""
    match = GLOSSARY_BLOCK.search(markdown)
    assert match, f"{GLOSSARY_MD.name}: no ```{{glossary}} directive found"
    return [line for line in match.group(1).splitlines() if line and not line[0].isspace()]


def has_provenance(entry: Entry) -> bool:
    return any(entry.fields.get(field, "").strip() for field in PROVENANCE_FIELDS)


def test_cited_keys_parse_helper_splits_lists() -> None:
    text = "as {cite}`a1992` and {cite:p}`b2001, c2002` said"
    assert cited_keys(text) == {"a1992", "b2001", "c2002"}


def test_no_duplicate_keys_in_either_bib_file() -> None:
    # pybtex only warns on duplicates, so count the raw entry headers (case-insensitively,
    # as BibTeX does), across both files Sphinx loads together.
    keys = [
        key.lower()
        for path in (REFERENCES_BIB, SOURCES_BIB)
        for key in ENTRY_KEY.findall(path.read_text(encoding="utf-8"))
    ]
    duplicates = sorted(key for key, count in Counter(keys).items() if count > 1)
    assert not duplicates, f"duplicate bib keys in references.bib/data/sources.bib: {duplicates}"


@pytest.mark.parametrize("key", REQUIRED_KEYS)
def test_required_entry_has_title_author_year(references: BibliographyData, key: str) -> None:
    assert key in references.entries, f"{REFERENCES_BIB.name}: missing entry {key!r}"
    entry = references.entries[key]
    assert entry.fields.get("title", "").strip(), f"{REFERENCES_BIB.name}: {key} has no title"
    assert entry.fields.get("year", "").strip(), f"{REFERENCES_BIB.name}: {key} has no year"
    assert entry.persons.get("author"), f"{REFERENCES_BIB.name}: {key} has no author"


def test_every_entry_says_where_it_comes_from(references: BibliographyData) -> None:
    lacking = [key for key, entry in references.entries.items() if not has_provenance(entry)]
    assert not lacking, (
        f"{REFERENCES_BIB.name}: entries with none of {PROVENANCE_FIELDS}: {lacking}"
    )


def test_years_are_four_digits_or_no_date(references: BibliographyData) -> None:
    bad = {
        key: entry.fields["year"]
        for key, entry in references.entries.items()
        if not re.fullmatch(r"\d{4}|n\.d\.", entry.fields.get("year", ""))
    }
    assert not bad, f"{REFERENCES_BIB.name}: malformed year fields: {bad}"


def test_paper_years_that_differ_are_explained(references: BibliographyData) -> None:
    # The paper gives Olson 1968 and Chamberlin 1982; the entries keep the original years
    # and must say why the paper's differ.
    for key, paper_year in (("olson1965", "1968"), ("chamberlin1974", "1982")):
        note = references.entries[key].fields.get("note", "")
        assert paper_year in note, f"{REFERENCES_BIB.name}: {key} note must mention {paper_year}"


def test_every_key_cited_in_glossary_exists(references: BibliographyData) -> None:
    cited = cited_keys(GLOSSARY_MD.read_text(encoding="utf-8"))
    assert cited, f"{GLOSSARY_MD.name}: expected {{cite}} roles, found none"
    missing = sorted(cited - set(references.entries))
    assert not missing, f"{GLOSSARY_MD.name} cites keys not in {REFERENCES_BIB.name}: {missing}"


def test_every_key_cited_on_references_page_exists(references: BibliographyData) -> None:
    cited = cited_keys(REFERENCES_MD.read_text(encoding="utf-8"))
    missing = sorted(cited - set(references.entries))
    assert not missing, f"{REFERENCES_MD.name} cites keys not in {REFERENCES_BIB.name}: {missing}"


def test_references_page_lists_everything() -> None:
    text = REFERENCES_MD.read_text(encoding="utf-8")
    assert re.search(r"^```\{bibliography\}\n:all:\n```", text, re.MULTILINE), (
        f"{REFERENCES_MD.name}: needs a ```{{bibliography}} directive with :all:"
    )


def test_glossary_defines_required_terms_once() -> None:
    terms = glossary_terms(GLOSSARY_MD.read_text(encoding="utf-8"))
    missing = [term for term in REQUIRED_TERMS if term not in terms]
    assert not missing, f"{GLOSSARY_MD.name}: missing terms {missing}"
    # Sphinx matches terms case-insensitively; two spellings differing only in case collide.
    repeated = sorted(t for t, n in Counter(t.lower() for t in terms).items() if n > 1)
    assert not repeated, f"{GLOSSARY_MD.name}: terms defined twice: {repeated}"


def test_glossary_size_and_definition_length() -> None:
    text = GLOSSARY_MD.read_text(encoding="utf-8")
    match = GLOSSARY_BLOCK.search(text)
    assert match
    # A definition is the indented block after one or more term lines.
    definitions = re.split(r"\n\n+", match.group(1).strip())
    assert 30 <= len(definitions) <= 80, f"{GLOSSARY_MD.name}: {len(definitions)} definitions"
    for block in definitions:
        body = " ".join(line.strip() for line in block.splitlines() if line[:1].isspace())
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", body) if s]
        head = block.splitlines()[0]
        assert body, f"{GLOSSARY_MD.name}: term {head!r} has no definition"
        assert len(sentences) <= 3, f"{GLOSSARY_MD.name}: {head!r} has {len(sentences)} sentences"
