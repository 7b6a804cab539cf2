"""Turn a chart's Vega-Lite spec into the compact Vega spec the static site ships.

Three steps, each leaving what the reader sees unchanged:

1. drop dataset columns the chart never names (Altair inlines every column of a DataFrame);
2. compile Vega-Lite to Vega here, at build time, so pages need only the Vega runtime — not the
   Vega-Lite compiler and vega-embed (about 320 KB less per page);
3. store inline tables as CSV with explicit column types instead of an array of objects that
   repeats every key on every row (typically 30–50 % fewer bytes).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from typing import Any
from xml.etree import ElementTree

import vl_convert

from minilat.site.vendor import vega_lite_minor_version

_SCALAR = (str, int, float, bool)


def prune_unused_columns(spec: dict[str, Any]) -> dict[str, Any]:
    """Remove dataset columns whose name appears nowhere else in the spec.

    Conservative: a column is kept if its name occurs anywhere in the rest of the spec as a
    quoted string or inside any string (an expression like ``datum.level == 'strong'``, a
    tooltip, a fold), so only columns no encoding, transform or expression can reach go.
    """
    datasets = spec.get("datasets")
    if not isinstance(datasets, dict) or not datasets:
        return spec
    rest = json.dumps({k: v for k, v in spec.items() if k != "datasets"})
    pruned: dict[str, Any] = {}
    for name, rows in datasets.items():
        if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
            pruned[name] = rows
            continue
        columns = dict.fromkeys(key for row in rows for key in row)
        used = [c for c in columns if _mentioned(c, rest)]
        if len(used) == len(columns) or not used:
            pruned[name] = rows
            continue
        pruned[name] = [{c: row[c] for c in used if c in row} for row in rows]
    return {**spec, "datasets": pruned}


def _mentioned(column: str, text: str) -> bool:
    if f'"{column}"' in text:
        return True
    # Inside expressions and field paths: bounded by non-identifier characters.
    return re.search(rf"(?<![\w$]){re.escape(column)}(?![\w$])", text) is not None


def compile_to_vega(vega_lite: dict[str, Any]) -> dict[str, Any]:
    """Vega-Lite -> Vega with the same Vega-Lite version Altair targets."""
    return vl_convert.vegalite_to_vega(vega_lite, vl_version=vega_lite_minor_version())


def _column_type(values: list[Any]) -> str | None:
    """'number', 'boolean' or 'string' if every value fits that type in CSV without loss;
    None if the column cannot travel as CSV (lists, objects, nulls in text, empty text)."""
    present = [v for v in values if v is not None]
    if all(isinstance(v, bool) for v in present) and present:
        return "boolean"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present) and present:
        if any(isinstance(v, float) and not math.isfinite(v) for v in present):
            return None
        return "number"
    if len(present) == len(values) and all(isinstance(v, str) and v != "" for v in values):
        return "string"
    return None


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))  # 1995.0 -> "1995": JavaScript has one number type
    return str(value)


def rows_as_csv(rows: list[Any]) -> tuple[str, dict[str, str]] | None:
    """A table as (CSV text, parse types), or None where CSV would change a value."""
    if not rows or not all(isinstance(r, dict) for r in rows):
        return None
    columns = list(dict.fromkeys(key for row in rows for key in row))
    if not columns or any("," in c or '"' in c or "\n" in c for c in columns):
        return None
    types: dict[str, str] = {}
    for column in columns:
        if any(column not in row for row in rows):
            return None  # a missing key would read back as null or ""
        kind = _column_type([row[column] for row in rows])
        if kind is None:
            return None
        types[column] = kind
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row[c]) for c in columns])
    parse = {c: t for c, t in types.items() if t != "string"}
    return out.getvalue(), parse


def inline_tables_as_csv(vega: dict[str, Any]) -> dict[str, Any]:
    """Rewrite each inline ``values`` array of the Vega spec as CSV where that is lossless."""
    data = vega.get("data")
    if not isinstance(data, list):
        return vega
    rewritten = []
    for entry in data:
        values = entry.get("values") if isinstance(entry, dict) else None
        existing = entry.get("format", {}) if isinstance(entry, dict) else {}
        own_parse = existing.get("parse")
        as_csv = None
        if isinstance(values, list) and existing.get("type", "json") == "json" \
                and not set(existing) - {"type", "parse"} and own_parse != "auto":
            as_csv = rows_as_csv(values)
        if as_csv is None:
            rewritten.append(entry)
            continue
        text, parse = as_csv
        # The compiler's own parse (dates, numbers) wins over ours for the same column.
        merged = {**parse, **(own_parse or {})}
        fmt: dict[str, Any] = {"type": "csv"}
        if merged:
            fmt["parse"] = merged
        rewritten.append({**entry, "values": text, "format": fmt})
    return {**vega, "data": rewritten}


def without_mark_aria(vega_lite: dict[str, Any]) -> dict[str, Any]:
    """Skip Vega's per-mark ARIA labels: the site gives each chart's SVG role="img" with the
    chart's title and text description, which hides every mark from assistive technology
    anyway, while building a label string for each of thousands of marks costs the browser
    up to a few hundred milliseconds per page."""
    config = dict(vega_lite.get("config") or {})
    config["aria"] = False
    return {**vega_lite, "config": config}


def site_spec(vega_lite: dict[str, Any]) -> dict[str, Any]:
    """The spec the site embeds for a chart."""
    spec = without_mark_aria(prune_unused_columns(vega_lite))
    return inline_tables_as_csv(compile_to_vega(spec))


_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_RGB = re.compile(r"rgb\((\d+), ?(\d+), ?(\d+)\)")
_LONG_DECIMAL = re.compile(r"(\d+\.\d{3})\d+")
# Presentation attributes that children inherit from a <g> (SVG 1.1, "Inherited: yes").
_INHERITED = ("fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity",
              "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
              "stroke-dashoffset", "font-family", "font-size", "font-style", "font-weight",
              "text-anchor")


def _compact_svg(svg: str) -> str:
    """The same picture in fewer bytes: Vega writes every attribute on every mark (a heatmap
    repeats one stroke on 1,500 cells). Inherited attributes every child of a group shares move
    to the group, `opacity="1"` (the default, not inherited) goes, colours become hex, and
    coordinates keep three decimals (a thousandth of a pixel)."""
    ElementTree.register_namespace("", _SVG_NS)
    ElementTree.register_namespace("xlink", _XLINK_NS)
    root = ElementTree.fromstring(svg)
    group_tag = f"{{{_SVG_NS}}}g"
    for element in root.iter():
        if element.get("opacity") == "1":
            del element.attrib["opacity"]
        for name, value in element.attrib.items():
            hexed = _RGB.sub(lambda m: "#{:02x}{:02x}{:02x}".format(*map(int, m.groups())), value)
            element.set(name, _LONG_DECIMAL.sub(r"\1", hexed))
    for group in root.iter(group_tag):
        children = list(group)
        if len(children) < 2:
            continue
        for name in _INHERITED:
            values = {child.get(name) for child in children}
            if len(values) == 1 and None not in values:
                group.set(name, values.pop())
                for child in children:
                    del child.attrib[name]
    return ElementTree.tostring(root, encoding="unicode")


_SVG_ID = re.compile(r'\bid="([^"]+)"')
_SVG_REF = re.compile(r'url\(#([^)]+)\)|href="#([^"]+)"')
_SVG_ACCESSIBILITY = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')


def still_svg(vega: dict[str, Any], id_prefix: str) -> str:
    """The chart as Vega first draws it, rendered here at build time, for the page's HTML.

    The reader sees it with the page's first paint (and without JavaScript); the loader swaps
    in the live view once Vega has drawn it. The same pinned Vega renders both. Element ids
    (clip paths, gradients) get the chart's own prefix: several SVGs share one page's id space.
    The picture is one image to assistive technology, named by the figure (see
    `minilat.charts.offline_html`), so Vega's per-group roles are dropped here."""
    svg = _compact_svg(vl_convert.vega_to_svg(vega))
    ids = set(_SVG_ID.findall(svg))

    def prefixed_ref(match: re.Match[str]) -> str:
        url, href = match.groups()
        name = url or href
        if name not in ids:
            return match.group(0)
        return f"url(#{id_prefix}-{name})" if url else f'href="#{id_prefix}-{name}"'

    svg = _SVG_ID.sub(lambda m: f'id="{id_prefix}-{m.group(1)}"', svg)
    svg = _SVG_REF.sub(prefixed_ref, svg)
    svg = _SVG_ACCESSIBILITY.sub("", svg)
    # Not "marks": that class names the live view, which the loader and the tests look for.
    return svg.replace('class="marks"', 'class="minilat-chart-still-svg" aria-hidden="true"', 1)
