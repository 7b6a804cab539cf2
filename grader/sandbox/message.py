"""The answer message a notebook's process sends the grading process, read as hostile input.

The child writes one line, ``{"done": {...}}``, on its socket — but the submission's code runs in
that process and can write anything there. So the bytes are read by rules, not by hope:

- exactly one line, ending in a newline (an honest child writes one; a second ``done`` line, a
  flood of empty lines or any other text means the notebook's code wrote there itself);
- JSON whose reading cannot raise anything but :class:`Malformed` (invalid UTF-8, nesting
  deeper than Python's recursion limit);
- a schema with exact types: ``answers`` maps names the request asked for to ``{"state":
  "value", "data": ...}``, ``{"state": "missing"}`` or ``{"state": "refused", "code": ...,
  "type": ...}`` (a code of :data:`grader.values.REFUSALS`, worded here by the grader);
  ``cell_errors`` lists ``{"cell", "error"}`` for cells the submission has, each at most once;
  ``output``, ``output_size``, ``ms`` and ``faults`` are optional diagnostics; strings, lists and
  the nesting depth of answer data are bounded (depth checked without recursion).

Anything else raises :class:`Malformed`, whose text says what was wrong in the grader's words
(never quoting the message). The answer data itself is checked later, when it is rebuilt
(:func:`grader.values.decode`).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from grader.values import REFUSALS, refusal_text, type_name

MAX_DATA_DEPTH = 400  # JSON nesting of one answer's data (honest: ~3 per level of a value)
MAX_ERROR_CHARS = 1000  # the child keeps 300 characters of a cell's error
MAX_OUTPUT_CHARS = 16_384  # the child keeps 4,096 characters of printed output
MAX_TIMINGS = 16
REQUIRED = ("answers", "cell_errors")
OPTIONAL = ("output", "output_size", "ms", "faults")


class Malformed(ValueError):
    """The message breaks a rule; the text says which, in the grader's words."""


def one_line(received: bytes | bytearray) -> bytes | bytearray:
    """``received`` itself (not a copy: it may be 64 MB), once it is known to be exactly one
    complete line; raises Malformed otherwise. Counting newlines is linear and allocates
    nothing per line. (JSON reads the final newline as whitespace.)"""
    if not received.endswith(b"\n"):
        raise Malformed("its last line is incomplete")
    lines = received.count(b"\n")
    if lines != 1:
        raise Malformed(f"it holds {lines:,} lines instead of one")
    return received


def parse(line: bytes | bytearray) -> Any:
    """JSON of one line. Raises only Malformed."""
    try:
        return json.loads(line)
    except RecursionError as err:
        raise Malformed("it is nested too deeply to read") from err
    except UnicodeDecodeError as err:
        raise Malformed("it is not UTF-8 text") from err
    except json.JSONDecodeError as err:
        raise Malformed(f"it is not JSON ({err.msg})") from err
    except ValueError as err:  # e.g. an integer of more than 4,300 digits
        raise Malformed("it holds a value JSON cannot carry") from err


def _within_depth(data: Any, limit: int) -> bool:
    """Whether ``data`` nests at most ``limit`` lists or dicts deep (no recursion)."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return False
        children = node.values() if type(node) is dict else node
        stack += [(child, depth + 1) for child in children if type(child) in (dict, list)]
    return True


def _number(value: Any) -> bool:
    return type(value) in (int, float)


def _answer(entry: Any, result_mb: int) -> dict[str, Any]:
    if type(entry) is not dict:
        raise Malformed("an answer is not an object")
    state = entry.get("state")
    if state == "missing" and entry.keys() == {"state"}:
        return {"state": "missing"}
    if state == "value" and entry.keys() == {"state", "data"}:
        data = entry["data"]
        if type(data) in (dict, list) and not _within_depth(data, MAX_DATA_DEPTH):
            raise Malformed(f"an answer's data is nested more than {MAX_DATA_DEPTH} deep")
        return {"state": "value", "data": data}
    if state == "refused" and {"state", "code"} <= entry.keys() <= {"state", "code", "type"}:
        code = entry["code"]
        if type(code) is not str or code not in REFUSALS:
            raise Malformed("an answer is refused with a code the grader does not know")
        if "type" in entry and type_name(entry["type"]) is None:
            raise Malformed("a refused answer names a type that is not a type name")
        return {"state": "refused",
                "reason": refusal_text(code, entry.get("type"), result_mb)}
    raise Malformed("an answer is not a value, a missing answer or a refusal")


def _cell_errors(errors: Any, cells: Collection[int]) -> list[dict[str, Any]]:
    if type(errors) is not list:
        raise Malformed("its cell errors are not a list")
    if len(errors) > len(cells):
        raise Malformed("it lists more cell errors than the notebook has cells")
    seen: set[int] = set()
    checked = []
    for error in errors:
        if type(error) is not dict or error.keys() != {"cell", "error"}:
            raise Malformed("a cell error is not {cell, error}")
        cell, text = error["cell"], error["error"]
        if type(cell) is not int or cell not in cells or cell in seen:
            raise Malformed("a cell error names a cell the notebook does not have")
        if type(text) is not str or len(text) > MAX_ERROR_CHARS:
            raise Malformed("a cell error's text is not text of at most "
                            f"{MAX_ERROR_CHARS:,} characters")
        seen.add(cell)
        checked.append({"cell": cell, "error": text})
    return checked


def _timings(value: Any) -> bool:
    return (type(value) is dict and len(value) <= MAX_TIMINGS
            and all(type(k) is str and len(k) <= 32 and _number(v) for k, v in value.items()))


def validate(message: Any, answers: Collection[str], cells: Collection[int],
             result_bytes: int) -> dict[str, Any]:
    """The ``done`` part of a parsed message, checked and rebuilt from its known parts only;
    refusals are worded by the grader. ``answers`` and ``cells`` are what the request asked
    for (answer names) and the submission's code cells (their numbers)."""
    if type(message) is not dict or message.keys() != {"done"} or type(message["done"]) is not dict:
        raise Malformed('it is not a {"done": {...}} object')
    done = message["done"]
    if any(key not in done for key in REQUIRED):
        raise Malformed("it lacks its answers or its cell errors")
    if not done.keys() <= {*REQUIRED, *OPTIONAL}:
        raise Malformed("it has parts the grader does not know")
    sent = done["answers"]
    if type(sent) is not dict:
        raise Malformed("its answers are not an object")
    if len(sent) > len(answers) or not all(name in answers for name in sent):
        raise Malformed("it names an answer the exercise set does not ask for")
    checked: dict[str, Any] = {
        "answers": {name: _answer(entry, result_bytes // 2**20) for name, entry in sent.items()},
        "cell_errors": _cell_errors(done["cell_errors"], cells),
    }
    output = done.get("output", "")
    if type(output) is not str or len(output) > MAX_OUTPUT_CHARS:
        raise Malformed(f"its output is not text of at most {MAX_OUTPUT_CHARS:,} characters")
    size = done.get("output_size", len(output))
    if type(size) is not int or size < 0:
        raise Malformed("its output size is not a count")
    if not all(_timings(done.get(key, {})) for key in ("ms", "faults")):
        raise Malformed("its timings are not a few named numbers")
    checked.update(output=output, output_size=size, ms=done.get("ms", {}),
                   faults=done.get("faults", {}))
    return checked


def read_done(received: bytes | bytearray, answers: Collection[str], cells: Collection[int],
              result_bytes: int) -> dict[str, Any]:
    """The checked ``done`` of a whole received message; raises only Malformed."""
    return validate(parse(one_line(received)), answers, cells, result_bytes)
