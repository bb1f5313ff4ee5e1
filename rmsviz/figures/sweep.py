"""The sweep heatmap: one outcome over the grid of two hyperparameters, built from plain dicts.

Cells that diverged (or never reached the tolerance) are drawn by a second
heatmap in flat colours, so the main colour scale holds only real values.
Plotly returns no selection for heatmap traces (streamlit#8760): an invisible
scatter with one point per cell carries the hover text and takes the clicks.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rmsviz.figures.style import Gettext, title, title_margin
from rmsviz.i18n import N_
from rmsviz.studies.sweep import Outcome, SweepResult

DIVERGED_COLOR = "#e8112d"
NEVER_COLOR = "#c8c8c8"
SMALLEST_GAP = 1e-12  # gaps below (rounding noise, exact zeros) share the bottom colour: the scale stays readable
MAX_TICKS = 8
# The chart's title names the outcome; "Final loss" where the surface lists no minimum (the values are f itself).
TITLES = {"gap": N_("Final loss gap"), "steps": N_("Steps to tolerance"), "diverged": N_("Diverged fraction")}
FINAL_LOSS = N_("Final loss")
# The chart's title, by whether the cells start from random points.
PLAIN_TITLES = {
    True: N_("{outcome}: {optimizer}, {steps} steps, median over {starts} random starts"),
    False: N_("{outcome}: {optimizer}, {steps} steps, from ({x}, {y})"),
}
SCHEDULED_TITLES = {
    True: N_("{outcome}: {optimizer}, {kind} η schedule, {steps} steps, median over {starts} random starts"),
    False: N_("{outcome}: {optimizer}, {kind} η schedule, {steps} steps, from ({x}, {y})"),
}


def _colour(result: SweepResult, outcome: str, values: np.ndarray, gettext: Gettext) -> tuple[np.ndarray, dict]:
    """What the main heatmap plots and its colour settings: log10 of the gap, steps, or the fraction."""
    if outcome == "diverged":
        return values, dict(colorscale="Reds", zmin=0, zmax=1, colorbar=dict(title=dict(text=gettext("diverged")),
                                                                             tickformat=".0%"))  # fmt: skip
    if outcome == "steps":
        return values, dict(colorscale="Viridis", colorbar=dict(title=dict(text=gettext("steps"))))
    if result.best_value is None:  # no f*: the final loss, often far below 0 (a saddle), on a signed log scale
        signed = np.sign(values) * np.log10(1 + np.abs(values))
        finite = signed[np.isfinite(signed)]
        low, high = (finite.min(), finite.max()) if finite.size else (0.0, 0.0)
        ticks = {0.0: "0"}
        for d in _decades(np.abs(finite)):
            for sign, text in ((-1, "−"), (1, "")):
                if low <= sign * np.log10(1 + 10.0**d) <= high:
                    ticks[sign * np.log10(1 + 10.0**d)] = f"{text}1e{int(d)}"
        colorbar = dict(title=dict(text=gettext("final f")), tickvals=list(ticks), ticktext=list(ticks.values()))
        return signed, dict(colorscale="Viridis", colorbar=colorbar)
    logs = np.log10(np.maximum(values, SMALLEST_GAP))
    decades = _decades(logs)
    colorbar = dict(title=dict(text="f − f*"), tickvals=decades, ticktext=[f"1e{int(d)}" for d in decades])
    return logs, dict(colorscale="Viridis", colorbar=colorbar)


def _decades(logs: np.ndarray) -> np.ndarray:
    """Whole decades spanning the finite ``logs``, thinned to at most about MAX_TICKS."""
    finite = logs[np.isfinite(logs)]
    low, high = (np.floor(finite.min()), np.ceil(finite.max())) if finite.size else (0.0, 0.0)
    return np.arange(low, high + 1, max(1, int(np.ceil((high - low + 1) / MAX_TICKS))))


def _axis(label: str, log: bool) -> dict:
    return dict(title=dict(text=label), type="log" if log else "linear", exponentformat="power")


def sweep_figure(result: SweepResult | None, outcome: Outcome | None = None, gettext: Gettext = N_) -> go.Figure:
    """The heatmap of ``outcome`` (``studies.sweep.outcome``) over the grid; empty for no result.

    Diverged cells are red, cells that never reached the tolerance grey, and the best cell has a star. Its words
    in the language of ``gettext`` (English by default).
    """
    if result is None or not result.gap.size:
        return go.Figure(dict(data=[], layout=dict(height=540)), _validate=False)
    name, values, best = outcome
    x, y = result.x_values, result.y_values
    shown = np.where(np.isfinite(values), values, np.nan)
    z, colour = _colour(result, name, shown, gettext)
    # 1 for a diverged cell, 0 for one that never reached the tolerance, NaN (see-through) elsewhere
    flagged = np.where(result.diverged, 1.0, np.where(np.isnan(shown), 0.0, np.nan))
    traces = [dict(type="heatmap", x=x, y=y, z=z.astype(np.float32), hoverinfo="skip", **colour)]
    if name != "diverged":  # that map shows the fraction itself
        traces.append(
            dict(type="heatmap", x=x, y=y, z=flagged.astype(np.float32), hoverinfo="skip", showscale=False,
                 zmin=0, zmax=1, colorscale=[[0, NEVER_COLOR], [1, DIVERGED_COLOR]])
        )  # fmt: skip
    steps = result.steps_to_tolerance if result.steps_to_tolerance is not None else np.full(result.shape, np.nan)
    # float32 halves the bytes of the biggest arrays; the page finds a clicked cell by its point index
    grid_x, grid_y = (a.ravel().astype(np.float32) for a in np.meshgrid(x, y))
    cells = np.stack([result.gap, steps, result.diverged_fraction], -1).reshape(-1, 3).astype(np.float32)
    traces.append(
        dict(
            type="scattergl", x=grid_x, y=grid_y, customdata=cells, mode="markers", showlegend=False,
            marker=dict(size=8, opacity=0), name=gettext("cells"), hovertemplate=_hover(result, gettext),
        )
    )  # fmt: skip
    if name != "diverged":
        traces += _legend_entries(result, shown, gettext)
    if best is not None:
        row, column = best
        traces.append(
            dict(
                type="scatter", x=[x[column]], y=[y[row]], mode="markers", name=gettext("best cell"), hoverinfo="skip",
                marker=dict(symbol="star", size=16, color="gold", line=dict(color="black", width=1)),
            )
        )  # fmt: skip
    layout = dict(
        title=title(_title(result, name, gettext)),
        xaxis=_axis(result.labels[0], result.x_log),
        yaxis=_axis(result.labels[1], result.y_log),
        height=560, margin=dict(l=70, r=10, t=title_margin(), b=50), legend=dict(orientation="h", y=-0.15),
        clickmode="event+select", dragmode=False, hovermode="closest",
    )  # fmt: skip
    return go.Figure(dict(data=traces, layout=layout), _validate=False)


def _hover(result: SweepResult, gettext: Gettext) -> str:
    """Both hyperparameters and the cell's numbers (customdata: gap, steps, diverged fraction)."""
    lines = [f"{label} = %{{{axis}:.4g}}" for label, axis in zip(result.labels, "xy", strict=True)]
    if result.best_value is None:
        lines.append(gettext("final f = {value}").format(value="%{customdata[0]:.3g}"))
    else:
        reached = gettext("steps to f − f* ≤ {tolerance}: {steps} (NaN: never)")
        lines += ["f − f* = %{customdata[0]:.3g}",
                  reached.format(tolerance=f"{result.tolerance:g}", steps="%{customdata[1]}")]  # fmt: skip
    lines.append(gettext("diverged: {share}").format(share="%{customdata[2]:.0%}"))
    return "<br>".join(lines) + "<extra></extra>"


