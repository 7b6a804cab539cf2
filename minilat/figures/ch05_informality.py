"""Chapter 5 figures: how long forums last by formality, what became of them by kind, the
informal bodies that later formalised, and the pledge-and-review model.

Each ``*_table`` function turns the dataset or model output into the small tidy frame a chart
reads; each ``*_chart`` function returns an Altair chart with a title, axis titles with units
and a text description computed from the data.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from minilat.charts import FONT, OKABE_ITO, kind_colour_scale
from minilat.figures.tables import require_columns
from minilat.models.survival import forum_lifetimes, survival_at, survival_by_group

FORMALITY_LABELS: dict[str, str] = {"formal_igo": "formal IGO", "treaty_regime": "treaty regime",
                                    "dialogue": "dialogue", "informal": "informal"}
FORMALITY_COLOURS = [OKABE_ITO[0], OKABE_ITO[2], OKABE_ITO[3], OKABE_ITO[5]]
RULES: dict[bool, str] = {False: "only dissolution", True: "dissolution or transformation"}
STATUS_ORDER = ["active", "dormant", "formalised", "superseded", "defunct"]
STATUS_COLOURS = [OKABE_ITO[2], OKABE_ITO[4], OKABE_ITO[0], OKABE_ITO[3], OKABE_ITO[5]]
LISTED = 8  # forums named in a tooltip before "+ k more"
MUTED = "#8c8c8c"


def _label(row: pd.Series) -> str:
    return str(row["abbreviation"]) if pd.notna(row["abbreviation"]) else str(row["name"])


def _short_name(row: pd.Series, limit: int = 42) -> str:
    """The forum's name, or its abbreviation when the name is too long for an axis label."""
    name = str(row["name"])
    return name if len(name) <= limit or pd.isna(row["abbreviation"]) else str(row["abbreviation"])


def _years(n: int) -> str:
    return f"{n} year" if n == 1 else f"{n} years"


def _listing(names: list[str], listed: int = LISTED) -> str:
    shown = ", ".join(names[:listed])
    return shown if len(names) <= listed else f"{shown} + {len(names) - listed} more"


# --- 1. survival by formality --------------------------------------------------------------

def survival_table(forums: pd.DataFrame, reference_year: int) -> pd.DataFrame:
    """Kaplan-Meier curves by formality under both rules (``rule`` column: see ``RULES``).

    Percentages for the chart: ``survival_pct``; ``formality_label`` for the legend. Each curve
    ends with a row at its longest lifetime, so the step line runs to the last forum observed.
    """
    require_columns(forums, {"forum_id", "formality", "founded_year", "ended_year", "status"},
                    "the forums table")
    tables = []
    for transformation_ends, rule in RULES.items():
        lifetimes = forum_lifetimes(forums, reference_year, transformation_ends)
        curves = survival_by_group(lifetimes, "formality")
        tables.append(curves.assign(rule=rule))
    table = pd.concat(tables, ignore_index=True)
    table["formality_label"] = table["formality"].map(FORMALITY_LABELS).fillna(table["formality"])
    table["survival_pct"] = (100 * table["survival"]).round(2)
    return table[["rule", "formality", "formality_label", "n", "time", "at_risk", "events",
                  "censored", "survival_pct"]]


def _survival_description(table: pd.DataFrame, at: int) -> str:
    parts = []
    default = table[table["rule"] == RULES[False]]
    alternative = table[table["rule"] == RULES[True]]
    for label, curve in default.groupby("formality_label", sort=True):
        other = alternative[alternative["formality_label"] == label]
        ended = int(curve["events"].sum())
        ended_other = int(other["events"].sum())
        parts.append(
            f"{label}: {int(curve['n'].iloc[0])} forums, {ended} dissolved, "
            f"{100 * survival_at(curve.assign(survival=curve['survival_pct'] / 100), at):.0f}% "
            f"still in existence {at} years after founding "
            f"({ended_other} ends and "
            f"{100 * survival_at(other.assign(survival=other['survival_pct'] / 100), at):.0f}% "
            "if transformation counts as an end)")
    return ("Step chart of Kaplan-Meier survival curves: the estimated share of forums still in "
            "existence (%) against years since founding, one line per formality. Forums still "
            "active are censored at the dataset's reference year. A radio button chooses "
            "whether a forum that was formalised or superseded counts as an end; clicking a "
            "formality in the legend highlights it; tooltips give the forums at risk. "
            + "; ".join(parts) + ".")


