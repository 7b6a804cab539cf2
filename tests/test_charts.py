"""The shared chart setup: theme, offline renderer, required title and description."""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import pytest

from minilat import charts
from minilat.figures.un_admissions import admissions_by_year, admissions_chart


def _chart(**properties: str) -> alt.Chart:
    data = pd.DataFrame({"x": [1, 2], "y": [3, 4]})
    return alt.Chart(data).mark_bar().encode(x="x:Q", y="y:Q").properties(**properties)


def test_offline_html_embeds_spec_without_any_remote_script() -> None:
    spec = _chart(title="T", description="A </script><b>tricky</b> description").to_dict()
    html = charts.offline_html(spec)
    # The only URLs are identifiers nothing fetches: the compiled Vega spec's `$schema` and the
    # build-time still's SVG namespaces.
    urls = set(re.findall(r"https?://[^\s\"'<>]+", html))
    assert "https://vega.github.io/schema/vega/v6.json" in urls
    assert urls <= {"https://vega.github.io/schema/vega/v6.json", "http://www.w3.org/2000/svg",
                    "http://www.w3.org/1999/xlink"}, urls
    assert '<div class="minilat-chart-still" role="img" aria-label="T. A &lt;/script&gt;' in html
    assert "<script src" not in html
    spec_json = re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', html, re.S)
    assert spec_json is not None, "the spec must sit in its own JSON script element"
    assert json.loads(spec_json.group(1))["description"].startswith("A </script>")
    assert "&lt;b&gt;tricky&lt;/b&gt;" in html, "the visible description must be escaped"


@pytest.mark.parametrize("missing", ["title", "description"])
def test_site_refuses_a_chart_without_title_or_description(missing: str) -> None:
    properties = {"title": "T", "description": "D"}
    del properties[missing]
    with pytest.raises(charts.ChartDescriptionMissing, match=missing):
        charts.offline_html(_chart(**properties).to_dict())


def test_setup_enables_theme_and_site_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(charts.SITE_ENV_VAR, "site")
    charts.setup()
    assert alt.theme.active == charts.THEME_NAME
    assert alt.renderers.active == charts.RENDERER_NAME
    bundle = alt.renderers.get()(_chart(title="T", description="D").to_dict())
    assert 'class="minilat-chart"' in bundle["text/html"]
    config = _chart(title="T", description="D").to_dict()["config"]
    assert config["range"]["category"] == list(charts.OKABE_ITO)


def test_admissions_by_year_counts_cumulatively() -> None:
    countries = pd.DataFrame(
        {
            "code": ["AAA", "BBB", "CCC", "DDD"],
            "un_member": [True, True, True, False],
            "un_admission_year": [1945, 1960, 1960, None],
            "un_region": ["Africa", "Africa", "Asia", "Asia"],
        }
    )
    table = admissions_by_year(countries, last_year=1961).set_index(["un_region", "year"])
    assert table.loc[("Africa", 1945), "members_so_far"] == 1
    assert table.loc[("Africa", 1959), "members_so_far"] == 1
    assert table.loc[("Africa", 1960), "members_so_far"] == 2
    assert table.loc[("Asia", 1961), "members_so_far"] == 1
    spec = admissions_chart(countries, last_year=1961).to_dict()
    assert "3 UN member states" in spec["description"]
    assert {p["name"] for p in spec["params"]} == {"year", "region"}
