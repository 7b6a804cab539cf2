"""The one shared chart setup: theme, colours, sizes and the renderer every notebook uses.

`setup()` is called once by `minilat.preamble`. On the built site (env `MINILAT_BUILD=site`) charts
render through the offline renderer below: a placeholder element plus the chart's JSON spec, which
`minilat-charts.js` draws with the Vega bundle served by the site itself (no CDN). In a live
notebook Altair's own renderer is kept, so charts behave as students expect in Jupyter.
"""

from __future__ import annotations

import html
import json
import os
import uuid
from typing import Any

import altair as alt

THEME_NAME = "minilat"
RENDERER_NAME = "minilat-offline"
SITE_ENV_VAR = "MINILAT_BUILD"

# Okabe & Ito (2008) palette: distinguishable under the common colour-vision deficiencies.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
# Fixed colours for the two kinds of forum, used in every chapter so a reader learns them once.
KIND_COLOURS: dict[str, str] = {"multilateral": "#0072B2", "minilateral": "#D55E00"}
SEQUENTIAL_SCHEME = "viridis"  # perceptually uniform and colour-blind safe

WIDTH = 480
HEIGHT = 320
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


class ChartDescriptionMissing(ValueError):
    """Raised on the site when a chart has no title or no text description."""


def theme_config() -> dict[str, Any]:
    """The course's Altair theme: readable type, a white card (legible in dark mode too)."""
    return {
        "config": {
            "background": "#ffffff",
            "padding": 8,
            "font": FONT,
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "range": {"category": list(OKABE_ITO), "ordinal": {"scheme": SEQUENTIAL_SCHEME}},
            "title": {
                "fontSize": 15,
                "anchor": "start",
                "color": "#1a1a1a",
                "subtitleColor": "#444",
            },
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "labelColor": "#333",
                "titleColor": "#1a1a1a",
                "gridColor": "#e6e6e6",
            },
            "legend": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": "#333"},
            "header": {"labelFontSize": 12, "titleFontSize": 13},
        }
    }


def kind_colour_scale() -> alt.Scale:
    """The colour scale for the `kind` column (multilateral / minilateral)."""
    return alt.Scale(domain=list(KIND_COLOURS), range=list(KIND_COLOURS.values()))


def on_site() -> bool:
    """True while the book build executes notebooks for the static site."""
    return os.environ.get(SITE_ENV_VAR) == "site"


def _require_text(spec: dict[str, Any]) -> tuple[str, str]:
    """Return (title, description) of a top-level spec or raise with what is missing."""
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(part) for part in title)
    description = spec.get("description")
    missing = [
        name for name, value in (("title", title), ("description", description)) if not value
    ]
    if missing:
        raise ChartDescriptionMissing(
            "Every chart on the site needs a title and a text description "
            f"(missing: {', '.join(missing)}). Use "
            "`chart.properties(title=..., description=...)`."
        )
    return str(title), str(description)


def offline_html(spec: dict[str, Any]) -> str:
    """HTML for one chart on the static site: a figure, its spec as JSON and its description.

    The spec travels compiled to Vega, with unused columns dropped and tables as CSV
    (`minilat.site.chart_payload`): the page then needs only the Vega runtime. The HTML also
    carries the chart drawn at build time, so it is on screen with the page's first paint;
    the loader replaces it with the live, interactive view."""
    # build-time only: needs vl-convert
    from minilat.site.chart_payload import site_spec, still_svg

    title, description = _require_text(spec)
    chart_id = f"minilat-chart-{uuid.uuid4().hex[:12]}"
    vega = site_spec(spec)
    # `</` inside JSON would close the script element early.
    spec_json = json.dumps(vega, separators=(",", ":")).replace("</", "<\\/")
    label = html.escape(f"{title}. {description}")
    return (
        f'<figure class="minilat-chart" id="{chart_id}" data-spec-id="{chart_id}-spec">'
        f'<div class="minilat-chart-view" data-title="{html.escape(title)}" '
        f'data-description="{html.escape(description)}">'
        # Painted with the page, before any script runs; replaced by the live chart.
        f'<div class="minilat-chart-still" role="img" aria-label="{label}">'
        f"{still_svg(vega, chart_id)}</div></div>"
        f'<details class="minilat-chart-description"><summary>Text description of the chart '
        f'"{html.escape(title)}"</summary><p>{html.escape(description)}</p></details>'
        f'<script type="application/json" id="{chart_id}-spec">{spec_json}</script>'
        "<noscript>Without JavaScript this chart is a still image: its controls and "
        "tooltips need JavaScript.</noscript>"
        "</figure>"
    )


def _offline_renderer(spec: dict[str, Any], **_metadata: Any) -> dict[str, str]:
    return {"text/html": offline_html(spec), "text/plain": "<minilat chart>"}


def setup() -> None:
    """Register and enable the course theme; on the site, also the offline renderer."""
    alt.theme.register(THEME_NAME, enable=True)(theme_config)
    # Membership panels are larger than Altair's 5,000-row guard; inline data is still small.
    alt.data_transformers.enable("default", max_rows=50_000)
    if on_site():
        alt.renderers.register(RENDERER_NAME, _offline_renderer)
        alt.renderers.enable(RENDERER_NAME)
