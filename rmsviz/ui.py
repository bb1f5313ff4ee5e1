"""The only module that imports streamlit: widgets bound to the URL, notices for bad input, cached runs.

Every control is keyed and bound to the URL (``bind="query-params"``), so a
copied link reopens the same view. Streamlit drops a URL value it cannot use;
``UrlGuard`` notices that and says so on the page. The runs and figures of a
view are cached across sessions (``st.cache_resource``): a class opening the
same link costs one computation, and a session keeps only its widget values.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import rmsviz
from rmsviz import decay, figures, inspector, metrics, noise, noise_figures, sweep, sweep_figures, train
from rmsviz.backend import available_backends, available_devices
from rmsviz.engine import Trajectory
from rmsviz.expression import ExpressionError
from rmsviz.optimizers import OPTIMIZERS, Hyperparameter
from rmsviz.presets import PRESETS, Preset
from rmsviz.surfaces import SURFACES, Surface

DEFAULT_RACERS = ("rmsprop", "adagrad", "momentum", "rprop")
SECOND = "2"  # "rmsprop2" races a second RMSProp with its own settings
RACERS = (*OPTIMIZERS, *(name + SECOND for name in OPTIMIZERS))
# d2l's settings on the elliptic surface: the first picture a lecturer shows
RACE_DEFAULTS = {
    "rmsprop": {"lr": 0.4, "gamma": 0.9},
    "adagrad": {"lr": 0.4},
    "momentum": {"lr": 0.4, "beta": 0.5},
    "rprop": {"lr": 0.1},
    "sgd": {"lr": 0.4},
    "adam": {"lr": 0.4},
}
TOLERANCE = 1e-4
LOG_MANTISSAS = (1, 1.5, 2, 3, 4, 5, 7)


def optimizer_of(racer: str) -> str:
    return racer.removesuffix(SECOND)


def racer_label(racer: str) -> str:
    title = OPTIMIZERS[optimizer_of(racer)].title
    return f"{title} #2" if racer.endswith(SECOND) and racer not in OPTIMIZERS else title


# --- URL-bound widgets ------------------------------------------------------------------------


class UrlGuard:
    """Remembers the link a session opened with and reports the values the widgets could not use."""

    def __init__(self):
        if "_opened_with" not in st.session_state:
            st.session_state["_opened_with"] = {k: st.query_params.get_all(k) for k in st.query_params}
        self.opened_with: dict[str, list[str]] = st.session_state["_opened_with"]
        self.notices: list[str] = []

    def check(self, key: str, value, allowed: str, shown=None) -> None:
        """Note a URL value for ``key`` that the widget did not take. ``shown`` is the widget's
        format_func: Streamlit writes the formatted option into the URL."""
        raw = self.opened_with.pop(key, None)  # each URL value is judged once, on the first run
        if shown is not None:
            value = [shown(v) for v in value] if isinstance(value, (list, tuple)) else shown(value)
        if raw is not None and not _same(raw, value):
            shown = ", ".join(raw)
            self.notices.append(f"Ignored `{key}={shown}` from the link ({allowed}); using {_plain(value)}.")

    def show(self, where) -> None:
        unknown = [k for k in self.opened_with if k not in ("embed", "preset")]
        if unknown:
            self.notices.append(f"Ignored unknown link parameters: {', '.join(sorted(unknown))}.")
            self.opened_with.clear()
        for notice in self.notices:
            where.warning(notice, icon="🔗")


def _plain(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "nothing"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _same(raw: list[str], value) -> bool:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if len(raw) != len(values):
        return False
    for text, v in zip(raw, values, strict=True):
        if isinstance(v, bool):
            if text.lower() != str(v).lower():
                return False
        elif isinstance(v, (int, float)):
            try:
                if not math.isclose(float(text), v, rel_tol=1e-9):
                    return False
            except ValueError:
                return False
        elif text != str(v):
            return False
    return True


def log_options(low: float, high: float, default: float) -> list[float]:
    """1, 1.5, 2, 3, 4, 5, 7 per decade between low and high, plus the default itself."""
    options = {
        float(f"{m * 10.0**d:.6g}")
        for d in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
        for m in LOG_MANTISSAS
    }
    return sorted(v for v in options | {default} if low <= v <= high)


def hyperparameter_input(h: Hyperparameter, key: str, default: float, guard: UrlGuard) -> float:
    """A slider for one hyperparameter: log-spaced values where the spec says log."""
    label = f"{h.symbol} ({h.name}): {h.doc}"
    if h.log:
        options = log_options(h.low, h.high, default)
        value = st.select_slider(label, options, value=default, key=key, bind="query-params", format_func=_plain)
        guard.check(key, value, f"one of {_plain(options[0])} … {_plain(options[-1])}")
        return value
    step = 10.0 ** math.floor(math.log10((h.high - h.low) / 100))
    digits = max(0, -math.floor(math.log10(step)))
    value = st.slider(
        label, float(h.low), float(h.high), float(default), step, format=f"%.{digits}f", key=key, bind="query-params"
    )
    guard.check(key, value, f"a number in [{h.low:g}, {h.high:g}]")
    return value


# --- the race's controls -------------------------------------------------------------------------


@dataclass(frozen=True)
class Racer:
    key: str  # "rmsprop", or "rmsprop2" for a second one
    optimizer: str
    settings: tuple[tuple[str, float | bool], ...]  # hashable, for the cache

    @property
    def label(self) -> str:
        return racer_label(self.key)


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


CUSTOM = "custom"
DEFAULT_FORMULA = "x**4/4 - x**2 + 2*y**2"


def _surface_title(name: str) -> str:
    return SURFACES[name].title if name in SURFACES else "Your own formula"


def _on_surface_change() -> None:
    """A new surface starts from its own first picture: its start, steps and suggested settings."""
    for key in [k for k in st.session_state if "." in k or k == "steps"]:
        del st.session_state[key]
    name = st.session_state["surface"]
    surface = SURFACES[name] if name != CUSTOM else _typed_surface(st.session_state.get("formula", DEFAULT_FORMULA))
    st.session_state["x0"], st.session_state["y0"] = map(float, surface.starts[0])


def _typed_surface(text: str) -> Surface:
    """The typed formula's surface, or the default formula's while the text is not a usable formula."""
    try:
        return Surface.from_expression(text)
    except ExpressionError:
        return Surface.from_expression(DEFAULT_FORMULA)


def _formula_input(guard: UrlGuard) -> tuple[str, Surface]:
    """The formula box: a bad formula is explained under it and the last good one stays in use."""
    text = st.text_input("f(x, y) =", DEFAULT_FORMULA, key="formula", bind="query-params", max_chars=500,
                         help="Numbers, x, y, pi, e, + - * / **, and sin cos tan exp log sqrt abs tanh sinh cosh "
                         "arctan min max.")  # fmt: skip
    guard.check("formula", text, "a formula")
    try:
        surface = Surface.from_expression(text)
        st.session_state["_good_formula"] = text
        return text, surface
    except ExpressionError as error:
        good = st.session_state.get("_good_formula", DEFAULT_FORMULA)
        st.error(f"{error}. Still showing f = {good}.")
        return good, Surface.from_expression(good)


def race_controls(guard: UrlGuard) -> RaceConfig:
    """The sidebar of the race page."""
    sb = st.sidebar
    with sb:
        names = [*SURFACES, CUSTOM]
        surface_name = st.selectbox(
            "Surface", names, key="surface", bind="query-params", on_change=_on_surface_change,
            format_func=_surface_title,
        )  # fmt: skip
        guard.check("surface", surface_name, "a surface of the catalog", shown=_surface_title)
        formula, surface_values = "", ()
        if surface_name == CUSTOM:
            formula, surface = _formula_input(guard)
        else:
            surface_values = _surface_params(SURFACES[surface_name], guard)
            surface = _surface(surface_name, surface_values)
        st.latex(surface.formula)

        chosen = st.multiselect(
            "Optimizers to race", RACERS, default=list(DEFAULT_RACERS), key="racers", bind="query-params",
            format_func=racer_label, help="Add an optimizer's #2 to race it against itself with other settings.",
        )  # fmt: skip
        guard.check("racers", chosen, "optimizer names", shown=racer_label)
        if not chosen:
            st.info("Pick at least one optimizer to race.")
        racers = tuple(_racer_settings(key, surface, guard) for key in chosen)

        steps = st.slider("Steps", 1, 1000, surface.steps, key="steps", bind="query-params")
        guard.check("steps", steps, "an integer in [1, 1000]")
        start = _start_inputs(surface, guard)
        noise = st.slider("Gradient noise σ", 0.0, 2.0, 0.0, 0.05, key="noise", bind="query-params")
        guard.check("noise", noise, "a number in [0, 2]")
        seed = st.number_input("Noise seed", 0, 2**31 - 1, 0, key="seed", bind="query-params", disabled=noise == 0)
        guard.check("seed", seed, f"an integer in [0, {2**31 - 1}]")
        backend, device = _backend_inputs(guard)
    return RaceConfig(
        surface_name, surface_values, formula, racers, start, int(steps), float(noise), int(seed), backend, device
    )


def _surface(name: str, values: tuple[tuple[str, float], ...], formula: str = "") -> Surface:
    if name == CUSTOM:
        return Surface.from_expression(formula)
    return SURFACES[name].with_params(**dict(values)) if values else SURFACES[name]


def _surface_params(surface: Surface, guard: UrlGuard) -> tuple[tuple[str, float], ...]:
    """Sliders for the surface's own parameters (the rotated bowl's angle, the quadratic's κ and θ)."""
    values = []
    for name, param in surface.params.items():
        key, label = f"{surface.name}.{name}", f"{name}: {param.doc}"
        if param.log:
            options = log_options(param.low, param.high, param.default)
            value = st.select_slider(
                label, options, value=param.default, key=key, bind="query-params", format_func=_plain
            )
        else:
            value = st.slider(label, param.low, param.high, param.default, 1.0, key=key, bind="query-params")
        guard.check(key, value, f"a number in [{param.low:g}, {param.high:g}]")
        values.append((name, float(value)))
    return tuple(values)


