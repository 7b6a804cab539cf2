"""Fingerprints: hashed k-grams of a submission's normalised code and written answers.

Every run of ``CODE_K`` consecutive normalised tokens of a code cell, and every run of
``TEXT_K`` consecutive words of a written answer, is hashed. Two documents are compared by
how many hashes they share; each hash remembers where it came from, so that the report can
highlight the matching lines and words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.similarity.normalise import code_tokens, words

CODE_K = 10  # tokens: ``V = V ( V [ S ] == S )`` is ten
TEXT_K = 5  # words


@dataclass(frozen=True)
class CodeSpan:
    cell: int  # the cell's number in its notebook (1-based), or a solution's position
    first_line: int
    last_line: int


@dataclass(frozen=True)
class WordSpan:
    question: str
    start: int  # character offsets in the answer
    end: int


@dataclass
class Document:
    """What is compared of one submission (or of the worked solutions)."""

    name: str
    cells: dict[int, str] = field(default_factory=dict)  # cell number -> source
    cell_labels: dict[int, str] = field(default_factory=dict)  # cell number -> "cell 7"
    code: dict[int, list[CodeSpan]] = field(default_factory=dict)  # hash -> where
    answers: dict[str, str] = field(default_factory=dict)  # question id -> text
    text: dict[str, dict[int, list[WordSpan]]] = field(default_factory=dict)  # qid -> hash -> where


def normalised_key(source: str) -> tuple[str, ...]:
    """A code cell as its normalised tokens: equal for cells that differ only in names,
    literals, comments or layout."""
    return tuple(token.text for token in code_tokens(source))


def code_fingerprints(source: str, cell: int) -> dict[int, list[CodeSpan]]:
    tokens = code_tokens(source)
    found: dict[int, list[CodeSpan]] = {}
    for start in range(len(tokens) - CODE_K + 1):
        gram = tokens[start:start + CODE_K]
        key = hash(" ".join(token.text for token in gram))
        found.setdefault(key, []).append(CodeSpan(cell, gram[0].line, gram[-1].line))
    return found


def text_fingerprints(text: str, question: str) -> dict[int, list[WordSpan]]:
    found: dict[int, list[WordSpan]] = {}
    listed = words(text)
    for start in range(len(listed) - TEXT_K + 1):
        gram = listed[start:start + TEXT_K]
        key = hash(" ".join(word for word, _, _ in gram))
        found.setdefault(key, []).append(WordSpan(question, gram[0][1], gram[-1][2]))
    return found


def build_document(name: str, code_cells: list[tuple[int, str, str]], answers: dict[str, str],
                   template: set[tuple[str, ...]], template_hashes: set[int]) -> Document:
    """A document from ``(cell number, label, source)`` code cells and written answers.
    Cells whose normalised tokens equal a template cell's (the released blank notebook, the
    set's setup) are left out, and so is every hash the template itself contains: the shared
    starting point does not make two students alike."""
    document = Document(name)
    for number, label, source in code_cells:
        if normalised_key(source) in template:
            continue
        found = code_fingerprints(source, number)
        kept = False
        for key, spans in found.items():
            if key not in template_hashes:
                document.code.setdefault(key, []).extend(spans)
                kept = True
        if kept:
            document.cells[number] = source
            document.cell_labels[number] = label
    for question, text in answers.items():
        if text.strip():
            document.answers[question] = text
            document.text[question] = text_fingerprints(text, question)
    return document
