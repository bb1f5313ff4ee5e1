"""How frameworks name and compute RMSProp and Adagrad: one row per framework, and its settings as an
rmsviz run.

Every framework computes s ← ρ s + (1 − ρ) g² and x ← x − η g / D; they differ in the name of ρ, their
defaults, where ε sits in D (√(s + ε) or √s + ε, which in some frameworks changes with momentum or
centering), where s starts, and how momentum enters. Each row cites the file it was read from (repository,
path, commit or release tag), each checked against the framework's own repository. ``race_settings`` gives
rmsviz's ``rmsprop`` settings that compute exactly that framework's formula, in any of its forms; ``race``
and ``form_race`` run every row and form from one start; ``translate`` carries settings across.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from rmsviz.engine import run
from rmsviz.i18n import ENGLISH, N_, Translator, list_of, translator
from rmsviz.surfaces import SURFACES
from rmsviz.trajectory import Trajectory

# How momentum enters, where a framework has it: the buffer's rule, and so where η sits. With a constant η
# both rules take the same steps (m = η·b); under a schedule they part, since b keeps the old η's steps unscaled.
# Marked for the catalogs (a formula is its own translation), translated where the table is shown.
ETA_OUTSIDE = N_("b ← μb + g/D, x ← x − ηb")
ETA_INSIDE = N_("m ← μm + ηg/D, x ← x − m")
CENTERED_ONLY = N_("only in the centered form: m ← μm + ηg/D, x ← x − m")
NO_MOMENTUM = N_("none")
ABORTS = N_("must be 0: a non-zero momentum aborts the solver (CHECK_EQ(0, momentum))")


class Form(NamedTuple):
    """One of a framework's momentum or centered forms: the call that selects it and what it computes.
    A centered form divides by √(s − m² + ε) (or √(s − m²) + ε) with m ← ρm + (1 − ρ)g."""

    call: str  # the arguments that select it, as the framework spells them
    momentum: float  # μ (0: no momentum buffer)
    centered: bool
    eps_in_sqrt: bool  # where ε sits in this form, which is not always where the plain form puts it
    rho: float | None = None  # a decay default of its own (a separate class), else the row's
    eps: float | None = None  # likewise for ε


class Convention(NamedTuple):
    framework: str
    call: str  # the constructor, as the framework spells it
    decay: str  # the decay's name there (γ in d2l and rmsviz)
    lr: float | None  # default η; None: the framework has no default
    rho: float  # default decay
    eps: float  # default ε
    eps_in_sqrt: bool  # √(s + ε), else √s + ε, in the plain form (no momentum, not centered)
    s0: float  # where the average of g² starts
    momentum: str  # how momentum enters: ETA_OUTSIDE, ETA_INSIDE, CENTERED_ONLY, NO_MOMENTUM or ABORTS
    centered: str  # how the centered form is asked for; "" where there is none
    forms: tuple[Form, ...]  # the momentum and centered forms, each raced
    source: str  # repository path @ commit (or tag) it was read from
    eps_option: str = ""  # the argument that moves ε into (True) or out of the root, if there is one
    s0_option: str = ""  # the argument that sets s₀, if there is one


def _forms(centered: str, eps_in_sqrt: bool, mu: float = 0.9) -> tuple[Form, ...]:
    """The usual three: momentum μ, centered, and both, all with ε where the plain form puts it."""
    return (
        Form(f"momentum={mu:g}", mu, False, eps_in_sqrt),
        Form(centered, 0.0, True, eps_in_sqrt),
        Form(f"{centered}, momentum={mu:g}", mu, True, eps_in_sqrt),
    )


# fmt: off
CONVENTIONS = (
    # pytorch/pytorch torch/optim/rmsprop.py @ e7c1e6a8: lr=1e-2, alpha=0.99, eps=1e-8, momentum=0,
    # centered=False; square_avg starts at zeros; avg = square_avg.sqrt().add_(eps) (centered: of
    # square_avg − grad_avg²): ε outside the root in every form; momentum: buf = μ·buf + g/avg, param −= lr·buf.
    Convention("PyTorch", "torch.optim.RMSprop", "alpha", 0.01, 0.99, 1e-8, False, 0.0, ETA_OUTSIDE,
               "centered=True", _forms("centered=True", False),
               "pytorch/pytorch torch/optim/rmsprop.py @ e7c1e6a8"),
    # keras-team/keras keras/src/optimizers/rmsprop.py @ v3.10.0 (3bedb9a9, Keras 3): learning_rate=0.001,
    # rho=0.9, momentum=0.0, epsilon=1e-7, centered=False; velocity zeros; increment = lr·g / sqrt(velocity + epsilon)
    # (centered: velocity − average_grad² + epsilon); momentum: m = μm + increment, variable −= m.
    Convention("Keras 3", "keras.optimizers.RMSprop", "rho", 0.001, 0.9, 1e-7, True, 0.0, ETA_INSIDE,
               "centered=True", _forms("centered=True", True),
               "keras-team/keras keras/src/optimizers/rmsprop.py @ v3.10.0 (3bedb9a9)"),
    # keras-team/keras keras/optimizers/optimizer_v2/rmsprop.py @ v2.10.0 (b80dd12d), tf.keras up to TF 2.10
    # (2.11 keeps it as tf.keras.optimizers.legacy.RMSprop, a subclass): same defaults as Keras 3, "rms" slot
    # zeros. Without momentum it computes var − lr·g / (sqrt(rms) + epsilon): ε outside, centered too; with
    # momentum > 0 it calls the ResourceApplyRMSProp / ResourceApplyCenteredRMSProp kernels
    # (tensorflow/core/kernels/training_ops.cc @ 008130e9): mom = μ·mom + lr·g / sqrt(ms + epsilon): ε inside.
    Convention("tf.keras (TF ≤ 2.10)", "tf.keras.optimizers.RMSprop", "rho", 0.001, 0.9, 1e-7, False, 0.0,
               ETA_INSIDE, "centered=True",
               (Form("momentum=0.9 (ε moves inside the root)", 0.9, False, True),
                Form("centered=True", 0.0, True, False),
                Form("centered=True, momentum=0.9 (ε inside)", 0.9, True, True)),
               "keras-team/keras keras/optimizers/optimizer_v2/rmsprop.py @ v2.10.0 (b80dd12d)"),
    # tensorflow/tensorflow tensorflow/python/training/rmsprop.py @ 03049341: learning_rate (no default),
    # decay=0.9, momentum=0.0, epsilon=1e-10, centered=False; the "rms" slot is made with ones_initializer: s
    # starts at 1 ("mg", centered, at zeros). Its kernels (training_ops.cc @ 008130e9) always keep the buffer:
    # mom ← μ mom + lr·g / sqrt(ms + ε) (centered: ms − mg² + ε), var −= mom.
    Convention("TensorFlow 1", "tf.compat.v1.train.RMSPropOptimizer", "decay", None, 0.9, 1e-10, True, 1.0,
               ETA_INSIDE, "centered=True", _forms("centered=True", True),
               "tensorflow/tensorflow tensorflow/python/training/rmsprop.py @ 03049341"),
    # google-deepmind/optax optax/_src/alias.py and transform.py @ v0.2.4 (1b07700e), the release that added
    # eps_in_sqrt: rmsprop(learning_rate, decay=0.9, eps=1e-8, initial_scale=0., eps_in_sqrt=True,
    # centered=False, momentum=None); scale_by_rms (centered: scale_by_stddev) multiplies by rsqrt(nu + eps)
    # when eps_in_sqrt, else 1/(sqrt(nu) + eps); then scale_by_learning_rate, then trace(decay=momentum).
    Convention("optax", "optax.rmsprop", "decay", None, 0.9, 1e-8, True, 0.0, ETA_INSIDE, "centered=True",
               _forms("centered=True", True),
               "google-deepmind/optax optax/_src/transform.py @ v0.2.4 (1b07700e)",
               eps_option="eps_in_sqrt", s0_option="initial_scale"),
    # d2l-ai/d2l-en chapter_optimization/rmsprop.md @ 23d7a5ae: rmsprop_2d and rmsprop use gamma and
    # eps = 1e-6 inside the root, states from d2l.zeros; η is chosen per experiment (0.4 for the figure,
    # 0.01 for training). Its MXNet code calls the Trainer's 'rmsprop' with gamma1, MXNet 1.x's name.
    Convention("d2l", "d2l rmsprop_2d / rmsprop", "gamma", None, 0.9, 1e-6, True, 0.0, NO_MOMENTUM, "", (),
               "d2l-ai/d2l-en chapter_optimization/rmsprop.md @ 23d7a5ae"),
    # apache/mxnet python/mxnet/optimizer/optimizer.py @ 1.9.1 (3f8f3be9): RMSProp(learning_rate=0.001,
    # gamma1=0.9, gamma2=0.9, epsilon=1e-8, centered=False), state zeros; gamma2 is passed only when centered.
    # src/operator/optimizer_op-inl.h @ 1.9.1: rmsprop_update: w − lr·g / sqrt(n + ε), ε inside;
    # rmspropalex_update: delta = gamma2·delta − lr·g / sqrt(n − g_avg² + ε), w += delta.
    Convention("MXNet 1.x", "mx.optimizer.RMSProp (1.x)", "gamma1", 0.001, 0.9, 1e-8, True, 0.0, CENTERED_ONLY,
               "centered=True", (Form("centered=True (gamma2=0.9 is its momentum)", 0.9, True, True),),
               "apache/mxnet python/mxnet/optimizer/optimizer.py @ 1.9.1 (3f8f3be9)"),
    # apache/mxnet python/mxnet/optimizer/rmsprop.py @ 2.0.0.beta1 (fc54fabe): RMSProp(learning_rate=0.001,
    # rho=0.9, momentum=0.9, epsilon=1e-8, centered=False); gamma1/gamma2 raise DeprecationWarning; state
    # zeros; d = g / (sqrt(var) + epsilon), ε outside (fused kernel in optimizer_op-inl.h @ 2.0.0.beta1 too);
    # momentum only when centered: mom = μ·mom − lr·g / sqrt(var − mean² + epsilon), ε inside there.
    Convention("MXNet", "mx.optimizer.RMSProp (2.x)", "rho", 0.001, 0.9, 1e-8, False, 0.0, CENTERED_ONLY,
               "centered=True", (Form("centered=True (momentum=0.9, ε inside)", 0.9, True, True),),
               "apache/mxnet python/mxnet/optimizer/rmsprop.py @ 2.0.0.beta1 (fc54fabe)"),
    # jax-ml/jax jax/example_libraries/optimizers.py @ jax-v0.4.38 (c4e3f5a3): rmsprop(step_size, gamma=0.9,
    # eps=1e-8), avg_sq_grad zeros, x − step_size·g / sqrt(avg_sq_grad + eps); rmsprop_momentum(…, momentum=0.9):
    # mom = μ·mom + step_size·g / sqrt(avg_sq_grad + eps), x − mom. No centered form.
    Convention("JAX example_libraries", "jax.example_libraries.optimizers.rmsprop", "gamma", None, 0.9, 1e-8,
               True, 0.0, ETA_INSIDE, "", (Form("rmsprop_momentum(…, momentum=0.9)", 0.9, False, True),),
               "jax-ml/jax jax/example_libraries/optimizers.py @ jax-v0.4.38 (c4e3f5a3)"),
    # PaddlePaddle/Paddle python/paddle/optimizer/rmsprop.py @ ff1c4ff2: RMSProp(learning_rate (required),
    # rho=0.95, epsilon=1e-6, momentum=0.0, centered=False), accumulators at the default fill 0.
    # paddle/phi/kernels/impl/rmsprop_kernel_impl.h @ 2c8abd87: ms_out = rho·ms + (1 − rho)·g², mom_out =
    # momentum·mom + lr·g / sqrt(ms_out + epsilon) (centered: ms_out − mg_out² + epsilon), param −= mom_out.
    Convention("PaddlePaddle", "paddle.optimizer.RMSProp", "rho", None, 0.95, 1e-6, True, 0.0, ETA_INSIDE,
               "centered=True", _forms("centered=True", True),
               "PaddlePaddle/Paddle paddle/phi/kernels/impl/rmsprop_kernel_impl.h @ 2c8abd87"),
    # chainer/chainer chainer/optimizers/rmsprop.py @ v7.8.1 (e9da1423): lr=0.01, alpha=0.99, eps=1e-8,
    # eps_inside_sqrt=False; ms zeros; param −= lr·g / (sqrt(ms) + eps). rmsprop_graves.py (same tag):
    # RMSpropGraves(lr=1e-4, alpha=0.95, momentum=0.9, eps=1e-4): delta = μ·delta − lr·g / sqrt(n − g² + eps).
    Convention("Chainer", "chainer.optimizers.RMSprop", "alpha", 0.01, 0.99, 1e-8, False, 0.0, CENTERED_ONLY,
               "chainer.optimizers.RMSpropGraves",
               (Form("RMSpropGraves() (alpha=0.95, momentum=0.9, eps=1e-4, ε inside)", 0.9, True, True,
                     rho=0.95, eps=1e-4),),
               "chainer/chainer chainer/optimizers/rmsprop.py @ v7.8.1 (e9da1423)", eps_option="eps_inside_sqrt"),
    # BVLC/caffe src/caffe/solvers/rmsprop_solver.cpp @ 1.0 (eeebdab1): history ← rms_decay·history
    # + (1 − rms_decay)·g², update = local_rate·g / (history^0.5 + delta): ε (delta) outside the root; history
    # blobs start at zeros. include/caffe/sgd_solvers.hpp: CHECK_EQ(0, momentum) "Momentum cannot be used with
    # RMSProp". caffe.proto: rms_decay default 0.99, delta 1e-8, base_lr no default; type: "RMSProp".
    Convention("Caffe", 'type: "RMSProp"', "rms_decay", None, 0.99, 1e-8, False, 0.0, ABORTS, "", (),
               "BVLC/caffe src/caffe/solvers/rmsprop_solver.cpp @ 1.0 (eeebdab1)"),
    # Lasagne/Lasagne lasagne/updates.py @ 5d3c63cb: rmsprop(loss_or_grads, params, learning_rate=1.0, rho=0.9,
    # epsilon=1e-6); accu zeros; param − learning_rate·g / sqrt(accu_new + epsilon): ε inside.
    Convention("Lasagne", "lasagne.updates.rmsprop", "rho", 1.0, 0.9, 1e-6, True, 0.0, NO_MOMENTUM, "", (),
               "Lasagne/Lasagne lasagne/updates.py @ 5d3c63cb"),
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
    notes: str  # marked for the catalogs, translated where the table is shown
    source: str
    unraceable: str = ""  # why rmsviz's adagrad cannot compute it, if it cannot (marked likewise)


# fmt: off
ADAGRAD_CONVENTIONS = (
    # pytorch/pytorch torch/optim/adagrad.py @ 7be7d891: Adagrad(lr=1e-2, lr_decay=0, weight_decay=0,
    # initial_accumulator_value=0, eps=1e-10); state_sum.addcmul_(grad, grad); std = state_sum.sqrt().add_(eps);
    # param.addcdiv_(grad, std, value=-clr) with clr = lr / (1 + (step − 1)·lr_decay).
    AdagradConvention("PyTorch", "torch.optim.Adagrad", 0.01, 0.0, 1e-10, False,
                      N_("lr_decay=0: η_t = η / (1 + (t − 1)·lr_decay)"),
                      "pytorch/pytorch torch/optim/adagrad.py @ 7be7d891"),
    # keras-team/keras keras/src/optimizers/adagrad.py @ v3.10.0 (3bedb9a9): Adagrad(learning_rate=0.001,
    # initial_accumulator_value=0.1, epsilon=1e-7); accumulator += g²; variable −= lr·g / sqrt(accumulator + eps).
    AdagradConvention("Keras 3", "keras.optimizers.Adagrad", 0.001, 0.1, 1e-7, True, N_("none"),
                      "keras-team/keras keras/src/optimizers/adagrad.py @ v3.10.0 (3bedb9a9)"),
    # keras-team/keras keras/optimizers/optimizer_v2/adagrad.py @ v2.10.0 (b80dd12d): Adagrad(learning_rate=0.001,
    # initial_accumulator_value=0.1, epsilon=1e-7) calls ResourceApplyAdagradV2, whose kernel
    # (tensorflow/core/kernels/training_ops.cc @ 008130e9) does accum += g²; var −= lr·g / (sqrt(accum) + ε).
    AdagradConvention("tf.keras (TF ≤ 2.10)", "tf.keras.optimizers.Adagrad", 0.001, 0.1, 1e-7, False,
                      N_("ε outside the root, where Keras 3 puts it inside"),
                      "keras-team/keras keras/optimizers/optimizer_v2/adagrad.py @ v2.10.0 (b80dd12d)"),
    # tensorflow/tensorflow tensorflow/python/training/adagrad.py @ 802fad8d: AdagradOptimizer(learning_rate,
    # initial_accumulator_value=0.1), which must be > 0; apply_adagrad without ε. Its kernel,
    # tensorflow/core/kernels/training_ops.cc @ 008130e9 ApplyAdagrad: accum += g²; var −= g·lr·rsqrt(accum).
    AdagradConvention("TensorFlow 1", "tf.compat.v1.train.AdagradOptimizer", None, 0.1, 0.0, True,
                      N_("no ε at all: s starts at 0.1 > 0 instead"),
                      "tensorflow/tensorflow tensorflow/python/training/adagrad.py @ 802fad8d"),
    # google-deepmind/optax optax/_src/alias.py and transform.py @ v0.2.4 (1b07700e): adagrad(learning_rate,
    # initial_accumulator_value=0.1, eps=1e-7); scale_by_rss: where(sum > 0, rsqrt(sum + eps), 0).
    AdagradConvention("optax", "optax.adagrad", None, 0.1, 1e-7, True,
                      N_("where(s > 0, 1/√(s + ε), 0): a zero sum gives a zero step"),
                      "google-deepmind/optax optax/_src/transform.py @ v0.2.4 (1b07700e)"),
    # apache/mxnet python/mxnet/optimizer/optimizer.py @ 1.9.1 (3f8f3be9): AdaGrad(eps=1e-7), learning_rate
    # from Optimizer (None → 0.01); history zeros; history += g²; div = g / sqrt(history + eps): ε inside.
    AdagradConvention("MXNet 1.x", "mx.optimizer.AdaGrad (1.x)", 0.01, 0.0, 1e-7, True, N_("its ε is called eps"),
                      "apache/mxnet python/mxnet/optimizer/optimizer.py @ 1.9.1 (3f8f3be9)"),
    # apache/mxnet python/mxnet/optimizer/adagrad.py @ 2.0.0.beta1 (fc54fabe): AdaGrad(learning_rate=0.01,
    # epsilon=1e-6); history zeros; history += g²; d = g / (sqrt(history) + epsilon); weight −= lr·d.
    AdagradConvention("MXNet", "mx.optimizer.AdaGrad (2.x)", 0.01, 0.0, 1e-6, False,
                      N_("no initial-accumulator argument"),
                      "apache/mxnet python/mxnet/optimizer/adagrad.py @ 2.0.0.beta1 (fc54fabe)"),
    # PaddlePaddle/Paddle python/paddle/optimizer/adagrad.py @ 95152eac: Adagrad(learning_rate, epsilon=1e-6,
    # …, initial_accumulator_value=0.0); paddle/phi/kernels/cpu/adagrad_kernel.cc @ 4a41cdf6:
    # moment_out = moment + g²; param_out = param − lr·g / (sqrt(moment_out) + epsilon).
    AdagradConvention("PaddlePaddle", "paddle.optimizer.Adagrad", None, 0.0, 1e-6, False, N_("none"),
                      "PaddlePaddle/Paddle paddle/phi/kernels/cpu/adagrad_kernel.cc @ 4a41cdf6"),
    # chainer/chainer chainer/optimizers/ada_grad.py @ v7.8.1 (e9da1423): AdaGrad(lr=0.001, eps=1e-8); h zeros;
    # h += g²; param −= lr·g / (sqrt(h) + eps).
    AdagradConvention("Chainer", "chainer.optimizers.AdaGrad", 0.001, 0.0, 1e-8, False, N_("none"),
                      "chainer/chainer chainer/optimizers/ada_grad.py @ v7.8.1 (e9da1423)"),
    # BVLC/caffe src/caffe/solvers/adagrad_solver.cpp @ 1.0 (eeebdab1): history += g²; update = local_rate·g /
    # (sqrt(history) + delta); delta default 1e-8; sgd_solvers.hpp: CHECK_EQ(0, momentum) for AdaGrad too.
    AdagradConvention("Caffe", 'type: "AdaGrad"', None, 0.0, 1e-8, False, N_("a non-zero momentum aborts the solver"),
                      "BVLC/caffe src/caffe/solvers/adagrad_solver.cpp @ 1.0 (eeebdab1)"),
    # Lasagne/Lasagne lasagne/updates.py @ 5d3c63cb: adagrad(…, learning_rate=1.0, epsilon=1e-6); accu zeros;
    # accu_new = accu + g²; param − learning_rate·g / sqrt(accu_new + epsilon).
    AdagradConvention("Lasagne", "lasagne.updates.adagrad", 1.0, 0.0, 1e-6, True, N_("none"),
                      "Lasagne/Lasagne lasagne/updates.py @ 5d3c63cb"),
    # d2l-ai/d2l-en chapter_optimization/adagrad.md @ 23d7a5ae: adagrad_2d and adagrad: s += g², eps = 1e-6
    # inside the root, s from zeros; η chosen per experiment (0.4 for the figure).
    AdagradConvention("d2l", "d2l adagrad_2d / adagrad", None, 0.0, 1e-6, True, N_("none"),
                      "d2l-ai/d2l-en chapter_optimization/adagrad.md @ 23d7a5ae"),
    # jax-ml/jax jax/example_libraries/optimizers.py @ jax-v0.4.38 (c4e3f5a3): adagrad(step_size, momentum=0.9);
    # g_sq += g²; m = (1 − momentum)·g·where(g_sq > 0, 1/sqrt(g_sq), 0) + momentum·m; x −= step_size·m.
    AdagradConvention("JAX example_libraries", "jax.example_libraries.optimizers.adagrad", None, 0.0, 0.0, True,
                      N_("momentum=0.9 by default: an average of the scaled steps"),
                      "jax-ml/jax jax/example_libraries/optimizers.py @ jax-v0.4.38 (c4e3f5a3)",
                      N_("its default momentum 0.9 averages the scaled steps, which rmsviz's Adagrad does not")),
)
# fmt: on


def convention(framework: str) -> Convention:
    return next(c for c in CONVENTIONS if c.framework == framework)


def race_settings(c: Convention, lr: float, form: Form | None = None) -> dict:
    """rmsviz ``rmsprop`` settings that compute ``c``'s formula at learning rate ``lr``: its own default
    decay and ε, ε where it puts it, s where it starts; in ``form``'s momentum and centering if given.
    rmsviz keeps η outside the momentum buffer, which takes the same steps as η inside at a constant η."""
    settings = {"lr": lr, "gamma": c.rho, "eps": c.eps, "eps_in_sqrt": c.eps_in_sqrt, "initial_accumulator": c.s0}
    if form is not None:
        settings |= {"eps_in_sqrt": form.eps_in_sqrt, "momentum": form.momentum, "centered": form.centered}
        settings |= {k: v for k, v in (("gamma", form.rho), ("eps", form.eps)) if v is not None}
    return settings


def race(lr: float, steps: int) -> list[tuple[Convention, Trajectory]]:
    """Every framework's RMSProp at one η, on d2l's bowl from d2l's start."""
    return _race("rmsprop", CONVENTIONS, race_settings, lr, steps)


