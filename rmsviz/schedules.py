"""Learning-rate schedules: η_t = η · factor(t), for every optimizer, batched.

A schedule is plain data (``Schedule``): its kind, its parameters (each a number or an array of shape (B,),
so a sweep can sweep them) and an optional linear warm-up. ``run(..., schedule=...)`` multiplies each step
of the optimizer by the factor of that step: for every optimizer but Rprop the step is linear in η, so this
is the step taken with η_t (torch.optim's schedulers set the group's lr to η_t; Rprop's lr there is only
its first step size, while here the factor scales Rprop's step too). Step t (1, 2, …) uses the factor
after t − 1 scheduler steps, as a torch loop of ``optimizer.step(); scheduler.step()`` does.

With i = t − 1 steps of the scheduler done (factors are relative to η, so η_min = floor · η):
  constant      1
  step          γ^⌊i / step_size⌋                                   (StepLR)
  multistep     γ^(number of milestones ≤ i)                        (MultiStepLR)
  exponential   γ^i                                                 (ExponentialLR)
  power         1 / (1 + i/τ)^p                                     (LambdaLR)
  cosine        floor + (1 − floor)(1 + cos(π i / t_max)) / 2       (CosineAnnealingLR)
  onecycle      from 1/div up to 1 over the first pct_start of total_steps, then down to 1/(div·final_div),
                both halves cosine                                  (OneCycleLR, without cycling momentum)
  plateau       × factor once the loss has not improved (relatively, by threshold) for more than patience
                steps, then cooldown steps of rest; never below floor  (ReduceLROnPlateau, mode "min")
  warm-up       start + (1 − start) i / w for i < w, then the schedule from its own step 0
                                                                    (LinearLR + SequentialLR)
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from rmsviz.i18n import N_, Refusal
from rmsviz.optimizers import Hyperparameter
from rmsviz.surfaces.expression import comma_list, excerpt

KINDS = ("constant", "step", "multistep", "exponential", "power", "cosine", "onecycle", "plateau")


def _parameter(name, default, low, high, symbol, doc, minimum, maximum=math.inf, open_min=False) -> Hyperparameter:
    """A schedule's parameter: ``low``/``high`` span its slider and its sweep, ``minimum``/``maximum`` the valid
    values; defaults are torch.optim's."""
    return Hyperparameter(name, default, low, high, False, symbol, doc, minimum, maximum, open_min)


_GAMMA = (0.5, 1.0, "γ")
PARAMETERS: dict[str, tuple[Hyperparameter, ...]] = {
    "constant": (),
    "step": (
        _parameter("step_size", 10, 1, 200, "k", N_("steps between two cuts"), 1),
        _parameter("gamma", 0.5, *_GAMMA, N_("factor of each cut"), 0, 1),
    ),
    "multistep": (_parameter("gamma", 0.5, *_GAMMA, N_("factor at each milestone"), 0, 1),),
    "exponential": (_parameter("gamma", 0.95, *_GAMMA, N_("factor of each step"), 0, 1),),
    "power": (
        _parameter("tau", 10, 1, 100, "τ", N_("steps until η has halved (p = 1)"), 0, open_min=True),
        _parameter("power", 1, 0, 3, "p", N_("power of the decay"), 0),
    ),
    "cosine": (
        _parameter("t_max", 50, 1, 1000, "T", N_("steps from η down to the floor"), 1),
        _parameter("floor", 0, 0, 1, "floor", "η_min / η", 0, 1),
    ),
    "onecycle": (
        _parameter("total_steps", 50, 1, 1000, "T", N_("steps of the cycle"), 1),
        _parameter("pct_start", 0.3, 0.05, 0.95, "pct", N_("share of the cycle spent rising"), 0, 1, open_min=True),
        _parameter("div_factor", 25, 1, 100, "div", N_("η / the starting η"), 1),
        _parameter("final_div_factor", 1e4, 1, 1e4, "final div", N_("the starting η / the final η"), 1),
    ),
    "plateau": (
        _parameter("factor", 0.1, 0.05, 0.95, "factor", N_("the cut"), 0, 1, open_min=True),
        _parameter("patience", 10, 0, 50, "patience", N_("steps without progress before a cut"), 0),
        _parameter("threshold", 1e-4, 0, 0.1, "threshold", N_("relative improvement that counts"), 0),
        _parameter("cooldown", 0, 0, 50, "cooldown", N_("steps of rest after a cut"), 0),
        _parameter("floor", 0, 0, 1, "floor", N_("the lowest factor"), 0, 1),
    ),
}
INTEGERS = {"step_size", "t_max", "total_steps", "patience", "cooldown"}
_WARMUP = _parameter("warmup", 0, 0, 100, "w", N_("steps of linear warm-up"), 0)
_WARMUP_START = _parameter("warmup_start", 1 / 3, 0, 1, "start", N_("the warm-up's first factor"), 0, 1, open_min=True)
MAX_MILESTONES = 20
PLATEAU_EPS = 1e-8  # ReduceLROnPlateau's eps: a cut smaller than this (in lr) is not made