def survival_chart(table: pd.DataFrame, at: int = 25) -> alt.LayerChart:
    """Kaplan-Meier curves by formality: a radio for the rule, legend click, at-risk tooltips."""
    require_columns(table, {"rule", "formality_label", "n", "time", "at_risk", "events", "censored",
                     "survival_pct"}, "the survival table")
    labels = [FORMALITY_LABELS[f] for f in FORMALITY_LABELS
              if FORMALITY_LABELS[f] in set(table["formality_label"])]
    rule = alt.param(name="rule", value=RULES[False], bind=alt.binding_radio(
        options=list(RULES.values()), name="Count as the end of a forum: "))
    pick = alt.selection_point(fields=["formality_label"], bind="legend")
    base = alt.Chart(table).transform_filter("datum.rule == rule").encode(
        x=alt.X("time:Q", title="Years since founding (years)"),
        y=alt.Y("survival_pct:Q", title="Forums still in existence (%)",
                scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("formality_label:N", title="Formality (click to highlight)",
                        sort=labels, scale=alt.Scale(domain=labels,
                                                     range=FORMALITY_COLOURS[:len(labels)]),
                        legend=alt.Legend(orient="bottom", titleLimit=400)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)))
    lines = base.mark_line(interpolate="step-after", strokeWidth=2.5)
    points = base.mark_circle(size=45).encode(tooltip=[
        alt.Tooltip("formality_label:N", title="Formality"),
        alt.Tooltip("time:Q", title="Years since founding"),
        alt.Tooltip("survival_pct:Q", title="Still in existence (%)", format=".1f"),
        alt.Tooltip("at_risk:Q", title="Forums at risk (count)"),
        alt.Tooltip("events:Q", title="Ended in this year (count)"),
        alt.Tooltip("censored:Q", title="Censored in this year (count)"),
        alt.Tooltip("n:Q", title="Forums of this formality (count)")])
    return alt.layer(lines, points).add_params(rule, pick).properties(
        title=alt.Title("How long do forums last?",
                        subtitle="Kaplan-Meier survival by formality; still-active forums are "
                                 "censored"),
        description=_survival_description(table, at))


# --- 2. status by kind ---------------------------------------------------------------------

