"""How frameworks name and compute RMSProp and Adagrad: one row per framework, and its settings as an
rmsviz run.

Every framework computes s ← ρ s + (1 − ρ) g² and x ← x − η g / D; they differ in the name of ρ, their
defaults, where ε sits in D (√(s + ε) or √s + ε) and where s starts. Each row cites the file it was read
from (repository, path, commit of the stored copy). ``race_settings`` gives rmsviz's ``rmsprop``
settings that compute exactly that framework's formula; ``race`` runs every row from one start.
"""

from __future__ import annotations

from typing import NamedTuple

from rmsviz.engine import run
from rmsviz.surfaces import SURFACES
from rmsviz.trajectory import Trajectory


class Convention(NamedTuple):
    framework: str
    call: str  # the constructor, as the framework spells it
    decay: str  # the decay's name there (γ in d2l and rmsviz)
    lr: float | None  # default η; None: the framework has no default
    rho: float  # default decay
    eps: float  # default ε
    eps_in_sqrt: bool  # √(s + ε), else √s + ε
    s0: float  # where the average of g² starts
    variants: str  # centered and momentum forms
    source: str  # where this row was read


# fmt: off
CONVENTIONS = (
    # pytorch/pytorch torch/optim/rmsprop.py @ e7c1e6a8 (stored copy): lr=1e-2, alpha=0.99, eps=1e-8;
    # square_avg starts at zeros, avg = square_avg.sqrt().add_(eps): ε outside the root.
    Convention("PyTorch", "torch.optim.RMSprop", "alpha", 0.01, 0.99, 1e-8, False, 0.0,
               "centered=False, momentum=0 (buffer b ← μb + g/D, x ← x − ηb)",
               "pytorch/pytorch torch/optim/rmsprop.py @ e7c1e6a8"),
    # keras-team/keras keras/src/optimizers/rmsprop.py @ 13de96ae (Keras 3): learning_rate=0.001, rho=0.9,
    # epsilon=1e-7; velocity from add_optimizer_variables (zeros); increment = lr·g / sqrt(velocity + epsilon).
    Convention("Keras 3", "keras.optimizers.RMSprop", "rho", 0.001, 0.9, 1e-7, True, 0.0,
               "centered=False, momentum=0.0 (m ← μm + ηg/D, x ← x − m)",
               "keras-team/keras keras/src/optimizers/rmsprop.py @ 13de96ae"),
    # tensorflow/tensorflow tensorflow/python/training/rmsprop.py @ 03049341: learning_rate (no default),
    # decay=0.9, epsilon=1e-10; the "rms" slot is made with init_ops.ones_initializer: s starts at 1.
    # The update is the apply_rms_prop kernel: mom ← μ mom + η g/√(ms + ε) (module docstring).
    Convention("TensorFlow 1", "tf.compat.v1.train.RMSPropOptimizer", "decay", None, 0.9, 1e-10, True, 1.0,
               "centered=False, momentum=0.0 (mom ← μ mom + ηg/D, x ← x − mom)",
               "tensorflow/tensorflow tensorflow/python/training/rmsprop.py @ 03049341"),
    # google-deepmind/optax optax/_src/alias.py and transform.py @ d9678fcd: rmsprop(learning_rate, decay=0.9,
    # eps=1e-8, initial_scale=0., eps_in_sqrt=True, centered=False, momentum=None); scale_by_rms divides by
    # sqrt(nu + eps) when eps_in_sqrt.
    Convention("optax", "optax.rmsprop", "decay", None, 0.9, 1e-8, True, 0.0,
               "centered=False, momentum=None (a trace after the scaling), initial_scale, eps_in_sqrt",
               "google-deepmind/optax optax/_src/transform.py @ d9678fcd"),
    # d2l's chapter (sources/000, 004): γ = 0.9, ε = 1e-6 inside the root, s starts at 0; η is chosen per
    # experiment (0.4 for the figure, 0.01 for training).
    Convention("d2l", "d2l rmsprop_2d / rmsprop", "gamma", None, 0.9, 1e-6, True, 0.0, "none",
               "d2l.ai chapter 12.8 (shared/sources/000, 003, 004)"),
    # apache/mxnet python/mxnet/optimizer/rmsprop.py @ 29e946a0 (2.x API): learning_rate=0.001, rho=0.9,
    # epsilon=1e-8; state zeros; d = grad / (sqrt(var) + epsilon). (1.x named the decay gamma1, per d2l.)
    Convention("MXNet", "mx.optimizer.RMSProp", "rho (1.x: gamma1)", 0.001, 0.9, 1e-8, False, 0.0,
               "centered=True is Graves's form, with momentum=0.9 and ε inside the root",
               "apache/mxnet python/mxnet/optimizer/rmsprop.py @ 29e946a0"),
    # jax-ml/jax jax/example_libraries/optimizers.py @ 757431e7: rmsprop(step_size, gamma=0.9, eps=1e-8),
    # avg_sq_grad zeros, x − step_size·g / sqrt(avg_sq_grad + eps). (Early copies, jax.experimental.minmax,
    # started avg_sq_grad at ones with ε outside the root.)
    Convention("JAX example_libraries", "jax.example_libraries.optimizers.rmsprop", "gamma", None, 0.9, 1e-8,
               True, 0.0, "rmsprop_momentum(…, momentum=0.9)",
               "jax-ml/jax jax/example_libraries/optimizers.py @ 757431e7"),
    # PaddlePaddle/Paddle python/paddle/optimizer/rmsprop.py @ 04620a07: RMSProp(learning_rate (required),
    # rho=0.95, epsilon=1e-6, momentum=0.0, centered=False); accumulators added with the default fill 0.
    # paddle/phi/kernels/impl/rmsprop_kernel_impl.h @ 12f70db6: ms_out = rho·ms + (1 − rho)·g²,
    # mom_out = momentum·mom + lr·g / sqrt(ms_out + epsilon), param −= mom_out: ε inside the root.
    Convention("PaddlePaddle", "paddle.optimizer.RMSProp", "rho", None, 0.95, 1e-6, True, 0.0,
               "centered=False, momentum=0.0 (mom ← μ mom + ηg/D, x ← x − mom)",
               "PaddlePaddle/Paddle paddle/phi/kernels/impl/rmsprop_kernel_impl.h @ 12f70db6"),
    # chainer/chainer chainer/optimizers/rmsprop.py @ 0a068c93: lr=0.01, alpha=0.99, eps=1e-8,
    # eps_inside_sqrt=False; ms starts at zeros; param −= lr·g / (sqrt(ms) + eps).
    Convention("Chainer", "chainer.optimizers.RMSprop", "alpha", 0.01, 0.99, 1e-8, False, 0.0,
               "eps_inside_sqrt=False; no momentum; centered is a separate RMSpropGraves",
               "chainer/chainer chainer/optimizers/rmsprop.py @ 0a068c93"),
    # BVLC/caffe src/caffe/solvers/rmsprop_solver.cpp @ 41592b23: history ← rms_decay·history
    # + (1 − rms_decay)·g², update = local_rate·g / (history^0.5 + delta): ε (delta) outside the root;
    # history blobs start at zeros. caffe.proto: rms_decay default 0.99, delta default 1e-8; base_lr has
    # no default.
    Convention("Caffe", "solver_type: RMSPROP", "rms_decay", None, 0.99, 1e-8, False, 0.0,
               "none (momentum is not used by the RMSProp solver)",
               "BVLC/caffe src/caffe/solvers/rmsprop_solver.cpp @ 41592b23"),
)
# fmt: on

