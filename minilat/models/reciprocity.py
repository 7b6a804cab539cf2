"""Specific versus diffuse reciprocity: a repeated game among N states (Chapter 3).

Every round each state chooses, towards every other state, to cooperate or to defect: the
repeated prisoner's dilemma of Axelrod (1984), played by every pair at once. Two rules:

- **specific** reciprocity (tit-for-tat per pair): state *i* cooperates with *j* this round
  exactly when *j* cooperated with *i* last round. Each relationship keeps its own account.
- **diffuse** reciprocity: state *i* cooperates with everyone while the group's cooperation
  rate last round stayed at or above a threshold; it looks at the group's record, not at who
  did what to whom.

Implementation errors: each intended action is carried out as the opposite one with
probability ``noise`` (ε), in every round including the first.

Patience δ weighs the rounds: a state with patience δ values round *t* with weight δ^(t−1),
so its **discounted average cooperation** is Σ δ^(t−1)·c_t / Σ δ^(t−1). Read δ as a
continuation probability and the same number is the expected cooperation of a round drawn from
a game that goes on to a next round with probability δ. The rules themselves do not use δ.

Runs are deterministic for a given seed, and both rules meet the same error draws (common random
numbers), so differences between their lines come from the rules, not from luck.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

Rule = Literal["specific", "diffuse"]
RULES: tuple[Rule, ...] = ("specific", "diffuse")

DEFAULT_THRESHOLD = 0.8
DEFAULT_ROUNDS = 40
DEFAULT_RUNS = 200
DEFAULT_SEED = 2026

GRID_STATES: tuple[int, ...] = (3, 5, 10, 20, 50)
GRID_NOISE: tuple[float, ...] = (0.0, 0.02, 0.05, 0.1)
GRID_PATIENCE: tuple[float, ...] = (0.8, 0.9, 0.95, 0.99)


@dataclass(frozen=True)
class Game:
    """The settings of one repeated game (patience is applied afterwards, when valuing it)."""

    n_states: int
    rounds: int = DEFAULT_ROUNDS
    noise: float = 0.0
    threshold: float = DEFAULT_THRESHOLD
    start_cooperating: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.n_states, bool) or not isinstance(self.n_states, (int, np.integer)) \
                or self.n_states < 2:
            raise ValueError(f"n_states must be a whole number of at least 2, got {self.n_states!r}")
        if isinstance(self.rounds, bool) or not isinstance(self.rounds, (int, np.integer)) \
                or self.rounds < 1:
            raise ValueError(f"rounds must be a whole number of at least 1, got {self.rounds!r}")
        for name in ("noise", "threshold"):
            value = getattr(self, name)
            if not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"{name} must lie between 0 and 1, got {value!r}")


def _check_rule(rule: str) -> Rule:
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; use one of {', '.join(RULES)}")
    return rule  # type: ignore[return-value]


def error_draws(game: Game, runs: int, rng: np.random.Generator) -> np.ndarray:
    """Which intended actions get flipped: a (runs, rounds, N, N) boolean array."""
    if runs < 1:
        raise ValueError(f"runs must be at least 1, got {runs!r}")
    shape = (runs, game.rounds, game.n_states, game.n_states)
    return rng.random(shape) < game.noise


def play(rule: str, game: Game, errors: np.ndarray | None = None) -> np.ndarray:
    """Every action of one or many runs, ``[..., t, i, j]`` = state i cooperates with j in round t.

    ``errors`` (shape (rounds, N, N) for one run or (runs, rounds, N, N) for many) says which
    intended actions are flipped; ``None`` means a single run without errors. The diagonal (a
    state facing itself) is meaningless and left False.
    """
    rule = _check_rule(rule)
    n, rounds = game.n_states, game.rounds
    if errors is None:
        errors = np.zeros((rounds, n, n), dtype=bool)
    errors = np.asarray(errors, dtype=bool)
    if errors.shape[-3:] != (rounds, n, n):
        raise ValueError(f"errors has shape {errors.shape}; this game needs (…, {rounds}, {n}, {n})")
    off_diagonal = ~np.eye(n, dtype=bool)
    actions = np.zeros(errors.shape, dtype=bool)
    for t in range(rounds):
        if t == 0:
            intended = np.full(errors.shape[:-3] + (n, n), game.start_cooperating)
        elif rule == "specific":
            # i answers j with what j did to i last round.
            intended = np.swapaxes(actions[..., t - 1, :, :], -1, -2)
        else:
            keeps_up = group_rate(actions[..., t - 1, :, :]) >= game.threshold
            intended = np.broadcast_to(np.asarray(keeps_up)[..., None, None],
                                       errors.shape[:-3] + (n, n))
        actions[..., t, :, :] = (intended ^ errors[..., t, :, :]) & off_diagonal
    return actions


def group_rate(actions: np.ndarray) -> np.ndarray | float:
    """Share of the N·(N−1) directed actions in the last two axes that were cooperation."""
    n = actions.shape[-1]
    cooperating = actions.sum(axis=(-1, -2)) - np.trace(actions, axis1=-2, axis2=-1)
    rate = cooperating / (n * (n - 1))
    return float(rate) if np.ndim(rate) == 0 else rate


def cooperation_path(rule: str, game: Game, errors: np.ndarray | None = None) -> np.ndarray:
    """The group's cooperation rate (0–1) per round: shape (rounds,) or (runs, rounds)."""
    return np.asarray(group_rate(play(rule, game, errors)), dtype=float)


