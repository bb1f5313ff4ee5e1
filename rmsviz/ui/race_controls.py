"""The race page's controls: the sidebar that makes a ``RaceConfig``, the chart and details pickers,
and a click on the chart that picks the start."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from rmsviz.studies import budget
from rmsviz.studies.race import DEFAULT_RACERS, NOISE, SEED, race_defaults
from rmsviz.surfaces import SURFACES, Surface
from rmsviz.surfaces.expression import ExpressionError
from rmsviz.ui import keys
from rmsviz.ui import race_links as links
from rmsviz.ui.language import gettext as _
from rmsviz.ui.race_schedule import ScheduleSettings, schedule_input
from rmsviz.ui.race_settings import CUSTOM, DETAILS, RACERS, VIEWS, optimizer_of, racer_label, surface_title
from rmsviz.ui.rules import RULE, TITLE, RuleText, rule_racer
from rmsviz.ui.widgets import (
    UrlGuard,
    backend_inputs,
    last_good_text,
    log_options,
    optimizer_settings,
    segments,
    show_formula,
    start_inputs,
    url_multiselect,
    url_number,
    url_select_slider,
    url_selectbox,
    url_slider,
    url_switch,
)

DEFAULT_FORMULA = "x**4/4 - x**2 + 2*y**2"


@dataclass(frozen=True)
class Racer:
    key: str  # "rmsprop", or "rmsprop2" for a second one
    optimizer: str
    settings: tuple[tuple[str, float | bool], ...]  # hashable, for the cache
    schedule: ScheduleSettings = ()  # its η schedule (race_schedule); () for a constant η

    @property
    def label(self) -> str:
        return TITLE if self.key == RULE else racer_label(self.key)


@dataclass(frozen=True)
class RaceConfig:
    """Everything a race view depends on: hashable, so views are cached across sessions."""

    surface: str
    surface_values: tuple[tuple[str, float], ...]  # the surface's parameters, if it has any
    formula: str  # the typed formula when surface is "custom"
    racers: tuple[Racer, ...]
    start: tuple[float, float]
    steps: int
    noise: float
    seed: int
    backend: str
    device: str
    rule: RuleText | None = None  # the typed rule, raced by the racer keyed RULE


def _on_surface_change() -> None:
    """A new surface starts from its own first picture: its start, steps and suggested settings."""
    keys.forget(keys.RACE, only=lambda key: links.grouped(key) or key == links.STEPS)
    name = st.session_state[links.SURFACE]
    formula = st.session_state.get(links.FORMULA, DEFAULT_FORMULA)
    surface = SURFACES[name] if name != CUSTOM else _typed_surface(formula)
    st.session_state[links.X0], st.session_state[links.Y0] = map(float, surface.starts[0])


def _typed_surface(text: str) -> Surface:
    """The typed formula's surface, or the default formula's while the text is not a usable formula."""
    try:
        return Surface.from_expression(text)
    except ExpressionError:
        return Surface.from_expression(DEFAULT_FORMULA)


def _formula_input(guard: UrlGuard) -> tuple[str, Surface]:
    """The formula box: a bad formula is explained under it and the last good one stays in use."""
    return last_good_text(
        "f(x, y) =", DEFAULT_FORMULA, links.FORMULA, guard, lambda text: (text, Surface.from_expression(text)),
        lambda good: _("Still showing f = {formula}").format(formula=good), max_chars=500,
        help=_("Numbers, x, y, pi, e, + - * / **, and sin cos tan exp log sqrt abs tanh sinh cosh arctan min max."),
    )  # fmt: skip


def race_controls(guard: UrlGuard) -> RaceConfig:
    """The sidebar of the race page."""
    with st.sidebar:
        surface_name = url_selectbox(
            _("Surface"), [*SURFACES, CUSTOM], links.SURFACE, guard, format_func=surface_title,
            allowed=_("a surface of the catalog"), on_change=_on_surface_change,
        )  # fmt: skip
        formula, surface_values = "", ()
        if surface_name == CUSTOM:
            formula, surface = _formula_input(guard)
        else:
            surface_values = _surface_params(SURFACES[surface_name], guard)
            surface = race_surface(surface_name, surface_values)
        show_formula(surface.formula)

        chosen = url_multiselect(
            _("Optimizers to race"), RACERS, list(DEFAULT_RACERS), links.RACERS_KEY, guard, format_func=racer_label,
            help=_("Add an optimizer's #2 to race it against itself with other settings."),
        )  # fmt: skip
        if not chosen:
            st.info(_("Pick at least one optimizer to race."))
        racers = tuple(_racer_settings(key, surface, guard) for key in chosen)
        typed = rule_racer(guard)
        if typed:
            racers += (Racer(RULE, RULE, typed[1]),)

        steps = url_slider(_("Steps"), 1, 1000, surface.steps, links.STEPS, guard)
        start = _start_inputs(surface, guard)
        noise = url_slider(_("Gradient noise σ"), 0.0, 2.0, NOISE, links.NOISE, guard, 0.05)
        seed = url_number(_("Noise seed"), SEED, links.SEED, guard, 0, 2**31 - 1, disabled=noise == 0)
        backend, device = backend_inputs(guard)
    rule = typed[0] if typed else None
    steps = _within_budget(steps, racers, surface, rule)
    return RaceConfig(
        surface_name, surface_values, formula, racers, start, steps, float(noise), seed, backend, device, rule
    )


def _within_budget(steps: int, racers: tuple[Racer, ...], surface: Surface, rule: RuleText | None) -> int:
    """The steps the race may run (studies.budget: racers × steps × the operations of the formula and the rule),
    with a notice above the chart where they are fewer than asked."""
    own = [rule.parse().operations if rule and r.key == RULE else 0 for r in racers]
    allowed = budget.race_steps(own, surface.operations, surface.hessian_operations, steps)
    if allowed < steps:
        notice = _(
            "{racers} racer(s) × {steps} steps on this surface is more than one page may compute on a server a "
            "class shares: each racer runs {allowed} steps. Fewer racers, a shorter formula or rule go further."
        )
        st.warning(notice.format(racers=len(racers), steps=steps, allowed=allowed), icon=":material/timer:")
    return allowed


def race_surface(name: str, values: tuple[tuple[str, float], ...], formula: str = "") -> Surface:
    if name == CUSTOM:
        return Surface.from_expression(formula)
    return SURFACES[name].with_params(**dict(values)) if values else SURFACES[name]


def _surface_params(surface: Surface, guard: UrlGuard) -> tuple[tuple[str, float], ...]:
    """Sliders for the surface's own parameters (the rotated bowl's angle, the quadratic's κ and θ)."""
    values = []
    for name, param in surface.params.items():
        key, label = links.surface_key(surface.name, name), f"{name}: {_(param.doc)}"
        if param.log:
            options = log_options(param.low, param.high, param.default)
            value = url_select_slider(label, options, param.default, key, guard)
        else:
            value = url_slider(label, param.low, param.high, param.default, key, guard, 1.0)
        values.append((name, float(value)))
    return tuple(values)


