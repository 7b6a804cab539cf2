"""Compare every pair of submissions, and each submission with the worked solutions.

Pairs are found through an inverted index (fingerprint -> submissions that hold it), never by
comparing all pairs: only submissions that share a fingerprint are ever put side by side. A
fingerprint held by more than ``COMMON_SHARE`` of the class (and more than ``MIN_COMMON``
submissions) is ignored: it is the obvious way to write that step, not a sign of copying.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from grader.batch import notebook_paths
from grader.similarity.fingerprints import Document, build_document, normalised_key
from grader.submission import InvalidSubmission, read_submission

COMMON_SHARE = 0.2
MIN_COMMON = 10
MIN_SHARED_CODE = 3  # fingerprints two notebooks must share before their code is scored
MIN_SHARED_TEXT = 2  # word shingles two answers must share before they are scored
SOLUTIONS = "worked solutions"


@dataclass
class Template:
    """The code every student starts from, and the worked solutions (when given)."""

    cells: set[tuple[str, ...]] = field(default_factory=set)
    hashes: set[int] = field(default_factory=set)
    solutions: Document | None = None


@dataclass
class PairScore:
    a: int  # index into Comparison.documents
    b: int
    code: float  # Jaccard similarity of the two notebooks' code fingerprints
    text: float  # the most similar written answer: shared shingles / the shorter answer's
    text_question: str = ""

    @property
    def score(self) -> float:
        return max(self.code, self.text)


@dataclass
class SolutionScore:
    student: int
    code: float  # Jaccard similarity of the notebook's code and the worked solutions'
    text: float  # the written answer most contained in its question's rubric
    text_question: str = ""

    @property
    def score(self) -> float:
        return max(self.code, self.text)


@dataclass
class Comparison:
    documents: list[Document]
    unreadable: list[tuple[str, str]]  # (student, why)
    pairs: list[PairScore]  # every pair with enough in common, most similar first
    solutions: list[SolutionScore] | None  # per student, most similar first; None: not given
    solution_document: Document | None
    common_code: set[int]  # fingerprints ignored as too common in this class
    common_text: set[tuple[str, int]]
    _by_student: dict[int, float] = field(default_factory=dict, repr=False)

    def solution_score(self, student: int) -> float | None:
        if self.solutions is None:
            return None
        if len(self._by_student) != len(self.solutions):
            self._by_student = {entry.student: entry.score for entry in self.solutions}
        return self._by_student[student]

    def best_pair_scores(self) -> list[float]:
        """Each submission's highest score against any classmate (0 if none)."""
        best = [0.0] * len(self.documents)
        for pair in self.pairs:
            best[pair.a] = max(best[pair.a], pair.score)
            best[pair.b] = max(best[pair.b], pair.score)
        return best


def load_template(source: Path) -> Template:
    """The blank notebook's code and the set's setup (to leave out), and the worked solutions
    of an exercise source: each question's solution, and each written question's rubric."""
    from grader.pages import student_notebook
    from grader.source import load_exercise_set

    exercise_set = load_exercise_set(source)
    blank = student_notebook(exercise_set, exercise_set.choose_params(None))
    template_code = [cell.source for cell in blank.cells if cell.cell_type == "code"]
    template_code.append(exercise_set.setup)
    template = Template(cells={normalised_key(code) for code in template_code})
    for number, code in enumerate(template_code):
        template.hashes.update(build_document("", [(number, "", code)], {}, set(), set()).code)
    solved = [(number, f"solution of {q.id}", q.solution)
              for number, q in enumerate(exercise_set.questions, start=1) if q.kind == "auto"]
    rubrics = {q.id: q.rubric for q in exercise_set.questions if q.kind == "written"}
    template.solutions = build_document(SOLUTIONS, solved, rubrics, template.cells,
                                        template.hashes)
    return template


