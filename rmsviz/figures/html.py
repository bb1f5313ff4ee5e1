"""The race as one standalone HTML page that plays offline: trajectories in, text out."""

from __future__ import annotations

import plotly.graph_objects as go

from rmsviz.figures.race import race_figure
from rmsviz.figures.style import Style, chart_config
from rmsviz.surfaces import Surface
from rmsviz.trajectory import Trajectory


def race_html(surface: Surface, trajectories: list[Trajectory], styles: list[Style], page_title: str = "") -> str:
    """A standalone page of the animated race: plotly.js inside, so it plays offline (a course site, a
    laptop without network); frames move only the markers, as in the app."""
    figure = race_figure(surface, list(trajectories), list(styles))
    return figure_html(figure, page_title or f"rmsviz: optimizers racing on {surface.title}")


def figure_html(figure: go.Figure, page_title: str) -> str:
    """Any figure as one self-contained HTML file (plotly.js inlined, no network needed)."""
    html = figure.to_html(include_plotlyjs=True, full_html=True, config=chart_config(scrollZoom=True), auto_play=False)
    escaped = page_title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return html.replace("<head>", f"<head><title>{escaped}</title>", 1)
