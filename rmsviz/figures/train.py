"""Plotly builder for the training page: loss and accuracy against epoch, train solid and test dashed."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go

from rmsviz.figures.style import COLORS, Gettext, Style, line_chart, line_look
from rmsviz.i18n import N_
from rmsviz.studies.train import Metrics

PANELS = (("loss", N_("mean cross-entropy (log)"), "x", "y"), ("accuracy", N_("accuracy"), "x2", "y2"))
DASHES = {"train": "solid", "test": "dash"}
# A curve's legend entry: its run's name and split, in the language of the figure's gettext.
SPLIT_NAMES = {"train": N_("{name} (train)"), "test": N_("{name} (test)")}
REFERENCE_MARKERS = {"train": "circle-open", "test": "diamond-open"}


def _curves(history: tuple[Metrics, ...]) -> dict[tuple[str, str], np.ndarray]:
    """(split, quantity) -> one value per epoch, e.g. ("test", "accuracy")."""
    columns = np.asarray(history, dtype=np.float64).reshape(-1, len(Metrics._fields))
    return {tuple(field.split("_", 1)): columns[:, i] for i, field in enumerate(Metrics._fields)}


def _traces(history: tuple[Metrics, ...], name: str, look: Callable[[str], dict], gettext: Gettext) -> list[dict]:
    """Four curves of one run: train and test, loss and accuracy; ``look(split)`` styles them."""
    curves = _curves(history)
    names = {split: gettext(template).format(name=name) for split, template in SPLIT_NAMES.items()}
    return [
        dict(
            type="scatter", x=np.arange(len(history)), y=curves[split, quantity], name=names[split],
            legendgroup=f"{name} {split}", showlegend=quantity == "loss", xaxis=x_axis, yaxis=y_axis, **look(split),
        )
        for (quantity, _, x_axis, y_axis), split in itertools.product(PANELS, DASHES)
    ]  # fmt: skip


def training_figure(
    histories: list[tuple[Metrics, ...]],
    styles: list[Style],
    reference: tuple[Metrics, ...] | None = None,
    gettext: Gettext = N_,
) -> go.Figure:
    """Loss (log axis) and accuracy per epoch, one colour per optimizer, test dashed; ``reference``
    (torch.optim.RMSprop's history) as open markers in RMSProp's colour. Its words in the language of ``gettext``
    (English by default)."""
    traces = []
    for history, s in zip(histories, styles, strict=True):
        look = line_look(s)  # the optimizer's colour and symbol; the dash tells train from test here
        traces += _traces(
            history,
            s.label,
            lambda split, look=look: {**look, "line": {**look["line"], "dash": DASHES[split]}},
            gettext,
        )
    if reference is not None:
        color = COLORS["rmsprop"]
        traces += _traces(
            reference, "torch.optim.RMSprop",
            lambda split: dict(mode="markers", marker=dict(symbol=REFERENCE_MARKERS[split], size=9, color=color)),
            gettext,
        )  # fmt: skip
    axes = dict(
        xaxis=dict(title=dict(text=gettext("epoch")), domain=[0, 0.45], anchor="y"),
        xaxis2=dict(title=dict(text=gettext("epoch")), domain=[0.55, 1], anchor="y2"),
        yaxis=dict(title=dict(text=gettext(PANELS[0][1])), type="log", exponentformat="power", anchor="x"),
        yaxis2=dict(title=dict(text=gettext(PANELS[1][1])), anchor="x2", tickformat=".0%"),
    )
    return line_chart(traces, axes, 440, left=60, bottom=50, legend_y=-0.2)
