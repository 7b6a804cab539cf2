"""Answers as plain data: encode in the student process, rebuild in the checker.

Only exact built-in types, numpy scalars and arrays of plain dtypes, exact ``pandas.DataFrame`` /
``pandas.Series`` (sent as Arrow IPC bytes) and Altair charts (sent as their Vega-Lite spec dict)
cross the boundary; never pickle. Anything else — a subclass, an object with its own ``__eq__`` —
is refused with a reason. The decoder trusts nothing: it checks every tag and rebuilds values with
exact types, so even a forged message can only carry plain data; and it is bounded, so a small
forged message cannot make it build something huge or slow: an array's item size and size, the
items of all containers of one answer, a DataFrame's cells (no compressed Arrow data, only plain
column types), and keys that share one hash (which make building a dict or set quadratic).

A refusal crosses from the notebook as a code (:data:`REFUSALS`) and at most a type name that
:func:`type_name` accepts; the grading process words it itself (:func:`refusal_text`), so no text
of the notebook's reaches the feedback as the grader's.
"""

from __future__ import annotations

import base64
import re
import struct
import sys
from collections import Counter
from typing import Any

MAX_DEPTH = 50
SCALARS = (bool, int, float, str)
# Python refuses to write or read integers of more than 4,300 decimal digits (a guard against
# slow conversions), JSON included; larger ones (2000! has 5,736) travel in hexadecimal.
BIG_INT_BITS = 12_000
HEX_INT = re.compile(r"-?0x[0-9a-f]+")

# Bounds of the decoder. An answer message is at most 64 MB; these keep what it rebuilds within
# a small multiple of that, whatever the message claims.
MAX_ITEMS = 2**24  # items of all lists, tuples, sets, dicts and arrays of one answer
MAX_ARRAY_ITEM_BYTES = 2**20  # a numpy item ("<U100000000" would be 400 MB per item)
MAX_ARRAY_BYTES = 2**28
MAX_FRAME_CELLS = 2**24  # values in a DataFrame's columns, nested values included
MAX_SAME_HASH = 8  # keys of one dict or set that share a hash (honest keys practically never)
ARRAY_DTYPE = re.compile(r"[<>|=]?(b1|[iu][1248]|f(2|4|8|16)|U[0-9]{1,9})")

# A type name from the notebook is repeated only if it looks like one.
TYPE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
PLAIN_BASES = ("bool", "int", "float", "str", "list", "tuple", "dict", "set")
PANDAS_BASES = ("DataFrame", "Series")
REFUSALS = (
    "nested", "unsupported", "unreadable", "not-json", "too-large",
    *(f"subclass-{base}" for base in PLAIN_BASES + PANDAS_BASES),
)


def type_name(name: Any) -> str | None:
    """``name`` if it is a plain type name (ASCII identifier, at most 64 characters)."""
    return name if type(name) is str and TYPE_NAME.fullmatch(name) else None


def refusal_text(code: str, name: str | None = None, result_mb: int | None = None) -> str:
    """The grader's words for a refusal ``code`` (one of :data:`REFUSALS`); ``name`` is the
    answer's type (or the error's), repeated only if :func:`type_name` accepts it."""
    name = type_name(name)
    if code.startswith("subclass-"):
        base = code.removeprefix("subclass-")
        who = name or "its type"
        if base in PANDAS_BASES:
            return (f"{who} is a subclass of pandas {base} (it may change how it compares); "
                    f"answer with a plain {base}")
        return (f"{who} is a subclass of {base} (it may change how it compares); answer with "
                f"a plain {base}")
    if code == "nested":
        return "the value is nested too deeply"
    if code == "unsupported":
        return (f"{f'a {name}' if name else 'a value of this type'} cannot be graded; answer "
                "with a number, text, list, dict, DataFrame, Series or Altair chart")
    if code == "unreadable":
        return "could not be read" + (f" ({name})" if name else "")
    if code == "not-json":
        return "could not be sent to the grader" + (f" ({name})" if name else "")
    if code == "too-large":
        limit = f" (all answers together may take {result_mb} MB)" if result_mb else ""
        return f"is too large to grade{limit}"
    raise ValueError(f"unknown refusal code {code!r}")