def status_table(forums: pd.DataFrame) -> pd.DataFrame:
    """Forums per (kind, status) with the share of the kind and the forums' names."""
    require_columns(forums, {"kind", "status", "abbreviation", "name"}, "the forums table")
    table = forums.assign(label=forums.apply(_label, axis=1))
    rows = []
    for (kind, status), part in table.groupby(["kind", "status"], sort=True):
        rows.append({"kind": kind, "status": status, "forums": len(part),
                     "names": _listing(sorted(part["label"]))})
    counts = pd.DataFrame(rows)
    counts["share_pct"] = (100 * counts["forums"]
                           / counts.groupby("kind")["forums"].transform("sum")).round(1)
    counts["order"] = counts["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
    return counts.sort_values(["kind", "order"], ignore_index=True)


def status_chart(table: pd.DataFrame) -> alt.Chart:
    """Stacked bars: how many forums of each kind are active, dormant, formalised, … ."""
    require_columns(table, {"kind", "status", "forums", "share_pct", "names", "order"},
                    "the status table")
    statuses = [s for s in STATUS_ORDER if s in set(table["status"])]
    colours = [STATUS_COLOURS[STATUS_ORDER.index(s)] for s in statuses]
    pick = alt.selection_point(fields=["status"], bind="legend")
    bars = alt.Chart(table).mark_bar().encode(
        y=alt.Y("kind:N", title="Kind of forum"),
        x=alt.X("forums:Q", title="Forums (count)", stack="zero"),
        color=alt.Color("status:N", title="Status (click to highlight)", sort=statuses,
                        scale=alt.Scale(domain=statuses, range=colours),
                        legend=alt.Legend(orient="bottom", titleLimit=400)),
        order=alt.Order("order:Q"),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.2)),
        tooltip=[alt.Tooltip("kind:N", title="Kind"), alt.Tooltip("status:N", title="Status"),
                 alt.Tooltip("forums:Q", title="Forums (count)"),
                 alt.Tooltip("share_pct:Q", title="Share of the kind (%)", format=".1f"),
                 alt.Tooltip("names:N", title="Forums")],
    ).add_params(pick)
    parts = []
    for kind, part in table.groupby("kind", sort=True):
        counts = ", ".join(f"{int(r.forums)} {r.status} ({r.share_pct:.0f}%)"
                           for r in part.itertuples(index=False))
        parts.append(f"{kind}: {int(part['forums'].sum())} forums — {counts}")
    description = ("Stacked horizontal bar chart of the forums in the dataset by kind, split by "
                   "status (active, dormant, formalised, superseded, defunct). Clicking a status "
                   "in the legend highlights it; tooltips name the forums. "
                   + "; ".join(parts) + ".")
    return bars.properties(
        title=alt.Title("What became of the forums?", subtitle="Status by kind of forum"),
        description=description, height=alt.Step(62))


# --- 3. informal bodies that later formalised ----------------------------------------------

def _disagreement_notes(disagreements: pd.DataFrame | None) -> dict[str, str]:
    """forum_id → "ended_year: 2002 in another source; …" for the years a timeline draws."""
    if disagreements is None or disagreements.empty:
        return {}
    require_columns(disagreements, {"table", "key", "column", "value_alt"}, "the disagreements table")
    years = disagreements[(disagreements["table"] == "forums")
                          & disagreements["column"].isin(["founded_year", "ended_year"])]
    notes: dict[str, list[str]] = {}
    for row in years.itertuples(index=False):
        notes.setdefault(str(row.key), []).append(f"{row.column} {row.value_alt} in another source")
    return {key: "; ".join(items) for key, items in notes.items()}


