"""Chapter 4 explorer: the critical-mass calculator.

``build_panel()`` is the live ipywidgets panel (an indicator dropdown, a target slider from 0 to
100 % in steps of 1, and the coalition listed country by country, compared with real forums);
``twin_chart()`` is its kernel-free twin for the site: the calculator chart computed at build
time for targets 5–95 % in steps of 5. Both rest on ``minilat.models.critical_mass``.
"""

from __future__ import annotations

import html
import warnings
from typing import Any

import altair as alt
import pandas as pd

from minilat.dataset import MissingDataWarning, countries, forums, world_total
from minilat.dataset.load import PathLike
from minilat.figures.ch04_minilateral import (
    FORUM_LABELS,
    INDICATOR_LABELS,
    critical_mass_chart,
)
from minilat.models.critical_mass import (
    Coalition,
    TargetUnreachable,
    critical_mass_grid,
    forum_coverage,
    indicator_values,
    missing_codes,
    ranking,
    smallest_coalition,
)


def coalition_table(coalition: Coalition, values: pd.Series, total: float,
                    names: dict[str, str]) -> pd.DataFrame:
    """The coalition country by country: rank, code, name, share and running total (in %)."""
    codes = list(coalition.members)
    shares = [100 * float(values[code]) / total for code in codes]
    running = pd.Series(shares, dtype=float).cumsum().tolist()
    return pd.DataFrame({"rank": range(1, len(codes) + 1), "code": codes,
                         "name": [names.get(code, code) for code in codes],
                         "share_pct": shares, "running_pct": running})


def summary_html(indicator: str, target_pct: float, coalition: Coalition | None,
                 table: pd.DataFrame, forum_rows: pd.DataFrame, missing: list[str],
                 reason: str = "") -> str:
    """The panel's text for one setting: the count, the countries, and the real forums."""
    label = INDICATOR_LABELS.get(indicator, indicator)
    if coalition is None:
        head = f"<p><b>No coalition reaches {target_pct:g}%</b> of world {label}: {html.escape(reason)}</p>"
    elif coalition.size == 0:
        head = "<p>A target of 0% needs <b>no country</b>.</p>"
    else:
        noun = "country" if coalition.size == 1 else "countries"
        head = (f"<p><b>{coalition.size}</b> {noun} reach {target_pct:g}% of world {label} "
                f"(together {100 * coalition.share:.1f}%).</p>")
    forums_text = "".join(
        f"<li>{html.escape(FORUM_LABELS.get(r.forum_id, r.forum_id))}: {r.state_members} "
        f"states hold {100 * r.coverage:.1f}%; the calculator needs {r.smallest} for that "
        "share.</li>" for r in forum_rows.itertuples(index=False))
    rows = "".join(
        f"<tr><td>{r.rank}</td><td>{html.escape(str(r.name))}</td><td>{r.share_pct:.2f}%</td>"
        f"<td>{r.running_pct:.1f}%</td></tr>" for r in table.itertuples(index=False))
    listing = (f"<table><tr><th>#</th><th>Country</th><th>Its share</th><th>Running total</th>"
               f"</tr>{rows}</table>") if len(table) else ""
    left_out = (f"<p><em>No {label} value for {len(missing)} countries, left out: "
                f"{', '.join(missing)}.</em></p>") if missing else ""
    return f"{head}<p>Real forums:</p><ul>{forums_text}</ul>{left_out}{listing}"


def build_panel(data_dir: PathLike = None) -> Any:
    """The live panel: pick an indicator and a target; read the coalition and the forums."""
    import ipywidgets as widgets

    names = dict(zip(countries(data_dir)["code"].astype(str),
                     countries(data_dir)["name"].astype(str), strict=True))
    indicators = list(INDICATOR_LABELS)
    values = {i: indicator_values(i, data_dir) for i in indicators}
    totals = {i: world_total(i, data_dir) for i in indicators}
    missing = {i: missing_codes(i, data_dir) for i in indicators}
    forum_rows = forum_coverage(data_dir=data_dir)
    indicator = widgets.Dropdown(options=[(INDICATOR_LABELS[i], i) for i in indicators],
                                 value="co2", description="Indicator")
    target = widgets.IntSlider(value=50, min=0, max=100, step=1, description="Target (%)",
                               continuous_update=False)
    output = widgets.HTML()

    def update(_: Any = None) -> None:
        chosen = indicator.value
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", MissingDataWarning)  # listed in the panel
                found = smallest_coalition(values[chosen], target.value / 100, totals[chosen],
                                           chosen)
        except TargetUnreachable as error:
            output.value = summary_html(chosen, target.value, None, pd.DataFrame(),
                                        forum_rows[forum_rows["indicator"] == chosen],
                                        missing[chosen], str(error))
            return
        table = coalition_table(found, values[chosen], totals[chosen], names)
        output.value = summary_html(chosen, target.value, found, table,
                                    forum_rows[forum_rows["indicator"] == chosen],
                                    missing[chosen])

    for control in (indicator, target):
        control.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox([indicator, target]), output])


def twin_chart(data_dir: PathLike = None) -> alt.LayerChart:
    """The kernel-free twin: the calculator chart over the build-time grid of targets."""
    ranks = pd.concat([ranking(i, data_dir) for i in INDICATOR_LABELS], ignore_index=True)
    table = forums(data_dir)
    names = dict(zip(table["forum_id"].astype(str), table["name"].astype(str), strict=True))
    return critical_mass_chart(critical_mass_grid(data_dir=data_dir), ranks,
                               forum_coverage(data_dir=data_dir), names)
