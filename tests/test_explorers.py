"""Explorers: live panel in a notebook, kernel-free twin plus a note on the site."""

from __future__ import annotations

import pytest

from minilat.explorers import SITE_NOTE, explorer


def test_live_notebook_gets_the_panel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MINILAT_BUILD", raising=False)
    assert explorer(lambda: "panel", twin="twin") == "panel"


def test_site_gets_the_twin_and_the_note(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("MINILAT_BUILD", "site")
    calls: list[str] = []

    def build_panel() -> str:
        calls.append("built")
        return "panel"

    assert explorer(build_panel, twin="twin") == "twin"
    assert calls == [], "the live panel must not be built on the site"
    assert "Live explorer" in SITE_NOTE and "HTML" in capsys.readouterr().out
