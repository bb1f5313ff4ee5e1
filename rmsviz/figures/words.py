"""Any chart in words, read from the figure's own data: a short description (the chart's accessible name)
and a sentence per line or grid, for those who cannot see it. A page that knows more about its runs (the
race: who diverged, who is ahead) writes its own sentences (``studies.race_words``); every other chart gets
these.

Each sentence is one whole template with named placeholders, numbers written to three significant digits, in
the language of ``describe``'s gettext (English by default); the chart's own words (its title, axes, names)
come as the figure was written.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go

from rmsviz.figures.style import Gettext
from rmsviz.i18n import N_

LINE = N_("{name}: {y} goes from {first} at {x} {x_first} to {last} at {x} {x_last}; lowest {low} at {x} {x_low}.")
GRID = N_(
    "{z} is lowest, {low}, at {x} {x_low} and {y} {y_low}, and highest, {high}, at {x} {x_high} and {y} {y_high}."
)
LINES_ALT = N_("{title}: {y} against {x}, one line each for {names}.")
GRID_ALT = N_("{title}: a heatmap of {z} over {x} and {y}.")
UNTITLED = N_("Chart")
VALUE = N_("value")  # what an axis without a title holds
TAG = re.compile(r"<[^>]+>")


class ChartWords(NamedTuple):
    alt: str  # short: what the chart is
    sentences: tuple[str, ...]  # what it shows


def number(value) -> str:
    """A value as the words write it: three significant digits for a number, else as it is."""
    return f"{value:.3g}" if isinstance(value, int | float | np.number) else str(value)


def plain(text) -> str:
    """A chart's title without the HTML plotly.js draws (``g<sub>j</sub>²`` -> ``gj²``)."""
    return TAG.sub("", text or "").strip()


def describe(figure: go.Figure, gettext: Gettext = N_) -> ChartWords:
    """The words of a chart of lines (or bars) over an axis, or of a heatmap, in the language of ``gettext``.
    Lines without a legend entry (a band's edge, a second panel's copy) are left out; lines that hold no finite
    value are too."""
    layout = figure.layout
    title = plain(layout.title.text) or gettext(UNTITLED)
    grids = [trace for trace in figure.data if trace.type == "heatmap" and trace.z is not None]
    if grids:
        x, y = _axis_title(layout, "xaxis", gettext), _axis_title(layout, "yaxis", gettext)
        grid = grids[0]
        z = (plain(grid.colorbar.title.text) if grid.colorbar and grid.colorbar.title else "") or gettext(VALUE)
        # a colour bar with tick labels of its own shows a transform of z (a log), not z: no numbers from it
        sentences = () if grid.colorbar and grid.colorbar.ticktext else _grid(grid, x, y, z, gettext)
        return ChartWords(gettext(GRID_ALT).format(title=title, z=z, x=x, y=y), sentences)
    lines = [trace for trace in figure.data if _named_line(trace)]
    sentences = tuple(s for s in (_line(layout, trace, gettext) for trace in lines) if s)
    x, y = (_axis_title(layout, axis, gettext) for axis in ("xaxis", "yaxis"))
    names = ", ".join(dict.fromkeys(plain(trace.name) for trace in lines))
    return ChartWords(gettext(LINES_ALT).format(title=title, y=y, x=x, names=names), sentences)


def _named_line(trace) -> bool:
    return trace.type in ("scatter", "scattergl", "bar") and bool(trace.name) and trace.showlegend is not False


def _axis_title(layout, name: str, gettext: Gettext) -> str:
    if name not in layout:  # a plotly Layout, which has no .get
        return gettext(VALUE)
    axis = layout[name]
    return plain(axis.title.text) if axis.title and axis.title.text else gettext(VALUE)


def _line(layout, trace, gettext: Gettext) -> str | None:
    y = np.asarray(trace.y if trace.y is not None else [], dtype=float)
    x = np.asarray(trace.x) if trace.x is not None else np.arange(len(y))
    finite = np.flatnonzero(np.isfinite(y))
    if not finite.size:
        return None
    first, last, low = finite[0], finite[-1], finite[np.argmin(y[finite])]
    x_name = _axis_title(layout, "xaxis" + (trace.xaxis or "x")[1:], gettext)
    y_name = _axis_title(layout, "yaxis" + (trace.yaxis or "y")[1:], gettext)
    return gettext(LINE).format(
        name=plain(trace.name), y=y_name, x=x_name, first=number(y[first]), x_first=number(x[first]),
        last=number(y[last]), x_last=number(x[last]), low=number(y[low]), x_low=number(x[low]),
    )  # fmt: skip


def _grid(trace, x_name: str, y_name: str, z_name: str, gettext: Gettext) -> tuple[str, ...]:
    z = np.asarray(trace.z, dtype=float)
    if not np.isfinite(z).any():
        return ()
    xs = np.asarray(trace.x) if trace.x is not None else np.arange(z.shape[1])
    ys = np.asarray(trace.y) if trace.y is not None else np.arange(z.shape[0])
    masked = np.where(np.isfinite(z), z, np.nan)
    (low_row, low_col), (high_row, high_col) = (
        np.unravel_index(pick(masked), z.shape) for pick in (np.nanargmin, np.nanargmax)
    )
    sentence = gettext(GRID).format(
        z=z_name, x=x_name, y=y_name, low=number(z[low_row, low_col]), x_low=number(xs[low_col]),
        y_low=number(ys[low_row]), high=number(z[high_row, high_col]), x_high=number(xs[high_col]),
        y_high=number(ys[high_row]),
    )  # fmt: skip
    return (sentence,)
