"""Light and dark: what a chart or picture takes from the viewer's theme.

Streamlit colours a chart's background, text and grid by its theme in the browser; what a figure sets
itself is chosen here: the contour lines' colours (darkest near the minimum on a light page, lightest on a
dark one, so the lines that matter most stand out on both) and, for the GIF, which Pillow draws without a
browser, its background, text and frame. The racers' colours are the same in both (figures.style.LOOKS:
3:1 on either background).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale


class Theme(NamedTuple):
    name: str
    background: str
    ink: str  # text
    frame: str  # the plot's frame and ticks
    contours: str  # a Plotly colour scale, sampled from the lowest contour level to the highest
    buttons: dict  # the Play buttons' colours: plotly.js lights a hovered or active button whatever the theme


LIGHT = Theme("light", "#ffffff", "#000000", "#808080", "Viridis", {})
# Streamlit 1.67's dark background (rgb(23, 22, 20), measured in Chromium) and text; light buttons with dark
# text, since plotly.js's hover and active colour (#f4faff) is fixed and would hide the theme's light text.
DARK = Theme("dark", "#171614", "#fafafa", "#808495", "Viridis_r", {"bgcolor": "#e8e8e8", "font": {"color": "#262730"}})
THEMES = {theme.name: theme for theme in (LIGHT, DARK)}
CONTOUR = "contour"  # a contour line's meta key: where its level sits between the lowest (0) and highest (1)


def contour_colors(count: int, theme: Theme = LIGHT) -> list[str]:
    """The colours of ``count`` contour levels, lowest first, as "rgb(r, g, b)"."""
    return sample_colorscale(theme.contours, np.linspace(0, 1, count)) if count else []


def themed(figure: go.Figure, theme: Theme) -> go.Figure:
    """``figure`` for ``theme``: a copy whose contour lines (the traces with ``meta={CONTOUR: position}``)
    and Play buttons take the theme's colours; the figure itself where nothing changes."""
    if theme == LIGHT:
        return figure
    spec = figure.to_plotly_json()  # a deep copy of data and layout
    for trace in spec["data"]:
        meta = trace.get("meta")
        if isinstance(meta, dict) and CONTOUR in meta:
            trace["line"] = {**trace.get("line", {}), "color": sample_colorscale(theme.contours, [meta[CONTOUR]])[0]}
    for menu in spec["layout"].get("updatemenus", ()):
        menu.update(theme.buttons)
    return go.Figure(spec, _validate=False)
