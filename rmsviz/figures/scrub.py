"""Scrub a setting on a chart: the chart's curves at each of a setting's values ride along in the figure, and a
second slider under the plot swaps them for those at the value under the hand, in the browser (a plotly.js
``animate`` to a frame of its own), with no round trip to the server.

The frames travel packed (``packed``), in the figure's ``layout.meta``: every number of their data arrays to the
last bit, each array predicted from its own previous two values, the differences' bytes shuffled and deflated.
The race's paths at 4 racers × 200 steps × 64 values take a third of their float64 bytes that way; the page's
script (rmsviz/ui/scrub.js) unpacks them once into Float64Arrays and animates to them. The step animation's
frames still hold the kept value's points: the script moves them onto the path shown.
"""

from __future__ import annotations

import base64
import zlib

import numpy as np
import plotly.graph_objects as go
from plotly.io.json import to_json_plotly

from rmsviz.figures.race import racer_trace_indices

SCRUB = "scrub"  # the scrub slider's name in the layout, and its frames' key in layout.meta: the script finds both
SCRUB_HEIGHT = 80  # pixels under the plot: the value shown, the rail, the values' labels
LEGEND_ROOM = 40  # pixels kept for a legend under the plot (the decay page's): the slider goes under it
# A step swaps the paths as an animation frame with no transition: plotly.js redraws those traces alone, where a
# restyle recomputes and redraws every trace (the contour lines, the click grid): in headless Chromium on the
# default race at 200 steps, 110–150 ms of blocked page per restyle.
AT_ONCE = dict(mode="immediate", frame=dict(duration=0, redraw=False), transition=dict(duration=0))
# A step whose frame changes the layout too (a shaded window, the axes' ranges, words with numbers) redraws the plot.
REDRAWN = dict(mode="immediate", frame=dict(duration=0, redraw=True), transition=dict(duration=0))
TYPED = ("x", "y", "customdata")  # a trace's data arrays that a frame carries packed
PACKED = "packed"  # in a packed frame, an array's place: {"packed": how many numbers, "shape": "rows,columns"}


