"""rmsviz.optimizer (your init/update as an OptimizerSpec) and rmsviz.trace (a chapter-form trainer)."""

import math
from typing import NamedTuple

import numpy as np
import pytest

import rmsviz
from rmsviz.backend import namespace, torch_installed
from rmsviz.custom import CustomOptimizerError
from rmsviz.figures import race_figure, style
from rmsviz.optimizers import EPS, GAMMA, Hyperparameter
from rmsviz.studies.sweep import sweep
from rmsviz.trajectory import DivergedBy

LR = Hyperparameter("lr", 0.01, 1e-4, 10.0, True, "η", "learning rate", open_min=True)


class State(NamedTuple):
    s: object


def init(x, lr, gamma, eps):
    return State(namespace(x).zeros_like(x))


def update(g, state, lr, gamma, eps):
    s = gamma * state.s + (1 - gamma) * g * g
    return -lr * g / namespace(g).sqrt(s + eps), State(s)


MINE = rmsviz.optimizer("mine", init, update, [LR, GAMMA, EPS], title="My RMSProp")


def test_a_custom_optimizer_runs_like_the_builtin_it_copies():
    mine = rmsviz.run(MINE, "elliptic", start=(-5.0, -2.0), steps=20, lr=0.4, gamma=0.9, record="all")
    builtin = rmsviz.run("rmsprop", "elliptic", start=(-5.0, -2.0), steps=20, lr=0.4, gamma=0.9, record="all")
    np.testing.assert_allclose(mine.path, builtin.path, rtol=0, atol=1e-12)
    np.testing.assert_allclose(mine.state["s"], builtin.state["s"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(mine.effective_lr[1:], builtin.effective_lr[1:], rtol=1e-12)  # −update / g
    assert mine.optimizer == "mine" and MINE.title == "My RMSProp"


def test_a_custom_optimizer_takes_a_batch_of_hyperparameters():
    lrs, starts = np.array([0.1, 0.4, 3.0]), np.array([[-5.0, -2.0], [3.0, 1.0], [-1.0, 2.0]])
    mine = rmsviz.run(MINE, "rotated", start=starts, steps=30, lr=lrs)
    builtin = rmsviz.run("rmsprop", "rotated", start=starts, steps=30, lr=lrs)
    np.testing.assert_allclose(mine.path, builtin.path, rtol=0, atol=1e-12)


@pytest.mark.skipif(not torch_installed(), reason="the torch backend needs torch (requirements-torch.txt)")
def test_a_custom_optimizer_runs_on_torch():
    mine = rmsviz.run(MINE, "elliptic", start=(-5.0, -2.0), steps=20, lr=0.4, backend="torch", device="cpu")
    builtin = rmsviz.run("rmsprop", "elliptic", start=(-5.0, -2.0), steps=20, lr=0.4)
    np.testing.assert_allclose(mine.path, builtin.path, rtol=0, atol=1e-12)


def test_the_state_may_be_a_dict_and_the_sweep_takes_it():
    spec = rmsviz.optimizer(
        "dictstate",
        lambda x, lr: {"v": namespace(x).zeros_like(x)},
        lambda g, state, lr: (-lr * (0.5 * state["v"] + g), {"v": 0.5 * state["v"] + g}),
        [LR],
    )
    builtin = rmsviz.run("momentum", "elliptic", steps=15, lr=0.2, beta=0.5)
    np.testing.assert_allclose(rmsviz.run(spec, "elliptic", steps=15, lr=0.2).path, builtin.path, atol=1e-12)


def test_the_sweep_takes_a_custom_optimizer():
    lrs, gammas = [0.05, 0.4], [0.5, 0.9]
    mine = sweep(MINE, "elliptic", "lr", lrs, "gamma", gammas, steps=30)
    builtin = sweep("rmsprop", "elliptic", "lr", lrs, "gamma", gammas, steps=30)
    assert mine.optimizer == "mine" and mine.shape == (2, 2)
    np.testing.assert_allclose(mine.gap, builtin.gap, rtol=1e-9, atol=1e-15)


def test_hyperparameters_are_checked_like_the_builtins():
    with pytest.raises(ValueError, match=r"Invalid gamma: 1.5 \(must be in \[0, 1\]\)"):
        rmsviz.run(MINE, "elliptic", gamma=1.5)
    with pytest.raises(ValueError, match="Unknown hyperparameter for mine: beta"):
        rmsviz.run(MINE, "elliptic", beta=0.5)
    with pytest.raises(ValueError, match="Invalid name"):
        rmsviz.optimizer("My Opt", init, update)
    with pytest.raises(ValueError, match="its own name"):
        rmsviz.optimizer("twice", init, update, [LR, LR])


def test_an_exception_in_update_names_the_step():
    def update_that_fails(g, state, lr):
        if state["count"] == 3:
            raise ZeroDivisionError("my bug")
        return -lr * g, {"count": state["count"] + 1}

    spec = rmsviz.optimizer("buggy", lambda x, lr: {"count": 0}, update_that_fails, [LR])
    with pytest.raises(CustomOptimizerError, match=r"buggy's update failed at step 4: ZeroDivisionError: my bug"):
        rmsviz.run(spec, "elliptic", steps=10)
    wrong = rmsviz.optimizer("wrong", lambda x, lr: {}, lambda g, state, lr: -lr * g, [LR])
    with pytest.raises(CustomOptimizerError, match=r"must return \(updates, state\); at step 1"):
        rmsviz.run(wrong, "elliptic", steps=3)


def test_a_custom_optimizer_that_overflows_is_marked_diverged():
    spec = rmsviz.optimizer("explode", lambda x, lr: {}, lambda g, state, lr: (1e300 * g, {}), [LR])
    t = rmsviz.run(spec, "elliptic", steps=10)
    assert t.diverged and t.diverged_at == 1


# --- the chapter's form -----------------------------------------------------------------------------------

ETA, GAMMA_ = 0.4, 0.9


def rmsprop_2d(x1, x2, s1, s2):
    """d2l's trainer, written our own way: the elliptic bowl's gradient inside, scalars in and out."""
    g1, g2 = 0.2 * x1, 4 * x2
    s1 = GAMMA_ * s1 + (1 - GAMMA_) * g1 * g1
    s2 = GAMMA_ * s2 + (1 - GAMMA_) * g2 * g2
    return x1 - ETA * g1 / math.sqrt(s1 + 1e-6), x2 - ETA * g2 / math.sqrt(s2 + 1e-6), s1, s2


def test_trace_reproduces_the_chapter_and_the_builtin():
    t = rmsviz.trace(rmsprop_2d, start=(-5.0, -2.0), state=(0.0, 0.0), steps=20)
    assert t.path.shape == (21, 2) and t.optimizer == "rmsprop_2d"
    assert f"{t.path[-1, 0]:.6f}" == "-0.010599" and f"{t.path[-1, 1]:.6f}" == "0.000000"  # the chapter's print
    builtin = rmsviz.run("rmsprop", "elliptic", start=(-5.0, -2.0), steps=20, lr=ETA, gamma=GAMMA_, record="all")
    np.testing.assert_allclose(t.path, builtin.path, rtol=0, atol=1e-12)
    np.testing.assert_allclose(t.state["s"], builtin.state["s"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(t.loss, builtin.loss, rtol=0, atol=1e-12)


def test_a_trace_races_beside_builtin_runs():
    mine = rmsviz.trace(rmsprop_2d, steps=20, name="my RMSProp")
    builtin = rmsviz.run("adagrad", "elliptic", start=(-5.0, -2.0), steps=20, lr=0.4)
    surface = rmsviz.SURFACES["elliptic"]
    figure = race_figure(surface, [mine, builtin], [style("rmsprop", "my RMSProp"), style("adagrad", "Adagrad")])
    names = {trace.name for trace in figure.data}
    assert "my RMSProp" in names and "Adagrad" in names


def test_an_error_in_the_trainer_names_the_step():
    def fails_at_5(x1, x2, s1, s2):
        if s1 >= 4:
            raise ValueError("math domain error")
        return x1, x2, s1 + 1, s2

    with pytest.raises(CustomOptimizerError, match=r"fails_at_5 failed at step 5: ValueError: math domain error"):
        rmsviz.trace(fails_at_5, steps=10)
    with pytest.raises(CustomOptimizerError, match=r"returned 3 values at step 1, expected 4"):
        rmsviz.trace(lambda x1, x2, s1, s2: (x1, x2, s1), steps=3, name="short")
    with pytest.raises(CustomOptimizerError, match=r"returned NoneType at step 1"):
        rmsviz.trace(lambda x1, x2, s1, s2: None, steps=3, name="nothing")


def test_a_trainer_that_overflows_is_marked_diverged_and_frozen():
    def grows(x1, x2, s1, s2):
        return x1 * 1e4, x2, s1, s2

    t = rmsviz.trace(grows, start=(1.0, 1.0), steps=6)
    assert t.diverged and t.diverged_at == 3  # 1e12 at step 3: past the engine's overflow bound too
    assert (t.path[3:] == t.path[2]).all() and t.diverged_by == DivergedBy.POINT
    broken = rmsviz.trace(lambda x1, x2, s1, s2: (x1, x2, math.nan, s2), steps=6)
    assert (broken.diverged_at, broken.diverged_by) == (1, DivergedBy.STATE)


def test_trace_checks_its_arguments():
    with pytest.raises(ValueError, match="Invalid steps"):
        rmsviz.trace(rmsprop_2d, steps=-1)
    with pytest.raises(ValueError, match="Unknown surface"):
        rmsviz.trace(rmsprop_2d, surface="nowhere")
    with pytest.raises(ValueError, match="Invalid state"):
        rmsviz.trace(rmsprop_2d, state=(0.0,))
    with pytest.raises(ValueError, match="Invalid start"):
        rmsviz.trace(rmsprop_2d, start=(math.nan, 0.0))
