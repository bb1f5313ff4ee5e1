"""A run in its optimizer's coordinates (rmsviz.preconditioning, issue 26): P_t is the step-size matrix each
step applied, the mapped path lies on the contours the twin panel draws, and κ agrees with an eigenvalue
computation written here (numpy.linalg.eigvalsh on the explicit matrix)."""

import base64

import numpy as np
import pytest

import rmsviz
from rmsviz import figures
from rmsviz.figures.preconditioned import condition_figure, twin_figure
from rmsviz.figures.race import race_figure
from rmsviz.figures.theme import CONTOUR
from rmsviz.optimizers import OPTIMIZERS
from rmsviz.preconditioning import Preconditioning, condition_number, no_preconditioner, preconditioning, summary
from rmsviz.rules import parse_rule
from rmsviz.studies.race import race_defaults
from rmsviz.surfaces import SURFACES

STEPS = 30
RULE = parse_rule("s = gamma * s + (1 - gamma) * g**2\nx = x - lr * g / sqrt(s + eps)", "s = 0")
# Every optimizer whose recorded rate is a diagonal preconditioner: the built-ins but Rprop, and a typed rule.
WITH_PRECONDITIONER = [name for name in OPTIMIZERS if not no_preconditioner(name)] + [RULE.spec("rule")]
QUADRATIC, NOT_QUADRATIC = ("elliptic", "rotated"), ("rosenbrock", "himmelblau", "saddle", "camel")


def explicit_kappa(p: np.ndarray, h: np.ndarray) -> float:
    """κ(P^½HP^½) from the eigenvalues of the explicit matrix."""
    root = np.diag(np.sqrt(p))
    magnitudes = np.abs(np.linalg.eigvalsh(root @ h @ root))
    return magnitudes.max() / magnitudes.min()


def run(optimizer, surface: str, steps: int = STEPS, **settings) -> tuple[rmsviz.Trajectory, Preconditioning]:
    """A run as the race starts it: the race's settings for the optimizer on the surface, then ``settings``."""
    s = SURFACES[surface]
    defaults = race_defaults(optimizer, s) if isinstance(optimizer, str) else {}
    t = rmsviz.run(optimizer, s, start=s.starts[0], steps=steps, record="all", **{**defaults, **settings})
    return t, preconditioning(t, s)


def name_of(optimizer) -> str:
    return optimizer if isinstance(optimizer, str) else optimizer.name