def _racer_settings(key: str, surface: Surface, guard: UrlGuard) -> Racer:
    name = optimizer_of(key)
    spec = OPTIMIZERS[name]
    # the surface's suggestion for a good first picture, else d2l's settings, else the optimizer's own
    defaults = {**spec.defaults, **RACE_DEFAULTS.get(name, {}), **surface.defaults.get(name, {})}
    with st.expander(f"{racer_label(key)} settings", expanded=False):
        settings = {
            h.name: hyperparameter_input(h, f"{key}.{h.name}", defaults[h.name], guard) for h in spec.hyperparameters
        }
        for option, default in spec.options.items():
            settings[option] = st.checkbox(option, default, key=f"{key}.{option}", bind="query-params")
            guard.check(f"{key}.{option}", settings[option], "true or false")
    return Racer(key, name, tuple(settings.items()))


def _start_inputs(surface: Surface, guard: UrlGuard) -> tuple[float, float]:
    default = tuple(map(float, surface.starts[0]))
    st.caption("Start point: type it, or click on the plot.")
    left, right = st.columns(2)
    x0 = left.number_input("x₀", value=default[0], key="x0", bind="query-params", format="%.3f")
    y0 = right.number_input("y₀", value=default[1], key="y0", bind="query-params", format="%.3f")
    guard.check("x0", x0, "a number")
    guard.check("y0", y0, "a number")
    (xa, xb), (ya, yb) = surface.domain
    span = max(xb - xa, yb - ya)
    if not (xa - span <= x0 <= xb + span and ya - span <= y0 <= yb + span):
        st.error(f"The start ({x0:g}, {y0:g}) is far outside the plot; using the surface's start {default}.")
        return default
    return (float(x0), float(y0))


