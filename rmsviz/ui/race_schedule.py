"""A racer's learning-rate schedule on the race page: a select box and the chosen schedule's sliders, each
in the link as ``rmsprop.schedule``, ``rmsprop.schedule_gamma``, … (keys spelled by ui.race_links.schedule_key;
the race's reset clears them with the racer's other settings)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from rmsviz import schedules
from rmsviz.i18n import N_
from rmsviz.optimizers import Hyperparameter
from rmsviz.studies.race import DEFAULT_MILESTONES, schedule_default
from rmsviz.ui.language import gettext as _
from rmsviz.ui.links import is_schedule_key
from rmsviz.ui.race_links import schedule_key
from rmsviz.ui.widgets import (
    UrlGuard,
    last_good_text,
    lazy_panel,
    panel_key,
    slider_step,
    url_selectbox,
    url_slider,
)

TITLES = {
    "constant": N_("constant η"),
    "step": N_("step: × γ every k steps"),
    "multistep": N_("multi-step: × γ at each milestone"),
    "exponential": N_("exponential: × γ each step"),
    "power": N_("power: 1/(1 + t/τ)^p"),
    "cosine": N_("cosine annealing"),
    "onecycle": N_("one-cycle"),
    "plateau": N_("reduce on plateau"),
}
SCHEDULE_PANEL = "schedule"  # a racer's schedule panel, in its widgets.panel_key
# (kind, ((name, value), ...), warmup, milestones): hashable, for the race's cache; () for a constant η
ScheduleSettings = tuple


def schedule_input(key: str, title: str, guard: UrlGuard) -> ScheduleSettings:
    """The racer's schedule, in an expander of its own, drawn once needed (widgets.lazy_panel): until then a
    constant η; constant (the default) draws only its select box."""
    label = _("{racer} η schedule").format(racer=title)
    expander, draw = lazy_panel(label, panel_key(key, SCHEDULE_PANEL), partial(is_schedule_key, key), guard)
    if not draw:
        return ()
    with expander:
        return schedule_widgets(key, guard)


def schedule_widgets(key: str, guard: UrlGuard) -> ScheduleSettings:
    # the kind's own name, not its title, in the select box: a link holds what the box shows
    kind = url_selectbox("η_t = η · factor(t)", list(TITLES), schedule_key(key, "kind"), guard)
    st.caption(_(TITLES[kind]))
    if kind == "constant":
        return ()
    values = [
        (h.name, schedule_parameter_input(h, schedule_key(key, h.name), schedule_default(kind, h.name), guard))
        for h in schedules.PARAMETERS[kind]
    ]
    milestones = ()
    if kind == "multistep":
        milestones = last_good_text(
            _("milestones: the steps after which η is cut"), DEFAULT_MILESTONES, schedule_key(key, "milestones"), guard,
            schedules.parse_milestones, _still_cutting, max_chars=200,
        )  # fmt: skip
    warmup = url_slider(_("warm-up steps"), 0, 100, 0, schedule_key(key, "warmup"), guard, 1)
    return (kind, tuple(values), warmup, milestones)


def _still_cutting(milestones: str) -> str:
    return _("Still cutting after steps {milestones}").format(milestones=milestones)


def schedule_parameter_input(h: Hyperparameter, key: str, default: float, guard: UrlGuard) -> float:
    """A slider for one schedule parameter, whole numbers where the schedule counts steps."""
    if h.name in schedules.INTEGERS:
        return url_slider(h.name, int(h.low), int(h.high), default, key, guard, 1)
    return url_slider(h.name, float(h.low), float(h.high), default, key, guard, slider_step(h))


def build(settings: ScheduleSettings) -> schedules.Schedule | None:
    """The Schedule the settings describe; None for a constant η."""
    if not settings:
        return None
    kind, values, warmup, milestones = settings
    return schedules.schedule(kind, warmup=warmup, milestones=milestones, **dict(values))


def code(settings: ScheduleSettings) -> str:
    """The run() argument that rebuilds the schedule in a notebook ("" for a constant η)."""
    if not settings:
        return ""
    kind, values, warmup, milestones = settings
    arguments = "".join(f", {name}={value!r}" for name, value in values) + (f", warmup={warmup}" if warmup else "")
    arguments += f", milestones={milestones!r}" if milestones else ""
    return f', schedule=rmsviz.schedules.schedule("{kind}"{arguments})'
