"""Figures: plain arrays in, ``go.Figure`` out; no optimizer step is computed here (optuna.visualization's way).

``style`` is the one palette every chart draws from; then one builder module per page: ``race`` (contour
race, small multiples, 3-D surface, loss, distance, effective learning rate), ``decay``, ``noise``,
``sweep``, ``train``. The style and the race's builders are also here at the top, as
``from rmsviz import figures; figures.race_figure(...)`` has always read.
"""

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
from rmsviz.figures.style import COLORS, DASHES, Style, style

__all__ = [
    "COLORS",
    "DASHES",
    "Style",
    "contour_levels",
    "contour_line_traces",
    "distance_figure",
    "effective_lr_figure",
    "loss_figure",
    "race_figure",
    "style",
    "surface_3d_figure",
    "surface_grid",
]