class Schedule(NamedTuple):
    """A learning-rate schedule; build it with ``schedule(kind, ...)``, which checks it."""

    kind: str
    params: dict
    milestones: tuple[int, ...] = ()
    warmup: int = 0
    warmup_start: float = 1 / 3  # LinearLR's default start_factor


def _check(h: Hyperparameter, value) -> None:
    """torch.optim's words for a value out of range, and for a fraction where an integer belongs."""
    h.check(value)
    values = np.asarray(value, dtype=np.float64).ravel()
    if h.name in INTEGERS | {"warmup"} and np.any(values != np.round(values)):
        raise ValueError(f"Invalid {h.name}: {values[values != np.round(values)][0]:g} (must be an integer)")


def schedule(
    kind: str = "constant",
    *,
    milestones: tuple[int, ...] = (),
    warmup: int = 0,
    warmup_start: float = 1 / 3,
    **params,
) -> Schedule:
    """A checked ``Schedule`` of ``kind`` (one of KINDS); parameters left out take torch.optim's defaults.
    Each parameter may be a number or an array of shape (B,). Bad values raise ValueError in torch.optim's
    words (``Invalid gamma: 1.5 (must be in [0, 1])``)."""
    if kind not in PARAMETERS:
        raise ValueError(f"Unknown schedule: {kind!r} (known: {', '.join(KINDS)})")
    unknown = set(params) - {h.name for h in PARAMETERS[kind]}
    if unknown:
        known = ", ".join(h.name for h in PARAMETERS[kind]) or "none"
        raise ValueError(f"Unknown parameter for the {kind} schedule: {', '.join(sorted(unknown))} (known: {known})")
    values = {}
    for h in PARAMETERS[kind]:
        value = params.get(h.name, h.default)
        _check(h, value)
        values[h.name] = value if np.ndim(value) == 0 else np.asarray(value, dtype=np.float64)
    if any(np.ndim(v) > 1 for v in values.values()):
        raise ValueError("Each schedule parameter must be a number or an array of shape (B,)")
    milestones = tuple(int(m) for m in milestones)
    if list(milestones) != sorted(set(milestones)) or any(m < 1 for m in milestones):
        raise Refusal(
            N_("Invalid milestones: {milestones} (must be increasing positive integers)"), milestones=milestones
        )
    _check(_WARMUP, warmup)
    _check(_WARMUP_START, warmup_start)
    return Schedule(kind, values, milestones, int(warmup), float(warmup_start))


def parse_milestones(text: str) -> tuple[int, ...]:
    """ "30, 60" -> (30, 60): whole steps, increasing; ValueError naming what is wrong."""
    empty, too_many = (
        N_("Give at least one milestone, for example 30, 60"),
        N_("At most {limit} milestones, not {count}"),
    )
    entries = comma_list(text, MAX_MILESTONES, empty=empty, too_many=too_many)
    for entry in entries:
        if not entry.isdigit() or len(entry) > 7:
            not_a_step = N_("'{entry}' is not a step: milestones are whole steps, separated by commas")
            raise Refusal(not_a_step, entry=excerpt(entry))
    milestones = tuple(int(entry) for entry in entries)
    schedule("multistep", milestones=milestones)  # increasing and from 1, in the schedule's own words
    return milestones


def batch_size(s: Schedule) -> int | None:
    sizes = {np.shape(v)[0] for v in s.params.values() if np.ndim(v) == 1}
    if len(sizes) > 1:
        raise ValueError(f"Batch sizes disagree in the schedule: {sorted(sizes)}")
    return next(iter(sizes), None)


def is_constant(s: Schedule | None) -> bool:
    return s is None or (s.kind == "constant" and s.warmup == 0)


def factors(s: Schedule, steps: int, lo: int = 0, hi: int | None = None) -> np.ndarray:
    """The factor of steps 1 … ``steps``: shape (steps,), or (steps, hi − lo) for runs lo to hi of a batched
    schedule. Not for "plateau", which depends on the losses (``Plateau``)."""
    batched = batch_size(s) is not None
    p = {k: (np.asarray(v, dtype=np.float64)[lo:hi] if np.ndim(v) else float(v)) for k, v in s.params.items()}
    i = np.arange(steps, dtype=np.float64)
    if batched:
        i = i[:, None]
    main = np.maximum(i - s.warmup, 0)
    value = _closed_form(s, p, main)
    if s.warmup:
        ramp = s.warmup_start + (1 - s.warmup_start) * np.minimum(i, s.warmup) / s.warmup
        value = np.where(i < s.warmup, ramp, value)
    return np.broadcast_to(value, np.broadcast_shapes(np.shape(value), np.shape(i))).copy()


