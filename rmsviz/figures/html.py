"""The race as one standalone HTML page that plays offline: trajectories in, text out."""

from __future__ import annotations

import plotly.graph_objects as go

from rmsviz.figures.race import race_figure
from rmsviz.figures.style import Gettext, Style, chart_config
from rmsviz.i18n import N_
from rmsviz.surfaces import Surface
from rmsviz.trajectory import Trajectory


def race_html(
    surface: Surface, trajectories: list[Trajectory], styles: list[Style], page_title: str = "", gettext: Gettext = N_
) -> str:
    """A standalone page of the animated race: plotly.js inside, so it plays offline (a course site, a
    laptop without network); frames move only the markers, as in the app. Its words (the title, the chart's
    buttons and hover) in the language of ``gettext`` (English by default)."""
    figure = race_figure(surface, list(trajectories), list(styles), gettext=gettext)
    title = gettext("rmsviz: optimizers racing on {surface}").format(surface=surface.title)
    return figure_html(figure, page_title or title)


def figure_html(figure: go.Figure, page_title: str) -> str:
    """Any figure as one self-contained HTML file (plotly.js inlined, no network needed)."""
    html = figure.to_html(include_plotlyjs=True, full_html=True, config=chart_config(scrollZoom=True), auto_play=False)
    escaped = page_title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return html.replace("<head>", f"<head><title>{escaped}</title>", 1)
