"""Your own optimizer, from Python: in optax's form for the batched engine, or in the chapter's form.

``optimizer(name, init, update, hyperparameters)`` turns two plain functions into an ``OptimizerSpec``
that ``rmsviz.run``, the sweep and the figures take like a built-in::

    init(x, **hyperparameters) -> state                 # x: (B, 2); state: a NamedTuple or a dict of arrays
    update(g, state, **hyperparameters) -> (updates, state)     # the new point is x + updates

Both are written once over ``rmsviz.namespace(g)`` (NumPy, or torch under NumPy's names), so they run
batched over B runs on either backend; a hyperparameter arrives as a float or as an array of shape
(B, 1). The effective rate recorded per coordinate is −update / g unless ``effective_lr`` is given.

``trace(trainer, ...)`` runs a trainer written as d2l's chapter writes RMSProp, scalars in and out with
its own gradient inside, ``x1, x2, s1, s2 = trainer(x1, x2, s1, s2)``, for N steps into a Trajectory:
one run, a plain Python loop (fine for the 20 to 2 000 steps a figure shows).
"""

from __future__ import annotations

import collections
import functools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from rmsviz.backend import ArrayLike, namespace
from rmsviz.engine import MAX_STEPS, OVERFLOW, resolve_surface
from rmsviz.optimizers import Hyperparameter, Optimizer, OptimizerSpec
from rmsviz.surfaces import Surface
from rmsviz.trajectory import DivergedBy, Trajectory

NAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


class CustomOptimizerError(RuntimeError):
    """A user's own optimizer or trainer failed: which function, at which step, and what it raised."""


def optimizer(
    name: str,
    init: Callable[..., Any],
    update: Callable[..., tuple[Any, Any]],
    hyperparameters: Sequence[Hyperparameter] = (),
    *,
    title: str | None = None,
    effective_lr: Callable[..., Any] | None = None,
) -> OptimizerSpec:
    """An OptimizerSpec from your ``init`` and ``update`` (see the module's docstring) and the
    hyperparameters they take, each declared with its default, slider range, valid interval and symbol.

    ``effective_lr(state, **hyperparameters)``, if given, is the per-coordinate rate recorded with
    ``record="all"``; without it the rate is −update / g (NaN where g = 0). An exception inside ``update``
    becomes a CustomOptimizerError naming the step.
    """
    if not isinstance(name, str) or not name or not set(name) <= NAME_CHARACTERS:
        raise ValueError(f"Invalid name: {name!r} (lowercase letters, digits and _)")
    if not callable(init) or not callable(update):
        raise TypeError("init and update must be functions: init(x, **hp) -> state, update(g, state, **hp)")
    hyperparameters = tuple(hyperparameters)
    if not all(isinstance(h, Hyperparameter) for h in hyperparameters):
        raise TypeError("hyperparameters must be rmsviz.Hyperparameter(name, default, low, high, log, symbol, doc)")
    names = [h.name for h in hyperparameters]
    if len(set(names)) != len(names):
        raise ValueError(f"Each hyperparameter needs its own name: {', '.join(names)}")

    def factory(**values) -> Optimizer:
        unknown = set(values) - set(names)
        if unknown:
            raise ValueError(f"Unknown hyperparameter for {name}: {', '.join(sorted(unknown))} (known: {names})")
        values = {h.name: values.get(h.name, h.default) for h in hyperparameters}
        for h in hyperparameters:
            h.check(values[h.name])
        return _wrapped(name, init, update, effective_lr, values)

    return OptimizerSpec(name, title or name, factory, hyperparameters, {})


def _wrapped(name: str, init, update, effective_lr, values: dict) -> Optimizer:
    """init/update as the engine calls them (one state type, a NamedTuple), counting steps for messages.
    The engine makes one Optimizer per chunk of runs, so what this closure keeps is that chunk's own."""
    step, last, as_dict = 0, None, False  # last: (updates, g) of the latest step, for the rate

    def given(state):
        return state._asdict() if as_dict else state

    def wrapped_init(x):
        nonlocal as_dict
        state = _call(name, "init", 0, init, x, **values)
        as_dict = isinstance(state, dict)
        return _as_namedtuple(name, state)

    def wrapped_update(g, state):
        nonlocal step, last
        step += 1
        result = _call(name, "update", step, update, g, given(state), **values)
        if not (isinstance(result, tuple) and len(result) == 2):
            raise CustomOptimizerError(f"{name}'s update must return (updates, state); at step {step} it did not")
        updates, new_state = result
        last = (updates, g)
        return updates, _as_namedtuple(name, new_state)

    def wrapped_rate(state):
        """−update / g, computed only when asked (record="all"): a batch that records less pays nothing."""
        if effective_lr is not None:
            return effective_lr(given(state), **values)
        updates, g = last
        xp = namespace(g)
        return xp.where(g != 0, -updates / xp.where(g != 0, g, 1.0), math.nan)

    return Optimizer(wrapped_init, wrapped_update, wrapped_rate)


def _call(name: str, what: str, step: int, function, /, *args, **kwargs):
    """``function(*args, **kwargs)``, an exception said with where it happened. Positional-only, so that a
    hyperparameter among ``kwargs`` may be called ``name``, ``step`` or ``function``."""
    try:
        return function(*args, **kwargs)
    except Exception as error:  # the user's code: any exception, said in words with where it happened
        at = "at init" if what == "init" else f"at step {step}"
        raise CustomOptimizerError(f"{name}'s {what} failed {at}: {type(error).__name__}: {error}") from error


