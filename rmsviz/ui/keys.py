"""Every widget key of the app, by the page that owns it (ui.links says why a key is a link's name).

Each page's ``PageKeys`` is listed here: the race's is its codec's (ui.race_links); the other pages
declare theirs here. A page that resets its settings clears only keys it owns (``forget``), and
``owner`` names the page of a link's key that is not the page's own. Tests check that every widget a
page draws is declared here, under that page.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from rmsviz.optimizers import OPTIMIZERS
from rmsviz.schedules import PARAMETERS
from rmsviz.ui import race_links
from rmsviz.ui.links import PageKeys

RACE = race_links.PAGE  # the race's keys are its codec's
DECAY = PageKeys(
    "γ decay weights", frozenset({"gammas", "horizon", "k", "decay_weights", "decay_state"}), prefixes=("run",)
)
NOISE = PageKeys(
    "Noisy gradients",
    frozenset(
        {
            "sequence",
            "mb_steps",
            "noisy_surface",
            "optimizers",
            "sigma",
            "runs",
            "noisy_steps",
            "noisy_seed",
            "minibatch_chart",
            "noisy_chart",
        }
    ),
    prefixes=("mb", "noisy"),
)
TRAIN = PageKeys(
    "Train a model",
    frozenset(
        {
            "hidden",
            "activation",
            "train_optimizers",
            "epochs",
            "batch",
            "train_seed",
            "torch",
            "stop",
            "resume",
            "train_chart",
        }
    ),
    prefixes=("train",),
)
SWEEP_NAMES = ("optimizer", "sweep_surface", "x", "y", "x_cells", "y_cells", "sweep_steps", "random_starts",
               "outcome", "race_best", "sweep_chart", "sweep_rule_starter", "sweep_rule_state",
               "sweep_rule")  # fmt: skip
# one range per hyperparameter and per schedule parameter
RANGES = {f"range_{h.name}" for spec in OPTIMIZERS.values() for h in spec.hyperparameters} | {
    f"range_schedule_{h.name}" for parameters in PARAMETERS.values() for h in parameters
}
# prefixes: the η schedule of every cell (sweep.schedule, sweep.schedule_gamma) and a typed rule's ranges
# (sweep_rule.range_lr)
SWEEP = PageKeys("Hyperparameter sweep", frozenset(SWEEP_NAMES) | RANGES, prefixes=("sweep", "sweep_rule"))
# The backend and device are the session's, whichever page sets them.
SHARED = PageKeys("every page with a backend", frozenset({"backend", "device"}))
CONVENTIONS = PageKeys(
    "RMSProp across frameworks",
    frozenset({"conv_lr", "conv_steps", "conv_chart", "conv_adagrad_chart", "conv_from", "conv_rho", "conv_eps"}),
)
PAGES = {"race": RACE, "decay": DECAY, "noise": NOISE, "train": TRAIN, "sweep": SWEEP, "conventions": CONVENTIONS}
# Projector mode, on every page: ``?projector=true`` enlarges every chart for a lecture hall (ui.charts).
PROJECTOR = "projector"
PROJECTOR_STATE = "_projector"  # the session's choice, kept when a page switch drops the query string
LINK_KEYS = frozenset({"embed", "embed_options", PROJECTOR})  # Streamlit's own, and projector mode


def owner(key: str) -> PageKeys | None:
    """The page that owns ``key`` (SHARED for the backend), or None for a key no page knows."""
    return next((page for page in (*PAGES.values(), SHARED) if page.owns(key)), None)


def forget(page: PageKeys, only: Callable[[str], bool] = lambda key: True) -> None:
    """Drop ``page``'s widget values (those for which ``only`` holds) so the next run shows the defaults.
    Another page's values stay: they are that page's settings, whatever this page resets."""
    for key in [k for k in st.session_state if page.owns(k) and only(k)]:
        del st.session_state[key]
