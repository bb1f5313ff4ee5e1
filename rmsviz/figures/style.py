"""The one style of every chart: a colour, a marker symbol and a dash per optimizer (a second copy changes its
dash), the room kept for Plotly's toolbar, the layout of a chart of lines, the toolbar's settings, and the
projector mode that enlarges everything for the back row."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

import plotly.graph_objects as go

from rmsviz.i18n import N_

# A language's lookup (rmsviz.i18n.translator(lang).gettext): a figure writes its words in it, English by default.
Gettext = Callable[[str], str]


class Look(NamedTuple):
    color: str
    symbol: str
    dash: str


# One look per optimizer, the same on every chart, page and export. The colours are Okabe & Ito's
# colour-blind-safe palette, each moved to the lightness where it keeps 3:1 against white and against a dark
# theme's #0e1117 (WCAG 1.4.11), and nudged apart so that every two stay distinct under simulated protanopia,
# deuteranopia and tritanopia: tests/test_palette.py holds those figures, benchmarks/bench_palette.py prints
# them. Symbol and dash tell the lines apart where colour alone cannot (WCAG 1.4.1); none is a star or an x,
# the surface's minima and saddle points.
LOOKS = {
    "rmsprop": Look("#ba3300", "circle", "solid"),  # vermillion
    "adagrad": Look("#4e60a5", "square", "dash"),  # blue
    "momentum": Look("#03a860", "diamond", "dot"),  # bluish green
    "rprop": Look("#b184a2", "triangle-up", "dashdot"),  # reddish purple
    "sgd": Look("#6f665d", "cross", "solid"),  # grey
    "adam": Look("#d27e0f", "triangle-down", "longdash"),  # orange
    "adadelta": Look("#6f93cc", "pentagon", "longdashdot"),  # sky blue
}
COLORS = {optimizer: look.color for optimizer, look in LOOKS.items()}
OTHER_LOOK = Look("#c900ff", "hexagon", "solid")  # violet: a typed rule, or an optimizer the palette does not know
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
MARKS_PER_LINE = 12  # symbols along a line over steps: enough to follow it, few enough to leave it a line


class Style(NamedTuple):
    label: str
    color: str
    dash: str = "solid"
    symbol: str = "circle"


def style(optimizer: str, label: str, occurrence: int = 0) -> Style:
    """The optimizer's colour and symbol; a second racer with the same optimizer gets the next dash."""
    look = LOOKS.get(optimizer, OTHER_LOOK)
    return Style(label, look.color, DASHES[(DASHES.index(look.dash) + occurrence) % len(DASHES)], look.symbol)


def nth_style(i: int, label: str) -> Style:
    """The palette's i-th look, for the lines of a chart that are not one optimizer each."""
    look = list(LOOKS.values())[i % len(LOOKS)]
    return Style(label, look.color, look.dash, look.symbol)


def line_look(s: Style, width: float = 2) -> dict:
    """A racer's line over steps (a Plotly scatter's settings): its colour and dash, and its symbol at a few
    points along it; the legend shows all three."""
    return dict(
        mode="lines+markers",
        line=dict(color=s.color, dash=s.dash, width=width),
        marker=dict(symbol=s.symbol, color=s.color, size=7, maxdisplayed=MARKS_PER_LINE),
    )


# --- Room for the toolbar -------------------------------------------------------------------------------
# Plotly draws its toolbar over the top of a chart. On a phone it spans the chart's width, so the top
# TOOLBAR pixels of every chart hold nothing else: titles and top legends start below them.
TOOLBAR = 34
TITLE_FONT = 15
TITLE_HEIGHT = 26  # a title line and the gap under it


def title(text: str) -> dict:
    """A chart title at the left, under the toolbar's band (charts with a title keep ``title_margin()`` on top);
    measured from the chart's edge, not the plot's, so that a phone shows all of it."""
    return dict(
        text=text, x=0, xref="container", xanchor="left", y=1, yref="container", yanchor="top",
        pad=dict(t=TOOLBAR, l=10), font=dict(size=TITLE_FONT),
    )  # fmt: skip


def title_margin() -> int:
    """The top margin of a chart with a title: the toolbar's band and the title."""
    return TOOLBAR + TITLE_HEIGHT


# --- Charts of lines ------------------------------------------------------------------------------------
UNTITLED_TOP = 20  # the top margin of a chart without a title


def line_chart(
    traces: list[dict],
    axes: dict,
    height: int,
    chart_title: str = "",
    *,
    left: int = 10,
    bottom: int = 10,
    legend_y: float = -0.25,
) -> go.Figure:
    """Lines against step (or epoch), laid out as on every page: ``axes`` as given (``step_axes`` for one plot,
    ``xaxis2``, ``yaxis2`` … for panels side by side), the title under the toolbar's band, the legend in a row
    under the plot. The figure takes the dicts as they are: plotly's validation would cost more than it."""
    layout = dict(
        **axes, height=height, margin=dict(l=left, r=10, t=title_margin() if chart_title else UNTITLED_TOP, b=bottom),
        legend=dict(orientation="h", y=legend_y),
    )  # fmt: skip
    if chart_title:
        layout["title"] = title(chart_title)
    return go.Figure(dict(data=traces, layout=layout), _validate=False)


