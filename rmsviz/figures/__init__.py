"""Figures: plain arrays in, ``go.Figure`` out; no optimizer step is computed here (optuna.visualization's way).

``style`` is the one palette every chart draws from; then one builder module per page: ``race`` (contour
race, small multiples, 3-D surface, loss, distance, effective learning rate), ``decay``, ``noise``,
``sweep``, ``train``; and the race out of the app: ``gif`` (an animated GIF for slides, drawn with
Pillow) and ``html`` (a standalone page that plays offline). The style, the race's builders and these two
are also here at the top, as ``from rmsviz import figures; figures.race_figure(...)`` has always read
(notebooks downloaded from the race page call ``figures.race_gif`` and ``figures.race_html``). The CSV
and the notebook draw nothing: they are ``rmsviz.files``.
"""

from rmsviz.figures.gif import race_gif
from rmsviz.figures.html import figure_html, race_html
from rmsviz.figures.race import (
    contour_levels,
    contour_line_traces,
    distance_figure,
    effective_lr_figure,
    loss_figure,
    race_figure,
    surface_3d_figure,
    surface_grid,
)
from rmsviz.figures.style import COLORS, DASHES, Style, chart_config, projector, style

__all__ = [
    "COLORS",
    "DASHES",
    "Style",
    "chart_config",
    "contour_levels",
    "contour_line_traces",
    "distance_figure",
    "effective_lr_figure",
    "figure_html",
    "loss_figure",
    "projector",
    "race_figure",
    "race_gif",
    "race_html",
    "style",
    "surface_3d_figure",
    "surface_grid",
]
