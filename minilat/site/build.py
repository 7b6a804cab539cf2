"""Build the course site: generate exercise pages, execute notebooks in parallel, run Sphinx.

Usage: `python -m minilat.site.build [--serial] [--stock]`

Jupyter Book 1 executes notebooks one after another while Sphinx reads them. Here every notebook
in the table of contents is first executed into the same jupyter-cache that the book reads, in a
process pool (unchanged notebooks are cache hits and are not re-run); the Sphinx build then only
reads cached outputs. A failing cell stops the build with the notebook, the cell number and the
traceback, and the execution report is written to `_build/reports/`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[2]
BUILD_DIR = ROOT / "_build"
CACHE_DIR = BUILD_DIR / ".jupyter_cache"
REPORT_DIR = BUILD_DIR / "reports"
EXERCISE_SOURCES = ROOT / "exercises"
EXERCISE_PAGES = ROOT / "_generated" / "exercises"
SITE_ENV = {"MINILAT_BUILD": "site"}


@dataclass
class NotebookResult:
    path: str
    status: str  # "cached" (not re-run), "executed", "failed"
    seconds: float | None = None
    failed_cell: int | None = None
    traceback: str | None = None


def toc_page_names(root: Path = ROOT) -> list[str]:
    """Every page named in `_toc.yml` (without suffix), in order; files need not exist yet."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    names: list[str] = [toc["root"]]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "file" in node:
                names.append(str(node["file"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({key: value for key, value in toc.items() if key != "root"})
    return [name.removesuffix(".md").removesuffix(".ipynb") for name in names]


def toc_files(root: Path = ROOT) -> list[Path]:
    """Every page file named in `_toc.yml`, in order."""
    paths = []
    for name in toc_page_names(root):
        candidates = [root / f"{name}.md", root / f"{name}.ipynb"]
        found = next((path for path in candidates if path.is_file()), None)
        if found is None:
            raise FileNotFoundError(f"_toc.yml names '{name}', but no .md or .ipynb file exists")
        paths.append(found)
    return paths


def is_notebook(path: Path) -> bool:
    """A MyST Markdown notebook declares `file_format: mystnb` in its front matter."""
    if path.suffix == ".ipynb":
        return True
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return False
    front = text.split("---", 2)[1]
    return "file_format: mystnb" in front


def generate_exercise_pages() -> list[Path]:
    """Student pages of every exercise set (questions only) into `_generated/exercises/`."""
    if not any(EXERCISE_SOURCES.glob("[0-9][0-9]-*.md")):
        return []
    from grader.pages import write_student_pages

    return write_student_pages(EXERCISE_SOURCES, EXERCISE_PAGES)


def _failed_cell_index(notebook_path: Path, traceback: str) -> int | None:
    """The 1-based number of the code cell whose source appears in the traceback."""
    from myst_nb.core.read import read_myst_markdown_notebook

    text = notebook_path.read_text(encoding="utf-8")
    notebook = (
        nbformat.reads(text, as_version=4)
        if notebook_path.suffix == ".ipynb"
        else read_myst_markdown_notebook(text, path=str(notebook_path))
    )
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for number, cell in reversed(list(enumerate(code_cells, start=1))):
        source = cell.source.strip()
        if source and source in traceback:
            return number
    return None


INPUT_DIRS = ("data", "minilat", "grader")
# Site assets (JS, CSS, templates) change the pages, not what the notebooks compute.
INPUT_SKIP_SUFFIXES = (".js", ".css", ".svg", ".html")


def _fingerprint(root: Path, folders: tuple[str, ...], keep: Callable[[Path, str], bool]) -> str:
    import hashlib

    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and keep(path, folder):
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_fingerprint(root: Path = ROOT) -> str:
    """Hash of everything notebooks read besides their own code: the data and the library.

    jupyter-cache keys a notebook on its code cells only, so a changed CSV would otherwise leave
    stale figures in the cache.
    """
    return _fingerprint(
        root,
        INPUT_DIRS,
        lambda path, folder: folder == "data" or path.suffix not in INPUT_SKIP_SUFFIXES,
    )


def site_assets_changed(root: Path = ROOT) -> bool:
    """True when the site's own JS, CSS or templates changed since the last build.

    Sphinx re-copies static files and re-renders templates only when some page is out of date.
    """
    stamp = BUILD_DIR / "minilat-site-assets.sha256"
    current = _fingerprint(root, ("minilat/site",), lambda path, _folder: True)
    if stamp.is_file() and stamp.read_text().strip() == current:
        return False
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current)
    return True


def clear_cache_if_inputs_changed(cache_dir: Path = CACHE_DIR, root: Path = ROOT) -> bool:
    """Empty the execution cache when data or library changed; True if it did."""
    stamp = cache_dir.parent / "minilat-inputs.sha256"
    current = inputs_fingerprint(root)
    if stamp.is_file() and stamp.read_text().strip() == current:
        return False
    shutil.rmtree(cache_dir, ignore_errors=True)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current)
    return True


def execute_notebooks(
    paths: list[Path], serial: bool = False, cache_dir: Path = CACHE_DIR
) -> list[NotebookResult]:
    """Run every notebook whose code changed since its cached run; in parallel unless `serial`."""
    unchanged = _unchanged_since_last_success(paths, cache_dir)
    if unchanged is not None:
        return unchanged
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    os.environ.update(SITE_ENV)
    cache = get_cache(str(cache_dir))
    reader = {"name": "myst_nb_md", "type": "plugin"}
    for path in paths:
        if path.suffix == ".md":
            cache.add_nb_to_project(str(path), read_data=reader)
        else:
            cache.add_nb_to_project(str(path))
    stale = {record.uri for record in cache.list_unexecuted()}
    failed: set[str] = set()
    if stale:  # a process pool costs seconds to start: only when something must run
        logger = logging.getLogger("minilat.build")
        mode = "local-serial" if serial or len(stale) == 1 else "local-parallel"
        outcome = load_executor(mode, cache, logger=logger).run_and_cache(
            timeout=300, allow_errors=False
        )
        errored = list(outcome.errored)
        if errored:
            # "Errored" means no cell failed: the kernel did not start (parallel kernels can
            # race for the same free TCP port) or caching failed. One serial retry settles it;
            # a real cell error is "excepted" and never retried.
            logger.warning("retrying serially after kernel/cache errors: %s", errored)
            retry = load_executor("local-serial", cache, logger=logger).run_and_cache(
                filter_uris=errored, timeout=300, allow_errors=False
            )
            errored = list(retry.excepted) + list(retry.errored)
        failed = set(outcome.excepted) | set(errored)

    results = []
    for path in paths:
        uri = str(path)
        record = cache.get_project_record(uri)
        if uri in failed:
            traceback = record.traceback or "(no traceback recorded)"
            results.append(
                NotebookResult(uri, "failed", None, _failed_cell_index(path, traceback), traceback)
            )
            continue
        seconds = None
        try:
            cached = cache.get_cached_project_nb(uri)
            if cached is not None:
                seconds = cached.data.get("execution_seconds")
        except KeyError:
            pass
        results.append(NotebookResult(uri, "executed" if uri in stale else "cached", seconds))
    if not failed:
        _record_success(paths, cache_dir, results)
    return results


SUCCESS_STAMP = "minilat-last-success.json"


def _sources_digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _unchanged_since_last_success(paths: list[Path], cache_dir: Path) -> list[NotebookResult] | None:
    """The results of the last successful run if no notebook changed since (None otherwise).

    Asking jupyter-cache costs ~2 s (it parses every notebook); a hash of the sources does not.
    The stamp lives in the cache folder, so emptying the cache (changed data or library code,
    see `clear_cache_if_inputs_changed`) forgets it too."""
    stamp = cache_dir / SUCCESS_STAMP
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if recorded.get("sources") != _sources_digest(paths):
        return None
    return [NotebookResult(r["path"], "cached", r.get("seconds")) for r in recorded["results"]]


def _record_success(paths: list[Path], cache_dir: Path, results: list[NotebookResult]) -> None:
    stamp = cache_dir / SUCCESS_STAMP
    stamp.write_text(json.dumps({
        "sources": _sources_digest(paths),
        "results": [{"path": r.path, "seconds": r.seconds} for r in results],
    }), encoding="utf-8")


def write_report(results: list[NotebookResult]) -> Path:
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    report = REPORT_DIR / "execution.json"
    report.write_text(json.dumps([asdict(r) for r in results], indent=2), encoding="utf-8")
    for result in results:
        if result.traceback:
            log = REPORT_DIR / (
                Path(result.path).relative_to(ROOT).as_posix().replace("/", "__") + ".log"
            )
            log.write_text(result.traceback, encoding="utf-8")
    return report


def run_sphinx(stock: bool = False, everything: bool = False) -> int:
    """`jupyter-book build` with warnings as errors (or the stock command, for comparison).

    `everything` re-reads every page: needed when data or library changed, since Sphinx only
    re-reads pages whose own source changed.
    """
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT)]
    if not stock:
        command += ["--warningiserror", "--keep-going", "--nitpick"]
    if everything:
        command.append("--all")
    env = {**os.environ, **SITE_ENV}
    return subprocess.call(command, cwd=ROOT, env=env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serial", action="store_true", help="execute notebooks one at a time")
    parser.add_argument(
        "--stock", action="store_true", help="plain `jupyter-book build` only (benchmark baseline)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generate_exercise_pages()
    if args.stock:
        return run_sphinx(stock=True)

    notebooks = [path for path in toc_files() if is_notebook(path)]
    inputs_changed = clear_cache_if_inputs_changed()
    results = execute_notebooks(notebooks, serial=args.serial)
    report = write_report(results)
    executed = [r for r in results if r.status == "executed"]
    print(
        f"notebooks: {len(results)} ({len(executed)} executed, "
        f"{sum(r.status == 'cached' for r in results)} from cache); report: {report}"
    )
    failures = [r for r in results if r.status == "failed"]
    for failure in failures:
        cell = f"code cell {failure.failed_cell}" if failure.failed_cell else "a cell"
        print(f"\nEXECUTION FAILED: {failure.path}, {cell}\n{failure.traceback}", file=sys.stderr)
    if failures:
        return 1
    assets_changed = site_assets_changed()  # always: it records the assets' stamp too
    status = run_sphinx(everything=inputs_changed or assets_changed)
    print(f"build finished in {time.perf_counter() - started:.1f} s (exit {status})")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
