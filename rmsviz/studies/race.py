"""The race's defaults: the settings a race gives each optimizer (the surface's suggestion, else d2l's, else the
optimizer's own), and every other setting a race starts with, so that a race's settings can be written out whole
(``complete``)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from rmsviz import schedules
from rmsviz.optimizers import OPTIMIZERS
from rmsviz.surfaces import SURFACES, Surface

DEFAULT_RACERS = ("rmsprop", "adagrad", "momentum", "rprop")
NOISE, SEED = 0.0, 0  # no gradient noise; the seed a noisy race starts with
# A schedule's parameters where the race does not start them at torch.optim's defaults (schedules.PARAMETERS).
SCHEDULE_DEFAULTS = {"exponential": {"gamma": 0.95}, "plateau": {"factor": 0.5, "patience": 5}}
DEFAULT_MILESTONES = "25, 50"

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


def schedule_default(kind: str, name: str) -> float:
    """The value the race starts parameter ``name`` of a ``kind`` schedule at."""
    h = next(h for h in schedules.PARAMETERS[kind] if h.name == name)
    default = SCHEDULE_DEFAULTS.get(kind, {}).get(name, h.default)
    return int(default) if name in schedules.INTEGERS else float(min(max(default, h.low), h.high))


def complete(settings: Mapping, surface: Surface | None = None) -> dict:
    """Every setting that changes a race's runs, with each one ``settings`` leaves out at the value the race
    starts it at: the form rmsviz.ui.race_links reads and writes (``{"surface", "racers": {…}, …}``), whole.

    The surface's parameters, each racer's hyperparameters, options and schedule (its kind, parameters,
    warm-up and milestones, the steps they name) are all written out; a constant η is ``{"kind": "constant"}``.
    The seed is 0 without noise, where it changes nothing. ``surface``: the surface a typed ``formula`` makes
    (a catalog surface is looked up by name). What a race shows rather than runs (view, details, code) and the
    backend (the same numbers to 1e-12 a step) are left out.
    """
    name = settings.get("surface", "elliptic")
    surface = SURFACES.get(name) or surface or Surface.from_expression(settings["formula"])
    values = {p: float(v.default) for p, v in surface.params.items()} | dict(settings.get("surface_values", {}))
    if values:
        surface = surface.with_params(**values)
    noise = float(settings.get("noise", NOISE))
    racers = settings.get("racers", {racer: {} for racer in DEFAULT_RACERS})
    whole = {
        "surface": name,
        "formula": settings.get("formula", "") if name not in SURFACES else "",
        "surface_values": {p: float(v) for p, v in values.items()},
        "x0": float(settings.get("x0", surface.starts[0][0])),
        "y0": float(settings.get("y0", surface.starts[0][1])),
        "steps": int(settings.get("steps", surface.steps)),
        "noise": noise,
        "seed": int(settings.get("seed", SEED)) if noise else SEED,
        "racers": {racer: _racer(racer, own, surface) for racer, own in racers.items()},
    }
    if rule := settings.get("rule"):
        whole["rule"] = {field: rule[field] for field in ("state", "update") if field in rule}
    return whole


def _racer(racer: str, own: Mapping, surface: Surface) -> dict:
    """A racer's settings, whole: its hyperparameters and options, and its schedule. The typed rule has no
    schedule: its settings are its hyperparameters, whatever their names (a rule's own may be ``schedule``)."""
    optimizer = racer.removesuffix("2") if racer not in OPTIMIZERS else racer
    if optimizer not in OPTIMIZERS:
        return dict(own)
    defaults = {**OPTIMIZERS[optimizer].options, **race_defaults(optimizer, surface)}
    settings = {**defaults, **{k: v for k, v in own.items() if k != "schedule"}}
    return {**settings, "schedule": _schedule(own.get("schedule", {}))}


def _schedule(own: Mapping) -> dict:
    kind = own.get("kind", "constant")
    if kind == "constant":
        return {"kind": kind}
    values = {h.name: own.get(h.name, schedule_default(kind, h.name)) for h in schedules.PARAMETERS[kind]}
    milestones = own.get("milestones", DEFAULT_MILESTONES) if kind == "multistep" else ()
    if isinstance(milestones, str):
        milestones = schedules.parse_milestones(milestones)
    return {"kind": kind, **values, "warmup": int(own.get("warmup", 0)), "milestones": tuple(milestones)}


def same(a, b) -> bool:
    """Whether two settings (or parts of them) are equal, floats to the last few bits (a slider's 0.1 + 0.2)."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, bool) or isinstance(b, bool) or isinstance(a, str) or isinstance(b, str):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-300)
    return a == b
