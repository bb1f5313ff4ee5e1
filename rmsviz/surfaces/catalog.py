"""The catalog: every named surface, with its domain, starts, minima and what it teaches.

A surface's ``teaches`` is shown above any race on it, at any start, steps, parameters and racers, so it says
only what holds at all of them; what one race shows there, with its numbers, is a claim bound to that race
(rmsviz.studies.captions)."""

from __future__ import annotations

import math

from rmsviz.backend import namespace
from rmsviz.i18n import N_
from rmsviz.surfaces.surface import Param, Surface, constant, quadratic, rows, squares


def rotated(theta: float = 45.0) -> Surface:
    """d2l's exercise 0.1(x + y)² + 2(x − y)², with its axes at any angle θ.

    f = 0.1p² + 2q² with p = √2(x cos θ + y sin θ), q = √2(x sin θ − y cos θ): the bowl 0.2u² + 4v²
    (curvatures 0.4 and 8) turned by θ. At 45°, p = x + y and q = x − y are used as written, so the
    default surface is the exercise itself, to the last bit (a rounded √2·cos 45° would not be).
    """
    t = math.radians(theta)
    c, s = (1.0, 1.0) if theta == 45.0 else (math.sqrt(2) * math.cos(t), math.sqrt(2) * math.sin(t))
    formula = (
        r"f = 0.1(x + y)^2 + 2(x - y)^2" if theta == 45.0 else rf"f = 0.2u^2 + 4v^2,\ \text{{axes at }} {theta:g}^\circ"
    )
    return Surface(
        "rotated", "Rotated bowl", formula, *squares(0.1, (c, s), 2.0, (s, -c)),
        domain=((-5.0, 5.0), (-5.0, 5.0)), starts=((-4.0, -1.0),), minima=((0.0, 0.0),),
        teaches=N_("The elliptic bowl's shape, twice as steep (curvatures 0.4 and 8), with its axes turned by θ "
        "(45°, its long axis diagonal, is d2l's exercise 2). Per-coordinate methods scale x and y, not the "
        "bowl's own axes: the further θ is from 0° and ±90°, the more the steep direction's large gradients fill "
        "both coordinates' averages, and the less the adaptivity that helped on the elliptic bowl helps."),
        defaults={"rmsprop": {"lr": 0.1}, "adagrad": {"lr": 0.4}, "momentum": {"lr": 0.02}, "sgd": {"lr": 0.05}},
        params={"theta": Param(45.0, -90.0, 90.0, N_("angle of the bowl's axes, in degrees"))},
        values={"theta": theta}, build=rotated,
    )  # fmt: skip


def conditioned(kappa: float = 20.0, theta: float = 30.0) -> Surface:
    """½ xᵀA x with A's eigenvalues 4/κ and 4 along axes turned by θ (κ = 20, θ = 0 is the elliptic bowl).

    That is (2/κ)u² + 2v² with u = x cos θ + y sin θ, v = x sin θ − y cos θ.
    """
    t = math.radians(theta)
    return Surface(
        "quadratic", "Quadratic ½xᵀAx", rf"f = \tfrac12 x^\top A x,\ \kappa(A) = {kappa:g},\ \theta = {theta:g}^\circ",
        *squares(2 / kappa, (math.cos(t), math.sin(t)), 2.0, (math.sin(t), -math.cos(t))),
        domain=((-5.0, 5.0), (-5.0, 5.0)), starts=((-4.0, 3.0),), minima=((0.0, 0.0),),
        teaches=N_("A general quadratic: its condition number κ (ratio of largest to smallest curvature) sets how "
        "hard it is for gradient descent, and its angle says whether the long axis lines up with a "
        "coordinate. Turn θ to 0 and per-coordinate methods shine; turn it to 45° and they do not."),
        defaults={
            "sgd": {"lr": 0.2}, "momentum": {"lr": 0.1, "beta": 0.5}, "rmsprop": {"lr": 0.1}, "adagrad": {"lr": 0.5},
        },
        params={
            "kappa": Param(20.0, 1.0, 1000.0, N_("condition number of A"), log=True),
            "theta": Param(30.0, -90.0, 90.0, N_("angle of A's eigenvectors, in degrees")),
        },
        values={"kappa": kappa, "theta": theta}, build=conditioned,
    )  # fmt: skip


def _monkey(xy):
    x, y = xy[..., 0], xy[..., 1]
    return x**3 - 3 * x * y**2