def formalised_table(forums: pd.DataFrame, events: pd.DataFrame, reference_year: int,
                     disagreements: pd.DataFrame | None = None
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The informal phases and the formalisation steps, as two tables.

    ``phases``: one row per informal forum whose status is ``formalised``, with the years it
    spent informal (founded → ended) and what ended the phase; plus every informal forum that
    took a ``formalisation`` step (events table) while staying informal, running to the
    reference year. ``steps``: one row per formalisation — the end of a formalised forum's
    informal phase, and every ``formalisation`` event of the forum itself. With the
    ``disagreements`` table, ``sources_differ`` notes where sources give another year.
    """
    require_columns(forums, {"forum_id", "name", "abbreviation", "kind", "formality", "status",
                      "founded_year", "ended_year", "ended_event", "predecessor_id"},
                    "the forums table")
    require_columns(events, {"forum_id", "year", "kind", "title"}, "the events table")
    by_id = forums.set_index("forum_id", drop=False)
    successor_of = {row.predecessor_id: row.forum_id for row in forums.itertuples(index=False)
                    if pd.notna(row.predecessor_id)}
    step_events = events[events["kind"] == "formalisation"]
    formalised = forums[(forums["status"] == "formalised") & forums["ended_year"].notna()]
    # informal forums that took a formal step while staying informal (e.g. BRICS's bank)
    still_informal = [fid for fid in step_events["forum_id"].dropna().unique()
                      if fid in by_id.index and by_id.loc[fid, "formality"] == "informal"
                      and by_id.loc[fid, "status"] in ("active", "dormant")]
    differ = _disagreement_notes(disagreements)
    phases, steps = [], []
    for forum_id in [*formalised["forum_id"], *still_informal]:
        row = by_id.loc[forum_id]
        informal_now = forum_id in still_informal
        end = reference_year if informal_now else int(row["ended_year"])
        successor = successor_of.get(forum_id)
        label = _short_name(row)
        phases.append({"forum_id": forum_id, "forum": label, "name": row["name"],
                       "kind": row["kind"], "start": int(row["founded_year"]), "end": end,
                       "years_informal": end - int(row["founded_year"]),
                       "still_informal": informal_now,
                       "became": "still informal" if informal_now else (
                           f"{by_id.loc[successor, 'name']} (a new body)"
                           if successor in by_id.index else "the same body, formalised"),
                       "sources_differ": differ.get(forum_id, "no")})
        if not informal_now:
            steps.append({"forum": label, "year": end, "kind": row["kind"],
                          "what": str(row["ended_event"]) if pd.notna(row["ended_event"])
                          else "end of the informal phase"})
        # formalisation events of the forum itself (a successor's events belong to it)
        for event in step_events[step_events["forum_id"] == forum_id].itertuples(index=False):
            steps.append({"forum": label, "year": int(event.year), "kind": row["kind"],
                          "what": str(event.title)})
    phase_table = pd.DataFrame(phases).sort_values(["start", "forum"], ignore_index=True)
    step_table = pd.DataFrame(steps).sort_values(["year", "forum"], ignore_index=True)
    return phase_table, step_table


def formalised_chart(phases: pd.DataFrame, steps: pd.DataFrame) -> alt.LayerChart:
    """A timeline: each informal phase as a bar, each formalisation step as a diamond."""
    require_columns(phases, {"forum", "name", "kind", "start", "end", "years_informal", "became",
                      "still_informal", "sources_differ"}, "the phases table")
    require_columns(steps, {"forum", "year", "what", "kind"}, "the steps table")
    order = phases.sort_values(["start", "forum"])["forum"].tolist()
    pick = alt.selection_point(fields=["kind"], bind="legend")
    y = alt.Y("forum:N", sort=order, title="Forum (in order of founding)")
    bars = alt.Chart(phases).mark_bar(height=10).encode(
        y=y, x=alt.X("start:Q", title="Year (calendar year)",
                     scale=alt.Scale(domain=[int(phases["start"].min()) // 10 * 10,
                                             int(phases["end"].max())], nice=False),
                     axis=alt.Axis(format="d")),
        x2="end:Q",
        color=alt.Color("kind:N", scale=kind_colour_scale(), title="Kind (click to highlight)",
                        legend=alt.Legend(orient="bottom", titleLimit=400)),
        opacity=alt.condition(pick, alt.value(0.9), alt.value(0.15)),
        tooltip=[alt.Tooltip("name:N", title="Forum"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("start:Q", title="Founded (year)"),
                 alt.Tooltip("end:Q", title="Informal until (year)"),
                 alt.Tooltip("years_informal:Q", title="Years informal"),
                 alt.Tooltip("became:N", title="Became"),
                 alt.Tooltip("sources_differ:N", title="Sources differ on a year?")],
    ).add_params(pick)
    marks = alt.Chart(steps).mark_point(shape="diamond", size=110, filled=True,
                                        color="#1a1a1a").encode(
        y=y, x=alt.X("year:Q"),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.2)),
        tooltip=[alt.Tooltip("forum:N", title="Forum"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("what:N", title="Formal step")])
    done = phases[~phases["still_informal"]]
    longest = done.loc[done["years_informal"].idxmax()] if len(done) else None
    shortest = done.loc[done["years_informal"].idxmin()] if len(done) else None
    still = phases[phases["still_informal"]]
    text = (f"{len(done)} informal forums in the dataset later formalised, after a median of "
            f"{float(np.median(done['years_informal'])):.0f} years "
            f"(shortest: {shortest['forum']}, {_years(int(shortest['years_informal']))}; longest: "
            f"{longest['forum']}, {_years(int(longest['years_informal']))})." if len(done) else
            "No informal forum in the dataset later formalised.")
    if len(still):
        kept = "; ".join(
            f"{r.forum} ({', '.join(steps.loc[steps['forum'] == r.forum, 'what'])})"
            for r in still.itertuples(index=False))
        text += f" Forums that took a formal step while staying informal: {kept}."
    disputed = phases[phases["sources_differ"] != "no"]
    if len(disputed):
        text += (" Sources differ on a year for "
                 + "; ".join(f"{r.forum} ({r.sources_differ})"
                             for r in disputed.itertuples(index=False)) + ".")
    description = ("Timeline: one bar per informal forum from its founding to the end of its "
                   "informal phase (or to today, if it is still informal), coloured by kind; "
                   "diamonds mark formalisation steps. Tooltips say what each forum became and "
                   "whether sources disagree on its years. " + text)
    return alt.layer(bars, marks).properties(
        title=alt.Title("From informal to formal",
                        subtitle="Informal phases (bars) and formal steps (diamonds)"),
        description=description, height=alt.Step(18), width=400)


# --- 4. the pledge-and-review model --------------------------------------------------------

def _step(values: list[float]) -> float:
    return round(values[1] - values[0], 4) if len(values) > 1 else 0.1


def pledge_review_chart(paths: pd.DataFrame, lifetimes: pd.DataFrame, threshold: float,
                        start: tuple[float, float] = (0.1, 0.1)) -> alt.HConcatChart:
    """Two sliders (review strength, turnover) filter the grid: ambition and survival over
    time, beside a heatmap of mean lifetime over the whole grid with the chosen cell outlined."""
    require_columns(paths, {"review", "turnover", "period", "alive_pct", "ambition"}, "the paths table")
    require_columns(lifetimes, {"review", "turnover", "mean_lifetime", "survived_pct",
                         "final_ambition"}, "the lifetimes table")
    reviews = sorted(lifetimes["review"].unique().tolist())
    turnovers = sorted(lifetimes["turnover"].unique().tolist())
    if start[0] not in reviews or start[1] not in turnovers:
        raise ValueError(f"start {start} is not on the grid ({reviews}, {turnovers})")
    review = alt.param(name="review", value=start[0], bind=alt.binding_range(
        min=reviews[0], max=reviews[-1], step=_step(reviews), name="Review strength r "))
    turnover = alt.param(name="turnover", value=start[1], bind=alt.binding_range(
        min=turnovers[0], max=turnovers[-1], step=_step(turnovers),
        name="Chance of a new government per period p "))
    chosen = "abs(datum.review - review) < 1e-6 && abs(datum.turnover - turnover) < 1e-6"
    # short field names: this table has thousands of rows and every key is repeated per row
    wide = pd.DataFrame({"r": paths["review"], "p": paths["turnover"],
                         "t": paths["period"], "a": (100 * paths["ambition"]).round(1),
                         "s": paths["alive_pct"].round(1)})
    names = {"a": "Average pledge of surviving forums", "s": "Forums still alive"}
    periods = int(paths["period"].max())
    lines = alt.Chart(wide).transform_filter(
        "abs(datum.r - review) < 1e-6 && abs(datum.p - turnover) < 1e-6").transform_fold(
        list(names), as_=["measure", "value"]).transform_filter(
        "isValid(datum.value)").transform_calculate(
        measure=f"datum.measure == 'a' ? '{names['a']}' : '{names['s']}'").mark_line(strokeWidth=2.5).encode(
        x=alt.X("t:Q", title="Period (review rounds)", scale=alt.Scale(domain=[0, periods])),
        y=alt.Y("value:Q", title="Per cent (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("measure:N", title=None,
                        scale=alt.Scale(domain=list(names.values()),
                                        range=[OKABE_ITO[0], OKABE_ITO[5]]),
                        legend=alt.Legend(orient="bottom", labelLimit=400)),
        tooltip=[alt.Tooltip("measure:N", title="Measure"),
                 alt.Tooltip("t:Q", title="Period"),
                 alt.Tooltip("value:Q", title="Value (%)", format=".1f")])
    floor = alt.Chart(pd.DataFrame({"value": [100 * threshold]})).mark_rule(
        strokeDash=[4, 3], color=MUTED).encode(y="value:Q")
    floor_text = alt.Chart(pd.DataFrame({"value": [100 * threshold],
                                         "label": ["death threshold"]})).mark_text(
        align="right", dy=-6, font=FONT, fontSize=11, color="#444").encode(
        y="value:Q", x=alt.value(250), text="label:N")
    left = alt.layer(lines, floor, floor_text).properties(
        width=250, height=250, title="Ambition and survival over time")
    cells = lifetimes.round({"mean_lifetime": 1, "survived_pct": 1, "final_ambition": 3})
    heat = alt.Chart(cells).encode(
        x=alt.X("turnover:O", title="Turnover p (per period)",
                axis=alt.Axis(format=".3~f", labelAngle=0, labelOverlap=True)),
        y=alt.Y("review:O", title="Review strength (r)", sort="descending",
                axis=alt.Axis(format=".2f")))
    tiles = heat.mark_rect().encode(
        color=alt.Color("mean_lifetime:Q", title="Mean lifetime (periods)",
                        scale=alt.Scale(scheme="viridis", domain=[0, periods]),
                        legend=alt.Legend(orient="bottom", gradientLength=160, title=None)),
        tooltip=[alt.Tooltip("review:Q", title="Review strength r"),
                 alt.Tooltip("turnover:Q", title="Turnover p"),
                 alt.Tooltip("mean_lifetime:Q", title="Mean lifetime (periods)", format=".1f"),
                 alt.Tooltip("survived_pct:Q", title=f"Alive after {periods} periods (%)",
                             format=".0f"),
                 alt.Tooltip("final_ambition:Q", title="Final average pledge (0–1)",
                             format=".2f")])
    outline = heat.transform_filter(chosen).mark_rect(fill=None, stroke="#ffffff",
                                                      strokeWidth=3)
    right = alt.layer(tiles, outline).properties(width=180, height=250,
                                                 title="Mean lifetime (periods)")
    return alt.hconcat(left, right).add_params(review, turnover).properties(
        title=alt.Title("Pledge and review: a ratchet against turnover",
                        subtitle="Move the sliders; the outlined cell is the setting on the left"),
        description=_model_description(lifetimes, periods, threshold, start))


def _model_description(lifetimes: pd.DataFrame, periods: int, threshold: float,
                       start: tuple[float, float]) -> str:
    def cell(r: float, p: float) -> pd.Series:
        hit = lifetimes[np.isclose(lifetimes["review"], r) & np.isclose(lifetimes["turnover"], p)]
        return hit.iloc[0]

    r_min, r_max = lifetimes["review"].min(), lifetimes["review"].max()
    p_max = lifetimes["turnover"].max()
    shown = cell(*start)
    weak, strong = cell(r_min, p_max), cell(r_max, p_max)
    return (
        "Two panels driven by two sliders, review strength r and the chance p that a member's "
        "government changes in a period. Left: line chart over "
        f"{periods} periods of the share of simulated forums still alive (%) and the average "
        f"pledge of the survivors (% of the maximum), with the death threshold at "
        f"{100 * threshold:.0f}%. Right: heatmap of the mean lifetime for every (r, p) on the "
        f"grid, the chosen cell outlined. At r = {start[0]:g}, p = {start[1]:g} the mean "
        f"lifetime is {shown['mean_lifetime']:.1f} periods and {shown['survived_pct']:.0f}% "
        f"survive. With the highest turnover (p = {p_max:g}), forums without review (r = "
        f"{r_min:g}) last {weak['mean_lifetime']:.1f} periods on average and with the "
        f"strongest review (r = {r_max:g}) {strong['mean_lifetime']:.1f}.")
