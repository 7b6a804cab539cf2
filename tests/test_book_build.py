"""The whole book builds: every notebook executed, Sphinx warnings are errors."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, BuildResult

from minilat.site.build import is_notebook, toc_files

pytestmark = pytest.mark.book


def test_book_builds_without_warnings_or_cell_errors(book_build: BuildResult) -> None:
    assert book_build.returncode == 0, book_build.output[-6000:]


def test_every_toc_page_is_built(site_dir) -> None:
    missing = [
        path.relative_to(ROOT).with_suffix(".html").as_posix()
        for path in toc_files()
        if not (site_dir / path.relative_to(ROOT).with_suffix(".html")).is_file()
    ]
    assert not missing, f"pages in _toc.yml missing from the site: {missing}"


def test_every_notebook_page_was_executed(site_dir) -> None:
    report = json.loads((ROOT / "_build" / "reports" / "execution.json").read_text())
    statuses = {entry["path"]: entry["status"] for entry in report}
    notebooks = [str(path) for path in toc_files() if is_notebook(path)]
    assert notebooks, "no notebook pages found in _toc.yml"
    not_run = [path for path in notebooks if statuses.get(path) not in {"executed", "cached"}]
    assert not not_run, f"notebooks without a successful execution: {not_run}"


def test_no_cdn_or_remote_asset_in_built_html(site_dir) -> None:
    offenders = []
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        for host in (
            "cdn.jsdelivr.net",
            "unpkg.com",
            "cdnjs.cloudflare.com",
            "fonts.googleapis.com",
        ):
            if host in text:
                offenders.append(f"{page.relative_to(site_dir)}: {host}")
    assert not offenders, offenders


def test_vega_bundle_is_one_shared_file_not_inlined(site_dir) -> None:
    bundles = list((site_dir / "_static").glob("minilat-charts-*.js"))
    assert len(bundles) == 1, bundles
    assert bundles[0].stat().st_size > 400_000, "the bundle must carry the Vega runtime"
    bundle_text = bundles[0].read_text(encoding="utf-8")
    # A string of Vega's own source: it must live only in the shared file, never in a page.
    marker = "vega-bindings"
    assert marker in bundle_text
    # Specs are compiled to Vega at build time: no Vega-Lite compiler, no vega-embed, no CDN.
    assert "vegaEmbed" not in bundle_text and "cdn.jsdelivr.net" not in bundle_text
    pages_with_charts = [p for p in site_dir.rglob("*.html") if 'class="minilat-chart"' in p.read_text()]
    assert pages_with_charts, "no page has a chart"
    for page in pages_with_charts:
        html = page.read_text(encoding="utf-8")
        assert bundles[0].name in html, f"{page.name} does not load the shared bundle"
        assert len(html) < bundles[0].stat().st_size, f"{page.name}: bundle inlined?"
        assert marker not in html, f"{page.name}: Vega source inlined?"


def test_classic_scripts_are_deferred_except_on_the_search_page(site_dir) -> None:
    """Deferred scripts let charts start sooner; search.html's inline script needs doctools at
    once (a shared script object changed for one page once leaked into search.html)."""
    doctools = re.compile(r'<script([^>]*)src="[^"]*doctools\.js')
    chapter = (site_dir / "chapters" / "01-interdependence.html").read_text(encoding="utf-8")
    search = (site_dir / "search.html").read_text(encoding="utf-8")
    assert "defer" in doctools.search(chapter).group(1)
    assert "defer" not in doctools.search(search).group(1)
    assert "searchindex.js" in search and "searchindex.js" not in chapter


def _site_digest(site: Path) -> dict[str, str]:
    return {str(path.relative_to(site)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


@pytest.mark.slow
def test_an_unchanged_rebuild_is_quick_and_changes_no_file(site_dir: Path) -> None:
    before = _site_digest(site_dir)
    completed = subprocess.run([sys.executable, "-m", "minilat.site.build"], cwd=ROOT,
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert re.search(r"\(0 executed, \d+ from cache\)", completed.stdout), completed.stdout[:500]
    after = _site_digest(site_dir)
    changed = sorted(name for name in before.keys() | after.keys()
                     if before.get(name) != after.get(name))
    assert not changed, f"an unchanged rebuild rewrote {changed[:10]}"
