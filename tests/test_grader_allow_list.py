"""The sandbox is an allow-list: a notebook that walks the whole visible filesystem finds only
the system, Python, the course library, the student grader modules and the data — wherever the
repository, the bundle, the submissions and the output live, whatever the working folder.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_grader_helpers import Tiny, notebook_with_cells, write_notebook

from grader.bundle import load_bundle
from grader.grading import Limits, grade_submission
from grader.release import release
from grader.sandbox import isolation
from grader.sandbox.client import RunnerClient
from grader.solutions import blank_notebook, solved_notebook
from grader.source import load_exercise_set
from grader.values import decode

pytestmark = pytest.mark.skipif(
    not isolation.is_linux_root(), reason="needs root on Linux (the allow-list root)"
)
REPOSITORY = Path(__file__).resolve().parents[1]
MARKER = "course-secret-marker"
STUDENT_MODULES = {"__init__.py", "student.py", "checks.py", "values.py", "testing.py"}
SLOW = Limits(timeout=60.0)

WALK = f"""
import os
readable, markers = [], []
for top in sorted(os.listdir('/')):
    if top in ('proc', 'sys') or os.path.islink('/' + top):  # own /proc; /bin -> usr/bin
        continue
    for folder, subfolders, files in os.walk('/' + top, followlinks=False):
        for name in files + subfolders:
            path = os.path.join(folder, name)
            if os.access(path, os.R_OK):
                readable.append(path)
                if {MARKER!r} in name:
                    markers.append(path)
prefixes = ('/usr/', '/etc/', '/dev/') + tuple(PYTHON)
outside = sorted(p for p in readable if not p.startswith(prefixes))
count = len(readable)
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Tiny:
    return Tiny(tmp_path_factory.mktemp("tiny"))