RACE_SURFACE, RACE_START = "elliptic", (-5.0, -2.0)  # d2l's bowl and start


class AdagradConvention(NamedTuple):
    """Adagrad there: s ← s + g², x ← x − η g / D, with D = √(s + ε), √s + ε or √s (no ε)."""

    framework: str
    call: str
    lr: float | None  # default η; None: the framework has no default
    s0: float  # where the sum of g² starts
    eps: float  # default ε; 0 where the framework has none
    eps_in_sqrt: bool  # √(s + ε), else √s + ε
    notes: str
    source: str
    unraceable: str = ""  # why rmsviz's adagrad cannot compute it, if it cannot


# fmt: off
ADAGRAD_CONVENTIONS = (
    # pytorch/pytorch torch/optim/adagrad.py @ 7be7d891: Adagrad(lr=1e-2, lr_decay=0, weight_decay=0,
    # initial_accumulator_value=0, eps=1e-10); state_sum.addcmul_(grad, grad); std = state_sum.sqrt().add_(eps);
    # param.addcdiv_(grad, std, value=-clr) with clr = lr / (1 + (step − 1)·lr_decay).
    AdagradConvention("PyTorch", "torch.optim.Adagrad", 0.01, 0.0, 1e-10, False,
                      "lr_decay=0: η_t = η / (1 + (t − 1)·lr_decay)",
                      "pytorch/pytorch torch/optim/adagrad.py @ 7be7d891"),
    # keras-team/keras keras/src/optimizers/adagrad.py @ 40c74973: Adagrad(learning_rate=0.001,
    # initial_accumulator_value=0.1, epsilon=1e-7); accumulator += g²; variable −= lr·g / sqrt(accumulator + eps).
    AdagradConvention("Keras 3", "keras.optimizers.Adagrad", 0.001, 0.1, 1e-7, True, "none",
                      "keras-team/keras keras/src/optimizers/adagrad.py @ 40c74973"),
    # tensorflow/tensorflow tensorflow/python/training/adagrad.py @ 802fad8d: AdagradOptimizer(learning_rate,
    # initial_accumulator_value=0.1), which must be > 0; apply_adagrad without ε. Its kernel,
    # tensorflow/core/kernels/training_ops.cc @ 008130e9 ApplyAdagrad: accum += g²; var −= g·lr·rsqrt(accum).
    AdagradConvention("TensorFlow 1", "tf.compat.v1.train.AdagradOptimizer", None, 0.1, 0.0, True,
                      "no ε at all: s starts at 0.1 > 0 instead",
                      "tensorflow/tensorflow tensorflow/python/training/adagrad.py @ 802fad8d"),
    # google-deepmind/optax optax/_src/alias.py @ 47fe6554: adagrad(learning_rate, initial_accumulator_value=0.1,
    # eps=1e-7); transform.py @ 006cebd2 scale_by_rss: where(sum > 0, rsqrt(sum + eps), 0).
    AdagradConvention("optax", "optax.adagrad", None, 0.1, 1e-7, True,
                      "where(s > 0, 1/√(s + ε), 0): a zero sum gives a zero step",
                      "google-deepmind/optax optax/_src/transform.py @ 006cebd2"),
    # apache/mxnet python/mxnet/optimizer/adagrad.py @ 29e946a0: AdaGrad(learning_rate=0.01, epsilon=1e-6);
    # history zeros; history += g²; d = g / (sqrt(history) + epsilon); weight −= lr·d.
    AdagradConvention("MXNet", "mx.optimizer.AdaGrad", 0.01, 0.0, 1e-6, False, "no initial-accumulator argument",
                      "apache/mxnet python/mxnet/optimizer/adagrad.py @ 29e946a0"),
    # jax-ml/jax jax/example_libraries/optimizers.py @ 1e79d0a9: adagrad(step_size, momentum=0.9);
    # g_sq += g²; m = (1 − momentum)·g·where(g_sq > 0, 1/sqrt(g_sq), 0) + momentum·m; x −= step_size·m.
    AdagradConvention("JAX example_libraries", "jax.example_libraries.optimizers.adagrad", None, 0.0, 0.0, True,
                      "momentum=0.9 by default: an average of the scaled steps",
                      "jax-ml/jax jax/example_libraries/optimizers.py @ 1e79d0a9",
                      "its default momentum 0.9 averages the scaled steps, which rmsviz's Adagrad does not"),
)
# fmt: on