def discounted_average(path: Iterable[float], patience: float) -> float:
    """Σ δ^(t−1)·c_t / Σ δ^(t−1): the average a state with patience δ puts on a path.

    δ = 1 gives the plain mean; δ = 0 gives the first round only.
    """
    values = np.asarray(list(path), dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError("path must be a non-empty sequence of cooperation rates")
    if not 0.0 <= patience <= 1.0:
        raise ValueError(f"patience must lie between 0 and 1, got {patience!r}")
    weights = patience ** np.arange(values.size)
    return float(np.dot(weights, values) / weights.sum())


def _rng(seed: int, n_states: int, noise: float) -> np.random.Generator:
    return np.random.default_rng([seed, n_states, round(noise * 1_000_000)])


def mean_path(rule: str, game: Game, runs: int = DEFAULT_RUNS,
              seed: int = DEFAULT_SEED) -> np.ndarray:
    """Cooperation rate per round averaged over ``runs`` seeded runs (deterministic)."""
    errors = error_draws(game, runs, _rng(seed, game.n_states, game.noise))
    return cooperation_path(rule, game, errors).mean(axis=0)


def cooperation_paths(
    n_states: Iterable[int] = GRID_STATES,
    noise: Iterable[float] = GRID_NOISE,
    rounds: int = DEFAULT_ROUNDS,
    runs: int = DEFAULT_RUNS,
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """Mean cooperation per round for every rule, group size and noise level (long table).

    Columns: rule, n_states, noise, round (1-based), cooperation (0–1, mean over the runs).
    """
    frames: list[pd.DataFrame] = []
    for n in n_states:
        for eps in noise:
            game = Game(int(n), rounds, float(eps), threshold)
            errors = error_draws(game, runs, _rng(seed, int(n), float(eps)))
            for rule in RULES:
                paths = cooperation_path(rule, game, errors)
                frames.append(pd.DataFrame({
                    "rule": rule, "n_states": int(n), "noise": float(eps),
                    "round": np.arange(1, rounds + 1), "cooperation": paths.mean(axis=0),
                }))
    if not frames:
        raise ValueError("the grid is empty: give at least one value of n_states and of noise")
    return pd.concat(frames, ignore_index=True)


def patience_grid(paths: pd.DataFrame,
                  patience: Iterable[float] = GRID_PATIENCE) -> pd.DataFrame:
    """Discounted average cooperation of each mean path for each patience value.

    Columns: rule, n_states, noise, patience, value (0–1), plain_mean (0–1).
    """
    needed = ["rule", "n_states", "noise", "round", "cooperation"]
    missing = [c for c in needed if c not in paths.columns]
    if missing:
        raise ValueError(f"paths lacks column(s) {', '.join(missing)}")
    rows = []
    for (rule, n, eps), group in paths.sort_values("round").groupby(
            ["rule", "n_states", "noise"], sort=True):
        series = group["cooperation"].to_numpy()
        for delta in patience:
            rows.append({"rule": rule, "n_states": n, "noise": eps, "patience": float(delta),
                         "value": discounted_average(series, float(delta)),
                         "plain_mean": float(series.mean())})
    return pd.DataFrame(rows)
