"""The build's notebook execution: parallel, cached, and a failing cell names notebook and cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from minilat.site import build

FRONT = """---
kernelspec:
  display_name: Python 3
  language: python
  name: python3
file_format: mystnb
---

# {title}
"""


def _notebook(path: Path, *cells: tuple[str, str]) -> Path:
    text = FRONT.format(title=path.stem)
    for tags, source in cells:
        options = f":tags: [{tags}]\n" if tags else ""
        text += f"\n```{{code-cell}} ipython3\n{options}{source}\n```\n"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.slow
def test_failing_cell_is_named_and_intended_errors_pass(tmp_path: Path) -> None:
    good = _notebook(tmp_path / "good.md", ("", "x = 1"), ("raises-exception", "1 / 0"))
    bad = _notebook(tmp_path / "bad.md", ("", "y = 2"), ("", "z = y + 1"), ("", "undefined_name"))
    cache = tmp_path / "cache"

    results = {Path(r.path).name: r for r in build.execute_notebooks([good, bad], cache_dir=cache)}

    assert results["good.md"].status == "executed"
    assert results["bad.md"].status == "failed"
    assert results["bad.md"].failed_cell == 3
    assert "NameError" in (results["bad.md"].traceback or "")

    again = {Path(r.path).name: r for r in build.execute_notebooks([good], cache_dir=cache)}
    assert again["good.md"].status == "cached", "an unchanged notebook must not run twice"

    _notebook(good, ("", "x = 2"), ("raises-exception", "1 / 0"))
    changed = {Path(r.path).name: r for r in build.execute_notebooks([good], cache_dir=cache)}
    assert changed["good.md"].status == "executed", "a changed notebook must run again"


@pytest.mark.slow
def test_a_kernel_that_dies_at_start_is_retried_not_reported_as_a_cell_error(
    tmp_path: Path, monkeypatch
) -> None:
    """Parallel kernels can race for a free TCP port; the build must not turn that red."""
    from nbclient.client import NotebookClient

    real_start = NotebookClient.async_start_new_kernel_client
    starts: list[int] = []

    async def first_start_dies(self):
        starts.append(1)
        if len(starts) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return await real_start(self)

    monkeypatch.setattr(NotebookClient, "async_start_new_kernel_client", first_start_dies)
    good = _notebook(tmp_path / "good.md", ("", "x = 1"))
    results = build.execute_notebooks([good], cache_dir=tmp_path / "cache")

    assert len(starts) == 2, "the notebook should have been run a second time"
    assert results[0].status == "executed"


@pytest.mark.slow
def test_unchanged_notebooks_skip_jupyter_cache_until_one_changes(
    tmp_path: Path, monkeypatch
) -> None:
    import jupyter_cache

    good = _notebook(tmp_path / "good.md", ("", "x = 1"))
    cache = tmp_path / "cache"
    assert build.execute_notebooks([good], cache_dir=cache)[0].status == "executed"

    def no_cache(*_args, **_kwargs):
        raise AssertionError("jupyter-cache consulted although nothing changed")

    monkeypatch.setattr(jupyter_cache, "get_cache", no_cache)
    assert build.execute_notebooks([good], cache_dir=cache)[0].status == "cached"
    monkeypatch.undo()
    _notebook(good, ("", "x = 2"))
    assert build.execute_notebooks([good], cache_dir=cache)[0].status == "executed"


def test_toc_lists_only_existing_pages() -> None:
    for path in build.toc_files():
        assert path.is_file()


def test_changed_data_empties_the_execution_cache(tmp_path: Path) -> None:
    for folder in build.INPUT_DIRS:
        (tmp_path / folder).mkdir()
    (tmp_path / "data" / "forums.csv").write_text("forum_id\ng7\n")
    cache = tmp_path / "_build" / ".jupyter_cache"
    assert build.clear_cache_if_inputs_changed(cache, tmp_path) is True
    cache.mkdir(parents=True)
    (cache / "marker").write_text("cached outputs")
    assert build.clear_cache_if_inputs_changed(cache, tmp_path) is False
    assert (cache / "marker").exists(), "unchanged inputs must keep the cache"
    (tmp_path / "data" / "forums.csv").write_text("forum_id\ng7\ng20\n")
    assert build.clear_cache_if_inputs_changed(cache, tmp_path) is True
    assert not (cache / "marker").exists(), "changed data must empty the cache"


def test_changed_site_assets_force_a_full_sphinx_pass(tmp_path: Path, monkeypatch) -> None:
    assets = tmp_path / "minilat" / "site" / "assets"
    assets.mkdir(parents=True)
    (assets / "charts.js").write_text("console.log(1)")
    monkeypatch.setattr(build, "BUILD_DIR", tmp_path / "_build")
    assert build.site_assets_changed(tmp_path) is True
    assert build.site_assets_changed(tmp_path) is False
    (assets / "charts.js").write_text("console.log(2)")
    assert build.site_assets_changed(tmp_path) is True
    # ...and a JS change alone never empties the notebook cache.
    before = build.inputs_fingerprint(tmp_path)
    (assets / "charts.js").write_text("console.log(3)")
    assert build.inputs_fingerprint(tmp_path) == before


def test_a_build_after_a_clean_build_is_not_a_full_pass(monkeypatch) -> None:
    """The first build (inputs changed) must still record the site assets' stamp; otherwise the
    next, unchanged build would redo every page."""
    passes: list[bool] = []
    stamps = iter([True, False])  # assets: new on the first build, unchanged on the second
    inputs = iter([True, False])
    monkeypatch.setattr(build, "generate_exercise_pages", lambda: [])
    monkeypatch.setattr(build, "toc_files", lambda: [])
    monkeypatch.setattr(build, "execute_notebooks", lambda notebooks, serial=False: [])
    monkeypatch.setattr(build, "write_report", lambda results: Path("report.json"))
    monkeypatch.setattr(build, "clear_cache_if_inputs_changed", lambda: next(inputs))
    monkeypatch.setattr(build, "site_assets_changed", lambda: next(stamps))
    monkeypatch.setattr(build, "run_sphinx",
                        lambda stock=False, everything=False: passes.append(everything) or 0)
    assert build.main([]) == 0 and build.main([]) == 0
    assert passes == [True, False]
