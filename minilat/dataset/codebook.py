"""Markdown for the codebook page, generated from ``datapackage.json`` and the data.

Each ``render_*`` function returns ``IPython.display.Markdown``; the page's hidden cells call
them, so the page always states what the schema and the shipped data say.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from .bib import bib_files
from .load import PathLike, tables
from .schema import Resource, load_package, resolve_data_dir
from .stats import counts, events_by_kind, forums_by_kind_and_decade

TYPE_NAMES = {"string": "text", "integer": "integer", "number": "number",
              "boolean": "true/false"}


def cell(value: object) -> str:
    """Text safe inside a Markdown table cell."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    text = "; ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return " ".join(text.split()).replace("|", "\\|")


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def frame_table(frame: pd.DataFrame, index_label: str | None = None) -> str:
    """A DataFrame as a Markdown table (the index becomes the first column)."""
    label = index_label or frame.index.name or ""
    rows = [[idx, *row] for idx, row in zip(frame.index, frame.itertuples(index=False),
                                            strict=True)]
    return markdown_table([label, *map(str, frame.columns)], rows)


def _allowed(field) -> str:
    parts = []
    if field.enum:
        parts.append(", ".join(f"`{v}`" for v in field.enum))
    if field.item_enum:
        parts.append(f"each of: {', '.join(f'`{v}`' for v in field.item_enum)}")
    if field.type == "boolean":
        parts.append(", ".join(f"`{v}`" for v in [*field.true_values, *field.false_values]))
    if field.minimum is not None or field.maximum is not None:
        low = "" if field.minimum is None else f"{field.minimum:g}"
        high = "" if field.maximum is None else f"{field.maximum:g}"
        parts.append(f"{low}–{high}" if high else f"≥ {low}")
    if field.pattern:
        parts.append(f"pattern `{field.pattern}`")
    if field.separator:
        parts.append(f"`{field.separator}`-separated list")
    if field.item_foreign_key:
        parts.append(f"items are `{field.item_foreign_key[1]}` of {field.item_foreign_key[0]}")
    if field.source_keys:
        parts.append("bib keys")
    return "; ".join(parts)


def columns_markdown(resource: Resource) -> str:
    keys = set(resource.primary_key)
    rows = [[f"`{f.name}`" + (" (key)" if f.name in keys else ""),
             TYPE_NAMES.get(f.type, f.type), "yes" if f.required else "",
             f.description, _allowed(f)] for f in resource.fields]
    return markdown_table(["column", "type", "required", "meaning and coding rules",
                           "allowed values"], rows)


def render_columns(table_name: str, data_dir: PathLike = None) -> Markdown:
    """Every column of one table: type, whether required, meaning and rules, allowed values."""
    resource = load_package(data_dir).resource(table_name)
    files = f"`{resource.path_pattern or resource.path}`"
    key = ", ".join(f"`{k}`" for k in resource.primary_key)
    text = [f"{resource.description}", "", f"File {files}; key ({key}).", ""]
    if resource.foreign_keys:
        refs = [f"`{', '.join(fk.fields)}` → {fk.resource}.`{', '.join(fk.reference_fields)}`"
                for fk in resource.foreign_keys]
        text += [f"References: {'; '.join(refs)}.", ""]
    rules = list(dict.fromkeys(r["description"] for r in resource.rules))  # once each
    if rules:
        text += [f"Rules checked on every load: {'; '.join(rules)}.", ""]
    text.append(columns_markdown(resource))
    return Markdown("\n".join(text))


def render_summary(data_dir: PathLike = None) -> Markdown:
    """Version, date and the headline counts."""
    package = load_package(data_dir)
    n = counts(data_dir)
    lines = [f"**Version {package.version}**, dated {package.created}.", ""]
    lines += [f"- {number:,} {name}" for name, number in n.items()]
    return Markdown("\n".join(lines))


def render_counts(data_dir: PathLike = None) -> Markdown:
    """Forums by decade founded and kind, and events by kind."""
    by_decade = forums_by_kind_and_decade(data_dir)
    events = events_by_kind(data_dir).to_frame()
    return Markdown("\n".join([
        "Forums by the decade they were founded in, and kind:", "",
        frame_table(by_decade, "decade founded"), "",
        "Events by kind:", "", frame_table(events, "kind"),
    ]))


@lru_cache(maxsize=4)
def _bib_titles(paths: tuple[Path, ...]) -> dict[str, str]:
    from pybtex.database import parse_file

    titles: dict[str, str] = {}
    for path in paths:
        if path.exists():
            for key, entry in parse_file(str(path)).entries.items():
                titles[key] = entry.fields.get("title", "").replace("{", "").replace("}", "")
    return titles


def source_usage(data_dir: PathLike = None) -> pd.DataFrame:
    """How many rows of each table cite each source key."""
    package = load_package(data_dir)
    frames = tables(data_dir)
    used: list[tuple[str, str, int]] = []
    for name, frame in frames.items():
        per_key: Counter[str] = Counter()
        for f in package.resource(name).fields:
            if not f.source_keys:
                continue
            for value in frame[f.name].dropna():
                keys = value if isinstance(value, list) else str(value).split(f.separator or ";")
                per_key.update({k.strip() for k in keys if k.strip()})
        used += [(name, key, count) for key, count in per_key.items()]
    usage = pd.DataFrame(used, columns=["table", "key", "rows"])
    return usage.sort_values(["table", "rows", "key"], ascending=[True, False, True],
                             ignore_index=True)


