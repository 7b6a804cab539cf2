"""Live explorers: ipywidgets panels in a notebook, kernel-free twins on the static site.

A reader of the built site has no Python kernel, so an ipywidgets callback would never run there
and its controls would be dead. `explorer()` therefore shows the live panel only in a running
notebook; during the site build (`MINILAT_BUILD=site`) it shows the explorer's kernel-free twin —
an Altair chart whose controls are bound in the browser — with a one-line note.

Usage in a chapter cell::

    explorer(build_panel, twin=twin_chart)   # build_panel() -> ipywidgets.Widget
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from IPython.display import HTML, display

from minilat.charts import on_site

SITE_NOTE = (
    '<p class="minilat-explorer-note"><strong>Live explorer:</strong> download this page as a '
    "notebook (↓ button) and run it to use the full explorer. Here on the website you get its "
    "kernel-free twin below, which works without Python.</p>"
)


def explorer(build_panel: Callable[[], Any], twin: Any) -> Any:
    """Return the live ipywidgets panel, or on the site display the note and return the twin."""
    if on_site():
        display(HTML(SITE_NOTE))
        return twin
    return build_panel()
