"""Answers as plain data: encode in the student process, rebuild in the checker.

Only exact built-in types, numpy scalars and arrays of plain dtypes, exact ``pandas.DataFrame`` /
``pandas.Series`` (sent as Arrow IPC bytes) and Altair charts (sent as their Vega-Lite spec dict)
cross the boundary; never pickle. Anything else — a subclass, an object with its own ``__eq__`` —
is refused with a reason. The decoder trusts nothing: it checks every tag and rebuilds values with
exact types, so even a forged message can only carry plain data.
"""

from __future__ import annotations

import base64
import re
import sys
from typing import Any

MAX_DEPTH = 50
SCALARS = (bool, int, float, str)
# Python refuses to write or read integers of more than 4,300 decimal digits (a guard against
# slow conversions), JSON included; larger ones (2000! has 5,736) travel in hexadecimal.
BIG_INT_BITS = 12_000
HEX_INT = re.compile(r"-?0x[0-9a-f]+")


class Refused(Exception):
    """A value that cannot be graded; the message says why, in words a student understands."""


def _is_altair_chart(value: Any) -> bool:
    module = type(value).__module__ or ""
    return module.startswith("altair.") and hasattr(value, "to_dict") and any(
        cls.__name__ == "TopLevelMixin" for cls in type(value).__mro__
    )


def _arrow_bytes(frame: Any) -> str:
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=True)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return base64.b64encode(sink.getvalue().to_pybytes()).decode("ascii")


def encode(value: Any, depth: int = 0) -> dict[str, Any]:
    """Encode an answer as a JSON-safe tagged dict, or raise Refused."""
    if depth > MAX_DEPTH:
        raise Refused("the value is nested too deeply")
    kind = type(value)
    if value is None:
        return {"t": "none"}
    if value is Ellipsis:
        return {"t": "ellipsis"}
    if kind is int and value.bit_length() > BIG_INT_BITS:
        return {"t": "int", "hex": hex(value)}
    if kind in SCALARS:
        return {"t": kind.__name__, "v": value}
    if kind in (list, tuple):
        return {"t": kind.__name__, "v": [encode(item, depth + 1) for item in value]}
    if kind in (set, frozenset):
        return {"t": "set", "v": [encode(item, depth + 1) for item in value]}
    if kind is dict:
        return {
            "t": "dict",
            "v": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()],
        }
    module = kind.__module__ or ""
    if module == "numpy":
        import numpy as np

        if isinstance(value, np.bool_):
            return {"t": "bool", "v": bool(value)}
        if isinstance(value, np.integer):
            return {"t": "int", "v": int(value)}
        if isinstance(value, np.floating):
            return {"t": "float", "v": float(value)}
        if kind is np.ndarray and value.dtype.kind in "biufU":
            return {"t": "ndarray", "dtype": value.dtype.str, "v": value.tolist()}
    if module == "pandas" or module.startswith("pandas."):
        import pandas as pd

        if kind is pd.DataFrame:
            return {"t": "dataframe", "arrow": _arrow_bytes(value)}
        if kind is pd.Series:
            name = value.name
            frame = value.to_frame(name="__series__")
            return {"t": "series", "name": encode(name, depth + 1), "arrow": _arrow_bytes(frame)}
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(value, (pandas.DataFrame, pandas.Series)):
        base = "DataFrame" if isinstance(value, pandas.DataFrame) else "Series"
        raise Refused(
            f"{kind.__name__} is a subclass of pandas {base} (it may change how it compares); "
            f"answer with a plain {base}"
        )
    if _is_altair_chart(value):
        return {"t": "chart", "spec": value.to_dict(validate=False)}
    for base in (*SCALARS, list, tuple, dict, set):
        if isinstance(value, base):
            raise Refused(
                f"{kind.__name__} is a subclass of {base.__name__} (it may change how it "
                f"compares); answer with a plain {base.__name__}"
            )
    raise Refused(
        f"a {kind.__name__} cannot be graded; answer with a number, text, list, dict, "
        "DataFrame, Series or Altair chart"
    )


