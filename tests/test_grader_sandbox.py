"""Adversarial submissions: every threat of issue 4, each proven harmless.

Each test plants one exploit in an otherwise fully solved notebook (or a wrong one) and checks
that the score does not rise, nothing secret leaks, the status is true and grading goes on.
Tests that need the Linux root protections (unprivileged uid, namespaces) skip elsewhere.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from test_grader_helpers import HIDDEN_MARKER, Tiny, notebook_with_cells, write_notebook

from grader.grading import Limits, ResultRecord, grade_submission
from grader.sandbox import isolation
from grader.sandbox.client import get_runner, reset_runner
from grader.values import decode

LINUX_ROOT = pytest.mark.skipif(
    not isolation.is_linux_root(), reason="needs root on Linux (uid drop, namespaces)"
)
FAST = Limits(timeout=3.0)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Tiny:
    return Tiny(tmp_path_factory.mktemp("tiny"))


def grade_cells(tiny: Tiny, name: str, cells: list[str], limits: Limits = FAST,
                solved: bool = True) -> ResultRecord:
    """Grade the solved (or blank) notebook with extra code cells appended."""
    notebook = notebook_with_cells(cells, tiny.solved if solved else tiny.blank)
    path = write_notebook(tiny.submissions, name, notebook)
    hide = (str(tiny.released.bundle), str(tiny.submissions))
    return grade_submission(tiny.bundle, path, Limits(**{**limits.__dict__, "hide": hide}))


def sandbox_values(tiny: Tiny, cells: list[str], names: list[str]) -> dict[str, Any]:
    """Run cells in the sandbox and return the named variables as the checker receives them."""
    request = {
        "setup": tiny.bundle.data["setup"],
        "params": tiny.bundle.data["params"],
        "cells": [{"index": i + 1, "source": s} for i, s in enumerate(cells)],
        "answers": names,
        "limits": FAST.as_request(),
        "hide": [str(tiny.released.bundle), str(tiny.submissions)],
    }
    reply = get_runner().run(request)
    assert reply["status"] == "ok", reply
    answers = reply["done"]["answers"]
    return {n: decode(answers[n]["data"]) for n in names if answers[n]["state"] == "value"}


def full_marks(tiny: Tiny) -> float:
    return tiny.bundle.max_auto_points


def _parent(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("PPid:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def leftover_sandbox_processes() -> list[int]:
    """Sandbox processes (uid >= BASE_UID) descending from this test session's runner; other
    sessions grading at the same time on this machine do not count."""
    runner = get_runner().pid
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid < isolation.BASE_UID:
                    continue
            except OSError:
                continue
            ancestor = int(entry)
            while ancestor > 1 and ancestor != runner:
                ancestor = _parent(ancestor)
            if ancestor == runner:
                pids.append(int(entry))
    return pids


def test_solved_notebook_scores_full_marks(tiny: Tiny) -> None:
    record = grade_cells(tiny, "solved", [])
    assert record.status == "graded"
    assert record.score == full_marks(tiny) == 10


# --- infinite loops and long sleeps -------------------------------------------------------

@pytest.mark.parametrize("code", ["while True:\n    pass", "import time\ntime.sleep(600)"])
def test_loops_and_sleeps_time_out_and_grading_goes_on(tiny: Tiny, code: str) -> None:
    record = grade_cells(tiny, "looper", [code], Limits(timeout=1))
    assert record.status == "timeout"
    assert record.score == 0
    assert record.reason.endswith(f"in cell {len(tiny.solved['cells']) + 1}")
    assert ("more than 1 s of CPU time" in record.reason) != ("longer than 2 s" in record.reason)
    assert grade_cells(tiny, "after-loop", []).score == full_marks(tiny)


def test_a_fractional_cpu_limit_is_kept(tiny: Tiny) -> None:
    """RLIMIT_CPU counts whole seconds; the runner watches the exact limit itself. The cell
    spins to 0.95 s of CPU, past the limit of 0.5 s but short of RLIMIT_CPU's whole second,
    then sleeps: only the runner's own watch can stop it for CPU. The wall clock has room for a
    busy machine, where 0.5 s of CPU takes seconds."""
    spin = "import time\nwhile time.process_time() < 0.95:\n    pass\ntime.sleep(600)"
    record = grade_cells(tiny, "half-second", [spin], Limits(timeout=0.5, wall_seconds=30))
    assert record.status == "timeout"
    assert "more than 0.5 s of CPU time" in record.reason


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_cpu_time_of_a_process_is_read_from_proc() -> None:
    before = isolation.cpu_seconds_of(os.getpid())
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:
        pass
    assert isolation.cpu_seconds_of(os.getpid()) >= before + 0.2
    assert isolation.cpu_seconds_of(2**22 + 12345) == 0.0  # no such process


# --- memory exhaustion ---------------------------------------------------------------------

def test_memory_exhaustion_is_contained(tiny: Tiny) -> None:
    record = grade_cells(tiny, "hog", ["hog = bytearray(8 * 2**30)"], Limits(memory_mb=256))
    assert record.status == "graded"
    assert "MemoryError" in record.reason
    assert record.score == full_marks(tiny)  # the rest of the notebook still counts


# --- huge output ---------------------------------------------------------------------------

def test_huge_printed_and_written_output_is_capped(tiny: Tiny) -> None:
    cells = [
        "print('x' * 50_000_000)",
        "import os\nos.write(1, b'y' * 10_000_000)",
        "open('big.bin', 'wb').write(b'z' * 40_000_000)",
    ]
    record = grade_cells(tiny, "shouter", cells, Limits(output_bytes=2**20))
    assert record.status == "graded"
    assert record.score == full_marks(tiny)
    assert any("File too large" in e["error"] for e in record.cell_errors)


def test_oversized_answer_message_is_refused(tiny: Tiny) -> None:
    """An answer over the limit is refused alone; a notebook that writes past the limit to its
    channel itself (bypassing the child's sender) is stopped with status error."""
    record = grade_cells(tiny, "bloater", ["n_rows = 'x' * 3_000_000"],
                         Limits(result_bytes=2**20))
    by_id = {q.id: q for q in record.questions}
    assert record.status == "graded"
    assert by_id["q1"].status == "refused" and "too large" in by_id["q1"].messages[0]
    assert record.score == full_marks(tiny) - by_id["q1"].max_points
    flood = ("import os, stat\nfor fd in map(int, os.listdir('/proc/self/fd')):\n"
             "    try:\n        if stat.S_ISSOCK(os.fstat(fd).st_mode):\n"
             "            os.write(fd, b'x' * 3_000_000)\n    except OSError:\n        pass")
    record = grade_cells(tiny, "flooder", [flood], Limits(result_bytes=2**20))
    assert record.status == "error"
    assert "MB of answers" in record.reason
    assert record.score == 0


# --- exits, killing or signalling the parent ----------------------------------------------

def test_sys_exit_in_a_cell_does_not_end_grading(tiny: Tiny) -> None:
    record = grade_cells(tiny, "exiter", ["import sys\nsys.exit(0)"])
    assert record.status == "graded"
    assert record.score == full_marks(tiny)
    assert "SystemExit" in record.reason


def test_os_exit_gives_error_status_not_a_score(tiny: Tiny) -> None:
    record = grade_cells(tiny, "hard-exit", ["import os\nos._exit(0)"])
    assert record.status == "error"
    assert record.score == 0
    assert "exit code 0" in record.reason


@LINUX_ROOT
def test_killing_the_parent_or_everyone_fails(tiny: Tiny) -> None:
    runner = get_runner()
    cells = [
        "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)",
        "os.killpg(os.getpgid(os.getppid()), signal.SIGKILL)",
        "os.kill(1, signal.SIGTERM)",
    ]
    record = grade_cells(tiny, "assassin", cells)
    assert record.status == "graded"
    assert record.score == full_marks(tiny)
    assert sum("PermissionError" in e["error"] for e in record.cell_errors) == 3
    assert runner.alive()
    # kill(-1) as the submission's own uid reaches only the submission's own processes
    record = grade_cells(tiny, "kill-all", ["import os, signal\nos.kill(-1, signal.SIGKILL)"])
    assert record.status == "graded"
    assert runner.alive()
    assert grade_cells(tiny, "after-kill", []).score == full_marks(tiny)


def test_a_grandchild_flooding_the_result_pipe_cannot_stall_grading(tiny: Tiny) -> None:
    flood = (
        "import os\n"
        "if os.fork() == 0:\n"
        "    chunk = b'x' * 65536\n"
        "    while True:\n"
        "        for fd in range(3, 32):\n"
        "            try:\n"
        "                os.write(fd, chunk)\n"
        "            except OSError:\n"
        "                pass\n"
    )
    record = grade_cells(tiny, "flooder", [flood], Limits(timeout=2, result_bytes=2**20))
    assert record.status in ("graded", "error", "timeout")
    assert "runner" not in record.reason  # the runner kept serving
    assert get_runner().alive()
    assert grade_cells(tiny, "after-flood", []).score == full_marks(tiny)


# --- spawning many processes ---------------------------------------------------------------

@LINUX_ROOT
def test_fork_bomb_is_capped_and_cleaned_up(tiny: Tiny) -> None:
    bomb = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
    record = grade_cells(tiny, "bomber", [bomb], Limits(timeout=1))
    assert record.status == "timeout"
    assert leftover_sandbox_processes() == []


@LINUX_ROOT
def test_background_processes_do_not_outlive_the_submission(tiny: Tiny) -> None:
    cell = "import subprocess\nsubprocess.Popen(['sleep', '300'], start_new_session=True)"
    record = grade_cells(tiny, "daemon", [cell])
    assert record.status == "graded"
    assert leftover_sandbox_processes() == []


# --- reading the tests, the bundle, other students' files ----------------------------------

@LINUX_ROOT
def test_bundle_and_other_submissions_are_unreadable(tiny: Tiny) -> None:
    other = write_notebook(tiny.submissions, "victim", tiny.solved)
    cells = [
        f"def grab(path):\n    try:\n        return open(path).read()\n"
        f"    except Exception as err:\n        return type(err).__name__\n"
        f"bundle_text = grab({str(tiny.released.bundle)!r})\n"
        f"other_text = grab({str(other)!r})\n"
        f"import os\ntry:\n    listing = repr(os.listdir({str(tiny.submissions)!r}))\n"
        f"except OSError as err:\n    listing = type(err).__name__\n"
        f"environ = grab('/proc/' + str(os.getppid()) + '/environ')",
    ]
    values = sandbox_values(tiny, cells, ["bundle_text", "other_text", "listing", "environ"])
    # /dev/null is mounted over the bundle; its folder is closed (0700) to the submission's uid
    assert values["bundle_text"] in ("", "FileNotFoundError", "PermissionError")
    assert values["other_text"] in ("FileNotFoundError", "PermissionError")
    assert values["listing"] in ("[]", "FileNotFoundError", "PermissionError")
    # /proc hides other users' processes (hidepid): the runner is not even there
    assert values["environ"] in ("FileNotFoundError", "PermissionError")


@pytest.fixture
def careless_folder() -> Any:
    """A world-readable folder outside /tmp (whose sandbox view is a fresh tmpfs anyway), so
    only the grader's hiding mounts stand between student code and its files."""
    base = Path("/srv") if Path("/srv").is_dir() else Path("/var/lib")
    folder = Path(tempfile.mkdtemp(prefix="course-grader-test-", dir=base))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@LINUX_ROOT
def test_a_runner_moves_into_its_allow_list_root_once(careless_folder: Path) -> None:
    """The runner builds its allow-list root once, in a mount namespace of its own, with every
    mount read-only; its children copy it and add a private /tmp. World-readable folders
    outside the allow-list are absent whatever a request asks to hide, and nothing a child
    does outside its /tmp outlives it."""
    from grader.sandbox.client import RunnerClient

    for name in ("a", "b"):
        (careless_folder / name).mkdir()
        (careless_folder / name / "secret.txt").write_text(f"secret {name}")
        (careless_folder / name).chmod(0o755)
        (careless_folder / name / "secret.txt").chmod(0o644)
    cell = (
        "def grab(path):\n    try:\n        return open(path).read()\n"
        "    except Exception as err:\n        return type(err).__name__\n"
        f"a = grab({str(careless_folder / 'a' / 'secret.txt')!r})\n"
        f"b = grab({str(careless_folder / 'b' / 'secret.txt')!r})\n"
        "def put(path):\n    try:\n        open(path, 'w').write('x')\n        return True\n"
        "    except OSError:\n        return False\n"
        f"outside = put({str(careless_folder / 'left-behind.txt')!r})\n"
        "inside = put('/tmp/mine.txt') and open('/tmp/mine.txt').read() == 'x'\n"
    )

    def request(hide: list[str]) -> dict[str, Any]:
        return {"setup": "", "params": {}, "cells": [{"index": 1, "source": cell}],
                "answers": ["a", "b", "outside", "inside"], "limits": FAST.as_request(),
                "hide": hide}

    runner = RunnerClient()
    try:
        def values(hide: list[str]) -> dict[str, Any]:
            reply = runner.run(request(hide))
            assert reply["status"] == "ok", reply
            return {k: decode(v["data"]) for k, v in reply["done"]["answers"].items()}

        absent = {"a": "FileNotFoundError", "b": "FileNotFoundError", "outside": False,
                  "inside": True}
        runner_namespace = os.readlink(f"/proc/{runner.pid}/ns/mnt")
        assert runner_namespace != os.readlink("/proc/self/ns/mnt"), "the runner did not seal"
        assert values([str(careless_folder / "a")]) == absent
        assert values([str(careless_folder / "b")]) == absent
        assert values([]) == absent
        assert os.readlink(f"/proc/{runner.pid}/ns/mnt") == runner_namespace
    finally:
        runner.close()
    assert not (careless_folder / "left-behind.txt").exists()
    assert "mine.txt" not in os.listdir("/tmp")


@LINUX_ROOT
def test_world_readable_files_outside_the_allow_list_are_absent(tiny: Tiny, careless_folder: Path) -> None:
    bundle = careless_folder / "bundle.json"
    bundle.write_text(tiny.released.bundle.read_text())
    submissions = careless_folder / "submissions"
    submissions.mkdir()
    other = write_notebook(submissions, "victim", tiny.solved)
    for path in (bundle, other):
        path.chmod(0o644)
    submissions.chmod(0o755)
    cell = (
        "def grab(path):\n    try:\n        return open(path).read()\n"
        "    except Exception as err:\n        return type(err).__name__\n"
        f"bundle_text = grab({str(bundle)!r})\nother_text = grab({str(other)!r})\n"
        f"import os\ntry:\n    listing = repr(os.listdir({str(submissions)!r}))\n"
        "except OSError as err:\n    listing = type(err).__name__\n"
        f"try:\n    open({str(other)!r}, 'a').write('tamper')\n    wrote = True\n"
        "except OSError:\n    wrote = False\n"
    )
    request = {
        "setup": tiny.bundle.data["setup"], "params": tiny.bundle.data["params"],
        "cells": [{"index": 1, "source": cell}],
        "answers": ["bundle_text", "other_text", "listing", "wrote"],
        "limits": FAST.as_request(), "hide": [str(bundle), str(submissions)],
    }
    reply = get_runner().run(request)
    values = {k: decode(v["data"]) for k, v in reply["done"]["answers"].items()}
    assert values["bundle_text"] == "FileNotFoundError"  # outside the allow-list
    assert HIDDEN_MARKER not in values["other_text"] + values["bundle_text"]
    assert values["other_text"] == "FileNotFoundError"
    assert values["listing"] == "FileNotFoundError"
    assert values["wrote"] is False
    assert "tamper" not in other.read_text()


def test_hidden_tests_are_not_in_the_student_process_memory(tiny: Tiny) -> None:
    """The runner that forks submissions never received the tests: scan the child's memory."""
    scan = f"""
import gc, re
found_objects = any({HIDDEN_MARKER!r} in o for o in gc.get_objects() if isinstance(o, str))
found_memory = False
with open('/proc/self/maps') as maps, open('/proc/self/mem', 'rb', 0) as mem:
    for line in maps:
        span, perms = line.split()[:2]
        if not perms.startswith('r'):
            continue
        start, end = (int(x, 16) for x in span.split('-'))
        try:
            mem.seek(start)
            if {HIDDEN_MARKER.encode()!r} in mem.read(end - start):
                found_memory = True
        except (OSError, OverflowError, ValueError):
            pass
"""
    # the marker text must not appear literally in the scanning code's own memory
    scan = scan.replace(HIDDEN_MARKER, HIDDEN_MARKER[:6] + "' + '" + HIDDEN_MARKER[6:])
    values = sandbox_values(tiny, [scan], ["found_objects", "found_memory"])
    assert values == {"found_objects": False, "found_memory": False}


@LINUX_ROOT
def test_network_is_cut(tiny: Tiny) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    cell = (
        "import socket\n"
        "def reach(host, port):\n"
        "    try:\n"
        "        socket.create_connection((host, port), timeout=1).close()\n"
        "        return 'connected'\n"
        "    except OSError as err:\n"
        "        return type(err).__name__\n"
        f"local = reach('127.0.0.1', {port})\n"
        "remote = reach('1.1.1.1', 80)"
    )
    try:
        values = sandbox_values(tiny, [cell], ["local", "remote"])
    finally:
        server.close()
    assert values["local"] != "connected"
    assert values["remote"] != "connected"


def test_instructor_environment_is_not_visible(tiny: Tiny,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_TEST_TOKEN", "token-that-must-not-leak")
    reset_runner()  # a runner started now inherits the variable
    try:
        values = sandbox_values(tiny, ["import os\nenv = dict(os.environ)"], ["env"])
    finally:
        reset_runner()
    assert "COURSE_TEST_TOKEN" not in values["env"]
    assert "token-that-must-not-leak" not in repr(values["env"])


def test_instructor_environment_is_not_in_the_childs_memory(tiny: Tiny,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Clearing os.environ leaves the strings the process started with in its memory, where
    /proc/self/environ (or a scan of the stack) finds them: the runner must start without them."""
    monkeypatch.setenv("COURSE_TEST_TOKEN", "token-that-must-not-leak")
    reset_runner()
    cells = ["import ctypes\n"
             "ranges = [line.split()[0] for line in open('/proc/self/maps') if '[stack]' in line]\n"
             "low, high = (int(x, 16) for x in ranges[0].split('-'))\n"
             "stack = ctypes.string_at(low, high - low)\n"
             "stack_size = len(stack)\n"
             "found = b'token-that-must-not-leak' in stack"]
    try:
        values = sandbox_values(tiny, cells, ["stack_size", "found"])
    finally:
        reset_runner()
    assert values["stack_size"] > 0
    assert values["found"] is False


def test_an_earlier_submission_is_not_in_a_later_ones_memory(tiny: Tiny) -> None:
    """A child is a copy of the runner's memory. The runner must never have held another
    student's code or answers, or a later notebook could scan for them (and copy them)."""
    earlier = ["alice_answer = 'ALICE-ANSWER-' + str(6 * 7)\n# ALICE-CODE-MARKER"]
    assert sandbox_values(tiny, earlier, ["alice_answer"]) == {"alice_answer": "ALICE-ANSWER-42"}
    # The patterns never hold the marked text itself (a search string would find itself).
    scan = (
        "import ctypes, re\n"
        "wanted = [re.compile(rb'ALIC[E]-ANSWE[R]-4[2]'), re.compile(rb'ALIC[E]-COD[E]-MARKE[R]')]\n"
        "found, scanned = [], 0\n"
        "for line in open('/proc/self/maps').read().splitlines():\n"
        "    fields = line.split()\n"
        "    if not fields[1].startswith('rw'):\n"
        "        continue\n"
        "    low, high = (int(x, 16) for x in fields[0].split('-'))\n"
        "    if high - low > 256 * 2**20:\n"
        "        continue\n"
        "    try:\n"
        "        memory = ctypes.string_at(low, high - low)\n"
        "    except Exception:\n"
        "        continue\n"
        "    scanned += len(memory)\n"
        "    found += [n for n, w in enumerate(wanted) if w.search(memory)]\n"
    )
    values = sandbox_values(tiny, [scan], ["found", "scanned"])
    assert values["scanned"] > 50 * 2**20, "the scan read the warm runtime's memory"
    assert values["found"] == []


@LINUX_ROOT
def test_files_written_outside_the_private_tmp_do_not_outlive_the_submission(tiny: Tiny) -> None:
    """World-writable folders of the machine (/run/lock here) would keep a notebook's files
    for the next one, and fill the disk over a batch: only the private tmpfs is writable."""
    folders = [f for f in ("/run/lock", "/var/lock", "/var/tmp", "/tmp", "/dev/shm")
               if os.path.isdir(f)]
    name = f"left-by-a-submission-{os.getpid()}"
    cell = ("import os\nwritten = []\n"
            f"for folder in {folders!r}:\n"
            "    try:\n"
            f"        open(os.path.join(folder, {name!r}), 'w').write('x')\n"
            "        written.append(folder)\n"
            "    except OSError:\n"
            "        pass")
    values = sandbox_values(tiny, [cell], ["written"])
    assert "/tmp" in values["written"], "the private /tmp is writable"
    assert not [f for f in folders if os.path.exists(os.path.join(f, name))]


@LINUX_ROOT
def test_shared_memory_segments_do_not_outlive_the_submission(tiny: Tiny) -> None:
    """System V shared memory outlives the process that made it and is not counted by its
    memory limit: a notebook could leave gigabytes behind, one per submission. Each child gets
    its own IPC namespace, which ends with it."""
    def segments() -> list[str]:
        return Path("/proc/sysvipc/shm").read_text().splitlines()[1:]

    before = segments()
    cell = ("import ctypes\n"
            "libc = ctypes.CDLL(None, use_errno=True)\n"
            "made = [libc.shmget(0, 1 << 20, 0o1000 | 0o666) for _ in range(3)]")
    values = sandbox_values(tiny, [cell], ["made"])
    assert all(segment >= 0 for segment in values["made"]), "the notebook could make segments"
    assert segments() == before


# --- forged results, altered submissions -----------------------------------------------------

@LINUX_ROOT
def test_cannot_alter_other_submissions(tiny: Tiny) -> None:
    other = write_notebook(tiny.submissions, "target", tiny.blank)
    before = other.read_bytes()
    cell = (f"try:\n    open({str(other)!r}, 'w').write('{{}}')\nexcept OSError:\n    pass\n"
            f"try:\n    open({str(tiny.submissions / 'forged.ipynb')!r}, 'w').write('x')\n"
            "except OSError:\n    pass")
    record = grade_cells(tiny, "vandal", [cell])
    assert record.status == "graded"
    assert other.read_bytes() == before
    assert not (tiny.submissions / "forged.ipynb").exists()


@LINUX_ROOT
def test_cannot_forge_gradebook_feedback_or_cache(tiny: Tiny, careless_folder: Path) -> None:
    """The grading output lives in a world-readable folder outside /tmp; the submission tries
    to plant a perfect gradebook, feedback and cache entries there."""
    import grader.batch

    subs = careless_folder / "subs"
    out = careless_folder / "grades" / "gradebook.csv"
    write_notebook(subs, "honest", tiny.solved)
    grader.batch.grade_folder(tiny.released.bundle, subs, out, FAST, progress=False)
    cache = out.parent / f".{out.stem}-cache"
    forged_row = "forger,graded,10,10,,3,2,3,2,manual\n"
    attack = (
        "import json, os\n"
        f"for folder in ({str(cache)!r}, {str(out.parent / 'feedback')!r}, {str(out.parent)!r}):\n"
        "    for name in ('forger.json', 'forger.md', 'gradebook.csv', 'x.json'):\n"
        "        try:\n"
        "            with open(os.path.join(folder, name), 'w') as handle:\n"
        f"                handle.write({forged_row!r})\n"
        "        except OSError:\n"
        "            pass\n"
        f"for entry in os.listdir({str(cache)!r}) if os.path.isdir({str(cache)!r}) else []:\n"
        "    try:\n"
        f"        open(os.path.join({str(cache)!r}, entry), 'w').write('{{}}')\n"
        "    except OSError:\n"
        "        pass\n"
    )
    write_notebook(subs, "forger", notebook_with_cells([attack], tiny.blank))
    records = grader.batch.grade_folder(tiny.released.bundle, subs, out, FAST, progress=False)
    scores = {r.student: r.score for r in records}
    assert scores == {"honest": 10, "forger": 0}
    assert forged_row not in out.read_text()
    assert "forger,graded,0,10" in out.read_text()
    assert all(forged_row not in p.read_text() for p in out.parent.rglob("*") if p.is_file())


def test_forged_pipe_messages_cannot_raise_a_score(tiny: Tiny) -> None:
    """Writing a fake 'done' message with rigged data to every descriptor gains nothing."""
    forged = (
        "import json, os\n"
        "fake = {'done': {'answers': {\n"
        "    'n_rows': {'state': 'value', 'data': {'t': 'evil', 'v': 4}},\n"
        "    'by_group': {'state': 'value', 'data': {'t': 'dataframe', 'arrow': 'AAAA'}},\n"
        "    'group_total': {'state': 'value', 'data': {'t': 'int', 'v': True}}},\n"
        "  'cell_errors': []}}\n"
        "for fd in range(3, 64):\n"
        "    try:\n"
        "        os.write(fd, (json.dumps(fake) + '\\n').encode())\n"
        "    except OSError:\n"
        "        pass\n"
        "os._exit(0)"
    )
    record = grade_cells(tiny, "forger", [forged], solved=False)
    by_id = {q.id: q for q in record.questions}
    assert record.score == 0
    assert by_id["n_rows" and "q1"].status == "refused"
    assert by_id["q3"].status == "refused"


# --- monkeypatching the checker, builtins, pandas ----------------------------------------

def test_monkeypatching_in_the_student_process_changes_nothing(tiny: Tiny) -> None:
    wrong = "by_group = table.head(1)[['group', 'size']]"
    honest = grade_cells(tiny, "honest-wrong", [wrong])
    patches = (
        "import builtins, pandas as pd, grader.testing, grader.checks\n"
        "pd.DataFrame.equals = lambda self, other: True\n"
        "pd.DataFrame.__eq__ = lambda self, other: True\n"
        "pd.testing.assert_frame_equal = lambda *a, **k: None\n"
        "grader.testing.frame_equal = lambda *a, **k: True\n"
        "grader.checks.check_question = None\n"
        "builtins.AssertionError = type('Nope', (Exception,), {})\n"
    )
    patched = grade_cells(tiny, "patcher", [wrong, patches])
    q3 = {q.id: q for q in patched.questions}["q3"]
    assert patched.status == "graded"
    assert q3.points == {q.id: q for q in honest.questions}["q3"].points < q3.max_points
    assert patched.score == honest.score < full_marks(tiny)


def test_breaking_the_answer_reader_only_hurts_the_submission(tiny: Tiny) -> None:
    wrong = "by_group = table.head(1)[['group', 'size']]"
    patch = "import builtins\nbuiltins.isinstance = lambda *a: True\nbuiltins.type = lambda o: int"
    record = grade_cells(tiny, "saboteur", [wrong, patch])
    assert record.status == "error"
    assert "broke the reading of its answers" in record.reason
    assert record.score == 0


def test_standard_library_stays_importable_for_student_code(tiny: Tiny) -> None:
    cell = "import statistics, fractions, decimal, codecs\nok = codecs.lookup('idna').name"
    assert sandbox_values(tiny, [cell], ["ok"]) == {"ok": "idna"}


# --- rigged values -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("cell", "question", "word"),
    [
        ("class Always:\n    def __eq__(self, other):\n        return True\n"
         "n_rows = Always()", "q1", "Always"),
        ("class Sneaky(int):\n    def __eq__(self, other):\n        return True\n"
         "    __hash__ = int.__hash__\nn_rows = Sneaky(99)", "q1", "subclass of int"),
        ("class Rigged(pd.DataFrame):\n    def equals(self, other):\n        return True\n"
         "    def __eq__(self, other):\n        return True\n"
         "by_group = Rigged({'group': ['x'], 'size': [0]})", "q3", "subclass of pandas"),
        ("class Yes(str):\n    def __eq__(self, other):\n        return True\n"
         "group_total = [Yes('a')]", "q2", "subclass of str"),
    ],
)
def test_rigged_values_are_refused_with_a_reason(tiny: Tiny, cell: str, question: str,
                                                 word: str) -> None:
    record = grade_cells(tiny, "rigger", [cell])
    result = {q.id: q for q in record.questions}[question]
    assert result.status == "refused"
    assert result.points == 0
    assert word in result.messages[0]
    assert record.score == full_marks(tiny) - result.max_points


# --- broken notebooks ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{not json", "not valid notebook JSON"),
        (b"", "empty"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b'{"cells": 5}', "not a Jupyter notebook"),
        (b'{"cells": [{"cell_type": "code", "source": 7}]}', "cell 1"),
    ],
)
def test_unreadable_files_are_invalid_with_a_reason(tiny: Tiny, data: bytes,
                                                     reason: str) -> None:
    path = write_notebook(tiny.submissions, "broken", data)
    record = grade_submission(tiny.bundle, path, FAST)
    assert record.status == "invalid"
    assert reason in record.reason
    assert record.score == 0 and len(record.questions) == len(tiny.bundle.questions)


