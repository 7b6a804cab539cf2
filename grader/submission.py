"""Read a submitted .ipynb defensively: anything malformed becomes a clear "invalid" reason."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.pages import SETUP_TAG, WRITTEN_PLACEHOLDER

MAX_NOTEBOOK_BYTES = 20 * 2**20
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class InvalidSubmission(ValueError):
    """The file is not a notebook the grader can read; the message says why."""


@dataclass
class Submission:
    student: str
    sha256: str
    code_cells: list[dict[str, Any]] = field(default_factory=list)  # {"index", "source"}
    written: dict[str, str] = field(default_factory=dict)  # question id -> answer text


def student_name(path: Path) -> str:
    """Whose submission a file is: its name without ``.ipynb``. Bytes of the name that are not
    UTF-8 (a file from another system) appear as ``\\xNN``, so every output can be written."""
    return os.fsencode(path.stem).decode("utf-8", "backslashreplace")


def writable_text(text: str) -> str:
    """Text from a notebook with any lone surrogate (valid JSON, "\\ud800", but not Unicode
    that a file can hold) replaced by U+FFFD: a written answer must not stop the class's
    feedback files from being written."""
    return LONE_SURROGATE.sub("\ufffd", text)


def _source(cell: dict[str, Any], number: int) -> str:
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise InvalidSubmission(f"cell {number}: 'source' is neither text nor a list of lines")


def _tags(cell: dict[str, Any]) -> list[str]:
    metadata = cell.get("metadata")
    tags = metadata.get("tags", []) if isinstance(metadata, dict) else []
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def parse_submission(student: str, data: bytes) -> Submission:
    """Parse notebook bytes. Raises InvalidSubmission naming the problem and where."""
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InvalidSubmission("the file is empty")
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise InvalidSubmission(f"the file is larger than {MAX_NOTEBOOK_BYTES // 2**20} MB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InvalidSubmission(
            f"not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start})"
        ) from err
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as err:
        raise InvalidSubmission(
            f"not valid notebook JSON (line {err.lineno}, column {err.colno}: {err.msg})"
        ) from err
    except RecursionError as err:
        raise InvalidSubmission("not valid notebook JSON (nested too deeply)") from err
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise InvalidSubmission("not a Jupyter notebook (no 'cells' list)")
    submission = Submission(student, digest)
    for number, cell in enumerate(notebook["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            raise InvalidSubmission(f"cell {number}: not a notebook cell")
        source = _source(cell, number)
        tags = _tags(cell)
        if cell["cell_type"] == "code" and SETUP_TAG not in tags:
            submission.code_cells.append({"index": number, "source": source})
        elif cell["cell_type"] == "markdown":
            for tag in tags:
                if tag.startswith("answer-"):
                    answer = writable_text(source.strip())
                    if answer == WRITTEN_PLACEHOLDER:
                        answer = ""
                    submission.written[tag.removeprefix("answer-")] = answer
    return submission


# What a submissions folder can hold besides a regular file, as an instructor would say it.
NOT_A_FILE = {
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def _not_a_file(mode: int) -> InvalidSubmission | None:
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFREG:
        return None
    return InvalidSubmission(f"cannot read the file: {NOT_A_FILE.get(kind, 'a special file')}, "
                             "not a file")


def read_notebook_bytes(path: Path, limit: int = MAX_NOTEBOOK_BYTES) -> bytes:
    """The bytes of a submitted file, at most ``limit + 1`` of them (enough to tell that it is
    too large). Only a regular file is read: a link is not followed (it could lead to a device
    that never ends, or out of the submissions folder) and a FIFO, device, socket or folder is
    never opened for reading, so nothing here can block. Raises InvalidSubmission saying what
    the entry is instead."""
    try:
        refused = _not_a_file(os.lstat(path).st_mode)  # before open: opening a device acts
    except OSError as err:
        raise InvalidSubmission(f"cannot read the file: {err.strerror}") from err
    if refused:
        raise refused
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except OSError as err:  # replaced by a link or a FIFO since lstat
        kind = "a symbolic link, not a file" if err.errno == errno.ELOOP else err.strerror
        raise InvalidSubmission(f"cannot read the file: {kind}") from err
    try:
        refused = _not_a_file(os.fstat(fd).st_mode)  # what was opened, whatever lstat saw
        if refused:
            raise refused
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(limit + 1 - size, 2**20))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as err:
        raise InvalidSubmission(f"cannot read the file: {err.strerror}") from err
    finally:
        os.close(fd)


def read_submission(path: Path) -> Submission:
    """Read and parse one submitted file (see :func:`read_notebook_bytes`)."""
    return parse_submission(student_name(path), read_notebook_bytes(path))
