"""The theme's CSS and icon fonts are cut to what the site uses — and nothing it uses is lost."""

from __future__ import annotations

import io
from pathlib import Path

import pydata_sphinx_theme
import pytest
from fontTools.ttLib import TTFont

from minilat.site import css_purge, icons

THEME_STATIC = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"


def _vocabulary(*words: str) -> css_purge.Vocabulary:
    prefixes = tuple(w for w in words if w.endswith("-"))
    return css_purge.Vocabulary(frozenset(words), prefixes)


def test_purge_drops_rules_for_absent_classes_and_keeps_the_rest() -> None:
    css = (
        "/*! licence */ /* note */ p{color:red}\n.used{margin:0}\n.absent{margin:1px}\n"
        ".absent,.used b{padding:0}\n.used:not(.absent){top:0}\n#page .absent{left:0}\n"
        "#page{right:0}\n.bs-tooltip-top{x:1}\n[data-theme=dark] .used{color:blue}\n"
        "@media (min-width:10px){.absent{a:b}.used{c:d}}\n@media print{.absent{a:b}}\n"
        "@font-face{font-family:X}\n"
    )
    out = css_purge.purge_css(css, _vocabulary("used", "page", "bs-tooltip-"))
    assert "/*! licence */" in out and "/* note */" not in out
    for kept in ("p{color:red}", ".used{margin:0}", ".used b{padding:0}",
                 ".used:not(.absent){top:0}", "#page{right:0}", ".bs-tooltip-top{x:1}",
                 "[data-theme=dark] .used{color:blue}", ".used{c:d}", "@font-face"):
        assert kept in out, kept
    for dropped in (".absent{margin:1px}", ".absent,", "#page .absent", "@media print",
                    ".absent{a:b}"):
        assert dropped not in out, dropped


def test_purge_reports_a_parse_error_with_its_line() -> None:
    with pytest.raises(ValueError, match="line 2"):
        css_purge.purge_css("p{}\n.a b", _vocabulary())


def test_icon_rules_kept_only_for_used_icons_aliases_included() -> None:
    css = ('.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}'
           '.fa-sun:before{content:"\\f185"}.fa-o:before{content:"O"}.fa-solid{font-weight:900}')
    pruned, points, before, kept = icons.prune_icon_rules(css, {"fa-navicon", "fa-o"})
    assert (before, kept) == (3, 2)
    assert points == {0xF0C9, ord("O")}
    assert ".fa-bars:before,.fa-navicon:before" in pruned and "fa-sun" not in pruned
    assert ".fa-solid{font-weight:900}" in pruned


def test_font_subset_keeps_the_glyphs_asked_for() -> None:
    [source] = list(THEME_STATIC.rglob("fa-solid-900.woff2"))
    original = source.read_bytes()
    subset = icons.subset_woff2(original, {0xF0C9, 0xF185})
    assert len(subset) < len(original) / 10
    cmap = TTFont(io.BytesIO(subset)).getBestCmap()
    assert {0xF0C9, 0xF185} <= set(cmap)
    assert 0xF002 not in cmap


def test_built_site_keeps_every_icon_it_shows(site_dir: Path) -> None:
    """Each icon class a page uses still has its CSS rule, and the font still has its glyph."""
    css = (site_dir / "_static" / "styles" / "pydata-sphinx-theme.css").read_text()
    used = set()
    for page in site_dir.rglob("*.html"):
        used |= set(icons.ICON_CLASS.findall(page.read_text(encoding="utf-8")))
    original_css = next(THEME_STATIC.rglob("pydata-sphinx-theme.css")).read_text()
    _, wanted, _, _ = icons.prune_icon_rules(original_css, used)
    assert len(wanted) >= 10, "the site shows at least the theme's navigation icons"
    _, still_there, _, _ = icons.prune_icon_rules(css, used)
    assert still_there == wanted, "an icon the site uses lost its CSS rule"
    font = site_dir / "_static" / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2"
    cmap = TTFont(io.BytesIO(font.read_bytes())).getBestCmap()
    assert wanted <= set(cmap) | set(range(0x20, 0x7F)), "an icon the site uses lost its glyph"
    assert font.stat().st_size < 20_000


def test_built_site_css_is_purged_but_keeps_what_pages_use(site_dir: Path) -> None:
    css = (site_dir / "_static" / "styles" / "pydata-sphinx-theme.css").read_text()
    assert len(css) < 200_000, "the theme stylesheet was not purged"
    for selector in (".bd-sidebar-primary", ".bd-header", ".dropdown-menu", ".show",
                     ".search-button-field", ".admonition"):
        assert selector in css, selector


def test_purging_a_purged_stylesheet_changes_no_byte() -> None:
    """Sphinx copies some stylesheets again on a rebuild and keeps others: either way the
    purged file must come out the same, or browsers would download it again."""
    css = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
           / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    vocabulary = css_purge.Vocabulary(frozenset({"bd-main", "navbar", "btn", "active"}), ())
    once = css_purge.purge_css(css, vocabulary)
    assert len(once) < len(css) / 2
    assert css_purge.purge_css(once, vocabulary) == once


def test_memo_computes_once_per_input_and_forgets_what_a_build_did_not_use(tmp_path) -> None:
    from minilat.site.memo import Memo

    calls: list[bytes] = []

    def upper(data: bytes) -> bytes:
        calls.append(data)
        return data.upper()

    memo = Memo(tmp_path / "memo")
    assert memo.get("css", [b"a", b"v1"], lambda: upper(b"a")) == b"A"
    assert memo.get("css", [b"b", b"v1"], lambda: upper(b"b")) == b"B"
    again = Memo(tmp_path / "memo")  # the next build
    assert again.get("css", [b"a", b"v1"], lambda: upper(b"a")) == b"A"
    assert calls == [b"a", b"b"], "an unchanged input must not be computed twice"
    assert again.get("css", [b"a", b"v2"], lambda: upper(b"a")) == b"A"
    assert calls == [b"a", b"b", b"a"], "a changed part of the key must compute again"
    again.forget_unused()
    assert len(list((tmp_path / "memo").iterdir())) == 2


def test_font_subset_is_byte_for_byte_repeatable() -> None:
    font = next((Path(pydata_sphinx_theme.__file__).parent / "theme").rglob("fa-solid-900.woff2"))
    data = font.read_bytes()
    points = {0xF015, 0xF002}
    assert icons.subset_woff2(data, points) == icons.subset_woff2(data, points)
