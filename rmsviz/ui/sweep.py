"""The sweep page: its controls (``SweepConfig``), sweeps computed once and stored across sessions, the
heatmap, and the race of a clicked or best cell."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from rmsviz.figures import sweep as sweep_figures
from rmsviz.figures.words import ChartWords, describe
from rmsviz.i18n import N_, translator
from rmsviz.optimizers import OPTIMIZERS, Hyperparameter, OptimizerSpec
from rmsviz.rules import STARTERS
from rmsviz.studies import budget, sweep
from rmsviz.studies.race import race_defaults
from rmsviz.studies.sweep_words import sweep_story
from rmsviz.surfaces import SURFACES
from rmsviz.ui import language, race_links, race_schedule, sweep_links
from rmsviz.ui.language import gettext as _
from rmsviz.ui.race_settings import surface_title
from rmsviz.ui.rules import RULE, RuleText, rule_editor
from rmsviz.ui.stores import SharedStore
from rmsviz.ui.widgets import (
    UrlGuard,
    backend_inputs,
    log_options,
    offered_value,
    segments,
    show_formula,
    slider_step,
    url_select_slider,
    url_selectbox,
    url_slider,
)

# The pair each optimizer's sweep starts with; SGD has η alone (it is momentum with β = 0), so no grid.
# A typed rule ("rule") starts with η where it has one, and its first other hyperparameter.
SWEEP_AXES = {"rmsprop": ("lr", "gamma"), "momentum": ("lr", "beta"), "rprop": ("lr", "eta_plus"),
              "adagrad": ("lr", "eps"), "adam": ("lr", "beta1"), "adadelta": ("lr", "rho"),
              RULE: ("lr", "")}  # fmt: skip
RACE_PAGE = "views/race.py"


@dataclass(frozen=True)
class SweepConfig:
    """Everything a sweep depends on: hashable, so a sweep is computed once for every session."""

    optimizer: str
    surface: str
    x_name: str
    x_range: tuple[float, float]
    x_cells: int
    y_name: str
    y_range: tuple[float, float]
    y_cells: int
    steps: int
    random_starts: int
    fixed: tuple[tuple[str, float], ...]  # the other hyperparameters, as the race starts them
    backend: str
    device: str
    rule: RuleText | None = None  # the typed rule, when the optimizer is RULE
    starter: str = ""  # the rule's starter, whose settings its hyperparameters take where not swept
    schedule: race_schedule.ScheduleSettings = ()  # every cell's η schedule (constant: empty)

    def spec(self) -> OptimizerSpec:
        return self.rule.spec() if self.rule else OPTIMIZERS[self.optimizer]


def _on_sweep_optimizer_change() -> None:
    """A new optimizer starts from its own pair of axes (the selectboxes' defaults)."""
    for key in (sweep_links.X, sweep_links.Y):
        st.session_state.pop(key, None)


def _range_input(h: Hyperparameter, guard: UrlGuard, rule: bool, whole: bool) -> tuple[float, float]:
    """The swept range of ``h``: log-spaced values where its axis is log, ``whole`` numbers where it counts
    steps. One key per hyperparameter, so a range survives a change of axes (a typed ``rule``'s are its
    editor's)."""
    key = sweep_links.range_key(h.name, rule)
    label = _("{axis} from … to").format(axis=sweep_links.axis_label(h.name))
    if whole:
        value = url_slider(label, int(h.low), int(h.high), (int(h.low), int(h.high)), key, guard, 1)
    elif h.log:
        options = log_options(h.low, h.high, h.default)
        value = url_select_slider(label, options, (options[0], options[-1]), key, guard)
    else:
        low, high = float(h.low), float(h.high)
        value = url_slider(label, low, high, (low, high), key, guard, slider_step(h))
    low, high = map(float, value)
    if low > high:  # a link can give the ends in either order; the slider draws the same range
        notice = _("`{key}` in the link runs from {low} down to {high}; sweeping {high} … {low}.")
        guard.notices.append(notice.format(key=key, low=f"{low:g}", high=f"{high:g}"))
        low, high = high, low
    if low == high:
        st.error(_("The range of {symbol} is the single value {value}; sweeping its whole range instead.").format(
            symbol=h.symbol, value=f"{low:g}"))  # fmt: skip
        return float(h.low), float(h.high)
    return low, high


def _axis_inputs(spec, schedule, axis: str, default: str, taken: str | None, guard: UrlGuard):
    """Which hyperparameter an axis sweeps (not ``taken``, the other axis'), its range and its number of
    cells; None where nothing is left to sweep."""
    options = [name for name in sweep.axis_names(spec, schedule) if name != taken]
    if not options:
        st.error(_("{optimizer} has nothing left for the {axis} axis: give it a second hyperparameter (any new "
                   "name in the update is one) or an η schedule.").format(optimizer=spec.title, axis=axis))  # fmt: skip
        return None

    index = options.index(default) if default in options else 0
    if taken:
        allowed = _("a hyperparameter of {optimizer} other than {taken}").format(optimizer=spec.title, taken=taken)
    else:
        allowed = _("a hyperparameter of {optimizer}").format(optimizer=spec.title)
    name = url_selectbox(
        _("{axis} axis").format(axis=axis),
        options,
        axis,
        guard,
        format_func=sweep_links.axis_label,
        allowed=allowed,
        index=index,
    )
    h = sweep.axis_parameter(spec, name, schedule)
    cells = url_slider(
        _("{symbol} cells").format(symbol=h.symbol), 2, sweep.MAX_CELLS, 40, sweep_links.cells_key(axis), guard
    )
    whole = sweep.counts_steps(spec, name, schedule)
    return name, _range_input(h, guard, rule=spec.name == RULE, whole=whole), cells


def _rule_or_schedule(optimizer: str, guard: UrlGuard) -> tuple[RuleText | None, str, tuple]:
    """The typed rule and its settings (the starter's), or a built-in's η schedule: a rule keeps its own
    point, so no schedule can scale its steps (the engine refuses one); a decay goes into the rule (t)."""
    if optimizer == RULE:
        rule, starter = rule_editor(sweep_links.EDITOR, sweep_links.PAGE, guard, N_("The last good rule is swept"))
        st.caption(_("A rule's hyperparameters that no axis sweeps take the starter's values. To decay η, write "
                     "the decay into the rule: t is the step."))  # fmt: skip
        return rule, starter, ()
    with st.expander(_("η schedule of every cell"), expanded=False):
        settings = race_schedule.schedule_widgets(sweep_links.SCHEDULE, guard)
        if settings:
            st.caption(_("Its parameters are axes too."))
    return None, "", settings


def sweep_controls(guard: UrlGuard) -> tuple[SweepConfig, str]:
    """The sidebar of the sweep page, and the outcome to draw (picked above the chart)."""
    with st.sidebar:
        optimizer = url_selectbox(
            _("Optimizer"), list(SWEEP_AXES), sweep_links.OPTIMIZER, guard,
            format_func=sweep_links.OPTIMIZER_LABELS.label, allowed=_("an optimizer with two hyperparameters, or rule"),
            on_change=_on_sweep_optimizer_change,
            help=_("SGD has only η: sweep momentum with β from 0. Your rule: type an update and sweep its own "
                   "hyperparameters."),
        )  # fmt: skip
        surface = url_selectbox(
            _("Surface"), list(SURFACES), sweep_links.SURFACE, guard, format_func=surface_title,
            allowed=_("a surface of the catalog"),
        )  # fmt: skip
        show_formula(SURFACES[surface].formula)
        rule, starter, schedule_settings = _rule_or_schedule(optimizer, guard)
        spec = rule.spec() if rule else OPTIMIZERS[optimizer]
        schedule = race_schedule.build(schedule_settings)
        x_default, y_default = SWEEP_AXES[optimizer]
        x_axis = _axis_inputs(spec, schedule, sweep_links.X, x_default, None, guard)
        y_axis = x_axis and _axis_inputs(spec, schedule, sweep_links.Y, y_default, x_axis[0], guard)
        if not y_axis:
            st.stop()  # the message is under the axis; a sweep needs two
        (x_name, x_range, x_cells), (y_name, y_range, y_cells) = x_axis, y_axis
        steps = url_slider(_("Steps"), 1, sweep.MAX_STEPS, 200, sweep_links.STEPS, guard)
        starts = url_slider(_("Random starts (0: the surface's start)"), 0, 16, 0, sweep_links.RANDOM_STARTS, guard)
        st.caption(_("With random starts, each cell runs from that many points uniform over the plot and shows "
                     "the median."))  # fmt: skip
        backend, device = backend_inputs(guard)
    starts, steps = _within_budget(x_cells, y_cells, starts, steps, rule)
    outcome = segments(sweep_links.OUTCOME, sweep_links.OUTCOMES, guard)
    defaults = _race_defaults(spec, starter, surface)
    fixed = tuple((h.name, defaults[h.name]) for h in spec.hyperparameters if h.name not in (x_name, y_name))
    config = SweepConfig(optimizer, surface, x_name, x_range, int(x_cells), y_name, y_range, int(y_cells), int(steps),
                         int(starts), fixed, backend, device, rule, starter, schedule_settings)  # fmt: skip
    return config, outcome


def _within_budget(x_cells: int, y_cells: int, starts: int, steps: int, rule: RuleText | None) -> tuple[int, int]:
    """The random starts and steps the sweep may run (studies.budget: cells × starts × steps × the operations of
    the rule), with a notice where they are fewer than asked."""
    operations = rule.parse().operations if rule else 0
    allowed_starts, allowed = budget.sweep_plan(x_cells * y_cells, starts, steps, operations)
    if (allowed_starts, allowed) != (starts, steps):
        if rule:
            notice = _(
                "{x_cells} × {y_cells} cells × {starts} start(s) × {steps} steps of a rule of {operations} operations "
                "is more than one page may compute on a server a class shares: each cell runs {allowed} steps from "
                "{allowed_starts} start(s)."
            )
        else:
            notice = _(
                "{x_cells} × {y_cells} cells × {starts} start(s) × {steps} steps is more than one page may compute "
                "on a server a class shares: each cell runs {allowed} steps from {allowed_starts} start(s)."
            )
        st.warning(
            notice.format(x_cells=x_cells, y_cells=y_cells, starts=max(starts, 1), steps=steps, operations=operations,
                          allowed=allowed, allowed_starts=max(allowed_starts, 1)),
            icon=":material/timer:",
        )  # fmt: skip
    return allowed_starts, allowed


def _race_defaults(spec: OptimizerSpec, starter: str, surface: str) -> dict[str, float]:
    """The hyperparameters as the race starts them: a built-in's on this surface, a rule's as its starter sets
    them (its own default for a name the starter does not know). The sweep fixes the ones no axis sweeps."""
    if spec.name == RULE:
        return {h.name: STARTERS[starter].defaults.get(h.name, h.default) for h in spec.hyperparameters}
    return race_defaults(spec.name, SURFACES[surface])


MAX_STORED_SWEEPS = 32


@st.cache_resource
def _sweeps() -> SharedStore:
    """Recent sweeps shared by every session, one computed at a time: a class opening the same link waits
    for the first computation instead of repeating it."""
    return SharedStore(MAX_STORED_SWEEPS)


def stored_sweep(config: SweepConfig) -> sweep.SweepResult | None:
    return _sweeps().get(config)


def run_sweep(config: SweepConfig) -> sweep.SweepResult | None:
    """The sweep, computed under a progress bar unless stored; a sweep over the caps is a message, and None."""
    result = stored_sweep(config)
    if result is not None:
        return result
    spec, schedule = config.spec(), race_schedule.build(config.schedule)
    x = sweep.axis_values(spec, config.x_name, config.x_cells, *config.x_range, schedule=schedule)
    y = sweep.axis_values(spec, config.y_name, config.y_cells, *config.y_range, schedule=schedule)
    sweeping = _("Sweeping…")
    bar = st.progress(0.0, text=sweeping)
    try:
        result = _sweeps().get_or_compute(config, lambda: sweep.sweep(
            spec, config.surface, config.x_name, x, config.y_name, y, steps=config.steps,
            random_starts=config.random_starts, fixed=dict(config.fixed), schedule=schedule, backend=config.backend,
            device=config.device, on_progress=lambda fraction: bar.progress(fraction, text=sweeping),
        ))  # fmt: skip
    except ValueError as error:
        st.error(_("{error}.").format(error=language.explained(error)), icon=":material/calculate:")
        return None
    finally:
        bar.empty()
    return result


def sweep_chart(config: SweepConfig, outcome: str, result: sweep.SweepResult) -> go.Figure:
    """The heatmap of a sweep (``result``, the sweep of ``config``), in the session's language."""
    return _sweep_chart(config, outcome, language.current(), result)


def sweep_words(config: SweepConfig, outcome: str, result: sweep.SweepResult) -> ChartWords:
    """The heatmap in words, in the session's language."""
    return _sweep_words(config, outcome, language.current(), result)


@st.cache_resource(max_entries=64, show_spinner=False)
def _sweep_chart(config: SweepConfig, outcome: str, lang: str, _result: sweep.SweepResult) -> go.Figure:
    """Cached per language (``_result`` is not part of the key: the sweep is stored by its config)."""
    return sweep_figures.sweep_figure(_result, sweep.outcome(_result, outcome), translator(lang).gettext)


@st.cache_resource(max_entries=64, show_spinner=False)
def _sweep_words(config: SweepConfig, outcome: str, lang: str, _result: sweep.SweepResult) -> ChartWords:
    """The heatmap in words: its accessible name, read from the figure, and the best cell and the cells that
    diverged or never got there, from the sweep (its colours show a log, which the figure's numbers are)."""
    gettext = translator(lang).gettext
    alt = describe(_sweep_chart(config, outcome, lang, _result), gettext).alt
    return ChartWords(alt, sweep_story(_result, sweep.outcome(_result, outcome), gettext))


def cell_race_link(
    config: SweepConfig, result: sweep.SweepResult, row: int, column: int
) -> tuple[str, dict[str, str | list[str]]]:
    """A sentence naming the cell's settings, and the race page's query that races them (a typed rule as
    the race's own rule, a schedule as the racer's). Values go to the nearest the race's controls offer; a
    run from random starts races from the surface's own start. ``result`` is the sweep of ``config``."""
    surface, spec = SURFACES[result.surface], config.spec()
    schedule = race_schedule.build(config.schedule)
    cell = {**dict(config.fixed), result.x_name: result.x_values[column], result.y_name: result.y_values[row]}
    defaults = _race_defaults(spec, config.starter, config.surface)
    raced = {}
    for name, value in cell.items():
        h = sweep.axis_parameter(spec, name, schedule)
        if sweep.counts_steps(spec, name, schedule):
            raced[name] = round(value)
        else:
            raced[name] = offered_value(h, float(value), defaults.get(name, h.default))
    x0, y0 = result.starts[0] if len(result.starts) == 1 else surface.starts[0]
    settings = {
        race_links.SURFACE: surface.name, race_links.SURFACE_VALUES: dict(surface.values),
        race_links.STEPS: result.steps, race_links.X0: float(x0), race_links.Y0: float(y0),
        **_racer_settings(config, raced, sweep.schedule_axes(spec, schedule)),
    }  # fmt: skip
    shown = []
    for name in (result.x_name, result.y_name):
        text, exact = f"{raced[name]:.3g}", f"{float(cell[name]):.3g}"
        symbol = sweep.axis_parameter(spec, name, schedule).symbol
        shown.append(f"{symbol} = {text}" + ("" if text == exact else f" (≈ {exact})"))
    if len(result.starts) > 1:
        label = _("Race {optimizer} with {settings} from the surface's start")
    else:
        label = _("Race {optimizer} with {settings}")
    return label.format(optimizer=spec.title, settings=", ".join(shown)), race_links.query(settings)


def _racer_settings(config: SweepConfig, raced: dict, schedule_axes: dict) -> dict:
    """The race's settings of the cell's racer: a built-in with its settings and schedule (whose parameters are
    ``schedule_axes``), or the race's rule (its texts, and its starter so that the rule's other settings start
    where the sweep had them)."""
    if config.rule:
        rule = {"on": True, "starter": config.starter, "state": config.rule.state, "update": config.rule.update}
        return {race_links.RACERS_KEY: {}, race_links.RULE: {**rule, "settings": raced}}
    own = {k: v for k, v in raced.items() if k not in schedule_axes}
    if config.schedule:
        kind, values, warmup, milestones = config.schedule
        own["schedule"] = {
            "kind": kind, **{name: raced.get(sweep.SCHEDULE_AXIS + name, value) for name, value in values},
            "warmup": warmup, **({"milestones": ", ".join(map(str, milestones))} if milestones else {}),
        }  # fmt: skip
    return {race_links.RACERS_KEY: {config.optimizer: own}}


def nearest_cell(result: sweep.SweepResult, x: float, y: float) -> tuple[int, int]:
    """(row, column) of the cell whose centre is nearest to the clicked (x, y), in the axes' own scale."""

    def index(values, value, log):
        scale = np.log if log else np.asarray
        return int(np.argmin(np.abs(scale(values) - scale(value))))

    return index(result.y_values, y, result.y_log), index(result.x_values, x, result.x_log)


def remember_clicked_cell(config: SweepConfig) -> None:
    """on_select of the sweep chart: the clicked cell's race, opened by ``open_clicked_cell`` in the script
    (a callback cannot switch pages)."""
    points = st.session_state[sweep_links.CHART]["selection"]["points"]
    result = stored_sweep(config)
    if points and result is not None:
        _, query = cell_race_link(config, result, *nearest_cell(result, points[0]["x"], points[0]["y"]))
        race_cell(query)


def race_cell(query: dict) -> None:
    """on_click: race the cell whose race query is ``query`` (``open_clicked_cell`` switches pages)."""
    st.session_state["_race_query"] = query


def open_clicked_cell() -> None:
    """Switch to the race with the clicked cell's settings. The race's widgets drop a link value equal to
    their default and keep this session's value instead: the values the link sets are forgotten first."""
    query = st.session_state.pop("_race_query", None)
    if query:
        for key in query:
            st.session_state.pop(key, None)
        st.switch_page(RACE_PAGE, query_params=language.carried(query))