def _closed_form(s: Schedule, p: dict, i: np.ndarray) -> np.ndarray:
    """factor(i) of the schedule itself, i scheduler steps after its start (after any warm-up)."""
    if s.kind == "constant":
        return np.ones_like(i)
    if s.kind == "step":
        return p["gamma"] ** np.floor(i / p["step_size"])
    if s.kind == "multistep":
        passed = sum((i >= m).astype(np.float64) for m in s.milestones) if s.milestones else np.zeros_like(i)
        return p["gamma"] ** passed
    if s.kind == "exponential":
        return p["gamma"] ** i
    if s.kind == "power":
        return 1.0 / (1.0 + i / p["tau"]) ** p["power"]
    if s.kind == "cosine":
        return p["floor"] + (1 - p["floor"]) * (1 + np.cos(np.pi * i / p["t_max"])) / 2
    if s.kind == "onecycle":
        return _one_cycle(p, i)
    raise ValueError(f"The {s.kind} schedule has no closed form: it follows the losses")


def _one_cycle(p: dict, i: np.ndarray) -> np.ndarray:
    """OneCycleLR's two cosine phases, relative to the peak (η): 1/div → 1 → 1/(div · final_div).
    Past total_steps it stays at its last value (torch.optim raises there)."""
    start, low = 1 / p["div_factor"], 1 / (p["div_factor"] * p["final_div_factor"])
    up_end = p["pct_start"] * p["total_steps"] - 1  # torch: float(pct_start * total_steps) - 1
    down_end = p["total_steps"] - 1
    i = np.minimum(i, down_end)

    def anneal(a, b, fraction):
        return b + (a - b) / 2 * (np.cos(np.pi * fraction) + 1)

    with np.errstate(divide="ignore", invalid="ignore"):
        rising = anneal(start, 1.0, np.where(up_end > 0, i / up_end, 1.0))
        falling = anneal(1.0, low, np.where(down_end > up_end, (i - up_end) / (down_end - up_end), 1.0))
    return np.where(i <= up_end, rising, falling)


class Plateau:
    """ReduceLROnPlateau (mode "min", relative threshold) for B runs at once, on the factor of η.

    After each step, with loss L: better if L < best · (1 − threshold), and then best ← L and the count
    of bad steps ← 0, else the count grows; during a cooldown the count stays 0. Once the count exceeds
    patience, factor ← max(factor · cut, floor) (if that lowers η by more than 1e-8), cooldown starts.
    """

    def __init__(self, s: Schedule, lr, lo: int = 0, hi: int | None = None):
        p = {k: (np.asarray(v, dtype=np.float64)[lo:hi] if np.ndim(v) else float(v)) for k, v in s.params.items()}
        self.p, self.lr, self.warmup, self.start = p, np.asarray(lr, dtype=np.float64), s.warmup, s.warmup_start
        self.best = self.bad = self.cooldown = None
        self.factor = 1.0

    def step(self, t: int, loss) -> np.ndarray | float:
        """The factor of step t; ``loss`` is the loss after step t − 1 (unused at t = 1 and in the warm-up)."""
        i = t - 1
        if i < self.warmup:
            return self.start + (1 - self.start) * i / self.warmup
        if i > self.warmup:  # a scheduler.step(loss) after each step of the schedule itself
            self._observe(np.asarray(loss, dtype=np.float64))
        return self.factor

    def _observe(self, loss: np.ndarray) -> None:
        p = self.p
        if self.best is None:
            self.best = np.full(loss.shape, np.inf)
            self.bad = np.zeros(loss.shape)
            self.cooldown = np.zeros(loss.shape)
            self.factor = np.ones(loss.shape)
        better = loss < self.best * (1 - p["threshold"])
        self.best = np.where(better, loss, self.best)
        self.bad = np.where(better, 0, self.bad + 1)
        resting = self.cooldown > 0
        self.cooldown = np.where(resting, self.cooldown - 1, self.cooldown)
        self.bad = np.where(resting, 0, self.bad)
        cut = np.maximum(self.factor * p["factor"], p["floor"])
        reduce = (self.bad > p["patience"]) & (self.lr * (self.factor - cut) > PLATEAU_EPS)
        self.factor = np.where(reduce, cut, self.factor)
        self.cooldown = np.where(self.bad > p["patience"], p["cooldown"], self.cooldown)
        self.bad = np.where(self.bad > p["patience"], 0, self.bad)
        if self.factor.ndim == 0:
            self.factor = float(self.factor)


def scheduled_lr(s: Schedule, lr, loss: np.ndarray) -> np.ndarray:
    """η_t for steps 0 … T of a recorded run (NaN at 0), from the run's own losses where the schedule
    follows them: the η each step applied. ``loss`` (T+1,) or (T+1, B); ``lr`` a number or (B,)."""
    steps = len(loss) - 1
    if s.kind != "plateau":
        values = np.asarray(lr, dtype=np.float64) * factors(s, steps)
    else:
        plateau = Plateau(s, lr)
        values = np.array([np.asarray(lr) * plateau.step(t, loss[t - 1]) for t in range(1, steps + 1)])
        values = values.reshape((steps, *np.shape(loss)[1:]))
    out = np.full((steps + 1, *np.broadcast_shapes(np.shape(values)[1:], np.shape(loss)[1:])), np.nan)
    out[1:] = values
    return out
