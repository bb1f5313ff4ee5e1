"""What an optimizer sees: a run in the coordinates its own step sizes make (issue 26).

A step x_k = x_{k−1} − P_k g with a diagonal P_k = diag(p_k) is plain gradient descent at rate 1 in the
coordinates z = P_k^(−½) x: there the loss is f̃(z) = f(P_k^½ z), its gradient P_k^½ g, and
z − P_k^½ g = P_k^(−½)(x − P_k g). f̃ is the landscape the optimizer sees; its Hessian is P_k^½ H P_k^½. Where
that matrix's condition number κ is near 1 its contours are circles and a step runs straight at the middle.
A diagonal P stretches the coordinate axes, so it can round an ellipse whose axes are x and y, but not one
turned away from them.

P_k is the rate step k applied, as the run recorded it (``stability.rates``: ``Trajectory.effective_lr`` with
its spec's rate share), so no optimizer's formula is written again here: RMSProp's and Adagrad's η/√(s + ε),
SGD's and momentum's η (the identity times η: κ as plain), Adam's η/(1 − β₁ᵗ)/(√v̂ + ε), AdaDelta's, and a
typed rule's −update/g. With momentum the step in z is the heavy ball's rather than plain descent, but the
landscape it sees is still f̃. An optimizer whose recorded rate is no P of x − P·g says why on its spec
(``meaning.no_preconditioner``: Rprop's rate is its step's size, sign(g)·Δ).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from rmsviz.i18n import N_
from rmsviz.optimizers import spec_of
from rmsviz.stability import rates
from rmsviz.surfaces import Surface
from rmsviz.trajectory import Trajectory

SETTLED = 0.05  # κ has settled from the step on which it stays within this share of its last value
ROUND = 1.1  # a landscape this close to κ = 1 is nearly round


def symmetric_eigenvalues(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The eigenvalues of symmetric 2×2 matrices ``s`` (..., 2, 2): (the one nearer 0, the one farther), in
    closed form. The far one is mean ± radius with the mean's sign, the near one det/far, which keeps the
    digits that mean − radius would cancel."""
    a, b, d = s[..., 0, 0], s[..., 0, 1], s[..., 1, 1]
    mean, radius = (a + d) / 2, np.hypot((a - d) / 2, b)
    far = mean + np.copysign(radius, mean)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (a * d - b * b) / far, far


