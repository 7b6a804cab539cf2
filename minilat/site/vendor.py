"""Third-party JavaScript for the site, produced at build time from pinned Python packages."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import altair as alt
import vl_convert

LOADER = Path(__file__).parent / "js" / "minilat-charts.js"


def vega_lite_minor_version() -> str:
    """Altair's Vega-Lite version as vl-convert expects it, e.g. 'v6.4.1' -> '6.4'."""
    return alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]


def vega_module_specifier() -> str:
    """The import specifier under which the pinned vl-convert carries the Vega runtime.

    vl-convert's bundler resolves it from sources compiled into the package (no download); the
    address never reaches the site, only the code behind it."""
    return f"https://cdn.jsdelivr.net/npm/vega@{vl_convert.get_vega_version()}/+esm"


def loader_snippet(loader: Path = LOADER) -> str:
    return loader.read_text(encoding="utf-8").replace('"VEGA_MODULE"', json.dumps(vega_module_specifier()))


def bundle_file_name(loader_source: str) -> str:
    """Versioned name: a new pin or a changed loader gives a new URL, so browsers never run a
    stale cached copy."""
    loader_hash = hashlib.sha256(loader_source.encode()).hexdigest()[:10]
    return f"minilat-charts-vega{vl_convert.get_vega_version()}-{loader_hash}.js"


def write_chart_bundle(target_dir: Path, loader: Path = LOADER) -> str:
    """Write the Vega runtime with the course's loader in one file; return its name.

    One file, loaded as an async module: the browser compiles it while it parses the page.
    Vega-Lite and vega-embed stay out: specs are compiled to Vega at build time
    (`minilat.site.chart_payload`).
    """
    source = loader_snippet(loader)
    name = bundle_file_name(source)
    target = target_dir / name
    if not target.exists():
        target_dir.mkdir(parents=True, exist_ok=True)
        for stale in target_dir.glob("minilat-charts-*.js"):
            stale.unlink()
        bundle = vl_convert.javascript_bundle(snippet=source, vl_version=vega_lite_minor_version())
        if "cdn.jsdelivr.net" in bundle:
            raise RuntimeError("the chart bundle still names a CDN address")
        tmp = target.with_suffix(".tmp")
        tmp.write_text(bundle, encoding="utf-8")
        tmp.replace(target)
    return name
