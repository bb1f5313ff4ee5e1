"""Each framework's RMSProp and Adagrad as rmsviz races them compute that framework's formula.

The references below are written here from each row's cited source (a few lines of NumPy per framework,
with that framework's own defaults and names), not from the rows: a row whose decay, ε, ε placement, s₀
or momentum rule were wrong would part from its reference. PyTorch is also held to torch.optim itself.
"""

import re

import numpy as np
import pytest

import rmsviz
from rmsviz.studies import conventions

START, STEPS, LR = (-5.0, -2.0), 30, 0.4


def grad(x):
    """d2l's bowl 0.1x² + 2y², differentiated by hand."""
    return np.array([0.2 * x[0], 4.0 * x[1]])


def trace(update, *state, lr=LR) -> np.ndarray:
    """The path of ``update(x, g, eta, *state) -> (x, *state)`` from START; ``lr`` may be a schedule of t."""
    x, path = np.array(START), [np.array(START)]
    for t in range(1, STEPS + 1):
        x, *state = update(x, grad(x), lr(t) if callable(lr) else lr, *state)
        path.append(x)
    return np.array(path)


Z = np.zeros(2)


# --- RMSProp, one function per framework, from its cited source -------------------------------------------------


def pytorch(lr=LR, alpha=0.99, eps=1e-8, momentum=0.0, centered=False):
    """torch/optim/rmsprop.py: square_avg, grad_avg (lerp), avg = sqrt(·) + eps, buf = μ·buf + g/avg."""

    def update(x, g, eta, sq, ga, buf):
        sq = alpha * sq + (1 - alpha) * g * g
        ga = ga + (g - ga) * (1 - alpha) if centered else ga
        avg = np.sqrt(sq - ga * ga) + eps
        buf = momentum * buf + g / avg
        return (x - eta * buf if momentum else x - eta * g / avg), sq, ga, buf

    return trace(update, Z, Z, Z, lr=lr)


def keras3(lr=LR, rho=0.9, epsilon=1e-7, momentum=0.0, centered=False):
    """keras/src/optimizers/rmsprop.py: increment = lr·g / sqrt(velocity (− average_grad²) + epsilon)."""

    def update(x, g, eta, velocity, average_grad, m):
        velocity = rho * velocity + (1 - rho) * np.square(g)
        if centered:
            average_grad = rho * average_grad + (1 - rho) * g
        increment = eta * g / np.sqrt(velocity - np.square(average_grad) + epsilon)
        m = momentum * m + increment
        return (x - m if momentum > 0 else x - increment), velocity, average_grad, m

    return trace(update, Z, Z, Z, lr=lr)


def tf_kernel(ms0, decay, epsilon, momentum, centered):
    """tensorflow/core/kernels/training_ops.cc ApplyRMSProp / ApplyCenteredRMSProp: the buffer always runs."""

    def update(x, g, lr, ms, mg, mom):
        ms = ms + (g * g - ms) * (1 - decay)
        mg = mg + (g - mg) * (1 - decay) if centered else mg
        mom = mom * momentum + g * lr / np.sqrt(ms - mg * mg + epsilon)
        return x - mom, ms, mg, mom

    return trace(update, np.full(2, ms0), Z, Z)


def tensorflow1(decay=0.9, momentum=0.0, epsilon=1e-10, centered=False):
    """tensorflow/python/training/rmsprop.py: the "rms" slot from ones_initializer, then the kernel."""
    return tf_kernel(1.0, decay, epsilon, momentum, centered)