class Refused(Exception):
    """A value that cannot be graded; the message says why, in words a student understands.
    ``code`` and ``type_name`` say the same for the wire (empty where the checker refuses)."""

    def __init__(self, message: str, code: str = "", type_name: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.type_name = type_name


def _refuse(code: str, name: Any = "") -> Refused:
    return Refused(refusal_text(code, name), code, type_name(name) or "")


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
        raise _refuse("nested")
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
        raise _refuse(f"subclass-{base}", kind.__name__)
    if _is_altair_chart(value):
        return {"t": "chart", "spec": value.to_dict(validate=False)}
    for base in (*SCALARS, list, tuple, dict, set):
        if isinstance(value, base):
            raise _refuse(f"subclass-{base.__name__}", kind.__name__)
    raise _refuse("unsupported", kind.__name__)


class _Budget:
    """Items rebuilt so far for one answer, against :data:`MAX_ITEMS`."""

    def __init__(self) -> None:
        self.items = 0

    def take(self, count: int) -> None:
        self.items += count
        if self.items > MAX_ITEMS:
            raise Refused(f"the value holds more than {MAX_ITEMS:,} items")


def _flatbuffer_table(buffer: bytes, at: int) -> int:
    return at + struct.unpack_from("<I", buffer, at)[0]


def _flatbuffer_field(buffer: bytes, table: int, slot: int) -> int | None:
    """Where field ``slot`` of the flatbuffer table at ``table`` starts, None if absent."""
    vtable = table - struct.unpack_from("<i", buffer, table)[0]
    size = struct.unpack_from("<H", buffer, vtable)[0]
    if 4 + 2 * slot + 2 > size:
        return None
    offset = struct.unpack_from("<H", buffer, vtable + 4 + 2 * slot)[0]
    return table + offset if offset else None


# Arrow's Message.fbs: Message{version, header_type, header}; MessageHeader 2 = DictionaryBatch
# {id, data: RecordBatch}, 3 = RecordBatch{length, nodes, buffers, compression}.
DICTIONARY_BATCH, RECORD_BATCH, COMPRESSION_SLOT = 2, 3, 3


def _compressed_message(metadata: bytes) -> bool:
    """Whether an Arrow IPC message says its body is compressed (read from its flatbuffer,
    before anything is decompressed: a few KB of zstd can stand for gigabytes)."""
    root = _flatbuffer_table(metadata, 0)
    kind_at, header_at = (_flatbuffer_field(metadata, root, slot) for slot in (1, 2))
    kind = metadata[kind_at] if kind_at is not None else 0
    if header_at is None or kind not in (DICTIONARY_BATCH, RECORD_BATCH):
        return False
    header = _flatbuffer_table(metadata, header_at)
    if kind == DICTIONARY_BATCH:
        data_at = _flatbuffer_field(metadata, header, 1)
        if data_at is None:
            return False
        header = _flatbuffer_table(metadata, data_at)
    return _flatbuffer_field(metadata, header, COMPRESSION_SLOT) is not None


def _plain_arrow_type(kind: Any) -> bool:
    """Column types pandas itself writes; not run-end encoded, view or extension types, whose
    few bytes can stand for far more values."""
    import pyarrow as pa

    types = pa.types
    if types.is_dictionary(kind):
        return _plain_arrow_type(kind.index_type) and _plain_arrow_type(kind.value_type)
    if types.is_list(kind) or types.is_large_list(kind):
        return _plain_arrow_type(kind.value_type)
    if types.is_struct(kind):
        return all(_plain_arrow_type(kind.field(i).type) for i in range(kind.num_fields))
    return any(check(kind) for check in (
        types.is_null, types.is_boolean, types.is_integer, types.is_floating, types.is_decimal,
        types.is_string, types.is_large_string, types.is_binary, types.is_large_binary,
        types.is_timestamp, types.is_date, types.is_time, types.is_duration))


def _values_in(batch: Any) -> int:
    """How many values a record batch holds, nested ones (list items, struct fields,
    dictionaries) included: a column of nulls has no buffers, whatever its length."""
    import pyarrow as pa

    count, arrays = 0, list(batch.columns)
    while arrays:
        array = arrays.pop()
        count += len(array)
        if isinstance(array, pa.DictionaryArray):
            arrays.append(array.dictionary)
        elif isinstance(array, (pa.ListArray, pa.LargeListArray)):
            arrays.append(array.values)
        elif isinstance(array, pa.StructArray):
            arrays += [array.field(i) for i in range(array.type.num_fields)]
    return count


def _rebuild_frame(b64: Any, budget: _Budget) -> Any:
    import pandas as pd
    import pyarrow as pa

    if not isinstance(b64, str):
        raise Refused("malformed DataFrame data")
    data = pa.py_buffer(base64.b64decode(b64, validate=True))
    if any(_compressed_message(message.metadata.to_pybytes())
           for message in pa.ipc.MessageReader.open_stream(data)):
        raise Refused("the DataFrame data is compressed, which the grader does not accept")
    reader = pa.ipc.open_stream(data)
    if not all(_plain_arrow_type(field.type) for field in reader.schema):
        raise Refused("the DataFrame has a column type the grader does not accept")
    batches, cells = [], 0
    for batch in reader:
        cells += _values_in(batch)
        if cells > MAX_FRAME_CELLS:
            raise Refused(f"the DataFrame holds more than {MAX_FRAME_CELLS:,} values")
        batches.append(batch)
    budget.take(cells)
    table = pa.Table.from_batches(batches, schema=reader.schema)
    table.validate(full=True)  # malformed buffers are refused here, not crashed on later
    frame = table.to_pandas(use_threads=False)
    if type(frame) is not pd.DataFrame:
        raise Refused("malformed DataFrame data")
    return frame


def _json_tree(value: Any, budget: _Budget, depth: int = 0) -> Any:
    """Check that a chart spec is a tree of plain JSON values (exact types only)."""
    if depth > 200:
        raise Refused("the chart spec is nested too deeply")
    kind = type(value)
    if value is None or kind in SCALARS:
        return value
    if kind is list:
        budget.take(len(value))
        return [_json_tree(item, budget, depth + 1) for item in value]
    if kind is dict and all(type(k) is str for k in value):
        budget.take(len(value))
        return {k: _json_tree(v, budget, depth + 1) for k, v in value.items()}
    raise Refused("the chart spec holds a value that is not plain JSON")


def _leaves(payload: list[Any]) -> int:
    """Scalars in nested lists (an array's elements), counted without recursion."""
    count, stack = 0, [payload]
    while stack:
        node = stack.pop()
        if type(node) is list:
            stack += node
        else:
            count += 1
    return count


def _hashed(keys: list[Any], what: str) -> None:
    """Refuse keys that would make building a dict or set quadratic: keys sharing one hash
    (``k * (2**61 - 1)`` for any int k all hash alike) are each compared with all the
    others."""
    try:
        hashes = Counter(hash(key) for key in keys)
    except TypeError as err:  # an unhashable key or member, e.g. a list
        raise Refused(f"malformed {what} data") from err
    if hashes and max(hashes.values()) > MAX_SAME_HASH:
        raise Refused(f"more than {MAX_SAME_HASH} keys of the {what} share one hash value "
                      "(building it would take too long)")


def _array(data: dict[str, Any], payload: Any) -> Any:
    import numpy as np

    dtype_text = data.get("dtype")
    if type(dtype_text) is not str or not ARRAY_DTYPE.fullmatch(dtype_text) \
            or type(payload) is not list:
        raise Refused("malformed array data")
    dtype = np.dtype(dtype_text)
    if dtype.itemsize > MAX_ARRAY_ITEM_BYTES:
        raise Refused(f"the array's items take more than {MAX_ARRAY_ITEM_BYTES:,} bytes each")
    count = _leaves(payload)
    if count * dtype.itemsize > MAX_ARRAY_BYTES:
        raise Refused(f"the array would take more than {MAX_ARRAY_BYTES // 2**20} MB")
    return dtype, count


def decode(data: Any) -> Any:
    """Rebuild a value from its tagged form with exact types; raise Refused on anything else
    (including values past the decoder's bounds, see the module's docstring)."""
    return _decode(data, 0, _Budget())


def _decode(data: Any, depth: int, budget: _Budget) -> Any:
    if depth > MAX_DEPTH:
        raise _refuse("nested")
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
        budget.take(len(payload))
        items = [_decode(item, depth + 1, budget) for item in payload]
        if tag == "set":
            _hashed(items, "set")
            return set(items)
        return list(items) if tag == "list" else tuple(items)
    if tag == "dict":
        if type(payload) is not list or any(type(p) is not list or len(p) != 2 for p in payload):
            raise Refused("malformed answer data")
        budget.take(len(payload))
        pairs = [(_decode(k, depth + 1, budget), _decode(v, depth + 1, budget))
                 for k, v in payload]
        _hashed([key for key, _ in pairs], "dict")
        return dict(pairs)
    if tag == "ndarray":
        import numpy as np

        dtype, count = _array(data, payload)
        budget.take(count)
        return np.array(payload, dtype=dtype)
    if tag == "dataframe":
        return _rebuild_frame(data.get("arrow"), budget)
    if tag == "series":
        frame = _rebuild_frame(data.get("arrow"), budget)
        if list(frame.columns) != ["__series__"]:
            raise Refused("malformed Series data")
        series = frame["__series__"]
        series.name = _decode(data.get("name"), depth + 1, budget)
        return series
    if tag == "chart":
        spec = data.get("spec")
        if type(spec) is not dict:
            raise Refused("malformed chart spec")
        return _json_tree(spec, budget)
    raise Refused("unknown answer type")


def is_blank(value: Any) -> bool:
    """True for the placeholder a blank answer cell leaves (``answer = ...``)."""
    return value is Ellipsis
