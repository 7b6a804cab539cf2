"""Print the book's build and page-load figures.

1. clean build (`python -m minilat.site.build` after removing `_build`): parallel execution;
2. no-change rebuild;
3. the same sources built the stock way: serial `jupyter-book build --all` in a fresh copy;
4. each page's transfer size on a cold load and the time until its charts are painted,
   served from 127.0.0.1 to headless Chromium.

Usage: python benchmarks/build.py [--skip-stock]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "MINILAT_BUILD": "site"}
COPY_IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", ".pytest_cache", ".ruff_cache")


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        print(completed.stdout[-3000:], completed.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"command failed: {' '.join(command)}")
    return elapsed


def stock_build_seconds() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "book"
        shutil.copytree(ROOT, copy, ignore=COPY_IGNORE)
        return timed([str(BIN / "jupyter-book"), "build", "--all", str(copy)], cwd=copy)


LOADS_PER_PAGE = 3  # cold loads per page; the median paint time is reported


WARM_UP_PAGE = "how-to-use.html"  # a reader arriving from another page of the course


def _after_html(page: Any, moment: float | None) -> float | None:
    if moment is None:
        return None
    return moment - page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd")


Row = tuple[str, int, float | None, float | None, float | None]


def page_figures(gzip: bool, warm: bool = True) -> list[Row]:
    """Per page: largest cold-load size; median times, cold, until every chart is on screen
    (the build-time stills) and until every chart is live (Vega); live time after another
    course page (if `warm`)."""
    from playwright.sync_api import sync_playwright

    from minilat.site import audit
    from minilat.site.build import toc_page_names

    pages = [f"{name}.html" for name in toc_page_names()]
    rows = []
    with audit.serve(ROOT / "_build" / "html", gzip=gzip) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(audit.CHROMIUM), args=audit.CHROMIUM_FLAGS
        )
        for page_path in pages:
            sizes, stills, cold, again = [], [], [], []
            for _ in range(LOADS_PER_PAGE):
                context = browser.new_context()  # a fresh context is a cold cache
                page, load = audit.open_page(context, url, page_path, block_offsite=False)
                if load.external_requests:
                    raise SystemExit(f"{page_path} requested {load.external_requests}")
                sizes.append(load.bytes_transferred)
                stills.append(_after_html(page, load.stills_painted_ms))
                cold.append(_after_html(page, load.charts_painted_ms))
                context.close()
                if warm:
                    context = browser.new_context()
                    audit.open_page(context, url, WARM_UP_PAGE, block_offsite=False)
                    page, load = audit.open_page(context, url, page_path, block_offsite=False)
                    again.append(_after_html(page, load.charts_painted_ms))
                    context.close()
            rows.append((page_path, max(sizes), _median(stills), _median(cold), _median(again)))
        browser.close()
    return rows


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-stock", action="store_true", help="skip the stock serial build")
    parser.add_argument("--pages-only", action="store_true",
                        help="only the page figures, from the site already in _build/html")
    args = parser.parse_args()
    build = [sys.executable, "-m", "minilat.site.build"]

    if not args.pages_only:
        shutil.rmtree(ROOT / "_build", ignore_errors=True)
        clean = timed(build, ROOT)
        rebuild = timed(build, ROOT)
        print(f"clean build (parallel execution):  {clean:7.1f} s", flush=True)
        print(f"no-change rebuild:                 {rebuild:7.1f} s", flush=True)
    if not args.pages_only and not args.skip_stock:
        stock = stock_build_seconds()
        print(
            f"stock serial jupyter-book --all:   {stock:7.1f} s  (clean build = {clean / stock:.0%} of it)"
        )

    print(
        "\ncold load per page: bytes over the wire as `python -m http.server` sends them, and"
        "\nwith gzip as a production server sends them. Times from the arrival of the HTML"
        "\n(local server, headless Chromium, cold cache; median of"
        f" {LOADS_PER_PAGE} loads): every chart on screen"
        "\n(the build-time stills), every chart live (Vega: controls and tooltips work), and live"
        f"\nagain when arriving from {WARM_UP_PAGE} (bundle and theme cached):"
    )
    plain = page_figures(gzip=False)
    compressed = page_figures(gzip=True, warm=False)

    def ms(value: float | None) -> str:
        return f"{value:6.0f} ms" if value is not None else "        -"

    print(f"  {'page':40s} {'plain':>8s} {'gzip':>8s} {'on screen':>10s} {'live':>9s} {'(warm)':>9s}")
    for (page_path, size, still, cold, warm), row in zip(plain, compressed, strict=True):
        print(f"  {page_path:40s} {size / 1e6:6.2f} MB {row[1] / 1e6:6.2f} MB {ms(still):>10s} "
              f"{ms(cold)} {ms(warm)}")
    print(
        f"largest cold load: {max(r[1] for r in plain) / 1e6:.2f} MB plain, "
        f"{max(r[1] for r in compressed) / 1e6:.2f} MB gzip; slowest: every chart on screen "
        f"{max((r[2] or 0) for r in plain):.0f} ms, live {max((r[3] or 0) for r in plain):.0f} ms "
        f"cold, {max((r[4] or 0) for r in plain):.0f} ms after {WARM_UP_PAGE}"
    )

if __name__ == "__main__":
    main()