def _monkey_grad(xy):
    x, y = xy[..., 0], xy[..., 1]
    return namespace(xy).stack([3 * x**2 - 3 * y**2, -6 * x * y], -1)


def _monkey_hessian(xy):
    x, y = xy[..., 0], xy[..., 1]
    return rows(xy, (6 * x, -6 * y), (-6 * y, -6 * x))


def _rosenbrock(xy):
    x, y = xy[..., 0], xy[..., 1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_grad(xy):
    x, y = xy[..., 0], xy[..., 1]
    return namespace(xy).stack([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)], -1)


def _rosenbrock_hessian(xy):
    x, y = xy[..., 0], xy[..., 1]
    return rows(xy, (2 - 400 * y + 1200 * x**2, -400 * x), (-400 * x, constant(xy, 200.0)))


def _beale_terms(xy):
    """(t_i, ∂t_i/∂x, ∂t_i/∂y, i) with t_i = c_i − x + x yⁱ: ∂t_i/∂x = yⁱ − 1, ∂t_i/∂y = i x yⁱ⁻¹."""
    x, y = xy[..., 0], xy[..., 1]
    return [(c - x + x * y**i, y**i - 1, i * x * y ** (i - 1), i) for i, c in ((1, 1.5), (2, 2.25), (3, 2.625))]


def _beale(xy):
    return sum(t * t for t, *_ in _beale_terms(xy))


def _beale_grad(xy):
    terms = _beale_terms(xy)
    return namespace(xy).stack([sum(2 * t * dx for t, dx, _, _ in terms), sum(2 * t * dy for t, _, dy, _ in terms)], -1)


def _beale_hessian(xy):
    """Σ 2(∇t ∇tᵀ + t ∇²t), with ∂²t/∂x² = 0, ∂²t/∂x∂y = i yⁱ⁻¹, ∂²t/∂y² = i(i − 1) x yⁱ⁻²."""
    x, y = xy[..., 0], xy[..., 1]
    terms = _beale_terms(xy)
    dxx = sum(2 * dx * dx for _, dx, _, _ in terms)
    dxy = sum(2 * (dx * dy + t * i * y ** (i - 1)) for t, dx, dy, i in terms)
    dyy = sum(2 * (dy * dy + t * i * (i - 1) * x * y ** max(i - 2, 0)) for t, _, dy, i in terms)
    return rows(xy, (dxx, dxy), (dxy, dyy))


def _himmelblau(xy):
    x, y = xy[..., 0], xy[..., 1]
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _himmelblau_grad(xy):
    x, y = xy[..., 0], xy[..., 1]
    a, b = x**2 + y - 11, x + y**2 - 7
    return namespace(xy).stack([4 * x * a + 2 * b, 2 * a + 4 * y * b], -1)


def _himmelblau_hessian(xy):
    x, y = xy[..., 0], xy[..., 1]
    a, b = x**2 + y - 11, x + y**2 - 7
    return rows(xy, (4 * a + 8 * x**2 + 2, 4 * x + 4 * y), (4 * x + 4 * y, 2 + 4 * b + 8 * y**2))


TAU = 2 * math.pi


def _rastrigin(xy):
    xp = namespace(xy)
    x, y = xy[..., 0], xy[..., 1]
    return 20 + x**2 + y**2 - 10 * (xp.cos(TAU * x) + xp.cos(TAU * y))


def _rastrigin_grad(xy):
    return 2 * xy + 10 * TAU * namespace(xy).sin(TAU * xy)


def _rastrigin_hessian(xy):
    diagonal = 2 + 10 * TAU**2 * namespace(xy).cos(TAU * xy)
    zero = constant(xy, 0.0)
    return rows(xy, (diagonal[..., 0], zero), (zero, diagonal[..., 1]))


def _camel(xy):
    x, y = xy[..., 0], xy[..., 1]
    return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


def _camel_grad(xy):
    x, y = xy[..., 0], xy[..., 1]
    return namespace(xy).stack([8 * x - 8.4 * x**3 + 2 * x**5 + y, x - 8 * y + 16 * y**3], -1)


def _camel_hessian(xy):
    x, y = xy[..., 0], xy[..., 1]
    return rows(xy, (8 - 25.2 * x**2 + 10 * x**4, constant(xy, 1.0)), (constant(xy, 1.0), -8 + 48 * y**2))


def _valley(xy):
    """0.01(x − 5)² + 5(y − 0.2x + 1)²: a long floor sloping gently to (5, 0) between steep walls."""
    x, y = xy[..., 0], xy[..., 1]
    return 0.01 * (x - 5) ** 2 + 5 * (y - 0.2 * x + 1) ** 2


