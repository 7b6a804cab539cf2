"""The one hidden setup cell of every chapter and exercise page: `from minilat.preamble import *`.

Written once here (not pasted per page) so every notebook shares the chart theme, the offline
renderer on the site, and the same short names for the dataset.
"""

import altair as alt
import numpy as np
import pandas as pd

from minilat import charts

charts.setup()

__all__ = ["alt", "charts", "np", "pd"]
