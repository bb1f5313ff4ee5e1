"""Plotly builders for the noise page: the minibatch weights and the percentile bands of noisy runs."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rmsviz.figures.style import Gettext, Style, line_chart, line_look, rgba, step_axes
from rmsviz.i18n import N_
from rmsviz.studies.noise import BAND, Band

BAND_OPACITY = 0.18


def minibatch_figure(weights: dict[str, np.ndarray], styles: list[Style], gettext: Gettext = N_) -> go.Figure:
    """The single weight against step, one line per optimizer: every optimizer on the left, and on the right
    all but Rprop on their own scale (next to Rprop's drift the others look like one line at 0). Its words in the
    language of ``gettext`` (English by default)."""
    traces = []
    for (name, w), s in zip(weights.items(), styles, strict=True):
        line = dict(type="scatter", x=np.arange(len(w)), y=w, **line_look(s))
        traces.append({**line, "name": s.label, "legendgroup": s.label})
        if name != "rprop":
            traces.append({**line, "name": s.label, "legendgroup": s.label, "showlegend": False, "xaxis": "x2",
                           "yaxis": "y2"})  # fmt: skip
    axes = dict(
        xaxis=dict(title=dict(text=gettext("step")), domain=[0, 0.45], anchor="y"),
        xaxis2=dict(title=dict(text=gettext("step (zoomed: without Rprop)")), domain=[0.55, 1], anchor="y2"),
        yaxis=dict(title=dict(text=gettext("weight w")), anchor="x", zeroline=True, zerolinecolor="#888"),
        yaxis2=dict(anchor="x2", zeroline=True, zerolinecolor="#888"),
    )
    return line_chart(traces, axes, 400, gettext("The weight under a repeating minibatch sequence"), left=60, bottom=50)


def _drawable(values: np.ndarray) -> list:
    """Infinite percentiles (diverged runs) and values a log axis cannot show become gaps."""
    return [float(v) if np.isfinite(v) else None for v in values]


def noisy_figure(bands: list[Band], styles: list[Style], gap: bool, gettext: Gettext = N_) -> go.Figure:
    """Median loss per optimizer with a filled 10–90 % band; the gap f − f* on a log axis when ``gap``. Its words in
    the language of ``gettext`` (English by default)."""
    traces = []
    low, _, high = BAND
    band_name, median_name = gettext("{name} {low}–{high} %"), gettext("{name} (median)")
    for band, s in zip(bands, styles, strict=True):
        steps = np.arange(len(band.median))
        traces.append(
            dict(
                type="scatter", x=np.concatenate([steps, steps[::-1]]).tolist(),
                y=_drawable(np.concatenate([band.high, band.low[::-1]])), fill="toself", mode="lines",
                line=dict(width=0), fillcolor=rgba(s.color, BAND_OPACITY), hoverinfo="skip",
                name=band_name.format(name=s.label, low=low, high=high), legendgroup=s.label, showlegend=False,
            )
        )  # fmt: skip
        traces.append(
            dict(
                type="scatter", x=steps, y=_drawable(band.median), name=median_name.format(name=s.label),
                legendgroup=s.label, **line_look(s),
            )
        )  # fmt: skip
    axes = step_axes(gettext("f − f* (log)") if gap else "f", log=gap, gettext=gettext)
    chart_title = gettext("Median loss over the runs, {low}–{high} % band shaded").format(low=low, high=high)
    return line_chart(traces, axes, 420, chart_title, left=60, bottom=50, legend_y=-0.2)
