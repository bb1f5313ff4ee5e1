"""The sweep page's link codec: the one place that spells the sweep page's widget keys, and writes its
settings as a link and reads a link back (ui.links.LinkFormat). A cell's race goes through the race's codec
(ui.race_links), as every link to the race does.

The page's settings are its widgets' values by key, for example::

    {"optimizer": "momentum", "sweep_surface": "saddle", "x": "beta", "y": "lr", "x_cells": 5, "y_cells": 4,
     "range_beta": (0.1, 0.9), "sweep_steps": 20, "random_starts": 2, "outcome": "steps",
     "sweep.schedule": "step", "sweep.schedule_gamma": 0.5, "backend": "numpy"}

The ``optimizer`` (by its title in a link; "rule" is the typed rule), the ``sweep_surface`` (by its title),
the axes ``x`` and ``y`` (a hyperparameter's name, written "γ (gamma)" as the boxes show it: ``axis_label``),
their cells (``cells_key``), one range per hyperparameter (``range_key``: ``range_gamma``, two numbers), the
steps, random starts and ``outcome`` (by its label), every cell's η schedule keyed by ``sweep``
(ui.links.schedule_key), and the typed rule's editor (``EDITOR``), whose hyperparameters' ranges are keyed
``sweep_rule.range_lr``. Every entry may be left out: the widget keeps its default.
"""

from __future__ import annotations

from rmsviz.optimizers import OPTIMIZERS
from rmsviz.rules import KNOWN
from rmsviz.schedules import PARAMETERS
from rmsviz.studies.sweep import SCHEDULE_AXIS
from rmsviz.ui.language import gettext as _
from rmsviz.ui.links import EditorKeys, Labels, LinkFormat, PageKeys, dotted, schedule_key
from rmsviz.ui.pages import BY_NAME
from rmsviz.ui.race_links import RULE
from rmsviz.ui.race_settings import RULE_TITLE, STARTER_LABELS, SURFACE_LABELS

OPTIMIZER, SURFACE, X, Y = "optimizer", "sweep_surface", "x", "y"
STEPS, RANDOM_STARTS, OUTCOME = "sweep_steps", "random_starts", "outcome"
SCHEDULE = "sweep"  # the group of every cell's η schedule: sweep.schedule, sweep.schedule_gamma
EDITOR = EditorKeys("sweep_rule_starter", "sweep_rule_state", "sweep_rule", "sweep_rule")  # the typed rule's
OUTCOMES = {"gap": "Final loss gap", "steps": "Steps to tolerance", "diverged": "Diverged"}  # by their labels
# Widgets of the page that are not in its link.
RACE_BEST, CHART = "race_best", "sweep_chart"


def cells_key(axis: str) -> str:
    """The key of the number of cells along ``axis`` (X or Y): ``x_cells``."""
    return f"{axis}_cells"


def range_key(name: str, rule: bool = False) -> str:
    """The key of the swept range of the hyperparameter ``name`` (``range_gamma``; a schedule's parameter,
    ``range_schedule_gamma``); a typed ``rule``'s are its editor's (``sweep_rule.range_lr``)."""
    key = f"range_{name}"
    return dotted(EDITOR.settings, key) if rule else key


def axis_label(name: str) -> str:
    """How an axis box shows (and a link writes) the hyperparameter ``name``: its symbol and its name,
    "γ (gamma)"; a schedule's parameter "schedule γ (schedule_gamma)"; a typed rule's own name "foo (foo)"."""
    own = name.removeprefix(SCHEDULE_AXIS)
    schedule_symbols = {h.name: h.symbol for parameters in PARAMETERS.values() for h in parameters}
    if name.startswith(SCHEDULE_AXIS) and own in schedule_symbols:  # a rule's schedule_p is its own name
        symbol = "schedule " + schedule_symbols[own]
    else:
        symbol = KNOWN[name].symbol if name in KNOWN else name
    return f"{symbol} ({name})"


def _axis_name(label: str) -> str:
    """The hyperparameter an axis label names: the inverse of ``axis_label`` (ValueError for another text)."""
    name = label.rpartition(" (")[2].removesuffix(")")
    if axis_label(name) != label:
        raise ValueError(f"not an axis: {label!r}")
    return name


OPTIMIZER_LABELS = Labels.of((*OPTIMIZERS, RULE), lambda name: RULE_TITLE if name == RULE else OPTIMIZERS[name].title)
SCHEDULE_TEXTS = (schedule_key(SCHEDULE, "kind"), schedule_key(SCHEDULE, "milestones"))  # the kind's own name
PAGE = PageKeys(
    BY_NAME["sweep"].title,
    frozenset({OPTIMIZER, SURFACE, X, Y, cells_key(X), cells_key(Y), STEPS, RANDOM_STARTS, OUTCOME,
               EDITOR.starter, EDITOR.state, EDITOR.update, RACE_BEST, CHART,
               *(range_key(h.name) for spec in OPTIMIZERS.values() for h in spec.hyperparameters),
               *(range_key(SCHEDULE_AXIS + h.name) for parameters in PARAMETERS.values() for h in parameters)}),
    prefixes=(SCHEDULE, EDITOR.settings),
)  # fmt: skip
FORMAT = LinkFormat(
    PAGE,
    labels={
        OPTIMIZER: OPTIMIZER_LABELS,
        SURFACE: SURFACE_LABELS,
        X: Labels(axis_label, _axis_name),
        Y: Labels(axis_label, _axis_name),
        OUTCOME: Labels.of(OUTCOMES, OUTCOMES.get),
        EDITOR.starter: STARTER_LABELS,
    },
    is_text=lambda key: key in (EDITOR.state, EDITOR.update, *SCHEDULE_TEXTS),
    is_range=lambda key: key.rpartition(".")[2].startswith("range_"),
    backend=True,
)
query, link, decode = FORMAT.query, FORMAT.link, FORMAT.decode


def unused(key: str) -> str | None:
    """Why a link's value for the sweep's ``key`` is not used when no control took it (widgets.UrlGuard)."""
    if key in (EDITOR.starter, EDITOR.state, EDITOR.update) or key.startswith(EDITOR.settings + "."):
        return _("it is a setting of your rule, which the sweep runs only with {key}={rule}").format(
            key=OPTIMIZER, rule=RULE_TITLE
        )
    if key.startswith(SCHEDULE + "."):
        return _("it is a setting of an η schedule of another kind, or of a built-in optimizer's")
    if key.startswith("range_"):
        return _("neither axis sweeps {name}").format(name=key.removeprefix("range_"))
    return None
