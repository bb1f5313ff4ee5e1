"""The race's vocabulary, shared with the pages that start or link to a race: racer names and labels, and
the labels of the race's pickers (its keys and links are rmsviz.ui.race_links; the settings a race starts
with are rmsviz.studies.race)."""

from __future__ import annotations

from rmsviz.i18n import N_
from rmsviz.optimizers import OPTIMIZERS
from rmsviz.rules import STARTERS
from rmsviz.surfaces import SURFACES
from rmsviz.ui.links import Labels

CUSTOM = "custom"  # the race's surface name for a typed formula
RULE_TITLE = N_("Your rule")  # the typed rule's title, as a racer and as the sweep's optimizer
SECOND = "2"  # "rmsprop2" races a second RMSProp with its own settings
RACERS = (*OPTIMIZERS, *(name + SECOND for name in OPTIMIZERS))


def optimizer_of(racer: str) -> str:
    return racer.removesuffix(SECOND)


def racer_label(racer: str) -> str:
    title = OPTIMIZERS[optimizer_of(racer)].title
    return f"{title} #2" if racer.endswith(SECOND) and racer not in OPTIMIZERS else title


def surface_title(name: str) -> str:
    return SURFACES[name].title if name in SURFACES else "Your own formula"


# The segmented pickers' options, and the labels a link spells them with.
VIEWS = {"race": "Contour race", "panels": "One panel each", "3d": "3-D surface", "twin": "What it sees"}
DETAILS = {
    "progress": "Loss and distance",
    "rate": "Effective learning rate",
    "stability": "Stability",
    "inspector": "Step inspector",
}


# How the other pages' surface and optimizer pickers (a surface of the catalog, any optimizer) write their
# value into a link: by its title.
SURFACE_LABELS = Labels.of(SURFACES, surface_title)
OPTIMIZER_LABELS = Labels.of(OPTIMIZERS, lambda name: OPTIMIZERS[name].title)
STARTER_LABELS = Labels.of(STARTERS, lambda name: STARTERS[name].title)  # the rule editor's starters


# Scrub mode (ui.race_scrub): the setting scrubbed on the race chart, one racer's (``rmsprop.lr``) or every
# racer's that has it (``lr``), or none. A link spells each by its label.
SCRUB_OFF = "off"
SCRUBBED_NAMES = {h.name: h.symbol for spec in OPTIMIZERS.values() for h in spec.hyperparameters}
SCRUBBED = (
    SCRUB_OFF,
    *SCRUBBED_NAMES,
    *(f"{racer}.{h.name}" for racer in RACERS for h in OPTIMIZERS[optimizer_of(racer)].hyperparameters),
)


def scrub_label(setting: str) -> str:
    """``η of RMSProp``, ``η of every racer``, ``off``."""
    racer, _dot, name = setting.rpartition(".")
    if setting == SCRUB_OFF:
        return "off"
    return f"{SCRUBBED_NAMES[name]} of {racer_label(racer) if racer else 'every racer'}"