def render_provenance(data_dir: PathLike = None) -> Markdown:
    """Which sources feed which table, with the number of rows citing each."""
    root = resolve_data_dir(data_dir)
    package = load_package(root)
    titles = _bib_titles(tuple(bib_files(root)))
    upstream = markdown_table(
        ["source", "licence", "feeds"],
        [[s["title"], s.get("license", ""), s.get("tables", "")] for s in package.sources])
    usage = source_usage(root)
    parts = ["Upstream datasets and their licences:", "", upstream, ""]
    for table_name, group in usage.groupby("table", sort=False):
        parts += [f"**{table_name}** cites {len(group)} source"
                  f"{'s' if len(group) != 1 else ''}:", "",
                  markdown_table(["bib key", "title", "rows"],
                                 [[f"`{k}`", titles.get(k, ""), n]
                                  for k, n in zip(group["key"], group["rows"], strict=True)]),
                  ""]
    return Markdown("\n".join(parts))


def render_disagreements(data_dir: PathLike = None) -> Markdown:
    """Every recorded disagreement between sources, by table."""
    d = tables(data_dir)["disagreements"]
    if d.empty:
        return Markdown("No disagreements are recorded.")
    parts = []
    for table_name, group in d.groupby("table", sort=True):
        parts += [f"**{table_name}** ({len(group)}):", "",
                  markdown_table(["key", "column", "used", "source", "other value", "source",
                                  "note"],
                                 group[["key", "column", "value_used", "source_used",
                                        "value_alt", "source_alt", "note"]]
                                 .itertuples(index=False)), ""]
    return Markdown("\n".join(parts))


def render_world_totals(data_dir: PathLike = None) -> Markdown:
    """The denominators of ``coverage()`` and what each includes."""
    w = tables(data_dir)["world_totals"]
    rows = [[f"`{r.indicator}`", f"{r.value:,.0f}" if r.value >= 100 else f"{r.value:g}",
             r.unit, r.year, f"`{r.source}`", r.definition] for r in w.itertuples()]
    return Markdown(markdown_table(["indicator", "world total", "unit", "year", "source",
                                    "what it includes"], rows))


def render_licence(data_dir: PathLike = None) -> Markdown:
    """Licence of the dataset and a citation line with its version."""
    package = load_package(data_dir)
    licence = ", ".join(f"[{lic.get('title', lic['name'])}]({lic['path']})"
                        for lic in package.licenses)
    citation = (f"{package.title}. Dataset of the course *From Multilateralism to "
                f"Minilateralism*, version {package.version} ({package.created}). "
                f"Licence: {', '.join(lic['name'] for lic in package.licenses)}.")
    return Markdown("\n".join([
        f"The course's tables are released under {licence}. The facts taken from upstream "
        "datasets remain under those datasets' licences (see provenance above); cite them "
        "too when you use their columns.", "", "Cite the dataset as:", "", f"> {citation}"]))


def render_key_rules(data_dir: PathLike = None) -> Markdown:
    """The two coding rules chapters rely on, quoted from the schema."""
    package = load_package(data_dir)
    kind = package.resource("forums").field("kind").description
    spells = package.resource("memberships").description
    return Markdown("\n".join([
        f"**Multilateral or minilateral** (`forums.kind`). {kind}", "",
        f"**Membership spells** (`memberships.csv`). {spells}",
    ]))


def render_country_gaps(data_dir: PathLike = None) -> Markdown:
    """Which rows of countries.csv lack each indicator or flag (missing is empty, never 0)."""
    c = tables(data_dir)["countries"]
    c = c[c["entity_type"] != "organisation"]
    lines = []
    for column in ("population", "gdp_musd", "co2_mt", "ldc", "sids"):
        missing = sorted(c.loc[c[column].isna(), "code"])
        listed = ", ".join(missing) if missing else "none"
        lines.append(f"- `{column}`: {len(missing)} of {len(c)} states and territories "
                     f"without a value ({listed})")
    flagged = {col: int(c[col].fillna(False).sum()) for col in ("ldc", "sids")}
    lines.append(f"- flagged: {flagged['ldc']} least developed countries, "
                 f"{flagged['sids']} small island developing states")
    return Markdown("\n".join(lines))


#: Bib key of the paper the course teaches (in references.bib).
PAPER_KEY = "fathah_paper"


def render_paper_figures(data_dir: PathLike = None, paper_key: str = PAPER_KEY) -> Markdown:
    """Where the paper's figures differ from the dataset's, and the notes that mention it."""
    t = tables(data_dir)
    d = t["disagreements"]
    cites_paper = d["source_alt"].fillna("").str.split(";").map(lambda keys: paper_key in keys)
    differing = d[cites_paper]
    parts = []
    if not differing.empty:
        parts += ["Recorded disagreements with the paper:", "",
                  markdown_table(["table", "key", "column", "the paper", "the dataset", "note"],
                                 differing[["table", "key", "column", "value_alt",
                                            "value_used", "note"]].itertuples(index=False)),
                  ""]
    noted = []
    for name, id_column in (("forums", "forum_id"), ("events", "event_id")):
        frame = t[name]
        mentions = frame[frame["notes"].fillna("").str.contains("paper", case=False)]
        noted += [f"- `{row[id_column]}` ({name}): {cell(row['notes'])}"
                  for _, row in mentions.iterrows()]
    if noted:
        parts += ["Notes in the tables that compare with the paper:", "", *noted]
    return Markdown("\n".join(parts) if parts else "No differences from the paper are recorded.")