def _rebuild_frame(b64: Any) -> Any:
    import pandas as pd
    import pyarrow as pa

    if not isinstance(b64, str):
        raise Refused("malformed DataFrame data")
    reader = pa.ipc.open_stream(base64.b64decode(b64, validate=True))
    table = reader.read_all()
    table.validate(full=True)  # malformed buffers are refused here, not crashed on later
    frame = table.to_pandas()
    if type(frame) is not pd.DataFrame:
        raise Refused("malformed DataFrame data")
    return frame


def _json_tree(value: Any, depth: int = 0) -> Any:
    """Check that a chart spec is a tree of plain JSON values (exact types only)."""
    if depth > 200:
        raise Refused("the chart spec is nested too deeply")
    kind = type(value)
    if value is None or kind in SCALARS:
        return value
    if kind is list:
        return [_json_tree(item, depth + 1) for item in value]
    if kind is dict and all(type(k) is str for k in value):
        return {k: _json_tree(v, depth + 1) for k, v in value.items()}
    raise Refused("the chart spec holds a value that is not plain JSON")


def decode(data: Any, depth: int = 0) -> Any:
    """Rebuild a value from its tagged form with exact types; raise Refused on anything else."""
    if depth > MAX_DEPTH:
        raise Refused("the value is nested too deeply")
    if type(data) is not dict or type(data.get("t")) is not str:
        raise Refused("malformed answer data")
    tag, payload = data["t"], data.get("v")
    if tag == "int" and "hex" in data:
        if type(data["hex"]) is not str or not HEX_INT.fullmatch(data["hex"]):
            raise Refused("malformed answer data")
        return int(data["hex"], 16)
    if tag == "none":
        return None
    if tag == "ellipsis":
        return Ellipsis
    if tag in ("bool", "int", "float", "str"):
        expected = {"bool": bool, "int": int, "float": float, "str": str}[tag]
        if type(payload) is not expected:
            if tag == "float" and type(payload) is int:
                return float(payload)
            raise Refused("malformed answer data")
        return payload
    if tag in ("list", "tuple", "set"):
        if type(payload) is not list:
            raise Refused("malformed answer data")
        items = [decode(item, depth + 1) for item in payload]
        try:
            return {"list": list, "tuple": tuple, "set": set}[tag](items)
        except TypeError as err:  # an unhashable set member
            raise Refused("malformed set data") from err
    if tag == "dict":
        if type(payload) is not list or any(type(p) is not list or len(p) != 2 for p in payload):
            raise Refused("malformed answer data")
        try:
            return {decode(k, depth + 1): decode(v, depth + 1) for k, v in payload}
        except TypeError as err:  # an unhashable key, e.g. a list
            raise Refused("malformed dict data") from err
    if tag == "ndarray":
        import numpy as np

        dtype = np.dtype(data.get("dtype") if type(data.get("dtype")) is str else "O")
        if dtype.kind not in "biufU" or type(payload) is not list:
            raise Refused("malformed array data")
        return np.array(_json_tree(payload), dtype=dtype)
    if tag == "dataframe":
        return _rebuild_frame(data.get("arrow"))
    if tag == "series":
        frame = _rebuild_frame(data.get("arrow"))
        if list(frame.columns) != ["__series__"]:
            raise Refused("malformed Series data")
        series = frame["__series__"]
        series.name = decode(data.get("name"), depth + 1)
        return series
    if tag == "chart":
        spec = data.get("spec")
        if type(spec) is not dict:
            raise Refused("malformed chart spec")
        return _json_tree(spec)
    raise Refused(f"unknown answer type {tag!r}")


def is_blank(value: Any) -> bool:
    """True for the placeholder a blank answer cell leaves (``answer = ...``)."""
    return value is Ellipsis
