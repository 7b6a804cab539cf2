"""The student package (`course student-wheel`): what it holds and leaves out, that its bytes
depend only on the sources, and that a released notebook's check() works where only it is
installed — in a virtual environment outside the repository, without the course's editable
install in view."""

from __future__ import annotations

import ast
import base64
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from grader.cli import main
from grader.pages import hidden_setup_source
from grader.release import release
from grader.sandbox.rootfs import STUDENT_GRADER_MODULES
from grader.source import exercise_sources, load_exercise_set
from grader.student_wheel import (
    REQUIRES,
    build_student_wheel,
    payload_files,
    project_version,
    wheel_name,
)
from minilat.dataset import schema

ROOT = Path(__file__).resolve().parents[1]
INSTRUCTOR_MODULES = ("solutions", "bundle", "release", "source", "sandbox", "batch", "grading",
                      "cli")
SHIPPED = f"minilat/{schema.SHIPPED_FOLDER}"
INFO = f"minilat_course_student-{project_version(ROOT)}.dist-info"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_student_wheel(tmp_path_factory.mktemp("wheel"))


def _entries(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _tables() -> list[str]:
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    return [resource["path"] for resource in descriptor["resources"]]


def test_wheel_holds_the_library_the_data_and_only_the_check_modules(wheel: Path) -> None:
    names = set(_entries(wheel))
    library = {path.relative_to(ROOT).as_posix() for path in (ROOT / "minilat").rglob("*")
               if path.is_file() and "__pycache__" not in path.parts}
    assert library and library <= names, f"library files missing: {sorted(library - names)}"
    for table in _tables():
        assert f"{SHIPPED}/data/{table}" in names
    for extra in ("data/datapackage.json", "data/sources.bib", "data/geo/countries-110m.json",
                  "references.bib"):
        assert f"{SHIPPED}/{extra}" in names
    assert {n for n in names if n.startswith("grader/")} == {
        "grader/__init__.py", "grader/student.py", "grader/checks.py", "grader/values.py",
        "grader/testing.py"}
    for module in INSTRUCTOR_MODULES:
        assert not any(n.startswith((f"grader/{module}.", f"grader/{module}/")) for n in names)
    tops = {name.split("/")[0] for name in names}
    assert tops == {"grader", "minilat", INFO}, tops


def test_wheel_holds_no_solution_hidden_test_or_exercise_source(wheel: Path) -> None:
    text = "\n".join(data.decode("utf-8", "replace") for data in _entries(wheel).values())
    secrets = []
    for source in exercise_sources(ROOT / "exercises"):
        assert source.read_text(encoding="utf-8") not in text
        exercise_set = load_exercise_set(source)
        secrets.append(exercise_set.test_setup)
        for question in exercise_set.questions:
            secrets += [question.solution, *(test.code for test in question.hidden_tests)]
    secrets = [s.strip() for s in secrets if len(s.strip()) > 20]
    assert secrets, "the exercise sets have no hidden tests to look for"
    leaked = [secret for secret in secrets if secret in text]
    assert not leaked, f"in the wheel: {leaked[:3]}"


def _grader_imports(module: Path) -> set[str]:
    """Grader modules ``module`` imports, at any depth of its code."""
    found = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "grader":
                found |= {alias.name for alias in node.names}
            elif node.module.startswith("grader."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("grader.")}
    return found


def test_the_check_modules_are_the_import_closure_of_the_released_setup_cell() -> None:
    exercise_set = load_exercise_set(sorted((ROOT / "exercises").glob("00-*.md"))[0])
    wanted = set()
    tree = ast.parse(hidden_setup_source(exercise_set, exercise_set.choose_params(None)))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("grader."):
            wanted.add(node.module.split(".")[1])
    assert wanted == {"student"}
    closure, todo = set(), list(wanted)
    while todo:
        name = todo.pop()
        if name not in closure:
            closure.add(name)
            todo += _grader_imports(ROOT / "grader" / f"{name}.py")
    assert {f"{name}.py" for name in closure} | {"__init__.py"} == set(STUDENT_GRADER_MODULES)


def test_record_and_metadata_describe_the_wheel(wheel: Path) -> None:
    entries = _entries(wheel)
    info = INFO
    record = {}
    for line in entries[f"{info}/RECORD"].decode().splitlines():
        name, digest, size = line.rsplit(",", 2)
        record[name] = (digest, size)
    assert set(record) == set(entries)
    for name, data in entries.items():
        if name == f"{info}/RECORD":
            assert record[name] == ("", "")
            continue
        expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert record[name] == (f"sha256={expected}", str(len(data))), name
    metadata = entries[f"{info}/METADATA"].decode()
    assert "Name: minilat-course-student\n" in metadata
    assert "Requires-Python: >=3.11\n" in metadata
    for name in ("pandas", "numpy", "altair", "pyarrow", "ipywidgets", "networkx"):
        assert name in REQUIRES
        assert f"Requires-Dist: {name}>=" in metadata
    assert "Tag: py3-none-any\n" in entries[f"{info}/WHEEL"].decode()
    assert list(entries)[-1] == f"{info}/RECORD"


def _copy_sources(target: Path) -> Path:
    target.mkdir()
    for name in ("pyproject.toml", "requirements.txt", "references.bib"):
        shutil.copy2(ROOT / name, target / name)
    for folder in ("minilat", "data"):
        shutil.copytree(ROOT / folder, target / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (target / "grader").mkdir()
    for name in STUDENT_GRADER_MODULES:
        shutil.copy2(ROOT / "grader" / name, target / "grader" / name)
    return target


def test_building_twice_gives_the_same_bytes_whatever_the_file_dates(tmp_path: Path) -> None:
    sources = _copy_sources(tmp_path / "copy")  # its files get new dates and modes below
    first = build_student_wheel(tmp_path / "first", root=sources).read_bytes()
    for path in sources.rglob("*"):
        os.utime(path, (1_900_000_000, 1_900_000_000))
        if path.is_file():
            path.chmod(0o755)
    second = build_student_wheel(tmp_path / "second", root=sources).read_bytes()
    assert first == second
    assert build_student_wheel(tmp_path / "again").read_bytes() == \
        build_student_wheel(tmp_path / "more").read_bytes()


def test_cli_writes_the_wheel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["student-wheel", "--out", str(tmp_path)]) == 0
    wheel = tmp_path / wheel_name(project_version(ROOT))
    assert wheel.is_file()
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == [wheel.name]  # no partial file left


def test_a_stale_shipped_copy_in_the_repository_is_never_packed(tmp_path: Path) -> None:
    sources = _copy_sources(tmp_path / "copy")
    stale = sources / "minilat" / schema.SHIPPED_FOLDER / "data" / "old.csv"
    stale.parent.mkdir(parents=True)
    stale.write_text("stale\n", encoding="utf-8")
    assert f"{SHIPPED}/data/old.csv" not in payload_files(sources)


def test_default_data_dir_is_the_shipped_copy_when_there_is_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repository_data = ROOT / "data"
    assert schema.default_data_dir() == repository_data
    monkeypatch.setattr(schema, "shipped_data_dir", lambda: tmp_path)
    assert schema.default_data_dir() == repository_data  # no descriptor there: not a copy
    (tmp_path / schema.DESCRIPTOR).write_text("{}", encoding="utf-8")
    assert schema.default_data_dir() == tmp_path
    monkeypatch.setenv(schema.DATA_DIR_ENV, str(repository_data))
    assert schema.resolve_data_dir() == repository_data  # the environment variable comes first


def _dependencies_without_the_course(folder: Path) -> Path:
    """A folder of links to every entry of this environment's site-packages except what the
    course's own install put there (its editable finder and .pth, its .dist-info)."""
    site_packages = Path(sysconfig.get_paths()["purelib"])
    course = importlib.metadata.distribution("minilat-course")
    installed = {Path(str(f)).parts[0] for f in course.files or []
                 if not str(f).startswith("..")}
    assert any(name.startswith("__editable__") for name in installed) or "minilat" in installed
    folder.mkdir()
    for entry in sorted(site_packages.iterdir()):
        if entry.name in installed or entry.suffix == ".pth":
            continue
        (folder / entry.name).symlink_to(entry)
    return folder


STUDENT_SCRIPT = r"""
import json, re, sys
from pathlib import Path

import minilat, minilat.dataset, grader.student
from minilat.dataset.schema import resolve_data_dir
from minilat.dataset.validate import collect

report = {"minilat": minilat.__file__, "grader": grader.student.__file__,
          "data": str(resolve_data_dir()), "rows": len(minilat.dataset.forums()),
          "problems": [str(p) for p in collect()[0]]}
try:
    import grader.solutions
    report["solutions"] = "imported"
except ModuleNotFoundError as err:
    report["solutions"] = f"ModuleNotFoundError: {err}"

notebook = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
namespace = {"__name__": "__main__"}
import contextlib, io
out = io.StringIO()
with contextlib.redirect_stdout(out):
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), f"cell {number}", "exec"), namespace)
    blank = out.getvalue()
    exec('n_minilateral = 0\ncheck("q1")', namespace)
report["blank"] = blank
report["answered"] = out.getvalue()[len(blank):]
print(json.dumps(report))
"""


def test_a_released_notebook_checks_answers_with_only_the_student_package(
        wheel: Path, tmp_path: Path) -> None:
    assert not tmp_path.resolve().is_relative_to(ROOT)
    environment = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(environment)], check=True)
    python = environment / "bin" / "python"
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "PYTHONHOME", "MINILAT_DATA_DIR", "VIRTUAL_ENV")}
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True, env=env).stdout.strip()
    links = _dependencies_without_the_course(tmp_path / "dependencies")
    (Path(purelib) / "dependencies.pth").write_text(f"{links}\n", encoding="utf-8")
    subprocess.run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
                    "--disable-pip-version-check", str(wheel)], check=True, env=env, cwd=tmp_path)

    exercise = sorted((ROOT / "exercises").glob("00-*.md"))[0]
    notebook = release([exercise], tmp_path / "release")[0].notebook
    work = tmp_path / "work"
    work.mkdir()
    done = subprocess.run([python, "-c", STUDENT_SCRIPT, str(notebook)], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.splitlines()[-1])

    assert Path(report["minilat"]).is_relative_to(environment)
    assert Path(report["grader"]).is_relative_to(environment)
    assert Path(report["data"]).is_relative_to(environment)
    assert report["rows"] > 100 and report["problems"] == []
    assert report["solutions"].startswith("ModuleNotFoundError")
    assert "q1: not answered yet" in report["blank"]
    assert "Traceback" not in report["blank"] and "could not run" not in report["blank"]
    assert re.search(r"^q1: (\d+ of \d+|all \d+) public tests passed$", report["answered"],
                     re.MULTILINE), report["answered"]


def test_release_readme_tells_students_to_install_the_student_package(tmp_path: Path) -> None:
    exercise = sorted((ROOT / "exercises").glob("00-*.md"))[0]
    release([exercise], tmp_path)
    readme = (tmp_path / "student" / "README.md").read_text(encoding="utf-8")
    assert "minilat_course_student-" in readme and "pip install" in readme
    assert "-e ." not in readme and "repository" not in readme
