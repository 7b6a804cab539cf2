"""Stable pseudonyms for students, so that graders see answers without names.

A pseudonym is ``S-`` and the first hex digits of an HMAC-SHA256 of the student's name, keyed
with a secret kept in the sheets folder (``.key``, readable by its owner only). The same key
gives the same pseudonyms on every run; without it, a pseudonym cannot be traced back to a name
from a class list. Four digits are used unless two students of the class share them, in which
case those students get as many more as tell them apart.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_FILE = ".key"
SHORTEST = 4


def load_or_create_key(folder: Path) -> bytes:
    """The folder's secret, created (mode 0600) on the first run and never changed after."""
    path = folder / KEY_FILE
    if path.exists():
        key = path.read_bytes().strip()
        if not key:
            raise ValueError(f"{path} is empty; restore it from a backup (pseudonyms depend "
                             "on it) or delete it and start the sheets again")
        return key
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(secrets.token_hex(32).encode())
    os.chmod(path, 0o600)
    return path.read_bytes().strip()


def read_key(folder: Path) -> bytes:
    path = folder / KEY_FILE
    if not path.is_file():
        raise ValueError(f"{path}: no key; merge reads the sheets in the folder that "
                         "course manual-sheets wrote (it keeps the key there)")
    return path.read_bytes().strip()


def digest(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def pseudonyms(key: bytes, students: list[str]) -> dict[str, str]:
    """Each student's pseudonym: the shortest prefix (at least four digits) that no other
    student of the class shares."""
    digests = sorted((digest(key, student).upper(), student) for student in set(students))
    names = {}
    for index, (hexes, student) in enumerate(digests):
        # Sorted, the digest sharing the longest prefix with this one is a neighbour.
        neighbours = [digests[i][0] for i in (index - 1, index + 1) if 0 <= i < len(digests)]
        shared = max((_common_prefix(hexes, other) for other in neighbours), default=0)
        names[student] = f"S-{hexes[:max(SHORTEST, shared + 1)]}"
    return names


def _common_prefix(first: str, second: str) -> int:
    length = 0
    while length < min(len(first), len(second)) and first[length] == second[length]:
        length += 1
    return length

def shuffled(key: bytes, seed: str, question: str, students: list[str]) -> list[str]:
    """The students in an order no one can guess or tie to names, the same on every run with
    the same key and seed, different for each question."""
    return sorted(students, key=lambda s: digest(key, f"{seed}\0{question}\0{s}"))
