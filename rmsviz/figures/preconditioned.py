"""The race in a racer's own coordinates (issue 26): the twin panel beside the race, on the race's slider,
and the condition numbers under it. The coordinates and the numbers come from ``rmsviz.preconditioning``
(a ``Preconditioning`` maps points itself); nothing is computed here but the drawing.

The twin panel's contours are the race's (``contour_lines``), mapped into the coordinates of the step each
frame shows, so every frame carries its own, on a grid coarse enough to keep the bytes in bounds
(``POINTS_BUDGET``). Its window is
a square around the mapped plot, set per frame: plotly.js keeps x and y at one scale through an animation
only while the ranges it is handed keep the box's shape.
"""

from __future__ import annotations

import base64

import numpy as np
import plotly.graph_objects as go

from rmsviz.figures.race import CONTOUR_GRID, contour_lines, race_figure
from rmsviz.figures.style import Gettext, Style, line_chart, line_look, step_axes
from rmsviz.figures.theme import CONTOUR
from rmsviz.i18n import N_
from rmsviz.preconditioning import Preconditioning
from rmsviz.surfaces import Surface
from rmsviz.trajectory import Trajectory

# The twin's contours, sent with every frame, get at most this many points over all frames (about 0.65 MB): the
# race's panel grid where that fits, else a coarser one (the elliptic bowl's 50 steps: 40 points a side).
POINTS_BUDGET = 60_000
GRIDS = (CONTOUR_GRID // 2, 40, 30, 20)
RACE_DOMAIN, TWIN_DOMAIN = [0.0, 0.47], [0.55, 1.0]
MARGIN = 0.05  # room around the mapped plot, as a share of its larger side
PLAIN_COLOR = "#7f7f7f"  # κ(H): the surface's own, in no racer's colour


def twin_figure(
    surface: Surface,
    trajectories: list[Trajectory],
    styles: list[Style],
    chosen: int,
    seen: Preconditioning,
    gettext: Gettext = N_,
) -> go.Figure:
    """The contour race (``race_figure``) at the left and, at the right, the surface in the coordinates
    z = P^(−½)x of racer ``chosen`` at the step shown: its contours, its whole path, and the step that led to
    the point shown as an arrow. One slider moves both; the right panel's window follows the coordinates."""
    race = race_figure(surface, trajectories, styles, gettext=gettext)
    layout = race.layout.to_plotly_json()
    frames = [frame.to_plotly_json() for frame in race.frames]
    steps = [int(frame["name"]) for frame in frames] or [0]
    lines = _twin_lines(surface, len(steps))
    twin = _twin_traces(lines, styles[chosen], gettext)
    indices = list(range(len(race.data), len(race.data) + len(twin)))
    for trace, (x, y) in zip(twin, _twin_points(surface, lines, seen, steps[0]), strict=True):
        trace.update(x=x, y=y)
    for frame, k in zip(frames, steps, strict=False):
        # a frame names the traces it moves and carries their points only: the looks stay as drawn
        frame["data"] += [dict(type="scatter", x=x, y=y) for x, y in _twin_points(surface, lines, seen, k)]
        frame["traces"] = list(frame["traces"]) + indices
        frame["layout"] = _window(surface, seen, k)
    layout["xaxis"].update(domain=RACE_DOMAIN)
    window = _window(surface, seen, steps[0])
    layout["xaxis2"] = dict(
        domain=TWIN_DOMAIN, anchor="y2", constrain="domain",
        title=dict(text=gettext("x/√p_x: {label}'s coordinates").format(label=styles[chosen].label)),
        **window["xaxis2"],
    )  # fmt: skip
    layout["yaxis2"] = dict(
        anchor="x2", scaleanchor="x2", scaleratio=1, constrain="domain", constraintoward="top",
        title=dict(text="y/√p_y"), **window["yaxis2"],
    )  # fmt: skip
    return go.Figure(dict(data=[*race.data, *twin], layout=layout, frames=frames), _validate=False)


def _twin_lines(surface: Surface, frames: int) -> list[tuple[float, str, float, np.ndarray]]:
    """(level, colour, its place from the lowest level (0) to the highest (1), points) per contour level, each
    level's pieces in one (n, 2) array split by NaN rows, on the finest of ``GRIDS`` whose lines, sent
    ``frames`` times, keep within ``POINTS_BUDGET``."""
    for grid in GRIDS:
        every = contour_lines(surface, grid)
        lines = [
            (level, color, float(place), np.concatenate([np.vstack([piece, [np.nan, np.nan]]) for piece in pieces]))
            for (level, color, pieces), place in zip(every, np.linspace(0, 1, len(every)), strict=True)
            if pieces
        ]
        if sum(len(xy) for *_, xy in lines) * frames <= POINTS_BUDGET:
            break
    return lines


def _twin_traces(lines, style: Style, gettext: Gettext) -> list[dict]:
    """The right panel's traces without their points: one per contour level, the minima, the racer's whole
    path, the point shown, and the step that led to it (an arrow, drawn over the point)."""
    axes = dict(type="scatter", xaxis="x2", yaxis="y2", showlegend=False)
    contours = [
        dict(
            axes, mode="lines", line=dict(color=color, width=1.2), hoverinfo="text", text=f"f = {level:.4g}",
            meta={CONTOUR: place},  # where a dark theme recolours it, as the race's (figures.theme)
        )
        for level, color, place, _ in lines
    ]  # fmt: skip
    return [
        *contours,
        dict(
            axes, mode="markers", hoverinfo="skip",
            marker=dict(symbol="star", size=14, color="gold", line=dict(color="black", width=1)),
        ),
        dict(
            axes, mode="lines+markers", name=style.label, opacity=0.6,
            line=dict(color=style.color, dash=style.dash, width=1.5), marker=dict(size=4, symbol=style.symbol),
        ),
        dict(
            axes, mode="markers", name=style.label,
            marker=dict(size=10, color=style.color, symbol=style.symbol, line=dict(color="white", width=2)),
        ),
        dict(
            axes, mode="lines+markers", name=gettext("the step"), hoverinfo="name",
            line=dict(color=style.color, width=3),
            marker=dict(symbol=["circle", "arrow"], angleref="previous", size=[4, 16], color=style.color),
        ),
    ]  # fmt: skip


def _twin_points(surface: Surface, lines, seen: Preconditioning, k: int) -> list[tuple[dict, dict]]:
    """The (x, y) of each of ``_twin_traces`` at step k, in step k's coordinates (z = P_k^(−½)x)."""
    minima = np.asarray(surface.minima, dtype=float).reshape(-1, 2)
    path = seen.to_coordinates(seen.path, k)
    shown = [seen.to_coordinates(xy, k) for *_, xy in lines]
    shown += [seen.to_coordinates(minima, k), path, path[k : k + 1], path[k - 1 : k + 1] if k > 0 else path[:0]]
    return [(packed(z[:, 0]), packed(z[:, 1])) for z in shown]


def packed(values: np.ndarray) -> dict:
    """``values`` as a typed array of float32 in plotly.js's form (base64), as plotly sends a NumPy array:
    made here, it spares plotly's check of every frame's arrays, which frames get even in a figure that
    skips its checks, and which took four fifths of the time."""
    return {"dtype": "f4", "bdata": base64.b64encode(np.ascontiguousarray(values, dtype=np.float32)).decode()}


def _window(surface: Surface, seen: Preconditioning, k: int) -> dict:
    """The right panel's ranges at step k: a square around the surface's plot mapped into step k's
    coordinates, so that x and y keep one scale whatever the stretch."""
    (x0, x1), (y0, y1) = surface.domain
    corners = seen.to_coordinates(np.array([[x0, y0], [x1, y1]]), k)
    if not np.isfinite(corners).all():
        corners = np.array([[x0, y0], [x1, y1]])  # no rate at any step: the plot as it is
    middle, half = corners.mean(0), np.ptp(corners, 0).max() / 2 * (1 + MARGIN)
    x, y = ([float(c - half), float(c + half)] for c in middle)
    return {"xaxis2": dict(range=x), "yaxis2": dict(range=y)}


def condition_figure(seen: Preconditioning, style: Style, gettext: Gettext = N_) -> go.Figure:
    """κ per step (log scale): the surface's own, κ(H) at the point each step's gradient was taken, and
    κ(P^½HP^½), the landscape the racer's step sizes make of it."""
    steps = np.arange(1, len(seen.plain))
    traces = [
        dict(
            type="scatter", x=steps, y=seen.plain[1:], name=gettext("κ(H): the surface"), mode="lines",
            line=dict(color=PLAIN_COLOR, dash="dash", width=2),
        ),
        dict(type="scatter", x=steps, y=seen.seen[1:], name=gettext("κ(P^½HP^½): what {label} sees").format(
            label=style.label), **line_look(style)),
    ]  # fmt: skip
    title = gettext("Condition number per step: the surface's, and the one {label}'s step sizes make")
    axes = step_axes(gettext("κ (log)"), True, gettext)
    axes["yaxis"]["tickformat"] = ".4~g"  # each tick in full (plotly's short log labels write 20 as "2"),
    # with digits enough that ticks 0.05 apart (κ barely moving: 20.15, 20.2) read apart
    return line_chart(traces, axes, 320, title.format(label=style.label))