def test_a_lone_surrogate_fails_its_cell_not_the_notebook(tiny: Tiny) -> None:
    """JSON may carry "\\ud800" (a lone surrogate) in a cell's source; Python cannot compile
    it. Only that cell fails: the other answers are graded (it failed the whole notebook)."""
    record = grade_cells(tiny, "surrogate", ["odd = '\ud800'", "fine = 1"])
    assert record.status == "graded", record.reason
    assert record.score == full_marks(tiny)
    assert len(record.cell_errors) == 1 and "surrogate" in record.cell_errors[0]["error"]


def test_an_answer_that_cannot_become_json_is_refused_alone(tiny: Tiny) -> None:
    """A chart spec may hold an integer too long for JSON (Python refuses more than 4,300
    digits). Every answer of the notebook was lost with it; now only that one is refused."""
    request = {
        "setup": tiny.bundle.data["setup"], "params": tiny.bundle.data["params"],
        "cells": [{"index": 1, "source": "import altair as alt\nimport pandas as pd\n"
                   "chart = alt.Chart(pd.DataFrame({'a': [1]})).mark_point()"
                   ".properties(width=10**5000)\nhuge = 10**5000\nother = 5"}],
        "answers": ["chart", "huge", "other"], "limits": FAST.as_request(), "hide": [],
    }
    reply = get_runner().run(request)
    assert reply["status"] == "ok", reply
    answers = reply["done"]["answers"]
    assert answers["chart"]["state"] == "refused"
    assert "could not be sent" in answers["chart"]["reason"]
    assert decode(answers["huge"]["data"]) == 10**5000  # in hexadecimal: no digit limit
    assert decode(answers["other"]["data"]) == 5


