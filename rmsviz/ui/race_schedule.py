"""A racer's learning-rate schedule on the race page: a select box and the chosen schedule's sliders, each
in the link as ``rmsprop.schedule``, ``rmsprop.schedule_gamma``, … (the race's reset clears them with the
racer's other settings)."""

from __future__ import annotations

import streamlit as st

from rmsviz import schedules
from rmsviz.ui.widgets import UrlGuard, url_selectbox, url_slider

TITLES = {
    "constant": "constant η",
    "step": "step: × γ every k steps",
    "exponential": "exponential: × γ each step",
    "power": "power: 1/(1 + t/τ)^p",
    "cosine": "cosine annealing",
    "onecycle": "one-cycle",
    "plateau": "reduce on plateau",
}
# (low, high, step) of each parameter's slider; defaults are the library's (torch.optim's)
SLIDERS = {
    "step_size": (1, 200, 1),
    "gamma": (0.5, 1.0, 0.01),
    "tau": (1.0, 100.0, 1.0),
    "power": (0.0, 3.0, 0.1),
    "t_max": (1, 1000, 1),
    "floor": (0.0, 1.0, 0.01),
    "total_steps": (1, 1000, 1),
    "pct_start": (0.05, 0.95, 0.05),
    "div_factor": (1.0, 100.0, 1.0),
    "final_div_factor": (1.0, 1e4, 1.0),
    "factor": (0.05, 0.95, 0.05),
    "patience": (0, 50, 1),
    "threshold": (0.0, 0.1, 0.001),
    "cooldown": (0, 50, 1),
}
DEFAULTS = {"exponential": {"gamma": 0.95}, "plateau": {"factor": 0.5, "patience": 5}}
ScheduleSettings = tuple  # (kind, ((name, value), ...), warmup): hashable, for the race's cache


def schedule_input(key: str, title: str, guard: UrlGuard) -> ScheduleSettings:
    """The racer's schedule, in an expander of its own; constant (the default) draws only its select box."""
    with st.expander(f"{title} η schedule", expanded=False):
        return _schedule_widgets(key, guard)


def _schedule_widgets(key: str, guard: UrlGuard) -> ScheduleSettings:
    # the kind's own name, not its title, in the select box: a link holds what the box shows
    kind = url_selectbox("η_t = η · factor(t)", list(TITLES), f"{key}.schedule", guard)
    st.caption(TITLES[kind])
    if kind == "constant":
        return ()
    values = []
    for name, (default, *_) in schedules.PARAMETERS[kind].items():
        low, high, step = SLIDERS[name]
        default = DEFAULTS.get(kind, {}).get(name, default)
        default = int(default) if isinstance(low, int) else float(min(max(default, low), high))
        value = url_slider(f"{name}", low, high, default, f"{key}.schedule_{name}", guard, step)
        values.append((name, value))
    warmup = url_slider("warm-up steps", 0, 100, 0, f"{key}.warmup", guard, 1)
    return (kind, tuple(values), warmup)


def build(settings: ScheduleSettings) -> schedules.Schedule | None:
    """The Schedule the settings describe; None for a constant η."""
    if not settings:
        return None
    kind, values, warmup = settings
    return schedules.schedule(kind, warmup=warmup, **dict(values))


def code(settings: ScheduleSettings) -> str:
    """The run() argument that rebuilds the schedule in a notebook ("" for a constant η)."""
    if not settings:
        return ""
    kind, values, warmup = settings
    arguments = "".join(f", {name}={value!r}" for name, value in values) + (f", warmup={warmup}" if warmup else "")
    return f', schedule=rmsviz.schedules.schedule("{kind}"{arguments})'
