"""The conventions page's link codec: the one place that spells the conventions page's widget keys, and writes
its settings as a link and reads a link back (ui.links.LinkFormat).

The page's settings are its widgets' values by key, for example::

    {"conv_lr": 0.1, "conv_steps": 30, "conv_from": "Keras 3", "conv_rho": 0.95, "conv_eps": 1e-07}

The race of the frameworks (``conv_lr``, ``conv_steps``) and the translator: the framework the settings are
written for (``conv_from``, by its name) and its decay and ε (``conv_rho``, ``conv_eps``). Every entry may be
left out: the widget keeps its default.
"""

from __future__ import annotations

from rmsviz.studies.conventions import CONVENTIONS
from rmsviz.ui.links import Labels, LinkFormat, PageKeys
from rmsviz.ui.pages import BY_NAME

LR, STEPS = "conv_lr", "conv_steps"  # the race of every framework's RMSProp (and Adagrad)
FROM, RHO, EPS = "conv_from", "conv_rho", "conv_eps"  # the translator
# Widgets of the page that are not in its link.
CHART, ADAGRAD_CHART = "conv_chart", "conv_adagrad_chart"

PAGE = PageKeys(BY_NAME["conventions"].title, frozenset({LR, STEPS, FROM, RHO, EPS, CHART, ADAGRAD_CHART}))
FORMAT = LinkFormat(PAGE, labels={FROM: Labels.of(c.framework for c in CONVENTIONS)})
query, link, decode = FORMAT.query, FORMAT.link, FORMAT.decode
