"""The sweep page: its controls (``SweepConfig``), sweeps computed once and stored across sessions, the
heatmap, and the race of a clicked or best cell."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from rmsviz.figures import sweep as sweep_figures
from rmsviz.optimizers import OPTIMIZERS, Hyperparameter
from rmsviz.studies import budget, sweep
from rmsviz.studies.race import race_defaults
from rmsviz.surfaces import SURFACES
from rmsviz.ui.race_settings import race_query, race_value, surface_title
from rmsviz.ui.stores import SharedStore
from rmsviz.ui.widgets import (
    UrlGuard,
    backend_inputs,
    log_options,
    optimizer_title,
    segments,
    show_formula,
    slider_step,
    url_select_slider,
    url_selectbox,
    url_slider,
)

# The pair each optimizer's sweep starts with; SGD has η alone (it is momentum with β = 0), so no grid.
SWEEP_AXES = {"rmsprop": ("lr", "gamma"), "momentum": ("lr", "beta"), "rprop": ("lr", "eta_plus"),
              "adagrad": ("lr", "eps"), "adam": ("lr", "beta1"), "adadelta": ("lr", "rho")}  # fmt: skip
SWEEP_OUTCOMES = {"gap": "Final loss gap", "steps": "Steps to tolerance", "diverged": "Diverged"}
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


def _on_sweep_optimizer_change() -> None:
    """A new optimizer starts from its own pair of axes (the selectboxes' defaults)."""
    for key in ("x", "y"):
        st.session_state.pop(key, None)


def _range_input(h: Hyperparameter, guard: UrlGuard) -> tuple[float, float]:
    """The swept range of ``h``: log-spaced values where its axis is log. One key per hyperparameter, so a
    range survives a change of axes."""
    key, label = f"range_{h.name}", f"{h.symbol} ({h.name}) from … to"
    if h.log:
        options = log_options(h.low, h.high, h.default)
        value = url_select_slider(label, options, (options[0], options[-1]), key, guard)
    else:
        low, high = float(h.low), float(h.high)
        value = url_slider(label, low, high, (low, high), key, guard, slider_step(h))
    low, high = map(float, value)
    if low > high:  # a link can give the ends in either order; the slider draws the same range
        guard.notices.append(f"`{key}` in the link runs from {low:g} down to {high:g}; sweeping {high:g} … {low:g}.")
        low, high = high, low
    if low == high:
        st.error(f"The range of {h.symbol} is the single value {low:g}; sweeping its whole range instead.")
        return float(h.low), float(h.high)
    return low, high


def _axis_inputs(spec, axis: str, default: str, taken: str | None, guard: UrlGuard) -> tuple[str, tuple, int]:
    """Which hyperparameter an axis sweeps (not ``taken``, the other axis'), its range and its number of cells."""
    options = [h.name for h in spec.hyperparameters if h.name != taken]

    def label(name: str) -> str:
        return f"{spec.hyperparameter(name).symbol} ({name})"

    index = options.index(default) if default in options else 0
    allowed = f"a hyperparameter of {spec.title}" + (f" other than {taken}" if taken else "")
    name = url_selectbox(f"{axis} axis", options, axis, guard, format_func=label, allowed=allowed, index=index)
    h = spec.hyperparameter(name)
    cells = url_slider(f"{h.symbol} cells", 2, sweep.MAX_CELLS, 40, f"{axis}_cells", guard)
    return name, _range_input(h, guard), cells


def sweep_controls(guard: UrlGuard) -> tuple[SweepConfig, str]:
    """The sidebar of the sweep page, and the outcome to draw (picked above the chart)."""
    with st.sidebar:
        optimizer = url_selectbox(
            "Optimizer", list(SWEEP_AXES), "optimizer", guard, format_func=optimizer_title,
            allowed="an optimizer with two hyperparameters", on_change=_on_sweep_optimizer_change,
            help="SGD has only η: sweep momentum with β from 0.",
        )  # fmt: skip
        surface = url_selectbox(
            "Surface", list(SURFACES), "sweep_surface", guard, format_func=surface_title,
            allowed="a surface of the catalog",
        )  # fmt: skip
        show_formula(SURFACES[surface].formula)
        spec, (x_default, y_default) = OPTIMIZERS[optimizer], SWEEP_AXES[optimizer]
        x_name, x_range, x_cells = _axis_inputs(spec, "x", x_default, None, guard)
        y_name, y_range, y_cells = _axis_inputs(spec, "y", y_default, x_name, guard)
        steps = url_slider("Steps", 1, sweep.MAX_STEPS, 200, "sweep_steps", guard)
        starts = url_slider("Random starts (0: the surface's start)", 0, 16, 0, "random_starts", guard)
        st.caption("With random starts, each cell runs from that many points uniform over the plot and shows "
                   "the median.")  # fmt: skip
        backend, device = backend_inputs(guard)
    allowed = budget.sweep_steps(x_cells * y_cells, starts, steps)
    if allowed < steps:
        st.warning(
            f"{x_cells} × {y_cells} cells × {max(starts, 1)} start(s) × {steps} steps is more than one page may "
            f"compute on a server a class shares ({budget.SWEEP_RUN_STEPS:.0e} run-steps): each cell runs "
            f"{allowed} steps.",
            icon=":material/timer:",
        )
        steps = allowed
    outcome = segments("outcome", SWEEP_OUTCOMES, guard)
    defaults = race_defaults(optimizer, SURFACES[surface])
    fixed = tuple((h.name, defaults[h.name]) for h in spec.hyperparameters if h.name not in (x_name, y_name))
    config = SweepConfig(optimizer, surface, x_name, x_range, int(x_cells), y_name, y_range, int(y_cells), int(steps),
                         int(starts), fixed, backend, device)  # fmt: skip
    return config, outcome


MAX_STORED_SWEEPS = 32
_compute = threading.Lock()  # one sweep at a time: one already uses both cores


@st.cache_resource
def _sweeps() -> SharedStore:
    """Recent sweeps shared by every session: a class opening the same link waits for the first
    computation instead of repeating it."""
    return SharedStore(MAX_STORED_SWEEPS)


def stored_sweep(config: SweepConfig) -> sweep.SweepResult | None:
    return _sweeps().get(config)


def run_sweep(config: SweepConfig) -> sweep.SweepResult | None:
    """The sweep, computed under a progress bar unless stored; a sweep over the caps is a message, and None."""
    result = stored_sweep(config)
    if result is not None:
        return result
    spec = OPTIMIZERS[config.optimizer]
    x, y = spec.hyperparameter(config.x_name), spec.hyperparameter(config.y_name)
    bar = st.progress(0.0, text="Sweeping…")
    try:
        with _compute:
            result = stored_sweep(config)  # another session may have computed it while this one waited
            if result is None:
                result = sweep.sweep(
                    config.optimizer, config.surface, config.x_name,
                    sweep.grid_values(x, config.x_cells, *config.x_range), config.y_name,
                    sweep.grid_values(y, config.y_cells, *config.y_range), steps=config.steps,
                    random_starts=config.random_starts, fixed=dict(config.fixed), backend=config.backend,
                    device=config.device, on_progress=lambda fraction: bar.progress(fraction, text="Sweeping…"),
                )  # fmt: skip
                _sweeps().put(config, result)
    except ValueError as error:
        st.error(f"{error}.", icon=":material/calculate:")
        return None
    finally:
        bar.empty()
    return result


@st.cache_resource(max_entries=64, show_spinner=False)
def sweep_chart(config: SweepConfig, outcome: str, _result: sweep.SweepResult) -> go.Figure:
    """The heatmap of a sweep (``_result``, the sweep of ``config``, is not part of the key)."""
    return sweep_figures.sweep_figure(_result, outcome)


def cell_race_link(result: sweep.SweepResult, row: int, column: int) -> tuple[str, dict[str, str | list[str]]]:
    """A sentence naming the cell's settings, and the race page's query that races them. Values go to the
    nearest the race's controls offer; a run from random starts races from the surface's own start."""
    surface = SURFACES[result.surface]
    spec, defaults = OPTIMIZERS[result.optimizer], race_defaults(result.optimizer, surface)
    cell = {**defaults, **result.fixed, result.x_name: result.x_values[column], result.y_name: result.y_values[row]}
    raced = {h.name: race_value(h, float(cell[h.name]), defaults[h.name]) for h in spec.hyperparameters}
    x0, y0 = result.starts[0] if len(result.starts) == 1 else surface.starts[0]
    settings = {
        "surface": surface.name, "racers": [result.optimizer], "steps": result.steps, "x0": float(x0),
        "y0": float(y0), **{f"{surface.name}.{k}": v for k, v in surface.values.items()},
        **{f"{result.optimizer}.{k}": v for k, v in raced.items()},
    }  # fmt: skip
    shown = []
    for name in (result.x_name, result.y_name):
        text, exact = f"{raced[name]:.3g}", f"{float(cell[name]):.3g}"
        shown.append(f"{spec.hyperparameter(name).symbol} = {text}" + ("" if text == exact else f" (≈ {exact})"))
    where = " from the surface's start" if len(result.starts) > 1 else ""
    return f"Race {spec.title} with {', '.join(shown)}{where}", race_query(settings)


def nearest_cell(result: sweep.SweepResult, x: float, y: float) -> tuple[int, int]:
    """(row, column) of the cell whose centre is nearest to the clicked (x, y), in the axes' own scale."""

    def index(values, value, log):
        scale = np.log if log else np.asarray
        return int(np.argmin(np.abs(scale(values) - scale(value))))

    return index(result.y_values, y, result.y_log), index(result.x_values, x, result.x_log)


def remember_clicked_cell(config: SweepConfig) -> None:
    """on_select of the sweep chart: the clicked cell's race, opened by ``open_clicked_cell`` in the script
    (a callback cannot switch pages)."""
    points = st.session_state["sweep_chart"]["selection"]["points"]
    result = stored_sweep(config)
    if points and result is not None:
        _, query = cell_race_link(result, *nearest_cell(result, points[0]["x"], points[0]["y"]))
        st.session_state["_race_query"] = query


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
        st.switch_page(RACE_PAGE, query_params=query)
