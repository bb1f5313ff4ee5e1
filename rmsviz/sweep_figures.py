"""The sweep heatmap: one outcome over the grid of two hyperparameters, built from plain dicts.

Cells that diverged (or never reached the tolerance) are drawn by a second
heatmap in flat colours, so the main colour scale holds only real values.
Plotly returns no selection for heatmap traces (streamlit#8760): an invisible
scatter with one point per cell carries the hover text and takes the clicks.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rmsviz.optimizers import OPTIMIZERS
from rmsviz.sweep import OUTCOMES, SweepResult, best_cell, outcome_values

DIVERGED_COLOR = "#e8112d"
NEVER_COLOR = "#c8c8c8"
SMALLEST_GAP = 1e-16  # a gap of 0 (or a rounding error below it) is drawn at this floor of the log scale


def _label(result: SweepResult, name: str) -> str:
    h = OPTIMIZERS[result.optimizer].hyperparameter(name)
    return f"{h.symbol} ({name})"


def _colour(result: SweepResult, outcome: str, values: np.ndarray) -> tuple[np.ndarray, dict]:
    """What the main heatmap plots and its colour settings: log10 of the gap, steps, or the fraction."""
    if outcome == "diverged":
        return values, dict(colorscale="Reds", zmin=0, zmax=1, colorbar=dict(title=dict(text="diverged"),
                                                                             tickformat=".0%"))  # fmt: skip
    if outcome == "steps":
        return values, dict(colorscale="Viridis", colorbar=dict(title=dict(text="steps")))
    if result.best_value is None:  # no f* to measure a gap from: the final loss, which may be negative
        return values, dict(colorscale="Viridis", colorbar=dict(title=dict(text="final f")))
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log10(np.maximum(values, SMALLEST_GAP))
    finite = logs[np.isfinite(logs)]
    decades = np.arange(np.floor(finite.min()), np.ceil(finite.max()) + 1) if finite.size else np.array([])
    colorbar = dict(title=dict(text="f − f*"), tickvals=decades, ticktext=[f"1e{int(d)}" for d in decades])
    return logs, dict(colorscale="Viridis", colorbar=colorbar)


def _axis(result: SweepResult, name: str, log: bool) -> dict:
    return dict(title=dict(text=_label(result, name)), type="log" if log else "linear", exponentformat="power")


def sweep_figure(result: SweepResult | None, outcome: str = "gap") -> go.Figure:
    """The heatmap of ``outcome`` (a key of OUTCOMES) over the grid; empty for no result.

    Diverged cells are red, cells that never reached the tolerance grey, and the best cell has a star.
    """
    if result is None or not result.gap.size:
        return go.Figure(dict(data=[], layout=dict(height=540)), _validate=False)
    values = outcome_values(result, outcome)
    if values is None:
        raise ValueError("Steps to tolerance need a known minimum; this surface lists none")
    x, y = result.x_values, result.y_values
    shown = np.where(np.isfinite(values), values, np.nan)
    z, colour = _colour(result, outcome, shown)
    # 1 for a diverged cell, 0 for one that never reached the tolerance, NaN (see-through) elsewhere
    flagged = np.where(result.diverged, 1.0, np.where(np.isnan(shown), 0.0, np.nan))
    traces = [dict(type="heatmap", x=x, y=y, z=z.astype(np.float32), hoverinfo="skip", **colour)]
    if outcome != "diverged":  # that map shows the fraction itself
        traces.append(
            dict(type="heatmap", x=x, y=y, z=flagged.astype(np.float32), hoverinfo="skip", showscale=False,
                 zmin=0, zmax=1, colorscale=[[0, NEVER_COLOR], [1, DIVERGED_COLOR]])
        )  # fmt: skip
    steps = result.steps_to_tolerance if result.steps_to_tolerance is not None else np.full(result.shape, np.nan)
    # float32 halves the bytes of the biggest arrays; the page finds a clicked cell by its point index
    grid_x, grid_y = (a.ravel().astype(np.float32) for a in np.meshgrid(x, y))
    cells = np.stack([result.gap, steps, result.diverged_fraction], -1).reshape(-1, 3).astype(np.float32)
    gap_name = "f − f*" if result.best_value is not None else "final f"
    traces.append(
        dict(
            type="scattergl", x=grid_x, y=grid_y, customdata=cells, mode="markers", showlegend=False,
            marker=dict(size=8, opacity=0), name="cells",
            hovertemplate=f"{_label(result, result.x_name)} = %{{x:.4g}}<br>{_label(result, result.y_name)} = "
            f"%{{y:.4g}}<br>{gap_name} = %{{customdata[0]:.3g}}<br>steps to ≤ {result.tolerance:g}: "
            "%{customdata[1]}<br>diverged: %{customdata[2]:.0%}<extra></extra>",
        )
    )  # fmt: skip
    if outcome != "diverged":
        traces += _legend_entries(result, shown)
    best = best_cell(result, outcome)
    if best is not None:
        row, column = best
        traces.append(
            dict(
                type="scatter", x=[x[column]], y=[y[row]], mode="markers", name="best cell", hoverinfo="skip",
                marker=dict(symbol="star", size=16, color="gold", line=dict(color="black", width=1)),
            )
        )  # fmt: skip
    layout = dict(
        title=dict(text=f"{OUTCOMES[outcome].capitalize()}: {OPTIMIZERS[result.optimizer].title}, "
                   f"{result.steps} steps, {_starts_text(result)}", x=0, font=dict(size=15)),
        xaxis=_axis(result, result.x_name, result.x_log),
        yaxis=_axis(result, result.y_name, result.y_log),
        height=540, margin=dict(l=70, r=10, t=40, b=50), legend=dict(orientation="h", y=-0.15),
        clickmode="event+select", dragmode=False, hovermode="closest",
    )  # fmt: skip
    return go.Figure(dict(data=traces, layout=layout), _validate=False)


def _legend_entries(result: SweepResult, shown: np.ndarray) -> list[dict]:
    """Legend-only squares for the flat colours that appear (heatmaps have no legend of their own)."""
    present = [
        (DIVERGED_COLOR, "diverged", result.diverged.any()),
        (NEVER_COLOR, f"never ≤ {result.tolerance:g}", (np.isnan(shown) & ~result.diverged).any()),
    ]
    return [
        dict(type="scatter", x=[None], y=[None], mode="markers", name=name, showlegend=True,
             marker=dict(symbol="square", size=12, color=color))
        for color, name, shown_here in present
        if shown_here
    ]  # fmt: skip


def _starts_text(result: SweepResult) -> str:
    if len(result.starts) > 1:
        return f"median over {len(result.starts)} random starts"
    return f"from ({result.starts[0][0]:g}, {result.starts[0][1]:g})"
