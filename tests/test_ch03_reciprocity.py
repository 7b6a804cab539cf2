"""The reciprocity model of Chapter 3, checked on cases worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from minilat.models.reciprocity import (
    RULES,
    Game,
    cooperation_path,
    cooperation_paths,
    discounted_average,
    error_draws,
    group_rate,
    mean_path,
    patience_grid,
    play,
)


def _one_error(game: Game, round_: int, i: int, j: int) -> np.ndarray:
    errors = np.zeros((game.rounds, game.n_states, game.n_states), dtype=bool)
    errors[round_, i, j] = True
    return errors


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("n", [2, 3, 10])
def test_without_noise_everyone_cooperates_forever(rule: str, n: int) -> None:
    path = cooperation_path(rule, Game(n, rounds=30))
    assert path.tolist() == [1.0] * 30


@pytest.mark.parametrize("rule", RULES)
def test_all_defect_start_stays_all_defect_without_noise(rule: str) -> None:
    path = cooperation_path(rule, Game(5, rounds=12, start_cooperating=False))
    assert path.tolist() == [0.0] * 12


def test_two_specific_reciprocators_play_tit_for_tat() -> None:
    game = Game(2, rounds=25, noise=0.2)
    errors = error_draws(game, 1, np.random.default_rng(7))[0]
    actions = play("specific", game, errors)
    # Tit-for-tat written out by hand: cooperate first, then copy the partner's last move.
    a, b = [True], [True]
    a[0] ^= bool(errors[0, 0, 1])
    b[0] ^= bool(errors[0, 1, 0])
    for t in range(1, game.rounds):
        a.append(b[t - 1] ^ bool(errors[t, 0, 1]))
        b.append(a[t - 1] ^ bool(errors[t, 1, 0]))
    assert actions[:, 0, 1].tolist() == a
    assert actions[:, 1, 0].tolist() == b
    assert errors.any(), "the check needs at least one error to mean something"


def test_one_error_echoes_forever_between_two_tit_for_tat_players() -> None:
    # A defects by mistake in round 1: B answers in round 2, A answers back in round 3, …
    game = Game(2, rounds=6)
    actions = play("specific", game, _one_error(game, 0, 0, 1))
    assert actions[:, 0, 1].tolist() == [False, True, False, True, False, True]
    assert actions[:, 1, 0].tolist() == [True, False, True, False, True, False]
    assert cooperation_path("specific", game, _one_error(game, 0, 0, 1)).tolist() == [0.5] * 6


def test_specific_reciprocity_keeps_the_echo_inside_one_pair() -> None:
    game = Game(4, rounds=5)
    actions = play("specific", game, _one_error(game, 0, 0, 1))
    others = [(i, j) for i in range(4) for j in range(4) if i != j and {i, j} != {0, 1}]
    assert all(actions[:, i, j].all() for i, j in others)
    # 1 of 12 directed actions fails in every round: 11/12 cooperation throughout.
    assert cooperation_path("specific", game, _one_error(game, 0, 0, 1)) == pytest.approx(
        [11 / 12] * 5)


def test_diffuse_reciprocity_absorbs_one_error_above_the_threshold() -> None:
    # N = 3 has 6 directed actions; one error leaves 5/6 ≈ 0.83 ≥ 0.8, so the group carries on.
    game = Game(3, rounds=4, threshold=0.8)
    path = cooperation_path("diffuse", game, _one_error(game, 0, 0, 1))
    assert path == pytest.approx([5 / 6, 1.0, 1.0, 1.0])


def test_diffuse_reciprocity_collapses_below_the_threshold_and_stays_down() -> None:
    # Two errors: 4/6 ≈ 0.67 < 0.8, so everyone defects from round 2 and nobody restarts.
    game = Game(3, rounds=5, threshold=0.8)
    errors = _one_error(game, 0, 0, 1) | _one_error(game, 0, 2, 1)
    assert cooperation_path("diffuse", game, errors) == pytest.approx([4 / 6, 0, 0, 0, 0])


def test_a_lucky_error_among_defectors_starts_an_echo_of_cooperation() -> None:
    # B cooperates by mistake in round 2; A copies it in round 3, B copies that in round 4, …
    game = Game(2, rounds=5, start_cooperating=False)
    actions = play("specific", game, _one_error(game, 1, 1, 0))
    assert actions[:, 1, 0].tolist() == [False, True, False, True, False]
    assert actions[:, 0, 1].tolist() == [False, False, True, False, True]


def test_group_rate_ignores_the_diagonal() -> None:
    actions = np.ones((3, 3), dtype=bool)
    assert group_rate(actions) == 1.0
    actions[0, 1] = False
    assert group_rate(actions) == pytest.approx(5 / 6)


def test_many_runs_at_once_match_runs_one_by_one() -> None:
    game = Game(4, rounds=10, noise=0.1)
    errors = error_draws(game, 3, np.random.default_rng(1))
    together = cooperation_path("diffuse", game, errors)
    alone = np.array([cooperation_path("diffuse", game, e) for e in errors])
    assert together.shape == (3, 10)
    assert np.array_equal(together, alone)


def test_tit_for_tat_under_noise_drifts_towards_one_half() -> None:
    # With symmetric errors a pair's four states become equally likely: 50 % cooperation.
    late = mean_path("specific", Game(10, rounds=120, noise=0.1), runs=20)[-30:]
    assert late.mean() == pytest.approx(0.5, abs=0.03)


def test_mean_path_is_deterministic_for_a_seed() -> None:
    game = Game(5, rounds=10, noise=0.05)
    assert np.array_equal(mean_path("specific", game, runs=5, seed=3),
                          mean_path("specific", game, runs=5, seed=3))


def test_discounted_average_worked_by_hand() -> None:
    assert discounted_average([1.0, 0.0], 0.5) == pytest.approx(1 / 1.5)
    assert discounted_average([0.2, 0.4, 0.9], 1.0) == pytest.approx(0.5)
    assert discounted_average([0.3, 1.0, 1.0], 0.0) == pytest.approx(0.3)


def test_discounted_average_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="patience"):
        discounted_average([1.0], 1.5)
    with pytest.raises(ValueError, match="non-empty"):
        discounted_average([], 0.9)


@pytest.mark.parametrize("bad", [{"n_states": 1}, {"n_states": 2.5}, {"rounds": 0},
                                 {"noise": -0.1}, {"threshold": 2}])
def test_game_rejects_bad_settings(bad: dict) -> None:
    settings = {"n_states": 3} | bad
    with pytest.raises(ValueError, match=next(iter(bad))):
        Game(**settings)


def test_unknown_rule_and_wrong_error_shape_are_named() -> None:
    with pytest.raises(ValueError, match="unknown rule 'generous'"):
        play("generous", Game(3))
    with pytest.raises(ValueError, match="errors has shape"):
        play("specific", Game(3, rounds=4), np.zeros((4, 2, 2), dtype=bool))


def test_grid_shape_and_noise_free_cells() -> None:
    paths = cooperation_paths(n_states=[3, 5], noise=[0.0, 0.1], rounds=6, runs=4)
    assert len(paths) == 2 * 2 * 2 * 6
    assert set(paths.columns) == {"rule", "n_states", "noise", "round", "cooperation"}
    clean = paths[paths["noise"] == 0.0]
    assert (clean["cooperation"] == 1.0).all()
    values = patience_grid(paths, patience=[0.5, 0.9])
    assert len(values) == 2 * 2 * 2 * 2
    assert (values.loc[values["noise"] == 0.0, "value"] == 1.0).all()


def test_patient_states_value_a_decaying_path_less() -> None:
    paths = cooperation_paths(n_states=[10], noise=[0.1], rounds=40, runs=10)
    values = patience_grid(paths, patience=[0.8, 0.99]).set_index(["rule", "patience"])
    assert values.loc[("specific", 0.8), "value"] > values.loc[("specific", 0.99), "value"]


def test_patience_grid_names_missing_columns() -> None:
    with pytest.raises(ValueError, match="cooperation"):
        patience_grid(pd.DataFrame({"rule": [], "n_states": [], "noise": [], "round": []}))