def form_race(lr: float, steps: int) -> list[tuple[Convention, Form, Trajectory]]:
    """Every framework's momentum and centered forms at one η, on d2l's bowl from d2l's start."""
    surface = SURFACES[RACE_SURFACE]
    return [
        (c, form, run("rmsprop", surface, start=RACE_START, steps=steps, **race_settings(c, lr, form)))
        for c in CONVENTIONS
        for form in c.forms
    ]


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


def decay_names() -> list[str]:
    """The decay's names, as the table spells them, each once."""
    return sorted({c.decay for c in CONVENTIONS})


def _eps(c: Convention, other: Convention, eps: float, gettext: Callable[[str], str]) -> tuple[str, bool]:
    """ε written for ``c`` as ``other`` spells it, and whether that is exact. Where ε sits elsewhere and
    ``other`` cannot move it, ε² inside the root matches ε outside (and √ε the other way) only as s → 0."""
    if other.eps_in_sqrt == c.eps_in_sqrt:
        return f"{eps:.3g}", True
    if other.eps_option:
        return gettext("{eps} with {option}={inside}").format(
            eps=f"{eps:.3g}", option=other.eps_option, inside=c.eps_in_sqrt
        ), True
    near = eps**2 if c.eps_in_sqrt is False else eps**0.5
    return gettext("{eps} (near s = 0 only: ε sits elsewhere there)").format(eps=f"{near:.3g}"), False


