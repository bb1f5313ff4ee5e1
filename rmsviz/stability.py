"""Why a run bounces: the preconditioned sharpness of each step against the threshold past which it overshoots.

Near a point x, a loss is a quadratic with Hessian H, and a step x ← x − P g with a per-coordinate rate
P = diag(p) multiplies the error by I − P H. P H is similar to the symmetric P^½ H P^½, so its eigenvalues
λ are real; the error along an eigenvector is multiplied by 1 − λ each step, which shrinks it only while
0 < λ < 2. The preconditioned sharpness λ_max(P H) (Cohen et al., "Adaptive Gradient Methods at the Edge
of Stability", 2022) against its threshold 2 says whether a step corrects more than it overshoots.

What P is, per optimizer (``Trajectory.effective_lr`` holds the per-coordinate rate each step applied):
  SGD: η.   RMSProp, Adagrad: η/√(s + ε) (or η/(√s + ε)).   AdaDelta: η √(Δacc + ε)/√(s + ε).
  Momentum: η(1 − τ).   Adam: η/(1 − β₁ᵗ) / (√v̂ + ε), the rate its bias-corrected m is applied with.
The thresholds follow from each update's recurrence on a quadratic, with P held fixed: each spec's
``meaning.threshold`` (derived in ``rmsviz.meaning``), and what P is beyond the recorded rate, its
``rate_share``. Rprop has none: its step is sign(g)·Δ, whose size does not depend on g, so there is no
linear map I − P H to be stable or not; a sign flip halves Δ instead, and Rprop cannot blow up on a
quadratic. An optimizer whose spec says nothing (a typed rule) has none here either: its form is unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from rmsviz.i18n import N_
from rmsviz.metrics import best_known_value
from rmsviz.optimizers import OptimizerSpec, spec_of
from rmsviz.schedules import scheduled_lr
from rmsviz.surfaces import Surface
from rmsviz.trajectory import Trajectory

COORDINATES = ("x", "y")
UNKNOWN_FORM = N_(
    "{label} has no stability threshold here: it is your own update, and the threshold depends on its form "
    "(2 for x − P·g, 2(1 + β) with heavy-ball momentum), which rmsviz cannot read off a rule."
)
RISE = 2.0  # a loss (gap to the best known value) this many times its best, or more, has risen: say why
# The sentences below take ``gettext``: the lookup of the language to write in (rmsviz.i18n.translator's), English
# by default. Each is a whole template with named numbers; Babel extracts the templates from those calls.
Gettext = Callable[[str], str]


class Stability(NamedTuple):
    """The preconditioned sharpness of one run (or a batch) per step, and its threshold.

    sharpness: (steps+1,) or (steps+1, B), λ_max(P_k H(x_{k−1})) for step k; NaN at 0 and from divergence on.
    per_coordinate: (steps+1, [B,] 2), p_i · H_ii: the share of each coordinate (the whole story on a
        surface without cross terms).
    rate, curvature: (steps+1, [B,] 2), the p_i and H_ii behind it.
    threshold: a float or (B,): past it the step overshoots by more than it corrects.
    rule: the threshold's formula, in words.
    """

    sharpness: np.ndarray
    per_coordinate: np.ndarray
    rate: np.ndarray
    curvature: np.ndarray
    threshold: float | np.ndarray
    rule: str


def largest_eigenvalue(p: np.ndarray, h: np.ndarray) -> np.ndarray:
    """λ_max(diag(p) H) for p of shape (..., 2) and H of shape (..., 2, 2), in closed form.

    For M = diag(p) H: tr M = p₁H₁₁ + p₂H₂₂, det M = p₁p₂(H₁₁H₂₂ − H₁₂H₂₁), and
    λ = tr/2 ± √((p₁H₁₁ − p₂H₂₂)²/4 + p₁p₂H₁₂H₂₁). With p ≥ 0 and H symmetric the root's argument
    is a sum of squares, so both eigenvalues are real.
    """
    a, d = p[..., 0] * h[..., 0, 0], p[..., 1] * h[..., 1, 1]
    cross = p[..., 0] * p[..., 1] * h[..., 0, 1] * h[..., 1, 0]
    return (a + d) / 2 + np.sqrt(np.maximum(((a - d) / 2) ** 2 + cross, 0.0))


def threshold(optimizer: str | OptimizerSpec, hyperparameters: dict) -> tuple[float | np.ndarray, str] | None:
    """The largest λ of P H (P as in the module's docstring) for which the update shrinks every error on a
    quadratic, with its formula; None for Rprop and for an update of a form rmsviz does not know (a rule)."""
    spec = spec_of(optimizer)
    if spec is None or spec.meaning.threshold is None:
        return None
    return spec.meaning.threshold(spec.with_defaults(hyperparameters))


def rates(trajectory: Trajectory) -> np.ndarray:
    """P per step, (steps+1, [B,] 2): the rate the gradient was applied with (NaN at step 0)."""
    p = np.asarray(trajectory.effective_lr, dtype=float)
    spec = spec_of(trajectory.optimizer)
    if spec is not None and spec.meaning.rate_share is not None:
        p = p * np.asarray(spec.meaning.rate_share(spec.with_defaults(trajectory.hyperparameters)))[..., None]
    return p


def stability(trajectory: Trajectory, surface: Surface) -> Stability | None:
    """The run's preconditioned sharpness per step (needs ``record="all"``); None where the optimizer has no
    threshold (Rprop) or the run kept no rates."""
    rule = threshold(trajectory.optimizer, trajectory.hyperparameters)
    if rule is None or trajectory.effective_lr is None:
        return None
    p = rates(trajectory)
    h = np.full((*p.shape, 2), np.nan)
    with np.errstate(all="ignore"):
        h[1:] = surface.hessian(trajectory.path[:-1])  # step k's gradient was taken at x_{k−1}
    curvature = np.stack([h[..., 0, 0], h[..., 1, 1]], -1)
    sharpness = largest_eigenvalue(p, h)
    per_coordinate = p * curvature
    steps = np.arange(len(p)).reshape((-1,) + (1,) * (p.ndim - 2))
    frozen = steps >= np.where(np.asarray(trajectory.diverged), trajectory.diverged_at, len(p))
    sharpness = np.where(frozen, np.nan, sharpness)
    per_coordinate = np.where(frozen[..., None], np.nan, per_coordinate)
    return Stability(sharpness, per_coordinate, p, curvature, *rule)


def rate_ceiling(optimizer: str | OptimizerSpec, hyperparameters: dict) -> float | np.ndarray | None:
    """The largest rate ε allows once s has fallen to 0: η/√ε (ε inside the root) or η/ε, for an optimizer
    whose rate is η/√(s + ε) (RMSProp, Adagrad: its spec's ``meaning.root_rate``); None for the others."""
    spec = spec_of(optimizer)
    if spec is None or spec.meaning.root_rate is None:
        return None
    return spec.meaning.root_rate.ceiling(spec.with_defaults(hyperparameters))


def still_average(optimizer: str | OptimizerSpec, hyperparameters: dict, gettext: Gettext = N_) -> str | None:
    """Why every step rides the rate's ceiling, where the settings keep the average s under the root from
    moving (RMSProp at γ = 1), with the ceiling's value; None where they do not."""
    spec = spec_of(optimizer)
    root = None if spec is None else spec.meaning.root_rate
    if root is None or root.decay is None:
        return None
    settings = spec.with_defaults(hyperparameters)
    if np.any(np.asarray(settings[root.decay]) != 1.0):
        return None
    sentence = gettext(
        "with {symbol} = 1 the leaky average {state} never moves off 0, so every step is η·g/{root}: {ceiling} "
        "times the gradient"
    )
    root_words = "√ε" if settings["eps_in_sqrt"] else "ε"
    symbol = spec.hyperparameter(root.decay).symbol
    return sentence.format(symbol=symbol, state=root.state, root=root_words, ceiling=f"{root.ceiling(settings):.3g}")


def lr_per_step(trajectory: Trajectory) -> np.ndarray | None:
    """η_t of each step of a run with a schedule (NaN at step 0), from its own losses; None without one."""
    s = trajectory.schedule
    return None if s is None else scheduled_lr(s, trajectory.hyperparameters["lr"], trajectory.loss)


class RateLimits(NamedTuple):
    """What the rate chart draws beside a run's rates, per step (NaN at step 0): η_t where a schedule moves
    η, and the ceiling on the rate (``rate_ceiling``, following η_t), with its formula; None where the run
    has no schedule, or its optimizer no ceiling."""

    eta: np.ndarray | None
    ceiling: float | np.ndarray | None
    ceiling_words: str  # "η/√ε", "η_t/ε"


def rate_limits(trajectory: Trajectory) -> RateLimits:
    """The η_t and the rate's ceiling the rate chart draws beside ``trajectory``'s rates."""
    hyperparameters = trajectory.hyperparameters
    ceiling, eta = rate_ceiling(trajectory.optimizer, hyperparameters), lr_per_step(trajectory)
    if ceiling is not None and eta is not None:
        ceiling = ceiling * eta / hyperparameters["lr"]
    lr = "η" if eta is None else "η_t"
    return RateLimits(eta, ceiling, f"{lr}/√ε" if hyperparameters.get("eps_in_sqrt", True) else f"{lr}/ε")


def crossing(sharpness: np.ndarray, limit: float, after: int) -> int | None:
    """The step at which the run last went past ``limit`` before it was past it at step ``after`` or later:
    the first step of the stretch above the limit that the first such step belongs to. None if never."""
    above = np.nan_to_num(sharpness, nan=-np.inf) > limit
    later = np.flatnonzero(above[after:])
    if not later.size:
        return None
    k = after + int(later[0])
    while k > 1 and above[k - 1]:
        k -= 1
    return k


def explain(trajectory: Trajectory, surface: Surface, label: str, gettext: Gettext = N_) -> str | None:
    """For a single run whose loss rose after its best step, or that diverged: why, with the run's numbers
    (the step it crossed its threshold, which coordinate, s against ε, the rate and the curvature).
    None when the loss did not rise, the optimizer has no threshold or the run never took a step (its start
    had no finite loss or state: the race's divergence message says so)."""
    result = stability(trajectory, surface)
    if result is None or (trajectory.diverged and trajectory.diverged_at == 0):
        return None
    loss = trajectory.loss[: trajectory.diverged_at] if trajectory.diverged else trajectory.loss
    best_step = int(np.nanargmin(loss))
    floor = best_known_value(surface)
    gap = loss - floor if floor is not None else loss - loss[best_step]
    last = len(loss) - 1
    risen = gap[last] > RISE * gap[best_step] and gap[last] - gap[best_step] > 1e-300
    if not (trajectory.diverged or (best_step < last and risen)):
        return None
    limit = float(result.threshold)
    numbers = {
        "label": label, "step": trajectory.diverged_at, "best_loss": f"{loss[best_step]:.2g}", "best_step": best_step,
        "last_loss": f"{loss[last]:.2g}", "last_step": last, "threshold": threshold_words(result),
    }  # fmt: skip
    # a divergence is caused by its first stretch past the threshold, wherever the best step fell; a rise,
    # by a crossing after its best step (the race's divergence message looks from step 1 as well)
    k = crossing(result.sharpness, limit, 1 if trajectory.diverged else best_step + 1)
    if k is None:
        peak = int(np.nanargmax(result.sharpness))
        below = _below_threshold(gettext, trajectory.diverged, momentum=result.rule != "2")
        return below.format(**numbers, peak=f"{result.sharpness[peak]:.3g}", peak_step=peak)
    if trajectory.diverged:
        what = gettext("**{label}** diverged at step {step}.")
    else:
        what = gettext(
            "**{label}** reached its lowest loss, {best_loss}, at step {best_step} and then rose to {last_loss} by "
            "step {last_step}."
        )
    return f"{what.format(**numbers)} {_at_crossing(trajectory, result, k, gettext)}"


def _below_threshold(gettext: Gettext, diverged: bool, momentum: bool) -> str:
    """The template for a run that rose or diverged below its threshold: momentum's swings, or not this."""
    if diverged and momentum:
        return gettext(
            "**{label}** diverged at step {step}, but its preconditioned sharpness stayed below its threshold "
            "{threshold} (at most {peak}, at step {peak_step}): the rise is not this instability; momentum carries "
            "it past the minimum and back, and below the threshold those swings shrink."
        )
    if diverged:
        return gettext(
            "**{label}** diverged at step {step}, but its preconditioned sharpness stayed below its threshold "
            "{threshold} (at most {peak}, at step {peak_step}): the rise is not this instability; the rise comes "
            "from the surface's shape away from a quadratic, or from gradient noise."
        )
    if momentum:
        return gettext(
            "**{label}** reached its lowest loss, {best_loss}, at step {best_step} and then rose to {last_loss} by "
            "step {last_step}, but its preconditioned sharpness stayed below its threshold {threshold} (at most "
            "{peak}, at step {peak_step}): the rise is not this instability; momentum carries it past the minimum "
            "and back, and below the threshold those swings shrink."
        )
    return gettext(
        "**{label}** reached its lowest loss, {best_loss}, at step {best_step} and then rose to {last_loss} by "
        "step {last_step}, but its preconditioned sharpness stayed below its threshold {threshold} (at most "
        "{peak}, at step {peak_step}): the rise is not this instability; the rise comes from the surface's shape "
        "away from a quadratic, or from gradient noise."
    )


def threshold_words(result: Stability) -> str:
    """The threshold as the page writes it: "2", or "2(1 + β) = 3"."""
    value = f"{float(result.threshold):.3g}"
    return value if result.rule == value else f"{result.rule} = {value}"


def _at_crossing(trajectory: Trajectory, result: Stability, k: int, gettext: Gettext = N_) -> str:
    """The numbers of step k, where the run went past its threshold: what made its step too large, then what
    that does (the optimizer's own words for a run that bounces at a constant η, its schedule's η_t)."""
    i = int(np.nanargmax(result.per_coordinate[k]))
    name = COORDINATES[i]
    numbers = {
        "step": k, "threshold": threshold_words(result), "coordinate": name, "rate": f"{result.rate[k, i]:.3g}",
        "curvature": f"{result.curvature[k, i]:.3g}", "sharpness": f"{result.sharpness[k]:.3g}",
    }  # fmt: skip
    spec, eta = spec_of(trajectory.optimizer), lr_per_step(trajectory)
    root = None if spec is None else spec.meaning.root_rate
    if root is not None and root.state in trajectory.state:
        hyperparameters = spec.with_defaults(trajectory.hyperparameters)
        s, ceiling = trajectory.state[root.state], root.ceiling(hyperparameters)
        eps = hyperparameters["eps"]
        inside, lr = hyperparameters["eps_in_sqrt"], "η" if eta is None else "η_t"
        if eta is not None:
            ceiling = ceiling * eta[k] / hyperparameters["lr"]
        numbers |= {
            "s": f"{s[k, i]:.2g}", "eps": f"{eps:.2g}", "ceiling": f"{ceiling:.3g}",
            "ceiling_formula": f"{lr}/{'√ε' if inside else 'ε'}",
            "rate_formula": f"{lr}/{'√(s + ε)' if inside else '(√s + ε)'}",
        }  # fmt: skip
        if s[k, i] > 10 * eps:
            cause = gettext(
                "At step {step} it went past its stability threshold {threshold} in {coordinate}: s = {s} is still "
                "far above ε = {eps} (the rate's ceiling {ceiling_formula} is {ceiling}), so the rate {rate_formula} "
                "= {rate}, and with the curvature ∂²f/∂{coordinate}² = {curvature} the preconditioned sharpness "
                "λ_max(P·H) is {sharpness}."
            )
        else:
            cause = gettext(
                "At step {step} it went past its stability threshold {threshold} in {coordinate}: s = {s} has fallen "
                "to the size of ε = {eps} (the rate's ceiling {ceiling_formula} is {ceiling}), so the rate "
                "{rate_formula} = {rate}, and with the curvature ∂²f/∂{coordinate}² = {curvature} the "
                "preconditioned sharpness λ_max(P·H) is {sharpness}."
            )
    else:
        cause = gettext(
            "At step {step} it went past its stability threshold {threshold} in {coordinate}: the rate P = {rate}, "
            "and with the curvature ∂²f/∂{coordinate}² = {curvature} the preconditioned sharpness λ_max(P·H) is "
            "{sharpness}."
        )
    if spec is not None and spec.meaning.edge_note and not trajectory.diverged and eta is None:
        effect = gettext(spec.meaning.edge_note)
    elif eta is not None:
        effect = gettext(
            "Past the threshold each step overshoots {coordinate} by more than it corrects, so {coordinate}'s error "
            "grows; its schedule had η_t = {eta} at step {step}, {eta_last} at the last step."
        )
        numbers |= {"eta": f"{eta[k]:.3g}", "eta_last": f"{eta[-1]:.3g}"}
    else:
        effect = gettext(
            "Past the threshold each step overshoots {coordinate} by more than it corrects, so {coordinate}'s error "
            "grows step after step."
        )
    return f"{cause.format(**numbers)} {effect.format(**numbers)}"


def notes(trajectories: list[Trajectory], labels: list[str], surface: Surface, gettext: Gettext = N_) -> list[str]:
    """What the stability panel says under its chart: why each racer that bounced or diverged did, and
    why an optimizer without a threshold has none (once per optimizer)."""
    said, lines = set(), []
    for t, label in zip(trajectories, labels, strict=True):
        spec = spec_of(t.optimizer)
        if spec is not None and spec.meaning.no_threshold:
            if t.optimizer not in said:
                said.add(t.optimizer)
                lines.append(gettext(spec.meaning.no_threshold))
        elif threshold(t.optimizer, t.hyperparameters) is None:
            lines.append(gettext(UNKNOWN_FORM).format(label=label))
        elif (line := explain(t, surface, label, gettext)) is not None:
            lines.append(line)
    return lines
