"""Hyperparameter sweeps: a grid of two hyperparameters, every cell run from one start or many, in one call.

An axis is one of the optimizer's hyperparameters (a built-in's, or a typed rule's) or, with a
``schedule``, one of the schedule's parameters, named ``schedule_<parameter>`` (``schedule_gamma``): each
cell then runs with its own schedule, batched like the hyperparameters. A name the optimizer owns is always
its own: a typed rule's ``schedule_p`` is swept as the rule's.

The grid is flattened and repeated once per start, so ``engine.run`` takes one
hyperparameter array per swept name (in its ``hyperparameters``, apart from run's own keywords) and runs
every cell and start together with ``record="final"``. Per cell the numbers are medians over the starts; a
diverged run counts as an infinite gap and as never reaching the tolerance,
so a cell's median is infinite (or NaN for the steps) when at least half its
starts diverged (or never got there).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from rmsviz import schedules
from rmsviz.engine import resolve, run
from rmsviz.i18n import N_
from rmsviz.metrics import best_known_value
from rmsviz.optimizers import Hyperparameter
from rmsviz.schedules import Schedule

MAX_CELLS = 200  # per axis
MAX_STEPS = 1000
MAX_STARTS = 100
MAX_RUN_STEPS = 400_000_000  # cells × starts × steps: about a minute on two cores
SCHEDULE_AXIS = "schedule_"  # an axis named schedule_gamma sweeps the schedule's gamma
# Each outcome's name in a sentence (marked for the catalogs, translated where the sentence is written).
OUTCOMES = {"gap": N_("final loss gap"), "steps": N_("steps to tolerance"), "diverged": N_("diverged fraction")}


class SweepResult(NamedTuple):
    """Per-cell outcomes of shape (len(y_values), len(x_values)); row i is y_values[i], column j is x_values[j].

    gap: median final f − f* over the starts (the final f when f* is unknown, see ``best_value``); inf where at
        least half the starts diverged.
    steps_to_tolerance: median first step with f − f* ≤ tolerance, NaN where at least half never got there
        (diverged runs never do); None when f* is unknown.
    diverged_fraction: the share of starts that diverged.
    """

    optimizer: str
    surface: str
    x_name: str
    x_values: np.ndarray
    x_log: bool
    y_name: str
    y_values: np.ndarray
    y_log: bool
    gap: np.ndarray
    steps_to_tolerance: np.ndarray | None
    diverged_fraction: np.ndarray
    starts: np.ndarray  # (S, 2)
    steps: int
    tolerance: float
    best_value: float | None  # f*, or None
    fixed: dict  # the other hyperparameters and options, as given
    schedule: Schedule | None = None  # the schedule of every cell (its swept parameters aside)
    labels: tuple[str, str] = ("x", "y")  # the axes' titles: "γ (gamma)"
    title: str = ""  # the optimizer's: "RMSProp", "Your rule" (its schedule, if any, is ``schedule``)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.y_values), len(self.x_values)

    @property
    def diverged(self) -> np.ndarray:
        """Cells where at least half the starts diverged: their median gap is infinite."""
        return np.isposinf(self.gap)


def grid_values(
    hyperparameter: Hyperparameter, count: int, low: float | None = None, high: float | None = None, whole=False
):
    """``count`` values from ``low`` to ``high`` (the slider's range by default): log-spaced where the
    hyperparameter's axis is log, else evenly spaced; ``whole`` numbers, without repeats, where the axis
    counts steps (``counts_steps``: a schedule's step_size, t_max, …)."""
    low = hyperparameter.low if low is None else low
    high = hyperparameter.high if high is None else high
    values = np.geomspace(low, high, count) if hyperparameter.log else np.linspace(low, high, count)
    if whole:
        values = np.unique(np.round(values))
    return values


def axis_values(spec, name: str, count: int, low=None, high=None, schedule: Schedule | None = None) -> np.ndarray:
    """``grid_values`` of the axis ``name``: whole numbers where it counts steps."""
    return grid_values(axis_parameter(spec, name, schedule), count, low, high, counts_steps(spec, name, schedule))


def schedule_axes(spec, schedule: Schedule | None) -> dict[str, Hyperparameter]:
    """The axes that sweep the schedule's parameters, by name: ``schedule_<p>`` sweeps its parameter p
    (renamed so, to keep it apart from a hyperparameter p). A name the optimizer owns stays its own."""
    kind = schedule.kind if schedule is not None else "constant"
    renamed = (
        h._replace(name=SCHEDULE_AXIS + h.name, symbol=f"schedule {h.symbol}") for h in schedules.PARAMETERS[kind]
    )
    return {h.name: h for h in renamed if h.name not in spec.defaults}


def counts_steps(spec, name: str, schedule: Schedule | None) -> bool:
    """Whether the axis ``name`` sweeps a schedule parameter that counts steps (step_size, t_max, …)."""
    return name in schedule_axes(spec, schedule) and name.removeprefix(SCHEDULE_AXIS) in schedules.INTEGERS


def axis_parameter(spec, name: str, schedule: Schedule | None = None) -> Hyperparameter:
    """What an axis called ``name`` sweeps: the optimizer's hyperparameter, or a schedule's parameter
    (``schedule_axes``)."""
    if name in spec.defaults:
        return spec.hyperparameter(name)
    parameters = schedule_axes(spec, schedule)
    if name not in parameters:
        known = ", ".join([*spec.defaults, *parameters])
        raise ValueError(f"Unknown hyperparameter for {spec.name}: {name!r} (known: {known})")
    return parameters[name]


def axis_names(spec, schedule: Schedule | None = None) -> list[str]:
    """Every name an axis of ``spec`` (with ``schedule``) can sweep."""
    return [h.name for h in spec.hyperparameters] + list(schedule_axes(spec, schedule))


def uniform_starts(surface, count: int, seed: int) -> np.ndarray:
    """``count`` points uniform in the surface's domain, the same for the same seed."""
    (x0, x1), (y0, y1) = surface.domain
    return np.random.default_rng(seed).uniform((x0, y0), (x1, y1), size=(count, 2))


def _axis(spec, name: str, values, schedule: Schedule | None) -> tuple[np.ndarray, bool, str]:
    """The checked grid of the axis ``name``, whether it is drawn on a log scale, and its title."""
    h = axis_parameter(spec, name, schedule)
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1 or not 1 <= len(values) <= MAX_CELLS:
        raise ValueError(f"Invalid grid for {name}: {values.shape} values (must be 1 to {MAX_CELLS} numbers)")
    h.check(values)
    return values, h.log and bool((values > 0).all()), f"{h.symbol} ({name})"


def _cell_schedule(spec, schedule: Schedule | None, per_run: dict) -> Schedule | None:
    """The schedule with the swept parameters of ``per_run`` (popped from it) as arrays, one entry a run;
    ValueError in the schedule's words for a value it does not take (a fraction of a step, say)."""
    axes = schedule_axes(spec, schedule)
    swept = {k.removeprefix(SCHEDULE_AXIS): per_run.pop(k) for k in list(per_run) if k in axes}
    if schedule is None or not swept:
        return schedule
    return schedules.schedule(
        schedule.kind, milestones=schedule.milestones, warmup=schedule.warmup, warmup_start=schedule.warmup_start,
        **{**schedule.params, **swept},
    )  # fmt: skip


def sweep(
    optimizer,
    surface,
    x_name: str,
    x_values,
    y_name: str,
    y_values,
    *,
    start=None,
    random_starts: int = 0,
    seed: int = 0,
    steps: int = 200,
    tolerance: float = 1e-4,
    fixed: dict | None = None,
    schedule: Schedule | None = None,
    backend: str = "numpy",
    device: str | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> SweepResult:
    """Run ``optimizer`` on ``surface`` for every pair of ``x_values`` × ``y_values`` of the hyperparameters
    ``x_name`` and ``y_name``, from ``start`` (the surface's first start by default) or from ``random_starts``
    points uniform in the surface's domain (drawn from ``seed``). ``fixed`` sets the other hyperparameters and
    options; the rest keep the optimizer's defaults. Every cell runs with ``schedule``, whose parameters an
    axis named ``schedule_<p>`` sweeps. One batched ``rmsviz.run``; ValueError above the caps.
    """
    spec, surface = resolve(optimizer, surface)
    if x_name == y_name:
        raise ValueError(f"Sweep two different hyperparameters (both axes are {x_name!r})")
    x_values, x_log, x_label = _axis(spec, x_name, x_values, schedule)
    y_values, y_log, y_label = _axis(spec, y_name, y_values, schedule)
    fixed = dict(fixed or {})
    if {x_name, y_name} & set(fixed):
        raise ValueError(f"{', '.join(sorted({x_name, y_name} & set(fixed)))} is swept: leave it out of fixed")
    _check_sizes(steps, random_starts, tolerance)
    if random_starts:
        starts = uniform_starts(surface, random_starts, seed)
    else:
        starts = np.asarray(surface.starts[0] if start is None else start, dtype=np.float64).reshape(1, 2)
    cells = len(x_values) * len(y_values)
    run_steps = cells * len(starts) * steps
    if run_steps > MAX_RUN_STEPS:
        raise ValueError(
            f"Too large a sweep: {len(y_values)} × {len(x_values)} cells × {len(starts)} starts × {steps} steps "
            f"= {run_steps:.3g} run-steps (at most {MAX_RUN_STEPS:.3g}); use fewer cells, starts or steps"
        )

    best = best_known_value(surface)
    grid_x, grid_y = np.meshgrid(x_values, y_values)  # (ny, nx): rows are y
    # start-major: run k is start k // cells at cell k % cells
    per_run = {x_name: np.tile(grid_x.ravel(), len(starts)), y_name: np.tile(grid_y.ravel(), len(starts))}
    cell_schedule = _cell_schedule(spec, schedule, per_run)
    trajectory = run(
        spec, surface, start=np.repeat(starts, cells, axis=0), steps=steps, backend=backend, device=device,
        record="final", target=None if best is None else best + tolerance, schedule=cell_schedule,
        on_progress=on_progress, hyperparameters={**fixed, **per_run},
    )  # fmt: skip

    gap, steps_to, diverged = _per_cell(trajectory, (len(starts), len(y_values), len(x_values)), best)
    return SweepResult(
        spec.name, surface.name, x_name, x_values, x_log, y_name, y_values, y_log,
        gap, steps_to, diverged, starts, int(steps), float(tolerance), best, fixed, schedule,
        (x_label, y_label),
        spec.title,
    )  # fmt: skip


def _per_cell(trajectory, shape: tuple[int, int, int], best: float | None):
    """Per cell, over the starts: the median final loss gap (inf where a run diverged), the median steps to
    the tolerance (NaN where most never reached it; None without a known minimum), the diverged fraction."""
    diverged = trajectory.diverged.reshape(shape)
    final = trajectory.loss[-1].reshape(shape) - (best or 0.0)
    gap = np.where(diverged | ~np.isfinite(final), np.inf, final)
    steps_to = None
    if best is not None:
        reached = trajectory.reached_at.reshape(shape).astype(np.float64)
        reached = np.where((reached < 0) | diverged, np.inf, reached)
        steps_to = np.median(reached, axis=0)
        steps_to[np.isinf(steps_to)] = np.nan
    return np.median(gap, axis=0), steps_to, diverged.mean(axis=0)


def _check_sizes(steps: int, random_starts: int, tolerance: float) -> None:
    if not isinstance(steps, (int, np.integer)) or not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"Invalid steps: {steps} (must be an integer in [1, {MAX_STEPS}])")
    if not isinstance(random_starts, (int, np.integer)) or not 0 <= random_starts <= MAX_STARTS:
        raise ValueError(f"Invalid random_starts: {random_starts} (must be an integer in [0, {MAX_STARTS}])")
    if not (np.isfinite(tolerance) and tolerance > 0):
        raise ValueError(f"Invalid tolerance: {tolerance} (must be a positive number)")


class Outcome(NamedTuple):
    """One outcome of a sweep as its heatmap shows it."""

    name: str  # a key of OUTCOMES
    values: np.ndarray  # per cell
    best: tuple[int, int] | None  # best_cell's (row, column)


def outcome(result: SweepResult, name: str) -> Outcome:
    """What the heatmap of ``name`` shows: its values and best cell (ValueError for steps without a known f*)."""
    values = outcome_values(result, name)
    if values is None:
        raise ValueError("Steps to tolerance need a known minimum; this surface lists none")
    return Outcome(name, values, best_cell(result, name))


def best_cell(result: SweepResult, outcome: str = "gap") -> tuple[int, int] | None:
    """(row, column) of the best cell for ``outcome`` (lowest value; ties go to the lower gap), or None when
    no cell has a finite value."""
    primary = outcome_values(result, outcome)
    if primary is None:
        return None
    usable = np.isfinite(primary) & np.isfinite(result.gap)
    if not usable.any():
        return None
    order = np.lexsort((np.where(usable, result.gap, np.inf).ravel(), np.where(usable, primary, np.inf).ravel()))
    return tuple(int(i) for i in np.unravel_index(order[0], result.shape))


def outcome_values(result: SweepResult, outcome: str) -> np.ndarray | None:
    """The per-cell array an outcome name stands for (None: steps without a known f*)."""
    if outcome not in OUTCOMES:
        raise ValueError(f"Unknown outcome: {outcome!r} (known: {', '.join(OUTCOMES)})")
    return {"gap": result.gap, "steps": result.steps_to_tolerance, "diverged": result.diverged_fraction}[outcome]
