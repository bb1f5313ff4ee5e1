"""The preconditioned sharpness against hand-computed eigenvalues, the thresholds against runs that cross
them, and the words held to the run they describe."""

import math

import numpy as np
import pytest

import rmsviz
from rmsviz.meaning import Meaning, descent_threshold
from rmsviz.optimizers import OPTIMIZERS, Hyperparameter
from rmsviz.stability import (
    UNKNOWN_FORM,
    explain,
    largest_eigenvalue,
    notes,
    rate_ceiling,
    stability,
    still_average,
    threshold,
)
from rmsviz.surfaces import SURFACES

ELLIPTIC = SURFACES["elliptic"]  # 0.1x² + 2y²: H = diag(0.2, 4)


def hessian_at_origin(name):
    return SURFACES[name].hessian(np.zeros(2))


@pytest.mark.parametrize(
    ("surface", "p", "expected"),
    [
        ("elliptic", (0.5, 0.25), 1.0),  # diag(0.1, 1.0)
        ("elliptic", (20.0, 0.1), 4.0),  # diag(4, 0.4): x is the sharp one now
        ("rotated", (1.0, 1.0), 8.0),  # H = [[4.2, −3.8], [−3.8, 4.2]]: eigenvalues 0.4 and 8
        ("rotated", (1.0, 2.0), 6.3 + math.sqrt(6.3**2 - 6.4)),  # tr = 12.6, det = 2(4.2² − 3.8²) = 6.4
        ("saddle", (0.1, 0.3), 0.2),  # diag(0.2, −0.6)
    ],
)
def test_largest_eigenvalue_by_hand(surface, p, expected):
    assert largest_eigenvalue(np.array(p), hessian_at_origin(surface)) == pytest.approx(expected, rel=1e-14)


def test_largest_eigenvalue_matches_numpy_over_a_batch():
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 3, (200, 2))
    a = rng.normal(size=(200, 2, 2))
    h = a + np.swapaxes(a, -1, -2)
    expected = np.linalg.eigvals(p[..., :, None] * h).real.max(-1)
    np.testing.assert_allclose(largest_eigenvalue(p, h), expected, rtol=1e-12, atol=1e-12)


def default_rmsprop(**settings):
    return rmsviz.run("rmsprop", ELLIPTIC, steps=50, record="all", **{"lr": 0.4, "gamma": 0.9, **settings})


def test_sharpness_on_the_elliptic_bowl_is_the_larger_rate_times_curvature():
    t = default_rmsprop()
    result = stability(t, ELLIPTIC)
    by_hand = np.maximum(t.effective_lr[1:, 0] * 0.2, t.effective_lr[1:, 1] * 4.0)
    np.testing.assert_allclose(result.sharpness[1:], by_hand, rtol=1e-14)
    assert np.isnan(result.sharpness[0]) and result.threshold == 2.0


def test_a_batch_gives_each_run_its_own_sharpness():
    lrs = np.array([0.1, 0.4, 0.7])
    batch = rmsviz.run("momentum", ELLIPTIC, steps=30, record="all", lr=lrs, beta=np.array([0.0, 0.5, 0.9]))
    result = stability(batch, ELLIPTIC)
    np.testing.assert_allclose(result.threshold, [2.0, 3.0, 3.8])
    for i, lr in enumerate(lrs):
        single = stability(
            rmsviz.run("momentum", ELLIPTIC, steps=30, record="all", lr=lr, beta=[0.0, 0.5, 0.9][i]), ELLIPTIC
        )
        np.testing.assert_allclose(result.sharpness[:, i], single.sharpness, equal_nan=True)


def grows(optimizer, rate, **settings):
    """Whether a run along y alone (curvature 4) ends farther out than it started."""
    t = rmsviz.run(optimizer, ELLIPTIC, start=(0.0, 1.0), steps=400, lr=rate / 4, **settings)
    return t.diverged or abs(t.path[-1, 1]) > 1.0