def _racer_settings(key: str, surface: Surface, guard: UrlGuard) -> Racer:
    name = optimizer_of(key)
    # the surface's suggestion, else d2l's settings, else its own
    settings = optimizer_settings(name, key, race_defaults(name, surface), guard, racer_label(key), lazy=True)
    return Racer(key, name, settings, schedule_input(key, racer_label(key), guard))


def _start_inputs(surface: Surface, guard: UrlGuard) -> tuple[float, float]:
    st.caption(_("Start point: type it, or click on the plot."))
    default = tuple(map(float, surface.starts[0]))
    return start_inputs(surface, (links.X0, links.Y0), default, guard, st.columns(2))


def view_picker(guard: UrlGuard) -> str:
    """Which race chart to draw: the contour race, small multiples, or the surface in 3-D."""
    return segments(links.VIEW, VIEWS, guard)


def details_picker(guard: UrlGuard) -> str:
    """What to show under the race: loss and distance, the effective learning rates, or the step inspector."""
    return segments(links.DETAILS, DETAILS, guard)


def show_code(guard: UrlGuard) -> bool:
    """The "Show code" switch, in the link too. A switch, not an expander: an expander draws its code
    block even while closed, and the code highlighter's 1.5 MB of script delays the race chart by 0.3 s."""
    return url_switch(
        _("Show code"), links.CODE, guard, toggle=True, help=_("The lines of rmsviz that draw this view.")
    )


def pick_start_from_click() -> None:
    """on_select callback of the race chart: the clicked point becomes the start."""
    points = st.session_state[links.chart_key("race")]["selection"]["points"]
    if points:
        # the grid is sent as float32: 1.2 comes back as 1.2000000476837158
        st.session_state[links.X0], st.session_state[links.Y0] = round(points[0]["x"], 3), round(points[0]["y"], 3)
