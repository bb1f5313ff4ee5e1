"""The surface catalog: loss functions of two variables with exact derivatives.

Every function takes ``xy`` of shape (..., 2), NumPy or torch, and returns
f of shape (...), the gradient of shape (..., 2), the Hessian of shape (..., 2, 2).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from rmsviz.backend import namespace


@dataclass(frozen=True)
class Surface:
    name: str
    title: str
    formula: str  # LaTeX
    f: Callable
    grad: Callable
    hessian: Callable
    domain: tuple[tuple[float, float], tuple[float, float]]  # ((x_min, x_max), (y_min, y_max))
    starts: tuple[tuple[float, float], ...]
    minima: tuple[tuple[float, float], ...] = ()
    saddles: tuple[tuple[float, float], ...] = ()
    log_contours: bool = False
    teaches: str = ""
    defaults: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


def _quadratic(a: float, b: float, c: float):
    """f = a x² + b x y + c y², with its gradient and Hessian."""

    def f(xy):
        x, y = xy[..., 0], xy[..., 1]
        return a * x**2 + b * x * y + c * y**2

    def grad(xy):
        x, y = xy[..., 0], xy[..., 1]
        return namespace(xy).stack([2 * a * x + b * y, b * x + 2 * c * y], -1)

    def hessian(xy):
        xp = namespace(xy)
        row = xp.stack([xp.full_like(xy[..., 0], 2 * a), xp.full_like(xy[..., 0], b)], -1)
        other = xp.stack([xp.full_like(xy[..., 0], b), xp.full_like(xy[..., 0], 2 * c)], -1)
        return xp.stack([row, other], -2)

    return f, grad, hessian


def _make(name, title, formula, coefficients, **details) -> Surface:
    f, grad, hessian = _quadratic(*coefficients)
    return Surface(name, title, formula, f, grad, hessian, **details)


SURFACES: dict[str, Surface] = {
    s.name: s
    for s in (
        _make(
            "elliptic",
            "Elliptical quadratic",
            r"f(x, y) = 0.1x^2 + 2y^2",
            (0.1, 0.0, 2.0),
            domain=((-5.5, 1.0), (-3.0, 1.5)),
            starts=((-5.0, -2.0),),
            minima=((0.0, 0.0),),
        ),
        _make(
            "rotated",
            "Rotated bowl",
            r"f(x, y) = 0.1(x + y)^2 + 2(x - y)^2",
            (2.1, -3.8, 2.1),
            domain=((-6.0, 6.0), (-6.0, 6.0)),
            starts=((-5.0, -2.0),),
            minima=((0.0, 0.0),),
        ),
        _make(
            "saddle",
            "Saddle",
            r"f(x, y) = x^2 - y^2",
            (1.0, 0.0, -1.0),
            domain=((-2.0, 2.0), (-2.0, 2.0)),
            starts=((-1.5, 1e-3),),
            saddles=((0.0, 0.0),),
        ),
    )
}