def _backend_inputs(guard: UrlGuard) -> tuple[str, str]:
    backends = available_backends()
    backend = st.selectbox("Backend", backends, key="backend", bind="query-params")
    guard.check("backend", backend, " or ".join(backends))
    if backend == "numpy":
        if len(backends) == 1:
            st.caption("Install torch (requirements-torch.txt) for the torch backend.")
        return "numpy", "cpu"
    devices = available_devices()
    device = st.selectbox("Device", devices, key="device", bind="query-params")
    guard.check("device", device, " or ".join(devices))
    return backend, device


VIEWS = {"race": "Contour race", "panels": "One panel each", "3d": "3-D surface"}
DETAILS = {"progress": "Loss and distance", "rate": "Effective learning rate", "inspector": "Step inspector"}


def _segments(key: str, choices: dict[str, str], guard: UrlGuard) -> str:
    """A URL-bound segmented control over ``choices`` (name -> label); returns the chosen name.

    Only the chosen part of the page is drawn: every Plotly chart on a page delays the first one.
    """
    first = next(iter(choices))
    chosen = st.segmented_control(
        key, list(choices), default=first, format_func=choices.get, key=key, bind="query-params",
        label_visibility="collapsed",
    )  # fmt: skip
    guard.check(key, chosen, " or ".join(choices.values()), shown=choices.get)
    return chosen or first  # a click on the chosen segment deselects it: keep showing the first


def view_picker(guard: UrlGuard) -> str:
    """Which race chart to draw: the contour race, small multiples, or the surface in 3-D."""
    return _segments("view", VIEWS, guard)


def details_picker(guard: UrlGuard) -> str:
    """What to show under the race: loss and distance, the effective learning rates, or the step inspector."""
    return _segments("details", DETAILS, guard)


def pick_start_from_click() -> None:
    """on_select callback of the race chart: the clicked point becomes the start."""
    points = st.session_state["race_chart"]["selection"]["points"]
    if points:
        st.session_state["x0"], st.session_state["y0"] = float(points[0]["x"]), float(points[0]["y"])


# --- lecture presets and the step inspector ---------------------------------------------------

RESETTABLE = ("steps", "noise", "seed", "racers")


def preset_link(preset: Preset) -> str:
    """The query string that opens ``preset``, spelled as the bound widgets write their values."""
    return "?" + urlencode({"preset": preset.key, **race_query(preset.settings)}, doseq=True)


def _apply_preset(preset: Preset) -> None:
    """on_click: write the preset's values into the widgets; what it leaves out returns to its default."""
    for key in list(st.session_state):
        if key in RESETTABLE or "." in key:
            del st.session_state[key]
    surface = SURFACES[preset.settings["surface"]]
    st.session_state["x0"], st.session_state["y0"] = map(float, surface.starts[0])
    st.session_state.update(preset.settings)
    st.query_params["preset"] = preset.key


def preset_buttons() -> Preset | None:
    """Sidebar buttons, one per preset whose surface exists; returns the preset the view came from."""
    available = [p for p in PRESETS if p.settings["surface"] in SURFACES]
    with st.sidebar.expander("Lecture presets", expanded=False):
        for preset in available:
            st.button(preset.title, key=f"preset-{preset.key}", on_click=_apply_preset, args=(preset,), width="stretch")
    chosen = st.query_params.get("preset")
    return next((p for p in available if p.key == chosen), None)


def show_preset(preset: Preset) -> None:
    st.info(f"**{preset.title}.** {preset.caption} [Link to this preset]({preset_link(preset)})", icon="🎓")


