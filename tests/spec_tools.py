"""Helpers the chart tests share: walk a Vega-Lite spec, set a bound parameter, read titles."""

from __future__ import annotations

import copy
from typing import Any


def _walk(spec: Any) -> list[dict[str, Any]]:
    """Every dict in a spec, depth first (layers, concatenations, encodings...)."""
    found = [spec] if isinstance(spec, dict) else []
    children = spec.values() if isinstance(spec, dict) else spec if isinstance(spec, list) else []
    for child in children:
        found += _walk(child)
    return found


def set_param(spec: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    """A copy of the spec with parameter `name` set to `value` (as if its input had moved)."""
    changed = copy.deepcopy(spec)
    hits = [p for node in _walk(changed) for p in node.get("params", [])
            if isinstance(p, dict) and p.get("name") == name]
    assert hits, f"no param {name!r}"
    for param in hits:
        param["value"] = value
    return changed


def axis_titles(spec: dict[str, Any], channel: str) -> list[str]:
    """The titles given to `channel` ("x", "y", ...) anywhere in the spec."""
    return [node["encoding"][channel]["title"] for node in _walk(spec)
            if isinstance(node.get("encoding"), dict)
            and isinstance(node["encoding"].get(channel), dict)
            and node["encoding"][channel].get("title")]


def titles(spec: dict[str, Any], channel: str) -> set[str]:
    """Titles of the encoded fields on `channel` anywhere in the spec."""
    out = set()
    for node in _walk(spec):
        encoding = node.get("encoding")
        enc = encoding.get(channel) if isinstance(encoding, dict) else None
        if isinstance(enc, dict) and "field" in enc and enc.get("title"):
            out.add(enc["title"])
    return out


def bound(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The spec's parameters bound to an input, by name."""
    return {p["name"]: p for node in _walk(spec) for p in node.get("params", [])
            if isinstance(p, dict) and "bind" in p}


def svg(spec: dict[str, Any]) -> str:
    """The chart rendered to SVG by vl-convert (what a bound input must change)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec)
