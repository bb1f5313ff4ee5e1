"""The race's vocabulary, shared with the pages that start or link to a race: racer names and labels,
and the query string that opens a race (the settings a race starts with are rmsviz.studies.race)."""

from __future__ import annotations

import numpy as np

from rmsviz.optimizers import OPTIMIZERS, Hyperparameter
from rmsviz.surfaces import SURFACES
from rmsviz.ui.keys import SECOND
from rmsviz.ui.widgets import log_options, slider_step

CUSTOM = "custom"  # the race's surface name for a typed formula


def optimizer_of(racer: str) -> str:
    return racer.removesuffix(SECOND)


def racer_label(racer: str) -> str:
    title = OPTIMIZERS[optimizer_of(racer)].title
    return f"{title} #2" if racer.endswith(SECOND) and racer not in OPTIMIZERS else title


def surface_title(name: str) -> str:
    return SURFACES[name].title if name in SURFACES else "Your own formula"


# The segmented pickers' options by key, and the labels a link spells them with.
VIEWS = {"race": "Contour race", "panels": "One panel each", "3d": "3-D surface"}
DETAILS = {
    "progress": "Loss and distance",
    "rate": "Effective learning rate",
    "stability": "Stability",
    "inspector": "Step inspector",
}
LABELS = {"view": VIEWS, "details": DETAILS}


def race_value(h: Hyperparameter, value: float, default: float) -> float:
    """The value nearest to ``value`` that the race's control for ``h`` offers (``hyperparameter_input``):
    a link with any other value would be ignored there."""
    if h.log:
        options = np.asarray(log_options(h.low, h.high, default))
        return float(options[np.argmin(np.abs(np.log(options) - np.log(value)))])
    step = slider_step(h)
    return round(min(max(h.low + round((value - h.low) / step) * step, h.low), h.high), 12)


def race_query(settings: dict) -> dict[str, str | list[str]]:
    """Race-page widget values (keyed as its widgets) -> the query that opens them, spelled as the bound
    widgets write them: the surface's title, the racers' labels, the pickers' labels."""
    query = {}
    for key, value in settings.items():
        if key == "surface":
            query[key] = surface_title(value)
        elif key == "racers":
            query[key] = [racer_label(r) for r in value]
        elif key in LABELS:
            query[key] = LABELS[key][value]
        else:
            query[key] = str(value)
    return query