def step_inspector(view: RaceView) -> None:
    """Pick a racer and a step: the update rule with its numbers, and the per-coordinate table."""
    st.subheader("Step inspector")
    labels = [r.label for r in view.racers]
    left, right = st.columns([1, 2])
    label = left.selectbox("Optimizer", labels, key="inspect")
    trajectory = view.trajectories[labels.index(label)]
    steps = len(trajectory.path) - 1
    k = right.slider("Step k", 1, steps, 1, key="k") if steps > 1 else 1
    for i, coordinate in enumerate(inspector.COORDINATES):
        st.caption(f"{coordinate} coordinate")
        for line in inspector.step_formula(trajectory, k, i):
            st.latex(line)
    rows = inspector.step_rows(trajectory, k)
    st.table([{key: _readable(value, 6) for key, value in row.items()} for row in rows], border="horizontal")


# --- cached computation ----------------------------------------------------------------------------


# How each chart of the race page is drawn from a RaceView; built on first use, then kept with the view.
CHART_BUILDERS = {
    "race": lambda v: figures.race_figure(v.surface, v.trajectories, v.styles, click_grid=40),
    "panels": lambda v: figures.race_figure(v.surface, v.trajectories, v.styles, panels=True),
    "3d": lambda v: figures.surface_3d_figure(v.surface, v.trajectories, v.styles),
    "loss": lambda v: figures.loss_figure(v.surface, v.trajectories, v.styles),
    "distance": lambda v: figures.distance_figure(v.surface, v.trajectories, v.styles),
    "rate": lambda v: figures.effective_lr_figure(v.trajectories, v.styles),
}


@dataclass(frozen=True)
class RaceView:
    surface: Surface
    racers: tuple[Racer, ...]
    trajectories: tuple[Trajectory, ...]
    styles: tuple[figures.Style, ...]
    table: list[dict]
    charts: dict[str, go.Figure] = field(default_factory=dict)

    def chart(self, name: str) -> go.Figure:
        """The named chart, built the first time any session asks (views are shared across sessions)."""
        if name not in self.charts:
            self.charts[name] = CHART_BUILDERS[name](self)
        return self.charts[name]


def _styles(racers: tuple[Racer, ...]) -> list[figures.Style]:
    return [figures.style(r.optimizer, r.label, int(r.key != r.optimizer)) for r in racers]


@st.cache_resource(max_entries=128, show_spinner="Racing…")
def race_view(config: RaceConfig) -> RaceView:
    """Run every racer once for every session that asks for the same view; charts come on demand."""
    surface = _surface(config.surface, config.surface_values, config.formula)
    trajectories = [
        rmsviz.run(
            r.optimizer, surface, start=config.start, steps=config.steps, noise=config.noise, seed=config.seed,
            backend=config.backend, device=config.device, record="all", **dict(r.settings),
        )
        for r in config.racers
    ]  # fmt: skip
    table = [
        {key: _readable(value) for key, value in metrics.summary_row(r.label, t, surface, TOLERANCE).items()}
        for r, t in zip(config.racers, trajectories, strict=True)
    ]
    return RaceView(surface, config.racers, tuple(trajectories), tuple(_styles(config.racers)), table)


def _readable(value, digits: int = 3) -> str:
    """A table cell: floats to a few significant digits (losses span many decades), a dash for nothing."""
    if value is None:
        return "—"
    return f"{value:.{digits}g}" if isinstance(value, float) else str(value)


def divergence_messages(view: RaceView) -> list[str]:
    """One sentence per diverged racer: who, when, and the likely cause."""
    messages = []
    for racer, t in zip(view.racers, view.trajectories, strict=True):
        if not t.diverged:
            continue
        settings = dict(racer.settings)
        if racer.optimizer == "rmsprop" and settings.get("gamma") == 1.0:
            cause = (
                "with γ = 1 the leaky average s never moves off 0, so every step is η·g/√ε: "
                "a thousand times the gradient"
            )
        elif racer.optimizer in ("sgd", "momentum"):
            cause = f"η = {settings['lr']:g} is too large for the steepest curvature here; each step overshoots more"
        else:
            cause = f"the steps grew without bound (η = {settings['lr']:g}); try a smaller η"
        messages.append(f"**{racer.label} diverged at step {t.diverged_at}**: {cause}. Its path stops there.")
    return messages


def code_for(config: RaceConfig) -> str:
    """The few lines of public API that reproduce the current view in a notebook."""
    surface = f'rmsviz.SURFACES["{config.surface}"]'
    if config.surface == CUSTOM:
        surface = f"rmsviz.Surface.from_expression({config.formula!r})"
    if config.surface_values:
        surface += f".with_params({', '.join(f'{k}={v:g}' for k, v in config.surface_values)})"
    lines = ["import rmsviz", "from rmsviz import figures", "", f"surface = {surface}"]
    lines.append("runs, styles = [], []")
    extra = (f", noise={config.noise:g}, seed={config.seed}" if config.noise else "") + (
        f', backend="{config.backend}"' if config.backend != "numpy" else ""
    )
    for racer, style in zip(config.racers, _styles(config.racers), strict=True):
        settings = ", ".join(f"{k}={v!r}" for k, v in racer.settings)
        start = f"({config.start[0]:g}, {config.start[1]:g})"
        lines.append(
            f'runs.append(rmsviz.run("{racer.optimizer}", surface, start={start}, steps={config.steps}, '
            f"{settings}{extra}))"
        )
        lines.append(
            f'styles.append(figures.style("{racer.optimizer}", "{style.label}", {int(style.dash != "solid")}))'
        )
    lines.append("figures.race_figure(surface, runs, styles).show()")
    return "\n".join(lines)


