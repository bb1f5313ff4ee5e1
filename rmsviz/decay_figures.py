"""Plotly builders for the γ decay page: arrays in, figures out (plain dicts, as in figures.py)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative

from rmsviz import decay
from rmsviz.engine import Trajectory
from rmsviz.figures import COLORS

PALETTE = qualitative.Dark2


def weights_figure(gammas, horizon: int) -> go.Figure:
    """d2l's figure: the weight (1 − γ)γ^t of the gradient t steps back, and 1 − γ^t beside it."""
    steps = np.arange(horizon)
    weights, cumulative = decay.decay_weights(gammas, horizon), decay.cumulative_weight(gammas, horizon)
    traces = []
    for i, gamma in enumerate(gammas):
        color, label = PALETTE[i % len(PALETTE)], f"γ = {gamma:g}"
        window, half = float(decay.effective_window(gamma)), float(decay.half_life(gamma))
        traces += [
            dict(type="scatter", x=steps, y=weights[i], name=label, legendgroup=label, line=dict(color=color)),
            dict(type="scatter", x=steps, y=cumulative[i], name=label, legendgroup=label, showlegend=False,
                 xaxis="x2", yaxis="y2", line=dict(color=color)),
        ]  # fmt: skip
        marks = [(t, name) for t, name in ((half, "half-life"), (window, "window 1/(1−γ)")) if t < horizon]
        if marks:
            at = np.array([t for t, _ in marks])
            traces.append(
                dict(
                    type="scatter", x=at, y=(1 - gamma) * gamma**at, mode="markers", legendgroup=label,
                    showlegend=False, marker=dict(color=color, size=10, symbol=["diamond", "circle"][: len(at)]),
                    text=[f"{name}: {t:.3g} steps" for t, name in marks], hoverinfo="text",
                )
            )  # fmt: skip
    layout = dict(
        height=380,
        margin=dict(l=10, r=10, t=40, b=10),
        xaxis=dict(title="steps back t", domain=[0, 0.47]),
        yaxis=dict(title="weight (1 − γ)γᵗ"),
        xaxis2=dict(title="last t steps", domain=[0.53, 1]),
        yaxis2=dict(title="their total weight 1 − γᵗ", anchor="x2", range=[0, 1.02]),
        annotations=[
            dict(text="◆ half-life, ● window 1/(1−γ)", x=0, y=1.1, xref="paper", yref="paper", showarrow=False),
        ],
        legend=dict(orientation="h", y=-0.2),
    )
    return go.Figure(dict(data=traces, layout=layout), _validate=False)


def state_figure(trajectory: Trajectory, k: int) -> go.Figure:
    """Per coordinate, the squared gradients g_j² of steps 1 … k and the share each gives s_k."""
    gamma = trajectory.hyperparameters["gamma"]
    steps = np.arange(1, k + 1)
    weights = decay.weights_in_state(gamma, k)
    traces = []
    for i, axis in enumerate(("", "2")):
        squared = trajectory.grads[1 : k + 1, i] ** 2
        traces += [
            dict(type="bar", x=steps, y=squared, name="g² of the step", marker=dict(color="#c7c7c7"),
                 showlegend=i == 0, legendgroup="g", xaxis=f"x{axis}", yaxis=f"y{axis}"),
            dict(type="bar", x=steps, y=weights * squared, name="its share of s_k: (1 − γ)γ^(k−j) g²",
                 marker=dict(color=COLORS["rmsprop"]), showlegend=i == 0, legendgroup="share",
                 xaxis=f"x{axis}", yaxis=f"y{axis}"),
        ]  # fmt: skip
    s = trajectory.state["s"][k]
    layout = dict(
        barmode="overlay",
        height=360,
        margin=dict(l=10, r=10, t=50, b=10),
        xaxis=dict(title=f"step j (x coordinate: s_{k} = {s[0]:.4g})", domain=[0, 0.47]),
        xaxis2=dict(title=f"step j (y coordinate: s_{k} = {s[1]:.4g})", domain=[0.53, 1]),
        yaxis=dict(type="log", exponentformat="power"),
        yaxis2=dict(type="log", exponentformat="power", anchor="x2"),
        legend=dict(orientation="h", y=1.15),
    )
    return go.Figure(dict(data=traces, layout=layout), _validate=False)
