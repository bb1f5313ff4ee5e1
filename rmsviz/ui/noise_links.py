"""The noise page's link codec: the one place that spells the noise page's widget keys, and writes its
settings as a link and reads a link back (ui.links.LinkFormat).

The page's settings are its widgets' values by key, for example::

    {"sequence": "1, -1, 2, -2", "mb_steps": 50, "mb.rmsprop.lr": 0.001,
     "noisy_surface": "saddle", "optimizers": ["sgd", "adam"], "sigma": 0.5, "runs": 20, "noisy_steps": 50,
     "noisy_seed": 3, "noisy.adam.lr": 0.02}

Hinton's minibatch example: the gradients' ``sequence``, ``mb_steps``, and each optimizer's settings keyed by
``mb`` and the optimizer (``minibatch_key``). The noisy runs: ``noisy_surface`` (a surface of the catalog, by
its title in a link), the ``optimizers`` (by their titles), ``sigma``, ``runs``, ``noisy_steps``,
``noisy_seed``, and each optimizer's settings keyed by ``noisy`` (``noisy_key``). Every entry may be left out.
"""

from __future__ import annotations

from rmsviz.ui.links import LinkFormat, PageKeys, optimizer_key
from rmsviz.ui.pages import BY_NAME
from rmsviz.ui.race_settings import OPTIMIZER_LABELS, SURFACE_LABELS

SEQUENCE, MINIBATCH_STEPS = "sequence", "mb_steps"  # the minibatch example's gradients and steps
MINIBATCH = "mb"  # the prefix of its optimizers' settings
SURFACE, OPTIMIZERS_KEY, SIGMA, RUNS = "noisy_surface", "optimizers", "sigma", "runs"
NOISY_STEPS, NOISY_SEED = "noisy_steps", "noisy_seed"
NOISY = "noisy"  # the prefix of the noisy runs' optimizers' settings
# Widgets of the page that are not in its link.
MINIBATCH_CHART, NOISY_CHART = "minibatch_chart", "noisy_chart"


def minibatch_key(optimizer: str, name: str = "") -> str:
    """``mb.rmsprop.lr``, the key of an optimizer's setting in the minibatch example (ui.links.optimizer_key)."""
    return optimizer_key(MINIBATCH, optimizer, name)


def noisy_key(optimizer: str, name: str = "") -> str:
    """``noisy.rmsprop.lr``, the key of an optimizer's setting in the noisy runs (ui.links.optimizer_key)."""
    return optimizer_key(NOISY, optimizer, name)


PAGE = PageKeys(
    BY_NAME["noise"].title,
    frozenset({SEQUENCE, MINIBATCH_STEPS, SURFACE, OPTIMIZERS_KEY, SIGMA, RUNS, NOISY_STEPS, NOISY_SEED,
               MINIBATCH_CHART, NOISY_CHART}),
    prefixes=(MINIBATCH, NOISY),
)  # fmt: skip
FORMAT = LinkFormat(
    PAGE,
    labels={
        SURFACE: SURFACE_LABELS,
        OPTIMIZERS_KEY: OPTIMIZER_LABELS,
    },
    is_text=lambda key: key == SEQUENCE,
    is_list=lambda key: key == OPTIMIZERS_KEY,
)
query, link, decode = FORMAT.query, FORMAT.link, FORMAT.decode
