"""The catalog: exact gradients and Hessians, minima that are minima, parameters, every surface in the engine."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rmsviz
from rmsviz.surfaces import SURFACES, Surface, quadratic
from rmsviz.surfaces.formula import parse_formula

NAMES = sorted(SURFACES)
PARAMETRIZED = [SURFACES["rotated"].with_params(theta=-30.0), SURFACES["quadratic"].with_params(kappa=500, theta=75)]
ALL = [SURFACES[name] for name in NAMES] + PARAMETRIZED


def points_in(surface):
    (x0, x1), (y0, y1) = surface.domain
    return st.tuples(st.floats(x0, x1), st.floats(y0, y1)).map(np.array)


def central_difference(function, xy, h=1e-6):
    """(f(x + h e_i) − f(x − h e_i)) / 2h for each coordinate i, stacked on the last axis."""
    steps = np.eye(2) * h
    return np.stack([(function(xy + e) - function(xy - e)) / (2 * h) for e in steps], -1)


@pytest.mark.parametrize("surface", ALL, ids=lambda s: f"{s.name}{dict(s.values) or ''}")
@settings(max_examples=25, deadline=None, derandomize=True)
@given(data=st.data())
def test_gradient_and_hessian_match_finite_differences(surface, data):
    xy = data.draw(points_in(surface))
    scale = 1 + np.abs(surface.grad(xy)).max()
    np.testing.assert_allclose(surface.grad(xy), central_difference(surface.f, xy), rtol=1e-6, atol=1e-6 * scale)
    hessian = surface.hessian(xy)
    np.testing.assert_allclose(hessian, hessian.T, rtol=1e-12, atol=1e-12)
    scale = 1 + np.abs(hessian).max()
    np.testing.assert_allclose(hessian, central_difference(surface.grad, xy), rtol=1e-5, atol=1e-5 * scale)


@pytest.mark.parametrize("surface", ALL, ids=lambda s: f"{s.name}{dict(s.values) or ''}")
def test_gradient_and_hessian_match_torch_autograd(surface):
    torch = pytest.importorskip("torch", reason="autograd needs torch")
    (x0, x1), (y0, y1) = surface.domain
    rng = np.random.default_rng(0)
    for xy in np.stack([rng.uniform(x0, x1, 8), rng.uniform(y0, y1, 8)], -1):
        point = torch.tensor(xy, dtype=torch.float64, requires_grad=True)
        (grad,) = torch.autograd.grad(surface.f(point), point, create_graph=True)
        hessian = torch.stack([torch.autograd.grad(grad[i], point, retain_graph=True)[0] for i in range(2)])
        np.testing.assert_allclose(surface.grad(xy), grad.detach().numpy(), rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(surface.hessian(xy), hessian.numpy(), rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(surface.grad(point.detach()).numpy(), surface.grad(xy), rtol=1e-14)


@pytest.mark.parametrize("surface", ALL, ids=lambda s: f"{s.name}{dict(s.values) or ''}")
def test_minima_are_minima_and_saddles_are_saddles(surface):
    for point in surface.minima:
        xy = np.array(point)
        assert np.abs(surface.grad(xy)).max() < 1e-8
        assert (np.linalg.eigvalsh(surface.hessian(xy)) > 0).all()
    for point in surface.saddles:
        xy = np.array(point)
        assert np.abs(surface.grad(xy)).max() < 1e-12
        eigenvalues = np.linalg.eigvalsh(surface.hessian(xy))
        assert eigenvalues.min() <= 0 <= eigenvalues.max()
    assert surface.minima or surface.saddles
    for start in surface.starts:
        (x0, x1), (y0, y1) = surface.domain
        assert x0 <= start[0] <= x1 and y0 <= start[1] <= y1


@settings(max_examples=50, deadline=None, derandomize=True)
@given(x=st.floats(-1e3, 1e3), y=st.floats(-1e3, 1e3), b=st.sampled_from([0.0, -0.7, 3.0]))
def test_quadratic_with_and_without_cross_term(x, y, b):
    """a x² + b x y + c y² as written; the elliptic bowl is d2l's 0.1x² + 2y² with gradient (0.2x, 4y), bit for bit."""
    f, grad, hessian = quadratic(0.1, b, 2.0)
    xy = np.array([x, y])
    assert f(xy) == pytest.approx(0.1 * x * x + b * x * y + 2.0 * y * y, rel=1e-14, abs=1e-12)
    np.testing.assert_allclose(grad(xy), [0.2 * x + b * y, b * x + 4.0 * y], rtol=1e-14, atol=1e-12)
    np.testing.assert_array_equal(hessian(xy), [[0.2, b], [b, 4.0]])
    elliptic = SURFACES["elliptic"]
    assert elliptic.f(xy) == 0.1 * x * x + 2 * y * y
    np.testing.assert_array_equal(elliptic.grad(xy), [0.2 * x, 4 * y])


