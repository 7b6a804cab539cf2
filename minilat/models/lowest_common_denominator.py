"""The lowest common denominator: how ambitious an agreement can be as the group grows.

The model. Each of ``n`` members has a preferred level of ambition between 0 (do nothing) and 1
(the most anyone proposes), drawn independently from the same distribution. A member accepts
any proposal up to its own preferred level and rejects anything more ambitious. Under a
decision rule that needs ``k`` supporters, the most ambitious proposal that passes is the k-th
highest preference, i.e. the (n − k + 1)-th lowest:

- consensus (everyone must accept): k = n, the **lowest** preference: the lowest common
  denominator;
- two-thirds majority: k = ⌈2n/3⌉;
- simple majority: k = ⌊n/2⌋ + 1, the median member for odd n.

The expected outcome is the expectation of an order statistic, computed exactly:
E[X₍ⱼ₎] = ∫₀¹ P(X₍ⱼ₎ > x) dx = ∫₀¹ P(Binomial(n, F(x)) ≤ j − 1) dx. Preferences follow a
Beta(a, b) distribution with whole-number a and b, whose CDF F is a polynomial; the integrand
is then a polynomial of degree n·(a + b − 1), which Gauss–Legendre quadrature with enough nodes
integrates exactly (up to floating-point rounding). For evenly spread preferences
(Beta(1, 1)) the consensus outcome is 1/(n + 1) and the majority outcome 1/2 for odd n.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

MAX_MEMBERS = 1000  # binomial coefficients stay inside float range


@dataclass(frozen=True)
class Preferences:
    """Members' preferred ambition ~ Beta(a, b) on [0, 1], with whole-number a and b."""

    label: str
    a: int
    b: int

    def __post_init__(self) -> None:
        for name, shape in (("a", self.a), ("b", self.b)):
            if isinstance(shape, bool) or not isinstance(shape, int) or shape < 1:
                raise ValueError(f"Preferences {self.label!r}: {name} must be a whole number "
                                 f"of at least 1, not {shape!r}")

    @property
    def mean(self) -> float:
        return self.a / (self.a + self.b)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """P(preference ≤ x): for whole-number shapes, P(Binomial(a + b − 1, x) ≥ a)."""
        x = np.clip(np.asarray(x, dtype=float), 0.0, 1.0)
        degree = self.a + self.b - 1
        return sum(float(math.comb(degree, m)) * x ** m * (1 - x) ** (degree - m)
                   for m in range(self.a, degree + 1))

    def sample(self, rng: np.random.Generator, size: tuple[int, ...]) -> np.ndarray:
        return rng.beta(self.a, self.b, size=size)


PRESETS: dict[str, Preferences] = {
    "evenly spread": Preferences("evenly spread", 1, 1),
    "mostly cautious": Preferences("mostly cautious", 1, 3),
    "mostly ambitious": Preferences("mostly ambitious", 3, 1),
    "clustered in the middle": Preferences("clustered in the middle", 3, 3),
}
RULES: tuple[str, ...] = ("consensus", "two-thirds majority", "simple majority")
SIZES: tuple[int, ...] = tuple(sorted({*range(1, 31), *range(35, 201, 5), 193}))


def _check_n(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= MAX_MEMBERS:
        raise ValueError(f"the number of members n must be a whole number from 1 to "
                         f"{MAX_MEMBERS}, not {n!r}")
    return int(n)


def preferences(which: str | Preferences) -> Preferences:
    """A preset by name (see ``PRESETS``) or a ``Preferences`` passed through."""
    if isinstance(which, Preferences):
        return which
    if which not in PRESETS:
        raise ValueError(f"unknown preferences {which!r}; presets: {', '.join(PRESETS)}")
    return PRESETS[which]


def supporters_needed(n: int, rule: str) -> int:
    """How many of ``n`` members must accept a proposal under ``rule``."""
    n = _check_n(n)
    if rule == "consensus":
        return n
    if rule == "two-thirds majority":
        return math.ceil(2 * n / 3)
    if rule == "simple majority":
        return n // 2 + 1
    raise ValueError(f"unknown decision rule {rule!r}; rules: {', '.join(RULES)}")


def outcome_rank(n: int, rule: str) -> int:
    """Which preference (1 = the lowest) sets the outcome: n − k + 1 for k supporters."""
    return _check_n(n) - supporters_needed(n, rule) + 1


def expected_order_statistic(n: int, j: int, prefs: str | Preferences = "evenly spread") -> float:
    """E[X₍ⱼ₎], the expected j-th lowest of n preferences, by exact quadrature (see module)."""
    n = _check_n(n)
    if isinstance(j, bool) or not isinstance(j, int | np.integer) or not 1 <= j <= n:
        raise ValueError(f"order j must be a whole number from 1 to n = {n}, not {j!r}")
    chosen = preferences(prefs)
    degree = n * (chosen.a + chosen.b - 1)
    # Exact needs degree // 2 + 1 points; rounding up to a power of two keeps few node sets.
    x, weights = _gauss_legendre(max(16, 1 << (degree // 2).bit_length()))
    above = _binomial_cdf(int(j) - 1, n, chosen.cdf(x))
    return float(np.sum(weights * above))


@lru_cache(maxsize=64)
def _gauss_legendre(points: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights on [0, 1], exact for polynomials of degree up to 2·points − 1."""
    nodes, weights = np.polynomial.legendre.leggauss(points)
    return (nodes + 1) / 2, weights / 2


def _binomial_cdf(k: int, n: int, p: np.ndarray) -> np.ndarray:
    """P(Binomial(n, p) ≤ k) for an array of p, summed in log space (no overflow for large n)."""
    i = np.arange(k + 1)[:, None]
    log_comb = np.array([math.lgamma(n + 1) - math.lgamma(m + 1) - math.lgamma(n - m + 1)
                         for m in range(k + 1)])[:, None]
    with np.errstate(divide="ignore"):
        log_p, log_q = np.log(p)[None, :], np.log1p(-p)[None, :]
    # 0 · log 0 is 0 here (the term for i = 0 when p = 0, or i = n when p = 1).
    terms = log_comb + np.where(i == 0, 0.0, i * log_p) + np.where(n - i == 0, 0.0,
                                                                  (n - i) * log_q)
    return np.exp(terms).sum(axis=0)


def expected_outcome(n: int, rule: str, prefs: str | Preferences = "evenly spread") -> float:
    """Expected ambition (0–1) of the most ambitious proposal that passes under ``rule``."""
    return expected_order_statistic(n, outcome_rank(n, rule), prefs)


def simulate_outcome(n: int, rule: str, prefs: str | Preferences = "evenly spread",
                     draws: int = 20_000, seed: int = 0) -> float:
    """The same expectation by deterministic simulation (a fixed seed): a check on the exact one."""
    j = outcome_rank(n, rule)
    rng = np.random.default_rng(seed)
    sample = np.sort(preferences(prefs).sample(rng, (draws, n)), axis=1)
    return float(sample[:, j - 1].mean())


def outcome_grid(sizes: Iterable[int] = SIZES, rules: Iterable[str] = RULES,
                 presets: Iterable[str] = tuple(PRESETS)) -> pd.DataFrame:
    """Expected outcome for every (preferences, rule, n): the table the page's dropdown reads.

    Columns: preferences, rule, n, supporters (k), ambition (expected, 0–1).
    """
    rows = [(p, rule, n, supporters_needed(n, rule), expected_outcome(n, rule, p))
            for p in presets for rule in rules for n in sizes]
    return pd.DataFrame(rows, columns=["preferences", "rule", "n", "supporters", "ambition"])
