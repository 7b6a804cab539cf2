"""Drop stylesheet rules that can match nothing on the built site.

The theme's stylesheet (Bootstrap plus the PyData theme, ~310 KB) styles many components the
course never shows. Every page downloads it, and the browser matches every rule against every
element before the first paint: on a 2-core machine that style pass alone took ~130 ms per
chapter page, delaying the charts. This module removes, after the build, each selector that
requires a class or id which occurs nowhere in the site's HTML or JavaScript, and each rule
left with no selector.

Conservative by construction:
- a class or id counts as used if it appears as a word anywhere in any built page or script
  (so classes scripts add at run time are kept), or if a word ending in "-" or "_" that scripts
  may complete at run time is a prefix of it;
- only classes and ids at the top level of a selector count: `.a:not(.b)` needs `a`, not `b`;
- element, attribute and pseudo-class selectors are never judged; at-rules other than
  @media/@supports/@layer/@container are kept whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import tinycss2
from tinycss2 import ast

from minilat.site.memo import Memo

WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
GROUPING_AT_RULES = {"media", "supports", "layer", "container"}


@dataclass(frozen=True)
class Vocabulary:
    """The words of the built site: what a selector's classes and ids may be."""

    words: frozenset[str]
    prefixes: tuple[str, ...]

    def has(self, name: str) -> bool:
        return name in self.words or name.startswith(self.prefixes)


def site_vocabulary(site_dir: Path) -> Vocabulary:
    words: set[str] = set()
    for pattern in ("*.html", "*.js"):
        for path in site_dir.rglob(pattern):
            words.update(WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    prefixes = tuple(sorted(w for w in words if len(w) > 3 and w.endswith(("-", "_"))))
    return Vocabulary(frozenset(words), prefixes)


def _split_selectors(prelude: list[ast.Node]) -> list[list[ast.Node]]:
    selectors: list[list[ast.Node]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def _required_names(selector: list[ast.Node]) -> list[str]:
    """Classes and ids named at the top level of one selector."""
    names = []
    for index, token in enumerate(selector):
        if token.type == "hash" and token.is_identifier:
            names.append(token.value)
        elif token.type == "literal" and token.value == "." and index + 1 < len(selector):
            following = selector[index + 1]
            if following.type == "ident":
                names.append(following.value)
    return names


def _trimmed(selector: list[ast.Node]) -> list[ast.Node]:
    start, end = 0, len(selector)
    while start < end and selector[start].type == "whitespace":
        start += 1
    while end > start and selector[end - 1].type == "whitespace":
        end -= 1
    return selector[start:end]


def _purge_rules(rules: list[ast.Node], vocabulary: Vocabulary) -> list[ast.Node]:
    kept: list[ast.Node] = []
    for rule in rules:
        if rule.type == "qualified-rule":
            live = [s for s in _split_selectors(rule.prelude)
                    if all(vocabulary.has(name) for name in _required_names(s))]
            if not live:
                continue
            # Selectors trimmed and joined the same way each time: purging a purged sheet
            # gives the same bytes (a rebuild must not change files browsers have cached).
            prelude: list[ast.Node] = []
            for number, selector in enumerate(live):
                if number:
                    prelude += [ast.LiteralToken(0, 0, ","), ast.WhitespaceToken(0, 0, " ")]
                prelude.extend(_trimmed(selector))
            rule.prelude = prelude
        elif rule.type == "at-rule" and rule.lower_at_keyword in GROUPING_AT_RULES \
                and rule.content is not None:
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                             skip_whitespace=True)
            inner = _purge_rules(inner, vocabulary)
            if not inner:
                continue
            rule.content = _with_newlines(inner)
        elif rule.type == "comment" and not rule.value.startswith("!"):
            continue  # keep licence comments (/*! ... */) only
        kept.append(rule)
    return kept


def _with_newlines(rules: list[ast.Node]) -> list[ast.Node]:
    out: list[ast.Node] = []
    for rule in rules:
        out.append(rule)
        out.append(ast.WhitespaceToken(0, 0, "\n"))
    return out


def purge_css(css: str, vocabulary: Vocabulary) -> str:
    rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=True)
    errors = [r for r in rules if r.type == "error"]
    if errors:
        raise ValueError(f"CSS parse error at line {errors[0].source_line}: {errors[0].message}")
    return tinycss2.serialize(_with_newlines(_purge_rules(rules, vocabulary)))


def vocabulary_digest(vocabulary: Vocabulary) -> bytes:
    return "\n".join(sorted(vocabulary.words)).encode()


def purge_site_css(site_dir: Path, relative_paths: list[str], vocabulary: Vocabulary,
                   memo: Memo | None = None) -> dict[str, tuple[int, int]]:
    """Purge the given stylesheets of a built site in place; {path: (bytes before, after)}."""
    sizes = {}
    words = vocabulary_digest(vocabulary) if memo else b""
    for relative in relative_paths:
        path = site_dir / relative
        if not path.is_file():
            continue
        before = path.read_text(encoding="utf-8")

        def purged(css: str = before, where: Path = path) -> bytes:
            try:
                return purge_css(css, vocabulary).encode("utf-8")
            except ValueError as err:
                raise ValueError(f"{where}: {err}") from err

        result = memo.get("css", [before.encode(), words], purged) if memo else purged()
        after = result.decode("utf-8")
        path.write_text(after, encoding="utf-8")
        sizes[relative] = (len(before.encode()), len(after.encode()))
    return sizes