def test_an_answer_too_large_to_send_is_refused_alone(tiny: Tiny) -> None:
    """One answer larger than the answer limit (a list of many strings) made the whole message
    too large: every answer was lost. Now only the largest answers are refused, until the rest
    fits."""
    limits = Limits(timeout=3.0, result_bytes=2**20).as_request()
    request = {
        "setup": tiny.bundle.data["setup"], "params": tiny.bundle.data["params"],
        "cells": [{"index": 1, "source": "big = ['x' * 1000] * 3000\nsmall = [1, 2, 3]"}],
        "answers": ["big", "small"], "limits": limits, "hide": [],
    }
    reply = get_runner().run(request)
    assert reply["status"] == "ok", reply
    answers = reply["done"]["answers"]
    assert answers["big"]["state"] == "refused" and "too large" in answers["big"]["reason"]
    assert decode(answers["small"]["data"]) == [1, 2, 3]


def test_deleted_reordered_and_renamed_answers(tiny: Tiny) -> None:
    notebook = notebook_with_cells([], tiny.solved)
    cells = notebook["cells"]
    answer = {c["metadata"].get("tags", ["?"])[0]: c for c in cells if c["cell_type"] == "code"}
    cells.remove(answer["answer-q1"])  # deleted
    answer["answer-q2"]["source"] = answer["answer-q2"]["source"].replace("group_total", "total")
    cells.insert(0, cells.pop(cells.index(answer["answer-q4"])))  # moved before the setup
    path = write_notebook(tiny.submissions, "shuffled", notebook)
    record = grade_submission(tiny.bundle, path, FAST)
    by_id = {q.id: q for q in record.questions}
    assert record.status == "graded"
    assert by_id["q1"].status == by_id["q2"].status == "not answered"
    assert by_id["q3"].points == by_id["q3"].max_points
    assert by_id["q4"].points == by_id["q4"].max_points  # setup names exist before any cell
    assert record.score == 5