@settings(max_examples=50, deadline=None, derandomize=True)
@given(x=st.floats(-1e3, 1e3), y=st.floats(-1e3, 1e3))
def test_rotated_at_45_degrees_is_the_d2l_exercise(x, y):
    """Bit for bit: the default surface is the exercise as written, not a rotation that rounds."""
    exercise = 0.1 * (x + y) ** 2 + 2 * (x - y) ** 2
    assert SURFACES["rotated"].f(np.array([x, y])) == exercise
    np.testing.assert_array_equal(
        SURFACES["rotated"].grad(np.array([x, y])), [0.2 * (x + y) + 4 * (x - y), 0.2 * (x + y) - 4 * (x - y)]
    )
    # a hair away from 45° the family is continuous: the same surface to rounding
    nearby = SURFACES["rotated"].with_params(theta=45.0 - 1e-13).f(np.array([x, y]))
    assert nearby == pytest.approx(exercise, rel=1e-12, abs=1e-9)


def test_parameters_build_the_right_surfaces():
    elliptic, quadratic = SURFACES["elliptic"], SURFACES["quadratic"].with_params(kappa=20.0, theta=0.0)
    xy = np.random.default_rng(1).normal(size=(10, 2))
    np.testing.assert_allclose(quadratic.f(xy), elliptic.f(xy), rtol=1e-12)
    # turning the bowl keeps its curvatures: the Hessian's eigenvalues do not depend on θ
    for theta in (-90.0, -20.0, 0.0, 33.0, 90.0):
        eigenvalues = np.linalg.eigvalsh(SURFACES["rotated"].with_params(theta=theta).hessian(np.zeros(2)))
        np.testing.assert_allclose(eigenvalues, [0.4, 8.0], rtol=1e-12)
    with pytest.raises(ValueError, match=r"Invalid theta: 400 \(must be in \[-90, 90\]\)"):
        SURFACES["rotated"].with_params(theta=400)
    with pytest.raises(ValueError, match="Unknown parameter for rotated: 'phi'"):
        SURFACES["rotated"].with_params(phi=1.0)
    for bad in (True, float("nan"), "30", None, 1e-3 - 1.0):
        with pytest.raises(ValueError, match="Invalid kappa"):
            SURFACES["quadratic"].with_params(kappa=bad)
    turned = SURFACES["quadratic"].with_params(theta=np.int64(10), kappa=np.float32(50))
    assert turned.values == {"kappa": 50.0, "theta": 10.0} and type(turned.values["theta"]) is float


