"""Chapter 7 explorer: design an inclusive minilateral by Eckersley's rule.

``build_panel()`` is the live ipywidgets panel: three sliders (seats for the most capable, the
most responsible and the most vulnerable states), the members listed with the lists that seat
them, and the group compared with a pure critical mass of the same size. ``twin_chart()`` is its
kernel-free twin for the site: the designer chart over the build-time grid, with the same
sliders. Both rest on ``minilat.models.inclusive_minilateral``.
"""

from __future__ import annotations

import html
from typing import Any

import altair as alt

from minilat.dataset import countries
from minilat.dataset.load import PathLike
from minilat.figures.ch07_legitimacy import designer_chart
from minilat.models.inclusive_minilateral import (
    K_MAX,
    LIST_LABELS,
    LISTS,
    Design,
    Profile,
    candidates,
    critical_mass_group,
    dataset_grid,
    dataset_rankings,
    dataset_totals,
    design,
    left_out,
    profile,
)

SHORT = {"capable": "capable", "responsible": "responsible", "vulnerable": "vulnerable"}


def _row(label: str, p: Profile) -> str:
    return (f"<tr><td>{html.escape(label)}</td><td>{p.size}</td><td>{100 * p.co2:.1f}%</td>"
            f"<td>{100 * p.population:.1f}%</td><td>{100 * p.gdp:.1f}%</td>"
            f"<td>{p.ldc}</td><td>{p.sids}</td></tr>")


def summary_html(chosen: Design, inclusive: Profile, mass: Profile, mass_members: tuple[str, ...],
                 names: dict[str, str], missing: dict[str, list[str]]) -> str:
    """The panel's text for one design: the comparison table and the members, list by list."""
    table = ("<table><tr><th>Group</th><th>Members</th><th>World CO₂</th><th>World population"
             "</th><th>World GDP</th><th>LDC</th><th>SIDS</th></tr>"
             f"{_row('Inclusive (Eckersley)', inclusive)}"
             f"{_row('Critical mass (largest emitters)', mass)}</table>")
    if chosen.size == 0:
        listing = "<p>No seats yet: move a slider.</p>"
    else:
        items = "".join(
            f"<li>{html.escape(names.get(code, code))} "
            f"<small>({', '.join(SHORT[n] for n in chosen.lists[code])})</small></li>"
            for code in chosen.members)
        saved = (f" {chosen.overlap} seat{'s' if chosen.overlap != 1 else ''} saved: those "
                 "states are on two lists." if chosen.overlap else "")
        listing = f"<p><b>{chosen.size} members</b>.{saved}</p><ol>{items}</ol>"
    outside = sorted(set(mass_members) - set(chosen.members))
    differs = (f"<p>The critical mass would seat instead: "
               f"{html.escape(', '.join(names.get(c, c) for c in outside))}.</p>"
               if outside else "")
    gaps = "; ".join(f"{LIST_LABELS[name]}: {', '.join(codes)}"
                     for name, codes in missing.items() if codes)
    note = (f"<p><em>Left out of the lists for missing data — {html.escape(gaps)}.</em></p>"
            if gaps else "")
    return f"{table}{listing}{differs}{note}"


def build_panel(data_dir: PathLike = None) -> Any:
    """The live panel: three sliders; the members and the comparison with a critical mass."""
    import ipywidgets as widgets

    table = countries(data_dir)
    names = dict(zip(table["code"].astype(str), table["name"].astype(str), strict=True))
    ranked = dataset_rankings(data_dir)
    totals = dataset_totals(data_dir)
    missing = left_out(table)
    sliders = {name: widgets.IntSlider(value=3, min=0, max=K_MAX, step=1,
                                       description=SHORT[name].capitalize(),
                                       continuous_update=False)
               for name in LISTS}
    output = widgets.HTML()

    def update(_: Any = None) -> None:
        chosen = design(ranked, *(sliders[name].value for name in LISTS))
        mass_members = critical_mass_group(ranked, chosen.size)
        output.value = summary_html(chosen, profile(chosen.members, table, totals),
                                    profile(mass_members, table, totals), mass_members, names,
                                    missing)

    for slider in sliders.values():
        slider.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox(list(sliders.values())), output])


def twin_chart(data_dir: PathLike = None) -> alt.VConcatChart:
    """The kernel-free twin: the designer chart over the build-time grid."""
    return designer_chart(dataset_grid(data_dir=data_dir),
                          candidates(dataset_rankings(data_dir), countries(data_dir)))
