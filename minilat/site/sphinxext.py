"""Sphinx extension: the site's offline chart assets and page fixes.

- Writes the Vega runtime (from the pinned `vl-convert-python` package) and the
  course's chart loader as one file at build time (never committed, never a CDN) under a
  versioned name, so a browser caches it once for the whole site; adds it, as an async module,
  only to pages that hold a chart.
- Adds the course's chart stylesheet.
- Writes each notebook page as a clean `.ipynb` beside its source, so the theme's download
  menu offers students a notebook they can run (the MyST `.md` source needs jupytext).
- Drops the theme's 1.5 MB fontawesome.js (`templates/layout.html`); icons come from the
  webfont in the theme's stylesheet.
- After the build, keeps only the Font Awesome icons the site uses, in the theme's CSS and in
  its webfonts (`minilat.site.icons`), then drops every CSS rule no page can match
  (`minilat.site.css_purge`): about 0.5 MB less on a cold load of any page, and a faster first
  style pass.
- Leaves Sphinx's search scripts and index to search.html (`templates/layout.html`).
- Removes the thebe loader: Jupyter Book always loads sphinx-thebe, which declares a CDN URL
  for thebe on every page (twice on some, a console error); this course has no live-code button.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript
from sphinx.util import logging

from minilat.site import css_purge, icons, vendor
from minilat.site.memo import Memo

logger = logging.getLogger(__name__)

ASSETS_DIR = Path(__file__).parent / "assets"
TEMPLATES_DIR = Path(__file__).parent / "templates"
CHART_MARKER = 'class="minilat-chart"'


def _register_static_files(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    vendor_dir = Path(app.outdir).parent / "minilat-static"
    app.config.html_static_path.extend([str(ASSETS_DIR), str(vendor_dir)])
    name = vendor.write_chart_bundle(vendor_dir)
    app.env.minilat_bundle_name = name  # type: ignore[attr-defined]
    # Sphinx copies static files but never deletes them: drop bundles of earlier builds.
    for stale in (Path(app.outdir) / "_static").glob("minilat-charts-*.js"):
        if stale.name != name:
            stale.unlink()


def _is_myst_notebook(path: Path) -> bool:
    if path.suffix != ".md" or not path.is_file():
        return False
    text = path.read_text(encoding="utf-8")
    return text.startswith("---") and "file_format: mystnb" in text.split("---", 2)[1]


def _offer_notebook_download(app: Sphinx, pagename: str, context: dict[str, Any]) -> None:
    """Write `_sources/<page>.ipynb` (no outputs) and tell the theme to offer it."""
    import nbformat
    from myst_nb.core.read import read_myst_markdown_notebook

    source = Path(app.env.doc2path(pagename))
    if not _is_myst_notebook(source):
        return
    notebook = read_myst_markdown_notebook(source.read_text(encoding="utf-8"), path=str(source))
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(target))
    context["ipynb_source"] = f"{pagename}.ipynb"


def _add_page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    _offer_notebook_download(app, pagename, context)
    _fix_citation_list_roles(context)
    if CHART_MARKER in context.get("body", ""):
        bundle = app.env.minilat_bundle_name  # type: ignore[attr-defined]
        app.add_js_file(bundle, priority=100, type="module")
    _drop_thebe_and_duplicate_scripts(context)
    _drop_unused_design_assets(context)
    if pagename != "search":  # search.html's inline script calls doctools' _ready at once
        _defer_classic_scripts(context)


def _fix_citation_list_roles(context: dict[str, Any]) -> None:
    """docutils writes citations as role="doc-biblioentry" inside role="list"; axe-core (rightly,
    the DPUB role is deprecated) wants list items there. Give them the plain list-item role."""
    body = context.get("body", "")
    if 'class="citation-list"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


SPHINX_DESIGN_CLASS = re.compile(r'class="(?:[^"]*\s)?sd-')


def _filename(asset: Any) -> str:
    return str(getattr(asset, "filename", asset) or "")


def _drop_unused_design_assets(context: dict[str, Any]) -> None:
    """sphinx-design's stylesheet and tab script (63 KB) only on pages that use its components;
    thebe's stylesheet nowhere (the course has no live-code button)."""
    uses_design = SPHINX_DESIGN_CLASS.search(context.get("body", "")) is not None
    css = context.get("css_files") or []
    context["css_files"] = [
        f for f in css
        if "sphinx-thebe" not in _filename(f)
        and (uses_design or "sphinx-design" not in _filename(f))
    ]
    if not uses_design:
        scripts = context.get("script_files") or []
        context["script_files"] = [s for s in scripts if "design-tabs" not in _filename(s)]


