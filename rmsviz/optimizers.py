"""The optimizers, one factory each, in optax's style.

A factory validates its hyperparameters (torch.optim's messages) and returns
an ``Optimizer``: pure ``init(x) -> state`` and ``update(g, state) ->
(updates, state)`` over a NamedTuple state, plus ``effective_lr(state)``, the
per-coordinate rate the last update applied. The new point is ``x + updates``.
Each formula is written once for NumPy and torch (``backend.namespace``).
Hyperparameters are floats or arrays of shape (B, 1) broadcasting over a
batch of B runs of shape (B, 2). Each factory's table, written above it, holds
its hyperparameters' ranges, symbols and defaults; the signature takes its
defaults from there (``_defaults``). What an update means (its stability
threshold, its rate's ceiling, its step written out) is its spec's ``meaning``.

The defaults follow d2l: ε sits inside the root, ``sqrt(s + eps)``, state
starts at zero and ``s`` is updated before ``x``. The options give the
torch.optim forms, which match torch.optim to rounding.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from rmsviz import meaning
from rmsviz.backend import ArrayLike, namespace
from rmsviz.i18n import N_, Refusal
from rmsviz.meaning import Meaning, RootRate

INF = math.inf


class Hyperparameter(NamedTuple):
    """A numeric hyperparameter: ``low``/``high`` span the slider, ``minimum``/``maximum`` the valid values."""

    name: str
    default: float
    low: float
    high: float
    log: bool
    symbol: str
    doc: str
    minimum: float = 0.0
    maximum: float = INF
    open_min: bool = False
    open_max: bool = False

    @property
    def interval(self) -> str:
        left = "(" if self.open_min else "["
        right = ")" if self.open_max or self.maximum == INF else "]"
        return f"{left}{self.minimum:g}, {self.maximum:g}{right}"

    def check(self, value) -> None:
        """Raise ValueError unless every entry of ``value`` lies in the valid interval."""
        values = np.asarray(_to_numpy(value), dtype=np.float64).ravel()
        above_min = values > self.minimum if self.open_min else values >= self.minimum
        below_max = values < self.maximum if self.open_max else values <= self.maximum
        bad = ~(above_min & below_max)  # NaN is bad too
        if bad.any():
            raise ValueError(f"Invalid {self.name}: {values[bad][0]:g} (must be in {self.interval})")


class Optimizer(NamedTuple):
    init: Callable[[Any], NamedTuple]
    update: Callable[[Any, NamedTuple], tuple[Any, NamedTuple]]
    effective_lr: Callable[[NamedTuple], Any]


class OptimizerSpec(NamedTuple):
    """An optimizer as rmsviz.run, the pages and the figures take it; ``meaning`` is what its update means
    (its stability threshold, its rate's ceiling, its step written out: ``rmsviz.meaning``), all "unknown"
    unless given."""

    name: str
    title: str
    factory: Callable[..., Optimizer]
    hyperparameters: tuple[Hyperparameter, ...]
    options: dict[str, bool]  # boolean switches and their defaults
    meaning: Meaning = Meaning()

    @property
    def defaults(self) -> dict[str, float]:
        return {h.name: h.default for h in self.hyperparameters}

    def hyperparameter(self, name: str) -> Hyperparameter:
        return next(h for h in self.hyperparameters if h.name == name)

    def with_defaults(self, settings: dict) -> dict:
        """``settings`` (hyperparameters and options by name) with every one left out at its default."""
        return {**self.defaults, **self.options, **settings}


def spec_of(optimizer: str | OptimizerSpec) -> OptimizerSpec | None:
    """A spec as given, a built-in's by its name, None for any other name (a run's ``optimizer`` when it
    ran a typed rule, rmsviz.optimizer()'s spec or a trace: nothing is known of it by name)."""
    return OPTIMIZERS.get(optimizer) if isinstance(optimizer, str) else optimizer


def _defaults(hyperparameters: tuple[Hyperparameter, ...], **options: bool):
    """A built-in factory's defaults, from its table, where they are written once: each hyperparameter's, in
    the table's order (which must be the signature's), and each option's, given here."""

    def give(factory):
        parameters = inspect.signature(factory).parameters.values()
        positional = [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
        keywords = [p.name for p in parameters if p.kind is p.KEYWORD_ONLY]
        if positional != [h.name for h in hyperparameters] or keywords != list(options):
            raise TypeError(f"{factory.__name__}'s parameters are not its table's and options' names")
        factory.__defaults__ = tuple(h.default for h in hyperparameters)
        factory.__kwdefaults__ = options or None
        return factory

    return give


def _options(factory) -> dict[str, bool]:
    """A built-in's options and their defaults, as ``_defaults`` gave them."""
    return dict(factory.__kwdefaults__ or {})


def _to_numpy(value):
    if hasattr(value, "detach"):  # a torch tensor
        return value.detach().cpu().numpy()
    return value


# Shared hyperparameters, each described once.
def _lr(default: float) -> Hyperparameter:
    return Hyperparameter("lr", default, 1e-4, 10.0, True, "η", N_("learning rate"), open_min=True)


EPS = Hyperparameter("eps", 1e-6, 1e-10, 1e-1, True, "ε", N_("added to the denominator for numerical stability"))
GAMMA = Hyperparameter("gamma", 0.9, 0.0, 1.0, False, "γ", N_("decay of the leaky average of g²"), maximum=1.0)


def _validate(spec_hyperparameters, values: dict) -> None:
    for h in spec_hyperparameters:
        h.check(values[h.name])


class SGDState(NamedTuple):
    pass


SGD_HP = (_lr(0.1),)


@_defaults(SGD_HP)
def sgd(lr: ArrayLike) -> Optimizer:
    """Gradient descent.

    x ← x − η g
    """
    _validate(SGD_HP, locals())
    return Optimizer(
        init=lambda x: SGDState(),
        update=lambda g, state: (-lr * g, state),
        effective_lr=lambda state: lr,
    )


class MomentumState(NamedTuple):
    v: Any
    count: int


MOMENTUM_HP = (
    _lr(0.01),
    Hyperparameter("beta", 0.9, 0.0, 0.99, False, "β", N_("momentum: weight of the previous velocity"), maximum=1.0),
    Hyperparameter("dampening", 0.0, 0.0, 1.0, False, "τ", N_("share of the gradient held back"), maximum=1.0),
)


@_defaults(MOMENTUM_HP, nesterov=False)
def momentum(lr: ArrayLike, beta: ArrayLike, dampening: ArrayLike, *, nesterov: bool) -> Optimizer:
    """Gradient descent with momentum (torch.optim.SGD with momentum).

    v ← g at the first step, then v ← β v + (1 − τ) g   (τ: dampening)
    x ← x − η v,   or with Nesterov  x ← x − η (g + β v)
    """
    _validate(MOMENTUM_HP, locals())
    if nesterov and (np.any(_to_numpy(dampening) != 0) or np.any(_to_numpy(beta) == 0)):
        raise Refusal(N_("Nesterov momentum requires a momentum and zero dampening"))  # the race shows it translated

    # torch.optim.SGD ignores dampening when β = 0 (there is no velocity then): so do we.
    dampening = dampening * (beta != 0)

    def update(g, state):
        v = g if state.count == 0 else beta * state.v + (1 - dampening) * g
        direction = g + beta * v if nesterov else v
        return -lr * direction, MomentumState(v, state.count + 1)

    return Optimizer(
        init=lambda x: MomentumState(namespace(x).zeros_like(x), 0),
        update=update,
        effective_lr=lambda state: lr,
    )


def _root(s, eps, eps_in_sqrt: bool):
    """√(s + ε) in d2l's form, √s + ε in torch.optim's."""
    xp = namespace(s)
    return xp.sqrt(s + eps) if eps_in_sqrt else xp.sqrt(s) + eps


class AdagradState(NamedTuple):
    s: Any
    count: int
    denominator: Any  # the root the last step divided by


ADAGRAD_HP = (
    _lr(0.01),
    EPS,
    Hyperparameter("lr_decay", 0.0, 0.0, 1.0, False, "λ", N_("learning-rate decay per step")),
    Hyperparameter("initial_accumulator", 0.0, 0.0, 1.0, False, "s₀", N_("starting value of the sum of g²")),
)


@_defaults(ADAGRAD_HP, eps_in_sqrt=True)
def adagrad(
    lr: ArrayLike, eps: ArrayLike, lr_decay: ArrayLike, initial_accumulator: ArrayLike, *, eps_in_sqrt: bool
) -> Optimizer:
    """Adagrad: the sum of all squared gradients scales each coordinate.

    s ← s + g²
    η_t = η / (1 + (t − 1) λ)          (λ: lr_decay)
    x ← x − η_t g / √(s + ε)          (eps_in_sqrt=False: √s + ε, as torch.optim)
    """
    _validate(ADAGRAD_HP, locals())

    def decayed_lr(count):
        return lr / (1 + (count - 1) * lr_decay)

    def update(g, state):
        s = state.s + g * g
        count = state.count + 1
        denominator = _root(s, eps, eps_in_sqrt)
        return -decayed_lr(count) * g / denominator, AdagradState(s, count, denominator)

    def init(x):
        xp = namespace(x)
        return AdagradState(xp.zeros_like(x) + initial_accumulator, 0, xp.ones_like(x))

    return Optimizer(init, update, lambda state: decayed_lr(state.count) / state.denominator)


class RMSPropState(NamedTuple):
    s: Any
    grad_avg: Any  # centered only, else None
    momentum_buffer: Any  # momentum > 0 only, else None
    denominator: Any


RMSPROP_HP = (
    _lr(0.01),
    GAMMA,
    EPS,
    Hyperparameter("momentum", 0.0, 0.0, 0.99, False, "μ", N_("momentum on the scaled step")),
    ADAGRAD_HP[-1]._replace(doc=N_("where the average of g² starts (TensorFlow 1: 1)")),
)


@_defaults(RMSPROP_HP, centered=False, eps_in_sqrt=True)
def rmsprop(
    lr: ArrayLike,
    gamma: ArrayLike,
    eps: ArrayLike,
    momentum: ArrayLike,
    initial_accumulator: ArrayLike,
    *,
    centered: bool,
    eps_in_sqrt: bool,
) -> Optimizer:
    """RMSProp: a leaky average of squared gradients scales each coordinate.

    s ← γ s + (1 − γ) g²              (s starts at s₀ = initial_accumulator: 0, as torch.optim; 1 in TF1)
    x ← x − η g / √(s + ε)            (eps_in_sqrt=False: √s + ε, as torch.optim)

    centered: m ← γ m + (1 − γ) g and s − m² replaces s under the root.
    momentum μ > 0: b ← μ b + g / √(s + ε), x ← x − η b.
    """
    _validate(RMSPROP_HP, locals())
    with_momentum = np.any(_to_numpy(momentum) != 0)

    def update(g, state):
        s = gamma * state.s + (1 - gamma) * g * g
        grad_avg = state.grad_avg + (1 - gamma) * (g - state.grad_avg) if centered else None
        variance = s - grad_avg * grad_avg if centered else s
        denominator = _root(variance, eps, eps_in_sqrt)
        if with_momentum:
            buffer = momentum * state.momentum_buffer + g / denominator
            return -lr * buffer, RMSPropState(s, grad_avg, buffer, denominator)
        return -lr * g / denominator, RMSPropState(s, grad_avg, None, denominator)

    def init(x):
        xp = namespace(x)
        zeros = xp.zeros_like(x)
        return RMSPropState(
            zeros + initial_accumulator,
            zeros if centered else None,
            zeros if with_momentum else None,
            xp.ones_like(x),
        )

    return Optimizer(init, update, lambda state: lr / state.denominator)


class RpropState(NamedTuple):
    prev_grad: Any
    step_size: Any


RPROP_HP = (
    _lr(0.01)._replace(doc=N_("initial step size")),
    Hyperparameter(
        "eta_minus",
        0.5,
        0.1,
        0.99,
        False,
        "η₋",
        N_("step shrink factor when the sign flips"),
        open_min=True,
        maximum=1.0,
        open_max=True,
    ),
    Hyperparameter(
        "eta_plus",
        1.2,
        1.01,
        3.0,
        False,
        "η₊",
        N_("step growth factor when the sign holds"),
        minimum=1.0,
        open_min=True,
    ),
    Hyperparameter("step_min", 1e-6, 1e-8, 1e-2, True, "Δmin", N_("smallest step size")),
    Hyperparameter("step_max", 50.0, 1e-2, 100.0, True, "Δmax", N_("largest step size"), open_min=True),
)


@_defaults(RPROP_HP, skip_on_flip=True)
def rprop(
    lr: ArrayLike,
    eta_minus: ArrayLike,
    eta_plus: ArrayLike,
    step_min: ArrayLike,
    step_max: ArrayLike,
    *,
    skip_on_flip: bool,
) -> Optimizer:
    """Rprop: only the sign of the gradient is used. By default iRprop−, as torch.optim.Rprop.

    per coordinate, with p = g · g_prev:
      p > 0: Δ ← min(η₊ Δ, Δ_max)
      p < 0: Δ ← max(η₋ Δ, Δ_min), and g ← 0 (no step, no sign memory)
    x ← x − sign(g) Δ,   g_prev ← g,   Δ starts at η

    skip_on_flip=False is the simple sign-based Rprop the sources describe (Hinton's lecture 6e): a
    sign change only shrinks Δ, the step is still taken and g is remembered as it is.
    """
    _validate(RPROP_HP, locals())
    if np.any(_to_numpy(step_min) > _to_numpy(step_max)):
        raise Refusal(
            N_("Invalid step sizes: {step_min}, {step_max} (step_min must not exceed step_max)"),
            step_min=step_min, step_max=step_max,
        )  # fmt: skip

    def update(g, state):
        xp = namespace(g)
        product = g * state.prev_grad
        grew, flipped = product > 0, product < 0
        step = state.step_size
        step = xp.clip(xp.where(grew, step * eta_plus, xp.where(flipped, step * eta_minus, step)), step_min, step_max)
        if skip_on_flip:
            g = xp.where(flipped, 0.0, g)
        return -xp.sign(g) * step, RpropState(g, step)

    def init(x):
        xp = namespace(x)
        return RpropState(xp.zeros_like(x), xp.zeros_like(x) + lr)

    return Optimizer(init, update, lambda state: state.step_size)


class AdamState(NamedTuple):
    m: Any
    v: Any
    count: int
    denominator: Any


ADAM_HP = (
    _lr(0.001),
    Hyperparameter("beta1", 0.9, 0.0, 0.999, False, "β₁", N_("decay of the average of g"), maximum=1.0, open_max=True),
    Hyperparameter(
        "beta2", 0.999, 0.9, 0.99999, False, "β₂", N_("decay of the average of g²"), maximum=1.0, open_max=True
    ),
    EPS,
)


@_defaults(ADAM_HP)
def adam(lr: ArrayLike, beta1: ArrayLike, beta2: ArrayLike, eps: ArrayLike) -> Optimizer:
    """Adam: momentum on g and RMSProp's leaky average of g², both bias-corrected.

    m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²
    x ← x − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)      (as torch.optim.Adam)
    """
    _validate(ADAM_HP, locals())

    def step_size(count):
        return lr / (1 - beta1**count)

    def update(g, state):
        count = state.count + 1
        m = state.m + (1 - beta1) * (g - state.m)
        v = beta2 * state.v + (1 - beta2) * g * g
        denominator = namespace(g).sqrt(v) / (1 - beta2**count) ** 0.5 + eps
        return -step_size(count) * m / denominator, AdamState(m, v, count, denominator)

    def init(x):
        xp = namespace(x)
        return AdamState(xp.zeros_like(x), xp.zeros_like(x), 0, xp.ones_like(x))

    return Optimizer(init, update, lambda state: step_size(max(state.count, 1)) / state.denominator)


class AdadeltaState(NamedTuple):
    s: Any
    delta_acc: Any
    rate: Any  # the factor the last step applied to g


ADADELTA_HP = (
    _lr(1.0),
    Hyperparameter("rho", 0.9, 0.0, 0.999, False, "ρ", N_("decay of the leaky averages"), maximum=1.0),
    EPS,
)


@_defaults(ADADELTA_HP)
def adadelta(lr: ArrayLike, rho: ArrayLike, eps: ArrayLike) -> Optimizer:
    """AdaDelta: no learning rate needed; the step's own leaky average sets the scale.

    s ← ρ s + (1 − ρ) g²
    Δ ← √(Δacc + ε) / √(s + ε) · g
    Δacc ← ρ Δacc + (1 − ρ) Δ²
    x ← x − η Δ                      (as torch.optim.Adadelta)
    """
    _validate(ADADELTA_HP, locals())

    def update(g, state):
        xp = namespace(g)
        s = rho * state.s + (1 - rho) * g * g
        rate = xp.sqrt(state.delta_acc + eps) / xp.sqrt(s + eps)
        delta = rate * g
        delta_acc = rho * state.delta_acc + (1 - rho) * delta * delta
        return -lr * delta, AdadeltaState(s, delta_acc, lr * rate)

    def init(x):
        xp = namespace(x)
        return AdadeltaState(xp.zeros_like(x), xp.zeros_like(x), xp.zeros_like(x))

    return Optimizer(init, update, lambda state: state.rate)


OPTIMIZERS: dict[str, OptimizerSpec] = {
    spec.name: spec
    for spec in (
        OptimizerSpec(
            "sgd",
            "SGD",
            sgd,
            SGD_HP,
            _options(sgd),
            Meaning(meaning.descent_threshold, write_step=meaning.sgd_step),
        ),
        OptimizerSpec(
            "momentum",
            "Momentum",
            momentum,
            MOMENTUM_HP,
            _options(momentum),
            Meaning(meaning.momentum_threshold, rate_share=meaning.momentum_share, write_step=meaning.momentum_step),
        ),
        OptimizerSpec(
            "adagrad",
            "Adagrad",
            adagrad,
            ADAGRAD_HP,
            _options(adagrad),
            Meaning(meaning.descent_threshold, root_rate=RootRate("s"), write_step=meaning.adagrad_step),
        ),
        OptimizerSpec(
            "rmsprop",
            "RMSProp",
            rmsprop,
            RMSPROP_HP,
            _options(rmsprop),
            Meaning(
                meaning.rmsprop_threshold,
                root_rate=RootRate("s", decay="gamma"),
                edge_note=meaning.RMSPROP_AT_THE_EDGE,
                write_step=meaning.rmsprop_step,
            ),
        ),
        OptimizerSpec(
            "rprop",
            "Rprop",
            rprop,
            RPROP_HP,
            _options(rprop),
            Meaning(
                no_threshold=meaning.RPROP_HAS_NO_THRESHOLD,
                no_preconditioner=meaning.RPROP_HAS_NO_PRECONDITIONER,
                write_step=meaning.rprop_step,
            ),
        ),
        OptimizerSpec("adam", "Adam", adam, ADAM_HP, _options(adam), Meaning(meaning.adam_threshold)),
        OptimizerSpec(
            "adadelta", "AdaDelta", adadelta, ADADELTA_HP, _options(adadelta), Meaning(meaning.descent_threshold)
        ),
    )
}
