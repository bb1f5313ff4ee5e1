"""Scrub mode on the race: pick one setting (one racer's, or every racer's that has it), and the race chart holds
the paths for the values its slider offers; a slider under the plot, and a range box beside the chart that keys
drive, show the paths at the value under the hand in the browser, with no rerun. "Keep" makes the value shown
the setting, in the link.

The runs are one batched engine run per scrubbed racer (values × steps), recorded in full (the words that follow
the scrub, ui.scrub_follow, read the same runs) and cached per config, setting and racer for every session; the
figure is cached beside them. A noisy race runs each value on its own instead: a batched run's
noise depends on a run's place in the batch, and a scrubbed path must be the very run a rerun at its value makes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from rmsviz.engine import runs_of
from rmsviz.figures.scrub import with_scrub
from rmsviz.optimizers import OPTIMIZERS
from rmsviz.studies.race import race_defaults
from rmsviz.trajectory import Trajectory
from rmsviz.ui import race_links
from rmsviz.ui import scrub as scrub_box
from rmsviz.ui.language import gettext as _
from rmsviz.ui.race import BY_REPR, RaceView, run_racer
from rmsviz.ui.race_controls import RaceConfig
from rmsviz.ui.race_settings import SCRUB_OFF, SCRUBBED_NAMES, scrub_label
from rmsviz.ui.rules import RULE
from rmsviz.ui.widgets import UrlGuard, plain, slider_options, url_selectbox


@dataclass(frozen=True)
class Scrub:
    """The paths of the scrubbed racers at each value of the setting, and which value the race ran with."""

    setting: str  # as race_settings.SCRUBBED spells it: "rmsprop.lr", or "lr" for every racer that has it
    racers: tuple[int, ...]  # the scrubbed racers' places in the race
    keys: tuple[str, ...]  # their settings' link keys (race_links.racer_key)
    values: tuple[float, ...]
    paths: np.ndarray  # (values, racers, steps + 1, 2), float64
    active: int  # the index of the value the race ran with

    @property
    def name(self) -> str:
        """The scrubbed hyperparameter's name: "lr" of "rmsprop.lr" or of "lr"."""
        return self.setting.rpartition(".")[2]

    @property
    def symbol(self) -> str:
        """How the page writes it: "η"."""
        return SCRUBBED_NAMES[self.name]


def scrubbable(config: RaceConfig) -> list[str]:
    """The settings that can be scrubbed in ``config``'s race: off, each racer's hyperparameters, and each name
    two or more racers share (their settings all at once). The typed rule's are its own: not scrubbed."""
    own = [
        race_links.racer_key(r.key, h.name)
        for r in config.racers
        if r.key != RULE
        for h in OPTIMIZERS[r.optimizer].hyperparameters
    ]
    names = [key.partition(".")[2] for key in own]
    shared = [name for name in SCRUBBED_NAMES if names.count(name) > 1]
    return [SCRUB_OFF, *shared, *own]


def picker(config: RaceConfig, guard: UrlGuard, view: str) -> str:
    """The scrub picker, in the link; the setting picked, or SCRUB_OFF. Scrubbing is drawn on the contour race
    alone: with another ``view`` the picker is greyed out and keeps its value."""
    return url_selectbox(
        _("Scrub a setting on the chart"), scrubbable(config), race_links.SCRUB, guard, format_func=scrub_label,
        disabled=view != "race",
        help=_("The chart holds the paths for every value of the setting: drag the slider under it, or use the "
               "arrow keys on the box beside it, and the paths follow with no wait. Keep makes a value the setting."),
    )  # fmt: skip


@st.cache_resource(max_entries=32, show_spinner=False, hash_funcs=BY_REPR)
def scrub_runs(config: RaceConfig, setting: str, _view: RaceView) -> Scrub | None:
    """The runs of ``setting``'s values in the race of ``config`` (``_view`` is its view: not part of the key),
    once for every session; None where the optimizer refuses some value (Nesterov with β = 0)."""
    racer_key, _dot, name = setting.rpartition(".")
    racers = [i for i, r in enumerate(config.racers) if r.key != RULE and (not racer_key or r.key == racer_key)]
    racers = [i for i in racers if name in OPTIMIZERS[config.racers[i].optimizer].defaults]
    kept = [dict(config.racers[i].settings)[name] for i in racers]
    offered = None
    for i in racers:
        optimizer = config.racers[i].optimizer
        h = next(h for h in OPTIMIZERS[optimizer].hyperparameters if h.name == name)
        options = set(slider_options(h, race_defaults(optimizer, _view.surface)[name]))
        offered = options if offered is None else offered & options
    values = sorted(offered | ({kept[0]} if len(set(kept)) == 1 else set()))
    try:
        runs = [racer_runs(config, setting, i, _view, tuple(values)) for i in racers]
    except ValueError:
        return None
    paths = np.stack([[run.path for run in at] for at in runs], axis=1)
    keys = tuple(race_links.racer_key(config.racers[i].key, name) for i in racers)
    return Scrub(setting, tuple(racers), keys, tuple(values), paths, values.index(kept[0]) if kept[0] in values else 0)


# Kept for every session, never changed: the chart's paths and the words that follow the scrub (ui.scrub_follow)
# both read these, so the runs at every value are made once. 1.1 MB each at 64 values × 200 steps.
@st.cache_resource(max_entries=16, show_spinner=False, hash_funcs=BY_REPR)
def racer_runs(
    config: RaceConfig, setting: str, i: int, _view: RaceView, values: tuple[float, ...]
) -> tuple[Trajectory, ...]:
    """Racer ``i``'s runs at each of ``values`` of ``setting``, recorded in full, each the very run a rerun at that
    value makes: one batched run taken apart (engine.runs_of); with noise each value alone, since the noise a
    run draws depends on its place in a batch. ValueError where the optimizer refuses a value."""
    racer, spec, name = config.racers[i], _view.specs[i], setting.rpartition(".")[2]
    settings, surface = dict(racer.settings), _view.surface
    if config.noise:
        return tuple(run_racer(config, surface, spec, racer, {**settings, name: v}) for v in values)
    return tuple(runs_of(run_racer(config, surface, spec, racer, {**settings, name: np.asarray(values)}), spec))


@st.cache_resource(max_entries=32, show_spinner=False, hash_funcs=BY_REPR)
def _chart(config: RaceConfig, setting: str, _view: RaceView, _scrub: Scrub) -> go.Figure:
    return with_scrub(
        _view.chart("race"), list(_scrub.racers), _scrub.paths, [plain(v) for v in _scrub.values],
        [repr(v) for v in _scrub.values], _scrub.active, f"{_scrub.symbol} = ",
    )  # fmt: skip


def chart(view: RaceView, setting: str) -> tuple[go.Figure, Scrub | None]:
    """The race chart with ``setting`` scrubbed on it, and the scrub; the plain race chart (and None) where
    the setting is off or cannot be scrubbed."""
    if setting == SCRUB_OFF:
        return view.chart("race"), None
    scrub = scrub_runs(view.config, setting, view)
    if scrub is None:
        st.info(_("{setting} cannot be scrubbed here: some of its values are refused by the optimizer.").format(
            setting=scrub_label(setting)))  # fmt: skip
        return view.chart("race"), None
    return _chart(view.config, setting, view, scrub), scrub


def controls(scrub: Scrub) -> None:
    """The range box that keys drive, the value shown, and Keep (ui.scrub.box) for ``scrub``."""
    label = _("{setting}: the value shown").format(setting=scrub_label(scrub.setting))
    scrub_box.box(scrub.keys, scrub.symbol, scrub.values, scrub.active, label)
