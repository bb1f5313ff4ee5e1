"""Optimizers: the seeds' known answers, hand-computed first steps, validation (no torch needed).

Parity with torch.optim is in test_torch_parity.py, which needs torch.
"""

import inspect
import math

import numpy as np
import pytest

import rmsviz
from rmsviz.optimizers import MOMENTUM_HP, OPTIMIZERS, SGD_HP, _defaults

START = (-5.0, -2.0)


def elliptic_grad(x1, x2):
    return 0.2 * x1, 4 * x2


def d2l_loop(update, steps=20):
    """The seeds' own scalar loop: x1, x2, s1, s2 = update(x1, x2, s1, s2)."""
    x1, x2, s1, s2 = *START, 0.0, 0.0
    for _ in range(steps):
        x1, x2, s1, s2 = update(x1, x2, s1, s2)
    return x1, x2


def test_rmsprop_known_answer():
    path = rmsviz.run("rmsprop", "elliptic", start=START, steps=20, lr=0.4, gamma=0.9).path
    assert path.shape == (21, 2)
    np.testing.assert_allclose(path[-1], (-0.010599, 0.000000), atol=5e-7)

    def d2l_rmsprop(x1, x2, s1, s2, eta=0.4, gamma=0.9, eps=1e-6):
        g1, g2 = elliptic_grad(x1, x2)
        s1 = gamma * s1 + (1 - gamma) * g1**2
        s2 = gamma * s2 + (1 - gamma) * g2**2
        return x1 - eta / math.sqrt(s1 + eps) * g1, x2 - eta / math.sqrt(s2 + eps) * g2, s1, s2

    np.testing.assert_allclose(path[-1], d2l_loop(d2l_rmsprop), rtol=1e-12, atol=1e-15)


def test_adagrad_known_answer():
    path = rmsviz.run("adagrad", "elliptic", start=START, steps=20, lr=0.4).path
    np.testing.assert_allclose(path[-1], (-2.382563, -0.158591), atol=5e-7)

    def d2l_adagrad(x1, x2, s1, s2, eta=0.4, eps=1e-6):
        g1, g2 = elliptic_grad(x1, x2)
        s1, s2 = s1 + g1**2, s2 + g2**2
        return x1 - eta / math.sqrt(s1 + eps) * g1, x2 - eta / math.sqrt(s2 + eps) * g2, s1, s2

    np.testing.assert_allclose(path[-1], d2l_loop(d2l_adagrad), rtol=1e-12)


# First steps worked by hand from (-5, -2), where the elliptic gradient is g0 = (-1, -8).
def test_momentum_first_steps():
    path = rmsviz.run("momentum", "elliptic", start=START, steps=2, lr=0.4, beta=0.5).path
    # v1 = g0, x1 = (-5 + 0.4, -2 + 3.2); g1 = (-0.92, 4.8), v2 = 0.5 v1 + g1 = (-1.42, 0.8)
    np.testing.assert_allclose(path[1], (-4.6, 1.2), rtol=1e-14)
    np.testing.assert_allclose(path[2], (-4.6 + 0.4 * 1.42, 1.2 - 0.4 * 0.8), rtol=1e-14)


def test_sgd_first_step():
    np.testing.assert_allclose(rmsviz.run("sgd", "elliptic", start=START, steps=1, lr=0.1).path[1], (-4.9, -1.2))


def test_rprop_first_steps():
    path = rmsviz.run("rprop", "elliptic", start=START, steps=3, lr=0.1).path
    # No sign history at step 1: step 0.1. Signs hold at step 2: 0.12, then 0.144 (η₊ = 1.2).
    np.testing.assert_allclose(path[1:], [(-4.9, -1.9), (-4.78, -1.78), (-4.636, -1.636)], rtol=1e-14)


def test_rprop_sign_flip_shrinks_and_skips():
    # lr=3 jumps y from -2 over the minimum to 1; at step 2 the sign flips: no y step, Δy halves to 1.5.
    t = rmsviz.run("rprop", "elliptic", start=START, steps=3, lr=3.0, record="all")
    np.testing.assert_allclose(t.path[1:, 1], [1.0, 1.0, -0.5])
    np.testing.assert_allclose(t.state["step_size"][1:, 1], [3.0, 1.5, 1.5])


