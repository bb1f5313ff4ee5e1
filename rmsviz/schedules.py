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

KINDS = ("constant", "step", "multistep", "exponential", "power", "cosine", "onecycle", "plateau")
# (default, minimum, maximum, open at the minimum) of each parameter, per kind; torch.optim's defaults
PARAMETERS: dict[str, dict[str, tuple[float, float, float, bool]]] = {
    "constant": {},
    "step": {"step_size": (10, 1, math.inf, False), "gamma": (0.5, 0, 1, False)},
    "multistep": {"gamma": (0.5, 0, 1, False)},
    "exponential": {"gamma": (0.95, 0, 1, False)},
    "power": {"tau": (10, 0, math.inf, True), "power": (1, 0, math.inf, False)},
    "cosine": {"t_max": (50, 1, math.inf, False), "floor": (0, 0, 1, False)},
    "onecycle": {
        "total_steps": (50, 1, math.inf, False),
        "pct_start": (0.3, 0, 1, True),
        "div_factor": (25, 1, math.inf, False),
        "final_div_factor": (1e4, 1, math.inf, False),
    },
    "plateau": {
        "factor": (0.1, 0, 1, True),
        "patience": (10, 0, math.inf, False),
        "threshold": (1e-4, 0, math.inf, False),
        "cooldown": (0, 0, math.inf, False),
        "floor": (0, 0, 1, False),
    },
}
INTEGERS = {"step_size", "t_max", "total_steps", "patience", "cooldown"}
PLATEAU_EPS = 1e-8  # ReduceLROnPlateau's eps: a cut smaller than this (in lr) is not made


class Schedule(NamedTuple):
    """A learning-rate schedule; build it with ``schedule(kind, ...)``, which checks it."""

    kind: str
    params: dict
    milestones: tuple[int, ...] = ()
    warmup: int = 0
    warmup_start: float = 1 / 3  # LinearLR's default start_factor


def _check(name: str, value, low: float, high: float, open_low: bool) -> None:
    values = np.asarray(value, dtype=np.float64).ravel()
    above = values > low if open_low else values >= low
    bad = ~(above & (values <= high))
    if not bad.any() and name in INTEGERS and np.any(values != np.round(values)):
        raise ValueError(f"Invalid {name}: {values[values != np.round(values)][0]:g} (must be an integer)")
    if bad.any():
        interval = f"{'(' if open_low else '['}{low:g}, {high:g}{')' if high == math.inf else ']'}"
        raise ValueError(f"Invalid {name}: {values[bad][0]:g} (must be in {interval})")


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
    unknown = set(params) - set(PARAMETERS[kind])
    if unknown:
        known = ", ".join(PARAMETERS[kind]) or "none"
        raise ValueError(f"Unknown parameter for the {kind} schedule: {', '.join(sorted(unknown))} (known: {known})")
    values = {}
    for name, (default, low, high, open_low) in PARAMETERS[kind].items():
        value = params.get(name, default)
        _check(name, value, low, high, open_low)
        values[name] = value if np.ndim(value) == 0 else np.asarray(value, dtype=np.float64)
    if any(np.ndim(v) > 1 for v in values.values()):
        raise ValueError("Each schedule parameter must be a number or an array of shape (B,)")
    milestones = tuple(int(m) for m in milestones)
    if list(milestones) != sorted(set(milestones)) or any(m < 1 for m in milestones):
        raise ValueError(f"Invalid milestones: {milestones} (must be increasing positive integers)")
    _check("warmup", warmup, 0, math.inf, False)
    _check("warmup_start", warmup_start, 0, 1, True)
    return Schedule(kind, values, milestones, int(warmup), float(warmup_start))


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
