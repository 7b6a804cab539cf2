"""Answers as plain data (encode/decode) and the honest in-notebook check()."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import pytest
from test_grader_helpers import write_tiny_source

from grader.bundle import public_payload
from grader.source import load_exercise_set
from grader.student import Checks
from grader.values import Refused, decode, encode


def round_trip(value: Any) -> Any:
    return decode(json.loads(json.dumps(encode(value))))


@pytest.mark.parametrize(
    "value",
    [None, True, 3, 2.5, "text", [1, "a", None], (1, 2), {"a": [1, 2]}, {1, 2}, {3: "x"}],
)
def test_plain_values_round_trip_with_exact_types(value: Any) -> None:
    rebuilt = round_trip(value)
    assert rebuilt == value and type(rebuilt) is type(value)


def test_integers_beyond_json_digit_limit_round_trip() -> None:
    """Python will not turn an int of more than 4,300 digits into JSON: such an answer made the
    child unable to send any answer at all."""
    for value in (10**5000, -(3**20000), 2**12_001):
        rebuilt = round_trip(value)
        assert rebuilt == value and type(rebuilt) is int
    with pytest.raises(Refused):
        decode({"t": "int", "hex": "0xzz"})


def test_numpy_scalars_become_python_numbers() -> None:
    assert type(round_trip(np.int64(4))) is int
    assert type(round_trip(np.float32(1.5))) is float
    array = round_trip(np.array([1, 2, 3]))
    assert array.tolist() == [1, 2, 3] and array.dtype == np.array([1]).dtype


def test_dataframe_and_series_round_trip_through_arrow() -> None:
    frame = pd.DataFrame({"forum": ["g7", "quad"], "members": [7, 4]},
                         index=pd.Index([10, 20], name="row"))
    rebuilt = round_trip(frame)
    assert type(rebuilt) is pd.DataFrame
    pd.testing.assert_frame_equal(rebuilt, frame)
    series = pd.Series([1.5, 2.5], name="share")
    again = round_trip(series)
    assert type(again) is pd.Series and again.name == "share"
    pd.testing.assert_series_equal(again, series)


def test_chart_arrives_as_its_spec() -> None:
    chart = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_bar().encode(x="x:O")
    spec = round_trip(chart)
    assert type(spec) is dict and spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "x"


class AlwaysEqual:
    def __eq__(self, other: object) -> bool:
        return True


class RiggedFrame(pd.DataFrame):
    def equals(self, other: object) -> bool:
        return True


class RiggedInt(int):
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = int.__hash__


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (AlwaysEqual(), "a AlwaysEqual cannot be graded"),
        (RiggedFrame({"a": [1]}), "subclass of pandas DataFrame"),
        (RiggedInt(3), "subclass of int"),
        ([1, RiggedInt(3)], "subclass of int"),
        ({"k": AlwaysEqual()}, "cannot be graded"),
        (lambda: 1, "cannot be graded"),
    ],
)
def test_rigged_values_are_refused(value: Any, reason: str) -> None:
    with pytest.raises(Refused, match=reason):
        encode(value)


@pytest.mark.parametrize(
    "data",
    [
        {"t": "pickle", "v": "gASV"},
        {"t": "int", "v": "3"},
        {"t": "int", "v": True},
        {"t": "list", "v": {"a": 1}},
        {"t": "dict", "v": [[{"t": "list", "v": []}, {"t": "int", "v": 1}]]},
        {"t": "chart", "spec": {"mark": {"__class__": 1, "x": object()}}},
        {"t": "dataframe", "arrow": 5},
        "not a dict",
    ],
)
def test_decoder_refuses_forged_data(data: Any) -> None:
    with pytest.raises((Refused, ValueError)):
        decode(data)


def checks_for(tmp_path: Path) -> Checks:
    exercise_set = load_exercise_set(write_tiny_source(tmp_path))
    return Checks(json.loads(json.dumps(public_payload(exercise_set, {"group": "alpha"}))))


def test_check_on_blank_answers_says_not_answered(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    checks = checks_for(tmp_path)
    checks.check_all({"n_rows": ..., "by_group": ...})
    out = capsys.readouterr().out
    assert "q1: not answered yet (3 points)" in out
    assert "q2: not answered yet (no variable named group_total)" in out
    assert "q5: written answer, graded by your instructor (2 points)" in out


def test_check_is_honest_about_hidden_tests(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    checks = checks_for(tmp_path)
    checks.check("q1", {"n_rows": 99})  # passes the public test, fails the hidden one
    out = capsys.readouterr().out
    assert "q1: all 1 public tests passed" in out
    assert "1 hidden test (2 points) will be run when graded" in out
    assert "all tests passed" not in out


def test_check_reports_failures_with_hints_and_never_raises(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    checks = checks_for(tmp_path)
    checks.check("q1", {"n_rows": "four"})
    checks.check("q3", {"by_group": AlwaysEqual()})
    checks.check("q9", {})
    out = capsys.readouterr().out
    assert "public test 1 failed: Use len(table).; n_rows should be a whole number" in out
    assert "q3: answer refused: a AlwaysEqual cannot be graded" in out
    assert "there is no question 'q9'" in out


def test_check_uses_the_callers_namespace(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    checks = checks_for(tmp_path)
    namespace = {"check": checks.check}
    exec("n_rows = 4\ncheck('q1')", namespace)
    assert "q1: all 1 public tests passed" in capsys.readouterr().out


def test_dataframe_dtypes_survive_the_trip() -> None:
    frame = pd.DataFrame({
        "forum": pd.array(["g7", None], dtype="string"),
        "founded": pd.array([1975, None], dtype="Int64"),
        "kind": pd.Categorical(["minilateral", "multilateral"]),
        "when": pd.to_datetime(["1975-11-15", "2007-05-25"]),
    })
    rebuilt = round_trip(frame)
    assert rebuilt.dtypes.to_dict() == frame.dtypes.to_dict()
    pd.testing.assert_frame_equal(rebuilt, frame)


def test_a_failure_message_quoting_a_huge_answer_is_shortened() -> None:
    from grader.checks import MESSAGE_KEPT, TestNamespace

    namespace = TestNamespace("", "", {})
    passed, message = namespace.run("assert answer == 'short', f'got {answer!r}'",
                                    {"answer": "x" * 10**6})
    assert not passed
    assert len(message) < MESSAGE_KEPT + 40 and message.endswith("more characters)")
    assert namespace.run("assert answer == 1, 'got a wrong number'", {"answer": 2}) == \
        (False, "got a wrong number")