def _s0(c: Convention, other: Convention, gettext: Callable[[str], str]) -> tuple[str, bool]:
    """Where ``c`` starts s, as ``other`` can say it, and whether that is exact."""
    if other.s0 == c.s0:
        return f"{other.s0:g}", True
    if other.s0_option:
        return f"{other.s0_option}={c.s0:g}", True
    return gettext("{s0} (not {wanted}: differs)").format(s0=f"{other.s0:g}", wanted=f"{c.s0:g}"), False


def _eta_inside(momentum: str) -> bool:
    return momentum in (ETA_INSIDE, CENTERED_ONLY)


def _moved(other: Convention, forms) -> str:
    """Where all of ``forms`` put ε elsewhere than ``other``'s plain form does: "outside" or "inside" the root
    (the key of a note's template), else ""."""
    if forms and all(f.eps_in_sqrt != other.eps_in_sqrt for f in forms):
        return "outside" if other.eps_in_sqrt else "inside"
    return ""


# How a momentum carries over (``_momentum``), by whether the forms move ε: whole sentences, the formula named.
SAME_MU = {
    "": N_("the same μ: {formula}"),
    "outside": N_("the same μ: {formula} (ε sits outside the root there)"),
    "inside": N_("the same μ: {formula} (ε sits inside the root there)"),
}
SAME_STEPS = {
    "": N_("the same μ, but {formula}: the same steps at a constant η, not under a schedule"),
    "outside": N_(
        "the same μ, but {formula}: the same steps at a constant η, not under a schedule (ε sits outside the root "
        "there)"
    ),
    "inside": N_(
        "the same μ, but {formula}: the same steps at a constant η, not under a schedule (ε sits inside the root there)"
    ),
}
CENTERED_MOVED = {
    "outside": N_("{call} (ε sits outside the root there)"),
    "inside": N_("{call} (ε sits inside the root there)"),
}


