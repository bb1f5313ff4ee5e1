"""Surface: a loss function of two variables with exact derivatives, and the quadratics it is built from.

Every function takes ``xy`` of shape (..., 2), NumPy or torch, and returns f of
shape (...), the gradient of shape (..., 2) and the Hessian of shape (..., 2, 2),
all written once against ``backend.namespace``. A surface with parameters (the
rotated bowl's angle, the quadratic's condition number) lists them in ``params``
and ``with_params(**values)`` builds it at other values.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from rmsviz.backend import ArrayLike, namespace
from rmsviz.i18n import N_
from rmsviz.surfaces.formula import parse_formula


class Param(NamedTuple):
    default: float
    low: float
    high: float
    doc: str
    log: bool = False  # a slider over log-spaced values


@dataclass(frozen=True)
class Surface:
    name: str
    title: str
    formula: str  # LaTeX
    f: Callable[[ArrayLike], ArrayLike]  # xy (..., 2) -> (...)
    grad: Callable[[ArrayLike], ArrayLike]  # xy (..., 2) -> (..., 2)
    hessian: Callable[[ArrayLike], ArrayLike]  # xy (..., 2) -> (..., 2, 2)
    domain: tuple[tuple[float, float], tuple[float, float]]  # ((x_min, x_max), (y_min, y_max))
    starts: tuple[tuple[float, float], ...]
    minima: tuple[tuple[float, float], ...] = ()
    saddles: tuple[tuple[float, float], ...] = ()
    log_contours: bool = False
    teaches: str = ""
    defaults: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # optimizer -> settings
    steps: int = 100
    params: Mapping[str, Param] = field(default_factory=dict)
    values: Mapping[str, float] = field(default_factory=dict)  # the params this surface was built with
    build: Callable[..., Surface] | None = None
    # A typed formula's cost, for studies.budget: one evaluation of f and its gradient, and of its Hessian, in
    # operations (expression.size); 0 for a catalog surface, whose cost is in the budget's cost of a step.
    operations: int = 0
    hessian_operations: int = 0

    def with_params(self, **values) -> Surface:
        """This surface at other parameter values; a ValueError names a bad one and its range."""
        for name, value in values.items():
            if name not in self.params:
                raise ValueError(f"Unknown parameter for {self.name}: {name!r} (known: {', '.join(self.params)})")
            low, high = self.params[name].low, self.params[name].high
            number = isinstance(value, numbers.Real) and not isinstance(value, bool)  # NaN fails the range
            if not (number and low <= value <= high):
                raise ValueError(f"Invalid {name}: {value} (must be in [{low:g}, {high:g}])")
        return self.build(**{**self.values, **{name: float(value) for name, value in values.items()}})

    def covering(self, point: tuple[float, float], margin: float = 0.1) -> Surface:
        """This surface with its plotted domain widened, where needed, to show ``point`` with a margin of
        ``margin`` of the domain's width: a start typed off the plot (θ0 = 10 on a plot to 5) is seen."""
        (x0, x1), (y0, y1) = self.domain
        x, y = point
        if x0 <= x <= x1 and y0 <= y <= y1:
            return self
        pad_x, pad_y = margin * (x1 - x0), margin * (y1 - y0)
        domain = ((min(x0, x - pad_x), max(x1, x + pad_x)), (min(y0, y - pad_y), max(y1, y + pad_y)))
        return replace(self, domain=domain)

    @classmethod
    def from_expression(cls, text: str, domain: ArrayLike | None = None) -> Surface:
        """f(x, y) typed by a user, e.g. "x**2 + 10*sin(y)": parsed by an AST allowlist, never executed;
        rmsviz.ExpressionError (a ValueError) says what is wrong and where."""
        formula = parse_formula(text, domain)
        return cls(
            "custom", formula.text, "f(x, y) = " + formula.latex, formula.f, formula.grad, formula.hessian,
            domain=formula.domain, starts=(formula.start,), operations=formula.operations,
            hessian_operations=formula.hessian_operations,
            teaches=N_("Your own surface. Its gradient and Hessian are exact: the formula is differentiated "
            "symbolically, not by finite differences."),
        )  # fmt: skip


def rows(xy, first, second):
    """The Hessian [[first], [second]] per point, from its two rows of two entries."""
    xp = namespace(xy)
    return xp.stack([xp.stack(first, -1), xp.stack(second, -1)], -2)


def constant(xy, value):
    return namespace(xy).full_like(xy[..., 0], value)


def quadratic(a: float, b: float, c: float) -> tuple[Callable, Callable, Callable]:
    """f = a x² + b x y + c y², its gradient and Hessian.

    Without a cross term (b = 0: the elliptic bowl, the saddle) f and the gradient skip it: the same
    numbers with three fewer passes over a big batch.
    """
    cross = b != 0

    def f(xy):
        x, y = xy[..., 0], xy[..., 1]
        value = a * x * x + c * y * y
        return value + b * x * y if cross else value

    def grad(xy):
        x, y = xy[..., 0], xy[..., 1]
        gx, gy = 2 * a * x, 2 * c * y
        if cross:
            gx, gy = gx + b * y, gy + b * x
        return namespace(xy).stack([gx, gy], -1)

    def hessian(xy):
        return rows(xy, (constant(xy, 2 * a), constant(xy, b)), (constant(xy, b), constant(xy, 2 * c)))

    return f, grad, hessian


def squares(a: float, p: tuple[float, float], b: float, q: tuple[float, float]) -> tuple[Callable, ...]:
    """f = a(p·xy)² + b(q·xy)², its gradient and Hessian: a quadratic computed the way it is written."""

    def forms(xy):
        x, y = xy[..., 0], xy[..., 1]
        return p[0] * x + p[1] * y, q[0] * x + q[1] * y

    def f(xy):
        u, v = forms(xy)
        return a * (u * u) + b * (v * v)

    def grad(xy):
        u, v = forms(xy)
        return namespace(xy).stack([2 * a * u * p[0] + 2 * b * v * q[0], 2 * a * u * p[1] + 2 * b * v * q[1]], -1)

    xx, yy = a * p[0] ** 2 + b * q[0] ** 2, a * p[1] ** 2 + b * q[1] ** 2
    return f, grad, quadratic(xx, 2 * (a * p[0] * p[1] + b * q[0] * q[1]), yy)[2]
