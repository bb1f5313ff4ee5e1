"""Plotly builders for the noise page: the minibatch weights and the percentile bands of noisy runs."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rmsviz.figures import Style
from rmsviz.noise import BAND, Band

BAND_OPACITY = 0.18


def minibatch_figure(weights: dict[str, np.ndarray], styles: list[Style]) -> go.Figure:
    """The single weight against step, one line per optimizer; the start (0) as a thin rule."""
    traces = [
        dict(type="scatter", x=np.arange(len(w)), y=w, name=s.label, mode="lines", line=dict(color=s.color, width=2))
        for w, s in zip(weights.values(), styles, strict=True)
    ]
    layout = dict(
        title=dict(text="The weight under a repeating minibatch sequence", x=0, font=dict(size=15)),
        xaxis=dict(title="step"),
        yaxis=dict(title="weight w", zeroline=True, zerolinecolor="#888"),
        height=380,
        margin=dict(l=10, r=10, t=40, b=10),
        legend=dict(orientation="h", y=-0.2),
    )
    return go.Figure(dict(data=traces, layout=layout), _validate=False)


def _rgba(color: str, alpha: float) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


def _drawable(values: np.ndarray) -> list:
    """Infinite percentiles (diverged runs) and values a log axis cannot show become gaps."""
    return [float(v) if np.isfinite(v) else None for v in values]


def noisy_figure(bands: list[Band], styles: list[Style], gap: bool) -> go.Figure:
    """Median loss per optimizer with a filled 10–90 % band; the gap f − f* on a log axis when ``gap``."""
    traces = []
    low, _, high = BAND
    for band, s in zip(bands, styles, strict=True):
        steps = np.arange(len(band.median))
        traces.append(
            dict(
                type="scatter", x=np.concatenate([steps, steps[::-1]]).tolist(),
                y=_drawable(np.concatenate([band.high, band.low[::-1]])), fill="toself", mode="lines",
                line=dict(width=0), fillcolor=_rgba(s.color, BAND_OPACITY), hoverinfo="skip",
                name=f"{s.label} {low}–{high} %", legendgroup=s.label, showlegend=False,
            )
        )  # fmt: skip
        traces.append(
            dict(
                type="scatter", x=steps, y=_drawable(band.median), mode="lines", name=f"{s.label} (median)",
                legendgroup=s.label, line=dict(color=s.color, width=2),
            )
        )  # fmt: skip
    layout = dict(
        title=dict(text=f"Median loss over the runs, {low}–{high} % band shaded", x=0, font=dict(size=15)),
        xaxis=dict(title="step"),
        yaxis=dict(title="f − f* (log)" if gap else "f", type="log" if gap else "linear", exponentformat="power"),
        height=420,
        margin=dict(l=10, r=10, t=40, b=10),
        legend=dict(orientation="h", y=-0.2),
    )
    return go.Figure(dict(data=traces, layout=layout), _validate=False)
