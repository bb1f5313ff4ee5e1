"""Figures: plain arrays in, ``go.Figure`` out; no optimizer step is computed here (optuna.visualization's way).

``style`` is the one palette every chart draws from; then one builder module per page: ``race`` (contour
race, small multiples, 3-D surface, loss, distance, effective learning rate), ``decay``, ``noise``,
``sweep``, ``train``; ``export`` takes the race out of the app (GIF, standalone HTML, CSV and back,
notebook). The style, the race's builders and the exports are also here at the top, as
``from rmsviz import figures; figures.race_figure(...)`` has always read.
"""

from rmsviz.figures.export import figure_html, race_csv, race_gif, race_html, race_notebook, read_race_csv
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
    "race_csv",
    "race_figure",
    "race_gif",
    "race_html",
    "race_notebook",
    "read_race_csv",
    "style",
    "surface_3d_figure",
    "surface_grid",
]
