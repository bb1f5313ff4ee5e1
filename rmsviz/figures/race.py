"""The race page's figures: trajectories and a surface in, ``go.Figure`` out. No optimizer step is computed here.

Animation follows DESIGN.md: the contour lines and every full path are sent
once; frames carry only the moving markers and name the traces they update
(``traces=[...]``). Traces are plain dicts: plotly's validation is skipped
where it would dominate the time.
"""

from __future__ import annotations

import math

import contourpy
import numpy as np
import plotly.graph_objects as go

from rmsviz.figures.style import TOOLBAR, Gettext, Style, line_chart, line_look, step_axes
from rmsviz.figures.theme import CONTOUR, LIGHT, Theme, contour_colors
from rmsviz.i18n import N_
from rmsviz.metrics import best_known_value, distance_to_nearest_minimum
from rmsviz.stability import RateLimits
from rmsviz.surfaces import Surface
from rmsviz.trajectory import Trajectory

MAX_FRAMES = 150  # more frames add bytes, not insight: long runs are sampled evenly
CONTOUR_GRID = 120
CONTOUR_LEVELS = 18


def surface_grid(surface: Surface, points: int = CONTOUR_GRID) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, y and f over the surface's domain (f as float32: half the bytes, more than enough to draw)."""
    (x0, x1), (y0, y1) = surface.domain
    xs, ys = np.linspace(x0, x1, points), np.linspace(y0, y1, points)
    with np.errstate(all="ignore"):
        z = surface.f(np.stack(np.meshgrid(xs, ys), -1))
    return xs, ys, z.astype(np.float32)


def contour_levels(surface: Surface, z: np.ndarray, count: int = CONTOUR_LEVELS) -> np.ndarray:
    """Evenly spaced levels, or log-spaced above the lowest value where the surface asks for it."""
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        return np.array([])
    low, high = float(finite.min()), float(np.percentile(finite, 98))
    if surface.log_contours:
        gaps = np.geomspace(max((high - low) * 1e-4, 1e-12), high - low, count)
        return low + gaps
    return np.linspace(low, high, count + 2)[1:-1]


def contour_line_traces(surface: Surface, points: int = CONTOUR_GRID) -> list[dict]:
    """The surface's contour lines as scatter traces, one per level, coloured low (dark) to high (light).

    Lines, not a Plotly contour trace: plotly.js 4 (in Streamlit) drops contour and heatmap traces at
    the first animation frame (plotly.js#4491 is back), while scatter traces survive. contourpy, the
    tracer behind matplotlib, finds the lines.
    """
    traces = []
    lines = contour_lines(surface, points)
    for i, (level, color, pieces) in enumerate(lines):
        if not pieces:
            continue
        # float32, sent as typed arrays: 4 bytes a number where JSON text took about 8, the same lines
        xy = np.concatenate([np.vstack([piece, [np.nan, np.nan]]) for piece in pieces]).astype(np.float32)
        traces.append(
            dict(
                type="scatter", x=xy[:, 0], y=xy[:, 1], mode="lines", showlegend=False,
                line=dict(color=color, width=1.2), hoverinfo="text", text=f"f = {level:.4g}",
                meta={CONTOUR: i / max(len(lines) - 1, 1)},  # where a dark theme recolours it (figures.theme)
            )
        )  # fmt: skip
    return traces


def contour_lines(surface: Surface, points: int, theme: Theme = LIGHT) -> list[tuple[float, str, list[np.ndarray]]]:
    """(level, colour, pieces) for each contour level on a ``points`` × ``points`` grid, coloured from the lowest
    level to the highest by ``theme``; each piece is an (n, 2) array of points. The race's chart and its GIF
    draw these."""
    xs, ys, z = surface_grid(surface, points)
    levels = contour_levels(surface, z)
    generator = contourpy.contour_generator(xs, ys, np.where(np.isfinite(z), z, np.nan).astype(np.float64))
    colors = contour_colors(len(levels), theme)
    return [(level, color, generator.lines(level)) for level, color in zip(levels, colors, strict=True)]


def frame_steps(steps: int, count: int = MAX_FRAMES) -> np.ndarray:
    """The steps an animation shows: all of them up to ``count``, else ``count`` spread evenly."""
    return np.unique(np.linspace(0, steps, min(steps + 1, count)).round().astype(int))


