"""The similarity report: ``similarity.csv`` and an offline ``similarity.html``."""

from __future__ import annotations

import html
from pathlib import Path

from grader.similarity.compare import SOLUTIONS, Comparison
from grader.similarity.fingerprints import Document
from grader.similarity.matches import (
    CellMatch,
    cell_matches,
    describe,
    matched_cells,
    text_spans,
)
from grader.spreadsheet import TEXT_ERRORS, write_csv

CSV_COLUMNS = ["kind", "student_a", "student_b", "score", "code_score", "text_score",
               "solution_score", "matches"]
CSV_FLOOR = 0.2  # pairs scoring less are not listed in the CSV
CSV_PAIRS_PER_STUDENT = 10  # at most this many pair rows per submission, the most similar
FLAG_AT = 0.5  # scores from here on are marked in the HTML report
BINS = 20
NOTICE = ("These scores are a signal for a human reader, not a verdict. Similar work has "
          "innocent causes: the question's obvious answer, a hint that spells it out, "
          "students who studied together as allowed. Read the passages before concluding "
          "anything, and talk to the students.")
STYLE = """body{font-family:system-ui,sans-serif;max-width:75rem;margin:2rem auto;padding:0 1rem}
.notice{border:2px solid #b35c00;background:#fff4e5;padding:.8rem 1rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}
.pair{border-top:2px solid #444;margin-top:2rem}.side{display:grid;grid-template-columns:1fr 1fr;
gap:1rem}pre{background:#f6f6f6;padding:.5rem;overflow-x:auto;white-space:pre-wrap}
mark{background:#ffd54f}.flag{color:#a00;font-weight:bold}svg text{font-size:11px}"""


def _pair_rows(comparison: Comparison) -> list[list]:
    rows = []
    docs = comparison.documents
    for pair in comparison.pairs[:CSV_PAIRS_PER_STUDENT * len(docs)]:
        if pair.score < CSV_FLOOR:
            break
        a, b = docs[pair.a], docs[pair.b]
        solution = [s for s in (comparison.solution_score(pair.a),
                                comparison.solution_score(pair.b)) if s is not None]
        matches = matched_cells(a, b, comparison.common_code)
        if pair.text_question:
            matches += ("; " if matches else "") + f"answer {pair.text_question}"
        rows.append(["pair", a.name, b.name, pair.score, pair.code, pair.text,
                     max(solution) if solution else "", matches])
    return rows


def _solution_rows(comparison: Comparison) -> list[list]:
    rows = []
    if comparison.solutions is None or comparison.solution_document is None:
        return rows
    reference = comparison.solution_document
    for entry in comparison.solutions:
        document = comparison.documents[entry.student]
        cells = cell_matches(document, reference)
        rows.append(["solution", document.name, SOLUTIONS, entry.score, entry.code, entry.text,
                     entry.score, describe(document, reference, cells, entry.text_question)])
    return rows


def write_similarity_csv(comparison: Comparison, path: Path) -> None:
    """One row per pair scoring at least CSV_FLOOR (the most similar ten per submission at
    most; ``kind`` pair; ``solution_score`` the
    higher of the two students' scores against the worked solutions), then one row per
    student against the worked solutions (``kind`` solution), each with the matching cells."""
    write_csv(path, CSV_COLUMNS, _pair_rows(comparison) + _solution_rows(comparison))


def _histogram(values: list[float], title: str) -> str:
    """An inline SVG bar chart of ``values`` (0 to 1) in BINS bins."""
    counts = [0] * BINS
    for value in values:
        counts[min(BINS - 1, int(value * BINS))] += 1
    width, height, bar = 520, 160, 24
    top = max(counts) or 1
    bars = []
    for index, count in enumerate(counts):
        tall = round(count / top * (height - 40))
        x, y = 10 + index * (bar + 1), height - 20 - tall
        colour = "#c0392b" if index / BINS >= FLAG_AT else "#4a78a8"
        bars.append(f'<rect x="{x}" y="{y}" width="{bar}" height="{tall}" fill="{colour}">'
                    f"<title>{index / BINS:.2f}–{(index + 1) / BINS:.2f}: {count}</title></rect>")
        if count:
            bars.append(f'<text x="{x + 2}" y="{y - 3}">{count}</text>')
    axis = "".join(f'<text x="{10 + i * (bar + 1) * BINS // 4}" y="{height - 5}">{i / 4:.2f}</text>'
                   for i in range(5))
    return (f"<figure><svg width='{width}' height='{height}' "
            f"role='img' aria-label='{html.escape(title)}'>{''.join(bars)}{axis}</svg>"
            f"<figcaption>{html.escape(title)}</figcaption></figure>")


def _marked_lines(source: str, lines: set[int]) -> str:
    shown = []
    for number, line in enumerate(source.splitlines(), start=1):
        text = html.escape(line)
        shown.append(f"<mark>{text}</mark>" if number in lines else text)
    return "<pre>" + "\n".join(shown) + "</pre>"


