"""Remember the results of slow, pure byte transformations between builds.

A no-change rebuild still runs the build-finished steps (Sphinx copies some static files again
each time, so they must be purged again). Their inputs rarely change, so their outputs are kept
under `_build/`, keyed by a hash of everything the result depends on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path


class Memo:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        folder.mkdir(parents=True, exist_ok=True)

    def get(self, kind: str, inputs: Iterable[bytes], compute: Callable[[], bytes]) -> bytes:
        digest = hashlib.sha256(kind.encode())
        for part in inputs:
            digest.update(hashlib.sha256(part).digest())
        name = f"{kind}-{digest.hexdigest()[:32]}"
        self.used.add(name)
        path = self.folder / name
        if path.is_file():
            return path.read_bytes()
        result = compute()
        path.write_bytes(result)
        return result

    def forget_unused(self) -> None:
        """Drop what this build did not ask for (earlier vocabularies, older theme files)."""
        for path in self.folder.iterdir():
            if path.name not in self.used:
                path.unlink()
