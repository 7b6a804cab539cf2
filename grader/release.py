"""``course release``: student notebooks for a cohort and the matching grader bundles.

Layout of ``--out DIR``::

    DIR/student/NN-slug.ipynb          hand these out (public tests embedded; no solutions)
    DIR/student/README.md              how to open them offline
    DIR/instructor/NN-slug.bundle.json keep private (mode 0600): hidden tests, points, rubrics,
                                       and the default CPU limit per notebook

The default limit comes from grading the set's worked solution in the sandbox a few times
(grader.solution_cost); ``course grade`` uses it unless given ``--timeout``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from grader.bundle import Bundle, DefaultLimit, bundle_payload, with_default_limit, write_bundle
from grader.myst import to_ipynb
from grader.pages import student_notebook
from grader.solution_cost import MeasurementError, measure_cost
from grader.source import load_exercise_set

STUDENT_README = """# {title}

Open each notebook in Jupyter (JupyterLab, Notebook or VS Code) with Python 3.11 or newer and
the course's student package installed. The package is one file,
`minilat_course_student-<version>-py3-none-any.whl`, that your instructor hands out or the
course site serves; install it once with `pip install` followed by that file's path or address
(in a notebook cell: `%pip install ...`). It brings the course library, the dataset and
`check()`; you need nothing else from the course. Once it is installed everything runs
offline: the dataset ships with the package and the public tests are inside the notebook.
Fill in each answer cell, run `check("q1")` to see which public tests pass, and hand the .ipynb
in unchanged otherwise: keep the variable names the answer cells give.
"""


@dataclass
class Released:
    set_id: str
    notebook: Path
    bundle: Path
    params: dict
    default_limit: DefaultLimit | None = None  # None: not measured (see ``problem``)
    problem: str = ""  # why the solution's cost could not be measured


def release(sources: list[Path], out_dir: Path, seed: int | None = None,
            measure: bool = True) -> list[Released]:
    """Write the student notebooks and the bundles; with ``measure``, grade each set's worked
    solution in the sandbox to record its default CPU limit (a set whose solution does not
    grade is still released, without one, and ``problem`` says why)."""
    student_dir, instructor_dir = out_dir / "student", out_dir / "instructor"
    student_dir.mkdir(parents=True, exist_ok=True)
    released = []
    titles = []
    for source in sources:
        exercise_set = load_exercise_set(source)
        params = exercise_set.choose_params(seed)
        notebook_path = student_dir / f"{exercise_set.id}.ipynb"
        notebook = to_ipynb(student_notebook(exercise_set, params, seed))
        notebook_path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
        bundle_path = instructor_dir / f"{exercise_set.id}.bundle.json"
        payload = bundle_payload(exercise_set, params, seed)
        limit, problem = None, ""
        if measure:
            try:
                limit = measure_cost(exercise_set, params, Bundle(payload))
                payload = with_default_limit(payload, limit)
            except MeasurementError as err:
                problem = str(err)
        write_bundle(payload, bundle_path)
        released.append(Released(exercise_set.id, notebook_path, bundle_path, params, limit,
                                 problem))
        titles.append(exercise_set.title)
    (student_dir / "README.md").write_text(
        STUDENT_README.format(title="; ".join(titles) or "Exercises"), encoding="utf-8"
    )
    return released