def _marked_text(text: str, spans: list[tuple[int, int]]) -> str:
    covered = [False] * len(text)
    for start, end in spans:
        covered[start:end] = [True] * (end - start)
    out, position = [], 0
    while position < len(text):
        end = position
        while end < len(text) and covered[end] == covered[position]:
            end += 1
        piece = html.escape(text[position:end])
        out.append(f"<mark>{piece}</mark>" if covered[position] else piece)
        position = end
    return "<pre>" + "".join(out) + "</pre>"


def _side_by_side(a: Document, b: Document, cells: list[CellMatch], question: str,
                  comparison: Comparison, ignore_common: bool) -> str:
    parts = []
    for match in cells:
        parts.append(
            f"<h4>{html.escape(a.cell_labels[match.cell_a])} ~ "
            f"{html.escape(b.cell_labels[match.cell_b])} ({match.shared} shared fingerprints)"
            f"</h4><div class='side'><div>{_marked_lines(a.cells[match.cell_a], match.lines_a)}"
            f"</div><div>{_marked_lines(b.cells[match.cell_b], match.lines_b)}</div></div>")
    if question:
        ignored = comparison.common_text if ignore_common else set()
        spans_a, spans_b = text_spans(a, b, question, ignored)
        parts.append(f"<h4>written answer {html.escape(question)}</h4><div class='side'>"
                     f"<div>{_marked_text(a.answers[question], spans_a)}</div>"
                     f"<div>{_marked_text(b.answers[question], spans_b)}</div></div>")
    return "".join(parts)


def _score(value: float) -> str:
    text = f"{value:.2f}"
    return f"<span class='flag'>{text}</span>" if value >= FLAG_AT else text


def _pairs_section(comparison: Comparison, top: int) -> str:
    docs = comparison.documents
    blocks = []
    for rank, pair in enumerate(comparison.pairs[:top], start=1):
        a, b = docs[pair.a], docs[pair.b]
        cells = cell_matches(a, b, comparison.common_code)
        solution = [s for s in (comparison.solution_score(pair.a),
                                comparison.solution_score(pair.b)) if s is not None]
        against = (f"; against the worked solutions {_score(max(solution))}" if solution else "")
        blocks.append(
            f"<section class='pair'><h3>{rank}. {html.escape(a.name)} and {html.escape(b.name)}"
            f"</h3><p>score {_score(pair.score)} (code {pair.code:.2f}, written "
            f"{pair.text:.2f}){against}</p>"
            f"{_side_by_side(a, b, cells, pair.text_question, comparison, True)}</section>")
    return "".join(blocks) or "<p>No two submissions share enough to be compared.</p>"


def _solutions_section(comparison: Comparison, top: int) -> str:
    if comparison.solutions is None or comparison.solution_document is None:
        return ("<p>Not compared with the worked solutions (give the exercise source with "
                "<code>--solutions</code>).</p>")
    reference = comparison.solution_document
    blocks = []
    for entry in comparison.solutions[:top]:
        if entry.score <= 0:
            break
        document = comparison.documents[entry.student]
        cells = cell_matches(document, reference)
        blocks.append(
            f"<section class='pair'><h3>{html.escape(document.name)}</h3><p>score "
            f"{_score(entry.score)} (code {entry.code:.2f}, written {entry.text:.2f})</p>"
            f"{_side_by_side(document, reference, cells, entry.text_question, comparison, False)}"
            "</section>")
    return "".join(blocks) or "<p>No submission shares anything with the worked solutions.</p>"


def _unreadable_section(comparison: Comparison) -> str:
    if not comparison.unreadable:
        return ""
    items = "".join(f"<li>{html.escape(name)}: {html.escape(why)}</li>"
                    for name, why in comparison.unreadable)
    return f"<h2>Not compared (unreadable)</h2><ul>{items}</ul>"


def write_similarity_html(comparison: Comparison, path: Path, top: int = 50) -> None:
    """The offline report: notice, distributions, the ``top`` most similar pairs side by
    side, the submissions closest to the worked solutions, and the unreadable files."""
    best = comparison.best_pair_scores()
    figures = _histogram(best, "each submission's highest score against any classmate")
    if comparison.solutions is not None:
        figures += _histogram([s.score for s in comparison.solutions],
                              "each submission's score against the worked solutions")
    count = len(comparison.documents)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Similarity report</title>
<style>{STYLE}</style></head><body>
<h1>Similarity report</h1>
<p class="notice"><strong>{html.escape(NOTICE)}</strong></p>
<p>{count} submissions compared, {len(comparison.unreadable)} unreadable. Code is compared after
names, literals and comments are abstracted away; written answers as runs of five words. A score
is between 0 (nothing in common) and 1 (the same); {FLAG_AT:.2f} and above is marked.
Steps shared by more than a fifth of the class are ignored as the obvious way to write them.</p>
<h2>Distribution</h2>{figures}
<h2>The {min(top, len(comparison.pairs))} most similar pairs</h2>{_pairs_section(comparison, top)}
<h2>Closest to the worked solutions</h2>{_solutions_section(comparison, top)}
{_unreadable_section(comparison)}
</body></html>
"""
    path.write_text(page, encoding="utf-8", errors=TEXT_ERRORS)