def _valley_grad(xy):
    x, y = xy[..., 0], xy[..., 1]
    wall = y - 0.2 * x + 1
    return namespace(xy).stack([0.02 * (x - 5) - 2 * wall, 10 * wall], -1)


def _valley_hessian(xy):
    return rows(xy, (constant(xy, 0.42), constant(xy, -2.0)), (constant(xy, -2.0), constant(xy, 10.0)))


def _plateau(xy):
    """1 − exp(−(x² + y²)/4): a well in a plateau whose slope fades like exp(−r²/4). Written −expm1(−r²/4):
    near the well 1 − exp(−r²/4) rounds to 0 (a loss of 3e-17 would read 0)."""
    x, y = xy[..., 0], xy[..., 1]
    return -namespace(xy).expm1(-(x**2 + y**2) / 4)


def _plateau_grad(xy):
    x, y = xy[..., 0], xy[..., 1]
    return namespace(xy).exp(-(x**2 + y**2) / 4)[..., None] * xy / 2


def _plateau_hessian(xy):
    x, y = xy[..., 0], xy[..., 1]
    e = namespace(xy).exp(-(x**2 + y**2) / 4)
    return rows(xy, (e * (0.5 - x**2 / 4), -e * x * y / 4), (-e * x * y / 4, e * (0.5 - y**2 / 4)))


HIMMELBLAU_MINIMA = (
    (3.0, 2.0),
    (-2.805118086952745, 3.131312518250573),
    (-3.779310253377747, -3.283185991286170),
    (3.584428340330492, -1.848126526964404),
)
CAMEL_MINIMA = ((0.08984201368301331, -0.7126564032704135), (-0.08984201368301331, 0.7126564032704135))