def convention(framework: str) -> Convention:
    return next(c for c in CONVENTIONS if c.framework == framework)


def race_settings(c: Convention, lr: float) -> dict:
    """rmsviz ``rmsprop`` settings that compute ``c``'s formula at learning rate ``lr``: its own default
    decay and ε, ε where it puts it, s where it starts."""
    return {"lr": lr, "gamma": c.rho, "eps": c.eps, "eps_in_sqrt": c.eps_in_sqrt, "initial_accumulator": c.s0}


def race(lr: float, steps: int) -> list[tuple[Convention, Trajectory]]:
    """Every framework's RMSProp at one η, on d2l's bowl from d2l's start."""
    return _race("rmsprop", CONVENTIONS, race_settings, lr, steps)


def adagrad_settings(c: AdagradConvention, lr: float) -> dict:
    """rmsviz ``adagrad`` settings that compute ``c``'s formula at learning rate ``lr`` (not for an
    ``unraceable`` row)."""
    return {"lr": lr, "eps": c.eps, "eps_in_sqrt": c.eps_in_sqrt, "initial_accumulator": c.s0}


def adagrad_race(lr: float, steps: int) -> list[tuple[AdagradConvention, Trajectory]]:
    """Every raceable framework's Adagrad at one η, on d2l's bowl from d2l's start."""
    raceable = [c for c in ADAGRAD_CONVENTIONS if not c.unraceable]
    return _race("adagrad", raceable, adagrad_settings, lr, steps)


def _race(optimizer: str, rows, settings, lr: float, steps: int) -> list[tuple]:
    """Each row's ``optimizer`` run with ``settings(row, lr)`` on d2l's bowl from d2l's start."""
    surface = SURFACES[RACE_SURFACE]
    return [(c, run(optimizer, surface, start=RACE_START, steps=steps, **settings(c, lr))) for c in rows]


def translate(c: Convention, rho: float, eps: float) -> list[dict]:
    """Settings written in ``c``'s terms (decay ``rho``, ``eps``) as each framework spells them. ε means
    the same only where it sits in the same place; elsewhere ε² inside the root matches ε outside as s → 0."""
    rows = []
    for other in CONVENTIONS:
        same = other.eps_in_sqrt == c.eps_in_sqrt
        value = eps if same else (eps**2 if c.eps_in_sqrt is False else eps**0.5)
        rows.append(
            {
                "framework": other.framework,
                "decay": f"{other.decay} = {rho:g}",
                "ε": f"{value:.3g}" + ("" if same else " (near s = 0 only: ε sits elsewhere there)"),
                "s starts at": f"{other.s0:g}" + ("" if other.s0 == c.s0 else f" (not {c.s0:g}: differs)"),
            }
        )
    return rows
