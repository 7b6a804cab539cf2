"""Shared helpers for the grader tests: a tiny exercise set, notebooks built from code cells.

(Not a test module itself; the tests import it. Named test_grader_* to stay with them.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from grader.bundle import Bundle, load_bundle
from grader.release import Released, release
from grader.solutions import blank_notebook, solved_notebook
from grader.source import ExerciseSet, load_exercise_set

HIDDEN_MARKER = "SECRET-HIDDEN-MARKER-1"
SOLUTION_MARKER = "SECRET-SOLUTION-MARKER"
RUBRIC_MARKER = "SECRET-RUBRIC-MARKER"

TINY_SOURCE = r"""---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
file_format: mystnb
exercises:
  id: 01-tiny
  title: A tiny exercise set for the grader's own tests
  params:
    group: {choices: [alpha, beta, gamma], default: alpha}
---

# A tiny exercise set

```{code-cell} ipython3
:tags: [setup]
import pandas as pd
import altair as alt
table = pd.DataFrame({"group": ["alpha", "alpha", "beta", "gamma"], "size": [3, 5, 7, 11]})
```

## Question 1

How many rows does `table` have? Store the number in `n_rows`.

```{code-cell} ipython3
---
tags: [solution]
grader: {question: q1, answer: n_rows}
---
n_rows = len(table)
```

```{code-cell} ipython3
---
tags: [test]
grader: {question: q1, points: 1, hint: "Use len(table)."}
---
assert isinstance(n_rows, int), "n_rows should be a whole number"
```

```{code-cell} ipython3
---
tags: [hidden-test]
grader: {question: q1, points: 2, feedback: "Count every row of table."}
---
assert n_rows == 4  # SECRET-HIDDEN-MARKER-1
```

## Question 2

Total `size` of group **{{group}}**: store it in `group_total`.

```{code-cell} ipython3
---
tags: [solution]
grader: {question: q2, answer: group_total}
---
group_total = int(table.loc[table["group"] == params["group"], "size"].sum())  # SECRET-SOLUTION-MARKER
```

```{code-cell} ipython3
---
tags: [test]
grader: {question: q2, points: 1, hint: "Filter rows of {{group}}, then sum size."}
---
assert group_total == int(table.loc[table["group"] == params["group"], "size"].sum())
```

```{code-cell} ipython3
---
tags: [hidden-test]
grader: {question: q2, points: 1}
---
assert group_total == expected_total
```

## Question 3

A DataFrame `by_group` with columns `group` and `size` (the total per group), sorted by group.

```{code-cell} ipython3
---
tags: [solution]
grader: {question: q3, answer: by_group}
---
by_group = table.groupby("group", as_index=False)["size"].sum()
```

```{code-cell} ipython3
---
tags: [test]
grader: {question: q3, points: 1, hint: "Columns must be exactly group and size."}
---
assert list(by_group.columns) == ["group", "size"]
```

```{code-cell} ipython3
---
tags: [hidden-test]
grader: {question: q3, points: 2}
---
assert frame_equal(by_group, expected_by_group)
```

## Question 4

A bar chart `size_chart` of `size` (y) by `group` (x).

```{code-cell} ipython3
---
tags: [solution]
grader: {question: q4, answer: size_chart}
---
size_chart = alt.Chart(table).mark_bar().encode(x="group", y="size")
```

```{code-cell} ipython3
---
tags: [test]
grader: {question: q4, points: 1, hint: "Use mark_bar()."}
---
assert chart_mark(size_chart) == "bar"
```

```{code-cell} ipython3
---
tags: [hidden-test]
grader: {question: q4, points: 1}
---
assert chart_field(size_chart, "x") == "group" and chart_field(size_chart, "y") == "size"
```

```{code-cell} ipython3
:tags: [test-setup]
expected_total = int(table.loc[table["group"] == params["group"], "size"].sum())
expected_by_group = pd.DataFrame({"group": ["alpha", "beta", "gamma"], "size": [8, 7, 11]})
```

## Question 5

Why might a small group agree faster than a large one?

+++ {"tags": ["written"], "grader": {"question": "q5", "points": 2}}

A good answer names fewer veto players and lower transaction costs. SECRET-RUBRIC-MARKER

- 1 point: fewer members whose consent is needed
- 1 point: lower costs of bargaining
"""


def write_tiny_source(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "01-tiny.md"
    path.write_text(TINY_SOURCE, encoding="utf-8")
    return path


def notebook_with_cells(cells: list[str], base: dict[str, Any] | None = None) -> dict[str, Any]:
    """A notebook: ``base``'s cells (e.g. the solved notebook) followed by extra code cells."""
    notebook = json.loads(json.dumps(base)) if base else {
        "cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    for source in cells:
        notebook["cells"].append({"cell_type": "code", "metadata": {}, "source": source,
                                  "outputs": [], "execution_count": None})
    return notebook


def write_notebook(folder: Path, student: str, notebook: dict[str, Any] | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{student}.ipynb"
    if isinstance(notebook, bytes):
        path.write_bytes(notebook)
    else:
        path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


class Tiny:
    """The tiny set released into a temporary folder, with its solved and blank notebooks."""

    def __init__(self, root: Path, seed: int | None = 7) -> None:
        self.root = root
        self.source = write_tiny_source(root / "src")
        self.exercise_set: ExerciseSet = load_exercise_set(self.source)
        self.released: Released = release([self.source], root / "release", seed)[0]
        self.bundle: Bundle = load_bundle(self.released.bundle)
        self.params = self.released.params
        self.solved = solved_notebook(self.exercise_set, self.params)
        self.blank = blank_notebook(self.exercise_set, self.params)
        self.submissions = root / "submissions"
        self.submissions.mkdir()
