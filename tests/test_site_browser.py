"""Every built page in headless Chromium, served from 127.0.0.1.

For each page: no request leaves the site, no console error, every chart painted, every bound input
changes its chart, every toggle opens, and no serious or critical axe-core violation.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from minilat.site import audit
from minilat.site.build import toc_page_names

PAGES = [f"{name}.html" for name in toc_page_names()] + ["genindex.html", "search.html"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(site_dir: Path) -> Iterator[str]:
    with audit.serve(site_dir) as url:
        yield url


@pytest.fixture()
def context(browser) -> Iterator[object]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.mark.parametrize("page_path", PAGES)
def test_page_is_offline_clean_painted_interactive_and_accessible(
    context, site_url: str, page_path: str
) -> None:
    page, load = audit.open_page(context, site_url, page_path)
    problems = audit.load_problems(load)
    problems += audit.chart_problems(page)
    problems += audit.accessibility_problems(page)
    problems += audit.bound_input_problems(page)
    problems += audit.toggle_problems(page)
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


CHART_PAGES = [p for p in PAGES if p.startswith("chapters/") or p == "how-to-use.html"]


@pytest.mark.parametrize("page_path", CHART_PAGES)
def test_every_chart_is_drawn_without_javascript_and_replaced_once_live(
    browser, site_url: str, page_path: str
) -> None:
    """The build-time stills: on screen with the page's first paint (no script needed), one
    named image each, then swapped for the live chart."""
    still_context = browser.new_context(java_script_enabled=False)
    page = still_context.new_page()
    page.goto(site_url + page_path, wait_until="load")
    figures = page.locator("figure.minilat-chart")
    charts = figures.count()
    assert charts > 0
    for index in range(charts):
        still = figures.nth(index).locator(".minilat-chart-still")
        assert still.get_attribute("role") == "img" and still.get_attribute("aria-label")
        box = still.locator("svg").bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50, f"chart {index}: {box}"
        assert still.locator("svg path, svg rect, svg text").count() > 3, f"chart {index} empty"
    still_context.close()

    live_context = browser.new_context()
    page, _ = audit.open_page(live_context, site_url, page_path)
    assert page.locator(".minilat-chart-still").count() == 0, "a still stayed next to its chart"
    assert page.locator("figure.minilat-chart svg.marks").count() == charts
    live_context.close()


def test_demo_page_has_a_chart_with_a_bound_control(context, site_url: str) -> None:
    page, _ = audit.open_page(context, site_url, "how-to-use.html")
    assert page.locator("figure.minilat-chart").count() >= 1
    assert (
        page.locator(
            "figure.minilat-chart .vega-bind input, figure.minilat-chart .vega-bind select"
        ).count()
        >= 1
    )


def test_a_chart_downloads_as_svg_and_png_and_shows_tooltips(context, site_url: str) -> None:
    """What vega-embed's menu and tooltips gave readers, the course loader gives too."""
    page, _ = audit.open_page(context, site_url, "how-to-use.html")
    figure = page.locator("figure.minilat-chart").first
    for label, suffix, magic in (("SVG", ".svg", b"<svg"), ("PNG", ".png", b"\x89PNG")):
        with page.expect_download() as download:
            figure.get_by_role("button", name=f"as {label}").click()
        path = download.value.path()
        assert download.value.suggested_filename.endswith(suffix)
        assert Path(path).read_bytes()[:8].startswith(magic)
    # Vega's own tooltip handler writes the hovered mark's fields into the view's title.
    view = figure.locator(".minilat-chart-view")
    marks = figure.locator("svg.marks path, svg.marks rect, svg.marks circle")
    assert marks.count() > 0
    for index in range(min(marks.count(), 40)):
        marks.nth(index).hover(force=True)
        if view.get_attribute("title"):
            break
    assert view.get_attribute("title"), "no tooltip on any of the first marks"


# --- the detectors themselves: each must catch the failure it exists for -------------------------

CDN_PAGE = """<!doctype html><html lang="en"><head><title>cdn</title>
<script src="https://cdn.jsdelivr.net/npm/vega@5"></script></head>
<body><main><h1>CDN page</h1></main></body></html>"""

BROKEN_CHART_PAGE = """<!doctype html><html lang="en"><head><title>broken</title></head>
<body><main><h1>Broken chart</h1>
<figure class="minilat-chart" id="c1" data-spec-id="c1-spec"><div class="minilat-chart-view"></div>
</figure><script>console.error("boom"); document.documentElement.dataset.minilatCharts = "done";
</script></main></body></html>"""


def _fixture_site(tmp_path: Path, name: str, html: str) -> Path:
    (tmp_path / name).write_text(html, encoding="utf-8")
    return tmp_path


def test_detector_catches_a_cdn_request(context, tmp_path: Path) -> None:
    site = _fixture_site(tmp_path, "cdn.html", CDN_PAGE)
    with audit.serve(site) as url:
        _, load = audit.open_page(context, url, "cdn.html")
    problems = audit.load_problems(load)
    assert any("cdn.jsdelivr.net" in problem for problem in problems), problems


def test_detector_catches_unpainted_chart_and_console_error(context, tmp_path: Path) -> None:
    site = _fixture_site(tmp_path, "broken.html", BROKEN_CHART_PAGE)
    with audit.serve(site) as url:
        page, load = audit.open_page(context, url, "broken.html")
        problems = audit.load_problems(load) + audit.chart_problems(page)
    assert any("console error: boom" in problem for problem in problems), problems
    assert any("chart c1 not rendered" in problem for problem in problems), problems


def test_detector_catches_a_dead_bound_input(context, site_url: str) -> None:
    """Detach the listeners: moving the slider then changes nothing, which must be caught."""
    page, _ = audit.open_page(context, site_url, "how-to-use.html")
    page.evaluate(
        """() => document.querySelectorAll('figure.minilat-chart .vega-bind').forEach(b => {
              const clone = b.cloneNode(true); b.replaceWith(clone); })"""
    )
    problems = audit.bound_input_problems(page)
    assert any("did not change the chart" in problem for problem in problems), problems


def test_detector_catches_an_unlabelled_input(context, tmp_path: Path) -> None:
    html = """<!doctype html><html lang="en"><head><title>a11y</title></head>
<body><main><h1>Form</h1><input type="range" min="0" max="3"></main></body></html>"""
    site = _fixture_site(tmp_path, "a11y.html", html)
    with audit.serve(site) as url:
        page, _ = audit.open_page(context, url, "a11y.html")
        problems = audit.accessibility_problems(page)
    assert any("label" in problem for problem in problems), problems
