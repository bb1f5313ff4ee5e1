"""The two kinds of Rprop: iRprop− (torch.optim's, the default) and the sources' sign-based Rprop, on
hand-computed steps, and the minibatch example's sentence on how they drift apart, held to the runs."""

import numpy as np
import pytest

import rmsviz
from rmsviz.studies import noise


def test_sign_based_rprop_steps_against_the_sign():
    """From (−5, −2) on 0.1x² + 2y² with Δ₀ = 3 (g = (0.2x, 4y)), by hand:
    y: g = −8 → +3 to 1; g = 4 flips: Δ = 1.5, and the step is taken: 1 − 1.5 = −0.5; g = −2 flips: Δ = 0.75,
       −0.5 + 0.75 = 0.25. (iRprop− skips the flipped step and stays at 1.)
    x: g = −1 → +3 to −2; g = −0.4 holds: Δ = 3.6, 1.6; g = 0.32 flips: Δ = 1.8, 1.6 − 1.8 = −0.2."""
    t = rmsviz.run("rprop", "elliptic", start=(-5.0, -2.0), steps=3, lr=3.0, skip_on_flip=False, record="all")
    np.testing.assert_allclose(t.path[1:], [(-2.0, 1.0), (1.6, -0.5), (-0.2, 0.25)], rtol=1e-14)
    np.testing.assert_allclose(t.state["step_size"][1:], [(3.0, 3.0), (3.6, 1.5), (1.8, 0.75)], rtol=1e-14)
    skipping = rmsviz.run("rprop", "elliptic", start=(-5.0, -2.0), steps=3, lr=3.0)
    assert skipping.path[2, 1] == 1.0  # the default, iRprop−, skipped that step


@pytest.fixture(scope="module")
def rows():
    return noise.rprop_variants(noise.DEFAULT_SEQUENCE, 100, {"lr": 0.01})


def test_variants_drift_apart_as_the_sentence_says(rows):
    skipping, simple = rows
    assert (skipping["steps down"], skipping["steps up"], skipping["skipped"]) == (90, 0, 10)
    assert (simple["steps down"], simple["steps up"], simple["skipped"]) == (90, 10, 0)
    # iRprop− shrinks Δ once a period (at the −0.9), the sources' Rprop twice (the −0.9 and the 0.1 after it)
    assert skipping["Δ shrank"] == 10 and simple["Δ shrank"] == 19
    assert skipping["weight at the end"] < simple["weight at the end"] < 0  # both drift down, iRprop− further
    text = noise.rprop_variants_sentence(rows)
    for number in ("−381", "−2.64", "21.1", "0.0412", "10 skipped", "10 steps up", "10 times", "19 times"):
        assert number in text
    assert "iRprop− drifts further" in text


def test_no_flip_no_difference():
    rows = noise.rprop_variants((0.5,), 20, {"lr": 0.01})
    assert rows[0]["weight at the end"] == rows[1]["weight at the end"]
    assert "same steps" in noise.rprop_variants_sentence(rows)