@functools.cache
def _state_type(fields: tuple[str, ...]):
    return collections.namedtuple("State", fields)


def _as_namedtuple(name: str, state):
    """The engine freezes diverged runs field by field: a state is a NamedTuple (a dict becomes one)."""
    if isinstance(state, dict):
        if not all(isinstance(k, str) and k.isidentifier() and not k.startswith("_") for k in state):
            raise CustomOptimizerError(f"{name}: the state's keys must be names such as 's' or 'velocity'")
        return _state_type(tuple(state))(**state)
    if isinstance(state, tuple) and hasattr(state, "_asdict"):
        return state
    raise CustomOptimizerError(
        f"{name}: the state must be a NamedTuple or a dict of arrays, not {type(state).__name__}"
    )


# --- the chapter's form -------------------------------------------------------------------------------


def trace(
    trainer: Callable[..., Sequence[float]],
    start: ArrayLike = (-5.0, -2.0),
    state: Sequence[float] = (0.0, 0.0),
    steps: int = 20,
    surface: str | Surface = "elliptic",
    *,
    name: str | None = None,
    state_names: Sequence[str] | None = None,
    hyperparameters: dict | None = None,
) -> Trajectory:
    """Run a chapter-form ``trainer`` for ``steps`` steps from ``start`` into a Trajectory.

    ``x1, x2, *state = trainer(x1, x2, *state)`` at every step, as d2l's ``train_2d`` does; ``state``
    holds the trainer's own variables in pairs, one value per coordinate ((s1, s2) for RMSProp), recorded
    under ``state_names`` (s, s2, ... by default). ``surface`` gives the loss and the picture; the trainer
    computes its own gradient. ``hyperparameters`` are only written into the Trajectory (for labels and
    the code that rebuilds it). A step that returns a non-finite number or a point beyond 1e12 marks the
    run diverged there and keeps it still, as ``rmsviz.run`` does; an exception in the trainer, or an
    answer of the wrong form, raises CustomOptimizerError naming the step.
    """
    surface = resolve_surface(surface)
    if not isinstance(steps, (int, np.integer)) or not 0 <= steps <= MAX_STEPS:
        raise ValueError(f"Invalid steps: {steps} (must be an integer in [0, {MAX_STEPS}])")
    x = np.asarray(start, dtype=np.float64)
    if x.shape != (2,) or not np.isfinite(x).all():
        raise ValueError(f"Invalid start: {start!r} (must be two finite numbers)")
    state = [float(v) for v in state]
    if len(state) % 2:
        raise ValueError(f"Invalid state: {len(state)} values (one per coordinate: pairs such as s1, s2)")
    names = tuple(state_names or ("s", *(f"s{i + 1}" for i in range(1, len(state) // 2))))[: len(state) // 2]
    if len(names) != len(state) // 2:
        raise ValueError(f"Invalid state_names: {len(names)} names for {len(state) // 2} pairs")
    label = name or getattr(trainer, "__name__", "trainer")

    values = np.full((steps + 1, 2 + len(state)), np.nan)
    values[0] = [*x, *state]
    diverged_at, diverged_by = -1, DivergedBy.NOTHING
    for k in range(1, steps + 1):
        if diverged_at >= 0:
            values[k] = values[k - 1]
            continue
        values[k] = _chapter_step(trainer, label, k, values[k - 1], len(state))
        point_fine = np.abs(values[k, :2]).max() < OVERFLOW  # False for NaN too
        if not (point_fine and np.isfinite(values[k]).all()):
            diverged_at, values[k] = k, values[k - 1]
            diverged_by = DivergedBy.POINT if not point_fine else DivergedBy.STATE
    path = values[:, :2]
    with np.errstate(all="ignore"):
        loss = np.asarray(surface.f(path), dtype=np.float64)
    return Trajectory(
        optimizer=label,
        surface=surface.name,
        path=path,
        loss=loss,
        diverged=diverged_at >= 0,
        diverged_at=diverged_at,
        hyperparameters=dict(hyperparameters or {}),
        state={n: values[:, 2 + 2 * i : 4 + 2 * i] for i, n in enumerate(names)},
        diverged_by=diverged_by,
    )


def _chapter_step(trainer, label: str, k: int, previous: np.ndarray, state_size: int) -> list[float]:
    """One call of the trainer, its answer checked: 2 + state_size numbers."""
    try:
        answer = trainer(*(float(v) for v in previous))
    except Exception as error:  # the user's code: any exception, said with the step
        raise CustomOptimizerError(f"{label} failed at step {k}: {type(error).__name__}: {error}") from error
    try:
        answer = [float(v) for v in answer]
    except (TypeError, ValueError):
        raise CustomOptimizerError(
            f"{label} returned {type(answer).__name__} at step {k}: it must return numbers (x1, x2, *state)"
        ) from None
    if len(answer) != 2 + state_size:
        raise CustomOptimizerError(
            f"{label} returned {len(answer)} values at step {k}, expected {2 + state_size} (x1, x2 and the state)"
        )
    return answer