# fmt: off
SURFACES: dict[str, Surface] = {
    s.name: s
    for s in (
        Surface(
            "elliptic", "Elliptical quadratic", r"f(x, y) = 0.1x^2 + 2y^2", *quadratic(0.1, 0.0, 2.0),
            domain=((-5.5, 1.0), (-3.0, 1.5)), starts=((-5.0, -2.0),), minima=((0.0, 0.0),),
            teaches=N_("d2l's bowl: y's curvature is 20 times x's. One learning rate cannot suit both: small enough "
            "for y, it crawls along x. RMSProp and Adagrad divide each coordinate by its own gradient scale."),
            defaults={
                "rmsprop": {"lr": 0.4, "gamma": 0.9}, "adagrad": {"lr": 0.4}, "momentum": {"lr": 0.4, "beta": 0.5},
            },
            steps=50,
        ),
        rotated(),
        conditioned(),
        Surface(
            "saddle", "Saddle", r"f(x, y) = x^2 - y^2", *quadratic(1.0, 0.0, -1.0),
            domain=((-2.0, 2.0), (-2.0, 2.0)), starts=((-1.5, 1e-3),), saddles=((0.0, 0.0),),
            teaches=N_("A saddle point: downhill in y, uphill in x."),
            defaults={"sgd": {"lr": 0.05}, "momentum": {"lr": 0.05, "beta": 0.5}, "rmsprop": {"lr": 0.05},
                      "adagrad": {"lr": 0.1}},
            steps=60,
        ),
        Surface(
            "monkey", "Monkey saddle", r"f(x, y) = x^3 - 3xy^2", _monkey, _monkey_grad, _monkey_hessian,
            domain=((-2.0, 2.0), (-2.0, 2.0)), starts=((1.5, 1e-3),), saddles=((0.0, 0.0),),
            teaches=N_("A saddle with three valleys going down (room for a monkey's tail); at the origin gradient "
            "and curvature both vanish. Downhill never ends here: a run that keeps going down diverges."),
            defaults={"sgd": {"lr": 0.05}, "momentum": {"lr": 0.02, "beta": 0.5}, "rmsprop": {"lr": 0.02},
                      "adagrad": {"lr": 0.05}},
            steps=60,
        ),
        Surface(
            "rosenbrock", "Rosenbrock", r"f(x, y) = (1 - x)^2 + 100(y - x^2)^2",
            _rosenbrock, _rosenbrock_grad, _rosenbrock_hessian,
            domain=((-2.0, 2.0), (-1.0, 3.0)), starts=((-1.5, 2.0),), minima=((1.0, 1.0),), log_contours=True,
            teaches=N_("A curved, narrow, nearly flat valley: finding it is easy, following its bend to (1, 1) is "
            "hard. Steps large enough to travel along the floor bounce off the steep walls."),
            defaults={"rmsprop": {"lr": 0.01}, "adagrad": {"lr": 0.1}, "momentum": {"lr": 1e-3}, "sgd": {"lr": 1e-3}},
            steps=500,
        ),
        Surface(
            "beale", "Beale", r"f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
            _beale, _beale_grad, _beale_hessian,
            domain=((-4.5, 4.5), (-4.5, 4.5)), starts=((1.0, 1.5),), minima=((3.0, 0.5),), log_contours=True,
            teaches=N_("Flat plains and sharp ridges near the corners: gradients range over many orders of magnitude, "
            "which is where scaling each step by the gradient's size pays off."),
            defaults={"rmsprop": {"lr": 0.01}, "adagrad": {"lr": 0.1}, "momentum": {"lr": 1e-3}, "sgd": {"lr": 1e-3}},
            steps=300,
        ),
        Surface(
            "himmelblau", "Himmelblau", r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
            _himmelblau, _himmelblau_grad, _himmelblau_hessian,
            domain=((-5.0, 5.0), (-5.0, 5.0)), starts=((-0.5, -0.5),), minima=HIMMELBLAU_MINIMA, log_contours=True,
            teaches=N_("Four equal minima: which one a method reaches depends on the start and on the method. Click "
            "different starts and watch the racers split up."),
            defaults={"rmsprop": {"lr": 0.05}, "adagrad": {"lr": 0.4}, "momentum": {"lr": 0.005}, "sgd": {"lr": 0.01}},
        ),
        Surface(
            "rastrigin", "Rastrigin", r"f = 20 + x^2 + y^2 - 10(\cos 2\pi x + \cos 2\pi y)",
            _rastrigin, _rastrigin_grad, _rastrigin_hessian,
            domain=((-4.0, 4.0), (-4.0, 4.0)), starts=((-3.2, 2.8),), minima=((0.0, 0.0),),
            teaches=N_("A bowl covered in local minima. A method that follows the local gradient in small steps is "
            "trapped in the nearest dimple; steps large enough to jump a dimple can get further."),
            defaults={"rmsprop": {"lr": 0.05}, "adagrad": {"lr": 0.2}, "momentum": {"lr": 0.002}, "sgd": {"lr": 0.002}},
        ),
        Surface(
            "camel", "Six-hump camel", r"f = (4 - 2.1x^2 + x^4/3)x^2 + xy + (4y^2 - 4)y^2",
            _camel, _camel_grad, _camel_hessian,
            domain=((-2.0, 2.0), (-1.2, 1.2)), starts=((-1.6, 0.9),), minima=CAMEL_MINIMA,
            teaches=N_("Six humps, two global minima and four local ones: a small landscape with every kind of "
            "trap, good for comparing where the methods end up."),
            defaults={"rmsprop": {"lr": 0.05}, "adagrad": {"lr": 0.2}, "momentum": {"lr": 0.01}, "sgd": {"lr": 0.02}},
        ),
        Surface(
            "valley", "Long valley", r"f = 0.01(x - 5)^2 + 5(y - 0.2x + 1)^2", _valley, _valley_grad, _valley_hessian,
            domain=((-6.0, 7.0), (-4.0, 3.0)), starts=((-5.0, 1.0),), minima=((5.0, 0.0),),
            teaches=N_("A long valley in the spirit of Alec Radford's animations: a gentle slope along the floor "
            "y = 0.2x − 1, steep walls across it (curvatures 0.02 and 10)."),
            defaults={"momentum": {"lr": 0.05, "beta": 0.9}, "rmsprop": {"lr": 0.1}, "sgd": {"lr": 0.05}},
            steps=150,
        ),
        Surface(
            "plateau", "Plateau", r"f(x, y) = 1 - e^{-(x^2 + y^2)/4}", _plateau, _plateau_grad, _plateau_hessian,
            domain=((-5.0, 5.0), (-5.0, 5.0)), starts=((4.0, 3.0),), minima=((0.0, 0.0),),
            teaches=N_("A well in a wide plateau whose slope fades like e^(−r²/4): far from the well the gradient is "
            "tiny."),
            defaults={"sgd": {"lr": 0.4}, "rprop": {"lr": 0.05}, "rmsprop": {"lr": 0.05}},
            steps=150,
        ),
    )
}
# fmt: on
