"""Helpers that exercise tests may call (they are in every test's namespace).

They work on the rebuilt, plain values the checker receives: DataFrames and chart spec dicts.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "chart_data",
    "chart_encoding",
    "chart_field",
    "chart_mark",
    "frame_equal",
    "is_chart",
]


def frame_equal(
    actual: Any,
    expected: Any,
    *,
    check_dtype: bool = False,
    ignore_index: bool = True,
    ignore_order: bool = False,
) -> bool:
    """True when two DataFrames (or Series) hold the same values.

    By default the row index is ignored (``reset_index(drop=True)``) and dtypes may differ in
    width (int32 vs int64); ``ignore_order`` sorts rows first.
    """
    import pandas as pd

    kind = type(expected)
    if type(actual) is not kind or kind not in (pd.DataFrame, pd.Series):
        return False
    if kind is pd.DataFrame and list(actual.columns) != list(expected.columns):
        return False
    if ignore_order:
        by = list(expected.columns) if kind is pd.DataFrame else None
        actual = actual.sort_values(by) if by else actual.sort_values()
        expected = expected.sort_values(by) if by else expected.sort_values()
    if ignore_index:
        actual, expected = actual.reset_index(drop=True), expected.reset_index(drop=True)
    check = pd.testing.assert_frame_equal if kind is pd.DataFrame else pd.testing.assert_series_equal
    try:
        check(actual, expected, check_dtype=check_dtype, check_names=kind is pd.DataFrame)
    except AssertionError:
        return False
    return True


def is_chart(spec: Any) -> bool:
    """True for a Vega-Lite spec dict (what an Altair chart answer arrives as)."""
    return type(spec) is dict and "$schema" in spec and "vega-lite" in str(spec["$schema"])


def chart_mark(spec: dict[str, Any]) -> str | None:
    """The mark type of a single-view chart ("bar", "line", ...)."""
    mark = spec.get("mark")
    if isinstance(mark, dict):
        return mark.get("type")
    return mark


def chart_encoding(spec: dict[str, Any], channel: str) -> dict[str, Any]:
    """The encoding of one channel ("x", "y", "color", ...), or {} when absent."""
    encoding = spec.get("encoding", {}).get(channel, {})
    return encoding if isinstance(encoding, dict) else {}


def chart_field(spec: dict[str, Any], channel: str) -> str | None:
    """The data field shown on a channel, e.g. ``chart_field(spec, "x") == "founded_year"``."""
    return chart_encoding(spec, channel).get("field")


def chart_data(spec: dict[str, Any]) -> Any:
    """The chart's inline data as a DataFrame (Altair stores it under ``datasets``)."""
    import pandas as pd

    data = spec.get("data", {})
    if "values" in data:
        return pd.DataFrame(data["values"])
    name = data.get("name")
    rows = spec.get("datasets", {}).get(name)
    if rows is None:
        return pd.DataFrame()
    return pd.DataFrame(rows)
