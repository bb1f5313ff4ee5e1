"""The leaky average behind RMSProp: s_t = γ s_{t−1} + (1 − γ) g_t², unrolled.

With s_0 = 0, s_k = Σ_{j=1..k} (1 − γ) γ^{k−j} g_j²: the squared gradient t steps back
weighs (1 − γ)γ^t. The weights of the last t steps add up to 1 − γ^t (so a
zero-initialised average is biased low early on), the average remembers about
1/(1 − γ) steps, and a weight halves every ln ½ / ln γ steps. All vectorized over γ.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from rmsviz.i18n import N_, Refusal
from rmsviz.surfaces.expression import comma_list, excerpt, underflows

MAX_GAMMAS = 8


class WeightCurves(NamedTuple):
    """The weights figure's numbers, one row per γ: the curves over t = 0 … horizon − 1 steps back, and their
    values at each γ's two marks, its half-life and its window 1/(1 − γ) (in steps, not whole ones)."""

    gammas: tuple[float, ...]
    weights: np.ndarray  # (G, horizon): (1 − γ)γ^t, the weight of the squared gradient t steps back
    cumulative: np.ndarray  # (G, horizon): 1 − γ^t, the share of s the last t squared gradients hold
    marks: np.ndarray  # (G, 2): the half-life and the window
    mark_weights: np.ndarray  # (G, 2): the weight at each mark
    mark_cumulative: np.ndarray  # (G, 2): the share of s at each mark


class StateParts(NamedTuple):
    """What s_k is made of, per coordinate (the last axis): the squared gradients g_j² of the steps
    j = 1 … k, the weight (1 − γ)γ^{k−j} each gets in s_k, and s_k itself, their weighted sum."""

    k: int
    gamma: float
    squared: np.ndarray  # (k, 2)
    weights: np.ndarray  # (k, 2)
    s_k: np.ndarray  # (2,)
    window: float  # 1/(1 − γ): how many of the last steps s remembers


def _gammas(gammas) -> np.ndarray:
    return np.asarray(gammas, dtype=np.float64).reshape(-1, 1)


def _weight(g, t):
    return (1 - g) * g**t


def _cumulative(g, t):
    return 1 - g**t


def decay_weights(gammas, horizon: int) -> np.ndarray:
    """(1 − γ)γ^t for t = 0 … horizon − 1, one row per γ."""
    return _weight(_gammas(gammas), np.arange(horizon))


def cumulative_weight(gammas, horizon: int) -> np.ndarray:
    """1 − γ^t for t = 0 … horizon − 1: the share of s that the last t squared gradients make up."""
    return _cumulative(_gammas(gammas), np.arange(horizon))


def effective_window(gammas) -> np.ndarray:
    """1/(1 − γ): how many steps the average remembers (inf at γ = 1)."""
    g = np.asarray(gammas, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return 1 / (1 - g)


def half_life(gammas) -> np.ndarray:
    """ln ½ / ln γ: steps until a weight halves (0 at γ = 0, inf at γ = 1)."""
    g = np.asarray(gammas, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.where(g == 1, np.inf, np.log(0.5) / np.log(g))


def weights_in_state(gradients_squared, gamma, k: int) -> np.ndarray:
    """The weight (1 − γ)γ^{k−j} that g_j² carries in s_k, for j = 1 … k (s_0 = 0).

    ``gradients_squared`` is a recorded run's g², shape (steps + 1, …, 2), row j the step j
    (row 0 is before the first step and unused); γ is a number or one per run, shape (B,).
    The weights come shaped like ``gradients_squared[1 : k + 1]``, so that
    s_k = Σ_j weight_j g_j² = (weights * gradients_squared[1 : k + 1]).sum(axis=0).
    """
    g2 = np.asarray(gradients_squared)
    if not 0 <= k < len(g2):
        raise ValueError(f"k = {k} is not a recorded step (0 … {len(g2) - 1})")
    # one exponent k − j per row, broadcast over runs (γ's axis) and coordinates (the last axis)
    exponents = (k - np.arange(1, k + 1)).reshape(k, *[1] * (g2.ndim - 1))
    gamma = np.asarray(gamma, dtype=np.float64)[..., None]
    return np.broadcast_to((1 - gamma) * gamma**exponents, g2[1 : k + 1].shape)


def weight_curves(gammas, horizon: int) -> WeightCurves:
    """The weights figure's numbers for ``gammas`` over ``horizon`` steps back (none for a horizon ≤ 0)."""
    g = _gammas(gammas)
    horizon = max(horizon, 0)
    marks = np.column_stack([half_life(g[:, 0]), effective_window(g[:, 0])])
    return WeightCurves(
        tuple(float(x) for x in g[:, 0]), decay_weights(g, horizon), cumulative_weight(g, horizon), marks,
        _weight(g, marks), _cumulative(g, marks),
    )  # fmt: skip


def state_parts(grads, s, gamma: float, k: int) -> StateParts | None:
    """What s_k is made of in a recorded run: ``grads`` and ``s`` are its (steps + 1, 2) arrays (row j: step j;
    grads[0] is NaN); k is clipped to the last recorded step. None before the first step: nothing to show."""
    grads = np.asarray(grads if grads is not None else np.empty((0, 2)), dtype=np.float64)
    k = min(k, len(grads) - 1)
    if k < 1:
        return None
    weights = weights_in_state(grads**2, gamma, k)
    s_k = np.asarray(s, dtype=np.float64)[k]
    return StateParts(k, gamma, grads[1 : k + 1] ** 2, weights, s_k, float(effective_window(gamma)))


def scrubbed_curves(gammas, scrubbed, horizon: int) -> list[WeightCurves]:
    """The weights figure's numbers for ``gammas`` and one more γ, for each γ in ``scrubbed`` (a scrub's values)."""
    return [weight_curves((*gammas, float(g)), horizon) for g in scrubbed]


def batch_state_parts(grads, s, gammas, ks) -> list[StateParts | None]:
    """``state_parts`` of each run of a batched recorded run: ``grads`` and ``s`` are (steps + 1, B, 2), run b
    ran with ``gammas[b]`` and is taken apart at step ``ks[b]``."""
    grads, s = np.asarray(grads), np.asarray(s)
    return [
        state_parts(grads[:, b], s[:, b], float(g), int(k)) for b, (g, k) in enumerate(zip(gammas, ks, strict=True))
    ]


def parse_gammas(text: str) -> tuple[float, ...]:
    """ "0.95, 0.9, 0.8" -> (0.95, 0.9, 0.8); a Refusal (a ValueError) naming the entry that is not a γ in [0, 1]."""
    empty = N_("Give at least one γ, for example 0.95, 0.9, 0.8, 0.7")
    too_many = N_("At most {limit} values of γ, not {count}")
    entries = comma_list(text, MAX_GAMMAS, empty=empty, too_many=too_many)
    gammas = []
    for entry in entries:
        try:
            value = float(entry)
        except ValueError:
            raise Refusal(N_("'{entry}' is not a number: γ must be in [0, 1]"), entry=excerpt(entry)) from None
        if underflows(entry, value):
            raise Refusal(
                N_("γ = {entry} is below the smallest number a float64 holds (about 5e-324), it would read as 0; "
                   "write 0 if you mean 0"), entry=excerpt(entry),
            )  # fmt: skip
        if not 0 <= value <= 1:  # NaN fails too
            raise Refusal(N_("Invalid gamma: {entry} (must be in [0, 1])"), entry=excerpt(entry))
        gammas.append(value)
    return tuple(gammas)
