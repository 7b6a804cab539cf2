"""Turn code and prose into the units that are compared.

Code becomes a list of tokens with Python's own tokenizer: every identifier becomes ``V``,
every number ``0``, every string ``S``; keywords and operators stay; comments, blank lines and
layout are dropped. Renaming variables, changing literals or comments, or reflowing lines
therefore changes nothing. Prose becomes its lower-cased words.
"""

from __future__ import annotations

import io
import keyword
import re
import tokenize
from dataclasses import dataclass

NAME, NUMBER, STRING = "V", "0", "S"
SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
           tokenize.ENCODING, tokenize.ENDMARKER}
# For code the tokenizer rejects (a half-written line, an unclosed bracket): the same classes.
FALLBACK_TOKEN = re.compile(
    r"""(?P<string>"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)|(?P<number>\d[\w.]*)"""
    r"""|(?P<name>[^\W\d]\w*)|(?P<comment>\#.*)|(?P<op>\S)"""
)
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Token:
    text: str  # the normalised token
    line: int  # 1-based line of the cell it starts on


def _without_magics(source: str) -> str:
    """IPython ``%magic`` and ``!shell`` lines blanked (kept as lines, so numbers still match)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines()) + "\n"


def _name(text: str) -> str:
    return text if keyword.iskeyword(text) else NAME


def _tokenized(source: str) -> list[Token]:
    tokens = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in SKIPPED:
            continue
        if tok.type == tokenize.NAME:
            text = _name(tok.string)
        elif tok.type == tokenize.NUMBER:
            text = NUMBER
        elif tok.type == tokenize.STRING:
            text = STRING
        else:
            text = tok.string.strip()
            if not text:
                continue
        tokens.append(Token(text, tok.start[0]))
    return tokens


def _fallback(source: str) -> list[Token]:
    tokens = []
    for number, line in enumerate(source.splitlines(), start=1):
        for match in FALLBACK_TOKEN.finditer(line):
            kind = match.lastgroup
            if kind == "comment":
                break
            text = {"string": STRING, "number": NUMBER}.get(kind or "", "")
            text = text or (_name(match.group()) if kind == "name" else match.group())
            tokens.append(Token(text, number))
    return tokens


def code_tokens(source: str) -> list[Token]:
    """The normalised tokens of one code cell, each with its line."""
    text = _without_magics(source)
    try:
        return _tokenized(text)
    except (tokenize.TokenError, SyntaxError):  # IndentationError is a SyntaxError
        return _fallback(text)


def words(text: str) -> list[tuple[str, int, int]]:
    """The lower-cased words of a text, each with its start and end offset in ``text``."""
    return [(m.group().lower(), m.start(), m.end()) for m in WORD.finditer(text)]
