"""The runner's warm-up shortcuts change speed only, never results."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import ROOT


def test_altair_wrapper_table_shortcut_keeps_every_spec_identical() -> None:
    # In a fresh interpreter: the shortcut patches Altair for the whole process.
    code = textwrap.dedent("""
        import json
        import altair as alt
        import pandas as pd
        from altair.utils import schemapi

        def specs():
            frame = pd.DataFrame({"a": ["x", "y"], "b": [1, 2], "c": [0.5, 1.5]})
            bar = alt.Chart(frame).mark_bar().encode(
                x=alt.X("a:N", title="A"), y="sum(b):Q", color="a", tooltip=["a", "b"])
            line = alt.Chart(frame).mark_line(point=True).encode(x="a", y=alt.Y("c", stack=None))
            out = [bar.to_dict(), (bar + line).to_dict(), alt.hconcat(bar, line).to_dict(),
                   alt.Chart.from_dict(bar.to_dict()).to_dict(),
                   alt.X.from_dict({"field": "a", "type": "nominal"}).to_dict()]
            return json.dumps(out, sort_keys=True)

        before = specs()
        from grader.sandbox.runner import speed_up_altair
        speed_up_altair()
        assert specs() == before, "the shortcut changed a spec"
        same = schemapi.SchemaBase._default_wrapper_classes()
        assert same is schemapi.SchemaBase._default_wrapper_classes(), "walk not cached"
        assert len(same) > 500
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.stdout.strip() == "ok", result.stderr[-2000:]
