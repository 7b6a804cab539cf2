"""The compact site spec draws exactly what the chart's own Vega-Lite spec draws."""

from __future__ import annotations

import io
import json
import re

import altair as alt
import pandas as pd
import pytest
import vl_convert as vlc

from minilat.site import chart_payload
from minilat.site.vendor import vega_lite_minor_version

ARIA = re.compile(r'\s(?:aria-[a-z]+|role)="[^"]*"')


def _same_drawing(chart: alt.TopLevelMixin) -> dict:
    """Render the chart from its Vega-Lite spec and from the site spec: the same SVG, except
    for the per-mark ARIA attributes the site leaves out (the chart's SVG is one labelled
    image there)."""
    spec = chart.to_dict()
    site = chart_payload.site_spec(spec)
    version = vega_lite_minor_version()
    drawn = vlc.vega_to_svg(site)
    assert drawn == vlc.vegalite_to_svg(chart_payload.without_mark_aria(spec), vl_version=version)
    assert ARIA.sub("", drawn) == ARIA.sub("", vlc.vegalite_to_svg(spec, vl_version=version))
    return site


def _tables(site: dict) -> list[dict]:
    return [d for d in site["data"] if "values" in d]


def test_typed_columns_travel_as_csv_and_draw_the_same() -> None:
    frame = pd.DataFrame({
        "forum": ["G7", 'The "Quad"', "BRICS, enlarged", "Line\nbreak"],
        "year": [1975, 2007, 2009, 2024],
        "share": [0.5, 0.125, None, 1e-7],
        "member": [True, False, True, False],
        "unused": ["a", "b", "c", "d"],
    })
    chart = alt.Chart(frame).mark_point().encode(
        x="year:Q", y="share:Q", color="member:N", tooltip=["forum"]
    )
    site = _same_drawing(chart)
    [table] = _tables(site)
    assert table["format"] == {"type": "csv",
                               "parse": {"year": "number", "share": "number",
                                         "member": "boolean"}}
    assert table["values"].splitlines()[0] == "forum,year,share,member", "unused column kept"
    assert len(json.dumps(table)) < len(json.dumps(chart.to_dict()["datasets"]))


def test_columns_named_only_in_expressions_are_kept() -> None:
    frame = pd.DataFrame({"x": [1, 2, 3], "y": [3, 1, 2], "level": ["low", "high", "high"]})
    chart = alt.Chart(frame).mark_bar().encode(x="x:O", y="y:Q").transform_filter(
        "datum.level == 'high'"
    )
    site = _same_drawing(chart)
    assert "level" in _tables(site)[0]["values"].splitlines()[0]


def test_bound_parameters_and_temporal_fields_draw_the_same() -> None:
    frame = pd.DataFrame({"when": pd.to_datetime(["1999-01-01", "2008-11-15", "2019-06-30"]),
                          "n": [20, 20, 19]})
    cut = alt.param(name="cut", value=19, bind=alt.binding_range(min=0, max=25, name="cut"))
    chart = alt.Chart(frame).mark_line().encode(x="when:T", y="n:Q").add_params(cut)\
        .transform_filter(alt.datum.n >= cut)
    _same_drawing(chart)


@pytest.mark.parametrize("values", [
    [{"a": [1, 2]}, {"a": [3]}],             # lists cannot be CSV cells
    [{"a": "x"}, {"a": None}],                # null text would come back as ""
    [{"a": "x"}, {"a": ""}],                  # and "" must stay ""
    [{"a": 1}, {"b": 2}],                     # a missing key would come back as null
    [{"a": float("inf")}],
])
def test_tables_csv_would_change_stay_json(values: list[dict]) -> None:
    assert chart_payload.rows_as_csv(values) is None


def test_whole_floats_are_written_as_integers() -> None:
    text, parse = chart_payload.rows_as_csv([{"year": 1995.0, "x": 0.5}])
    assert text == "year,x\n1995,0.5\n" and parse == {"year": "number", "x": "number"}


def _gradient_chart(title: str) -> dict:
    """Two layers with a clip path and a gradient legend: SVG ids and references."""
    data = pd.DataFrame({"x": [1, 2, 3], "y": [3, 1, 2], "v": [0.1, 0.5, 0.9]})
    base = alt.Chart(data).mark_point(clip=True).encode(
        x=alt.X("x:Q", scale=alt.Scale(domain=[0, 2])), y="y:Q", color="v:Q")
    return (base + base.mark_line(clip=True)).properties(title=title, description="d").to_dict()


def test_still_svg_ids_are_unique_per_chart_and_references_follow() -> None:
    stills = [chart_payload.still_svg(chart_payload.site_spec(_gradient_chart(t)), prefix)
              for t, prefix in (("A", "chart-a"), ("B", "chart-b"))]
    ids = [i for svg in stills for i in re.findall(r'\bid="([^"]+)"', svg)]
    assert ids, "the test chart should have clip paths and a gradient"
    assert len(ids) == len(set(ids)), f"duplicate ids across two charts: {ids}"
    for svg, prefix in zip(stills, ("chart-a", "chart-b"), strict=True):
        own = set(re.findall(r'\bid="([^"]+)"', svg))
        assert all(i.startswith(prefix + "-") for i in own)
        refs = set(re.findall(r"url\(#([^)]+)\)", svg))
        assert refs and refs <= own, f"references to missing ids: {refs - own}"


def _pixels(svg: str):
    from PIL import Image

    return Image.open(io.BytesIO(vlc.svg_to_png(svg))).convert("RGB")


def test_still_svg_looks_like_the_chart_vega_draws_first() -> None:
    from PIL import ImageChops

    for chart in (_gradient_chart("A"), _heatmap()):
        vega = chart_payload.site_spec(chart)
        still = chart_payload.still_svg(vega, "p")
        plain = vlc.vega_to_svg(vega)
        assert len(still) < len(plain)
        before, after = _pixels(plain), _pixels(still)
        assert before.size == after.size
        difference = ImageChops.difference(before, after)
        changed = sum(1 for pixel in difference.get_flattened_data() if max(pixel) > 40)
        # Three decimals instead of sixteen move anti-aliased edges by a few levels only.
        assert changed == 0, f"{changed} pixels differ visibly"
    assert 'class="marks"' not in still, "the live view alone carries the class 'marks'"
    assert " role=" not in still and "aria-label" not in still


def _heatmap() -> dict:
    cells = pd.DataFrame([{"a": f"f{i}", "b": f"f{j}", "v": (i * j) % 7}
                          for i in range(20) for j in range(20)])
    return alt.Chart(cells).mark_rect(stroke="white", strokeWidth=0.3).encode(
        x="a:N", y="b:N", color=alt.Color("v:Q", scale=alt.Scale(scheme="viridis"))
    ).properties(title="H", description="d").to_dict()


def test_still_svg_moves_shared_attributes_to_the_group() -> None:
    still = chart_payload.still_svg(chart_payload.site_spec(_heatmap()), "h")
    assert still.count('stroke-width="0.3"') == 1, "the 400 cells' stroke should be said once"
    assert "rgb(" not in still and 'opacity="1"' not in still
