"""Group size and the provision of a collective good: Olson's decline against Chamberlin's exception.

The model. A group has ``n`` members who differ in their stake in a collective good: member k
(k = 1 for the largest) has stake sₖ = 1 / k^inequality (``inequality`` 0: equal members;
1: Zipf-like sizes, roughly how countries' economies fall off by rank). If the group has Q units
of the good, member k enjoys

    benefitₖ(Q) = sₖ · (V / n^c) · ln(1 + Q)

where V is the good's value and c the **crowding** of the good: c = 0 is a pure public good
(each member enjoys all of it however many share it: climate rules, the law of the sea), c = 1 a
fully rival one (n members split the same value). Each unit costs its provider 1.

Alone, member k would buy the quantity where its marginal benefit equals the cost,
qₖ = max(0, sₖ·V/n^c − 1). In the voluntary-contribution equilibrium (everyone chooses its own
contribution, taking the others' as given; contributions add up), the group ends up with
exactly the largest member's qₖ: the largest member pays for everything and the others ride
free, since at that quantity their own marginal benefit is already below the cost. This is
Olson's "privileged group": provision depends on the incentive of the member with the most at
stake. The group optimum maximises the sum of benefits minus cost:
Q* = max(0, (Σₖ sₖ)·V/n^c − 1).

With crowding, the largest member's benefit V/n^c shrinks as the group grows and provision
falls (Olson); with a non-rival good (c = 0) it does not fall at all, while the good's value
to the whole group rises with every member (Chamberlin's point).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

DEFAULT_VALUE = 10.0
DEFAULT_INEQUALITY = 1.0
SIZES: tuple[int, ...] = tuple(range(1, 41))
CROWDINGS: tuple[float, ...] = tuple(round(c / 10, 1) for c in range(11))


def _check(n: int, crowding: float, value: float, inequality: float) -> None:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"group size n must be a whole number of at least 1, not {n!r}")
    if not 0 <= crowding <= 1:
        raise ValueError(f"crowding c must be between 0 (pure public good) and 1 (fully rival), "
                         f"not {crowding!r}")
    if not value >= 0:
        raise ValueError(f"the good's value V must be zero or more, not {value!r}")
    if not inequality >= 0:
        raise ValueError(f"inequality must be zero or more, not {inequality!r}")


def stakes(n: int, inequality: float = DEFAULT_INEQUALITY) -> np.ndarray:
    """Members' stakes, largest first: 1, 1/2^inequality, 1/3^inequality, …"""
    _check(n, 0.0, 0.0, inequality)
    return 1.0 / np.arange(1, n + 1, dtype=float) ** inequality


def marginal_valuations(n: int, crowding: float, value: float = DEFAULT_VALUE,
                        inequality: float = DEFAULT_INEQUALITY) -> np.ndarray:
    """sₖ·V/n^c for each member: what the first unit of the good is worth to it."""
    _check(n, crowding, value, inequality)
    return stakes(n, inequality) * value / n ** crowding


def standalone_quantities(n: int, crowding: float, value: float = DEFAULT_VALUE,
                          inequality: float = DEFAULT_INEQUALITY) -> np.ndarray:
    """The quantity each member would buy if it were alone: max(0, sₖ·V/n^c − 1)."""
    return np.maximum(0.0, marginal_valuations(n, crowding, value, inequality) - 1.0)


def equilibrium_contributions(n: int, crowding: float, value: float = DEFAULT_VALUE,
                              inequality: float = DEFAULT_INEQUALITY) -> np.ndarray:
    """Each member's contribution in equilibrium: the largest pays for it all, the rest ride free."""
    alone = standalone_quantities(n, crowding, value, inequality)
    contributions = np.zeros(n)
    contributions[0] = alone[0]  # the largest stake is the first; ties give the same total
    return contributions


def best_response(member: int, others_total: float, n: int, crowding: float,
                  value: float = DEFAULT_VALUE,
                  inequality: float = DEFAULT_INEQUALITY) -> float:
    """Member ``member``'s (0 = largest) best contribution when the others give ``others_total``."""
    alone = standalone_quantities(n, crowding, value, inequality)[member]
    return max(0.0, alone - others_total)


def provision(n: int, crowding: float, value: float = DEFAULT_VALUE,
              inequality: float = DEFAULT_INEQUALITY) -> float:
    """How much of the good the group provides: the largest member's stand-alone quantity."""
    return float(equilibrium_contributions(n, crowding, value, inequality).sum())


def optimal_provision(n: int, crowding: float, value: float = DEFAULT_VALUE,
                      inequality: float = DEFAULT_INEQUALITY) -> float:
    """The quantity that maximises the group's total benefit minus cost."""
    total_valuation = float(marginal_valuations(n, crowding, value, inequality).sum())
    return max(0.0, total_valuation - 1.0)


def group_benefit(n: int, crowding: float, quantity: float, value: float = DEFAULT_VALUE,
                  inequality: float = DEFAULT_INEQUALITY) -> float:
    """Sum of all members' benefits from ``quantity`` units (before anyone's cost)."""
    if quantity < 0:
        raise ValueError(f"quantity must be zero or more, not {quantity!r}")
    total_valuation = float(marginal_valuations(n, crowding, value, inequality).sum())
    return total_valuation * float(np.log1p(quantity))


def provision_grid(sizes: Iterable[int] = SIZES, crowdings: Iterable[float] = CROWDINGS,
                   value: float = DEFAULT_VALUE,
                   inequality: float = DEFAULT_INEQUALITY) -> pd.DataFrame:
    """Provision against group size for every crowding level: the table the page's slider reads.

    Columns: n, crowding, provided, optimal, gap (optimal − provided), group_benefit (of
    what is provided).
    """
    rows = []
    for c in crowdings:
        for n in sizes:
            provided = provision(n, c, value, inequality)
            optimal = optimal_provision(n, c, value, inequality)
            rows.append((n, float(c), provided, optimal, optimal - provided,
                         group_benefit(n, c, provided, value, inequality)))
    return pd.DataFrame(rows, columns=["n", "crowding", "provided", "optimal", "gap",
                                       "group_benefit"])
