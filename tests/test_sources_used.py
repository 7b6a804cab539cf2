"""Every source in data/sources.bib backs something: a data row, a page or the code.

An unused entry is either a leftover (a source read and then replaced) or a fact that never made
it into the data; both mislead a reader of the bibliography.
"""

from __future__ import annotations

import re
from pathlib import Path

from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
CITING = ["data/*.csv", "data/*.json", "chapters/*.md", "dataset/*.md", "exercises/*.md", "*.md",
          "minilat/**/*.py"]


def test_every_data_source_is_cited() -> None:
    keys = set(parse_file(str(ROOT / "data" / "sources.bib")).entries)
    text = "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for pattern in CITING
        for path in ROOT.glob(pattern)
    )
    cited = set(re.findall(r"[A-Za-z0-9_:\-]+", text))
    unused = sorted(keys - cited)
    assert not unused, f"{len(unused)} entries of data/sources.bib back nothing: {unused}"