# --- the noise page --------------------------------------------------------------------------------

NOISY_RACERS = ("rmsprop", "adagrad", "sgd")


def url_slider(label: str, low, high, default, key: str, guard: UrlGuard, step=None, where=st):
    """A URL-bound slider whose rejected link values become a notice; ints stay ints."""
    value = where.slider(label, low, high, default, step, key=key, bind="query-params")
    guard.check(key, value, f"a number in [{low:g}, {high:g}]")
    return value


def optimizer_settings(name: str, prefix: str, defaults: dict, guard: UrlGuard) -> tuple[tuple[str, float | bool], ...]:
    """An expander of URL-bound inputs for one optimizer's hyperparameters and options, keyed
    ``prefix.name.hyperparameter``; ``defaults`` override the optimizer's own. Returns hashable settings."""
    spec = OPTIMIZERS[name]
    defaults = {**spec.defaults, **spec.options, **defaults}
    with st.expander(f"{spec.title} settings", expanded=False):
        settings = {
            h.name: hyperparameter_input(h, f"{prefix}.{name}.{h.name}", defaults[h.name], guard)
            for h in spec.hyperparameters
        }
        for option in spec.options:
            key = f"{prefix}.{name}.{option}"
            settings[option] = st.checkbox(option, defaults[option], key=key, bind="query-params")
            guard.check(key, settings[option], "true or false")
    return tuple(settings.items())


def sequence_input(guard: UrlGuard) -> tuple[float, ...]:
    """The minibatch gradients box: a bad list is explained under it and the last good one stays in use."""
    text = st.text_input(
        "Minibatch gradients, one period (comma-separated)", noise.format_sequence(noise.DEFAULT_SEQUENCE),
        key="sequence", bind="query-params", max_chars=10_000,
        help="The gradient of each minibatch in turn; the sequence repeats. The default is Hinton's: nine of "
        "0.1 and one of −0.9, so the full-batch gradient is 0.",
    )  # fmt: skip
    guard.check("sequence", text, "at most 10000 characters")
    try:
        sequence = noise.parse_sequence(text)
    except ValueError as error:
        good = st.session_state.get("_good_sequence", noise.DEFAULT_SEQUENCE)
        st.error(f"{error}. Still using {noise.format_sequence(good)}.")
        return good
    st.session_state["_good_sequence"] = sequence
    return sequence


def _title(name: str) -> str:
    return OPTIMIZERS[name].title


@st.cache_resource(max_entries=64, show_spinner="Running the minibatch example…")
def minibatch_view(sequence: tuple[float, ...], steps: int, racers: tuple) -> tuple[go.Figure, str]:
    """The weight chart and the sentence explaining it; ``racers`` holds (optimizer, settings) pairs."""
    weights = noise.minibatch_weights(sequence, steps, {name: dict(settings) for name, settings in racers})
    styles = [figures.style(name, _title(name)) for name in weights]
    return noise_figures.minibatch_figure(weights, styles), noise.minibatch_sentence(weights, sequence)


@st.cache_resource(max_entries=64, show_spinner="Running every seed…")
def noisy_view(config: noise.NoisyConfig) -> tuple[go.Figure, list[str]]:
    """The percentile-band chart and one sentence per optimizer that had runs diverge."""
    bands = noise.noisy_bands(config)
    styles = [figures.style(name, _title(name)) for name, _ in config.racers]
    gap = metrics.best_known_value(SURFACES[config.surface]) is not None
    messages = [
        f"{_title(name)}: {band.diverged} of {config.runs} runs diverged; they count as an infinite loss, and a "
        "percentile line stops where more runs than its share have diverged."
        for (name, _), band in zip(config.racers, bands, strict=True)
        if band.diverged
    ]
    return noise_figures.noisy_figure(bands, styles, gap), messages


def forget_settings(prefix: str) -> None:
    """on_change: drop the widget values under ``prefix.`` so the next run shows the new defaults."""
    for key in [k for k in st.session_state if k.startswith(prefix + ".")]:
        del st.session_state[key]


# --- the training page -------------------------------------------------------------------------------

TRAIN_RACERS = ("rmsprop", "sgd", "momentum", "rprop")
MAX_STORED_RUNS = 256


@st.cache_resource
def _checkpoints() -> tuple[OrderedDict, threading.Lock]:
    """The furthest checkpoint of each recent training run, shared by every session (least recently used
    dropped past MAX_STORED_RUNS). One entry per run, not per epoch: resuming needs only the latest."""
    return OrderedDict(), threading.Lock()


def _stored(run: train.TrainRun) -> train.Checkpoint | None:
    store, lock = _checkpoints()
    with lock:
        if run in store:
            store.move_to_end(run)
        return store.get(run)


