"""The γ decay page's link codec: the one place that spells the decay page's widget keys, and writes its
settings as a link and reads a link back (ui.links.LinkFormat).

The page's settings are its widgets' values by key, for example::

    {"gammas": "0.9, 0.5", "horizon": 30, "k": 7,
     "run.surface": "saddle", "run.x0": -1.0, "run.y0": 0.5, "run.steps": 50, "run.lr": 0.1, "run.gamma": 0.8}

The RMSProp run it takes apart is keyed by ``run`` (``run_key``): ``run.surface`` (a surface of the catalog,
by its title in a link), the start ``run.x0``, ``run.y0``, ``run.steps`` and RMSProp's ``run.lr``,
``run.gamma``, ``run.eps``; ``scrub_gamma`` (true or false) scrubs the run's γ on the charts. Every entry may be
left out: the widget keeps its default.
"""

from __future__ import annotations

from rmsviz.ui.links import LinkFormat, PageKeys, dotted
from rmsviz.ui.pages import BY_NAME
from rmsviz.ui.race_settings import SURFACE_LABELS

GAMMAS, HORIZON = "gammas", "horizon"  # the γ list and how many steps back the weights are drawn
K = "k"  # the step whose s_k the page takes apart
# whether the charts hold the run at every γ its slider offers (ui.decay.scrub_toggle); not "scrub", the race
# page's key, which the same session holds
SCRUB = "scrub_gamma"
RUN = "run"  # the group of the run's settings
RUN_FIELDS = ("surface", "x0", "y0", "steps", "lr", "gamma", "eps")
# Widgets of the page that are not in its link.
WEIGHTS_CHART, STATE_CHART = "decay_weights", "decay_state"


def run_key(field: str) -> str:
    """The key of one of the run's ``RUN_FIELDS``: ``run.surface``, ``run.lr``."""
    return dotted(RUN, field)


PAGE = PageKeys(
    BY_NAME["decay"].title,
    frozenset({GAMMAS, HORIZON, K, SCRUB, *map(run_key, RUN_FIELDS), WEIGHTS_CHART, STATE_CHART}),
)
FORMAT = LinkFormat(PAGE, labels={run_key("surface"): SURFACE_LABELS}, is_text=lambda key: key == GAMMAS)
query, link, decode = FORMAT.query, FORMAT.link, FORMAT.decode
