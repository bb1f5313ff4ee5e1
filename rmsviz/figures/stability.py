"""The stability chart: each racer's preconditioned sharpness per step against its threshold, shaded where
it is past it. The numbers come from ``rmsviz.stability``; nothing is computed here but the drawing."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rmsviz.figures.style import Gettext, Style, line_chart, line_look, rgba, step_axes
from rmsviz.i18n import N_
from rmsviz.stability import Stability


def stability_figure(results: list[Stability | None], styles: list[Style], gettext: Gettext = N_) -> go.Figure:
    """λ_max(P·H) per step (log scale), each racer's threshold as a dashed line in its colour, and the area
    between them filled where the sharpness is past the threshold. A racer without a threshold (None) is
    left out. Single runs only (sharpness of shape (steps+1,))."""
    traces = []
    for result, s in zip(results, styles, strict=True):
        if result is None:
            continue
        steps = np.arange(1, len(result.sharpness))
        sharpness = result.sharpness[1:]
        limit = np.full(len(steps), float(result.threshold))
        past = np.where(np.isnan(sharpness), np.nan, np.maximum(sharpness, limit))
        common = dict(type="scatter", x=steps, legendgroup=s.label, showlegend=False, mode="lines")
        traces += [
            dict(
                common, y=limit, line=dict(color=s.color, dash="dash", width=1),
                hovertemplate=gettext("{label}: threshold {rule} = {value}").format(
                    label=s.label, rule=result.rule, value=f"{limit[0]:.3g}"
                ) + "<extra></extra>",
            ),
            dict(common, y=past, line=dict(width=0), fill="tonexty", fillcolor=rgba(s.color, 0.25), hoverinfo="skip"),
            dict(
                common, y=sharpness, name=s.label, showlegend=True, **line_look(s),
                hovertemplate=f"{s.label}<br>step %{{x}}: λ_max(P·H) = %{{y:.3g}}<extra></extra>",
            ),
        ]  # fmt: skip
    chart_title = gettext("Preconditioned sharpness λ_max(P·H) against its threshold (dashed)")
    return line_chart(traces, step_axes(gettext("λ_max(P·H) (log)"), True, gettext), 340, chart_title)
