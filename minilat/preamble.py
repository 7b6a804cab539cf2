"""The one hidden setup cell of every chapter and exercise page: `from minilat.preamble import *`.

Written once here (not pasted per page) so every notebook shares the chart theme, the offline
renderer on the site, and the same short names for the dataset.
"""

import altair as alt
import numpy as np
import pandas as pd

from minilat import charts

charts.setup()

if charts.on_site():
    # Short tracebacks on the website: the error message, not the library's internals.
    from IPython import get_ipython

    _shell = get_ipython()
    if _shell is not None:
        _shell.run_line_magic("xmode", "Minimal")

__all__ = ["alt", "charts", "np", "pd"]