def packed(frames: list[dict]) -> dict:
    """``frames`` (plotly.js frames whose traces' TYPED entries are arrays of numbers) as the figure carries them.
    ``frames``: their JSON, each array replaced by {"packed": its size} (and its shape where it has two
    dimensions), deflated (zlib) and base64 (its URL alphabet). ``arrays``: every array's float64 numbers in the
    frames' order, each one's bits less those of its prediction (``_differences``), deflated and base64.
    ``across``: 0 where a number is predicted from the two before it in its array; where every frame holds
    arrays of the same sizes, and predicting each number from the same number in the two frames before deflates
    smaller (the race's paths at neighbouring values of ε), the numbers a frame holds. scrub.js undoes it; the
    same float64 arithmetic there predicts the same bits, so every number comes back to the last bit."""
    arrays: list[np.ndarray] = []

    def take(values) -> dict:
        values = np.asarray(values, dtype=np.float64)
        arrays.append(values.ravel())
        return {PACKED: values.size, **({"shape": ",".join(map(str, values.shape))} if values.ndim == 2 else {})}

    carried, sizes = [], []  # the frames as carried; the sizes of each frame's arrays
    for frame in frames:
        first = len(arrays)
        data = [{k: take(v) if k in TYPED else v for k, v in trace.items()} for trace in frame["data"]]
        carried.append({**frame, "data": data})
        sizes.append([len(a) for a in arrays[first:]])
    values = np.concatenate([np.zeros(0), *arrays])
    lengths = [len(a) for a in arrays]
    place = np.arange(values.size) - np.repeat(np.cumsum([0, *lengths])[:-1], lengths)
    choices = {0: zlib.compress(_differences(values, 1, place), 9)}
    across = sum(sizes[0]) if frames and all(s == sizes[0] for s in sizes) else 0
    if across:
        choices[across] = zlib.compress(_differences(values, across, np.arange(values.size) // across), 9)
    across = min(choices, key=lambda c: len(choices[c]))
    return dict(frames=_base64(zlib.compress(to_json_plotly(carried).encode(), 9)), arrays=_base64(choices[across]),
                across=across)  # fmt: skip


def _differences(values: np.ndarray, step: int, place: np.ndarray) -> bytes:
    """Each of ``values``' bits less those of its prediction from the numbers ``step`` and 2·``step`` before it
    in its sequence (``place``: how many numbers of its sequence come before it): 2a − b (a linear step), a, or
    0 for the first, and 0 where the prediction is not finite; each difference as a zigzag integer (small
    either side of 0), the 8 bytes of those integers shuffled (every first byte, then every second, …: the
    high bytes, mostly zeros, side by side)."""
    before, two_before = np.roll(values, step), np.roll(values, 2 * step)
    with np.errstate(all="ignore"):
        guess = np.where(place >= 2, 2 * before - two_before, np.where(place == 1, before, 0.0))
    guess[~np.isfinite(guess)] = 0.0
    difference = values.view("<i8") - guess.view("<i8")  # wraps around, as scrub.js's does
    zigzag = ((difference << 1) ^ (difference >> 63)).view("<u8")
    return zigzag.view(np.uint8).reshape(-1, 8).T.tobytes()


def _base64(data: bytes) -> str:
    """``data`` in base64's URL alphabet: plotly.py writes a "/" in a JSON string as 6 characters."""
    return base64.urlsafe_b64encode(data).decode()


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
    frames = [dict(data=[dict(x=p[:, 0], y=p[:, 1]) for p in at], traces=traces) for at in paths]
    return scrub_slider(figure, frames, labels, values, active, prefix, AT_ONCE)


def scrub_slider(
    figure: go.Figure, frames: list[dict], labels: list[str], values: list[str], active: int, prefix: str,
    options: dict,
) -> go.Figure:  # fmt: skip
    """``figure`` with a scrub slider under its plot whose step i makes scrub.js animate to ``frames[i]`` (a
    plotly.js frame: ``data``, ``traces``, and maybe ``layout``) with ``options``; ``labels``, ``values``,
    ``active`` and ``prefix`` as ``with_scrub`` takes them. The frames travel packed in ``layout.meta``; the
    slider's steps carry none (method "skip": the script hears the step and animates). The figure's own data
    and frames are shared, never changed."""
    layout = figure.layout.to_plotly_json()  # a copy
    height, margin = layout["height"], dict(layout["margin"])
    plot_height = height - margin["t"] - margin["b"]
    below = margin["b"] + (LEGEND_ROOM if layout.get("legend", {}).get("y", 1) < 0 else 0)
    steps = [dict(label=label, value=value, method="skip") for label, value in zip(labels, values, strict=True)]
    scrub = dict(
        name=SCRUB, active=active, steps=steps, x=0, len=1, xanchor="left", yanchor="top",
        y=-below / plot_height, pad=dict(t=0, b=0), currentvalue=dict(prefix=prefix, offset=4),
    )  # fmt: skip
    grown = below + SCRUB_HEIGHT - margin["b"]  # the plot keeps its height
    margin["b"] += grown
    meta = {**layout.get("meta", {}), SCRUB: {**packed(frames), "options": options}}
    layout.update(height=height + grown, margin=margin, sliders=[*layout.get("sliders", []), scrub], meta=meta)
    data, frames = [t.to_plotly_json() for t in figure.data], [f.to_plotly_json() for f in figure.frames]
    return go.Figure(dict(data=data, layout=layout, frames=frames), _validate=False)


def frame_of(figure: go.Figure, traces: list[int], layout: tuple[str, ...] = ()) -> dict:
    """A plotly.js frame that makes a figure drawn like ``figure`` show ``figure``: its traces ``traces``
    (every attribute) and its layout's entries ``layout``."""
    settings = figure.layout.to_plotly_json()
    return dict(
        data=[figure.data[t].to_plotly_json() for t in traces], traces=traces,
        layout={name: settings[name] for name in layout if name in settings},
    )  # fmt: skip


def scrub_figures(
    figures: list[go.Figure], traces: list[int], layout: tuple[str, ...], values: list[float], active: int,
    prefix: str,
) -> go.Figure:  # fmt: skip
    """The figure at ``values[active]`` with a scrub slider under it whose step i shows ``figures[i]`` (the
    same chart drawn at ``values[i]``): their traces ``traces`` and layout entries ``layout``, redrawn."""
    frames = [frame_of(figure, traces, layout) for figure in figures]
    for j in range(len(traces)):  # what every value draws alike (the steps j, a run's x) is not sent again
        for name in TYPED:
            drawn = [frame["data"][j].get(name) for frame in frames]
            if drawn[0] is not None and all(_alike(d, drawn[0]) for d in drawn[1:]):
                for frame in frames:
                    del frame["data"][j][name]
    labels, links = [f"{v:g}" for v in values], [repr(v) for v in values]
    return scrub_slider(figures[active], frames, labels, links, active, prefix, REDRAWN)


def _alike(a, b) -> bool:
    """Whether two data arrays hold the same numbers in the same shape (NaN alike)."""
    return np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float), equal_nan=True)