def test_adam_first_step():
    # m̂1 = g0 and v̂1 = g0², so x1 = x0 - η g0 / (|g0| + ε)
    path = rmsviz.run("adam", "elliptic", start=START, steps=1, lr=0.1).path
    np.testing.assert_allclose(path[1], (-5 + 0.1 / (1 + 1e-6), -2 + 0.1 * 8 / (8 + 1e-6)), rtol=1e-14)


def test_adadelta_first_step():
    # s1 = 0.1 g0², Δ = √ε / √(s1 + ε) g0
    path = rmsviz.run("adadelta", "elliptic", start=START, steps=1).path
    expected = [x - math.sqrt(1e-6) / math.sqrt(0.1 * g**2 + 1e-6) * g for x, g in zip(START, (-1, -8), strict=True)]
    np.testing.assert_allclose(path[1], expected, rtol=1e-14)


def test_rmsprop_gamma_one_diverges_without_raising():
    t = rmsviz.run("rmsprop", "elliptic", start=START, steps=50, lr=0.4, gamma=1.0)
    assert t.diverged and 0 < t.diverged_at <= 50
    assert np.isfinite(t.path).all()
    assert (t.path[t.diverged_at :] == t.path[t.diverged_at - 1]).all()


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_huge_learning_rate_diverges_or_stays_finite(name):
    t = rmsviz.run(name, "elliptic", start=START, steps=50, lr=1e6)
    assert np.isfinite(t.path).all() and np.isfinite(t.loss).all()
    if t.diverged:
        assert (t.path[t.diverged_at :] == t.path[t.diverged_at - 1]).all()


@pytest.mark.parametrize(
    ("name", "hyperparameters", "message"),
    [
        ("rmsprop", {"gamma": 1.5}, "Invalid gamma: 1.5 (must be in [0, 1])"),
        ("rmsprop", {"lr": -0.1}, "Invalid lr: -0.1 (must be in (0, inf))"),
        ("rmsprop", {"eps": float("nan")}, "Invalid eps: nan (must be in [0, inf))"),
        ("adagrad", {"lr_decay": -1}, "Invalid lr_decay: -1 (must be in [0, inf))"),
        ("momentum", {"beta": 1.01}, "Invalid beta: 1.01 (must be in [0, 1])"),
        ("rprop", {"eta_minus": 1.0}, "Invalid eta_minus: 1 (must be in (0, 1))"),
        ("rprop", {"eta_plus": 0.9}, "Invalid eta_plus: 0.9 (must be in (1, inf))"),
        ("rprop", {"step_min": 2.0, "step_max": 1.0}, "step_min must not exceed step_max"),
        ("adam", {"beta2": 1.0}, "Invalid beta2: 1 (must be in [0, 1))"),
        ("momentum", {"nesterov": True, "dampening": 0.5}, "Nesterov momentum requires"),
        ("rmsprop", {"lr": np.array([0.1, -2.0])}, "Invalid lr: -2 (must be in (0, inf))"),
    ],
)
def test_invalid_hyperparameters_name_value_and_range(name, hyperparameters, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        rmsviz.run(name, "elliptic", steps=3, **hyperparameters)


def test_every_spec_is_consistent():
    """The factory's signature and the spec agree on every default, by name and value (the table is their
    one source), and a call without arguments steps as the spec's defaults do."""
    x, g = np.array([[-5.0, -2.0]]), np.array([[-1.0, -8.0]])
    for name, spec in OPTIMIZERS.items():
        assert spec.name == name
        parameters = inspect.signature(spec.factory).parameters.values()
        positional = {p.name: p.default for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD}
        keyword_only = {p.name: p.default for p in parameters if p.kind is p.KEYWORD_ONLY}
        assert list(positional.items()) == list(spec.defaults.items())
        assert keyword_only == spec.options
        bare, given = spec.factory(), spec.factory(**spec.defaults, **spec.options)
        np.testing.assert_array_equal(bare.update(g, bare.init(x))[0], given.update(g, given.init(x))[0])
        for h in spec.hyperparameters:
            h.check(h.default)
            assert h.low < h.high and h.symbol and h.doc
            assert h.minimum <= h.low and h.high <= h.maximum
            assert not h.log or h.low > 0


def test_a_factory_whose_parameters_are_not_its_tables_is_refused():
    def swapped(beta: float, lr: float):
        raise AssertionError("never called")

    with pytest.raises(TypeError, match="swapped's parameters are not its table's"):
        _defaults(MOMENTUM_HP[:2])(swapped)
    with pytest.raises(TypeError, match="not its table's and options' names"):
        _defaults(SGD_HP, nesterov=False)(lambda lr: None)