@pytest.mark.parametrize("surface", QUADRATIC + NOT_QUADRATIC)
@pytest.mark.parametrize("optimizer", WITH_PRECONDITIONER, ids=name_of)
def test_the_mapped_point_lies_on_the_contour_of_its_loss(optimizer, surface):
    """At every frame k, each point of the path mapped into step k's coordinates has, on the surface those
    coordinates show (f̃(z) = f(P_k^½ z)), the loss the run recorded there."""
    t, seen = run(optimizer, surface)
    s = SURFACES[surface]
    assert seen is not None and seen.known
    for k in range(len(t.path)):
        z = seen.to_coordinates(t.path, k)
        np.testing.assert_allclose(s.f(seen.from_coordinates(z, k)), t.loss, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("optimizer", ["sgd", "rmsprop", "adagrad", "adadelta", RULE.spec("rule")], ids=name_of)
def test_in_its_coordinates_a_step_is_plain_gradient_descent(optimizer):
    """For x ← x − P g, the step in z = P^(−½)x is −∇f̃(z) = −P^½ g: P is the step's own matrix."""
    t, seen = run(optimizer, "rosenbrock")
    assert not t.diverged
    for k in range(1, STEPS + 1):
        z = seen.to_coordinates(t.path, k)
        np.testing.assert_allclose(z[k] - z[k - 1], -np.sqrt(seen.rates[k]) * t.grads[k], rtol=1e-9, atol=1e-14)


def test_p_is_each_optimizers_step_size_matrix():
    """diag(P_t) as the sources write it, from the run's own state and gradients: η/√(s_t + ε) for RMSProp,
    η/√(Σg² + ε) for Adagrad, η for gradient descent and momentum, η/(1 − β₁ᵗ)/(√v̂ + ε) for Adam."""
    t, rms = run("rmsprop", "elliptic", lr=0.4, gamma=0.9)
    np.testing.assert_allclose(rms.rates[1:], 0.4 / np.sqrt(t.state["s"][1:] + 1e-6), rtol=1e-12)
    t, ada = run("adagrad", "elliptic", lr=0.4)
    np.testing.assert_allclose(ada.rates[1:], 0.4 / np.sqrt(np.cumsum(t.grads[1:] ** 2, axis=0) + 1e-6), rtol=1e-12)
    for name in ("sgd", "momentum"):
        t, seen = run(name, "elliptic", lr=0.05)
        np.testing.assert_allclose(seen.rates[1:], 0.05, rtol=1e-15)
    t, adam = run("adam", "elliptic", lr=0.4)
    k = np.arange(1, STEPS + 1)[:, None]
    v_hat = np.sqrt(t.state["v"][1:] / (1 - 0.999**k))
    np.testing.assert_allclose(adam.rates[1:], 0.4 / (1 - 0.9**k) / (v_hat + 1e-6), rtol=1e-12)
    assert np.isnan(rms.rates[0]).all()


def test_rprop_has_none_and_says_why():
    assert run("rprop", "elliptic")[1] is None
    assert "sign(g)·Δ" in no_preconditioner("rprop") and not no_preconditioner("rmsprop")


@pytest.mark.parametrize("surface", QUADRATIC + NOT_QUADRATIC)
def test_kappa_against_eigenvalues_for_100_random_states(surface):
    """κ(H) and κ(P^½HP^½) at 100 random points and step sizes (log-uniform over five decades)."""
    rng = np.random.default_rng(26)
    s = SURFACES[surface]
    (x0, x1), (y0, y1) = s.domain
    points = np.stack([rng.uniform(x0, x1, 100), rng.uniform(y0, y1, 100)], -1)
    p = 10.0 ** rng.uniform(-3, 2, (100, 2))
    h = s.hessian(points)
    expected = [explicit_kappa(pi, hi) for pi, hi in zip(p, h, strict=True)]
    plain = [explicit_kappa(np.ones(2), hi) for hi in h]
    np.testing.assert_allclose(condition_number(p, h), expected, rtol=1e-8)
    np.testing.assert_allclose(condition_number(np.ones(2), h), plain, rtol=1e-8)


@pytest.mark.parametrize("surface", ("rotated", "rosenbrock"))
@pytest.mark.parametrize("optimizer", ["rmsprop", "adam", RULE.spec("rule")], ids=name_of)
def test_kappa_per_step_of_a_run(optimizer, surface):
    """κ of step k: P_k with the Hessian at x_{k−1}, the point whose gradient step k used."""
    t, seen = run(optimizer, surface)
    s = SURFACES[surface]
    for k in range(1, STEPS + 1):
        h = s.hessian(t.path[k - 1])
        assert seen.plain[k] == pytest.approx(explicit_kappa(np.ones(2), h), rel=1e-8)
        assert seen.seen[k] == pytest.approx(explicit_kappa(seen.rates[k], h), rel=1e-8)
    assert np.isnan(seen.plain[0]) and np.isnan(seen.seen[0])


def test_the_sentence_holds_of_the_run():
    """Elliptic and rotated bowl, RMSProp with d2l's settings: the numbers the page writes under the κ chart."""
    t, elliptic = run("rmsprop", "elliptic", steps=20, lr=0.4, gamma=0.9)
    words = summary(elliptic, "RMSProp")
    kappa = [explicit_kappa(elliptic.rates[k], SURFACES["elliptic"].hessian(t.path[k - 1])) for k in range(1, 21)]
    settled = max(k for k in range(1, 21) if abs(kappa[k - 1] / kappa[-1] - 1) > 0.05) + 1
    assert "κ(H) is 20 at every step" in words
    assert f"{kappa[0]:.3g} at step 1; from step {settled} on it stays within 5% of {kappa[-1]:.3g}" in words
    assert f"κ divided by {20 / kappa[-1]:.3g}" in words
    _, rotated = run("rmsprop", "rotated", steps=20, lr=0.4, gamma=0.9)
    assert "do not round this landscape" in summary(rotated, "RMSProp")
    _, momentum = run("momentum", "rotated", steps=20)
    assert "κ(P^½HP^½) = κ(H)" in summary(momentum, "Momentum")


def test_a_diverged_run_keeps_its_last_coordinates():
    t, seen = run("sgd", "elliptic", lr=3.0)
    assert t.diverged
    assert np.isnan(seen.rates[t.diverged_at :]).all()
    np.testing.assert_array_equal(seen.frame_rates(len(t.path) - 1), seen.rates[t.diverged_at - 1])


# --- the figures ---------------------------------------------------------------------------------------


def unpacked(array) -> np.ndarray:
    """A twin trace's points as sent: float32, base64."""
    return np.frombuffer(base64.b64decode(array["bdata"]), np.float32)


def test_the_twin_figure_beside_the_race():
    """The race's traces and frames as they are, then the twin panel's on x2/y2: one per contour level, the
    minimum, the path, the point shown and the step as an arrow; each frame moves them to its own step's
    coordinates, in a square window."""
    s = SURFACES["elliptic"]
    runs = [rmsviz.run(o, s, start=s.starts[0], steps=20, record="all") for o in ("rmsprop", "momentum")]
    styles = [figures.style(o, o) for o in ("rmsprop", "momentum")]
    seen = preconditioning(runs[0], s)
    race, twin = race_figure(s, runs, styles), twin_figure(s, runs, styles, 0, seen)
    assert len(twin.data) > len(race.data)
    assert [f.name for f in twin.frames] == [f.name for f in race.frames]
    added = twin.data[len(race.data) :]
    assert {(t.xaxis, t.yaxis) for t in added} == {("x2", "y2")}
    assert [t.marker.symbol for t in added[-4:]] == ["star", styles[0].symbol, styles[0].symbol, ("circle", "arrow")]
    places = [t.meta[CONTOUR] for t in added[:-4]]  # where a dark theme recolours each level, as the race's
    assert places == sorted(places) and places[0] == 0 and places[-1] <= 1
    for frame in twin.frames:
        k = int(frame.name)
        indices = list(frame.traces)
        assert indices[len(runs) :] == list(range(len(race.data), len(twin.data)))
        *_, path, point, arrow = frame.data
        z = seen.to_coordinates(runs[0].path, k)
        np.testing.assert_allclose(unpacked(path.x), z[:, 0], rtol=1e-6)
        np.testing.assert_allclose(unpacked(point.y), z[k : k + 1, 1], rtol=1e-6)
        np.testing.assert_allclose(unpacked(arrow.x), z[max(k - 1, 0) : k + 1, 0] if k else [], rtol=1e-6)
        (x_low, x_high), (y_low, y_high) = frame.layout.xaxis2.range, frame.layout.yaxis2.range
        assert x_high - x_low == pytest.approx(y_high - y_low)  # one scale for z_x and z_y


def test_the_twin_contours_are_the_surface_in_its_coordinates():
    """Every point of a level's line in frame k, mapped back by P_k^½, lies on that level of the surface
    (to the contour tracer's interpolation on its grid, and float32)."""
    s = SURFACES["rotated"]
    t = rmsviz.run("rmsprop", s, start=s.starts[0], steps=20, record="all", lr=0.4, gamma=0.9)
    seen = preconditioning(t, s)
    twin = twin_figure(s, [t], [figures.style("rmsprop", "RMSProp")], 0, seen)
    contours = [trace for trace in twin.data if trace.xaxis == "x2" and trace.mode == "lines"]
    levels = [float(trace.text.removeprefix("f = ")) for trace in contours]
    span = max(levels) - min(levels)
    for frame in twin.frames[::5]:
        k = int(frame.name)
        for level, trace in zip(levels, frame.data[1 : 1 + len(levels)], strict=True):
            z = np.stack([unpacked(trace.x), unpacked(trace.y)], -1).astype(float)
            z = z[np.isfinite(z).all(-1)]
            assert np.abs(s.f(seen.from_coordinates(z, k)) - level).max() < 2e-3 * span


def test_the_condition_chart():
    _, seen = run("rmsprop", "rotated", steps=20, lr=0.4, gamma=0.9)
    figure = condition_figure(seen, figures.style("rmsprop", "RMSProp"))
    plain, mine = figure.data
    np.testing.assert_array_equal(plain.y, seen.plain[1:])
    np.testing.assert_array_equal(mine.y, seen.seen[1:])
    assert list(mine.x) == list(range(1, 21)) and figure.layout.yaxis.type == "log"