def _store(run: train.TrainRun, checkpoint: train.Checkpoint) -> None:
    store, lock = _checkpoints()
    with lock:
        if run not in store or store[run].epoch < checkpoint.epoch:  # another session may have gone further
            store[run] = checkpoint
        store.move_to_end(run)
        while len(store) > MAX_STORED_RUNS:
            store.popitem(last=False)


def train_runs(runs: tuple[train.TrainRun, ...], epochs: int) -> list[train.Checkpoint]:
    """Each run trained to ``epochs``, resuming from its stored checkpoint, epoch by epoch under a progress bar.

    While there is training to do, a Stop button sits above the bar. Each finished epoch is stored before
    the bar moves; a click on Stop (or on any widget) reruns the script, and Streamlit interrupts the running
    one at its next call, the bar's update: nothing finished is lost, and the rerun that Stop started shows
    what is stored. Histories are cut to ``epochs`` (the stored parameters may be further on).
    """
    checkpoints = [_stored(run) or train.start(run) for run in runs]
    remaining = sum(max(0, epochs - c.epoch) for c in checkpoints)
    slot = st.empty()  # the Stop button, there only while training
    if remaining and slot.button("⏹ Stop training", key="stop", help="What has finished is kept."):
        slot.button("▶ Resume", key="resume")
        st.info(f"Stopped: showing the epochs that had finished, of {epochs}.", icon="⏹")
    elif remaining:
        bar, done = st.progress(0.0, text="Training…"), 0
        for i, run in enumerate(runs):
            while checkpoints[i].epoch < epochs:
                checkpoints[i] = train.next_epoch(run, checkpoints[i])
                _store(run, checkpoints[i])
                done += 1
                text = f"{_title(run.optimizer)}: epoch {checkpoints[i].epoch} of {epochs}"
                bar.progress(done / remaining, text=text)
        bar.empty()
        slot.empty()
    return [
        c._replace(history=c.history[: epochs + 1], diverged=c.diverged and len(c.history) <= epochs)
        for c in checkpoints
    ]


@st.cache_data(max_entries=32, show_spinner="Training the same RMSProp with torch.optim.RMSprop…")
def torch_comparison(run: train.TrainRun, epochs: int) -> train.TorchComparison:
    return train.torch_rmsprop(run, epochs)


def train_table(runs: tuple[train.TrainRun, ...], checkpoints: list[train.Checkpoint]) -> list[dict]:
    """The last epoch of each run, to a few digits; where a run diverged, when."""
    rows = []
    for run, checkpoint in zip(runs, checkpoints, strict=True):
        last = checkpoint.history[-1]
        rows.append(
            {
                "optimizer": _title(run.optimizer),
                "epochs": len(checkpoint.history) - 1,
                "train loss": _readable(last.train_loss),
                "test loss": _readable(last.test_loss),
                "train accuracy": f"{last.train_accuracy:.1%}",
                "test accuracy": f"{last.test_accuracy:.1%}",
                "diverged at epoch": len(checkpoint.history) if checkpoint.diverged else "—",
            }
        )
    return rows


# --- the γ decay page --------------------------------------------------------------------------------

DEFAULT_GAMMAS = "0.95, 0.9, 0.8, 0.7"  # d2l's figure


def gamma_list_input(guard: UrlGuard) -> tuple[float, ...]:
    """The γ list box: a bad entry is explained under it and the last good list stays in use."""
    text = st.text_input("γ values, comma-separated", DEFAULT_GAMMAS, key="gammas", bind="query-params")
    guard.check("gammas", text, "a list of γ")
    try:
        gammas = decay.parse_gammas(text)
    except ValueError as error:
        good = st.session_state.get("_good_gammas", decay.parse_gammas(DEFAULT_GAMMAS))
        st.error(f"{error}. Still showing γ = {', '.join(f'{g:g}' for g in good)}.")
        return good
    st.session_state["_good_gammas"] = gammas
    return gammas


# d2l's run: RMSProp from (−5, −2) on the elliptic surface, η = 0.4, γ = 0.9, 20 steps
D2L_RUN = {"run.surface": "elliptic", "run.x0": -5.0, "run.y0": -2.0, "run.steps": 20,
           "run.lr": 0.4, "run.gamma": 0.9, "run.eps": 1e-6}  # fmt: skip
# the race page's widget keys -> this page's: the race's RMSProp is the run dissected here
FROM_RACE = {"surface": "run.surface", "x0": "run.x0", "y0": "run.y0", "steps": "run.steps",
             "rmsprop.lr": "run.lr", "rmsprop.gamma": "run.gamma", "rmsprop.eps": "run.eps"}  # fmt: skip
RUN_STEPS = (2, 1000)


@dataclass(frozen=True)
class DecayRun:
    """The RMSProp run whose s_k the decay page takes apart: hashable, for the cache."""

    surface: str
    start: tuple[float, float]
    steps: int
    lr: float
    gamma: float
    eps: float


