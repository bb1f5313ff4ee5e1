"""Parity with torch.optim: every optimizer, random hyperparameters, both backends, 20 steps to 1e-12."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rmsviz

torch = pytest.importorskip(
    "torch", reason="torch is optional (pip install -r requirements-torch.txt): parity with torch.optim needs it"
)


lr = st.floats(1e-3, 0.4)
decay = st.floats(0.0, 0.99)
eps = st.floats(1e-10, 1e-2)

# name -> (hypothesis strategy of rmsviz arguments, torch.optim constructor from those arguments)
TORCH_TWINS = {
    "sgd": (st.fixed_dictionaries({"lr": lr}), lambda p, a: torch.optim.SGD(p, lr=a["lr"])),
    "momentum": (
        st.fixed_dictionaries({"lr": lr, "beta": decay, "dampening": st.floats(0, 0.9)}),
        lambda p, a: torch.optim.SGD(p, lr=a["lr"], momentum=a["beta"], dampening=a["dampening"]),
    ),
    "nesterov": (
        st.fixed_dictionaries({"lr": lr, "beta": st.floats(0.01, 0.99), "nesterov": st.just(True)}),
        lambda p, a: torch.optim.SGD(p, lr=a["lr"], momentum=a["beta"], nesterov=True),
    ),
    "adagrad": (
        st.fixed_dictionaries(
            {
                "lr": st.floats(1e-3, 2.0),
                "eps": eps,
                "lr_decay": st.floats(0, 0.5),
                "initial_accumulator": st.floats(0, 1),
                "eps_in_sqrt": st.just(False),
            }
        ),
        lambda p, a: torch.optim.Adagrad(
            p, lr=a["lr"], eps=a["eps"], lr_decay=a["lr_decay"], initial_accumulator_value=a["initial_accumulator"]
        ),
    ),
    "rmsprop": (
        st.fixed_dictionaries(
            {
                "lr": st.floats(1e-3, 0.1),
                # centered at γ = 0 divides by √(g² − g²) + ε: pure rounding noise on both sides
                "gamma": st.floats(0.1, 0.99),
                "eps": eps,
                "momentum": st.sampled_from([0.0, 0.5, 0.9]),
                "centered": st.booleans(),
                "eps_in_sqrt": st.just(False),
            }
        ),
        lambda p, a: torch.optim.RMSprop(
            p, lr=a["lr"], alpha=a["gamma"], eps=a["eps"], momentum=a["momentum"], centered=a["centered"]
        ),
    ),
    "rprop": (
        st.fixed_dictionaries(
            {
                "lr": lr,
                "eta_minus": st.floats(0.1, 0.9),
                "eta_plus": st.floats(1.05, 2.0),
                "step_min": st.floats(1e-8, 1e-3),
                "step_max": st.floats(0.5, 50),
            }
        ),
        lambda p, a: torch.optim.Rprop(
            p, lr=a["lr"], etas=(a["eta_minus"], a["eta_plus"]), step_sizes=(a["step_min"], a["step_max"])
        ),
    ),
    "adam": (
        st.fixed_dictionaries({"lr": lr, "beta1": decay, "beta2": st.floats(0.5, 0.9999), "eps": eps}),
        lambda p, a: torch.optim.Adam(p, lr=a["lr"], betas=(a["beta1"], a["beta2"]), eps=a["eps"]),
    ),
    "adadelta": (
        st.fixed_dictionaries({"lr": st.floats(0.1, 1.0), "rho": decay, "eps": eps}),
        lambda p, a: torch.optim.Adadelta(p, lr=a["lr"], rho=a["rho"], eps=a["eps"]),
    ),
}


def test_every_optimizer_has_a_torch_twin():
    assert set(rmsviz.OPTIMIZERS) <= set(TORCH_TWINS)


def torch_optim_path(make_optimizer, surface, start, steps):
    """Drive torch.optim by hand on the surface's analytic gradient, one batch tensor of shape (B, 2)."""
    param = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = make_optimizer([param], None)
    path = [param.detach().clone()]
    for _ in range(steps):
        param.grad = surface.grad(param.detach())
        opt.step()
        path.append(param.detach().clone())
    return torch.stack(path).numpy()


@pytest.mark.parametrize("twin", sorted(TORCH_TWINS))
@pytest.mark.parametrize("backend", ["numpy", "torch"])
@settings(max_examples=15, deadline=None, derandomize=True)  # the same draws in every CI run
@given(data=st.data())
def test_matches_torch_optim(twin, backend, data):
    strategy, constructor = TORCH_TWINS[twin]
    arguments = data.draw(strategy, label="hyperparameters")
    surface = rmsviz.SURFACES[data.draw(st.sampled_from(["elliptic", "rotated"]), label="surface")]
    start = data.draw(st.lists(st.tuples(st.floats(-5, 5), st.floats(-3, 3)), min_size=1, max_size=3), label="starts")
    steps = 20
    name = "momentum" if twin == "nesterov" else twin
    ours = rmsviz.run(name, surface, start=np.array(start), steps=steps, backend=backend, **arguments)
    theirs = torch_optim_path(lambda params, _: constructor(params, arguments), surface, start, steps)
    # Each run up to the step before it diverged (torch.optim keeps going). torch's CPU kernels fuse
    # multiply-adds, NumPy rounds each operation: the two differ by an ulp per step, which a few
    # steps can amplify, so "equal" here is 1e-12 of the path's scale.
    for b, diverged_at in enumerate(ours.diverged_at):
        last = steps if diverged_at < 0 else diverged_at - 1
        scale = max(1.0, np.abs(theirs[: last + 1, b]).max())
        np.testing.assert_allclose(ours.path[: last + 1, b], theirs[: last + 1, b], rtol=0, atol=1e-12 * scale)
