"""Scrub a setting on the race chart: the paths of a range of one setting's values ride along in the figure, and
a second slider under the plot swaps each scrubbed racer's path for the one at the value under the hand, in the
browser (a plotly.js ``animate`` to a frame of its own), with no round trip to the server.

Each path is sent as float64 typed arrays (``{"dtype": "f8", "bdata": …}``, which plotly.js decodes where it
reads a data array): what the slider shows is the run itself, to the last bit, and a typed array is about half
the bytes of the same numbers written as JSON text. The step animation's frames still hold the kept value's
points: the page's script (rmsviz/ui/race_scrub.js) moves them onto the path shown.
"""

from __future__ import annotations

import base64

import numpy as np
import plotly.graph_objects as go

from rmsviz.figures.race import racer_trace_indices

SCRUB = "scrub"  # the scrub slider's name in the layout: the page's script finds it by this
SCRUB_HEIGHT = 80  # pixels under the plot: the value shown, the rail, the values' labels
LEGEND_ROOM = 40  # pixels kept for a legend under the plot (the decay page's): the slider goes under it
# A step swaps the paths as an animation frame with no transition: plotly.js redraws those traces alone, where a
# restyle recomputes and redraws every trace (the contour lines, the click grid): in headless Chromium on the
# default race at 200 steps, 110–150 ms of blocked page per restyle.
AT_ONCE = dict(mode="immediate", frame=dict(duration=0, redraw=False), transition=dict(duration=0))
# A step whose frame changes the layout too (a shaded window, the axes' ranges, words with numbers) redraws the plot.
REDRAWN = dict(mode="immediate", frame=dict(duration=0, redraw=True), transition=dict(duration=0))
TYPED = ("x", "y", "customdata")  # a trace's data arrays that a frame sends typed


def typed(values: np.ndarray) -> dict:
    """``values`` as a plotly.js typed array of float64: every bit kept."""
    return {"dtype": "f8", "bdata": base64.b64encode(np.ascontiguousarray(values, dtype="<f8").tobytes()).decode()}


def typed_2d(values: np.ndarray) -> dict:
    """A two-dimensional ``values`` (customdata) as a plotly.js typed array with its shape."""
    values = np.asarray(values, dtype=np.float64)
    return {**typed(values), "shape": ",".join(map(str, values.shape))}


def frame_of(figure: go.Figure, traces: list[int], layout: tuple[str, ...] = ()) -> dict:
    """A plotly.js frame that makes a figure drawn like ``figure`` show ``figure``: its traces ``traces``
    (every attribute, their data arrays typed) and its layout's entries ``layout``."""
    data = []
    for t in traces:
        trace = figure.data[t].to_plotly_json()
        for name in TYPED:
            if name in trace:
                values = np.asarray(trace[name], dtype=np.float64)
                trace[name] = typed_2d(values) if values.ndim == 2 else typed(values)
        data.append(trace)
    settings = figure.layout.to_plotly_json()
    return dict(data=data, traces=traces, layout={name: settings[name] for name in layout if name in settings})


def with_scrub(
    figure: go.Figure, racers: list[int], paths: np.ndarray, labels: list[str], values: list[str], active: int,
    prefix: str,
) -> go.Figure:  # fmt: skip
    """The race ``figure`` (figures.race.race_figure, one plot) with a scrub slider under it.

    ``racers``: the indices (in the race's order) of the racers whose setting is scrubbed; ``paths``: their
    paths at each value, shape (values, len(racers), steps + 1, 2); ``labels``: each value as the slider
    writes it; ``values``: each value as a link writes it (the slider step's ``value``); ``active``: the
    index of the value the race ran with; ``prefix``: what the slider's current value starts with ("η = ").
    """
    paths_at, _markers = racer_trace_indices(figure)
    traces = [paths_at[i] for i in racers]
    frames = [dict(data=[dict(x=typed(p[:, 0]), y=typed(p[:, 1])) for p in at], traces=traces) for at in paths]
    return scrub_slider(figure, frames, labels, values, active, prefix, AT_ONCE)


def scrub_slider(
    figure: go.Figure, frames: list[dict], labels: list[str], values: list[str], active: int, prefix: str,
    options: dict,
) -> go.Figure:  # fmt: skip
    """``figure`` with a scrub slider under its plot whose step i animates to ``frames[i]`` (a plotly.js frame:
    ``data``, ``traces``, and maybe ``layout``) with ``options``; ``labels``, ``values``, ``active`` and
    ``prefix`` as ``with_scrub`` takes them. The figure's own data and frames are shared, never changed."""
    layout = figure.layout.to_plotly_json()  # a copy
    height, margin = layout["height"], dict(layout["margin"])
    plot_height = height - margin["t"] - margin["b"]
    below = margin["b"] + (LEGEND_ROOM if layout.get("legend", {}).get("y", 1) < 0 else 0)
    steps = [
        dict(label=label, value=value, method="animate", args=[[frame], options])
        for label, value, frame in zip(labels, values, frames, strict=True)
    ]
    scrub = dict(
        name=SCRUB, active=active, steps=steps, x=0, len=1, xanchor="left", yanchor="top",
        y=-below / plot_height, pad=dict(t=0, b=0), currentvalue=dict(prefix=prefix, offset=4),
    )  # fmt: skip
    grown = below + SCRUB_HEIGHT - margin["b"]  # the plot keeps its height
    margin["b"] += grown
    layout.update(height=height + grown, margin=margin, sliders=[*layout.get("sliders", []), scrub])
    data, frames = [t.to_plotly_json() for t in figure.data], [f.to_plotly_json() for f in figure.frames]
    return go.Figure(dict(data=data, layout=layout, frames=frames), _validate=False)


def scrub_figures(
    figures: list[go.Figure], traces: list[int], layout: tuple[str, ...], values: list[float], active: int,
    prefix: str,
) -> go.Figure:  # fmt: skip
    """The figure at ``values[active]`` with a scrub slider under it whose step i shows ``figures[i]`` (the
    same chart drawn at ``values[i]``): their traces ``traces`` and layout entries ``layout``, redrawn."""
    frames = [frame_of(figure, traces, layout) for figure in figures]
    for j in range(len(traces)):  # what every value draws alike (the steps j, a run's x) is not sent again
        for name in TYPED:
            if len({repr(frame["data"][j].get(name)) for frame in frames}) == 1:
                for frame in frames:
                    frame["data"][j].pop(name, None)
    labels, links = [f"{v:g}" for v in values], [repr(v) for v in values]
    return scrub_slider(figures[active], frames, labels, links, active, prefix, REDRAWN)