def _marker_traces(surface: Surface, gettext: Gettext = N_) -> list[dict]:
    traces = []
    for points, name, symbol in ((surface.minima, gettext("minimum"), "star"),
                                 (surface.saddles, gettext("saddle point"), "x")):  # fmt: skip
        if points:
            xy = np.asarray(points, dtype=float)
            traces.append(
                dict(
                    type="scatter", x=xy[:, 0], y=xy[:, 1], mode="markers", name=name, hoverinfo="name",
                    marker=dict(symbol=symbol, size=14, color="gold", line=dict(color="black", width=1)),
                )
            )  # fmt: skip
    return traces


# The contour race from the top: the toolbar's row, the Play buttons, the step slider, the legend, then the
# plot, which hugs them: where the screen is narrower than the surface's shape (a phone) the spare height
# falls below the plot, not between the controls and it. Heights in pixels.
BUTTONS_ROW = 30  # under the toolbar, not beside it: on a 390 px phone the toolbar covered Pause
SLIDER_HEIGHT = 80  # the step shown, the rail, the steps' labels
LEGEND_ROW = 25
LEGEND_PER_ROW = 3  # on a 390 px phone; a wider screen fits them in fewer rows
RACE_BOTTOM = 50  # tick labels and the axis title


def _race_top(legend_entries: int) -> int:
    """The room above the race plot: the toolbar's row, the buttons, the slider, and the legend's rows on a
    phone."""
    return TOOLBAR + BUTTONS_ROW + SLIDER_HEIGHT + LEGEND_ROW * max(2, math.ceil(legend_entries / LEGEND_PER_ROW))


def _animation_controls(frame_steps: np.ndarray, top: int, plot_height: int, gettext: Gettext) -> tuple[list, list]:
    """Buttons under the toolbar's row at the left, the slider under them; placed in pixels above the plot."""

    def above_plot(pixels: float) -> float:  # a height above the plot's top, in the paper's units
        return 1 + pixels / plot_height

    def play(duration):
        settings = dict(frame=dict(duration=duration, redraw=False), transition=dict(duration=0), fromcurrent=True)
        return dict(method="animate", args=[None, settings])

    buttons = [
        dict(label=gettext("▶ Play"), **play(60)),
        dict(label=gettext("▶▶ Fast"), **play(15)),
        dict(
            label=gettext("❚❚ Pause"), method="animate", args=[[None], dict(mode="immediate", frame=dict(duration=0))]
        ),
    ]
    menus = [
        dict(type="buttons", direction="left", x=0, y=above_plot(top - TOOLBAR), xanchor="left", yanchor="top",
             pad=dict(t=0, r=0, b=0, l=0), buttons=buttons)
    ]  # fmt: skip
    slider = dict(
        active=0, x=0, len=1, y=above_plot(top - TOOLBAR - BUTTONS_ROW), yanchor="top", pad=dict(t=0, b=0),
        currentvalue=dict(prefix=gettext("step "), offset=4), xanchor="left",
        steps=[
            dict(label=str(k), method="animate", args=[[str(k)], dict(mode="immediate", frame=dict(duration=0))])
            for k in frame_steps
        ],
    )  # fmt: skip
    return menus, [slider]