def _first_picture(surface: Surface) -> dict:
    """The race's first picture on ``surface`` as this page's widget values: its start and steps, and the
    RMSProp settings the race suggests there."""
    settings = {**OPTIMIZERS["rmsprop"].defaults, **RACE_DEFAULTS["rmsprop"], **surface.defaults.get("rmsprop", {})}
    x0, y0 = map(float, surface.starts[0])
    return {"run.surface": surface.name, "run.x0": x0, "run.y0": y0, "run.steps": surface.steps,
            **{f"run.{name}": settings[name] for name in ("lr", "gamma", "eps")}}  # fmt: skip


def _follow_the_race() -> None:
    """Take the race page's RMSProp when its settings changed since this page last took them. The race's
    widgets are bound to the URL, so Streamlit keeps on other pages those whose values differ from their
    defaults; the race's defaults on its surface fill in the rest."""
    race = {mine: st.session_state[theirs] for theirs, mine in FROM_RACE.items() if theirs in st.session_state}
    name = race.get("run.surface", next(iter(SURFACES)))  # the race's default surface is the catalog's first
    if not race or name not in SURFACES:  # nothing raced, or a typed formula: its runs stay on the race page
        return
    taken = {**_first_picture(SURFACES[name]), **race}
    taken["run.steps"] = min(max(int(taken["run.steps"]), RUN_STEPS[0]), RUN_STEPS[1])
    if taken != st.session_state.get("_race_taken"):
        st.session_state["_race_taken"] = taken
        st.session_state.update(taken)


def _on_run_surface_change() -> None:
    """A new surface starts from the race's first picture on it."""
    st.session_state.update(_first_picture(SURFACES[st.session_state["run.surface"]]))


def _current(key: str):
    """The widget's value so far, else d2l's: as the default, it keeps a select-slider's value among its options."""
    return st.session_state.get(key, D2L_RUN[key])


def decay_run_inputs(guard: UrlGuard) -> tuple[DecayRun, int]:
    """The RMSProp run the page takes apart and the step k to look at: the race page's RMSProp if this
    session raced one, else d2l's."""
    _follow_the_race()
    top, bottom = st.columns(4), st.columns(4)
    names = list(SURFACES)
    surface = top[0].selectbox(
        "Surface", names, names.index(D2L_RUN["run.surface"]), key="run.surface", bind="query-params",
        format_func=_surface_title, on_change=_on_run_surface_change,
    )  # fmt: skip
    guard.check("run.surface", surface, "a surface of the catalog", shown=_surface_title)
    x0 = top[1].number_input("x₀", value=_current("run.x0"), key="run.x0", bind="query-params", format="%.3f")
    y0 = top[2].number_input("y₀", value=_current("run.y0"), key="run.y0", bind="query-params", format="%.3f")
    guard.check("run.x0", x0, "a number")
    guard.check("run.y0", y0, "a number")
    steps = url_slider("Steps of the run", *RUN_STEPS, _current("run.steps"), "run.steps", guard, where=top[3])
    settings = {}
    for column, name in zip(bottom, ("lr", "gamma", "eps"), strict=False):  # the fourth column holds k
        with column:
            h = OPTIMIZERS["rmsprop"].hyperparameter(name)
            settings[name] = hyperparameter_input(h, f"run.{name}", _current(f"run.{name}"), guard)
    k = url_slider("Look at s_k for k =", 1, steps, steps, "k", guard, where=bottom[3])
    return DecayRun(surface, (float(x0), float(y0)), int(steps), **settings), int(k)


@st.cache_data(max_entries=64, show_spinner=False)
def decay_run(run: DecayRun) -> Trajectory:
    """The run with everything recorded: gradients and s for every step."""
    return rmsviz.run(
        "rmsprop", run.surface, start=run.start, steps=run.steps, lr=run.lr, gamma=run.gamma, eps=run.eps,
        record="all",
    )  # fmt: skip


# --- the sweep page ----------------------------------------------------------------------------------

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


def race_defaults(optimizer: str, surface: Surface) -> dict[str, float]:
    """The settings the race gives ``optimizer`` on ``surface``: the surface's suggestion, else d2l's, else its own."""
    return {**OPTIMIZERS[optimizer].defaults, **RACE_DEFAULTS.get(optimizer, {}), **surface.defaults.get(optimizer, {})}


def slider_step(h: Hyperparameter) -> float:
    """The step of a linear hyperparameter's slider: about a hundredth of its range, a power of ten."""
    return 10.0 ** math.floor(math.log10((h.high - h.low) / 100))


def race_value(h: Hyperparameter, value: float, default: float) -> float:
    """The value nearest to ``value`` that the race's control for ``h`` offers (``hyperparameter_input``):
    a link with any other value would be ignored there."""
    if h.log:
        options = np.asarray(log_options(h.low, h.high, default))
        return float(options[np.argmin(np.abs(np.log(options) - np.log(value)))])
    step = slider_step(h)
    return round(min(max(h.low + round((value - h.low) / step) * step, h.low), h.high), 12)


