"""Every schedule gives torch.optim.lr_scheduler's learning rates to 1e-12, step by step."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="torch not installed: the parity with torch.optim.lr_scheduler needs it")
from torch.optim import lr_scheduler  # noqa: E402

from rmsviz.schedules import schedule, scheduled_lr  # noqa: E402

LR = 0.4
STEPS = 120


def torch_lrs(make, steps=STEPS, losses=None):
    """The lr of each of ``steps`` optimizer steps, with scheduler.step() (or step(loss)) after each."""
    param = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([param], lr=LR)
    scheduler = make(optimizer)
    lrs = []
    for t in range(steps):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step(losses[t + 1]) if losses is not None else scheduler.step()
    return np.array(lrs)


def ours(s, steps=STEPS, losses=None):
    loss = np.zeros(steps + 1) if losses is None else losses
    return scheduled_lr(s, LR, loss)[1:]


def power_lambda(tau, p):
    return lambda i: 1 / (1 + i / tau) ** p


CASES = {
    "step": (schedule("step", step_size=7, gamma=0.6), lambda o: lr_scheduler.StepLR(o, 7, 0.6)),
    "multistep": (
        schedule("multistep", milestones=(5, 30, 31, 90), gamma=0.3),
        lambda o: lr_scheduler.MultiStepLR(o, [5, 30, 31, 90], 0.3),
    ),
    "exponential": (schedule("exponential", gamma=0.97), lambda o: lr_scheduler.ExponentialLR(o, 0.97)),
    "power": (schedule("power", tau=8, power=0.75), lambda o: lr_scheduler.LambdaLR(o, power_lambda(8, 0.75))),
    "cosine": (
        schedule("cosine", t_max=40, floor=0.05),
        lambda o: lr_scheduler.CosineAnnealingLR(o, 40, eta_min=0.05 * LR),
    ),
    "onecycle": (
        schedule("onecycle", total_steps=STEPS, pct_start=0.25, div_factor=10, final_div_factor=100),
        lambda o: lr_scheduler.OneCycleLR(
            o,
            max_lr=LR,
            total_steps=STEPS,
            pct_start=0.25,
            div_factor=10,
            final_div_factor=100,
            cycle_momentum=False,
        ),
    ),
    "warmup-cosine": (
        schedule("cosine", t_max=50, floor=0.0, warmup=10, warmup_start=0.1),
        lambda o: lr_scheduler.SequentialLR(
            o,
            [lr_scheduler.LinearLR(o, start_factor=0.1, total_iters=10), lr_scheduler.CosineAnnealingLR(o, 50)],
            milestones=[10],
        ),
    ),
    "warmup-step": (
        schedule("step", step_size=15, gamma=0.5, warmup=4),
        lambda o: lr_scheduler.SequentialLR(
            o, [lr_scheduler.LinearLR(o, total_iters=4), lr_scheduler.StepLR(o, 15, 0.5)], milestones=[4]
        ),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_schedule_matches_torch(case):
    s, make = CASES[case]
    np.testing.assert_allclose(ours(s), torch_lrs(make), rtol=1e-12, atol=1e-12 * LR)


@pytest.mark.parametrize(("patience", "cooldown", "threshold"), [(3, 0, 1e-4), (0, 2, 0.0), (5, 1, 0.1)])
def test_plateau_matches_torch(patience, cooldown, threshold):
    """A loss that falls, stalls and wobbles: the cuts come at the same steps."""
    t = np.arange(STEPS + 1)
    losses = np.maximum(1 - t / 30, 0.2) + 0.01 * np.sin(t)
    s = schedule("plateau", factor=0.5, patience=patience, cooldown=cooldown, threshold=threshold, floor=0.01)
    expected = torch_lrs(
        lambda o: lr_scheduler.ReduceLROnPlateau(
            o, factor=0.5, patience=patience, cooldown=cooldown, threshold=threshold, min_lr=0.01 * LR
        ),
        losses=losses,
    )
    got = ours(s, losses=losses)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12 * LR)
    assert got.min() < LR  # it did cut
    assert math.isclose(got.min(), max(expected.min(), 0.01 * LR))
