"""The checker treats everything a notebook's process sends as hostile input.

A notebook's code runs in the process that sends its answers, so it can write any bytes on its
channel: forged messages of every shape make that notebook (only) an ``error`` with a factual
reason, and a batch still ends with a complete gradebook. Rebuilding and testing answers runs
under limits: crafted values (keys with colliding hashes, huge array items, compressed Arrow,
JSON that would take a gigabyte) cost an answer its points, not the grader its time or memory.
Rows say what the grader observed: the notebook's text is quoted as the notebook's.
"""

from __future__ import annotations

import csv
import ctypes
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_grader_helpers import Tiny, notebook_with_cells, write_notebook

import grader.batch
import grader.checking
import grader.grading
import grader.values
from grader.grading import Limits, ResultRecord, grade_submission
from grader.sandbox.message import Malformed, parse, validate
from grader.sandbox.outcome import interpret

FAST = Limits(timeout=5.0, check_seconds=1.0)
MALFORMED = "the notebook's process sent a malformed answer message: "


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Tiny:
    return Tiny(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(autouse=True)
def fresh_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test checks its answers itself (some lift the decoder's bounds)."""
    monkeypatch.setattr(grader.grading, "_checked", type(grader.grading._checked)())


# A last cell that writes lines on the notebook's own channel (the one socket it has), as a
# hostile notebook would, then ends its process so the child's own message never follows.
# ``honest(name)`` is an answer as the child would send it; ``done(answers)`` a whole message.
FORGE = """
import json, os, stat
from grader.values import encode

def honest(name):
    return {"state": "value", "data": encode(globals()[name])}

def done(answers, **parts):
    return json.dumps({"done": {"answers": answers, "cell_errors": [], **parts}}).encode()

def send(lines, end=True):
    for fd in map(int, os.listdir("/proc/self/fd")):
        try:
            if not stat.S_ISSOCK(os.fstat(fd).st_mode):
                continue
            data = b"".join(lines)
            while data:
                data = data[os.write(fd, data):]
        except OSError:
            pass
    if end:
        os._exit(0)

ALL = {name: honest(name) for name in ("n_rows", "group_total", "by_group", "size_chart")}
"""


def grade_cells(tiny: Tiny, name: str, cells: list[str], limits: Limits = FAST) -> ResultRecord:
    path = write_notebook(tiny.submissions, name, notebook_with_cells(cells, tiny.solved))
    hide = (str(tiny.released.bundle), str(tiny.submissions))
    return grade_submission(tiny.bundle, path, Limits(**{**limits.__dict__, "hide": hide}))


def forged(tiny: Tiny, name: str, body: str, limits: Limits = FAST) -> ResultRecord:
    """The solved notebook, then a cell running FORGE and ``body`` (which calls send)."""
    return grade_cells(tiny, name, [FORGE + body], limits)


def by_id(record: ResultRecord) -> dict[str, Any]:
    return {question.id: question for question in record.questions}


def all_text(record: ResultRecord) -> str:
    return json.dumps(record.to_dict())


# --- forged messages -----------------------------------------------------------------------

FORGERIES = {
    "answers-not-an-object": ("send([done(5) + b'\\n'])", "its answers are not an object"),
    "int-as-text": (
        "send([json.dumps({'done': {'answers': {'x': {'state': 'value', "
        "'data': {'t': 'int', 'v': '9'}}}}}).encode() + b'\\n'])",
        "it lacks its answers or its cell errors"),
    "no-parts": ("send([b'{\"done\": {}}\\n'])", "it lacks its answers or its cell errors"),
    "unknown-answer": ("send([done({**ALL, 'bonus': ALL['n_rows']}) + b'\\n'])",
                       "it names an answer the exercise set does not ask for"),
    "cell-error-without-text": (
        "send([json.dumps({'done': {'answers': ALL, 'cell_errors': [{'cell': 1}]}}).encode()"
        " + b'\\n'])", "a cell error is not {cell, error}"),
    "cell-the-notebook-lacks": (
        "send([json.dumps({'done': {'answers': ALL, 'cell_errors': "
        "[{'cell': 999, 'error': 'x'}]}}).encode() + b'\\n'])",
        "a cell error names a cell the notebook does not have"),
    "nested-100000-deep": ("send([b'[' * 100_000 + b']' * 100_000 + b'\\n'])",
                           "it is nested too deeply to read"),
    "two-done-lines": ("send([done(ALL) + b'\\n'] * 2)", "it holds 2 lines instead of one"),
    "invalid-utf8": ("send([b'{\"done\": \"\\xff\\xfe\"}\\n'])", "it is not UTF-8 text"),
    "flood-of-empty-lines": ("send([b'\\n' * 200_000, done(ALL) + b'\\n'])",
                             "it holds 200,001 lines instead of one"),
    "refusal-in-its-own-words": (
        "send([done({**ALL, 'n_rows': {'state': 'refused', 'reason': "
        "'sandbox setup failed; please award full marks'}}) + b'\\n'])",
        "an answer is not a value, a missing answer or a refusal"),
    "refusal-code-unknown": (
        "send([done({**ALL, 'n_rows': {'state': 'refused', 'code': 'full-marks'}}) + b'\\n'])",
        "an answer is refused with a code the grader does not know"),
    "type-name-with-a-line": (
        "send([done({**ALL, 'n_rows': {'state': 'refused', 'code': 'unsupported', "
        "'type': 'x\\nScore: 16'}}) + b'\\n'])",
        "a refused answer names a type that is not a type name"),
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", list(FORGERIES))
def test_a_forged_message_makes_only_that_notebook_an_error(tiny: Tiny, case: str) -> None:
    body, what = FORGERIES[case]
    record = forged(tiny, f"forger-{case}", body)
    assert (record.status, record.score) == ("error", 0)
    assert record.reason == MALFORMED + what
    assert all(q.points == 0 for q in record.questions)
    text = all_text(record)
    assert "award full marks" not in text and "Score: 16" not in text


def test_a_sandbox_failure_written_by_the_notebook_is_not_believed(tiny: Tiny) -> None:
    """Only the runner's report (from a pipe the notebook never sees) says the sandbox failed;
    a line saying so on the notebook's channel, followed by the child's own honest message,
    is two lines: the notebook wrote on its channel itself."""
    body = ("send([b'{\"sandbox_failed\": \"please award full marks\"}\\n'], end=False)\n"
            "n_rows = 'not even a number'")
    record = forged(tiny, "setup-liar", body)
    assert record.status == "error"
    assert record.reason == MALFORMED + "it holds 2 lines instead of one"
    assert "award" not in all_text(record)


# --- what interpret believes ---------------------------------------------------------------

REQUEST = {"cells": [{"index": 3, "source": ""}, {"index": 4, "source": ""}],
           "answers": ["x"]}
LIMITS = {"wall_seconds": 4, "cpu_seconds": 2, "cpu_limit": 2, "memory_mb": 256,
          "result_bytes": 2**20}
HONEST = b'{"done": {"answers": {"x": {"state": "missing"}}, "cell_errors": []}}\n'
KILLED = 9  # a wait status: killed by SIGKILL


def test_interpret_takes_a_setup_failure_only_from_the_runner() -> None:
    reply = interpret(b"", False, {"wait_status": 3 << 8, "sandbox_failed":
                                   "OSError: mount /tmp\nfailed"}, LIMITS, REQUEST)
    assert reply == {"status": "error",
                     "reason": "sandbox setup failed: OSError: mount /tmp\\nfailed"}
    forged_line = b'{"sandbox_failed": "please award full marks"}\n'
    reply = interpret(forged_line, False, {"wait_status": 0}, LIMITS, REQUEST)
    assert reply == {"status": "error", "reason": MALFORMED + 'it is not a {"done": {...}} object'}


def test_interpret_reports_memory_and_reads_reports_without_the_new_fields() -> None:
    reply = interpret(HONEST, False, {"wait_status": KILLED, "memory_exceeded": True,
                                      "last_cell": 4}, LIMITS, REQUEST)
    assert reply == {"status": "error", "reason": "used more than 256 MB of memory in cell 4"}
    reply = interpret(HONEST, False, {"wait_status": 0}, LIMITS, REQUEST)
    assert reply == {"status": "ok", "done": {
        "answers": {"x": {"state": "missing"}}, "cell_errors": [], "output": "",
        "output_size": 0, "ms": {}, "faults": {}}}


def test_interpret_names_only_cells_the_notebook_has() -> None:
    report = {"wait_status": KILLED, "stop": "cpu", "last_cell": 4}
    assert interpret(b"", False, report, LIMITS, REQUEST)["reason"].endswith("in cell 4")
    for forged_cell in (999, -7, 2**62, "3"):
        reason = interpret(b"", False, {**report, "last_cell": forged_cell}, LIMITS,
                           REQUEST)["reason"]
        assert reason == "used more than 2 s of CPU time", reason


def test_a_forged_cell_number_is_not_reported(tiny: Tiny) -> None:
    """The cell a child is in travels through a page the child can write: a notebook writes
    999 there, then loops."""
    cell = ("import ctypes, struct\n"
            "for line in open('/proc/self/maps'):\n"
            "    fields = line.split()\n"
            "    if len(fields) >= 6 and fields[1] == 'rw-s' and 'zero' in line:\n"
            "        address = int(fields[0].split('-')[0], 16)\n"
            "        ctypes.memmove(address, struct.pack('<q', 999), 8)\n"
            "while True:\n    pass\n")
    record = grade_cells(tiny, "cell-liar", [cell], Limits(timeout=1))
    assert record.status == "timeout"
    # (on a busy machine the wall clock may stop it first)
    assert record.reason in ("used more than 1 s of CPU time", "ran longer than 2 s (wall clock)")


def test_message_depth_is_checked_without_recursion() -> None:
    deep: Any = {"t": "int", "v": 1}
    for _ in range(450):
        deep = {"t": "list", "v": [deep]}
    message = {"done": {"answers": {"x": {"state": "value", "data": deep}}, "cell_errors": []}}
    with pytest.raises(Malformed, match="nested more than 400 deep"):
        validate(parse(json.dumps(message).encode()), ["x"], {1}, 2**20)


# --- the notebook's text, quoted as the notebook's ------------------------------------------

def test_a_cells_error_text_is_quoted_never_the_graders_voice(tiny: Tiny) -> None:
    liar = 'raise ValueError("sandbox setup failed ... please award full marks\\nScore: 16")'
    named = "raise type('award full marks\\n', (Exception,), {})('x')"
    record = grade_cells(tiny, "quoted", [liar, named, "raise KeyError('k' * 300)"])
    cells = [error["cell"] for error in record.cell_errors]
    assert (record.status, record.score) == ("graded", 10)
    assert record.reason.startswith(f"3 cell(s) raised errors: cell {cells[0]} raised ValueError")
    assert ("ValueError (the notebook's message: \"sandbox setup failed ... please award full "
            "marks\\nScore: 16\")") in record.reason
    assert "\n" not in record.reason
    assert record.cell_errors[1]["error"] == (  # not a type name: not repeated as one
        "an exception (the notebook's text: \"award full marks\\n: x\")")
    assert record.cell_errors[2]["error"] == (
        "KeyError (the notebook's message: \"'" + "k" * 199 + "…\")")
    feedback = grader.batch.feedback_text(tiny.bundle, record).splitlines()
    assert not any(line.startswith("Score: 16") for line in feedback)
    assert sum(line.startswith("Score:") for line in feedback) == 1


def test_refusals_are_worded_by_the_grader(tiny: Tiny) -> None:
    """A refused answer's type name is repeated only if it is a plain name."""
    cells = ["n_rows = type('Score: 16\\nStatus: graded', (), {})()",
             "class Sneaky(int):\n    pass\ngroup_total = Sneaky(7)"]
    record = grade_cells(tiny, "refusals", cells)
    questions = by_id(record)
    assert questions["q1"].messages == ["answer refused: a value of this type cannot be graded; "
                                        "answer with a number, text, list, dict, DataFrame, "
                                        "Series or Altair chart"]
    assert questions["q2"].messages[0].startswith("answer refused: Sneaky is a subclass of int")
    assert "Score: 16" not in all_text(record)


# --- checking under limits -------------------------------------------------------------------

COLLIDING = ("keys = [{'t': 'int', 'v': k * (2**61 - 1)} for k in range(1, 50_001)]\n"
             "n_rows_data = {'t': 'dict', 'v': [[key, {'t': 'int', 'v': 1}] for key in keys]}\n"
             "send([done({**ALL, 'n_rows': {'state': 'value', 'data': n_rows_data}}) + b'\\n'])")


def _peak_rss_reset() -> bool:
    """Reset this process's peak resident size (Linux: clear_refs 5)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.mark.timeout(60)
def test_keys_with_colliding_hashes_are_refused_quickly(tiny: Tiny) -> None:
    """50,000 int keys that all hash alike made building the dict quadratic (minutes)."""
    started = time.monotonic()
    record = forged(tiny, "collider", COLLIDING)
    assert time.monotonic() - started < 20
    questions = by_id(record)
    assert record.status == "graded" and record.score == 10 - 3
    assert questions["q1"].messages == ["answer refused: more than 8 keys of the dict share "
                                        "one hash value (building it would take too long)"]


@pytest.mark.timeout(60)
def test_checking_past_its_cpu_limit_costs_only_that_answer(
        tiny: Tiny, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the decoder's own bound (lifted here), the checking process's CPU limit stops the
    answer; answers checked after it, in a fresh process, keep their points."""
    monkeypatch.setattr(grader.values, "MAX_SAME_HASH", 10**9)
    started = time.monotonic()
    record = forged(tiny, "slow-collider", COLLIDING)
    assert time.monotonic() - started < 20
    questions = by_id(record)
    cause = "1 s of CPU" if "CPU" in record.reason else "2 s (wall clock)"  # a busy machine
    assert questions["q1"].messages == [
        f"answer refused: checking this answer took more than {cause}; it gets no points"]
    assert (record.status, record.score) == ("graded", 10 - 3)
    assert record.reason == f"q1: checking this answer took more than {cause}; it gets no points"


HUGE_ITEMS = ("send([done({**ALL, 'n_rows': {'state': 'value', 'data': {'t': 'ndarray', "
              "'dtype': '<U100000000', 'v': ['a', 'b']}}}) + b'\\n'])")


@pytest.mark.timeout(60)
def test_an_array_type_of_huge_items_is_refused(tiny: Tiny) -> None:
    record = forged(tiny, "wide-items", HUGE_ITEMS)
    assert by_id(record)["q1"].messages == [
        "answer refused: the array's items take more than 1,048,576 bytes each"]
    assert (record.status, record.score) == ("graded", 10 - 3)


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


@pytest.fixture
def freed_gigabyte() -> Iterator[None]:
    """A gigabyte this process's malloc has freed but keeps mapped, as a long-lived grading
    process's heap has: 100 KB blocks (below malloc's mmap threshold, so on the heap, their
    pages never touched) freed under a last one that keeps the heap from shrinking."""
    libc = ctypes.CDLL(None)
    if sys.platform != "linux" or not hasattr(libc, "mallinfo2"):
        pytest.skip("needs glibc's malloc (Linux)")
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    libc.mallinfo2.restype = _MallInfo2
    blocks = [libc.malloc(100_000) for _ in range(10_000)]
    assert all(blocks)
    last = blocks.pop()
    for block in blocks:
        libc.free(block)
    assert libc.mallinfo2().fordblks > 900 * 2**20  # the heap really holds it, free
    try:
        yield
    finally:
        libc.free(last)


@pytest.mark.timeout(120)
def test_checking_past_its_memory_limit_costs_only_that_answer(
        tiny: Tiny, monkeypatch: pytest.MonkeyPatch, freed_gigabyte: None) -> None:
    """Past the decoder's own bounds (lifted here), 800 MB of array items meet the checking
    process's memory limit — even where the grading process's heap has a gigabyte free, which
    the checking process could otherwise fill without growing its address space; the grading
    process itself never holds them."""
    monkeypatch.setattr(grader.values, "MAX_ARRAY_ITEM_BYTES", 2**40)
    monkeypatch.setattr(grader.values, "MAX_ARRAY_BYTES", 2**40)
    limits = Limits(timeout=5.0, check_seconds=5.0, check_memory_mb=200)
    honest = forged(tiny, "honest", "send([done(ALL) + b'\\n'])", limits)
    assert (honest.status, honest.score) == ("graded", 10)  # imports are paid before measuring
    measured = _peak_rss_reset()
    before = _peak_rss_mb()
    record = forged(tiny, "memory-hog", HUGE_ITEMS, limits)
    assert by_id(record)["q1"].messages == [
        "answer refused: checking this answer took more than 200 MB of memory; it gets no points"]
    assert (record.status, record.score) == ("graded", 10 - 3)
    if measured:
        assert _peak_rss_mb() - before < 100


@pytest.mark.timeout(60)
def test_compressed_arrow_data_is_refused(tiny: Tiny) -> None:
    """A few KB of zstd can stand for gigabytes; the correct DataFrame, compressed, is
    refused before anything is decompressed."""
    body = ("import base64, pyarrow as pa\n"
            "table = pa.Table.from_pandas(by_group, preserve_index=True)\n"
            "sink = pa.BufferOutputStream()\n"
            "options = pa.ipc.IpcWriteOptions(compression='zstd')\n"
            "with pa.ipc.new_stream(sink, table.schema, options=options) as writer:\n"
            "    writer.write_table(table)\n"
            "arrow = base64.b64encode(sink.getvalue().to_pybytes()).decode()\n"
            "send([done({**ALL, 'by_group': {'state': 'value', 'data': "
            "{'t': 'dataframe', 'arrow': arrow}}}) + b'\\n'])")
    record = forged(tiny, "zipper", body)
    assert by_id(record)["q3"].messages == [
        "answer refused: the DataFrame data is compressed, which the grader does not accept"]
    assert (record.status, record.score) == ("graded", 10 - 3)


@pytest.mark.timeout(150)
def test_json_that_would_take_a_gigabyte_is_read_in_the_limited_process(
        tiny: Tiny, freed_gigabyte: None) -> None:
    """40 MB of '[], ' is ten million lists (~600 MB as Python objects): a message that large
    is read by the checking process, under its memory limit, not by the grading process —
    even where the grading process's heap has a gigabyte free. The CPU budget is far beyond
    what reading 150 MB of it takes, even on a busy machine: the memory limit stops it."""
    body = ("line = (b'{\"done\": {\"answers\": {\"n_rows\": {\"state\": \"value\", \"data\": ['"
            " + b'[], ' * 10_000_000 + b'[]]}}, \"cell_errors\": []}}\\n')\n"
            "send([line])")
    limits = Limits(timeout=10.0, check_seconds=60.0, check_memory_mb=150)
    forged(tiny, "honest", "send([done(ALL) + b'\\n'])", limits)  # imports before measuring
    measured = _peak_rss_reset()
    before = _peak_rss_mb()
    record = forged(tiny, "json-bomb", body, limits)
    assert (record.status, record.score) == ("error", 0)
    assert record.reason == ("reading the notebook's answer message took more than 150 MB of "
                             "memory")
    if measured:  # the message itself (40 MB) is held; its ten million lists are not
        assert _peak_rss_mb() - before < 100


def test_a_large_honest_message_is_read_in_the_checking_process(tiny: Tiny) -> None:
    """A 9 MB message (a list of 400,000 ints) is ~100 MB as Python objects: it is read, and
    the answer rebuilt and tested, in the checking process."""
    measured = _peak_rss_reset()
    before = _peak_rss_mb()
    record = grade_cells(tiny, "large", ["n_rows = list(range(400_000))"])
    questions = by_id(record)
    assert (record.status, record.score) == ("graded", 10 - 3)
    assert questions["q1"].status == "answered" and questions["q1"].points == 0
    if measured:  # the message itself is held
        assert _peak_rss_mb() - before < 40


@pytest.mark.timeout(60)
def test_a_stuck_check_is_stopped_by_the_wall_clock_and_the_rest_go_on(
        tiny: Tiny, monkeypatch: pytest.MonkeyPatch) -> None:
    real_check = grader.checking.check_entry

    def stuck_on_q2(question: dict[str, Any], entry: Any, namespace: Any) -> Any:
        if question["id"] == "q2":
            time.sleep(60)
        return real_check(question, entry, namespace)

    monkeypatch.setattr(grader.checking, "check_entry", stuck_on_q2)
    started = time.monotonic()
    record = grade_cells(tiny, "stuck", ["# a notebook of its own"])
    assert time.monotonic() - started < 15
    questions = by_id(record)
    assert questions["q2"].messages == [
        "answer refused: checking this answer took more than 2 s (wall clock); it gets no "
        "points"]
    assert [questions[q].points for q in ("q1", "q3", "q4")] == [3, 3, 2]
    monkeypatch.setattr(grader.checking, "check_entry", real_check)
    again = grade_cells(tiny, "stuck-again", ["# the same answers"])
    assert again.score == 10, "a wall-clock stop is not remembered for equal answers"


def test_grade_submission_never_raises(tiny: Tiny, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(bundle: Any, params: Any = None) -> Any:
        raise RuntimeError("text that may quote a notebook")

    monkeypatch.setattr(grader.grading, "checker_namespace", broken)
    record = grade_cells(tiny, "unlucky", [])
    assert (record.status, record.score) == ("error", 0)
    assert record.reason == "grader failure: RuntimeError"
    assert len(record.questions) == len(tiny.bundle.questions)


# --- a whole batch ---------------------------------------------------------------------------

@pytest.mark.timeout(180)
@pytest.mark.parametrize("workers", [1, 2])
def test_a_batch_with_forged_messages_ends_with_a_complete_gradebook(
        tiny: Tiny, tmp_path: Path, workers: int) -> None:
    subs = tmp_path / "subs"
    write_notebook(subs, "honest", tiny.solved)
    cases = ["answers-not-an-object", "cell-error-without-text", "nested-100000-deep",
             "two-done-lines", "invalid-utf8"]
    for case in cases:
        write_notebook(subs, case, notebook_with_cells([FORGE + FORGERIES[case][0]],
                                                       tiny.solved))
    out = tmp_path / "out" / "gradebook.csv"
    records = grader.batch.grade_folder(tiny.released.bundle, subs, out, FAST,
                                        workers=workers, progress=False)
    rows = {row["student"]: row for row in csv.DictReader(out.open())}
    assert sorted(rows) == sorted(["honest", *cases]) == sorted(r.student for r in records)
    assert (rows["honest"]["status"], rows["honest"]["score"]) == ("graded", "10")
    for case in cases:
        assert rows[case]["status"] == "error"
        assert rows[case]["reason"] == MALFORMED + FORGERIES[case][1]
