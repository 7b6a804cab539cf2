"""The notebooks students download from the site run as live notebooks.

Each page's `.ipynb` (offered by the download button) is executed in a fresh kernel *without*
`MINILAT_BUILD=site`: charts use Altair's own renderer and explorers build their ipywidgets
panels, as in Jupyter on a student's laptop. Any cell error fails the test, naming the cell.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from minilat.site.build import is_notebook, toc_files

pytestmark = [pytest.mark.book, pytest.mark.slow]


def _run_live(path: str) -> str:
    """Execute one downloaded notebook; return '' or the error."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    os.environ.pop("MINILAT_BUILD", None)
    for attempt in (1, 2):
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(ROOT)}})
        try:
            client.execute()
            break
        except CellExecutionError as error:
            return f"{path}: {str(error)[:1500]}"
        except RuntimeError as error:
            # Two kernels started at once can pick the same free TCP port and one dies
            # before it answers: start it again once; a second death is a real failure.
            if attempt == 2 or "Kernel died" not in str(error):
                return f"{path}: kernel did not start: {error}"
    widgets = any(
        "application/vnd.jupyter.widget-view+json" in output.get("data", {})
        for cell in notebook.cells if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )
    if "explorer(" in "".join(c.source for c in notebook.cells) and not widgets:
        return f"{path}: the live explorer produced no ipywidgets panel"
    return ""


def test_every_downloaded_notebook_runs_live(site_dir: Path) -> None:
    pages = [p.relative_to(ROOT).with_suffix("") for p in toc_files() if is_notebook(p)]
    downloads = [site_dir / "_sources" / f"{page.as_posix()}.ipynb" for page in pages]
    missing = [str(d) for d in downloads if not d.is_file()]
    assert not missing, f"no download for: {missing}"
    with ProcessPoolExecutor(max_workers=2) as pool:
        problems = [p for p in pool.map(_run_live, map(str, downloads)) if p]
    assert not problems, "\n\n".join(problems)