def condition_number(p: np.ndarray, h: np.ndarray) -> np.ndarray:
    """κ(P^½ H P^½) = max |λ| / min |λ| for P = diag(p), p of shape (..., 2), H of shape (..., 2, 2): ∞ where
    the matrix is singular, NaN where it is zero or p is not a positive rate. κ(H) itself is p = (1, 1)."""
    with np.errstate(invalid="ignore"):
        root = np.sqrt(np.where(p > 0, p, np.nan))
    near, far = symmetric_eigenvalues(root[..., :, None] * h * root[..., None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.abs(far) / np.abs(near)


class Preconditioning(NamedTuple):
    """A single run (record="all") in its optimizer's coordinates, per step k (0 ≤ k ≤ steps).

    rates: (steps+1, 2), diag(P_k), the rate step k applied; NaN at step 0, where it is not a positive
        number (a typed rule's −update/g where g = 0), and from divergence on.
    path: (steps+1, 2), the run's points x_k.
    plain: (steps+1,), κ(H) at x_{k−1}, the point whose gradient step k used (NaN where rates are).
    seen: (steps+1,), κ(P_k^½ H(x_{k−1}) P_k^½), the landscape step k saw (NaN where rates are).
    """

    rates: np.ndarray
    path: np.ndarray
    plain: np.ndarray
    seen: np.ndarray

    def frame_rates(self, k: int) -> np.ndarray:
        """The P that frame k is drawn in: step k's; at a step without a rate the latest earlier step's (a
        diverged run keeps its last), and at step 0 (the start, no step taken yet) the first step's."""
        known = np.flatnonzero(np.isfinite(self.rates).all(-1))
        if not known.size:
            return np.full(2, np.nan)
        earlier = known[known <= k]
        return self.rates[earlier[-1] if earlier.size else known[0]]

    def to_coordinates(self, xy: np.ndarray, k: int) -> np.ndarray:
        """Points ``xy`` (..., 2) in frame k's coordinates: z = P^(−½) x."""
        return np.asarray(xy) / np.sqrt(self.frame_rates(k))

    def from_coordinates(self, z: np.ndarray, k: int) -> np.ndarray:
        """The inverse: x = P^½ z, where f̃(z) = f(x) is the loss frame k's coordinates show."""
        return np.asarray(z) * np.sqrt(self.frame_rates(k))

    @property
    def known(self) -> bool:
        """Whether any step has a rate to draw its coordinates with."""
        return bool(np.isfinite(self.rates).all(-1).any())


def no_preconditioner(optimizer) -> str:
    """Why the optimizer's recorded rate is no P of its step x − P·g, in words (its spec's
    ``meaning.no_preconditioner``: Rprop); "" where it is (every other built-in, a typed rule, your own)."""
    spec = spec_of(optimizer)
    return "" if spec is None else spec.meaning.no_preconditioner


def preconditioning(trajectory: Trajectory, surface: Surface) -> Preconditioning | None:
    """A single run's step sizes, path and condition numbers per step (needs ``record="all"``); None where the
    run kept no rates or its optimizer's rate is no preconditioner (``no_preconditioner``)."""
    if trajectory.effective_lr is None or no_preconditioner(trajectory.optimizer):
        return None
    p = np.array(rates(trajectory), dtype=float)
    if trajectory.diverged:
        p[trajectory.diverged_at :] = np.nan
    p[~(p > 0).all(-1)] = np.nan  # a rate of 0 or less makes no coordinates
    h = np.full((len(p), 2, 2), np.nan)
    with np.errstate(all="ignore"):
        h[1:] = surface.hessian(trajectory.path[:-1])  # step k's gradient was taken at x_{k−1}
    plain = np.where(np.isfinite(p).all(-1), condition_number(np.ones(2), h), np.nan)
    return Preconditioning(p, np.asarray(trajectory.path, dtype=float), plain, condition_number(p, h))


def summary(seen: Preconditioning, label: str, gettext: Callable[[str], str] = N_) -> str:
    """How far the racer brings κ down on this surface, and from which step, in the run's numbers; in the language
    of ``gettext`` (English by default): whole sentences, each a template with named numbers."""
    valid = np.flatnonzero(np.isfinite(seen.plain) & np.isfinite(seen.seen))
    if not valid.size:
        return gettext(
            "κ(P^½HP^½) has no value at any step of {label}'s run: the Hessian is singular or zero wherever it "
            "stepped, or no step had a rate."
        ).format(label=label)
    plain, kappa = seen.plain[valid], seen.seen[valid]
    first, last = int(valid[0]), int(valid[-1])
    low, high = plain.min(), plain.max()
    numbers = {"label": label, "low": f"{low:.3g}", "high": f"{high:.3g}", "first": first, "last": last}
    if high <= low * 1.001:
        path = gettext("κ(H) is {low} at every step of {label}'s path.")
    else:
        path = gettext("κ(H) runs from {low} to {high} along {label}'s path.")
    if np.allclose(seen.rates[valid, 0], seen.rates[valid, 1], rtol=1e-12):
        sizes = gettext("Its P is a multiple of the identity, so κ(P^½HP^½) = κ(H): it sees the landscape as it is.")
        return f"{path.format(**numbers)} {sizes}"
    settled = valid[np.flatnonzero(np.abs(kappa / kappa[-1] - 1) > SETTLED)]
    from_step = int(valid[valid > settled.max()][0]) if settled.size else first
    factor = plain[-1] / kappa[-1]
    numbers |= {
        "from_step": from_step, "share": f"{SETTLED:.0%}", "kappa": f"{kappa[-1]:.3g}",
        "kappa_first": f"{kappa[0]:.3g}", "effect": _effect(factor, kappa[-1], gettext),
    }  # fmt: skip
    if from_step == first:
        sizes = gettext(
            "From step {first} on its step sizes keep κ(P^½HP^½) within {share} of {kappa}, its value at step "
            "{last}: {effect}."
        )
    else:
        sizes = gettext(
            "Its step sizes make κ(P^½HP^½) {kappa_first} at step {first}; from step {from_step} on it stays within "
            "{share} of {kappa}, its value at step {last}: {effect}."
        )
    return f"{path.format(**numbers)} {sizes.format(**numbers)}"


def _effect(factor: float, kappa: float, gettext: Callable[[str], str]) -> str:
    """What the step sizes do to κ by the last step: divide it (to nearly round, or not), multiply it, or neither."""
    if factor >= 1 + SETTLED and kappa <= ROUND:
        return gettext("κ divided by {factor}, a landscape nearly round").format(factor=f"{factor:.3g}")
    if factor >= 1 + SETTLED:
        effect = gettext("κ divided by {factor}, a landscape rounder, though far from round (κ = 1)")
        return effect.format(factor=f"{factor:.3g}")
    if factor <= 1 / (1 + SETTLED):
        effect = gettext("κ multiplied by {factor}, a landscape worse than the plain one")
        return effect.format(factor=f"{1 / factor:.3g}")
    return gettext("about the plain κ; its step sizes do not round this landscape")