def _momentum(c: Convention, other: Convention, gettext: Callable[[str], str]) -> str:
    """How ``c``'s momentum carries over to ``other``: the same μ, with η where ``other`` keeps it."""
    if other.momentum == ABORTS:
        return gettext(ABORTS)
    if other.momentum == NO_MOMENTUM:
        none = c.momentum in (NO_MOMENTUM, ABORTS)
        return gettext(NO_MOMENTUM) if none else gettext("none: only μ = 0 carries over")
    if other.momentum == CENTERED_ONLY:
        return gettext("{call} only: {formula}").format(call=other.centered, formula=gettext(ETA_INSIDE))
    moved = _moved(other, [f for f in other.forms if f.momentum and not f.centered])
    same = c.momentum in (NO_MOMENTUM, ABORTS) or _eta_inside(c.momentum) == _eta_inside(other.momentum)
    return gettext((SAME_MU if same else SAME_STEPS)[moved]).format(formula=gettext(other.momentum))


def centered_form(other: Convention, gettext: Callable[[str], str] = N_) -> str:
    """How ``other`` asks for the centered form, and where ε then sits if that is elsewhere (in the language of
    ``gettext``, English by default)."""
    if not other.centered:
        return gettext(NO_MOMENTUM)
    moved = _moved(other, [f for f in other.forms if f.centered])
    return gettext(CENTERED_MOVED[moved]).format(call=other.centered) if moved else other.centered


