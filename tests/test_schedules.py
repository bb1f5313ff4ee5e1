"""Schedules: their factors by hand, validation in torch.optim's words, batches, and what run() does with them."""

import numpy as np
import pytest

import rmsviz
from rmsviz.schedules import factors, parse_milestones, schedule, scheduled_lr

ELLIPTIC = rmsviz.SURFACES["elliptic"]


@pytest.mark.parametrize(
    ("s", "first"),
    [
        (schedule("step", step_size=2, gamma=0.5), [1, 1, 0.5, 0.5, 0.25]),
        (schedule("multistep", milestones=(1, 3), gamma=0.1), [1, 0.1, 0.1, 0.01, 0.01]),
        (schedule("exponential", gamma=0.5), [1, 0.5, 0.25, 0.125, 0.0625]),
        (schedule("power", tau=1, power=1), [1, 1 / 2, 1 / 3, 1 / 4, 1 / 5]),
        (schedule("cosine", t_max=4), [1, (1 + np.sqrt(0.5)) / 2, 0.5, (1 - np.sqrt(0.5)) / 2, 0]),
        (schedule("exponential", gamma=0.5, warmup=2, warmup_start=0.5), [0.5, 0.75, 1, 0.5, 0.25]),
    ],
    ids=lambda v: getattr(v, "kind", ""),
)
def test_factors_by_hand(s, first):
    np.testing.assert_allclose(factors(s, 5), first, rtol=1e-15, atol=1e-16)


def test_one_cycle_rises_to_the_peak_and_falls_to_its_floor():
    f = factors(schedule("onecycle", total_steps=11, pct_start=0.5, div_factor=10, final_div_factor=100), 11)
    assert f[0] == pytest.approx(0.1) and f[int(0.5 * 11 - 1)] <= 1 and f.max() == pytest.approx(1, abs=0.05)
    assert f[-1] == pytest.approx(1e-3)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "step", "gamma": 1.5}, "Invalid gamma: 1.5 (must be in [0, 1])"),
        ({"kind": "step", "step_size": 0}, "Invalid step_size: 0 (must be in [1, inf))"),
        ({"kind": "cosine", "t_max": 2.5}, "Invalid t_max: 2.5 (must be an integer)"),
        ({"kind": "power", "tau": 0}, "Invalid tau: 0 (must be in (0, inf))"),
        ({"kind": "nope"}, "Unknown schedule: 'nope'"),
        ({"kind": "step", "tau": 3}, "Unknown parameter for the step schedule: tau"),
        ({"kind": "multistep", "milestones": (5, 3)}, "Invalid milestones: (5, 3)"),
        ({"kind": "exponential", "gamma": np.array([0.9, np.nan])}, "Invalid gamma: nan"),
        ({"kind": "plateau", "warmup": -1}, "Invalid warmup: -1"),
    ],
)
def test_bad_values_are_refused_in_torch_optims_words(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        schedule(**kwargs)


def test_a_constant_schedule_changes_no_number():
    plain = rmsviz.run("rmsprop", ELLIPTIC, steps=40, record="all", lr=0.4)
    constant = rmsviz.run("rmsprop", ELLIPTIC, steps=40, record="all", lr=0.4, schedule=schedule())
    assert np.array_equal(plain.path, constant.path) and np.array_equal(
        plain.effective_lr, constant.effective_lr, equal_nan=True
    )
    assert constant.schedule is None and constant.hyperparameters == plain.hyperparameters


@pytest.mark.parametrize("kind", ["exponential", "plateau"])
def test_sgd_takes_each_step_with_eta_t(kind):
    s = schedule(kind, gamma=0.9) if kind == "exponential" else schedule(kind, patience=1, factor=0.5)
    t = rmsviz.run("sgd", ELLIPTIC, steps=30, record="all", lr=0.3, schedule=s)
    eta = scheduled_lr(s, 0.3, t.loss)
    np.testing.assert_allclose(t.effective_lr[1:], np.broadcast_to(eta[1:, None], (30, 2)), rtol=1e-15)
    np.testing.assert_allclose(np.diff(t.path, axis=0), -eta[1:, None] * t.grads[1:], rtol=1e-13, atol=1e-15)
    assert t.schedule is s and "schedule" not in t.hyperparameters


@pytest.mark.parametrize("kind", ["exponential", "plateau"])
def test_a_batched_schedule_runs_each_setting_as_alone(kind):
    values = np.array([0.5, 0.8, 0.95])
    name = "gamma" if kind == "exponential" else "factor"
    batch = rmsviz.run("rmsprop", ELLIPTIC, start=np.tile([-5.0, -2.0], (3, 1)), steps=60, lr=0.4,
                       schedule=schedule(kind, **{name: values}))  # fmt: skip
    for i, v in enumerate(values):
        alone = rmsviz.run("rmsprop", ELLIPTIC, steps=60, lr=0.4, schedule=schedule(kind, **{name: float(v)}))
        np.testing.assert_array_equal(batch.path[:, i], alone.path)


def test_schedule_batch_must_agree_with_the_hyperparameters():
    with pytest.raises(ValueError, match="Batch sizes disagree"):
        rmsviz.run("sgd", ELLIPTIC, steps=3, lr=np.array([0.1, 0.2]), schedule=schedule("exponential", gamma=[0.9] * 3))
    with pytest.raises(ValueError, match="Invalid schedule"):
        rmsviz.run("sgd", ELLIPTIC, steps=3, schedule="cosine")


def test_a_decaying_eta_lets_rmsprop_settle():
    """The constant-η run bounces back up; with η decaying by 1/(1 + t/10) the loss keeps falling."""
    bouncing = rmsviz.run("rmsprop", ELLIPTIC, steps=100, lr=0.4)
    settling = rmsviz.run("rmsprop", ELLIPTIC, steps=100, lr=0.4, schedule=schedule("power", tau=10, power=1))
    assert bouncing.loss[-1] > 1e6 * bouncing.loss.min()
    assert settling.loss[-1] < 1e-3 * bouncing.loss[-1]


def test_a_schedule_is_refused_where_it_cannot_apply():
    """Plateau scales lr (a rule without lr has none); a rule keeps its own x, which scaled steps would leave."""
    rule = rmsviz.parse_rule("x = x - 0.1 * g")
    with pytest.raises(ValueError, match=r"plateau \(it scales lr, and rule has none\)"):
        rmsviz.run(rule.spec(), "elliptic", steps=5, schedule=schedule("plateau"))
    with pytest.raises(ValueError, match="keeps the point x in its state"):
        rmsviz.run(rule.spec(), "elliptic", steps=5, schedule=schedule("exponential", gamma=0.5))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Give at least one milestone"),
        ("30, ab", "'ab' is not a step"),
        ("30, -5", "'-5' is not a step"),
        ("2.5", "'2.5' is not a step"),
        ("60, 30", r"Invalid milestones: \(60, 30\) \(must be increasing positive integers\)"),
        ("0", r"Invalid milestones: \(0,\)"),
        ("٣٠", "is not allowed: type plain ASCII"),  # Arabic-Indic digits: int() would read them
        (", ".join(map(str, range(1, 30))), "At most 20 milestones, not 29"),
    ],
)
def test_typed_milestones_say_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        parse_milestones(text)


def test_typed_milestones_are_the_multistep_schedule():
    milestones = parse_milestones(" 3,5 , 9")
    assert milestones == (3, 5, 9)
    steps = factors(schedule("multistep", milestones=milestones, gamma=0.5), 11)
    np.testing.assert_allclose(steps, [1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125, 0.125])