def step_axes(y_title: str, log: bool = False, gettext: Gettext = N_) -> dict:
    """The axes of one plot against step: ``y_title`` up, on a log scale (powers of ten) when ``log``; "step" in the
    language of ``gettext`` (rmsviz.i18n, English by default)."""
    return dict(
        xaxis=dict(title=dict(text=gettext("step"))),
        yaxis=dict(title=dict(text=y_title), type="log" if log else "linear", exponentformat="power"),
    )


# --- The chart toolbar ----------------------------------------------------------------------------------
# What the toolbar offers: zoom, pan, reset and the picture; box and lasso selection mean nothing here.
REMOVED_BUTTONS = ("select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d")
# The picture button of the decay, noise and sweep charts saves an SVG laid out for a 16:9 slide.
SLIDE = dict(format="svg", width=1600, height=900, scale=1)


def chart_config(svg_name: str | None = None, **extra) -> dict:
    """The Plotly ``config`` of a chart; with ``svg_name``, the toolbar's picture is that SVG file at slide size."""
    config = {"displaylogo": False, "modeBarButtonsToRemove": list(REMOVED_BUTTONS), **extra}
    if svg_name:
        config["toImageButtonOptions"] = {**SLIDE, "filename": svg_name}
    return config


# --- Projector mode ---------------------------------------------------------------------------------------
# For the back row of a lecture hall: every chart's fonts, lines, markers, margins and height, scaled here.
PROJECTOR_FONT = 1.5
PROJECTOR_LINE = 2.0
PROJECTOR_MARKER = 1.6
PROJECTOR_HEIGHT = 1.25
PLOTLY_FONT, PLOTLY_LINE, PLOTLY_MARKER = 12, 2, 6  # plotly.js's defaults, for what a chart leaves unset
AXIS = re.compile(r"[xyz]axis\d*$")


def projector(figure: go.Figure) -> go.Figure:
    """A copy of ``figure`` for a projector: fonts ×1.5, lines ×2, markers ×1.6, margins and height to match.

    Frames stay as they are: they move markers, which keep the (scaled) style of the traces they update.
    """
    spec = figure.to_plotly_json()  # a deep copy of data and layout
    layout = spec["layout"]
    _scale_fonts(spec)
    # Text whose size the chart leaves to the theme: Streamlit's theme sets it in the browser, past
    # layout.font, so each such text gets its size here.
    size = PLOTLY_FONT * PROJECTOR_FONT
    layout["font"] = {**layout.get("font", {}), "size": layout.get("font", {}).get("size", size)}
    axes = [axis for key, axis in layout.items() if AXIS.match(key)]
    axes += [axis for key, axis in layout.get("scene", {}).items() if AXIS.match(key)]
    for axis in axes:
        _default_size(axis, "tickfont", size)
        title = axis.get("title")  # a string, a dict, or None (a panel's axis with no title)
        axis["title"] = {"text": title} if isinstance(title, str) else title or {}
        _default_size(axis["title"], "font", size)
    for part in (layout.setdefault("legend", {}), layout.setdefault("hoverlabel", {}), *layout.get("annotations", ())):
        _default_size(part, "font", size)
    for trace in spec["data"]:
        if "colorbar" in trace:
            _default_size(trace["colorbar"], "tickfont", size)
    if "height" in layout:
        layout["height"] = round(layout["height"] * PROJECTOR_HEIGHT)
    if "margin" in layout:
        layout["margin"] = {k: round(v * PROJECTOR_FONT) if k in "lrtb" else v for k, v in layout["margin"].items()}
    for trace in spec["data"]:
        _scale_trace(trace)
    return go.Figure(spec, _validate=False)


def _default_size(owner: dict, key: str, size: float) -> None:
    part = owner.get(key) or {}  # absent, or set to None
    owner[key] = {**part, "size": part.get("size", size)}


def _scale_fonts(node) -> None:
    """Every font size set anywhere in a layout (titles, legends, annotations, sliders) ×PROJECTOR_FONT."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("font") and isinstance(value, dict) and "size" in value:
                value["size"] = value["size"] * PROJECTOR_FONT
            _scale_fonts(value)
    elif isinstance(node, list | tuple):
        for item in node:
            _scale_fonts(item)


def _scale_trace(trace: dict) -> None:
    kind = trace.get("type", "scatter")
    if kind in ("scatter", "scattergl", "scatter3d"):
        line = dict(trace.get("line") or {})
        if line.get("width", PLOTLY_LINE):  # a zero width (a band's outline) stays hidden
            line["width"] = line.get("width", PLOTLY_LINE) * PROJECTOR_LINE
        trace["line"] = line
    marker = trace.get("marker")
    if marker is not None and kind != "bar":
        size = marker.get("size", PLOTLY_MARKER)
        marker["size"] = [s * PROJECTOR_MARKER for s in size] if isinstance(size, list) else size * PROJECTOR_MARKER


def rgba(color: str, alpha: float) -> str:
    """A "#rrggbb" colour at opacity ``alpha``, for shaded bands and areas."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"