# ``translate``'s columns, its rows' keys: marked for the catalogs, translated where the table is shown.
TRANSLATE_COLUMNS = (N_("framework"), N_("decay"), N_("ε"), N_("s starts at"), N_("exact"), N_("momentum"),
                     N_("centered"))  # fmt: skip


def translate(c: Convention, rho: float, eps: float, words: Translator | None = None) -> list[dict]:
    """Settings written in ``c``'s terms (decay ``rho``, ``eps``, its plain form) as each framework spells
    them, and whether that framework then computes exactly the same steps; the table's words in the language of
    ``words`` (English by default), its keys in English (the ui translates the headers)."""
    words = words or translator(ENGLISH)
    gettext = words.gettext
    rows = []
    for other in CONVENTIONS:
        eps_text, eps_exact = _eps(c, other, eps, gettext)
        s0_text, s0_exact = _s0(c, other, gettext)
        misses = [what for what, exact in (("ε", eps_exact), ("s₀", s0_exact)) if not exact]
        exact = gettext("no: {misses}").format(misses=list_of(misses, words.lang)) if misses else gettext("yes")
        rows.append(
            {
                "framework": other.framework,
                "decay": f"{other.decay} = {rho:g}",
                "ε": eps_text,
                "s starts at": s0_text,
                "exact": exact,
                "momentum": _momentum(c, other, gettext),
                "centered": centered_form(other, gettext),
            }
        )
    return rows
