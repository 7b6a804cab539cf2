"""Audit built pages in headless Chromium: requests, console, charts, controls, toggles, axe.

Used by the browser tests (`tests/test_site_browser.py`) and the build benchmark. Each check
returns a list of human-readable problems; an empty list means the page passed.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("MINILAT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SERIOUS_IMPACTS = {"serious", "critical"}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".txt", ".csv", ".map")


class _GzipHandler(_QuietHandler):
    """Like a typical production server: gzip text assets when the browser accepts it."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            super().do_GET()
            return
        import gzip

        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(directory: Path, gzip: bool = False) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (a free port) and yield its base URL.

    `gzip=True` compresses text assets as nginx or a static host would; the default serves
    files as they are, like `python -m http.server`.
    """
    handler_class = _GzipHandler if gzip else _QuietHandler
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def chromium_available() -> bool:
    return CHROMIUM.is_file() or shutil.which(str(CHROMIUM)) is not None


@dataclass
class PageLoad:
    """What happened while one page loaded."""

    url: str
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    bytes_transferred: int = 0
    stills_painted_ms: float | None = None  # build-time stills of every chart on screen
    charts_painted_ms: float | None = None  # live (interactive) charts on screen


# Records the first paint after the page's last chart still arrived in the DOM (a frame
# callback runs just before a paint; a task queued from it runs after).
STILLS_PAINTED_PROBE = """
new MutationObserver((records) => {
  const still = records.some((record) => Array.from(record.addedNodes).some((node) =>
    node.nodeType === 1 && (node.matches('.minilat-chart-still')
                            || node.querySelector('.minilat-chart-still'))));
  if (still) requestAnimationFrame(() => setTimeout(() => {
    window.minilatStillsPaintedAt = performance.now();
  }, 0));
}).observe(document, { childList: true, subtree: true });
"""


def open_page(
    context: Any, base_url: str, page_path: str, timeout_ms: int = 15_000,
    block_offsite: bool = True,
) -> tuple[Any, PageLoad]:
    """Open a page with every off-site request blocked and recorded; wait for charts to paint.

    `block_offsite=False` (for timing) lets the browser load undisturbed: routing every request
    through Playwright delays each one. Off-site requests are then recorded, not blocked."""
    page = context.new_page()
    page.add_init_script(STILLS_PAINTED_PROBE)
    load = PageLoad(url=base_url + page_path)

    def route(route: Any) -> None:
        if route.request.url.startswith(base_url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            load.external_requests.append(route.request.url)
            route.abort()

    def on_response(response: Any) -> None:
        if response.status >= 400:
            load.failed_requests.append(f"{response.status} {response.url}")
        length = response.headers.get("content-length")
        if length and length.isdigit():
            load.bytes_transferred += int(length)

    def on_console(message: Any) -> None:
        if message.type == "error":
            load.console_errors.append(message.text)

    def on_request(request: Any) -> None:
        if not (request.url.startswith(base_url) or request.url.startswith("data:")):
            load.external_requests.append(request.url)

    if block_offsite:
        page.route("**/*", route)
    else:
        page.on("request", on_request)
    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: load.console_errors.append(f"uncaught: {error}"))
    page.goto(load.url, wait_until="load", timeout=timeout_ms)
    if page.locator("figure.minilat-chart").count():
        page.wait_for_function(
            "document.documentElement.dataset.minilatCharts === 'done'", timeout=timeout_ms
        )
        load.charts_painted_ms = page.evaluate("window.minilatChartsPaintedAt")
        load.stills_painted_ms = page.evaluate("window.minilatStillsPaintedAt ?? null")
    page.wait_for_timeout(150)  # late console errors from theme scripts
    return page, load


def chart_problems(page: Any) -> list[str]:
    """Every course chart painted: rendered flag set and an SVG/canvas with marks inside."""
    problems = []
    states = page.eval_on_selector_all(
        "figure.minilat-chart",
        """figs => figs.map(f => ({id: f.id, rendered: f.dataset.rendered,
             marks: f.querySelectorAll('svg.marks path, svg.marks rect, svg.marks text,'
                                        + ' svg.marks line, svg.marks circle').length,
             canvas: f.querySelectorAll('canvas.marks').length}))""",
    )
    for state in states:
        if state["rendered"] != "true":
            problems.append(f"chart {state['id']} not rendered (state: {state['rendered']})")
        elif state["marks"] == 0 and state["canvas"] == 0:
            problems.append(f"chart {state['id']} rendered no marks")
    # Stock Altair output draws through vega-embed; the course's charts never do.
    leftovers = page.locator(".vega-embed").count()
    if leftovers > 0:
        problems.append(f"{leftovers} vega chart(s) outside the course renderer (CDN loader?)")
    if page.locator("script[type='application/vnd.jupyter.widget-view+json']").count():
        problems.append("an ipywidgets view is on the page: a dead control without a kernel")
    return problems


_CHANGE_INPUT_JS = """
(input) => {
  if (input.tagName === 'SELECT') {
    input.selectedIndex = (input.selectedIndex + 1) % input.options.length;
  } else if (input.type === 'range') {
    const min = Number(input.min), max = Number(input.max);
    const value = Number(input.value);
    input.value = String(value - min > (max - min) / 2 ? min : max);
  } else if (input.type === 'checkbox' || input.type === 'radio') {
    input.checked = !input.checked;
    input.dispatchEvent(new Event('click', {bubbles: true}));
  } else {
    input.value = input.value + '1';
  }
  input.dispatchEvent(new Event('input', {bubbles: true}));
  input.dispatchEvent(new Event('change', {bubbles: true}));
}
"""


def bound_input_problems(page: Any) -> list[str]:
    """Moving any bound input must change the chart it belongs to."""
    problems = []
    figures = page.locator("figure.minilat-chart")
    for index in range(figures.count()):
        figure = figures.nth(index)
        figure_id = figure.get_attribute("id")
        bindings = figure.locator(".vega-bind")
        for bind_index in range(bindings.count()):
            bind = bindings.nth(bind_index)
            inputs = bind.locator("input, select")
            # For a radio group, pick an option that is not checked now.
            target = inputs.nth(0)
            for input_index in range(inputs.count()):
                candidate = inputs.nth(input_index)
                if candidate.get_attribute("type") != "radio" or not candidate.is_checked():
                    target = candidate
                    break
            name = bind.locator(".vega-bind-name").first.text_content() or f"input {bind_index}"
            before = figure.locator("svg.marks").first.inner_html()
            if target.get_attribute("type") == "radio":
                target.check()
            else:
                target.evaluate(_CHANGE_INPUT_JS)
            page.wait_for_timeout(120)
            after = figure.locator("svg.marks").first.inner_html()
            if before == after:
                problems.append(
                    f"chart {figure_id}: moving '{name.strip()}' did not change the chart"
                )
    return problems


def toggle_problems(page: Any) -> list[str]:
    """Every <details> and toggle button on the page opens when clicked."""
    problems = []
    details = page.locator("details")
    for index in range(details.count()):
        item = details.nth(index)
        if not item.is_visible():
            continue
        if item.evaluate("d => d.open"):
            continue
        item.locator("summary").first.click()
        if not item.evaluate("d => d.open"):
            problems.append(f"<details> #{index} did not open when its summary was clicked")
    buttons = page.locator("button.toggle-button")
    for index in range(buttons.count()):
        button = buttons.nth(index)
        if not button.is_visible():
            continue
        target = (button.get_attribute("data-target") or "").lstrip("#")
        button.click()
        page.wait_for_timeout(50)
        # ids made from paths contain "/", which a CSS id selector cannot hold: match the attribute.
        content = page.locator(f'[id="{target}"]')
        if target and content.count():
            hidden = content.first.evaluate("el => el.classList.contains('toggle-hidden')")
            if hidden:
                problems.append(f"toggle {target} stayed hidden after a click")
    return problems


def accessibility_problems(page: Any) -> list[str]:
    """axe-core audit (shipped by axe-playwright-python): serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    problems = []
    for violation in results.response.get("violations", []):
        if violation.get("impact") in SERIOUS_IMPACTS:
            targets = [", ".join(node.get("target", [])) for node in violation.get("nodes", [])][:5]
            problems.append(
                f"axe {violation['impact']} '{violation['id']}' ({violation['help']}) at {targets}"
            )
    return problems


def load_problems(load: PageLoad) -> list[str]:
    problems = [f"request left the site: {url}" for url in load.external_requests]
    problems += [f"failed request: {item}" for item in load.failed_requests]
    problems += [f"console error: {text}" for text in load.console_errors]
    return problems
