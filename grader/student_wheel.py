"""``course student-wheel``: the package students install, without what instructors keep.

``minilat_course_student-VERSION-py3-none-any.whl`` holds:

- ``minilat/`` whole (code and the book's assets): the library every notebook imports;
- ``minilat/_course/data/`` and ``minilat/_course/references.bib``: the dataset and the
  bibliography its loader checks source keys against, laid out as in the repository
  (``minilat.dataset.schema`` reads this copy when no repository is around);
- from ``grader/`` only the modules a released notebook imports for ``check()``
  (:data:`grader.sandbox.rootfs.STUDENT_GRADER_MODULES`, the same list the grading sandbox
  shows a notebook).

It never holds exercise sources, solutions, hidden tests, bundles or the grading machinery.
Its bytes depend only on the files it packs (fixed dates and permissions, sorted entries), so
the same sources give the same wheel and the same hash.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import tempfile
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

from grader.sandbox.rootfs import STUDENT_GRADER_MODULES
from minilat.dataset.schema import SHIPPED_FOLDER

REPOSITORY = Path(__file__).resolve().parents[1]
DISTRIBUTION = "minilat-course-student"
#: What the student package needs from PyPI; the lower bound of each is the release the course
#: is tested with (requirements.txt pins it).
REQUIRES = ("altair", "ipywidgets", "networkx", "numpy", "pandas", "pyarrow")
#: ``pip install "WHEEL[chapters]"``: the chapter notebooks glue computed numbers into their text.
CHAPTER_EXTRA = ("myst-nb",)
# ZIP cannot store dates before 1980; every entry gets this one.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644  # a regular file, rw-r--r--
UNIX = 3  # the ZIP "made by" system, fixed so the bytes do not depend on the building machine
SKIPPED_SUFFIXES = (".pyc", ".pyo")


class StudentWheelError(ValueError):
    """The repository lacks something the student package needs."""


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(requirements: Path) -> dict[str, str]:
    pins = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\s*([A-Za-z0-9_.-]+)\s*==\s*([^\s;#]+)", line)
        if match:
            pins[_normalised(match.group(1))] = match.group(2)
    return pins


def lower_bound(name: str, pins: dict[str, str], requirements: Path) -> str:
    """``name>=MAJOR.MINOR`` of the version requirements.txt pins."""
    version = pins.get(_normalised(name))
    if version is None:
        raise StudentWheelError(f"{requirements}: no pinned version (name==X.Y.Z) of {name}")
    major_minor = ".".join(version.split(".")[:2])
    return f"{name}>={major_minor}"


def project_version(root: Path) -> str:
    pyproject = root / "pyproject.toml"
    try:
        with pyproject.open("rb") as fh:
            return tomllib.load(fh)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as err:
        raise StudentWheelError(f"{pyproject}: cannot read [project] version ({err})") from None


def _tree(root: Path, folder: str, skip: tuple[str, ...] = ()) -> Iterator[tuple[str, Path]]:
    """(path in the repository, file) for every file under ``root/folder``, without hidden
    files, caches, compiled files and the folders of ``skip`` (repository-relative)."""
    base = root / folder
    if not base.is_dir():
        raise StudentWheelError(f"{base}: folder missing (build from a copy of the repository)")
    for path in sorted(base.rglob("*")):
        parts = path.relative_to(root).parts
        relative = "/".join(parts)
        if any(part.startswith(".") or part == "__pycache__" for part in parts):
            continue
        if any(relative == s or relative.startswith(s + "/") for s in skip):
            continue
        if path.suffix in SKIPPED_SUFFIXES or not path.is_file():
            continue
        yield relative, path


def payload_files(root: Path = REPOSITORY) -> dict[str, Path]:
    """Path inside the wheel -> file in the repository, for everything the wheel installs."""
    shipped = f"minilat/{SHIPPED_FOLDER}"
    files = dict(_tree(root, "minilat", skip=(shipped,)))  # a stale copy is never re-packed
    for relative, path in _tree(root, "data"):
        files[f"{shipped}/{relative}"] = path
    references = root / "references.bib"
    if not references.is_file():
        raise StudentWheelError(f"{references}: missing (the dataset's source keys point into it)")
    files[f"{shipped}/references.bib"] = references
    for name in STUDENT_GRADER_MODULES:
        module = root / "grader" / name
        if not module.is_file():
            raise StudentWheelError(f"{module}: missing (released notebooks import it)")
        files[f"grader/{name}"] = module
    return files


def metadata(version: str, root: Path = REPOSITORY) -> str:
    requirements = root / "requirements.txt"
    pins = _pins(requirements)
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {DISTRIBUTION}",
        f"Version: {version}",
        "Summary: From Multilateralism to Minilateralism: the course library, its dataset and "
        "check() for exercise notebooks",
        "License: MIT (code); CC BY 4.0 (text and data)",
        "Requires-Python: >=3.11",
        *(f"Requires-Dist: {lower_bound(name, pins, requirements)}" for name in REQUIRES),
        "Provides-Extra: chapters",
        *(f'Requires-Dist: {lower_bound(name, pins, requirements)}; extra == "chapters"'
          for name in CHAPTER_EXTRA),
        "Description-Content-Type: text/markdown",
        "",
        "The student package of the course: `minilat` (the teaching library and the forum "
        "dataset) and the `check()` of released exercise notebooks. Open a notebook your "
        "instructor handed out in Jupyter and run it; everything works offline.",
    ]
    return "\n".join(lines) + "\n"


def wheel_name(version: str) -> str:
    return f"{DISTRIBUTION.replace('-', '_')}-{version}-py3-none-any.whl"


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def wheel_entries(root: Path = REPOSITORY) -> dict[str, bytes]:
    """Every entry of the wheel in its order: the payload sorted, then the .dist-info, RECORD
    last (it lists the hash of every other entry)."""
    version = project_version(root)
    info = f"{DISTRIBUTION.replace('-', '_')}-{version}.dist-info"
    entries = {name: path.read_bytes() for name, path in sorted(payload_files(root).items())}
    entries[f"{info}/METADATA"] = metadata(version, root).encode("utf-8")
    entries[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: grader.student_wheel\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n"
    )
    entries[f"{info}/top_level.txt"] = b"grader\nminilat\n"
    record = [f"{name},{_record_hash(data)},{len(data)}" for name, data in entries.items()]
    record.append(f"{info}/RECORD,,")
    entries[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode("utf-8")
    return entries


def build_student_wheel(out_dir: Path, root: Path = REPOSITORY) -> Path:
    """Write the student wheel into ``out_dir`` and return its path."""
    entries = wheel_entries(root)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / wheel_name(project_version(root))
    handle, partial = tempfile.mkstemp(prefix=".student-wheel-", dir=out_dir)
    try:
        with os.fdopen(handle, "wb") as fh, zipfile.ZipFile(fh, "w") as archive:
            for name, data in entries.items():
                entry = zipfile.ZipInfo(name, date_time=FIXED_DATE)
                entry.create_system = UNIX
                entry.external_attr = FILE_MODE << 16
                archive.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        os.chmod(partial, 0o644)
        os.replace(partial, target)  # never a half-written wheel under the final name
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return target