@pytest.mark.parametrize("surface", ALL, ids=lambda s: f"{s.name}{dict(s.values) or ''}")
def test_every_surface_runs_on_both_backends(surface):
    """Each optimizer with the surface's suggested settings (the first picture the race page draws).

    torch's float64 sqrt on the CPU is not correctly rounded (about 1 value in 80 is an ulp away
    from NumPy's, which is), and a run that turns unstable near the minimum (RMSProp on the
    rotated bowl at η = 0.1 bounces out at step 95) multiplies that ulp sevenfold per step. So the
    surface itself is compared on every point of the run, and the runs over their first 30 steps.
    """
    torch = pytest.importorskip("torch", reason="the torch backend needs torch")
    assert set(surface.defaults) <= set(rmsviz.OPTIMIZERS) and surface.steps > 0
    for name in ("rmsprop", "sgd", *surface.defaults):
        settings = surface.defaults.get(name, {})
        numpy_run = rmsviz.run(name, surface, steps=surface.steps, **settings)
        torch_run = rmsviz.run(name, surface, steps=surface.steps, backend="torch", **settings)
        assert numpy_run.surface == torch_run.surface == surface.name
        assert np.isfinite(numpy_run.loss).all() and np.isfinite(torch_run.loss).all()
        np.testing.assert_allclose(numpy_run.path[:31], torch_run.path[:31], rtol=1e-12, atol=1e-12)
        points = torch.tensor(numpy_run.path)
        np.testing.assert_allclose(surface.f(points).numpy(), surface.f(numpy_run.path), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(surface.grad(points).numpy(), surface.grad(numpy_run.path), rtol=1e-12, atol=1e-12)


def first_picture(name, optimizer):
    surface = SURFACES[name]
    return rmsviz.run(optimizer, surface, steps=surface.steps, **surface.defaults.get(optimizer, {})).path


def test_the_first_pictures_show_what_the_surfaces_teach():
    # plateau: gradient descent stalls where the slope fades; RMSProp and Rprop reach the well
    assert np.linalg.norm(first_picture("plateau", "sgd")[-1]) > 4
    for name in ("rmsprop", "rprop"):
        assert np.linalg.norm(first_picture("plateau", name)[-1]) < 0.05
    # saddle: halfway, gradient descent sits in the saddle while RMSProp is long gone down the y direction
    sgd, rmsprop = first_picture("saddle", "sgd"), first_picture("saddle", "rmsprop")
    assert np.linalg.norm(sgd[30]) < 0.1 and abs(rmsprop[30, 1]) > 1
    # monkey saddle: gradient descent creeps along the ridge y = 0; RMSProp rolls into a valley (f < 0)
    sgd, rmsprop = first_picture("monkey", "sgd"), first_picture("monkey", "rmsprop")
    assert abs(sgd[-1, 1]) < 0.2 and SURFACES["monkey"].f(rmsprop[-1]) < -1
    # elliptic: d2l's numbers; RMSProp reaches the bottom where Adagrad's shrinking steps have not
    assert np.abs(first_picture("elliptic", "rmsprop")[-1]).max() < 0.01
    assert first_picture("elliptic", "adagrad")[-1, 0] < -1


def test_a_typed_formula_becomes_a_surface():
    """Surface.from_expression is the parsed Formula dressed as a catalog entry; the saddle typed by hand."""
    domain = ((-2, 2), (-1.5, 1.5))
    surface, formula = Surface.from_expression(" x**2 - y**2 ", domain), parse_formula("x**2 - y**2", domain)
    assert (surface.name, surface.title, surface.formula) == ("custom", "x**2 - y**2", "f(x, y) = {x}^{2} - {y}^{2}")
    assert surface.domain == formula.domain == ((-2.0, 2.0), (-1.5, 1.5)) and surface.starts == (formula.start,)
    assert "exact" in surface.teaches and not surface.params and surface.build is None
    xy = np.random.default_rng(5).normal(size=(7, 2))
    saddle = SURFACES["saddle"]
    for typed, written in ((surface.f, saddle.f), (surface.grad, saddle.grad), (surface.hessian, saddle.hessian)):
        np.testing.assert_array_equal(typed(xy), written(xy))


def test_covering_widens_the_plot_to_a_start_off_it_and_changes_nothing_else():
    surface = rmsviz.SURFACES["elliptic"]
    assert surface.covering(surface.starts[0]) is surface
    (x0, x1), (y0, y1) = surface.domain
    wide = surface.covering((x1 + 5, y0 - 1))
    (a0, a1), (b0, b1) = wide.domain
    assert (a0, b1) == (x0, y1) and a1 == pytest.approx(x1 + 5 + 0.1 * (x1 - x0))
    assert b0 == pytest.approx(y0 - 1 - 0.1 * (y1 - y0))
    point = np.array([1.5, -0.5])
    assert wide.f(point) == surface.f(point) and wide.name == surface.name
