"""Chapter 3 figures: the dataset's coding of Ruggie's three criteria, and the reciprocity model.

Every builder takes tables (the dataset's ``forums`` table, or the output of
``minilat.models.reciprocity``) and returns an Altair chart with a title, a text description
computed from the data, axis titles with units, and controls that work without a kernel.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from minilat.charts import KIND_COLOURS, kind_colour_scale
from minilat.figures.tables import require_columns

KINDS = tuple(KIND_COLOURS)  # ("multilateral", "minilateral")
# The dataset's columns for Ruggie's criteria, in the order Ruggie gives them.
CRITERIA: dict[str, str] = {
    "ruggie_principles": "Generalised principles",
    "ruggie_indivisibility": "Indivisibility",
    "ruggie_reciprocity": "Diffuse reciprocity",
}
SCORE_LABELS = {0: "absent", 1: "partial", 2: "strong"}
SCORE_AXIS = "datum.value == 0 ? '0 absent' : datum.value == 1 ? '1 partial' : '2 strong'"
FORUM_COLUMNS = ("forum_id", "name", "kind", "formality",
                 *CRITERIA, *(f"{c}_why" for c in CRITERIA))
ALL_FORMALITIES = "all forums"
KEY_WRAP = 46  # characters per line of a reason in the answer key
# Two Okabe–Ito colours not used for `kind`, so rules are never mistaken for kinds.
RULE_COLOURS = {"specific": "#009E73", "diffuse": "#CC79A7"}
RULE_LABELS = {"specific": "Specific (tit-for-tat per pair)",
               "diffuse": "Diffuse (cooperate while the group does)"}


# ---------------------------------------------------------------- the dataset's coding

def codings_long(forums: pd.DataFrame) -> pd.DataFrame:
    """One row per forum and criterion: forum_id, name, kind, formality, criterion, score, why.

    Forums not yet coded on a criterion (empty cell) are left out of that criterion; a score
    outside 0–2 is an error naming the row and column.
    """
    require_columns(forums, FORUM_COLUMNS, "forums table")
    frames = []
    for column, label in CRITERIA.items():
        part = forums[["forum_id", "name", "kind", "formality", column, f"{column}_why"]]
        part = part.rename(columns={column: "score", f"{column}_why": "why"})
        part = part[part["score"].notna()].copy()
        bad = part[~part["score"].isin([0, 1, 2])]
        if len(bad):
            row = bad.index[0]
            raise ValueError(f"forums table, row {row} ({bad.at[row, 'forum_id']}): column "
                             f"{column!r} must be 0, 1 or 2, got {bad.at[row, 'score']!r}")
        part["criterion"] = label
        part["score"] = part["score"].astype(int)
        part["level"] = part["score"].map(SCORE_LABELS)
        part["why"] = part["why"].fillna("(no rationale recorded)").astype(str)
        frames.append(part)
    long = pd.concat(frames, ignore_index=True)
    for column in ("forum_id", "name", "kind", "formality", "criterion", "level", "why"):
        long[column] = long[column].astype(object)
    return long[["forum_id", "name", "kind", "formality", "criterion", "score", "level", "why"]]


def kind_means(forums: pd.DataFrame) -> pd.DataFrame:
    """Mean score (0–2) per kind and criterion, with the number of forums and share coded 2."""
    long = codings_long(forums)
    grouped = long.groupby(["kind", "criterion"], sort=False)["score"]
    table = pd.DataFrame({
        "mean_score": grouped.mean(),
        "forums": grouped.size(),
        "share_strong": grouped.apply(lambda s: float((s == 2).mean())),
    }).reset_index()
    return table


def _forum_options(forums: pd.DataFrame) -> tuple[list[str], list[str]]:
    ordered = forums.sort_values("name", key=lambda s: s.str.casefold())
    return ordered["forum_id"].astype(str).tolist(), ordered["name"].astype(str).tolist()


def forum_coding_chart(forums: pd.DataFrame, start: str = "unsc") -> alt.LayerChart:
    """Pick a forum in a dropdown: its three scores as bars, its kind's mean as a black tick.

    The tooltip of each bar gives the dataset's one-line rationale for the score.
    """
    long = codings_long(forums)
    if start not in set(long["forum_id"]):
        raise ValueError(f"start forum {start!r} is not a coded forum_id of the forums table")
    means = long.groupby(["kind", "criterion"])["score"].mean().rename("kind_mean").reset_index()
    long = long.merge(means, on=["kind", "criterion"])
    ids, names = _forum_options(forums[forums["forum_id"].isin(long["forum_id"])])
    chosen = alt.param(name="forum", value=start,
                       bind=alt.binding_select(options=ids, labels=names, name="Forum "))
    base = alt.Chart(long).transform_filter(alt.datum.forum_id == chosen)
    x = alt.X("criterion:N", title="Ruggie's criterion", sort=list(CRITERIA.values()),
              axis=alt.Axis(labelAngle=0))
    y_scale = alt.Scale(domain=[0, 2])
    bars = base.mark_bar(size=70).encode(
        x=x,
        y=alt.Y("score:Q", title="Course coding (0 absent – 2 strong)", scale=y_scale,
                axis=alt.Axis(values=[0, 1, 2], labelExpr=SCORE_AXIS)),
        color=alt.Color("kind:N", title="Kind", scale=kind_colour_scale()),
        tooltip=[alt.Tooltip("name:N", title="Forum"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("criterion:N", title="Criterion"),
                 alt.Tooltip("level:N", title="Coded"), alt.Tooltip("why:N", title="Why"),
                 alt.Tooltip("kind_mean:Q", title="Mean of its kind", format=".2f")],
    )
    ticks = base.mark_tick(color="#000000", thickness=3, size=90).encode(
        x=x, y=alt.Y("kind_mean:Q", scale=y_scale),
        tooltip=[alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("kind_mean:Q", title="Mean of its kind", format=".2f")])
    labels = base.mark_text(dy=-8, fontSize=13, fontWeight="bold", color="#1a1a1a").encode(
        x=x, y=alt.Y("score:Q", scale=y_scale), text="level:N")
    heading = base.transform_filter(alt.datum.criterion == list(CRITERIA.values())[0]).mark_text(
        align="left", x=4, y=-4, baseline="bottom", fontSize=13, color="#1a1a1a",
    ).encode(text=alt.Text("heading:N")).transform_calculate(
        heading="datum.name + ' (' + datum.kind + ')'")
    start_row = long[long["forum_id"] == start].set_index("criterion")
    start_name = str(start_row["name"].iloc[0])
    start_scores = "; ".join(f"{c} {int(start_row.at[c, 'score'])} ({start_row.at[c, 'why']})"
                             for c in CRITERIA.values())
    description = (
        f"Bar chart of the course's coding of Ruggie's three criteria (0 absent, 1 partial, "
        f"2 strong) for one forum chosen in a dropdown among the {long['forum_id'].nunique()} "
        f"coded forums. It opens on the {start_name}: {start_scores}. Bars are coloured by the "
        "forum's kind; a black tick marks the mean score of all forums of that kind; the "
        "tooltip of a bar gives the one-line rationale recorded in the dataset."
    )
    return alt.layer(bars, ticks, labels, heading).add_params(chosen).properties(
        width=460, height=260,
        title=alt.Title("How the dataset codes one forum on Ruggie's criteria",
                        subtitle="Choose a forum; hover over a bar for the rationale. "
                                 "Black tick: mean of its kind."),
        description=description,
    )


def kind_comparison_chart(forums: pd.DataFrame) -> alt.Chart:
    """Mean score per criterion for multilaterals and minilaterals, with a formality filter."""
    long = codings_long(forums)
    formalities = sorted(long["formality"].dropna().unique())
    formality = alt.param(name="formality", value=ALL_FORMALITIES, bind=alt.binding_select(
        options=[ALL_FORMALITIES, *formalities], name="Formality "))
    legend_pick = alt.selection_point(fields=["kind"], bind="legend")
    means = kind_means(forums).set_index(["kind", "criterion"])
    gaps = {c: means.at[("multilateral", c), "mean_score"] - means.at[("minilateral", c),
                                                                        "mean_score"]
            for c in CRITERIA.values()}
    widest = max(gaps, key=lambda c: abs(gaps[c]))
    headline = ("Multilaterals score higher on all three criteria"
                if all(gap > 0 for gap in gaps.values())
                else "Mean coding of Ruggie's criteria by kind")
    counts = long.drop_duplicates("forum_id")["kind"].value_counts()
    summary = "; ".join(
        f"{c}: multilateral {means.at[('multilateral', c), 'mean_score']:.2f}, minilateral "
        f"{means.at[('minilateral', c), 'mean_score']:.2f}" for c in CRITERIA.values())
    description = (
        f"Grouped bar chart of the mean course coding (0–2) of Ruggie's three criteria for the "
        f"{int(counts.get('multilateral', 0))} multilateral and "
        f"{int(counts.get('minilateral', 0))} minilateral forums of the dataset. {summary}. "
        f"The widest gap is on {widest.lower()} ({abs(gaps[widest]):.2f} points). A dropdown keeps "
        "only forums of one formality (formal IGO, informal, treaty regime, dialogue); clicking "
        "a kind in the legend highlights it; the tooltip gives the mean, the number of forums "
        "and the share coded 2."
    )
    return alt.Chart(long).transform_filter(
        f"formality == '{ALL_FORMALITIES}' || datum.formality == formality"
    ).transform_joinaggregate(
        forums="count()", groupby=["kind", "criterion"]
    ).transform_calculate(
        strong="datum.score == 2 ? 1 : 0"
    ).mark_bar().encode(
        x=alt.X("criterion:N", title="Ruggie's criterion", sort=list(CRITERIA.values()),
                axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("kind:N", sort=list(KINDS)),
        y=alt.Y("mean(score):Q", title="Mean coding (0 absent – 2 strong)",
                scale=alt.Scale(domain=[0, 2]), axis=alt.Axis(values=[0, 0.5, 1, 1.5, 2])),
        color=alt.Color("kind:N", title="Kind (click)", scale=kind_colour_scale(),
                        sort=list(KINDS)),
        opacity=alt.condition(legend_pick, alt.value(1.0), alt.value(0.25)),
        tooltip=[alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("criterion:N", title="Criterion"),
                 alt.Tooltip("mean(score):Q", title="Mean coding", format=".2f"),
                 alt.Tooltip("count():Q", title="Forums"),
                 alt.Tooltip("mean(strong):Q", title="Share coded 2", format=".0%")],
    ).add_params(formality, legend_pick).properties(
        width=460, height=260,
        title=alt.Title(headline,
                        subtitle="Mean coding by kind. Pick a formality; click a kind in the "
                                 "legend."),
        description=description,
    )


def coding_sheet_chart(forums: pd.DataFrame, start: str = "g20") -> alt.LayerChart:
    """The 'answer key' of the coding exercise: for a chosen forum, each criterion as two
    circles (filled up to the score) and the dataset's rationale written out beside it."""
    long = codings_long(forums)
    if start not in set(long["forum_id"]):
        raise ValueError(f"start forum {start!r} is not a coded forum_id of the forums table")
    ids, names = _forum_options(forums[forums["forum_id"].isin(long["forum_id"])])
    chosen = alt.param(name="key_forum", value=start,
                       bind=alt.binding_select(options=ids, labels=names, name="Answer key for "))
    sheet = long[["forum_id", "name", "kind", "criterion", "score", "level", "why"]].copy()
    # Long reasons wrap at line breaks (the text mark's `lineBreak`) instead of running off; one
    # string per row, not a list, keeps the table compact on the site (CSV).
    sheet["label"] = ["\n".join(textwrap.wrap(f"{score} {level}: {why}", KEY_WRAP))
                      for score, level, why in zip(sheet["score"], sheet["level"], sheet["why"],
                                                   strict=True)]
    y = alt.Y("criterion:N", title="Ruggie's criterion", sort=list(CRITERIA.values()),
              axis=alt.Axis(labelFontSize=13, labelLimit=220))
    x_scale = alt.Scale(domain=[-0.6, 7.0])
    x_title = "Score: filled circles (0, 1 or 2)"
    base = alt.Chart(sheet).transform_filter(alt.datum.forum_id == chosen)
    circles = [
        base.transform_calculate(position=str(point)).mark_point(
            size=300, strokeWidth=2.5, shape="circle", opacity=1).encode(
            x=alt.X("position:Q", scale=x_scale, title=x_title,
                    axis=alt.Axis(values=[0, 1], labelExpr="'point ' + (datum.value + 1)",
                                  grid=False)),
            y=y,
            color=alt.Color("kind:N", title="Kind", scale=kind_colour_scale(),
                            legend=alt.Legend(orient="bottom")),
            fill=alt.condition(f"datum.score > {point}",
                               alt.Color("kind:N", scale=kind_colour_scale()),
                               alt.value("#ffffff")),
            # The reason is written out beside the circles; the tooltip need not repeat it.
            tooltip=[alt.Tooltip("name:N", title="Forum"),
                     alt.Tooltip("criterion:N", title="Criterion"),
                     alt.Tooltip("score:Q", title="Score")],
        )
        for point in (0, 1)
    ]
    text = base.transform_calculate(position="1.7").mark_text(
        align="left", fontSize=13, lineHeight=16, lineBreak="\n", color="#1a1a1a").encode(
        x=alt.X("position:Q", scale=x_scale, title=x_title), y=y, text=alt.Text("label:N"))
    heading = base.transform_filter(alt.datum.criterion == list(CRITERIA.values())[0]).mark_text(
        align="left", x=4, y=-6, baseline="bottom", fontSize=13, color="#1a1a1a",
    ).encode(text=alt.Text("heading:N")).transform_calculate(
        heading="datum.name + ' (' + datum.kind + ')'")
    start_rows = long[long["forum_id"] == start].set_index("criterion")
    described = "; ".join(f"{c} {int(start_rows.at[c, 'score'])} — {start_rows.at[c, 'why']}"
                          for c in CRITERIA.values())
    description = (
        "Answer key for coding a forum yourself: for the forum chosen in the dropdown, each of "
        "Ruggie's three criteria is shown as two circles, filled up to the dataset's score "
        "(0, 1 or 2), with the dataset's rationale written beside it. It opens on the "
        f"{start_rows['name'].iloc[0]}: {described}."
    )
    return alt.layer(*circles, text, heading).add_params(chosen).properties(
        width=480, height=190,
        title=alt.Title("Answer key: the dataset's coding and its reasons",
                        subtitle="Code the forum yourself first, then choose it here."),
        description=description,
    )


