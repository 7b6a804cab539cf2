"""Third-party JavaScript for the site, produced at build time from pinned Python packages."""

from __future__ import annotations

import hashlib
from pathlib import Path

import altair as alt
import vl_convert

LOADER = Path(__file__).parent / "js" / "minilat-charts.js"


def vega_lite_minor_version() -> str:
    """Altair's Vega-Lite version as vl-convert expects it, e.g. 'v6.4.1' -> '6.4'."""
    return alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]


def bundle_file_name(loader_source: str) -> str:
    """Versioned name: a new pin or a changed loader gives a new URL, so browsers never run a
    stale cached copy."""
    loader_hash = hashlib.sha256(loader_source.encode()).hexdigest()[:10]
    return (
        f"minilat-charts-vl{vega_lite_minor_version()}-vlc{vl_convert.__version__}"
        f"-{loader_hash}.js"
    )


def write_chart_bundle(target_dir: Path, loader: Path = LOADER) -> str:
    """Write vega + vega-lite + vega-embed with the course's loader in one file; return its name.

    One file, loaded as an async module: the browser compiles it while it parses the page, and
    the loader finds `vegaEmbed` in scope without a global.
    """
    source = loader.read_text(encoding="utf-8")
    name = bundle_file_name(source)
    target = target_dir / name
    if not target.exists():
        target_dir.mkdir(parents=True, exist_ok=True)
        for stale in target_dir.glob("minilat-charts-*.js"):
            stale.unlink()
        bundle = vl_convert.javascript_bundle(snippet=source, vl_version=vega_lite_minor_version())
        tmp = target.with_suffix(".tmp")
        tmp.write_text(bundle, encoding="utf-8")
        tmp.replace(target)
    return name
