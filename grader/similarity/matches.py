"""Where two documents match: which cells and lines, which words of which answers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from grader.similarity.fingerprints import Document

MAX_CELL_PAIRS = 4  # cell pairs shown per pair of notebooks


@dataclass
class CellMatch:
    cell_a: int
    cell_b: int
    shared: int  # fingerprints the two cells share
    lines_a: set[int] = field(default_factory=set)
    lines_b: set[int] = field(default_factory=set)


def cell_matches(a: Document, b: Document, ignored: set[int] = frozenset()) -> list[CellMatch]:
    """The pairs of cells of ``a`` and ``b`` that share fingerprints, most shared first, with
    the lines of each that the shared fingerprints cover."""
    found: dict[tuple[int, int], CellMatch] = {}
    counts: Counter = Counter()
    for key in a.code.keys() & b.code.keys():
        if key in ignored:
            continue
        for span_a in a.code[key]:
            for span_b in b.code[key]:
                match = found.setdefault((span_a.cell, span_b.cell),
                                         CellMatch(span_a.cell, span_b.cell, 0))
                match.lines_a.update(range(span_a.first_line, span_a.last_line + 1))
                match.lines_b.update(range(span_b.first_line, span_b.last_line + 1))
                counts[span_a.cell, span_b.cell] += 1
    for cells, count in counts.items():
        found[cells].shared = count
    ranked = sorted(found.values(), key=lambda m: (-m.shared, m.cell_a, m.cell_b))
    return ranked[:MAX_CELL_PAIRS]


def matched_cells(a: Document, b: Document, ignored: set[int] = frozenset()) -> str:
    """:func:`describe` of the cells that share fingerprints, without their lines (quick
    enough for every row of the CSV)."""
    counts: Counter = Counter()
    small, large = (a, b) if len(a.code) <= len(b.code) else (b, a)
    for key in small.code:
        if key in large.code and key not in ignored:
            for cell_small in {span.cell for span in small.code[key]}:
                for cell_large in {span.cell for span in large.code[key]}:
                    counts[cell_small, cell_large] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:MAX_CELL_PAIRS]
    swap = small is not a
    return "; ".join(f"{a.cell_labels[y if swap else x]} ~ {b.cell_labels[x if swap else y]}"
                     for (x, y), _ in ranked)


def text_spans(a: Document, b: Document, question: str,
               ignored: set[tuple[str, int]] = frozenset()) -> tuple[list[tuple[int, int]],
                                                                      list[tuple[int, int]]]:
    """The character ranges of ``a``'s and ``b``'s answers to ``question`` made of shared
    word shingles."""
    held_a, held_b = a.text.get(question, {}), b.text.get(question, {})
    spans_a: list[tuple[int, int]] = []
    spans_b: list[tuple[int, int]] = []
    for key in held_a.keys() & held_b.keys():
        if (question, key) in ignored:
            continue
        spans_a += [(s.start, s.end) for s in held_a[key]]
        spans_b += [(s.start, s.end) for s in held_b[key]]
    return spans_a, spans_b


def describe(a: Document, b: Document, cells: list[CellMatch], question: str) -> str:
    """Which cells and answers match, in words: ``cell 5 ~ cell 7; answer q5``."""
    parts = [f"{a.cell_labels[m.cell_a]} ~ {b.cell_labels[m.cell_b]}" for m in cells]
    if question:
        parts.append(f"answer {question}")
    return "; ".join(parts)