# ---------------------------------------------------------------- the reciprocity model

def _radio(name: str, values: list, label: str, start: float) -> alt.Parameter:
    # A no-break space before and an en space after each label keep the buttons apart.
    labels = [f"\u00a0{v:g}\u2002" for v in values]
    return alt.param(name=name, value=start,
                     bind=alt.binding_radio(options=values, labels=labels, name=label))


def reciprocity_chart(paths: pd.DataFrame, values: pd.DataFrame, start_n: int = 5,
                      start_noise: float = 0.05, start_patience: float = 0.95) -> alt.VConcatChart:
    """Two linked panels filtered by three radio controls (group size N, noise ε, patience δ).

    Top: mean cooperation per round of both rules, with the weight a state of patience δ puts
    on each round shaded behind. Bottom: the discounted average cooperation of both rules
    across every group size, the chosen N circled.
    """
    require_columns(paths, ["rule", "n_states", "noise", "round", "cooperation"], "paths table")
    require_columns(values, ["rule", "n_states", "noise", "patience", "value"], "values table")
    ns = sorted(int(n) for n in paths["n_states"].unique())
    eps = sorted(float(e) for e in paths["noise"].unique())
    deltas = sorted(float(d) for d in values["patience"].unique())
    for name, grid, start in (("start_n", ns, start_n), ("start_noise", eps, start_noise),
                              ("start_patience", deltas, start_patience)):
        if start not in grid:
            raise ValueError(f"{name}={start!r} is not on the grid {grid}")
    n_param = _radio("n_states", ns, "States N ", start_n)
    e_param = _radio("noise", eps, "Errors ε ", start_noise)
    d_param = _radio("patience", deltas, "Patience δ ", start_patience)
    paths = paths[["rule", "n_states", "noise", "round", "cooperation"]].round(
        {"cooperation": 4})
    values = values[["rule", "n_states", "noise", "patience", "value", "plain_mean"]].round(
        {"value": 4, "plain_mean": 4})
    label_expr = " : ".join(f"datum.value == '{r}' ? '{RULE_LABELS[r]}'"
                            for r in RULE_COLOURS) + " : datum.value"
    colour = alt.Color("rule:N", title="Reciprocity",
                       scale=alt.Scale(domain=list(RULE_COLOURS),
                                       range=list(RULE_COLOURS.values())),
                       legend=alt.Legend(orient="bottom", direction="vertical",
                                         labelExpr=label_expr, labelLimit=360))
    rounds = int(paths["round"].max())
    weights = pd.DataFrame({"round": range(1, rounds + 1)})
    weight_area = alt.Chart(weights).transform_calculate(
        weight="pow(patience, datum.round - 1)"
    ).mark_area(color="#bdbdbd", opacity=0.45).encode(
        x=alt.X("round:Q"), y=alt.Y("weight:Q"),
        tooltip=[alt.Tooltip("round:Q", title="Round"),
                 alt.Tooltip("weight:Q", title="Weight δ^(t−1)", format=".2f")])
    in_cell = (alt.datum.n_states == n_param) & (alt.datum.noise == e_param)
    lines = alt.Chart(paths).transform_filter(in_cell).mark_line(strokeWidth=3).encode(
        x=alt.X("round:Q", title=f"Round (1 to {rounds})", scale=alt.Scale(domain=[1, rounds])),
        y=alt.Y("cooperation:Q", title="Pairs cooperating (share)",
                scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%")),
        color=colour,
        tooltip=[alt.Tooltip("rule:N", title="Reciprocity"),
                 alt.Tooltip("round:Q", title="Round"),
                 alt.Tooltip("cooperation:Q", title="Cooperating", format=".1%")],
    )
    left = alt.layer(weight_area, lines).properties(
        width=480, height=220, title="Cooperation round by round (grey: weight of each round)")
    across = alt.Chart(values).transform_filter(
        (alt.datum.noise == e_param) & (alt.datum.patience == d_param))
    x_n = alt.X("n_states:Q", title="States in the group (N, log scale)",
                scale=alt.Scale(type="log", domain=[min(ns) * 0.8, max(ns) * 1.25]),
                axis=alt.Axis(values=ns, format="d"))
    y_value = alt.Y("value:Q", title="Discounted cooperation (share)",
                    scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%"))
    tooltip = [alt.Tooltip("rule:N", title="Reciprocity"), alt.Tooltip("n_states:Q", title="N"),
               alt.Tooltip("value:Q", title="Discounted average", format=".1%"),
               alt.Tooltip("plain_mean:Q", title="Plain mean of 40 rounds", format=".1%")]
    value_lines = across.mark_line(point=True, strokeWidth=2).encode(
        x=x_n, y=y_value, color=colour, tooltip=tooltip)
    marked = across.transform_filter(alt.datum.n_states == n_param).mark_point(
        size=260, filled=False, strokeWidth=3, color="#000000").encode(x=x_n, y=y_value)
    right = alt.layer(value_lines, marked).properties(
        width=480, height=220, title="Value of the relationship by group size (circled: N chosen)")
    description = _reciprocity_description(paths, values, start_n, start_noise, start_patience)
    return alt.vconcat(left, right, spacing=24).add_params(n_param, e_param, d_param).properties(
        title=alt.Title("Specific or diffuse reciprocity: who keeps cooperating?",
                        subtitle="Choose the group size N, the error rate ε and the patience δ.",
                        offset=14),
        description=description,
    )


def _reciprocity_description(paths: pd.DataFrame, values: pd.DataFrame, n: int, eps: float,
                             delta: float) -> str:
    cell = paths[(paths["n_states"] == n) & (paths["noise"] == eps)]
    last = cell[cell["round"] == cell["round"].max()].set_index("rule")["cooperation"]
    here = values[(values["noise"] == eps) & (values["patience"] == delta)]
    at_n = here[here["n_states"] == n].set_index("rule")["value"]
    by_n = here.pivot_table(index="n_states", columns="rule", values="value")
    small, large = by_n.index.min(), by_n.index.max()
    return (
        f"Two panels from a simulation of {len(paths['n_states'].unique())} group sizes × "
        f"{len(paths['noise'].unique())} error rates, {int(paths['round'].max())} rounds each, "
        "averaged over seeded runs. Top: the share of pairs cooperating in each round under "
        "specific reciprocity (tit-for-tat per pair) and diffuse reciprocity (everyone "
        "cooperates while last round's group rate is at least the threshold), with the weight "
        f"δ^(t−1) of each round shaded. It opens at N = {n}, ε = {eps}, δ = {delta}: in the last "
        f"round {last['specific']:.0%} of pairs cooperate under specific and "
        f"{last['diffuse']:.0%} under diffuse reciprocity. Bottom: the discounted average "
        f"cooperation for every group size at the chosen ε and δ; at N = {small} specific "
        f"reciprocity reaches {by_n.at[small, 'specific']:.0%} and diffuse "
        f"{by_n.at[small, 'diffuse']:.0%}, at N = {large} {by_n.at[large, 'specific']:.0%} and "
        f"{by_n.at[large, 'diffuse']:.0%}; the chosen N = {n} is circled "
        f"({at_n['specific']:.0%} and {at_n['diffuse']:.0%}). Radio buttons change N, ε and δ."
    )