def _plant(folder: Path) -> Path:
    """A world-readable secret file whose name the walk looks for."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{MARKER}-{folder.name}.txt"
    path.write_text("secret")
    path.chmod(0o644)
    return path


def _copy_repository(base: Path) -> Path:
    """The course's packages, data and exercise sources, as an instructor's checkout."""
    copy = base / "course-checkout"
    for name in ("minilat", "grader", "data", "exercises"):
        shutil.copytree(REPOSITORY / name, copy / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPOSITORY / "references.bib", copy / "references.bib")
    _plant(copy / "exercises")
    _plant(copy)
    for path in [copy, *copy.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return copy


@pytest.fixture
def places() -> Iterator[dict[str, Path]]:
    """World-readable folders in the usual places: /tmp, /srv (or /var/lib), the home folder."""
    server = Path("/srv") if Path("/srv").is_dir() else Path("/var/lib")
    made = {
        "tmp": Path(tempfile.mkdtemp(prefix="course-allow-list-")),
        "server": Path(tempfile.mkdtemp(prefix="course-allow-list-", dir=server)),
        "home": Path(tempfile.mkdtemp(prefix="course-allow-list-", dir=Path.home())),
    }
    for folder in made.values():
        folder.chmod(0o755)
    yield made
    for folder in made.values():
        shutil.rmtree(folder, ignore_errors=True)


def _walk(tiny: Tiny, repository: Path, cwd: Path, batch: Path,
          monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Run the walking notebook in a runner started from ``cwd`` with the course imported from
    ``repository``, hiding what ``course grade`` hides for a batch kept in ``batch``."""
    bundle = batch / "instructor" / "01-tiny.bundle.json"
    bundle.parent.mkdir(parents=True)
    shutil.copy(tiny.released.bundle, bundle)
    submissions, out = batch / "submissions", batch / "out"
    write_notebook(submissions, "victim", tiny.solved)
    out.mkdir()
    (out / "gradebook.csv").write_text("student,score\nvictim,3\n")
    for folder in (bundle.parent, submissions, out):
        _plant(folder)
    if cwd != REPOSITORY:  # the repository's own files stand for it (see the first test)
        _plant(cwd)
    for path in [batch, *batch.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    python = sorted({sys.prefix, sys.base_prefix, os.path.realpath(sys.prefix)})
    setup = f"PYTHON = {[p.rstrip('/') + '/' for p in python]!r}\n"
    monkeypatch.chdir(cwd)
    if repository != REPOSITORY:
        monkeypatch.setenv("PYTHONPATH", str(repository))
        monkeypatch.setenv("MINILAT_DATA_DIR", str(repository / "data"))
    runner = RunnerClient()
    try:
        reply = runner.run({
            "setup": setup, "params": {}, "cells": [{"index": 1, "source": WALK}],
            "answers": ["outside", "markers", "count"], "limits": SLOW.as_request(),
            "hide": [str(bundle), str(submissions), str(out)],
        })
    finally:
        runner.close()
    assert reply["status"] == "ok", reply
    values = {k: decode(v["data"]) for k, v in reply["done"]["answers"].items()
              if v["state"] == "value"}
    values["capabilities"] = runner.capabilities
    return values


def _expected(repository: Path) -> list[str]:
    """What a notebook may read outside the system and Python: the library, the data, the
    bibliography, the grader's student modules and its own private temporary folders."""
    allowed = [repository / "minilat", repository / "data", repository / "references.bib"]
    allowed += [repository / "grader" / name for name in STUDENT_MODULES]
    python = {sys.prefix, sys.base_prefix, os.path.realpath(sys.prefix)}
    return [str(p) for p in allowed] + sorted(python) + ["/tmp", "/var/tmp", "/dev/shm"]


def _check(values: dict[str, Any], repository: Path, secrets: list[Path]) -> None:
    assert values["capabilities"]["allow_list"], values["capabilities"]
    assert values["markers"] == []
    assert values["count"] > 1000, "the walk saw the system (a real walk)"
    allowed = _expected(repository)
    strays = [p for p in values["outside"]
              if not any(p == a or p.startswith(a + "/") or a.startswith(p + "/")
                         for a in allowed)]
    assert strays == [], strays[:20]
    visible = set(values["outside"])  # the rest lies in the system and Python folders
    for secret in secrets:
        assert str(secret) not in visible
    grader = str(repository / "grader") + "/"
    instructor_only = [p for p in visible
                       if p.endswith((".bundle.json", "gradebook.csv"))
                       or p.startswith(str(repository / "exercises"))
                       or (p.startswith(grader) and p[len(grader):] not in STUDENT_MODULES)]
    assert instructor_only == [], instructor_only[:20]


def test_the_walk_finds_nothing_from_the_repository_itself(
        tiny: Tiny, places: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The installed repository, grading started from the repository's own folder."""
    values = _walk(tiny, REPOSITORY, REPOSITORY, places["tmp"] / "batch", monkeypatch)
    _check(values, REPOSITORY, [REPOSITORY / "exercises", REPOSITORY / "grader" / "solutions.py",
                                REPOSITORY / "README.md", tiny.source])


def test_the_walk_finds_nothing_from_a_checkout_in_tmp(
        tiny: Tiny, places: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkout in /tmp (bound back into each private /tmp), grading started from a folder
    that holds the bundle and the submissions."""
    repository = _copy_repository(places["tmp"])
    batch = places["tmp"] / "term"
    batch.mkdir()
    values = _walk(tiny, repository, batch, batch, monkeypatch)
    _check(values, repository, [repository / "exercises", repository / "grader" / "bundle.py"])


def test_the_walk_finds_nothing_from_a_server_folder(
        tiny: Tiny, places: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkout in a world-readable server folder, grading started from the home folder,
    the batch kept in the home folder."""
    repository = _copy_repository(places["server"])
    values = _walk(tiny, repository, places["home"], places["home"] / "batch", monkeypatch)
    _check(values, repository, [repository / "exercises", places["home"]])


def test_a_hidden_path_inside_an_allowed_tree_is_covered(
        tiny: Tiny, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deny on top of allow: a bundle kept inside an allowed tree (here /usr/local/share) is
    covered, while its neighbour there stays readable."""
    folder = Path(tempfile.mkdtemp(prefix="course-allow-list-", dir="/usr/local/share"))
    try:
        folder.chmod(0o755)
        bundle, neighbour = folder / "set.bundle.json", folder / "neighbour.txt"
        bundle.write_text("hidden tests")
        neighbour.write_text("public")
        for path in (bundle, neighbour):
            path.chmod(0o644)
        cell = (
            "def grab(path):\n    try:\n        return open(path).read()\n"
            "    except Exception as err:\n        return type(err).__name__\n"
            f"bundle_text = grab({str(bundle)!r})\nneighbour_text = grab({str(neighbour)!r})\n"
        )
        runner = RunnerClient()
        try:
            reply = runner.run({
                "setup": "", "params": {}, "cells": [{"index": 1, "source": cell}],
                "answers": ["bundle_text", "neighbour_text"],
                "limits": Limits(timeout=5).as_request(), "hide": [str(bundle)],
            })
        finally:
            runner.close()
        values = {k: decode(v["data"]) for k, v in reply["done"]["answers"].items()}
        assert values == {"bundle_text": "", "neighbour_text": "public"}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


STEAL_SOLUTIONS = r"""
import os, re
stolen = 0
places = []
for module in ('minilat', 'grader', 'grader.student', 'grader.values'):
    try:
        places.append(os.path.dirname(os.path.abspath(__import__(module).__file__)))
    except Exception:
        pass
for place in places:
    for up in (place, os.path.dirname(place), os.path.dirname(os.path.dirname(place))):
        folder = os.path.join(up, 'exercises')
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            if not name.startswith('00-'):
                continue
            text = open(os.path.join(folder, name)).read()
            for block in re.findall(r'```\{code-cell\}[^\n]*\n---\n(.*?)\n---\n(.*?)```', text, re.S):
                if 'solution' in block[0]:
                    try:
                        exec(block[1], globals())
                        stolen += 1
                    except Exception:
                        pass
"""


def test_a_blank_notebook_cannot_take_the_solutions_from_the_course_files(
        tmp_path: Path) -> None:
    """The attack that scored full marks on a blank notebook: find the course's files through
    an imported module's ``__file__``, read the exercise source and run its solutions. In the
    sandbox those files are not there; the notebook keeps the blank score."""
    source = REPOSITORY / "exercises" / "00-the-dataset.md"
    [released] = release([source], tmp_path / "release", seed=3)
    bundle = load_bundle(released.bundle)
    exercise_set = load_exercise_set(source)
    blank = blank_notebook(exercise_set, released.params)
    thief = write_notebook(tmp_path / "submissions", "thief",
                           notebook_with_cells([STEAL_SOLUTIONS], blank))
    honest = write_notebook(tmp_path / "submissions", "honest",
                            solved_notebook(exercise_set, released.params))
    untouched = write_notebook(tmp_path / "submissions", "untouched", blank)
    hide = (str(released.bundle), str(tmp_path / "submissions"))
    limits = Limits(timeout=20, hide=hide)
    scores = {path.stem: grade_submission(bundle, path, limits) for path in
              (thief, honest, untouched)}
    assert scores["honest"].score == bundle.max_auto_points > 0
    assert scores["thief"].status == "graded"
    assert scores["thief"].score == scores["untouched"].score < bundle.max_auto_points


def test_only_paths_strictly_beside_what_is_allowed_are_covered(tmp_path: Path) -> None:
    """Grading started from the Python installation's folder, from a folder holding it, or
    from the data folder hides none of them; a private folder inside an allowed tree is."""
    from grader.sandbox.rootfs import visible_hidden

    python = tmp_path / "usr" / "local"
    (python / "lib" / "python3.11").mkdir(parents=True)
    (python / "private").mkdir()
    (tmp_path / "course" / "data").mkdir(parents=True)
    allowed = [str(tmp_path / "usr"), str(python), str(python / "lib" / "python3.11"),
               str(tmp_path / "course" / "data")]
    asked = [str(python), str(tmp_path / "usr"), str(python / "lib"),
             str(tmp_path / "course" / "data"), str(python / "private"), str(tmp_path / "course")]
    assert visible_hidden(asked, allowed) == [str(python / "private")]
