"""The leaky average's weights against closed forms and against a recorded RMSProp run."""

import json

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rmsviz
from rmsviz.figures import decay as decay_figures
from rmsviz.studies import decay

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


@pytest.mark.parametrize("gamma", [0.0, 0.5, 0.9, 0.99, 1.0])
@pytest.mark.parametrize("k", [0, 1, 5, 20])
def test_weights_rebuild_the_recorded_state(gamma, k):
    t = rmsviz.run("rmsprop", "elliptic", start=(-5.0, -2.0), steps=20, lr=0.4, gamma=gamma, record="all")
    g2 = t.grads**2
    rebuilt = (decay.weights_in_state(g2, gamma, k) * g2[1 : k + 1]).sum(axis=0)
    np.testing.assert_allclose(rebuilt, t.state["s"][k], rtol=1e-12, atol=0)


def test_weights_in_a_batch_of_runs_with_one_gamma_each():
    gammas = np.array([0.5, 0.9, 0.99])
    t = rmsviz.run("rmsprop", "rotated", start=np.array([[-4.0, -1.0]] * 3), steps=30, lr=0.1, gamma=gammas,
                   record="all")  # fmt: skip
    g2 = t.grads**2
    weights = decay.weights_in_state(g2, gammas, 17)
    assert weights.shape == (17, 3, 2)
    np.testing.assert_allclose((weights * g2[1:18]).sum(axis=0), t.state["s"][17], rtol=1e-12, atol=0)


def test_k_must_be_a_recorded_step():
    with pytest.raises(ValueError, match="not a recorded step"):
        decay.weights_in_state(np.ones((21, 2)), 0.9, 21)


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


def _spec(figure) -> dict:
    return json.loads(figure.to_json())


def test_weights_figure_has_a_line_per_gamma_on_each_panel():
    data = _spec(decay_figures.weights_figure(decay.weight_curves([0.95, 0.9, 0.8, 0.7], 40)))["data"]
    lines = [t for t in data if t.get("mode") != "markers"]
    assert [t["name"] for t in lines if t.get("showlegend", True)] == ["γ = 0.95", "γ = 0.9", "γ = 0.8", "γ = 0.7"]
    assert len(lines) == 8  # weights and their running total
    assert any("half-life 6.58 steps" in text for t in data for text in t.get("text", []))


def test_state_figure_marks_s_k():
    t = rmsviz.run("rmsprop", "elliptic", start=(-5.0, -2.0), steps=20, lr=0.4, gamma=0.9, record="all")
    data = _spec(decay_figures.state_figure(decay.state_parts(t.grads, t.state["s"], 0.9, 10)))["data"]
    assert [tr["type"] for tr in data].count("bar") == 2
    assert any(tr.get("hovertemplate", "").startswith(f"s<sub>10</sub> = {t.state['s'][10][0]:.4g}") for tr in data)


@pytest.mark.parametrize(
    "figure",
    [
        lambda: decay_figures.weights_figure(decay.weight_curves([], 40)),
        lambda: decay_figures.weights_figure(decay.weight_curves([0.9], 0)),
        lambda: decay_figures.weights_figure(decay.weight_curves([1.0, 0.0], 5)),
        lambda: decay_figures.state_figure(decay.state_parts(None, None, 0.9, 5)),
        lambda: decay_figures.state_figure(decay.state_parts(np.empty((0, 2)), np.empty((0, 2)), 0.9, 5)),
        lambda: decay_figures.state_figure(decay.state_parts(np.full((3, 2), np.nan), np.zeros((3, 2)), 0.9, 0)),
    ],
)
def test_empty_or_degenerate_input_gives_a_figure(figure):
    assert isinstance(figure(), go.Figure)