def read_documents(folder: Path, template: Template) -> tuple[list[Document],
                                                              list[tuple[str, str]]]:
    """Every readable submission in ``folder`` as a Document; the others with the reason."""
    documents, unreadable = [], []
    for path in notebook_paths(folder):
        try:
            submission = read_submission(path)
        except InvalidSubmission as err:
            unreadable.append((path.stem, str(err)))
            continue
        cells = [(cell["index"], f"cell {cell['index']}", cell["source"])
                 for cell in submission.code_cells]
        documents.append(build_document(submission.student, cells, submission.written,
                                        template.cells, template.hashes))
    return documents, unreadable


def _shared(keyed: list[Iterable[Hashable]], cutoff: int) -> tuple[Counter, set]:
    """How many keys each pair of documents shares, through postings lists; and the keys
    ignored because more than ``cutoff`` documents hold them."""
    postings: dict[Hashable, list[int]] = defaultdict(list)
    for index, keys in enumerate(keyed):
        for key in keys:
            postings[key].append(index)
    counts: Counter = Counter()
    common = set()
    for key, holders in postings.items():
        if len(holders) > cutoff:
            common.add(key)
        elif len(holders) > 1:
            counts.update(combinations(holders, 2))
    return counts, common


def _round(value: float) -> float:
    return round(value, 3)


def compare_documents(documents: list[Document], solutions: Document | None = None,
                      unreadable: list[tuple[str, str]] | None = None) -> Comparison:
    cutoff = max(MIN_COMMON, math.ceil(COMMON_SHARE * len(documents)))
    code_counts, common_code = _shared([d.code for d in documents], cutoff)
    sizes = [len(d.code.keys() - common_code) for d in documents]
    scores: dict[tuple[int, int], PairScore] = {}
    for (a, b), shared in code_counts.items():
        if shared >= MIN_SHARED_CODE:
            scores[a, b] = PairScore(a, b, _round(shared / (sizes[a] + sizes[b] - shared)), 0.0)
    questions = sorted({q for d in documents for q in d.text})
    common_text: set[tuple[str, int]] = set()
    for question in questions:
        held = [d.text.get(question, {}) for d in documents]
        text_counts, common = _shared(held, cutoff)
        common_text.update((question, key) for key in common)
        text_sizes = [len(h.keys() - common) for h in held]
        for (a, b), shared in text_counts.items():
            if shared < MIN_SHARED_TEXT:
                continue
            value = _round(shared / max(1, min(text_sizes[a], text_sizes[b])))
            pair = scores.setdefault((a, b), PairScore(a, b, 0.0, 0.0))
            if value > pair.text:
                pair.text, pair.text_question = value, question
    pairs = sorted(scores.values(), key=lambda p: (-p.score, documents[p.a].name,
                                                   documents[p.b].name))
    against = None if solutions is None else sorted(
        (solution_score(index, d, solutions) for index, d in enumerate(documents)),
        key=lambda s: (-s.score, documents[s.student].name))
    return Comparison(documents, unreadable or [], pairs, against, solutions, common_code,
                      common_text)


def solution_score(index: int, document: Document, solutions: Document) -> SolutionScore:
    """How much of a notebook is the worked solutions (no fingerprint is too common here:
    a class that pasted the solution must not hide itself)."""
    shared = len(document.code.keys() & solutions.code.keys())
    union = len(document.code.keys() | solutions.code.keys())
    result = SolutionScore(index, _round(shared / union) if union else 0.0, 0.0)
    for question, held in document.text.items():
        rubric = solutions.text.get(question, {})
        if held and rubric:
            value = _round(len(held.keys() & rubric.keys()) / len(held))
            if value > result.text:
                result.text, result.text_question = value, question
    return result


def compare_folder(folder: Path, source: Path | None = None) -> Comparison:
    """Read every submission in ``folder`` and compare them (and with ``source``'s worked
    solutions, when given)."""
    template = load_template(source) if source else Template()
    documents, unreadable = read_documents(folder, template)
    return compare_documents(documents, template.solutions, unreadable)
