"""Ship only the Font Awesome icons the site uses.

The theme's stylesheet carries a rule for each of ~1,900 Font Awesome icons (86 KB) and its
webfonts every glyph (157 KB for the solid style alone), while the course shows about twenty
icons. After each build this module

1. takes the icon classes (`fa-...`) among the words of the built pages and scripts
   (`minilat.site.css_purge.site_vocabulary`),
2. removes from the theme's CSS the icon rules that name none of them,
3. subsets the webfonts (WOFF2) to the code points of the icons kept.

Icons the theme adds from JavaScript are found too: their class names are in its scripts.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from minilat.site.memo import Memo

ICON_CLASS = re.compile(r"\bfa-[a-z0-9]+(?:-[a-z0-9]+)*")
# One icon rule: `.fa-a:before,.fa-b:before{content:"\f0c9"}` (aliases share a rule).
ICON_RULE = re.compile(
    r'(?P<selectors>\.fa-[a-z0-9-]+::?(?:before|after)(?:,\.fa-[a-z0-9-]+::?(?:before|after))*)'
    r'\{content:"(?P<content>(?:\\[0-9a-fA-F]+|[^"\\])+)"\}'
)
SELECTOR_NAME = re.compile(r"\.(fa-[a-z0-9-]+)::?(?:before|after)")
WEBFONTS = ("fa-solid-900.woff2", "fa-regular-400.woff2", "fa-brands-400.woff2")


@dataclass(frozen=True)
class PruneReport:
    icons_used: int
    rules_before: int
    rules_kept: int
    css_bytes_before: int
    css_bytes_after: int
    font_bytes_before: int
    font_bytes_after: int


def icon_classes(words: frozenset[str] | set[str]) -> set[str]:
    """The Font Awesome icon classes among the words of the built site."""
    return {word for word in words if ICON_CLASS.fullmatch(word)}


def _code_points(content: str) -> list[int]:
    points = []
    for escape, char in re.findall(r"\\([0-9a-fA-F]+)|(.)", content):
        points.append(int(escape, 16) if escape else ord(char))
    return points


def prune_icon_rules(css: str, used: set[str]) -> tuple[str, set[int], int, int]:
    """(pruned CSS, code points of the icons kept, rules before, rules kept)."""
    kept_points: set[int] = set()
    counts = [0, 0]

    def keep_or_drop(match: re.Match[str]) -> str:
        counts[0] += 1
        names = SELECTOR_NAME.findall(match.group("selectors"))
        if not used.intersection(names):
            return ""
        counts[1] += 1
        kept_points.update(_code_points(match.group("content")))
        return match.group(0)

    pruned = ICON_RULE.sub(keep_or_drop, css)
    return pruned, kept_points, counts[0], counts[1]


def subset_woff2(data: bytes, code_points: set[int]) -> bytes:
    """The font with only the glyphs for `code_points` (plus .notdef)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), recalcTimestamp=False)  # same glyphs, same bytes
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep the licence and copyright names
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=sorted(code_points))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def prune_site_icons(site_dir: Path, used: set[str], memo: Memo | None = None) -> PruneReport | None:
    """Prune the theme's icon CSS and webfonts in a built site, in place, to the icon classes
    in `used`."""
    css_path = site_dir / "_static" / "styles" / "pydata-sphinx-theme.css"
    if not css_path.is_file():
        return None
    css = css_path.read_text(encoding="utf-8")
    pruned, points, before, kept = prune_icon_rules(css, used)
    if before == 0:
        raise RuntimeError(f"{css_path}: no Font Awesome icon rules found; has the theme changed?")
    css_path.write_text(pruned, encoding="utf-8")
    font_before = font_after = 0
    for font_path in (site_dir / "_static" / "vendor").rglob("*.woff2"):
        if font_path.name not in WEBFONTS:
            continue
        data = font_path.read_bytes()
        wanted = ",".join(map(str, sorted(points))).encode()
        subset = (memo.get("woff2", [data, wanted], lambda d=data: subset_woff2(d, points))
                  if memo else subset_woff2(data, points))
        font_path.write_bytes(subset)
        font_before += len(data)
        font_after += len(subset)
    return PruneReport(len(used), before, kept, len(css.encode()), len(pruned.encode()),
                       font_before, font_after)
