"""Every widget key of the app, by the page that owns it.

A URL-bound widget's key is also its name in the link, so these names are the app's link vocabulary
and do not change lightly: a renamed key breaks every link a lecturer has shared. Instead of one
literal prefix per page, each page declares here the names and prefixes it owns, and a page that
resets its settings clears only keys it owns (``forget``). Tests check that every widget a page
draws is declared here, under that page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from rmsviz.optimizers import OPTIMIZERS
from rmsviz.schedules import PARAMETERS
from rmsviz.studies.presets import PRESETS
from rmsviz.surfaces import SURFACES

SECOND = "2"  # "rmsprop2" races a second RMSProp with its own settings
RACERS = (*OPTIMIZERS, *(name + SECOND for name in OPTIMIZERS))


@dataclass(frozen=True)
class PageKeys:
    """The keys one page owns: exact names, and prefixes followed by a dot (``mb.rmsprop.lr``)."""

    title: str
    names: frozenset[str]
    prefixes: tuple[str, ...] = ()

    def owns(self, key: str) -> bool:
        return key in self.names or ("." in key and key.split(".", 1)[0] in self.prefixes)


# The race page's links are the ones people share most, so its keys are the bare names.
RACE_NAMES = ("surface", "formula", "racers", "steps", "x0", "y0", "noise", "seed", "view", "details", "code",
              "inspect", "inspect_k", "preset", "race_chart", "race_panels", "race_3d", "race_loss", "race_distance",
              "race_rate", "race_stability", *(f"preset-{preset.key}" for preset in PRESETS),
              "rule_on", "rule_starter", "rule_state", "rule",
              "download_gif", "download_html", "download_csv", "download_ipynb")  # fmt: skip
RACE = PageKeys(
    "Optimizer race",
    frozenset(RACE_NAMES),
    prefixes=(*RACERS, *SURFACES, "rule"),  # racer and rule settings (rmsprop.lr, rule.gamma)
    # and surface parameters (rotated.theta)
)
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