@pytest.mark.parametrize(
    ("settings", "optimizer"),
    [
        ({}, "sgd"),
        ({"beta": 0.5}, "momentum"),
        ({"beta": 0.9}, "momentum"),
        ({"beta": 0.5, "dampening": 0.0, "nesterov": True}, "momentum"),
        ({"beta": 0.9, "nesterov": True}, "momentum"),
    ],
)
def test_the_threshold_is_where_a_quadratic_starts_to_diverge(settings, optimizer):
    limit, _ = threshold(optimizer, settings)
    assert not grows(optimizer, 0.98 * limit, **settings)
    assert grows(optimizer, 1.02 * limit, **settings)


def test_momentum_with_dampening_crosses_at_the_same_sharpness():
    """P = η(1 − τ): dampening moves the η at which it diverges, not the threshold on P·H."""
    limit, rule = threshold("momentum", {"beta": 0.5})
    assert rule == "2(1 + β)"
    assert not grows("momentum", 0.98 * limit / 0.5, beta=0.5, dampening=0.5)
    assert grows("momentum", 1.02 * limit / 0.5, beta=0.5, dampening=0.5)


def test_adams_threshold_with_its_rate_held_fixed():
    """m ← β₁ m + (1 − β₁) g, x ← x − p m on f = h x²/2 stays bounded just below 2(1 + β₁)/(1 − β₁) and not above."""
    beta1 = 0.9
    limit, _ = threshold("adam", {"beta1": beta1})
    assert limit == pytest.approx(38.0)

    def final(a):
        x, m = 1.0, 0.0
        for _ in range(2000):
            m = beta1 * m + (1 - beta1) * x  # h = 1, p = a
            x -= a * m
        return abs(x)

    assert final(0.98 * limit) < 1 and final(1.02 * limit) > 1


def test_rprop_has_no_threshold_and_says_why():
    t = rmsviz.run("rprop", ELLIPTIC, steps=20, record="all", lr=0.1)
    assert stability(t, ELLIPTIC) is None and explain(t, ELLIPTIC, "Rprop") is None
    assert notes([t, t], ["Rprop", "Rprop #2"], ELLIPTIC) == [OPTIMIZERS["rprop"].meaning.no_threshold]
    assert "sign(g)" in OPTIMIZERS["rprop"].meaning.no_threshold


def test_the_bounce_is_explained_with_the_runs_numbers():
    t = default_rmsprop()
    message = explain(t, ELLIPTIC, "RMSProp")
    best = int(np.argmin(t.loss))
    past = t.effective_lr[:, 1] * 4 > 2
    k = best + 1
    while past[k - 1]:
        k -= 1
    assert past[k : best + 2].all() and not past[k - 1]
    for fragment in (
        f"lowest loss, {t.loss[best]:.2g}, at step {best}",
        f"rose to {t.loss[-1]:.2g} by step 50",
        f"At step {k} it went past its stability threshold 2 in y",
        f"s = {t.state['s'][k, 1]:.2g} is still far above ε = 1e-06",
        f"η/√ε is {0.4 / math.sqrt(1e-6):.3g}",
        f"η/√(s + ε) = {0.4 / math.sqrt(t.state['s'][k, 1] + 1e-6):.3g}",
        "∂²f/∂y² = 4",
        f"is {t.effective_lr[k, 1] * 4:.3g}.",
    ):
        assert fragment in message


@pytest.mark.parametrize(("eps_in_sqrt", "ceiling", "words"), [(True, 400.0, "η/√ε"), (False, 4e5, "η/ε")])
def test_gamma_one_rides_the_epsilon_ceiling(eps_in_sqrt, ceiling, words):
    t = default_rmsprop(gamma=1.0, eps_in_sqrt=eps_in_sqrt)
    assert rate_ceiling("rmsprop", t.hyperparameters) == pytest.approx(ceiling)
    np.testing.assert_allclose(t.effective_lr[1], ceiling)
    message = explain(t, ELLIPTIC, "RMSProp")
    assert f"diverged at step {t.diverged_at}" in message
    assert "At step 1" in message and "s = 0 has fallen to the size of ε" in message
    assert f"{words} is {ceiling:.3g}" in message
    root = words.replace("η/", "η·g/")
    assert still_average("rmsprop", t.hyperparameters).endswith(
        f"never moves off 0, so every step is {root}: {ceiling:.3g} times the gradient"
    )
    assert still_average("rmsprop", {"gamma": 0.9}) is None and still_average("adagrad", {}) is None