def _defer_classic_scripts(context: dict[str, Any]) -> None:
    """Sphinx's and its extensions' script files do their work on DOMContentLoaded; loaded
    synchronously they still stop the HTML parser until every stylesheet is in. Deferred, they
    keep their order and run after the course's chart module, which comes first in the head,
    so charts start drawing sooner. New script objects: the builder shares its own across pages,
    and search.html must keep the originals."""
    deferred = []
    for script in context.get("script_files") or []:
        attributes = getattr(script, "attributes", None)
        if (isinstance(attributes, dict) and _filename(script)  # inline scripts stay as they are
                and attributes.get("type", "text/javascript") == "text/javascript"
                and "async" not in attributes and "defer" not in attributes):
            script = _JavaScript(script.filename, priority=script.priority,
                                 **{**attributes, "defer": "defer"})
        deferred.append(script)
    context["script_files"] = deferred


def _is_thebe(script: Any) -> bool:
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return "thebe" in _filename(script) or "THEBE_JS_URL" in body


def _drop_thebe_and_duplicate_scripts(context: dict[str, Any]) -> None:
    """Drop thebe's scripts and keep only the first of any script listed twice."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[str] = set()
    kept = []
    for script in scripts:
        key = _filename(script) + str(getattr(script, "attributes", {}).get("body", ""))
        if _is_thebe(script) or key in seen:
            continue
        seen.add(key)
        kept.append(script)
    context["script_files"] = kept


def _add_templates(app: Sphinx, config: Any) -> None:
    config.templates_path = [str(TEMPLATES_DIR), *config.templates_path]


OWN_STYLESHEETS = {"minilat-charts.css"}


def _slim_theme_assets(app: Sphinx, exception: Exception | None) -> None:
    """After a good HTML build: keep only the icons and the CSS rules the site uses."""
    if exception is not None or app.builder.format != "html":
        return
    site = Path(app.outdir)
    memo = Memo(site.parent / ".minilat-slim-memo")  # an unchanged rebuild redoes none of it
    vocabulary = css_purge.site_vocabulary(site)  # read every page and script once, for both
    _prune_icons(site, icons.icon_classes(vocabulary.words), memo)
    stylesheets = sorted(
        str(path.relative_to(site)) for path in (site / "_static").rglob("*.css")
        if path.name not in OWN_STYLESHEETS
    )
    sizes = css_purge.purge_site_css(site, stylesheets, vocabulary, memo)
    memo.forget_unused()
    before = sum(b for b, _ in sizes.values())
    after = sum(a for _, a in sizes.values())
    logger.info("minilat: %d stylesheets purged of unused rules, %d -> %d bytes",
                len(sizes), before, after)


def _prune_icons(site: Path, used: set[str], memo: Memo) -> None:
    report = icons.prune_site_icons(site, used, memo)
    if report is not None:
        logger.info(
            "minilat: kept %d of %d icon rules; theme CSS %d -> %d bytes, webfonts %d -> %d",
            report.rules_kept, report.rules_before, report.css_bytes_before,
            report.css_bytes_after, report.font_bytes_before, report.font_bytes_after,
        )


def _note_purged_doc(app: Sphinx, env: Any, docname: str) -> None:
    env.minilat_docs_changed = True


def _note_docs_to_read(app: Sphinx, env: Any, docnames: list[str]) -> None:
    # Removed documents were purged just before this event; added and changed ones are listed.
    env.minilat_docs_changed = bool(docnames) or getattr(env, "minilat_docs_changed", True)


def _reset_change_flag(app: Sphinx) -> None:
    app.env.minilat_docs_changed = False  # type: ignore[attr-defined]


def _skip_bibtex_formatting_when_nothing_was_read() -> None:
    """sphinxcontrib-bibtex formats every citation again after each read phase (2–3 s here),
    even when no page was read. Its results are kept in the pickled environment, and with no
    page read none is written either, so an unchanged rebuild keeps the stored citations."""
    from sphinxcontrib.bibtex.domain import BibtexDomain

    original = BibtexDomain.env_updated
    if getattr(original, "minilat_wrapped", False):
        return

    def env_updated(self: Any) -> Any:
        if self.citations and not getattr(self.env, "minilat_docs_changed", True):
            return []
        return original(self)

    env_updated.minilat_wrapped = True  # type: ignore[attr-defined]
    BibtexDomain.env_updated = env_updated


def setup(app: Sphinx) -> dict[str, Any]:
    _skip_bibtex_formatting_when_nothing_was_read()
    app.connect("builder-inited", _reset_change_flag)
    app.connect("env-purge-doc", _note_purged_doc)
    app.connect("env-before-read-docs", _note_docs_to_read)
    app.connect("config-inited", _add_templates)
    app.connect("builder-inited", _register_static_files)
    app.connect("html-page-context", _add_page_assets)
    app.connect("build-finished", _slim_theme_assets)
    app.add_css_file("minilat-charts.css")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