def tf_keras_legacy(rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    """keras/optimizers/optimizer_v2/rmsprop.py @ v2.10.0: the kernel when momentum > 0, else its own
    var − lr·g / (sqrt(rms (− mg²)) + epsilon)."""
    if momentum > 0:
        return tf_kernel(0.0, rho, epsilon, momentum, centered)

    def update(x, g, lr, rms, mg):
        rms = rho * rms + (1 - rho) * np.square(g)
        mg = rho * mg + (1 - rho) * g if centered else mg
        return x - lr * g / (np.sqrt(rms - np.square(mg)) + epsilon), rms, mg

    return trace(update, Z, Z)


def optax(lr=LR, decay=0.9, eps=1e-8, initial_scale=0.0, eps_in_sqrt=True, centered=False, momentum=None):
    """optax rmsprop @ v0.2.4: scale_by_rms / scale_by_stddev, scale_by_learning_rate, then trace."""

    def update(x, g, eta, nu, mu, t):
        nu = (1 - decay) * g**2 + decay * nu
        mu = (1 - decay) * g + decay * mu if centered else mu
        v = nu - mu**2
        u = -eta * g * (1 / np.sqrt(v + eps) if eps_in_sqrt else 1 / (np.sqrt(v) + eps))
        t = u + momentum * t if momentum is not None else u
        return x + t, nu, mu, t

    return trace(update, np.full(2, initial_scale), Z, Z, lr=lr)


def d2l(gamma=0.9):
    """chapter_optimization/rmsprop.md rmsprop_2d: eps = 1e-6 inside the root, s from 0."""
    return trace(lambda x, g, eta, s: (x - eta / np.sqrt(gamma * s + (1 - gamma) * g**2 + 1e-6) * g,
                                       gamma * s + (1 - gamma) * g**2), Z)  # fmt: skip


def mxnet1(gamma1=0.9, gamma2=0.9, epsilon=1e-8, centered=False):
    """mxnet 1.9.1 optimizer_op-inl.h: rmsprop_update (ε inside) or rmspropalex_update (gamma2 its momentum)."""

    def plain(x, g, lr, n):
        n = (1 - gamma1) * (g * g) + gamma1 * n
        return x - lr * (g / np.sqrt(n + epsilon)), n

    def alex(x, g, lr, n, gbar, delta):
        n = (1 - gamma1) * g * g + gamma1 * n
        gbar = (1 - gamma1) * g + gamma1 * gbar
        delta = gamma2 * delta - lr * g / np.sqrt(n - gbar * gbar + epsilon)
        return x + delta, n, gbar, delta

    return trace(alex, Z, Z, Z) if centered else trace(plain, Z)


def mxnet2(rho=0.9, momentum=0.9, epsilon=1e-8, centered=False):
    """mxnet 2.0.0.beta1 optimizer/rmsprop.py step: d = g / (sqrt(var) + ε); centered: mom −= lr·g/sqrt(· + ε)."""

    def update(x, g, lr, mean, var, mom):
        var = var * rho + (1 - rho) * np.square(g)
        if not centered:
            return x - lr * (g / (np.sqrt(var) + epsilon)), mean, var, mom
        mean = mean * rho + (1 - rho) * g
        mom = mom * momentum - lr * g / np.sqrt(var - np.square(mean) + epsilon)
        return x + mom, mean, var, mom

    return trace(update, Z, Z, Z)


def jax_example(gamma=0.9, eps=1e-8, momentum=None):
    """jax/example_libraries/optimizers.py rmsprop, or rmsprop_momentum when momentum is given."""

    def update(x, g, step_size, avg_sq_grad, mom):
        avg_sq_grad = avg_sq_grad * gamma + np.square(g) * (1.0 - gamma)
        if momentum is None:
            return x - step_size * g / np.sqrt(avg_sq_grad + eps), avg_sq_grad, mom
        mom = momentum * mom + step_size * g / np.sqrt(avg_sq_grad + eps)
        return x - mom, avg_sq_grad, mom

    return trace(update, Z, Z)


def paddle(rho=0.95, epsilon=1e-6, momentum=0.0, centered=False):
    """paddle/phi/kernels/impl/rmsprop_kernel_impl.h: mom_out = μ·mom + lr·g / sqrt(ms_out (− mg_out²) + ε)."""

    def update(x, g, lr, ms, mg, mom):
        ms_out = rho * ms + (1 - rho) * g * g
        mg_out = rho * mg + (1 - rho) * g if centered else mg
        mom_out = momentum * mom + lr * g / np.sqrt(ms_out - mg_out * mg_out + epsilon)
        return x - mom_out, ms_out, mg_out, mom_out

    return trace(update, Z, Z, Z)


def chainer(alpha=0.99, eps=1e-8, eps_inside_sqrt=False, graves=False):
    """chainer/optimizers/rmsprop.py, or rmsprop_graves.py (alpha=0.95, momentum=0.9, eps=1e-4)."""

    def rmsprop(x, g, lr, ms):
        ms = alpha * ms + (1 - alpha) * g * g
        return x - lr * g / (np.sqrt(ms + eps) if eps_inside_sqrt else np.sqrt(ms) + eps), ms

    def rmsprop_graves(x, g, lr, n, gbar, delta, alpha=0.95, momentum=0.9, eps=1e-4):
        n, gbar = alpha * n + (1 - alpha) * g * g, alpha * gbar + (1 - alpha) * g
        delta = momentum * delta - lr * g / np.sqrt(n - gbar * gbar + eps)
        return x + delta, n, gbar, delta

    return trace(rmsprop_graves, Z, Z, Z) if graves else trace(rmsprop, Z)


def caffe(rms_decay=0.99, delta=1e-8):
    """src/caffe/solvers/rmsprop_solver.cpp: history = (1 − d)·g² + d·history; g / (history^0.5 + delta)."""

    def update(x, g, local_rate, history):
        history = (1 - rms_decay) * np.power(g, 2) + rms_decay * history
        return x - local_rate * g / (np.power(history, 0.5) + delta), history

    return trace(update, Z)


def lasagne(rho=0.9, epsilon=1e-6):
    """lasagne/updates.py rmsprop: accu_new = rho·accu + (1 − rho)·g²; param − lr·g / sqrt(accu_new + ε)."""
    return trace(lambda x, g, lr, accu: (x - lr * g / np.sqrt(rho * accu + (1 - rho) * g**2 + epsilon),
                                         rho * accu + (1 - rho) * g**2), Z)  # fmt: skip


def plain_and(form_kwargs):
    """A reference's plain form (None) and its forms, keyed by the rows' form calls."""
    return {None: {}} | form_kwargs


M, C, MC = "momentum=0.9", "centered=True", "centered=True, momentum=0.9"
USUAL = {M: {"momentum": 0.9}, C: {"centered": True}, MC: {"centered": True, "momentum": 0.9}}
REFERENCES = {
    "PyTorch": (pytorch, plain_and(USUAL)),
    "Keras 3": (keras3, plain_and(USUAL)),
    "tf.keras (TF ≤ 2.10)": (tf_keras_legacy, {None: {}, "momentum=0.9 (ε moves inside the root)": USUAL[M],
                                               C: USUAL[C], "centered=True, momentum=0.9 (ε inside)": USUAL[MC]}),
    "TensorFlow 1": (tensorflow1, plain_and(USUAL)),
    "optax": (optax, plain_and(USUAL)),
    "d2l": (d2l, {None: {}}),
    "MXNet 1.x": (mxnet1, {None: {}, "centered=True (gamma2=0.9 is its momentum)": {"centered": True}}),
    "MXNet": (mxnet2, {None: {}, "centered=True (momentum=0.9, ε inside)": {"centered": True}}),
    "JAX example_libraries": (jax_example, {None: {}, "rmsprop_momentum(…, momentum=0.9)": {"momentum": 0.9}}),
    "PaddlePaddle": (paddle, plain_and(USUAL)),
    "Chainer": (chainer, {None: {}, "RMSpropGraves() (alpha=0.95, momentum=0.9, eps=1e-4, ε inside)":
                          {"graves": True}}),
    "Caffe": (caffe, {None: {}}),
    "Lasagne": (lasagne, {None: {}}),
}  # fmt: skip
# Default η as each source's signature gives it (None: a required argument, or chosen per experiment in d2l).
DEFAULT_LR = {"PyTorch": 0.01, "Keras 3": 0.001, "tf.keras (TF ≤ 2.10)": 0.001, "TensorFlow 1": None, "optax": None,
              "d2l": None, "MXNet 1.x": 0.001, "MXNet": 0.001, "JAX example_libraries": None, "PaddlePaddle": None,
              "Chainer": 0.01, "Caffe": None, "Lasagne": 1.0}  # fmt: skip

CASES = [(c.framework, None) for c in conventions.CONVENTIONS] + [
    (c.framework, form.call) for c in conventions.CONVENTIONS for form in c.forms
]


def raced(framework: str, form_call: str | None = None) -> np.ndarray:
    c = conventions.convention(framework)
    form = next((f for f in c.forms if f.call == form_call), None)
    settings = conventions.race_settings(c, LR, form)
    return rmsviz.run("rmsprop", "elliptic", start=START, steps=STEPS, **settings).path


def test_every_row_and_form_has_a_reference():
    assert {c.framework for c in conventions.CONVENTIONS} == set(REFERENCES) == set(DEFAULT_LR)
    for c in conventions.CONVENTIONS:
        assert set(REFERENCES[c.framework][1]) == {None} | {f.call for f in c.forms}


@pytest.mark.parametrize("framework, form", CASES)
def test_racer_is_the_cited_formula(framework, form):
    """Each row, and each of its momentum and centered forms, races its framework's own formula."""
    reference, forms = REFERENCES[framework]
    np.testing.assert_allclose(raced(framework, form), reference(**forms[form]), rtol=1e-10, atol=1e-300)


def test_default_learning_rates_are_the_sources():
    assert {c.framework: c.lr for c in conventions.CONVENTIONS} == DEFAULT_LR


def torch_optim_run(name: str, **options) -> tuple[dict, np.ndarray]:
    """torch.optim's ``name`` (RMSprop, Adagrad): its own defaults, and its path at η = LR on d2l's bowl."""
    torch = pytest.importorskip("torch", reason=f"torch is optional: parity with torch.optim.{name} needs it")
    x = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    defaults = getattr(torch.optim, name)([x]).defaults
    opt = getattr(torch.optim, name)([x], lr=LR, **options)
    path = [x.detach().numpy().copy()]
    for _ in range(STEPS):
        opt.zero_grad()
        (0.1 * x[0] ** 2 + 2 * x[1] ** 2).backward()
        opt.step()
        path.append(x.detach().numpy().copy())
    return defaults, np.array(path)


@pytest.mark.parametrize("form", plain_and(USUAL))
def test_pytorch_forms_are_torch_optim(form):
    defaults, path = torch_optim_run("RMSprop", **plain_and(USUAL)[form])
    c = conventions.convention("PyTorch")
    assert (defaults["lr"], defaults["alpha"], defaults["eps"]) == (c.lr, c.rho, c.eps)  # as the table says
    assert (defaults["momentum"], defaults["centered"]) == (0, False)
    np.testing.assert_allclose(raced("PyTorch", form), path, rtol=1e-10)


def test_tf1_starts_its_average_at_one_and_that_shows():
    """TF1's "rms" slot starts at 1: its first step is η·g/√(0.9 + 0.1 g² + ε), not Keras's ≈ η·g/√(0.1 g²)."""
    g = grad(np.array(START))
    first = np.array(START) - LR * g / np.sqrt(0.9 + 0.1 * g * g + 1e-10)
    np.testing.assert_allclose(raced("TensorFlow 1")[1], first, rtol=1e-15)
    assert not np.allclose(raced("TensorFlow 1")[5], raced("Keras 3")[5])


def test_tf1_puts_eps_inside_the_root():
    """TF1's ε = 1e-10 beside s ≥ 0.9 cannot show where it sits; at ε = 0.5 it does."""
    settings = conventions.race_settings(conventions.convention("TensorFlow 1"), LR) | {"eps": 0.5}
    path = rmsviz.run("rmsprop", "elliptic", start=START, steps=STEPS, **settings).path
    np.testing.assert_allclose(path, tensorflow1(epsilon=0.5), rtol=1e-12)


def test_tf_keras_legacy_moves_eps_with_momentum():
    """tf.keras ≤ 2.10 puts ε outside the root at momentum 0 and inside above it: its rows say so."""
    c = conventions.convention("tf.keras (TF ≤ 2.10)")
    assert not c.eps_in_sqrt and all(f.eps_in_sqrt == (f.momentum > 0) for f in c.forms)


def test_caffe_and_mxnet_momentum():
    caffe_row, mxnet1_row = conventions.convention("Caffe"), conventions.convention("MXNet 1.x")
    assert caffe_row.call == 'type: "RMSProp"' and caffe_row.momentum == conventions.ABORTS and not caffe_row.forms
    assert "CHECK_EQ(0, momentum)" in caffe_row.momentum
    assert mxnet1_row.decay == "gamma1" and mxnet1_row.eps_in_sqrt  # 1.x: ε inside, unlike 2.x
    assert mxnet1_row.momentum == conventions.CENTERED_ONLY and all(f.centered for f in mxnet1_row.forms)


def test_race_runs_every_row_and_form_from_one_start():
    runs = conventions.race(LR, STEPS)
    assert [c.framework for c, _ in runs] == [c.framework for c in conventions.CONVENTIONS]
    for c, t in runs:
        np.testing.assert_array_equal(t.path, raced(c.framework))
    forms = conventions.form_race(LR, STEPS)
    assert [(c.framework, f.call) for c, f, _ in forms] == [case for case in CASES if case[1]]
    for c, form, t in forms:
        np.testing.assert_array_equal(t.path, raced(c.framework, form.call))


def test_frameworks_part_ways_on_the_same_surface():
    """Same η, same start: the defaults alone (ρ 0.99 against 0.9, ε inside or out) give different runs."""
    assert not np.allclose(raced("PyTorch")[-1], raced("Keras 3")[-1])


def translation(source: str, target: str, rho: float, eps: float) -> dict:
    rows = conventions.translate(conventions.convention(source), rho, eps)
    return next(r for r in rows if r["framework"] == target)


def test_translate_moves_eps_across_the_root_where_it_must():
    to_keras = translation("PyTorch", "Keras 3", 0.99, 1e-8)
    assert to_keras["ε"].startswith("1e-16") and to_keras["exact"] == "no: ε" and to_keras["decay"] == "rho = 0.99"
    back = translation("Keras 3", "PyTorch", 0.9, 1e-16)
    assert (
        back["ε"].startswith("1e-08") and "differs" in translation("PyTorch", "TensorFlow 1", 0.99, 1e-8)["s starts at"]
    )


def test_exact_translations_are_exact():
    """The three the translator said nothing of: each exact, and the two formulas take the same steps."""
    to_optax = translation("PyTorch", "optax", 0.99, 1e-8)
    assert to_optax["exact"] == "yes" and to_optax["ε"] == "1e-08 with eps_in_sqrt=False"
    np.testing.assert_allclose(optax(decay=0.99, eps=1e-8, eps_in_sqrt=False), pytorch(), rtol=1e-12)
    tf1_to_optax = translation("TensorFlow 1", "optax", 0.9, 1e-10)
    assert tf1_to_optax["exact"] == "yes" and tf1_to_optax["s starts at"] == "initial_scale=1"
    np.testing.assert_allclose(optax(eps=1e-10, initial_scale=1.0), tensorflow1(), rtol=1e-12)
    to_chainer = translation("Keras 3", "Chainer", 0.9, 1e-7)
    assert to_chainer["exact"] == "yes" and to_chainer["ε"] == "1e-07 with eps_inside_sqrt=True"
    np.testing.assert_allclose(chainer(alpha=0.9, eps=1e-7, eps_inside_sqrt=True), keras3(), rtol=1e-12)


def test_every_translation_marked_exact_is_exact():
    """Wherever the translator says "yes", the target's formula with the translated settings is the source's."""
    for source in conventions.CONVENTIONS:
        for row in conventions.translate(source, source.rho, source.eps):
            target = conventions.convention(row["framework"])
            movable = bool(target.eps_option) or target.eps_in_sqrt == source.eps_in_sqrt
            settable = bool(target.s0_option) or target.s0 == source.s0
            assert (row["exact"] == "yes") == (movable and settable), (source.framework, row)


def test_translate_momentum_and_centering():
    """η in the buffer: the same steps at a constant η, not under a schedule; Caffe aborts; MXNet only centered."""
    to_optax = translation("PyTorch", "optax", 0.99, 1e-8)
    assert "not under a schedule" in to_optax["momentum"] and to_optax["centered"] == "centered=True"
    same = {"decay": 0.99, "eps": 1e-8, "eps_in_sqrt": False, "momentum": 0.9}
    np.testing.assert_allclose(optax(**same), pytorch(momentum=0.9), rtol=1e-10)
    schedule = lambda t: LR / t  # noqa: E731 - one line, read at each step
    assert not np.allclose(optax(lr=schedule, **same), pytorch(lr=schedule, momentum=0.9), rtol=1e-3)
    assert translation("PyTorch", "Caffe", 0.99, 1e-8)["momentum"] == conventions.ABORTS
    assert translation("PyTorch", "MXNet 1.x", 0.99, 1e-8)["momentum"].startswith("centered=True only")
    assert translation("PyTorch", "d2l", 0.99, 1e-8)["momentum"] == "none: only μ = 0 carries over"
    assert "ε sits inside the root there" in translation("PyTorch", "MXNet", 0.99, 1e-8)["centered"]
    assert "ε sits inside the root there" in translation("PyTorch", "tf.keras (TF ≤ 2.10)", 0.99, 1e-8)["momentum"]


CITATION = re.compile(r"[\w.-]+/[\w.-]+ [\w./-]+ @ [\w.-]+( \([0-9a-f]{8}\))?")


def test_every_row_cites_a_path_at_a_commit_or_tag():
    for c in conventions.CONVENTIONS + conventions.ADAGRAD_CONVENTIONS:
        assert CITATION.fullmatch(c.source), c.source


# --- Adagrad: s ← s + g², x ← x − η·g·scale(s), scale per framework from its cited source ----------------------

ADAGRAD = {
    "PyTorch": (0.0, lambda s: 1 / (np.sqrt(s) + 1e-10)),  # std = state_sum.sqrt().add_(eps)
    "Keras 3": (0.1, lambda s: 1 / np.sqrt(s + 1e-7)),  # lr·g / sqrt(accumulator + epsilon)
    "tf.keras (TF ≤ 2.10)": (0.1, lambda s: 1 / (np.sqrt(s) + 1e-7)),  # ApplyAdagradV2
    "TensorFlow 1": (0.1, lambda s: s**-0.5),  # ApplyAdagrad: rsqrt(accum)
    "optax": (0.1, lambda s: np.where(s > 0, 1 / np.sqrt(s + 1e-7), 0.0)),  # scale_by_rss
    "MXNet 1.x": (0.0, lambda s: 1 / np.sqrt(s + 1e-7)),  # grad / sqrt(history + float_stable_eps)
    "MXNet": (0.0, lambda s: 1 / (np.sqrt(s) + 1e-6)),  # grad / (sqrt(history) + epsilon)
    "PaddlePaddle": (0.0, lambda s: 1 / (np.sqrt(s) + 1e-6)),  # lr·g / (sqrt(moment_out) + epsilon)
    "Chainer": (0.0, lambda s: 1 / (np.sqrt(s) + 1e-8)),  # lr·g / (sqrt(h) + eps)
    "Caffe": (0.0, lambda s: 1 / (np.power(s, 0.5) + 1e-8)),  # history^0.5 + delta
    "Lasagne": (0.0, lambda s: 1 / np.sqrt(s + 1e-6)),  # sqrt(accu_new + epsilon)
    "d2l": (0.0, lambda s: 1 / np.sqrt(s + 1e-6)),  # eta / sqrt(s1 + eps)
}
ADAGRAD_LR = {"PyTorch": 0.01, "Keras 3": 0.001, "tf.keras (TF ≤ 2.10)": 0.001, "TensorFlow 1": None, "optax": None,
              "MXNet 1.x": 0.01, "MXNet": 0.01, "PaddlePaddle": None, "Chainer": 0.001, "Caffe": None, "Lasagne": 1.0,
              "d2l": None, "JAX example_libraries": None}  # fmt: skip


def adagrad_reference(framework: str) -> np.ndarray:
    s0, scale = ADAGRAD[framework]

    def update(x, g, eta, s):
        s = s + g * g
        return x - eta * g * scale(s), s

    return trace(update, np.full(2, s0))


def test_every_raceable_adagrad_row_is_its_cited_formula():
    runs = conventions.adagrad_race(LR, STEPS)
    assert [c.framework for c, _ in runs] == [c.framework for c in conventions.ADAGRAD_CONVENTIONS if not c.unraceable]
    assert {c.framework for c, _ in runs} == set(ADAGRAD)  # every raceable row has its reference
    assert "JAX example_libraries" not in ADAGRAD  # its default momentum is not Adagrad's
    for c, t in runs:
        np.testing.assert_allclose(t.path, adagrad_reference(c.framework), rtol=1e-12, atol=1e-300)
    ends = {c.framework: t.loss[-1] for c, t in runs}
    assert ends["Keras 3"] != ends["PyTorch"]  # s₀ = 0.1 and ε inside against s₀ = 0 and ε outside
    assert {c.framework: c.lr for c in conventions.ADAGRAD_CONVENTIONS} == ADAGRAD_LR


def test_pytorch_adagrad_row_is_torch_optim():
    defaults, path = torch_optim_run("Adagrad")
    c = conventions.ADAGRAD_CONVENTIONS[0]
    assert (defaults["lr"], defaults["initial_accumulator_value"], defaults["eps"]) == (c.lr, c.s0, c.eps)
    np.testing.assert_allclose(dict(conventions.adagrad_race(LR, STEPS))[c].path, path, rtol=1e-12)
