"""Text that came from a notebook, shown as the notebook's and never as the grader's.

A row's ``reason`` and the feedback files speak with the grader's voice. Text the submission's
code produced (an exception's message, its type's name) is only ever quoted after the grader's
own words: capped, on one line, with control characters, line breaks and invisible formatting
characters written as escapes, so it cannot add lines to a feedback file or a CSV, nor pass for
the grader's words.
"""

from __future__ import annotations

import unicodedata

from grader.values import type_name

QUOTED_CHARS = 200
ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\"}
# Control, format (bidirectional overrides, zero-width), surrogate, private, unassigned, and
# line or paragraph separators: none of them prints as itself.
INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _visible_char(char: str) -> str:
    if char in ESCAPES:
        return ESCAPES[char]
    if unicodedata.category(char) in INVISIBLE:
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else (
            f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return char


def visible(text: str, limit: int = QUOTED_CHARS) -> str:
    """``text`` cut to ``limit`` characters (then "…") on one line, every character that does
    not print as itself written as an escape."""
    cut = "".join(_visible_char(char) for char in text[:limit])
    return cut + ("…" if len(text) > limit else "")


def quoted(text: str, limit: int = QUOTED_CHARS) -> str:
    """``text`` as a quotation: ``"…"`` around :func:`visible` text (quotes inside escaped)."""
    return f'"{visible(text, limit)}"'


def cell_error(error: str) -> str:
    """A cell's error as the child reports it (``"TypeName: message"``, the notebook's text)
    in the grader's words: ``ValueError (the notebook's message: "…")``. A type name that is
    not a plain identifier is not repeated as one."""
    name, separator, message = error.partition(": ")
    if separator and type_name(name):
        return name + (f" (the notebook's message: {quoted(message)})" if message else "")
    return f"an exception (the notebook's text: {quoted(error)})"