def race_query(settings: dict) -> dict[str, str | list[str]]:
    """Race-page widget values (keyed as its widgets) -> the query that opens them, spelled as the bound
    widgets write them: the surface's title, the racers' labels."""
    query = {}
    for key, value in settings.items():
        if key == "surface":
            query[key] = _surface_title(value)
        elif key == "racers":
            query[key] = [racer_label(r) for r in value]
        else:
            query[key] = str(value)
    return query


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
        value = st.select_slider(label, options, (options[0], options[-1]), key=key, bind="query-params",
                                 format_func=_plain)  # fmt: skip
        guard.check(key, value, f"two of {_plain(options[0])} … {_plain(options[-1])}")
    else:
        value = st.slider(label, float(h.low), float(h.high), (float(h.low), float(h.high)), slider_step(h), key=key,
                          bind="query-params")  # fmt: skip
        guard.check(key, value, f"two numbers in [{h.low:g}, {h.high:g}]")
    low, high = map(float, value)
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
    name = st.selectbox(f"{axis} axis", options, index, key=axis, bind="query-params", format_func=label)
    guard.check(axis, name, f"a hyperparameter of {spec.title}" + (f" other than {taken}" if taken else ""))
    h = spec.hyperparameter(name)
    cells = url_slider(f"{h.symbol} cells", 2, sweep.MAX_CELLS, 40, f"{axis}_cells", guard)
    return name, _range_input(h, guard), cells


def sweep_controls(guard: UrlGuard) -> tuple[SweepConfig, str]:
    """The sidebar of the sweep page, and the outcome to draw (picked above the chart)."""
    with st.sidebar:
        optimizer = st.selectbox(
            "Optimizer", list(SWEEP_AXES), key="optimizer", bind="query-params", format_func=_title,
            on_change=_on_sweep_optimizer_change, help="SGD has only η: sweep momentum with β from 0.",
        )  # fmt: skip
        guard.check("optimizer", optimizer, "an optimizer with two hyperparameters", shown=_title)
        names = list(SURFACES)
        surface = st.selectbox("Surface", names, key="sweep_surface", bind="query-params", format_func=_surface_title)
        guard.check("sweep_surface", surface, "a surface of the catalog", shown=_surface_title)
        st.latex(SURFACES[surface].formula)
        spec, (x_default, y_default) = OPTIMIZERS[optimizer], SWEEP_AXES[optimizer]
        x_name, x_range, x_cells = _axis_inputs(spec, "x", x_default, None, guard)
        y_name, y_range, y_cells = _axis_inputs(spec, "y", y_default, x_name, guard)
        steps = url_slider("Steps", 1, sweep.MAX_STEPS, 200, "sweep_steps", guard)
        starts = url_slider("Random starts (0: the surface's start)", 0, 16, 0, "random_starts", guard)
        st.caption("With random starts, each cell runs from that many points uniform over the plot and shows "
                   "the median.")  # fmt: skip
        backend, device = _backend_inputs(guard)
    outcome = _segments("outcome", SWEEP_OUTCOMES, guard)
    defaults = race_defaults(optimizer, SURFACES[surface])
    fixed = tuple((h.name, defaults[h.name]) for h in spec.hyperparameters if h.name not in (x_name, y_name))
    config = SweepConfig(optimizer, surface, x_name, x_range, int(x_cells), y_name, y_range, int(y_cells), int(steps),
                         int(starts), fixed, backend, device)  # fmt: skip
    return config, outcome


MAX_STORED_SWEEPS = 32


@st.cache_resource
def _sweeps() -> tuple[OrderedDict, threading.Lock, threading.Lock]:
    """Recent sweeps shared by every session (least recently used dropped past MAX_STORED_SWEEPS), the lock
    that guards them, and the lock that lets one sweep run at a time: one already uses both cores, and a class
    opening the same link waits for the first computation instead of repeating it. Not st.cache_data: a
    cached function cannot move a progress bar made outside it."""
    return OrderedDict(), threading.Lock(), threading.Lock()


def stored_sweep(config: SweepConfig) -> sweep.SweepResult | None:
    store, store_lock, _ = _sweeps()
    with store_lock:
        if config in store:
            store.move_to_end(config)
        return store.get(config)


def run_sweep(config: SweepConfig) -> sweep.SweepResult | None:
    """The sweep, computed under a progress bar unless stored; a sweep over the caps is a message, and None."""
    result = stored_sweep(config)
    if result is not None:
        return result
    store, store_lock, compute_lock = _sweeps()
    spec = OPTIMIZERS[config.optimizer]
    x, y = spec.hyperparameter(config.x_name), spec.hyperparameter(config.y_name)
    bar = st.progress(0.0, text="Sweeping…")
    try:
        with compute_lock:
            result = stored_sweep(config)  # another session may have computed it while this one waited
            if result is None:
                result = sweep.sweep(
                    config.optimizer, config.surface, config.x_name,
                    sweep.grid_values(x, config.x_cells, *config.x_range), config.y_name,
                    sweep.grid_values(y, config.y_cells, *config.y_range), steps=config.steps,
                    random_starts=config.random_starts, fixed=dict(config.fixed), backend=config.backend,
                    device=config.device, on_progress=lambda fraction: bar.progress(fraction, text="Sweeping…"),
                )  # fmt: skip
    except ValueError as error:
        st.error(f"{error}.", icon="🧮")
        return None
    finally:
        bar.empty()
    with store_lock:
        store[config] = result
        while len(store) > MAX_STORED_SWEEPS:
            store.popitem(last=False)
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
