"""What the race's first picture on a surface shows, in words: claims (rmsviz.studies.claims) bound to the
surface's own start, steps and parameters and to the settings the race gives the racers they speak of, their
numbers read from those runs. The race shows them after the surface's caption (``Surface.teaches``, which
says only what holds at any setting) while the race has those runs; other racers may race beside them."""

from __future__ import annotations

import numpy as np

from rmsviz.i18n import N_
from rmsviz.studies.claims import Claim, Scene


def _racing(surface: str, *racers: str) -> dict:
    """The first race on ``surface`` with ``racers`` at the settings the race gives them there."""
    return {"surface": surface, "racers": {racer: {} for racer in racers}}


def _rates_spread(scene: Scene) -> dict:
    rates = scene.runs["rmsprop"].effective_lr[1:]
    ratio = rates[:, 0] / rates[:, 1]
    return {"spread": max(ratio.max(), 1 / ratio.min())}


def _off_the_ridge(scene: Scene) -> dict:
    """How far each run is from the ridge y = 0 after 10 steps."""
    return {name: abs(float(scene.runs[name].path[10, 1])) for name in ("sgd", "rmsprop")}


def _monkey(scene: Scene) -> dict:
    sgd, rmsprop = scene.runs["sgd"], scene.runs["rmsprop"]
    return {"x": sgd.path[-1, 0], "y": sgd.path[-1, 1], "f": sgd.loss[-1], "f_rmsprop": rmsprop.loss[-1]}


def _trapped(scene: Scene) -> dict | None:
    """The dimple nearest the start, if every racer ends in it (within 0.1 of its centre); None otherwise."""
    start = np.array([scene.settings["x0"], scene.settings["y0"]])
    dimple = np.round(start)
    ends = [t.path[-1] for t in scene.runs.values()]
    if any(np.abs(end - dimple).max() > 0.1 for end in ends):
        return None
    best = min(float(t.loss[-1]) for t in scene.runs.values())
    return {"x0": start[0], "y0": start[1], "x": dimple[0], "y": dimple[1], "f": best}


def _across(scene: Scene) -> dict:
    """The distance across the valley's floor, y − 0.2x + 1, of momentum and RMSProp."""
    across = {name: t.path[:, 1] - 0.2 * t.path[:, 0] + 1 for name, t in scene.runs.items()}
    momentum, rmsprop = across["momentum"], across["rmsprop"]
    return {
        "start": momentum[0], "swing": momentum[4], "within": np.abs(rmsprop[30:]).max(),
        "still": np.abs(momentum[30:]).max(),
    }  # fmt: skip


def _plateau(scene: Scene) -> dict:
    start = np.array([scene.settings["x0"], scene.settings["y0"]])
    losses = {name: scene.runs[name].loss[-1] for name in ("sgd", "rprop", "rmsprop")}
    return {"gradient": float(np.linalg.norm(scene.surface.grad(start))), **losses, "steps": scene.settings["steps"]}


FIRST_RACE: dict[str, tuple[Claim, ...]] = {
    "rotated": (
        Claim(
            N_(
                "At 45°, RMSProp's two rates stay within a factor {spread:.2g} of each other, and it walks the "
                "diagonal with small steps."
            ),
            _rates_spread,
            _racing("rotated", "rmsprop"),
        ),
    ),
    "saddle": (
        Claim(
            N_(
                "From the start, a hair off the ridge y = 0, the y gradient is tiny, so gradient descent slides into "
                "the saddle and lingers there ({sgd:.2g} off the ridge after 10 steps); RMSProp divides by the "
                "gradient's own scale and leaves at once ({rmsprop:.3g} off the ridge after 10 steps)."
            ),
            _off_the_ridge,
            _racing("saddle", "sgd", "rmsprop"),
        ),
    ),
    "monkey": (
        Claim(
            N_(
                "From the start, a hair off the ridge y = 0, gradient descent creeps towards the origin, where "
                "gradient and curvature both vanish, and slows there (at ({x:.2f}, {y:.2f}) after 60 steps, f = "
                "{f:.3f}); RMSProp feels the tiny sideways slope at full scale and rolls into a valley (f = "
                "{f_rmsprop:.1f} after 60 steps)."
            ),
            _monkey,
            _racing("monkey", "sgd", "rmsprop"),
        ),
    ),
    "rastrigin": (
        Claim(
            N_(
                "From ({x0:g}, {y0:g}) every racer is trapped in the dimple nearest the start, around ({x:g}, {y:g}): "
                "the best ends at f = {f:.1f}, against 0 at the origin."
            ),
            _trapped,
            {"surface": "rastrigin"},
            alone=True,
        ),
    ),
    "valley": (
        Claim(
            N_(
                "Momentum gathers speed on the walls and overshoots the floor (y − 0.2x + 1, the distance across, "
                "goes from {start:g} to {swing:.2f} by step 4); RMSProp damps the steep direction and comes down to "
                "the floor without overshooting, then keeps within {within:.2f} of it from step 30, where momentum "
                "still swings by {still:.2f}."
            ),
            _across,
            _racing("valley", "momentum", "rmsprop"),
        ),
    ),
    "plateau": (
        Claim(
            N_(
                "At the start the gradient is about {gradient:.3f}. Gradient descent's steps are as small as the "
                "gradient, so it stalls (loss {sgd:.3g} after {steps} steps); Rprop uses only the sign and RMSProp "
                "divides by the gradient's own size, so both keep moving (losses {rprop:.2g} and {rmsprop:.2g})."
            ),
            _plateau,
            _racing("plateau", "sgd", "rprop", "rmsprop"),
        ),
    ),
}
