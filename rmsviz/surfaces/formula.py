"""A typed formula, whole: f(x, y) parsed by the allowlist, its exact gradient and Hessian, its LaTeX,
where to draw it and where to start."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rmsviz.backend import ArrayLike, namespace
from rmsviz.i18n import N_
from rmsviz.surfaces.expression import (
    DEFAULT_DOMAIN,
    MAX_COORDINATE,
    ExpressionError,
    check_depth,
    evaluate,
    parse,
    size,
)
from rmsviz.surfaces.symbolic import derivative, to_latex

GRID = 64  # points per side of the grid searched for a start


@dataclass(frozen=True)
class Formula:
    """f(x, y) as typed, with its exact gradient and Hessian over points ``xy`` (..., 2), NumPy or torch."""

    text: str  # as typed, without surrounding blanks
    f: Callable[[ArrayLike], ArrayLike]  # (..., 2) -> (...)
    grad: Callable[[ArrayLike], ArrayLike]  # (..., 2) -> (..., 2)
    hessian: Callable[[ArrayLike], ArrayLike]  # (..., 2) -> (..., 2, 2)
    latex: str  # the right-hand side only: f(x, y) = <latex>
    domain: tuple[tuple[float, float], tuple[float, float]]  # ((x_min, x_max), (y_min, y_max))
    start: tuple[float, float]  # a point of the domain where f and its gradient are finite
    operations: int = 0  # one evaluation of f and its gradient, each shared subtree once (expression.size)
    hessian_operations: int = 0  # one evaluation of its Hessian


def parse_formula(text: str, domain: ArrayLike | None = None) -> Formula:
    """f(x, y) = ``text`` on ``domain`` (DEFAULT_DOMAIN if None), differentiated symbolically (never by
    finite differences); ExpressionError for bad input."""
    tree = parse(text)
    domain = _checked_domain(DEFAULT_DOMAIN if domain is None else domain)
    memo = {"x": {}, "y": {}}  # per variable, shared by the gradient and the Hessian
    gradient = [derivative(tree, var, memo[var]) for var in ("x", "y")]
    too_deep = N_(
        "Nested too deeply for its derivatives: they would have {depth} levels of operations inside one another "
        "(at most {limit}); nest fewer divisions, powers and functions"
    )
    check_depth(gradient, too_deep)  # before the Hessian is built by walking them
    hessian = [derivative(g, var, memo[var]) for g in gradient for var in ("x", "y")]
    too_deep = N_(
        "Nested too deeply for its second derivatives (the Hessian): they would have {depth} levels of operations "
        "inside one another (at most {limit}); nest fewer divisions, powers and functions"
    )
    check_depth(hessian, too_deep)

    def f(xy):
        return evaluate([tree], xy)[0]

    def grad(xy):
        return namespace(xy).stack(evaluate(gradient, xy), -1)

    def hess(xy):
        xp = namespace(xy)
        xx, xy_, yx, yy = evaluate(hessian, xy)
        return xp.stack([xp.stack([xx, xy_], -1), xp.stack([yx, yy], -1)], -2)

    return Formula(
        text.strip(), f, grad, hess, to_latex(tree), domain, _start(f, grad, domain),
        size([tree, *gradient]), size(hessian),
    )  # fmt: skip


def _checked_domain(domain) -> tuple[tuple[float, float], tuple[float, float]]:
    try:
        (x0, x1), (y0, y1) = ((float(a), float(b)) for a, b in domain)
    except (TypeError, ValueError):
        raise ExpressionError(N_("The domain must be ((x_min, x_max), (y_min, y_max))")) from None
    if not all(abs(v) <= MAX_COORDINATE for v in (x0, x1, y0, y1)) or x0 >= x1 or y0 >= y1:  # NaN fails too
        raise ExpressionError(
            N_("Invalid domain: {domain} (numbers in [-{limit}, {limit}], min < max)"),
            domain=domain, limit=f"{MAX_COORDINATE:g}",
        )  # fmt: skip
    return (x0, x1), (y0, y1)


def _start(f, grad, domain) -> tuple[float, float]:
    """A start where f and its gradient are finite: the grid point nearest the lower-left fifth of the domain."""
    (x0, x1), (y0, y1) = domain
    xs, ys = np.meshgrid(np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID))
    points = np.stack([xs, ys], -1).reshape(-1, 2)
    with np.errstate(all="ignore"):
        usable = np.isfinite(f(points)) & np.isfinite(grad(points)).all(-1)
    if not usable.any():
        raise ExpressionError(N_("This surface has no finite value or slope anywhere on the domain"))
    wanted = np.array([x0 + 0.1 * (x1 - x0), y0 + 0.2 * (y1 - y0)])
    distance = np.where(usable, np.linalg.norm(points - wanted, axis=-1), np.inf)
    return tuple(float(v) for v in points[np.argmin(distance)])
