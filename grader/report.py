"""``course report gradebook.csv --out report.html``: an offline HTML report for the instructor.

Score distribution, status counts and per-question difficulty (share of points earned), drawn
with Altair. Vega, Vega-Lite and vega-embed are inlined from ``vl_convert.javascript_bundle()``,
so the file opens with no network at all.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import altair as alt
import pandas as pd

from grader.batch import BASE_COLUMNS
from grader.spreadsheet import read_csv


def _vega_bundle() -> str:
    import vl_convert

    minor = ".".join(alt.SCHEMA_VERSION.split(".")[:2])
    try:
        bundle = vl_convert.javascript_bundle(vl_version=minor)
    except ValueError:
        bundle = vl_convert.javascript_bundle()
    return bundle.replace("</script", "<\\/script")


def load_gradebook(path: Path) -> pd.DataFrame:
    """The gradebook as text columns (score and max_score as numbers), each cell as the grader
    was given it: a name or reason escaped against spreadsheet formulas reads back unescaped."""
    header, rows = read_csv(path)
    for number, row in enumerate(rows, start=2):
        if len(row) > len(header):
            raise ValueError(f"{path}, row {number}: {len(row)} cells, the header has "
                             f"{len(header)}")
    frame = pd.DataFrame([row + [""] * (len(header) - len(row)) for row in rows],
                         columns=header, dtype=str)
    missing = [c for c in BASE_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: not a course gradebook (missing columns {missing})")
    for column in ("score", "max_score"):
        try:
            frame[column] = frame[column].astype(float)
        except ValueError as err:
            raise ValueError(f"{path}, column {column}: {err}") from err
    return frame


def question_difficulty(frame: pd.DataFrame, maxima: dict[str, float] | None) -> pd.DataFrame:
    """Mean share of points earned per auto-graded question (graded submissions only)."""
    questions = [c for c in frame.columns if c not in BASE_COLUMNS]
    graded = frame[frame["status"] == "graded"]
    rows = []
    for question in questions:
        points = pd.to_numeric(graded[question], errors="coerce")
        if points.isna().all():
            continue  # a written question ("manual")
        top = (maxima or {}).get(question) or points.max()
        share = float(points.mean() / top) if top else 0.0
        rows.append({"question": question, "mean_points": float(points.mean()),
                     "max_points": float(top), "share_earned": round(share, 3)})
    return pd.DataFrame(rows, columns=["question", "mean_points", "max_points", "share_earned"])


def charts(frame: pd.DataFrame, maxima: dict[str, float] | None) -> dict[str, alt.TopLevelMixin]:
    scores = frame.assign(percent=100 * frame["score"] / frame["max_score"].where(
        frame["max_score"] > 0))
    distribution = alt.Chart(scores).mark_bar().encode(
        x=alt.X("percent:Q", bin=alt.Bin(step=10, extent=[0, 100]), title="score (%)"),
        y=alt.Y("count():Q", title="students"),
        color=alt.Color("status:N", title="status"),
        tooltip=["status:N", "count():Q"],
    ).properties(title="Score distribution", width=420, height=220)
    statuses = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("status:N", title=None), x=alt.X("count():Q", title="submissions"),
        tooltip=["status:N", "count():Q"],
    ).properties(title="Status", width=420, height=120)
    difficulty = alt.Chart(question_difficulty(frame, maxima)).mark_bar().encode(
        x=alt.X("question:N", sort=None, title="question"),
        y=alt.Y("share_earned:Q", title="share of points earned",
                scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        tooltip=["question:N", "mean_points:Q", "max_points:Q",
                 alt.Tooltip("share_earned:Q", format=".0%")],
    ).properties(title="Per-question difficulty (graded submissions)", width=420, height=220)
    return {"distribution": distribution, "status": statuses, "difficulty": difficulty}


def write_report(gradebook: Path, out: Path, bundle: Path | None = None) -> Path:
    frame = load_gradebook(gradebook)
    maxima = None
    if bundle is not None:
        from grader.bundle import load_bundle

        maxima = {q["id"]: q["points"] for q in load_bundle(bundle).questions}
    specs = {name: chart.to_dict() for name, chart in charts(frame, maxima).items()}
    graded = frame[frame["status"] == "graded"]
    summary = (
        f"{len(frame)} submissions · {len(graded)} graded · "
        f"median score {graded['score'].median() if len(graded) else float('nan'):g} of "
        f"{frame['max_score'].max() if len(frame) else 0:g}"
    )
    problems = frame[frame["status"] != "graded"][["student", "status", "reason"]]
    rows = "".join(
        f"<tr><td>{html.escape(r.student)}</td><td>{html.escape(r.status)}</td>"
        f"<td>{html.escape(r.reason)}</td></tr>" for r in problems.itertuples()
    ) or "<tr><td colspan='3'>none</td></tr>"
    specs_json = json.dumps(specs).replace("</", "<\\/")
    views = "".join(f'<div id="{name}" class="chart"></div>' for name in specs)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Grading report: {html.escape(gradebook.name)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
.chart{{margin:1.5rem 0}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;
padding:.3rem .6rem;text-align:left}}</style>
<script>{_vega_bundle()}</script>
</head><body>
<h1>Grading report</h1>
<p>{html.escape(str(gradebook))}: {html.escape(summary)}</p>
{views}
<h2>Submissions not graded</h2>
<table><tr><th>student</th><th>status</th><th>reason</th></tr>{rows}</table>
<script>
const specs = {specs_json};
for (const [id, spec] of Object.entries(specs)) {{
  vegaEmbed("#" + id, spec, {{actions: false}}).catch(err => {{
    document.getElementById(id).textContent = "chart failed: " + err;
  }});
}}
</script>
</body></html>
"""
    out.write_text(page, encoding="utf-8")
    return out
