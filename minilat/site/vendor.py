"""Third-party JavaScript for the site, produced at build time from pinned Python packages."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import vl_convert


def vega_lite_minor_version() -> str:
    """Altair's Vega-Lite version as vl-convert expects it, e.g. 'v6.4.1' -> '6.4'."""
    return alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]


def bundle_file_name() -> str:
    """Versioned name: a new pin gives a new URL, so browsers never run a stale cached bundle."""
    return f"vega-bundle-vl{vega_lite_minor_version()}-vlc{vl_convert.__version__}.js"


def write_vega_bundle(target_dir: Path) -> str:
    """Write the vega + vega-lite + vega-embed bundle once per version; return its file name.

    The bundle assigns `window.vega`, `window.vegaLite` and `window.vegaEmbed`.
    """
    name = bundle_file_name()
    target = target_dir / name
    if not target.exists():
        target_dir.mkdir(parents=True, exist_ok=True)
        bundle = vl_convert.javascript_bundle(vl_version=vega_lite_minor_version())
        tmp = target.with_suffix(".tmp")
        tmp.write_text(bundle, encoding="utf-8")
        tmp.replace(target)
    return name