def test_limits_only_mode_still_grades_and_stops_loops(tiny: Tiny,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """What a normal user or macOS gets: no uid drop or namespaces, but limits and the
    separate checker still hold."""
    monkeypatch.setenv("COURSE_GRADER_LIMITS_ONLY", "1")
    reset_runner()
    try:
        solved = grade_cells(tiny, "portable", [])
        looping = grade_cells(tiny, "portable-loop", ["while True:\n    pass"], Limits(timeout=1))
        rigged = grade_cells(tiny, "portable-rig", ["class A:\n    def __eq__(s, o):\n"
                                                    "        return True\nn_rows = A()"])
    finally:
        reset_runner()
    assert solved.sandbox["namespaces"] is False and solved.sandbox["root"] is False
    assert (solved.status, solved.score) == ("graded", full_marks(tiny))
    assert looping.status == "timeout"
    assert rigged.score == full_marks(tiny) - 3


def test_folders_kept_under_tmp_are_the_outermost_strictly_inside(tmp_path) -> None:
    from grader.sandbox.isolation import _paths_under

    repo = tmp_path / "checkout"
    (repo / "data").mkdir(parents=True)
    (repo / ".venv" / "lib").mkdir(parents=True)
    outside = tmp_path.parent / "elsewhere-not-created"
    kept = _paths_under(
        str(tmp_path), [str(repo / "data"), str(repo), str(repo / ".venv" / "lib"), str(outside)]
    )
    assert kept == [str(repo.resolve())], "nested folders collapse into their outermost one"
    assert _paths_under(str(tmp_path), [str(tmp_path)]) == [], "never the temporary folder itself"


@LINUX_ROOT
def test_runners_forked_from_one_zygote_keep_every_guarantee(tiny: Tiny) -> None:
    """A pool's runners come from one preloaded runner (grader.sandbox.client.Zygote): each is
    its own process, and the sandbox around a submission is the same as with a spawned one."""
    from grader.sandbox import client

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    reset_runner()
    client.start_zygote()
    zygote = client._zygote
    assert zygote is not None
    try:
        first = get_runner()
        assert first.process is None and _parent(first.pid) == zygote.process.pid
        assert grade_cells(tiny, "z-solved", []).score == full_marks(tiny)
        values = sandbox_values(tiny, [
            "import os, socket\nuid = os.getuid()\nenv = sorted(os.environ)\n"
            "try:\n"
            f"    socket.create_connection(('127.0.0.1', {port}), timeout=1).close()\n"
            "    net = 'connected'\n"
            "except OSError as err:\n"
            "    net = type(err).__name__\n"
            "bundle = os.path.exists(" + repr(str(tiny.released.bundle)) + ")"
        ], ["uid", "env", "net", "bundle"])
        assert values["uid"] >= isolation.BASE_UID
        assert values["net"] != "connected"
        assert values["bundle"] is False
        assert "COURSE_GRADER_LIMITS_ONLY" not in values["env"]
        record = grade_cells(tiny, "z-assassin",
                             ["import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"])
        assert record.score == full_marks(tiny) and "PermissionError" in str(record.cell_errors)
        assert get_runner() is first and first.alive()
        reset_runner()
        second = get_runner()
        assert second.pid != first.pid and _parent(second.pid) == zygote.process.pid
    finally:
        server.close()
        reset_runner()
        client.stop_zygote()
    assert zygote.process.poll() is not None, "the zygote must stop with its control socket"


def test_each_distinct_answer_is_tested_once_and_every_record_is_its_own(
        tiny: Tiny, monkeypatch: pytest.MonkeyPatch) -> None:
    """A class hands in the same answers again and again: equal answer data is rebuilt and
    tested once per grading process, gets the equal result, and a different answer is tested."""
    import grader.grading as grading

    tested: list[str] = []
    real_run_checks = grading.run_checks

    def counting_run_checks(plan: Any, questions: list[dict], *args: Any) -> Any:
        tested.extend(question["id"] for question in questions)  # checked in a child process
        return real_run_checks(plan, questions, *args)

    monkeypatch.setattr(grading, "run_checks", counting_run_checks)
    monkeypatch.setattr(grading, "_checked", type(grading._checked)())
    auto = [q for q in tiny.bundle.questions if q["kind"] == "auto"]

    first = grade_cells(tiny, "memo-first", [])
    assert sorted(tested) == sorted(q["id"] for q in auto)
    tested.clear()
    second = grade_cells(tiny, "memo-second", ["# another student, the same answers"])
    assert tested == [], "equal answers are not tested again"
    assert (second.score, second.questions) == (first.score, first.questions) == \
        (full_marks(tiny), first.questions)
    second.questions[0].messages.append("only in the second record")
    assert "only in the second record" not in first.questions[0].messages
    second.questions[0].outcomes[0].message = "changed in the second record"
    assert first.questions[0].outcomes[0].message != "changed in the second record"

    wrong = grade_cells(tiny, "memo-wrong", [f"{auto[0]['answer']} = None"])
    assert tested == [auto[0]["id"]], "only the changed answer is tested"
    assert wrong.score < first.score


def test_each_runner_process_has_its_own_progress_page() -> None:
    """The cell a child is in travels through a shared page. Runners forked from one zygote
    must not share it, or one student's notebook could write another's timeout message."""
    from grader.sandbox.child import CELL_SLOT, ProgressPage, cell_in_progress

    progress = ProgressPage()
    mine = progress.reset()
    assert progress.page() is mine and cell_in_progress(mine) is None
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # a runner forked from the zygote, whose child reaches cell 7
        try:
            theirs = progress.reset()
            CELL_SLOT.pack_into(theirs, 0, 7)
            os.write(write_fd, b"own" if theirs is not mine and cell_in_progress(theirs) == 7
                     else b"shared")
        finally:
            os._exit(0)
    os.close(write_fd)
    answer = os.read(read_fd, 16)
    os.close(read_fd)
    os.waitpid(pid, 0)
    assert answer == b"own"
    assert cell_in_progress(mine) is None, "the other runner's cell did not reach this one"
