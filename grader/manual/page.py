"""The page a grader reads beside a sheet: the question, its rubric and every answer, in the
sheet's order. One self-contained HTML file (inline style, no script, nothing fetched); every
text — above all the students' — is HTML-escaped, so an answer shows as the student typed it."""

from __future__ import annotations

from html import escape

from grader.manual.rubric import Rubric

STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table.rubric { border-collapse: collapse; width: 100%; }
table.rubric td, table.rubric th { border: 1px solid #bbb; padding: .3rem .5rem;
                                   vertical-align: top; text-align: left; }
.levels { margin: 0; padding-left: 1.2rem; }
.answer { border: 1px solid #ccc; border-radius: 4px; padding: .75rem 1rem; margin: 1rem 0;
          page-break-inside: avoid; }
.answer h2 { margin: 0 0 .5rem; font-family: ui-monospace, monospace; }
.answer pre { white-space: pre-wrap; word-wrap: break-word; font: inherit; margin: 0; }
.empty { color: #777; font-style: italic; }
.intro { white-space: pre-wrap; }
"""


def _rubric_table(rubric: Rubric) -> str:
    rows = []
    for criterion in rubric.criteria:
        if criterion.levels:
            levels = "".join(
                f"<li><b>{level:g}</b> ({criterion.points_for(level):g} points): "
                f"{escape(text)}</li>" for level, text in sorted(criterion.levels.items()))
            described = f'<ul class="levels">{levels}</ul>'
        else:
            described = f"a level from 0 to {criterion.max_level:g} (the points it earns)"
        rows.append(f"<tr><th>{escape(criterion.column)}</th><td>{escape(criterion.text)}</td>"
                    f"<td>{criterion.points:g}</td><td>{described}</td></tr>")
    return ('<table class="rubric"><tr><th>column</th><th>criterion</th><th>points</th>'
            f"<th>levels</th></tr>{''.join(rows)}</table>")


def grading_page(title: str, rubric: Rubric, sheet_name: str,
                 answers: list[tuple[str, str]]) -> str:
    """The page for one sheet: ``answers`` are (label, answer text) in the sheet's order; the
    label is the pseudonym (with the name when names are revealed)."""
    blocks = []
    for label, text in answers:
        body = (f"<pre>{escape(text)}</pre>" if text.strip()
                else '<p class="empty">(no answer)</p>')
        blocks.append(f'<section class="answer"><h2>{escape(label)}</h2>{body}</section>')
    intro = f'<p class="intro">{escape(rubric.introduction)}</p>' if rubric.introduction else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">"
        f"<title>{escape(rubric.question)}: {escape(title)}</title><style>{STYLE}</style>"
        "</head><body>"
        f"<h1>{escape(title)}: question {escape(rubric.question)} "
        f"({rubric.points:g} points)</h1>{intro}"
        f"<h2>Rubric</h2>{_rubric_table(rubric)}"
        f"<p>Enter a level for every criterion of an answer, and a comment for the student if "
        f"you wish, in <code>{escape(sheet_name)}</code>, on the row of the answer's "
        f"pseudonym. {len(answers)} answers.</p>"
        f"{''.join(blocks)}</body></html>\n")
