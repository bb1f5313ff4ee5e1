"""The one style of every chart: a colour per optimizer, and a dash per copy of it."""

from __future__ import annotations

from typing import NamedTuple

# One colour per optimizer, the same on every chart and page.
COLORS = {
    "rmsprop": "#d62728",
    "adagrad": "#1f77b4",
    "momentum": "#2ca02c",
    "rprop": "#9467bd",
    "sgd": "#7f7f7f",
    "adam": "#ff7f0e",
    "adadelta": "#8c564b",
}
DASHES = ("solid", "dash", "dot", "dashdot")


class Style(NamedTuple):
    label: str
    color: str
    dash: str = "solid"


def style(optimizer: str, label: str, occurrence: int = 0) -> Style:
    """The optimizer's colour; a second racer with the same optimizer gets a dashed line."""
    return Style(label, COLORS.get(optimizer, "#17becf"), DASHES[occurrence % len(DASHES)])