def race_figure(
    surface: Surface,
    trajectories: list[Trajectory],
    styles: list[Style],
    click_grid: int = 0,
    panels: bool = False,
    gettext: Gettext = N_,
) -> go.Figure:
    """The animated contour race: each path drawn once, each current point moved by frames.

    ``panels`` gives small multiples instead: one panel per racer, all on one slider.
    ``click_grid`` > 0 overlays an invisible ``click_grid`` × ``click_grid`` scatter so a click can
    pick a start point (selections are empty on contour traces, streamlit#8760).
    Its words (buttons, slider, markers, hover) are in the language of ``gettext`` (English by default).
    """
    count = max(len(trajectories), 1)
    columns = min(count, 2) if panels else 1
    rows = math.ceil(count / columns) if panels else 1
    axes = [(f"x{i + 1}", f"y{i + 1}") if i else ("x", "y") for i in range(count if panels else 1)]
    background = contour_line_traces(surface, CONTOUR_GRID // 2 if panels else CONTOUR_GRID)
    background += _marker_traces(surface, gettext)
    traces = [
        {**trace, "xaxis": x_axis, "yaxis": y_axis, **({"showlegend": False} if i else {})}
        for i, (x_axis, y_axis) in enumerate(axes)
        for trace in background
    ]
    if click_grid and not panels:
        traces.append(_click_grid(surface, click_grid, gettext))
    paths, current = _racer_traces(trajectories, styles, axes if panels else axes * len(trajectories))
    traces += paths
    markers = list(range(len(traces), len(traces) + len(current)))
    traces += current
    steps = len(trajectories[0].path) - 1 if trajectories else 0
    shown_steps = frame_steps(steps)
    frames = _frames(trajectories, shown_steps, markers)
    top = _race_top(len(_marker_traces(surface)) + len(trajectories))
    height = top + (450 if not panels else 300 * rows) + RACE_BOTTOM
    plot_height = height - top - RACE_BOTTOM
    menus, sliders = _animation_controls(shown_steps, top, plot_height, gettext)
    layout = dict(
        # no autoexpand, so the legend and controls keep the rows budgeted above the plot: room for the
        # y tick labels (−2.5, −1M) is given here instead
        margin=dict(l=45, r=10, t=top, b=RACE_BOTTOM, autoexpand=False),
        height=height,
        # the legend's symbols at a readable size, not the paths' small step dots
        legend=dict(
            orientation="h",
            y=1 + (top - TOOLBAR - BUTTONS_ROW - SLIDER_HEIGHT) / plot_height,
            x=0,
            yanchor="top",
            itemsizing="constant",
        ),
        uirevision=surface.name,  # keep zoom across reruns
        updatemenus=menus if trajectories else [],
        sliders=sliders if trajectories else [],
        clickmode="event+select",
        dragmode="pan",
    )
    if panels:  # each panel named above it, in its racer's colour
        layout["annotations"] = [
            dict(
                text=s.label, x=0.5, y=1, xref=f"{x_axis} domain", yref=f"{y_axis} domain", xanchor="center",
                yanchor="bottom", showarrow=False, font=dict(color=s.color),
            )
            for s, (x_axis, y_axis) in zip(styles, axes, strict=False)
        ]  # fmt: skip
    layout.update(_panel_axes(surface, axes, columns, rows, gap=0.07 if panels else 0.04))
    return go.Figure(dict(data=traces, layout=layout, frames=frames if trajectories else []), _validate=False)


def _click_grid(surface: Surface, points: int, gettext: Gettext) -> dict:
    """An invisible points × points scatter over the domain: a click on it picks a start (float32: half
    the bytes; the click's start is rounded to 3 decimals where it is taken)."""
    gx, gy = np.meshgrid(np.linspace(*surface.domain[0], points), np.linspace(*surface.domain[1], points))
    return dict(
        type="scatter", x=gx.ravel().astype(np.float32), y=gy.ravel().astype(np.float32), mode="markers",
        name=gettext("pick a start"), marker=dict(size=10, opacity=0), showlegend=False,
        hovertemplate=gettext("start here: ({x}, {y})").format(x="%{x:.3~f}", y="%{y:.3~f}") + "<extra></extra>",
    )  # fmt: skip


def _frames(trajectories, frame_steps, markers: list[int]) -> list[dict]:
    """One frame per shown step, naming the traces it moves (the current points) and nothing else."""
    return [
        dict(
            name=str(k),
            traces=markers,
            # plain floats: a frame holds one point per racer, and copying lists is cheaper than arrays
            data=[dict(type="scatter", x=[float(t.path[k, 0])], y=[float(t.path[k, 1])]) for t in trajectories],
        )
        for k in frame_steps
    ]


def _racer_traces(trajectories, styles, racer_axes) -> tuple[list[dict], list[dict]]:
    """Each racer's whole path (drawn once) and its current point (the trace the frames move)."""
    paths, current = [], []
    for t, s, (x_axis, y_axis) in zip(trajectories, styles, racer_axes, strict=False):
        paths.append(
            dict(
                type="scatter", x=t.path[:, 0], y=t.path[:, 1], mode="lines+markers", name=s.label,
                legendgroup=s.label, line=dict(color=s.color, dash=s.dash, width=2),
                marker=dict(size=5, symbol=s.symbol),
                xaxis=x_axis, yaxis=y_axis,
            )
        )  # fmt: skip
        current.append(
            dict(
                type="scatter", x=t.path[:1, 0], y=t.path[:1, 1], mode="markers", name=s.label,
                legendgroup=s.label, showlegend=False, xaxis=x_axis, yaxis=y_axis,
                marker=dict(size=14, color=s.color, symbol=s.symbol, line=dict(color="white", width=2)),
            )
        )  # fmt: skip
    return paths, current


def racer_trace_indices(figure: go.Figure) -> tuple[list[int], list[int]]:
    """The indices of each racer's path trace and of its current point's, in the race's order, in a figure
    ``race_figure`` drew: the frames name the current points, and the paths come just before them."""
    markers = list(figure.frames[0].traces) if figure.frames else []
    return [m - len(markers) for m in markers], markers


def _panel_axes(surface: Surface, axes, columns: int, rows: int, gap: float) -> dict:
    """The layout's x and y axes of each panel on its grid cell, equal scales, the surface's domain;
    ``gap`` leaves room between panels for tick labels and the next panel's name."""
    layout = {}
    for i, (x_axis, y_axis) in enumerate(axes):
        row, column = divmod(i, columns)
        layout["xaxis" + x_axis[1:]] = dict(
            range=list(surface.domain[0]), constrain="domain", anchor=y_axis,
            domain=[column / columns + 0.02, (column + 1) / columns - 0.02], title="x" if row == rows - 1 else None,
        )  # fmt: skip
        layout["yaxis" + y_axis[1:]] = dict(
            range=list(surface.domain[1]), scaleanchor=x_axis, scaleratio=1, anchor=x_axis, constrain="domain",
            constraintoward="top",
            domain=[1 - (row + 1) / rows + gap, 1 - row / rows - gap], title="y" if column == 0 else None,
        )  # fmt: skip
    return layout


def loss_figure(
    surface: Surface, trajectories: list[Trajectory], styles: list[Style], gettext: Gettext = N_
) -> go.Figure:
    """Loss against step; on a log scale as the gap f − f* where the surface has a known minimum."""
    best = best_known_value(surface)
    traces = []
    for t, s in zip(trajectories, styles, strict=True):
        y = _until_divergence(t, t.loss - best if best is not None else t.loss)
        traces.append(dict(type="scatter", x=np.arange(len(y)), y=y, name=s.label, **line_look(s)))
    y_title = gettext("f − f* (log)") if best is not None else "f"
    return line_chart(traces, step_axes(y_title, best is not None, gettext), 340, gettext("Loss"))


def distance_figure(
    surface: Surface, trajectories: list[Trajectory], styles: list[Style], gettext: Gettext = N_
) -> go.Figure:
    """Distance to the nearest listed minimum against step (log scale); empty on a surface without minima."""
    traces = []
    for t, s in zip(trajectories, styles, strict=True):
        distance = distance_to_nearest_minimum(t.path, surface)
        if distance is not None:
            y = _until_divergence(t, distance)
            traces.append(dict(type="scatter", x=np.arange(len(y)), y=y, name=s.label, **line_look(s)))
    axes = step_axes(gettext("‖x − x*‖ (log)"), True, gettext)
    return line_chart(traces, axes, 340, gettext("Distance to the nearest minimum"))


def _until_divergence(t: Trajectory, values: np.ndarray) -> np.ndarray:
    """A diverged run's curve stops where it diverged; the frozen tail would read as convergence."""
    return values[: t.diverged_at] if t.diverged else values


def surface_3d_figure(surface: Surface, trajectories: list[Trajectory], styles: list[Style]) -> go.Figure:
    """The surface in 3-D with each path lying on it."""
    xs, ys, z = surface_grid(surface, points=60)
    traces = [
        dict(type="surface", x=xs, y=ys, z=z, colorscale="Viridis", opacity=0.8, showscale=False, hoverinfo="skip")
    ]
    for t, s in zip(trajectories, styles, strict=True):
        path = t.path[: t.diverged_at] if t.diverged else t.path
        traces.append(
            dict(
                type="scatter3d", x=path[:, 0], y=path[:, 1], z=surface.f(path), mode="lines+markers", name=s.label,
                line=dict(color=s.color, dash=s.dash, width=5), marker=dict(size=2, color=s.color),
            )
        )  # fmt: skip
    layout = dict(
        height=560,
        margin=dict(l=0, r=0, t=10, b=0),
        uirevision=surface.name,  # keep the camera across reruns (streamlit#4653)
        # title.text spelled out: the figure is not validated, so nothing expands xaxis_title, and Plotly.js
        # shows its own "z" for an axis title it cannot read
        scene=dict(
            xaxis=dict(title=dict(text="x")),
            yaxis=dict(title=dict(text="y")),
            zaxis=dict(title=dict(text="f")),
            aspectmode="cube",
        ),
        legend=dict(orientation="h"),
    )
    return go.Figure(dict(data=traces, layout=layout), _validate=False)


def effective_lr_figure(
    trajectories: list[Trajectory], styles: list[Style], limits: list[RateLimits], gettext: Gettext = N_
) -> go.Figure:
    """The per-coordinate rate each step applied (log scale), x and y side by side.

    η/√(s+ε) for RMSProp and Adagrad (Adagrad's only falls, RMSProp's levels off), the step
    size for Rprop, η for SGD and momentum. Needs runs recorded with ``record="all"``. Beside each run,
    its ``limits`` (``stability.rate_limits``): for RMSProp and Adagrad a dotted line marks the ceiling ε
    sets, η/√ε (η/ε with ε outside the root): the rate once s has fallen to nothing; with a schedule, η_t.
    """
    traces = []
    for t, s, limit in zip(trajectories, styles, limits, strict=True):
        if t.effective_lr is None:
            continue
        rates = _until_divergence(t, t.effective_lr)[1:]
        steps = np.arange(1, len(rates) + 1)
        ceiling, eta = limit.ceiling, limit.eta
        if eta is not None:  # η_t, and the ceiling that follows it, per step
            eta = _until_divergence(t, eta)[1:]
            ceiling = None if ceiling is None else _until_divergence(t, ceiling)[1:]
        for i, axis in enumerate(("", "2")):
            traces.append(
                dict(
                    type="scatter", x=steps, y=rates[:, i], name=s.label, legendgroup=s.label,
                    showlegend=i == 0, xaxis=f"x{axis}", yaxis=f"y{axis}", **line_look(s),
                )
            )  # fmt: skip
            if ceiling is not None and len(steps):
                name = gettext("{label}: ceiling {ceiling}").format(label=s.label, ceiling=limit.ceiling_words)
                name += f" = {ceiling:.3g}" if eta is None else ""  # the ceiling's value, where it is one number
                traces.append(
                    dict(
                        type="scatter", x=steps if eta is not None else [1, len(steps)],
                        y=ceiling if eta is not None else [ceiling, ceiling], mode="lines", legendgroup=s.label,
                        name=name, showlegend=i == 0, xaxis=f"x{axis}",
                        yaxis=f"y{axis}", line=dict(color=s.color, dash="dot", width=1),
                    )
                )  # fmt: skip
            if eta is not None:
                traces.append(
                    dict(
                        type="scatter", x=steps, y=eta, mode="lines", legendgroup=s.label, name=f"{s.label}: η_t",
                        showlegend=i == 0, xaxis=f"x{axis}", yaxis=f"y{axis}",
                        line=dict(color=s.color, dash="longdash", width=1),
                    )
                )  # fmt: skip
    axes = dict(
        xaxis=dict(title=dict(text=gettext("step (x coordinate)")), domain=[0, 0.47]),
        xaxis2=dict(title=dict(text=gettext("step (y coordinate)")), domain=[0.53, 1]),
        yaxis=dict(title=dict(text=gettext("rate applied to g")), type="log", exponentformat="power"),
        yaxis2=dict(type="log", exponentformat="power", anchor="x2", matches="y"),
    )
    return line_chart(traces, axes, 360, gettext("Effective learning rate per coordinate"), legend_y=-0.3)
