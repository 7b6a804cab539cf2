"""Chapter 2 explorer: how much of the vote do small states keep under weighted voting?

``build_panel()`` is the live ipywidgets panel (α slider, threshold and basis dropdowns, a
summary and the largest vote holders); ``twin_chart()`` is its kernel-free twin for the site,
the threshold chart computed on a grid of α at build time. Both rest on ``voting_summary()``.
"""

from __future__ import annotations

import html
from typing import Any

import altair as alt
import pandas as pd

from minilat.figures.ch02_history import threshold_chart
from minilat.models.voting import (
    alpha_grid,
    fewest_for_majority,
    small_state_vote_share,
    threshold_grid,
    vote_shares,
    voting_members,
)

THRESHOLDS: tuple[float, ...] = (1e6, 5e6, 1e7, 2e7)
BASES = {"population": "Population", "gdp": "GDP (2019)"}


def voting_summary(members: pd.DataFrame, alpha: float, threshold: float) -> dict[str, Any]:
    """What the panel shows for one setting: small states, their votes, the top vote holders.

    ``members`` comes from ``voting_members`` (columns code, name, population, size).
    """
    small = members["population"] < threshold
    shares = vote_shares(members["size"], alpha)
    top = members.assign(vote_share=100 * shares).nlargest(10, "vote_share")
    return {
        "states": len(members),
        "small_states": int(small.sum()),
        "small_vote_share": 100 * small_state_vote_share(
            members["size"], alpha, threshold, small_by=members["population"]),
        "small_state_share": 100 * float(small.mean()),
        "fewest_for_majority": fewest_for_majority(members["size"], alpha),
        "top": top[["name", "vote_share"]].reset_index(drop=True),
        "dropped": list(members.attrs.get("dropped", [])),
    }


def summary_html(summary: dict[str, Any], alpha: float, threshold: float) -> str:
    """The panel's text for one setting."""
    rows = "".join(f"<tr><td>{html.escape(str(r.name))}</td><td>{r.vote_share:.1f}%</td></tr>"
                   for r in summary["top"].itertuples())
    dropped = ""
    if summary["dropped"]:
        dropped = (f"<p><em>{len(summary['dropped'])} states have no value for this basis and "
                   f"are left out: {', '.join(summary['dropped'])}.</em></p>")
    return (
        f"<p>With α = {alpha:.2f}, the <b>{summary['small_states']}</b> states under "
        f"{threshold / 1e6:g} million people ({summary['small_state_share']:.1f}% of the "
        f"{summary['states']} states) hold <b>{summary['small_vote_share']:.1f}%</b> of the "
        f"votes. The <b>{summary['fewest_for_majority']}</b> largest states together hold a "
        f"majority.</p>{dropped}<table><tr><th>Largest vote holders</th><th>Share of votes</th>"
        f"</tr>{rows}</table>"
    )


def build_panel(countries: pd.DataFrame | None = None) -> Any:
    """The live panel: move α, pick what "small" means and what votes are weighted by."""
    import ipywidgets as widgets

    if countries is None:
        from minilat.dataset import countries as load_countries
        countries = load_countries()
    tables = {basis: voting_members(countries, basis) for basis in BASES}
    alpha = widgets.FloatSlider(value=0.5, min=0, max=1, step=0.05, description="α",
                                continuous_update=False)
    threshold = widgets.Dropdown(options=[(f"{t / 1e6:g} million", t) for t in THRESHOLDS],
                                 value=1e7, description="Small: under")
    basis = widgets.Dropdown(options=[(label, key) for key, label in BASES.items()],
                             value="population", description="Weight by")
    output = widgets.HTML()

    def update(_: Any = None) -> None:
        summary = voting_summary(tables[basis.value], alpha.value, threshold.value)
        output.value = summary_html(summary, alpha.value, threshold.value)

    for control in (alpha, threshold, basis):
        control.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox([alpha, threshold, basis]), output])


def twin_chart(countries: pd.DataFrame) -> alt.LayerChart:
    """The kernel-free twin: small states' vote share over α, threshold picked in a dropdown."""
    members = voting_members(countries, "population")
    return threshold_chart(threshold_grid(members, alpha_grid(0.05), THRESHOLDS))