def test_a_run_that_keeps_falling_needs_no_words():
    t = rmsviz.run("adagrad", ELLIPTIC, steps=50, record="all", lr=0.4)
    assert explain(t, ELLIPTIC, "Adagrad") is None


def test_a_rise_below_the_threshold_is_not_blamed_on_it():
    t = rmsviz.run("adam", ELLIPTIC, steps=50, record="all", lr=0.4)
    message = explain(t, ELLIPTIC, "Adam")
    peak = np.nanmax(stability(t, ELLIPTIC).sharpness)
    assert "stayed below its threshold 2(1 + β₁)/(1 − β₁) = 38" in message and f"at most {peak:.3g}" in message


def test_a_typed_rule_has_no_threshold_and_says_why():
    """A rule's form is unknown (the momentum starter is heavy ball, threshold 3, not 2): no threshold."""
    from rmsviz import stability

    rule = rmsviz.parse_rule("s = gamma * s + (1 - gamma) * g * g\nx = x - lr * g / sqrt(s + eps)", state="s = 0")
    t = rmsviz.run(rule.spec(), "elliptic", steps=20, record="all")
    assert stability.threshold(t.optimizer, t.hyperparameters) is None
    assert stability.stability(t, SURFACES["elliptic"]) is None
    assert stability.notes([t], ["Your rule"], SURFACES["elliptic"]) == [
        stability.UNKNOWN_FORM.format(label="Your rule")
    ]


def plain_descent(name: str):
    """x ← x − η g as rmsviz.optimizer() makes it: a spec that says nothing of what it means."""
    lr = Hyperparameter("lr", 0.4, 1e-4, 10.0, True, "η", "learning rate", open_min=True)
    return rmsviz.optimizer(name, lambda x, lr: {}, lambda g, state, lr: (-lr * g, state), [lr])


def test_an_optimizer_whose_spec_says_nothing_is_unknown_everywhere():
    spec = plain_descent("plain")
    t = rmsviz.run(spec, ELLIPTIC, steps=20, record="all", lr=0.6)
    for optimizer in (spec, t.optimizer):
        assert threshold(optimizer, t.hyperparameters) is None
        assert (
            rate_ceiling(optimizer, t.hyperparameters) is None and still_average(optimizer, t.hyperparameters) is None
        )
    assert stability(t, ELLIPTIC) is None and explain(t, ELLIPTIC, "Plain") is None
    assert notes([t], ["Plain"], ELLIPTIC) == [UNKNOWN_FORM.format(label="Plain")]


def test_a_new_optimizer_is_one_entry_in_the_table(monkeypatch):
    """A spec that says what it means, added to OPTIMIZERS and nowhere else, is explained like SGD."""
    spec = plain_descent("plain")._replace(meaning=Meaning(threshold=descent_threshold))
    monkeypatch.setitem(OPTIMIZERS, "plain", spec)
    t = rmsviz.run("plain", ELLIPTIC, steps=20, record="all", lr=0.6)  # 0.6 · 4 = 2.4 > 2: y bounces away
    sgd = rmsviz.run("sgd", ELLIPTIC, steps=20, record="all", lr=0.6)
    np.testing.assert_array_equal(stability(t, ELLIPTIC).sharpness, stability(sgd, ELLIPTIC).sharpness)
    assert explain(t, ELLIPTIC, "Plain") == explain(sgd, ELLIPTIC, "Plain")
    assert "went past its stability threshold 2 in y" in notes([t], ["Plain"], ELLIPTIC)[0]
