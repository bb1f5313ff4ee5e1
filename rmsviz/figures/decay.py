"""Plotly builders for the γ decay page: the numbers of ``studies.decay`` in, figures out (plain dicts)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rmsviz.figures.scrub import scrub_figures
from rmsviz.figures.style import COLORS, Gettext, title_margin
from rmsviz.i18n import N_
from rmsviz.studies.decay import StateParts, WeightCurves

PALETTE = list(COLORS.values())  # the optimizers' colours: 3:1 on light and dark, apart to every eye
# At the half-life the last t steps hold half of s; at the window 1/(1 − γ) they hold 1 − γ^{1/(1−γ)} ≈ 1 − 1/e.
MARKS = ((N_("half-life"), "diamond"), (N_("window 1/(1 − γ)"), "circle"))
MARKS_KEY = dict(x=1, y=1.02, xref="paper", yref="paper", xanchor="right", yanchor="bottom", showarrow=False)
MARKS_TEXT = N_("◆ half-life ln ½ / ln γ   ● window 1/(1 − γ)")
PER_GAMMA = 4  # the weights figure's traces per γ: the weights, their marks, the share of s, its marks
# What a γ scrub redraws in the state figure besides its traces: the shaded window, the s_k in the panels' names,
# the weights' axes (their top follows the largest weight).
STATE_LAYOUT = ("shapes", "annotations", "yaxis3", "yaxis4")


def _marks(
    curves: WeightCurves, i: int, values: np.ndarray, color: str, label: str, axes: dict, gettext: Gettext
) -> dict:
    """Markers at the i-th γ's half-life and window, those inside the horizon, on the curve whose ``values``
    at the marks are given, with the numbers on hover."""
    shown = curves.marks[i] < curves.weights.shape[1] - 1
    at, shares = curves.marks[i][shown], curves.mark_cumulative[i][shown]
    marks = [mark for mark, inside in zip(MARKS, shown, strict=True) if inside]
    template = gettext("{label}: {mark} {steps} steps; the last {steps} hold {share} of s")
    hover = [
        template.format(label=label, mark=gettext(name), steps=f"{t:.3g}", share=f"{share:.0%}")
        for t, (name, _), share in zip(at, marks, shares, strict=True)
    ]
    return dict(
        type="scatter", x=at, y=values[i][shown], mode="markers", legendgroup=label, showlegend=False, hoverinfo="text",
        marker=dict(color=color, size=10, symbol=[symbol for _, symbol in marks], line=dict(color="white", width=1)),
        text=hover,
        **axes,
    )  # fmt: skip


def weights_figure(curves: WeightCurves, gettext: Gettext = N_) -> go.Figure:
    """d2l's figure: the weight (1 − γ)γ^t of the squared gradient t steps back, one line per γ, and beside
    it 1 − γ^t, the share of s the last t squared gradients hold. Half-life ◆ and window ● marked on both.
    Its words in the language of ``gettext`` (English by default)."""
    back = (
        gettext("t = {t} steps back").format(t="%{x}") + "<br>" + gettext("weight {weight}").format(weight="%{y:.4f}")
    )
    held = gettext("the last {t} steps hold {share} of s").format(t="%{x}", share="%{y:.1%}")
    steps = np.arange(curves.weights.shape[1])
    traces = []
    for i, gamma in enumerate(curves.gammas):
        color, label = PALETTE[i % len(PALETTE)], f"γ = {gamma:g}"
        line = dict(type="scatter", x=steps, y=curves.weights[i], name=label, legendgroup=label, line=dict(color=color),
                    hovertemplate=f"{label}<br>{back}<extra></extra>")  # fmt: skip
        total = dict(type="scatter", x=steps, y=curves.cumulative[i], name=label, legendgroup=label, showlegend=False,
                     line=dict(color=color), xaxis="x2", yaxis="y2",
                     hovertemplate=f"{label}<br>{held}<extra></extra>")  # fmt: skip
        traces += [
            line,
            _marks(curves, i, curves.mark_weights, color, label, {}, gettext),
            total,
            _marks(curves, i, curves.mark_cumulative, color, label, dict(xaxis="x2", yaxis="y2"), gettext),
        ]
    layout = dict(
        height=440,
        margin=dict(l=60, r=10, t=title_margin(), b=50),  # the key under the toolbar's band, the legend below
        xaxis=dict(title=dict(text=gettext("steps back t")), domain=[0, 0.45]),
        yaxis=dict(title=dict(text=gettext("weight of g² t steps back: (1 − γ)γᵗ")), rangemode="tozero"),
        xaxis2=dict(title=dict(text=gettext("the last t steps")), domain=[0.55, 1], anchor="y2"),
        yaxis2=dict(
            title=dict(text=gettext("their share of s: 1 − γᵗ")), anchor="x2", range=[0, 1.02], tickformat=".0%"
        ),
        annotations=[dict(MARKS_KEY, text=gettext(MARKS_TEXT))],
        legend=dict(orientation="h", x=0, y=-0.2, yanchor="top"),
    )
    return go.Figure(dict(data=traces, layout=layout), _validate=False)


def state_figure(parts: StateParts | None, gettext: Gettext = N_) -> go.Figure:
    """What s_k is made of, one panel per coordinate: bars of g_j² for the steps j = 1 … k, the weight
    (1 − γ)γ^{k−j} each gets in s_k (right axis), s_k itself (dashed), and the last 1/(1 − γ) steps shaded.
    s_k = Σ_j (1 − γ)γ^{k−j} g_j², a weighted average of the last ~1/(1 − γ) squared gradients. Empty for
    None (no step to show yet). Its words in the language of ``gettext`` (English by default).
    """
    if parts is None:
        return go.Figure(dict(data=[], layout=dict(height=380)), _validate=False)
    k, gamma, squared, weights = parts.k, parts.gamma, parts.squared, parts.weights
    steps = np.arange(1, k + 1)
    color = COLORS["rmsprop"]
    window_start = max(0.5, k + 0.5 - parts.window)
    traces, shapes, annotations = [], [], []
    bar_hover = gettext("step {j}: g² = {g2}<br>weight in s<sub>k</sub> {weight}<br>adds {adds} to s<sub>k</sub>")
    bar_hover = bar_hover.format(j="%{x}", g2="%{y:.4g}", weight="%{customdata[0]:.4f}", adds="%{customdata[1]:.4g}")
    s_name = gettext("s<sub>k</sub> = Σ weight · g<sub>j</sub>²")
    weight_name = gettext("its weight in s<sub>k</sub>: (1 − γ)γ<sup>k − j</sup>, γ = {gamma}").format(
        gamma=f"{gamma:g}"
    )
    for i, (coordinate, axis) in enumerate((("x", ""), ("y", "2"))):
        x_axis, y_axis, w_axis = f"x{axis}", f"y{axis}", f"y{3 + i}"
        s_k = float(parts.s_k[i])
        traces += [
            dict(type="bar", x=steps, y=squared[:, i], name=gettext("g<sub>j</sub>² of step j"), legendgroup="g2",
                 showlegend=i == 0, marker=dict(color="#b8b8b8"), xaxis=x_axis, yaxis=y_axis,
                 customdata=np.column_stack([weights[:, i], weights[:, i] * squared[:, i]]),
                 hovertemplate=bar_hover + "<extra></extra>"),
            dict(type="scatter", x=steps, y=weights[:, i],
                 name=weight_name, legendgroup="w",
                 showlegend=i == 0, mode="lines", line=dict(color=color, width=2.5), xaxis=x_axis, yaxis=w_axis,
                 hoverinfo="skip"),
            dict(type="scatter", x=[0.5, k + 0.5], y=[s_k, s_k], name=s_name,
                 legendgroup="s", showlegend=i == 0, mode="lines", line=dict(color="black", dash="dash"),
                 xaxis=x_axis, yaxis=y_axis, hovertemplate=f"s<sub>{k}</sub> = {s_k:.4g}<extra></extra>"),
        ]  # fmt: skip
        shapes.append(
            dict(type="rect", xref=x_axis, yref=f"{y_axis} domain", x0=window_start, x1=k + 0.5, y0=0, y1=1,
                 fillcolor=color, opacity=0.08, line=dict(width=0), layer="below")
        )  # fmt: skip
        annotations.append(
            dict(text=gettext("{coordinate} coordinate: s<sub>{k}</sub> = {s_k}").format(
                 coordinate=coordinate, k=k, s_k=f"{s_k:.4g}"), xref=f"{x_axis} domain", yref="paper",
                 x=0, y=1, xanchor="left", yanchor="bottom", showarrow=False)
        )  # fmt: skip
    g2_axis = dict(type="log", exponentformat="power", title=dict(text=gettext("g<sub>j</sub>²  (log)")))
    # an axis overlaying a log axis takes its ticks from that grid unless told otherwise
    top = 1.05 * (float(weights.max()) or 1.0)  # γ = 1 gives every step weight 0
    w_axis = dict(type="linear", side="right", range=[0, top], tickmode="auto", nticks=6, showgrid=False,
                  tickfont=dict(color=color))  # fmt: skip
    w_title = dict(text=gettext("weight in s<sub>k</sub>"), font=dict(color=color))
    layout = dict(
        barmode="overlay",
        height=440,
        margin=dict(l=60, r=50, t=title_margin(), b=50),  # the panels' names under the toolbar, the legend below
        xaxis=dict(title=dict(text=gettext("step j")), domain=[0, 0.43]),
        xaxis2=dict(title=dict(text=gettext("step j")), domain=[0.57, 1], anchor="y2"),
        yaxis=g2_axis,
        yaxis2={**g2_axis, "anchor": "x2", "title": None},  # one title each for g² and weight, not four between panels
        yaxis3={**w_axis, "overlaying": "y", "anchor": "x"},
        yaxis4={**w_axis, "overlaying": "y2", "anchor": "x2", "title": w_title},
        shapes=shapes,
        annotations=annotations,
        legend=dict(orientation="h", x=0, y=-0.2, yanchor="top"),
    )
    return go.Figure(dict(data=traces, layout=layout), _validate=False)


def weights_scrub(curves_at: list[WeightCurves], values: list[float], active: int, gettext: Gettext = N_) -> go.Figure:
    """The weights figure whose last γ is scrubbed: ``curves_at[i]`` (studies.decay.scrubbed_curves) are its
    numbers with that γ at ``values[i]``; drawn at ``values[active]``."""
    figures = [weights_figure(curves, gettext) for curves in curves_at]
    last = len(figures[0].data)
    return scrub_figures(figures, list(range(last - PER_GAMMA, last)), (), values, active, "γ = ")


def state_scrub(parts_at: list[StateParts], values: list[float], active: int, gettext: Gettext = N_) -> go.Figure:
    """The state figure of a run scrubbed over γ: ``parts_at[i]`` is the run at ``values[i]`` taken apart;
    drawn at ``values[active]``."""
    figures = [state_figure(parts, gettext) for parts in parts_at]
    return scrub_figures(figures, list(range(len(figures[0].data))), STATE_LAYOUT, values, active, "γ = ")
