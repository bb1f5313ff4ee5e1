"""Each framework's RMSProp as rmsviz races it computes that framework's formula: torch.optim itself for
PyTorch, the cited formula (written out here) for the others."""

import math

import numpy as np
import pytest

import rmsviz
from rmsviz.studies import conventions
from rmsviz.surfaces import SURFACES

START, STEPS, LR = (-5.0, -2.0), 30, 0.4


def raced(framework: str) -> np.ndarray:
    settings = conventions.race_settings(conventions.convention(framework), LR)
    return rmsviz.run("rmsprop", "elliptic", start=START, steps=STEPS, **settings).path


def reference(framework: str) -> np.ndarray:
    """The framework's formula, one step at a time: s ← ρs + (1 − ρ)g², x ← x − ηg/D with its D and s₀."""
    c = conventions.convention(framework)
    x, s, path = np.array(START), np.full(2, c.s0), [np.array(START)]
    for _ in range(STEPS):
        g = SURFACES["elliptic"].grad(x)
        s = c.rho * s + (1 - c.rho) * g * g
        root = np.sqrt(s + c.eps) if c.eps_in_sqrt else np.sqrt(s) + c.eps
        x = x - LR * g / root
        path.append(x)
    return np.array(path)


@pytest.mark.parametrize("framework", [c.framework for c in conventions.CONVENTIONS if c.framework != "PyTorch"])
def test_racer_is_the_cited_formula(framework):
    np.testing.assert_allclose(raced(framework), reference(framework), rtol=1e-12, atol=1e-300)


def torch_optim_run(name: str) -> tuple[dict, np.ndarray]:
    """torch.optim's ``name`` (RMSprop, Adagrad): its own defaults, and its path at η = LR on d2l's bowl."""
    torch = pytest.importorskip("torch", reason=f"torch is optional: parity with torch.optim.{name} needs it")
    x = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    defaults = getattr(torch.optim, name)([x]).defaults
    opt = getattr(torch.optim, name)([x], lr=LR)
    path = [x.detach().numpy().copy()]
    for _ in range(STEPS):
        opt.zero_grad()
        (0.1 * x[0] ** 2 + 2 * x[1] ** 2).backward()
        opt.step()
        path.append(x.detach().numpy().copy())
    return defaults, np.array(path)


def test_pytorch_racer_is_torch_optim():
    defaults, path = torch_optim_run("RMSprop")
    c = conventions.convention("PyTorch")
    assert (defaults["lr"], defaults["alpha"], defaults["eps"]) == (c.lr, c.rho, c.eps)  # as the table says
    np.testing.assert_allclose(raced("PyTorch"), path, rtol=1e-12)


def test_tf1_starts_its_average_at_one_and_that_shows():
    """TF1's "rms" slot starts at 1: its first step is η·g/√(0.9 + 0.1 g² + ε), not Keras's ≈ η·g/√(0.1 g²)."""
    c = conventions.convention("TensorFlow 1")
    g = SURFACES["elliptic"].grad(np.array(START))
    first = np.array(START) - LR * g / np.sqrt(0.9 + 0.1 * g * g + 1e-10)
    np.testing.assert_allclose(raced("TensorFlow 1")[1], first, rtol=1e-15)
    assert c.s0 == 1.0 and not np.allclose(raced("TensorFlow 1")[5], raced("Keras 3")[5])


def test_race_runs_every_row_from_one_start():
    runs = conventions.race(LR, STEPS)
    assert [c.framework for c, _ in runs] == [c.framework for c in conventions.CONVENTIONS]
    for c, t in runs:
        np.testing.assert_array_equal(t.path, raced(c.framework))


def test_frameworks_part_ways_on_the_same_surface():
    """Same η, same start: the defaults alone (ρ 0.99 against 0.9, ε inside or out) give different runs."""
    ends = {f: raced(f)[-1] for f in ("PyTorch", "Keras 3", "optax", "d2l")}
    assert not np.allclose(ends["PyTorch"], ends["Keras 3"])


def test_translate_moves_eps_across_the_root():
    rows = conventions.translate(conventions.convention("PyTorch"), 0.99, 1e-8)
    by = {r["framework"]: r for r in rows}
    assert by["PyTorch"]["ε"] == "1e-08" and by["Keras 3"]["ε"].startswith("1e-16")
    assert by["Keras 3"]["decay"] == "rho = 0.99" and "differs" in by["TensorFlow 1"]["s starts at"]
    back = conventions.translate(conventions.convention("Keras 3"), 0.9, 1e-16)
    assert {r["framework"]: r for r in back}["PyTorch"]["ε"].startswith(f"{math.sqrt(1e-16):.3g}")


def test_every_row_cites_a_source():
    for c in conventions.CONVENTIONS:
        assert " @ " in c.source or "sources" in c.source


def adagrad_reference(framework: str) -> np.ndarray:
    """The framework's Adagrad as cited, one step at a time: s ← s + g², x ← x − ηg/D with its D and s₀."""
    c = next(c for c in conventions.ADAGRAD_CONVENTIONS if c.framework == framework)
    x, s, path = np.array(START), np.full(2, c.s0), [np.array(START)]
    for _ in range(STEPS):
        g = SURFACES["elliptic"].grad(x)
        s = s + g * g
        root = np.sqrt(s + c.eps) if c.eps_in_sqrt else np.sqrt(s) + c.eps
        x = x - LR * g / root
        path.append(x)
    return np.array(path)


def test_every_raceable_adagrad_row_is_its_cited_formula():
    runs = conventions.adagrad_race(LR, STEPS)
    raced = [c.framework for c, _ in runs]
    assert raced == [c.framework for c in conventions.ADAGRAD_CONVENTIONS if not c.unraceable]
    assert "JAX example_libraries" not in raced  # its default momentum is not Adagrad's
    for c, t in runs:
        np.testing.assert_allclose(t.path, adagrad_reference(c.framework), rtol=1e-12, atol=1e-300)
    ends = {c.framework: t.loss[-1] for c, t in runs}
    assert ends["Keras 3"] != ends["PyTorch"]  # s₀ = 0.1 and ε inside against s₀ = 0 and ε outside


def test_pytorch_adagrad_row_is_torch_optim():
    defaults, path = torch_optim_run("Adagrad")
    c = conventions.ADAGRAD_CONVENTIONS[0]
    assert (defaults["lr"], defaults["initial_accumulator_value"], defaults["eps"]) == (c.lr, c.s0, c.eps)
    np.testing.assert_allclose(dict(conventions.adagrad_race(LR, STEPS))[c].path, path, rtol=1e-12)


def test_every_adagrad_row_cites_a_source():
    for c in conventions.ADAGRAD_CONVENTIONS:
        assert " @ " in c.source
