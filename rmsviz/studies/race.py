"""The settings a race gives each optimizer: the surface's suggestion, else d2l's, else the optimizer's own."""

from __future__ import annotations

from rmsviz.optimizers import OPTIMIZERS
from rmsviz.surfaces import Surface

# d2l's settings on the elliptic surface: the first picture a lecturer shows
RACE_DEFAULTS = {
    "rmsprop": {"lr": 0.4, "gamma": 0.9},
    "adagrad": {"lr": 0.4},
    "momentum": {"lr": 0.4, "beta": 0.5},
    "rprop": {"lr": 0.1},
    "sgd": {"lr": 0.4},
    "adam": {"lr": 0.4},
}


def race_defaults(optimizer: str, surface: Surface) -> dict[str, float]:
    """The settings the race gives ``optimizer`` on ``surface``: the surface's suggestion, else d2l's, else its own."""
    return {**OPTIMIZERS[optimizer].defaults, **RACE_DEFAULTS.get(optimizer, {}), **surface.defaults.get(optimizer, {})}


def within_reach(surface: Surface, point: tuple[float, float]) -> bool:
    """Whether a start lies within one plot width of the surface's plot: farther out, the plot would show
    nothing of the run, and the numbers can overflow before the first step."""
    (xa, xb), (ya, yb) = surface.domain
    span = max(xb - xa, yb - ya)
    x, y = point
    return xa - span <= x <= xb + span and ya - span <= y <= yb + span
