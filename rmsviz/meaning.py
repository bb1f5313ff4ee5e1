"""What an optimizer's update means, for the pages that explain a run: the fields of ``OptimizerSpec.meaning``
and the built-ins' values for them.

``stability.py`` reads the threshold, the rate's share and the root rate; ``inspector.py`` the step writer;
``preconditioning.py`` whether the recorded rate is a preconditioner.
A field left out says "unknown": a typed rule and ``rmsviz.optimizer()`` know nothing of their update's
form (a typed rule brings its own step writer). Every function here takes the run's settings with the
spec's defaults filled in (``OptimizerSpec.with_defaults``). This module sits below ``optimizers.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from rmsviz.i18n import N_

Threshold = tuple[Any, str]  # the largest stable λ(P·H) (a float, or one per run), and its formula


class Step(NamedTuple):
    """Step k (1 ≤ k ≤ steps) of one coordinate of a recorded run: the numbers a writer fills in."""

    k: int
    coordinate: str  # "x" or "y"
    g: float  # the gradient step k used
    before: float  # the coordinate at step k − 1
    after: float  # the coordinate at step k
    rate: float  # the effective rate step k applied
    state: dict[str, np.ndarray]  # each state array's values for this coordinate, indexed by step
    settings: dict  # the run's hyperparameters and options

    @property
    def move(self) -> str:
        """The start of the line that moves the point: x_k = x_{k−1} − ..."""
        x, k = self.coordinate, self.k
        return rf"{x}_{{{k}}} = {x}_{{{k - 1}}} - "


class RootRate(NamedTuple):
    """A rate η/√(s + ε) (η/(√s + ε) with eps_in_sqrt=False, torch.optim's form): η divided by the root of an
    average s of g², so as s falls to 0 the rate rises to its ceiling η/√ε (or η/ε)."""

    state: str  # the name of s in the run's state
    decay: str | None = None  # the hyperparameter by which s forgets (RMSProp's γ; at 1 s never moves), if any

    def ceiling(self, settings: dict) -> float | np.ndarray:
        lr, eps = np.asarray(settings["lr"], float), np.asarray(settings["eps"], float)
        return _scalar(lr / np.sqrt(eps) if settings["eps_in_sqrt"] else lr / eps)


class Meaning(NamedTuple):
    """What an update means. Meaning() is the "unknown" of every field."""

    threshold: Callable[[dict], Threshold] | None = None  # stability.py's docstring says what P and λ are
    no_threshold: str = ""  # why there is none at all (Rprop), said instead of "unknown"
    no_preconditioner: str = ""  # why the recorded rate is no P of a step x − P·g (Rprop); "" where it is
    rate_share: Callable[[dict], Any] | None = None  # P / the recorded rate, where that is not 1 (momentum: 1 − τ)
    root_rate: RootRate | None = None  # a rate η/√(s + ε): its s and its ceiling
    edge_note: str = ""  # what a run that bounces at a constant η does, after its numbers (a template: {coordinate})
    write_step: Callable[[Step], list[str] | None] | None = None  # LaTeX lines, or None for a variant not written


def _scalar(value: np.ndarray) -> float | np.ndarray:
    return float(value) if np.ndim(value) == 0 else value


# --- thresholds: each update's recurrence on a quadratic, with P held fixed ------------------------------


def descent_threshold(settings: dict) -> Threshold:
    """Gradient descent x ← x − P g (SGD, RMSProp, Adagrad, AdaDelta): e ← (1 − λ) e, stable iff 0 < λ < 2."""
    return 2.0, "2"


def _heavy_ball(beta: np.ndarray, symbol: str) -> Threshold:
    """Heavy ball in torch's form: v ← β v + g, x ← x − p v. On an eigen-direction with a = p h:
    v_t = β v_{t−1} + h x_{t−1} and x_t − x_{t−1} = −p v_t, so x_{t+1} = (1 + β − a) x_t − β x_{t−1}, with
    the characteristic polynomial z² − (1 + β − a) z + β. Both roots lie inside the unit circle iff (Jury)
    |β| < 1, 1 − (1 + β − a) + β = a > 0 and 1 + (1 + β − a) + β = 2(1 + β) − a > 0: a < 2(1 + β).
    Dampening τ scales the gradient's share to (1 − τ), which P = η(1 − τ) carries (``momentum_share``)."""
    return _scalar(2 * (1 + beta)), f"2(1 + {symbol})"


def momentum_threshold(settings: dict) -> Threshold:
    """The heavy ball's 2(1 + β); with Nesterov (x ← x − p (g + β v)) the same steps give
    z² − (1 + β)(1 − a) z + β(1 − a), whose Jury conditions a > 0 and 1 + (1 + 2β)(1 − a) > 0 give
    a < 2(1 + β)/(1 + 2β) (the third, |β(1 − a)| < 1, then holds)."""
    beta = np.asarray(settings["beta"], dtype=float)
    if settings["nesterov"]:
        return _scalar(2 * (1 + beta) / (1 + 2 * beta)), "2(1 + β)/(1 + 2β)"
    return _heavy_ball(beta, "β")


def momentum_share(settings: dict) -> np.ndarray:
    """P = η(1 − τ); torch.optim.SGD ignores dampening without momentum."""
    beta, tau = np.asarray(settings["beta"]), np.asarray(settings["dampening"])
    return 1 - tau * (beta != 0)


def rmsprop_threshold(settings: dict) -> Threshold:
    """Gradient descent's 2; with momentum μ > 0, b ← μ b + g/√(s + ε) is the heavy ball's 2(1 + μ)."""
    momentum = np.asarray(settings["momentum"], dtype=float)
    return _heavy_ball(momentum, "μ") if np.any(momentum != 0) else descent_threshold(settings)


def adam_threshold(settings: dict) -> Threshold:
    """m ← β₁ m + (1 − β₁) g is the heavy ball with dampening τ = β₁ and momentum β₁, so p(1 − β₁) h < 2(1 + β₁):
    the threshold on λ(P H) is 2(1 + β₁)/(1 − β₁), 38 at β₁ = 0.9 (Cohen et al. 2022)."""
    beta1 = np.asarray(settings["beta1"], dtype=float)
    with np.errstate(divide="ignore"):
        return _scalar(2 * (1 + beta1) / (1 - beta1)), "2(1 + β₁)/(1 − β₁)"


RPROP_HAS_NO_THRESHOLD = N_(
    "Rprop has no stability threshold: its step is sign(g)·Δ, whose size does not depend on the "
    "gradient, so no rate times curvature decides whether it overshoots. A sign flip halves Δ instead."
)
RPROP_HAS_NO_PRECONDITIONER = N_(
    "Rprop has no coordinates of its own to show: its step is sign(g)·Δ, and Δ, the rate it records, is the "
    "step's size, not a scale on the gradient, so there is no P of a step x − P·g to stretch the surface with."
)
RMSPROP_AT_THE_EDGE = N_(
    "Past the threshold each step overshoots {coordinate} by more than it corrects, so {coordinate}'s error grows "
    "until its gradient is large enough to raise s again: as g shrinks, s shrinks with it and the rate grows, so "
    "with a constant η RMSProp hovers at the edge of stability. A decaying η lets it settle."
)


# --- step writers: the rule as the chapter writes it, with the run's numbers filled in -------------------


def tex(value: float) -> str:
    """A number for LaTeX, to 6 significant digits: 1e-06 becomes 10^{-6}, 2.5e-11 becomes 2.5 × 10^{-11}."""
    text = f"{value:.6g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    power = f"10^{{{int(exponent)}}}"
    if mantissa in ("1", "-1"):
        return mantissa[:-1] + power
    return rf"{mantissa} \times {power}"


def _root_step(step: Step, average: str) -> list[str]:
    """A rate η/√(s + ε): the line ``average`` that updated s, then the move, with the root as the run took it."""
    h, k, s = step.settings, step.k, step.state["s"][step.k]
    if h["eps_in_sqrt"]:
        root = rf"\sqrt{{{tex(s)} + {tex(h['eps'])}}}"
    else:
        root = rf"\left(\sqrt{{{tex(s)}}} + {tex(h['eps'])}\right)"
    g, before, after = tex(step.g), tex(step.before), tex(step.after)
    move = rf"{step.move}\frac{{\eta\, g_{{{k}}}}}{{{root}}} = {before} - \frac{{{tex(h['lr'])} \cdot ({g})}}{{{root}}}"
    return [f"{average} = {tex(s)}", rf"{move} = {after}"]


def rmsprop_step(step: Step) -> list[str] | None:
    h, k, g = step.settings, step.k, tex(step.g)
    if h["centered"] or h["momentum"]:
        return None
    s_prev = tex(step.state["s"][k - 1])
    average = (
        rf"s_{{{k}}} = \gamma s_{{{k - 1}}} + (1-\gamma) g_{{{k}}}^2 = {tex(h['gamma'])} \cdot {s_prev}"
        rf" + {tex(1 - h['gamma'])} \cdot ({g})^2"
    )
    return _root_step(step, average)


def adagrad_step(step: Step) -> list[str] | None:
    k = step.k
    if step.settings["lr_decay"]:
        return None
    s_prev = tex(step.state["s"][k - 1])
    return _root_step(step, rf"s_{{{k}}} = s_{{{k - 1}}} + g_{{{k}}}^2 = {s_prev} + ({tex(step.g)})^2")


def momentum_step(step: Step) -> list[str] | None:
    h, k, g, v = step.settings, step.k, tex(step.g), step.state["v"]
    if h["nesterov"]:
        return None
    velocity = rf"v_{{1}} = g_{{1}} = {tex(v[k])}"
    if k > 1:
        velocity = (
            rf"v_{{{k}}} = \beta v_{{{k - 1}}} + (1-\tau) g_{{{k}}} = "
            rf"{tex(h['beta'])} \cdot ({tex(v[k - 1])}) + {tex(1 - h['dampening'])} \cdot ({g}) = {tex(v[k])}"
        )
    move = rf"{step.move}\eta v_{{{k}}} = {tex(step.before)} - {tex(h['lr'])} \cdot ({tex(v[k])})"
    return [velocity, rf"{move} = {tex(step.after)}"]


def sgd_step(step: Step) -> list[str]:
    k, lr = step.k, tex(step.settings["lr"])
    return [rf"{step.move}\eta g_{{{k}}} = {tex(step.before)} - {lr} \cdot ({tex(step.g)}) = {tex(step.after)}"]


def rprop_step(step: Step) -> list[str]:
    k, size = step.k, tex(step.state["step_size"][step.k])
    rule = rf"{step.move}\operatorname{{sign}}(g_{{{k}}})\,\Delta_{{{k}}}"
    numbers = rf"(g_{{{k}}} = {tex(step.g)},\ \Delta_{{{k}}} = {size})"
    return [rf"{rule} \quad {numbers}: \quad {tex(step.before)} \to {tex(step.after)}"]
