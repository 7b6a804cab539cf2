"""Chapter 3 explorer: code a forum on Ruggie's three criteria yourself, then compare.

Live in a notebook (ipywidgets): choose a forum, set three sliders (0 absent, 1 partial,
2 strong), press *Compare* and see the dataset's coding and its one-line rationale beside yours.
On the site, its kernel-free twin is ``minilat.figures.ch03_ruggie.coding_sheet_chart``.

    explorer(build_panel, twin=coding_sheet_chart(forums()))
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from minilat.figures.ch03_ruggie import CRITERIA, SCORE_LABELS

SLIDER_NAMES = {"ruggie_principles": "principles", "ruggie_indivisibility": "indivisibility",
                "ruggie_reciprocity": "reciprocity"}


def compare_coding(forum_row: pd.Series, principles: int, indivisibility: int,
                   reciprocity: int) -> pd.DataFrame:
    """Your scores beside the dataset's: criterion, yours, dataset, difference, why.

    ``difference`` is yours minus the dataset's (empty where the dataset has no score yet).
    """
    yours = {"ruggie_principles": principles, "ruggie_indivisibility": indivisibility,
             "ruggie_reciprocity": reciprocity}
    for column, score in yours.items():
        if isinstance(score, bool) or score not in (0, 1, 2):
            raise ValueError(f"your {SLIDER_NAMES[column]} score must be 0, 1 or 2, "
                             f"got {score!r}")
    missing = [c for c in [*CRITERIA, *(f"{c}_why" for c in CRITERIA)] if c not in forum_row]
    if missing:
        raise ValueError(f"forum row lacks column(s) {', '.join(missing)}")
    rows = []
    for column, label in CRITERIA.items():
        dataset = forum_row[column]
        coded = pd.notna(dataset)
        rows.append({
            "criterion": label,
            "yours": int(yours[column]),
            "dataset": int(dataset) if coded else None,
            "difference": int(yours[column]) - int(dataset) if coded else None,
            "why": str(forum_row[f"{column}_why"]) if coded else "(not coded yet)",
        })
    return pd.DataFrame(rows).astype({"dataset": "Int64", "difference": "Int64"})


def agreement(table: pd.DataFrame) -> str:
    """One sentence on how far a comparison table agrees."""
    coded = table.dropna(subset=["difference"])
    if coded.empty:
        return "The dataset has not coded this forum yet."
    same = int((coded["difference"] == 0).sum())
    off = int(coded["difference"].abs().sum())
    if same == len(coded):
        return f"You agree with the dataset on all {len(coded)} criteria."
    return (f"You agree on {same} of {len(coded)} criteria; your scores differ by {off} "
            f"point{'s' if off != 1 else ''} in all. Read the reasons: would you change yours, "
            "or would you argue for changing the dataset's?")


def comparison_html(forum_row: pd.Series, table: pd.DataFrame) -> str:
    """The comparison as a small HTML table (escaped) with the agreement sentence."""
    def level(score: object) -> str:
        return "—" if pd.isna(score) else f"{int(score)} {SCORE_LABELS[int(score)]}"

    body = "".join(
        f"<tr><td>{html.escape(row.criterion)}</td><td>{level(row.yours)}</td>"
        f"<td>{level(row.dataset)}</td><td>{html.escape(row.why)}</td></tr>"
        for row in table.itertuples(index=False))
    return (
        f"<p><strong>{html.escape(str(forum_row['name']))}</strong> "
        f"({html.escape(str(forum_row['kind']))})</p>"
        "<table><thead><tr><th>Criterion</th><th>You</th><th>Dataset</th><th>Why (dataset)</th>"
        f"</tr></thead><tbody>{body}</tbody></table><p>{html.escape(agreement(table))}</p>"
    )


def build_panel(forums: pd.DataFrame | None = None, start: str = "g20") -> widgets.VBox:
    """The live explorer: a forum dropdown, three 0–2 sliders, a Compare button, the result."""
    if forums is None:
        from minilat.dataset import forums as load_forums

        forums = load_forums()
    table = forums.set_index("forum_id", drop=False)
    if start not in table.index:
        raise ValueError(f"start forum {start!r} is not a forum_id of the forums table")
    ordered = table.sort_values("name", key=lambda s: s.str.casefold())
    choose = widgets.Dropdown(options=list(zip(ordered["name"], ordered["forum_id"], strict=True)),
                              value=start, description="Forum",
                              layout=widgets.Layout(width="520px"))
    sliders = {column: widgets.IntSlider(value=1, min=0, max=2, step=1, description=label,
                                         style={"description_width": "170px"},
                                         layout=widgets.Layout(width="420px"))
               for column, label in CRITERIA.items()}
    compare = widgets.Button(description="Compare with the dataset", button_style="primary",
                             layout=widgets.Layout(width="220px"))
    result = widgets.HTML(value="<p>Set your three scores, then press <em>Compare</em>.</p>")

    def show(_: object = None) -> None:
        row = table.loc[choose.value]
        scores = [slider.value for slider in sliders.values()]
        result.value = comparison_html(row, compare_coding(row, *scores))

    def hide(_: object = None) -> None:
        result.value = "<p>Set your three scores, then press <em>Compare</em>.</p>"

    compare.on_click(show)
    choose.observe(hide, names="value")
    return widgets.VBox([choose, *sliders.values(), compare, result])
