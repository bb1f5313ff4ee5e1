"""The leaky average's weights against closed forms and against a recorded RMSProp run."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rmsviz
from rmsviz import decay

gammas = st.floats(0.0, 0.999)


@settings(max_examples=100, deadline=None)
@given(gamma=gammas, horizon=st.integers(1, 300))
def test_partial_sums_are_one_minus_gamma_to_the_t(gamma, horizon):
    weights = decay.decay_weights([gamma], horizon)[0]
    np.testing.assert_allclose(np.cumsum(weights), decay.cumulative_weight([gamma], horizon + 1)[0, 1:], atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(gamma=st.floats(0.01, 0.99))
def test_window_and_half_life(gamma):
    assert decay.effective_window(gamma) == pytest.approx(1 / (1 - gamma))
    assert gamma ** decay.half_life(gamma) == pytest.approx(0.5)
    assert decay.decay_weights([gamma], 20_000)[0].sum() == pytest.approx(1.0, abs=1e-9)


def test_edges():
    assert decay.effective_window(1.0) == np.inf and decay.half_life(1.0) == np.inf
    assert decay.half_life(0.0) == 0 and decay.effective_window(0.0) == 1
    np.testing.assert_array_equal(decay.decay_weights([1.0, 0.0], 3), [[0, 0, 0], [1, 0, 0]])
    assert decay.decay_weights([0.95, 0.9, 0.8, 0.7], 40).shape == (4, 40)


@pytest.mark.parametrize("gamma", [0.5, 0.9, 0.99])
@pytest.mark.parametrize("k", [1, 5, 20])
def test_weights_rebuild_the_recorded_state(gamma, k):
    t = rmsviz.run("rmsprop", "elliptic", steps=20, lr=0.4, gamma=gamma, record="all")
    rebuilt = decay.weights_in_state(gamma, k) @ t.grads[1 : k + 1] ** 2
    np.testing.assert_allclose(rebuilt, t.state["s"][k], rtol=1e-12)


@pytest.mark.parametrize(
    ("text", "expected"), [("0.95, 0.9, 0.8, 0.7", (0.95, 0.9, 0.8, 0.7)), (" 1 ,0", (1.0, 0.0)), ("0.5,", (0.5,))]
)
def test_parse_gammas(text, expected):
    assert decay.parse_gammas(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0.9, 1.2", r"Invalid gamma: 1.2 \(must be in \[0, 1\]\)"),
        ("abc", "'abc' is not a number"),
        ("", "at least one"),
        ("nan", "Invalid gamma: nan"),
        (",".join(["0.5"] * 9), "At most 8"),
    ],
)
def test_bad_gammas(text, message):
    with pytest.raises(ValueError, match=message):
        decay.parse_gammas(text)