def _legend_entries(result: SweepResult, shown: np.ndarray, gettext: Gettext) -> list[dict]:
    """Legend-only squares for the flat colours that appear (heatmaps have no legend of their own)."""
    present = [
        (DIVERGED_COLOR, gettext("diverged"), result.diverged.any()),
        (
            NEVER_COLOR,
            gettext("never ≤ {tolerance}").format(tolerance=f"{result.tolerance:g}"),
            (np.isnan(shown) & ~result.diverged).any(),
        ),
    ]
    return [
        dict(type="scatter", x=[None], y=[None], mode="markers", name=name, showlegend=True,
             marker=dict(symbol="square", size=12, color=color))
        for color, name, shown_here in present
        if shown_here
    ]  # fmt: skip


def _title(result: SweepResult, outcome: str, gettext: Gettext) -> str:
    """The outcome, the optimizer (with its η schedule), the steps and the starts: one template per kind of start
    and schedule, in the language of ``gettext``."""
    named = FINAL_LOSS if outcome == "gap" and result.best_value is None else TITLES[outcome]
    name = gettext(named)
    values = dict(outcome=name, optimizer=result.title, steps=result.steps, starts=len(result.starts),
                  x=f"{result.starts[0][0]:g}", y=f"{result.starts[0][1]:g}")  # fmt: skip
    random = len(result.starts) > 1
    if result.schedule is not None:
        template = SCHEDULED_TITLES[random]
        values["kind"] = result.schedule.kind
    else:
        template = PLAIN_TITLES[random]
    return gettext(template).format(**values)
