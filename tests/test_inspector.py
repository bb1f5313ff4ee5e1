"""The step inspector shows exactly the recorded numbers, and its formulas land on the recorded next point."""

import re

import numpy as np
import pytest

import rmsviz
from rmsviz import inspector
from rmsviz.optimizers import OPTIMIZERS


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("k", [1, 2, 7])
def test_rows_are_the_recorded_numbers(name, k):
    t = rmsviz.run(name, "rotated", start=(-4.0, 1.5), steps=8, lr=0.05, record="all")
    for i, row in enumerate(inspector.step_rows(t, k)):
        assert row["x before"] == t.path[k - 1, i] and row["x after"] == t.path[k, i]
        assert row["gradient g"] == t.grads[k, i] and row["effective rate"] == t.effective_lr[k, i]
        for key, values in t.state.items():
            assert row[key] == values[k, i]
        np.testing.assert_allclose(row["x before"] + row["update"], row["x after"], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(("name", "settings"), [("rmsprop", {"gamma": 0.9}), ("adagrad", {}), ("sgd", {})])
def test_rate_times_gradient_is_the_update(name, settings):
    t = rmsviz.run(name, "elliptic", steps=6, lr=0.4, record="all", **settings)
    for k in range(1, 7):
        for row in inspector.step_rows(t, k):
            np.testing.assert_allclose(row["update"], -row["effective rate"] * row["gradient g"], rtol=1e-12)


@pytest.mark.parametrize("name", ["rmsprop", "adagrad", "momentum", "sgd"])
def test_formula_ends_on_the_next_point(name):
    t = rmsviz.run(name, "elliptic", steps=5, lr=0.4, record="all")
    for k in (1, 3, 5):
        for i in (0, 1):
            last = inspector.step_formula(t, k, i)[-1]
            assert last.startswith(f"{'xy'[i]}_{{{k}}} = ")  # the coordinate's own name
            assert latex_number(last.rsplit("= ", 1)[1]) == pytest.approx(t.path[k, i], rel=1e-5, abs=1e-9)


def latex_number(text: str) -> float:
    """2.5 \\times 10^{-11}, 10^{-6} or 0.25 back to a float."""
    return float(re.sub(r"^(-?)10\^", r"\g<1>1e", text).replace(r" \times 10^", "e").strip("{}").replace("{", ""))


def test_numbers_are_written_for_latex():
    assert [inspector.tex(v) for v in (0.25, 1e-6, -1e-6, 2.5e-11, 3e20)] == [
        "0.25",
        "10^{-6}",
        "-10^{-6}",
        r"2.5 \times 10^{-11}",
        r"3 \times 10^{20}",
    ]
    assert [latex_number(inspector.tex(v)) for v in (0.25, 1e-6, -1e-6, 2.5e-11, 3e20)] == [
        0.25,
        1e-6,
        -1e-6,
        2.5e-11,
        3e20,
    ]


def test_rmsprop_worked_example_matches_d2l():
    # the seeds' example: from (-5, -2), g1 = (-1, -8), s1 = 0.1 g1² = (0.1, 6.4)
    t = rmsviz.run("rmsprop", "elliptic", steps=1, lr=0.4, gamma=0.9, record="all")
    first, second = inspector.step_formula(t, 1, 1)
    assert "0.1 \\cdot (-8)^2 = 6.4" in first
    assert second.endswith(f"= {t.path[1, 1]:.6g}")


def test_bad_steps_and_records():
    t = rmsviz.run("sgd", "elliptic", steps=3, record="all")
    with pytest.raises(ValueError, match=r"Invalid step: 4 \(must be in \[1, 3\]\)"):
        inspector.step_rows(t, 4)
    with pytest.raises(ValueError, match="record='all'"):
        inspector.step_rows(rmsviz.run("sgd", "elliptic", steps=3), 1)


def test_an_optimizer_whose_spec_writes_nothing_gets_its_move_and_rate():
    """rmsviz.optimizer()'s spec knows no rule: the lines are where the point went, with g and the rate."""
    lr = rmsviz.Hyperparameter("lr", 0.4, 1e-4, 10.0, True, "η", "learning rate", open_min=True)
    spec = rmsviz.optimizer("plain", lambda x, lr: {}, lambda g, state, lr: (-lr * g, state), [lr])
    t = rmsviz.run(spec, "elliptic", steps=3, record="all")
    for optimizer in (None, spec):
        (line,) = inspector.step_formula(t, 2, 1, optimizer)
        assert line.startswith(f"y_{{1}} = {inspector.tex(t.path[1, 1])} \\to y_{{2}} = {inspector.tex(t.path[2, 1])}")
        assert f"effective rate}} = {inspector.tex(t.effective_lr[2, 1])})" in line


def test_a_spec_brings_its_own_writer():
    """The writer is the spec's: SGD's, given to a copy of it, writes the copy's step as it writes SGD's."""
    sgd = OPTIMIZERS["sgd"]
    copy = rmsviz.optimizer("copy", lambda x, lr: {}, lambda g, state, lr: (-lr * g, state), sgd.hyperparameters)
    copy = copy._replace(meaning=sgd.meaning)
    mine, builtin = (rmsviz.run(o, "elliptic", steps=3, lr=0.4, record="all") for o in (copy, "sgd"))
    assert inspector.step_formula(mine, 2, 0, copy) == inspector.step_formula(builtin, 2, 0)


def test_a_step_at_or_after_the_divergence_is_said_to_have_stopped():
    """RMSProp with γ = 1 never grows its state past 0, so every step is η/√ε = 400 times the gradient: the run
    overflows at step 4 and stays where it was; the recorded gradient and rate would make a false formula there."""
    t = rmsviz.run("rmsprop", "elliptic", start=(-5.0, -2.0), steps=8, lr=0.4, gamma=1.0, record="all")
    assert t.diverged_at == 4 and (t.path[4] == t.path[3]).all()
    assert [inspector.stopped_before(t, k) for k in range(1, 9)] == [None, None, None, 4, 4, 4, 4, 4]
    kept = rmsviz.run("rmsprop", "elliptic", start=(-5.0, -2.0), steps=8, lr=0.4, record="all")
    assert not kept.diverged and {inspector.stopped_before(kept, k) for k in range(1, 9)} == {None}
