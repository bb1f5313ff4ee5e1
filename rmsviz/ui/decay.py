"""The γ decay page: the γ list box, and the RMSProp run whose s_k it takes apart (the race's, if this
session raced one). Scrub mode: both charts hold the run's γ at every value its slider offers (one batched run),
and the range box (ui.scrub) shows the one under the hand in the browser."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from rmsviz import engine
from rmsviz.figures import decay as decay_figures
from rmsviz.i18n import N_, translator
from rmsviz.optimizers import OPTIMIZERS
from rmsviz.studies import decay
from rmsviz.studies.race import race_defaults
from rmsviz.surfaces import SURFACES, Surface
from rmsviz.trajectory import Trajectory
from rmsviz.ui import language, race_links, scrub
from rmsviz.ui.decay_links import GAMMAS, SCRUB, K, run_key
from rmsviz.ui.language import gettext as _
from rmsviz.ui.race_settings import surface_title
from rmsviz.ui.widgets import (
    UrlGuard,
    hyperparameter_input,
    last_good_text,
    slider_options,
    start_inputs,
    url_selectbox,
    url_slider,
    url_switch,
)

DEFAULT_GAMMAS = "0.95, 0.9, 0.8, 0.7"  # d2l's figure
# d2l (sources/004) says the weights' half-life is γ⁻¹ observations: at γ = 0.9 that is 1.11 steps, yet a weight
# needs ln ½ / ln γ = 6.58 steps to halve. The page shows both, from decay.half_life.
HALF_LIFE_ERRATUM = N_(
    "**d2l's half-life is wrong.** The chapter says the weights have a half-life of γ⁻¹ observations: at γ = 0.9 "
    "that is {wrong} steps. A weight γᵗ halves when γᵗ = ½, after ln ½ / ln γ = {right} steps at γ = 0.9. γ⁻¹ "
    "is the factor by which a weight grows from one step back to the next, not a number of steps; the window the "
    "chapter uses elsewhere is 1/(1 − γ) = {window}. The table gives both half-lives."
)
INTRO = N_(
    r"RMSProp keeps a *leaky average* of squared gradients, $s_t = \gamma s_{t-1} + (1 - \gamma) g_t^2$. Unrolled, "
    r"the squared gradient $t$ steps back gets the weight $(1 - \gamma)\gamma^t$. Over an endless past the weights "
    r"add up to 1, but $s$ starts at 0, so after $k$ steps they add up to $1 - \gamma^k$ (the run below states "
    r"its value): $s_k$ is an average only once $\gamma^k$ is small. The average remembers about "
    r"$1/(1 - \gamma)$ steps, and a weight halves every $\ln \frac12 / \ln \gamma$ steps."
)


def intro(gettext: Callable[[str], str] = _) -> str:
    """The page's intro and d2l's half-life erratum, in the session's language (``gettext``)."""
    numbers = {"wrong": f"{1 / 0.9:.3g}", "right": f"{float(decay.half_life(0.9)):.3g}",
               "window": f"{float(decay.effective_window(0.9)):.3g}"}  # fmt: skip
    return gettext(INTRO) + "\n\n" + gettext(HALF_LIFE_ERRATUM).format(**numbers)


MAX_GAMMA_TEXT = 500


def gamma_list_input(guard: UrlGuard) -> tuple[float, ...]:
    """The γ list box: a bad entry is explained under it and the last good list stays in use."""
    return last_good_text(
        _("γ values, comma-separated"), DEFAULT_GAMMAS, GAMMAS, guard, decay.parse_gammas,
        lambda good: _("Still showing γ = {gammas}").format(gammas=good), max_chars=MAX_GAMMA_TEXT,
    )  # fmt: skip


# d2l's run: RMSProp from (−5, −2) on the elliptic surface, η = 0.4, γ = 0.9, 20 steps (by decay_links.RUN_FIELDS)
D2L_RUN = {"surface": "elliptic", "x0": -5.0, "y0": -2.0, "steps": 20, "lr": 0.4, "gamma": 0.9, "eps": 1e-6}
# the race page's widget keys (its codec's) -> the run's fields: the race's RMSProp is the run dissected here
FROM_RACE = {
    race_links.SURFACE: "surface", race_links.X0: "x0", race_links.Y0: "y0", race_links.STEPS: "steps",
    **{race_links.racer_key("rmsprop", name): name for name in ("lr", "gamma", "eps")},
}  # fmt: skip
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
    """The race's first picture on ``surface`` as the run's fields: its start and steps, and the RMSProp
    settings the race suggests there."""
    settings = race_defaults("rmsprop", surface)
    x0, y0 = map(float, surface.starts[0])
    return {"surface": surface.name, "x0": x0, "y0": y0, "steps": surface.steps,
            **{name: settings[name] for name in ("lr", "gamma", "eps")}}  # fmt: skip


def _show_run(fields: dict) -> None:
    """Set the run's widgets to ``fields``."""
    st.session_state.update({run_key(field): value for field, value in fields.items()})


def _follow_the_race() -> None:
    """Take the race page's RMSProp when its settings changed since this page last took them. The race's
    widgets are bound to the URL, so Streamlit keeps on other pages those whose values differ from their
    defaults; the race's defaults on its surface fill in the rest."""
    race = {mine: st.session_state[theirs] for theirs, mine in FROM_RACE.items() if theirs in st.session_state}
    name = race.get("surface", next(iter(SURFACES)))  # the race's default surface is the catalog's first
    if not race or name not in SURFACES:  # nothing raced, or a typed formula: its runs stay on the race page
        return
    taken = {**_first_picture(SURFACES[name]), **race}
    taken["steps"] = min(max(int(taken["steps"]), RUN_STEPS[0]), RUN_STEPS[1])
    if taken != st.session_state.get("_race_taken"):
        st.session_state["_race_taken"] = taken
        _show_run(taken)


def _on_run_surface_change() -> None:
    """A new surface starts from the race's first picture on it."""
    _show_run(_first_picture(SURFACES[st.session_state[run_key("surface")]]))


def _current(field: str):
    """The run's widget's value so far, else d2l's: as the default, it keeps a select-slider's value among its
    options."""
    return st.session_state.get(run_key(field), D2L_RUN[field])


def decay_run_inputs(guard: UrlGuard) -> tuple[DecayRun, int]:
    """The RMSProp run the page takes apart and the step k to look at: the race page's RMSProp if this
    session raced one, else d2l's."""
    _follow_the_race()
    top, bottom = st.columns(4), st.columns(4)
    names = list(SURFACES)
    surface = url_selectbox(
        _("Surface"), names, run_key("surface"), guard, where=top[0], format_func=surface_title,
        allowed=_("a surface of the catalog"), index=names.index(D2L_RUN["surface"]),
        on_change=_on_run_surface_change,
    )  # fmt: skip
    default = (_current("x0"), _current("y0"))
    start = start_inputs(SURFACES[surface], (run_key("x0"), run_key("y0")), default, guard, top[1:3])
    steps = url_slider(_("Steps of the run"), *RUN_STEPS, _current("steps"), run_key("steps"), guard, where=top[3])
    settings = {}
    for column, name in zip(bottom, ("lr", "gamma", "eps"), strict=False):  # the fourth column holds k
        with column:
            h = OPTIMIZERS["rmsprop"].hyperparameter(name)
            settings[name] = hyperparameter_input(h, run_key(name), _current(name), guard)
    k = url_slider(_("Look at $s_k$ for $k$ ="), 1, steps, steps, K, guard, where=bottom[3])
    return DecayRun(surface, start, int(steps), **settings), int(k)


@st.cache_resource(max_entries=64, show_spinner=False)
def decay_run(run: DecayRun) -> Trajectory:
    """The run with everything recorded: gradients and s for every step."""
    return engine.run(
        "rmsprop", run.surface, start=run.start, steps=run.steps, lr=run.lr, gamma=run.gamma, eps=run.eps,
        record="all",
    )  # fmt: skip


@dataclass(frozen=True)
class GammaScrub:
    """The run's γ scrubbed: the values its slider offers (the kept one among them), and the kept one's index."""

    values: tuple[float, ...]
    active: int


GAMMA = OPTIMIZERS["rmsprop"].hyperparameter("gamma")


def scrub_toggle(guard: UrlGuard) -> bool:
    """Whether the charts hold the run's γ at every value its slider offers, in the link."""
    return url_switch(
        _("Scrub γ on the charts"), SCRUB, guard, toggle=True,
        help=_("Both charts hold the run at every γ its slider offers: move the box under this switch with the "
               "arrow keys, or drag a chart's slider, and the curves follow with no wait. Keep makes a γ the run's."),
    )  # fmt: skip


def gamma_scrub(config: DecayRun) -> GammaScrub:
    """What the γ slider offers (ui.widgets.slider_options), and the run's γ, which it shows first."""
    values = sorted({*slider_options(GAMMA, config.gamma), config.gamma})
    return GammaScrub(tuple(values), values.index(config.gamma))


def scrub_controls(config: DecayRun, scrubbed: GammaScrub) -> None:
    """What the words say while scrubbing, and the range box with Keep (ui.scrub.box)."""
    st.caption(
        _("The charts show the γ under the slider; the words and numbers above them describe the kept γ = {gamma}.")
        .format(gamma=f"{config.gamma:g}")
    )  # fmt: skip
    label = _("γ of the run: the value shown")
    scrub.box((run_key("gamma"),), GAMMA.symbol, scrubbed.values, scrubbed.active, label)


@st.cache_resource(max_entries=16, show_spinner=False)
def decay_runs(run: DecayRun, gammas: tuple[float, ...]) -> Trajectory:
    """The run at each of ``gammas``: one batched run (the engine takes γ of shape (B,)), everything recorded."""
    return engine.run(
        "rmsprop", run.surface, start=run.start, steps=run.steps, lr=run.lr, gamma=np.asarray(gammas), eps=run.eps,
        record="all",
    )  # fmt: skip


# The charts, built once for every session that asks for the same ones: a figure rebuilt per rerun
# would also have its dict (ui.charts.draw) made again each time.
def weights_chart(gammas: tuple[float, ...], horizon: int, scrubbed: GammaScrub | None = None) -> go.Figure:
    """d2l's weights chart, in the session's language; with ``scrubbed``, one more curve: the run's γ."""
    return _weights_chart(gammas, horizon, scrubbed, language.current())


def state_chart(config: DecayRun, shown: int) -> go.Figure:
    """What s_k is made of, in the session's language (the run is cached by its settings alone)."""
    return _state_chart(config, shown, language.current())


def scrub_chart(config: DecayRun, k: int, scrubbed: GammaScrub) -> go.Figure:
    """What s_k is made of, at each γ of ``scrubbed``, in the session's language."""
    return _scrub_chart(config, k, scrubbed, language.current())


@st.cache_resource(max_entries=64, show_spinner=False)
def _weights_chart(gammas: tuple[float, ...], horizon: int, scrubbed: GammaScrub | None, lang: str) -> go.Figure:
    gettext = translator(lang).gettext
    if scrubbed is None:
        return decay_figures.weights_figure(decay.weight_curves(gammas, horizon), gettext)
    curves = decay.scrubbed_curves(gammas, scrubbed.values, horizon)
    return decay_figures.weights_scrub(curves, list(scrubbed.values), scrubbed.active, gettext)


@st.cache_resource(max_entries=16, show_spinner=False)
def _scrub_chart(config: DecayRun, k: int, scrubbed: GammaScrub, lang: str) -> go.Figure:
    runs = decay_runs(config, scrubbed.values)
    shown = np.where(runs.diverged, np.minimum(k, runs.diverged_at), k)  # shown_step, run by run
    parts = decay.batch_state_parts(runs.grads, runs.state["s"], scrubbed.values, shown)
    return decay_figures.state_scrub(parts, list(scrubbed.values), scrubbed.active, translator(lang).gettext)


@st.cache_resource(max_entries=64, show_spinner=False)
def _state_chart(config: DecayRun, shown: int, lang: str) -> go.Figure:
    run = decay_run(config)
    parts = decay.state_parts(run.grads, run.state["s"], config.gamma, shown)
    return decay_figures.state_figure(parts, translator(lang).gettext)


def gamma_table(gammas: tuple[float, ...]) -> list[dict]:
    return [
        {
            "γ": f"{g:g}",
            _("window 1/(1 − γ)"): f"{decay.effective_window(g):.3g}",
            _("half-life ln ½ / ln γ"): f"{decay.half_life(g):.3g}",
            _("d2l's γ⁻¹ (wrong)"): f"{1 / g:.3g}" if g else "∞",
        }
        for g in gammas
    ]


def shown_step(run: Trajectory, k: int) -> int:
    """The step k to take apart: a diverged run stands frozen from diverged_at on, and the steps after it
    add nothing to look at."""
    return min(k, int(run.diverged_at)) if run.diverged else k


def show_run_words(config: DecayRun, run: Trajectory, shown: int) -> None:
    """What the chart below shows, in words from the run: γ = 1's warning, or the weighted sum of s_k;
    where the run diverged, when."""
    stopped = _("The run diverged at step {step}; the chart stops there.").format(step=run.diverged_at)
    if config.gamma == 1.0:
        if run.diverged:
            warning = _(
                "With γ = 1 (d2l exercise 1) the leaky average never takes in a gradient: s stays at its initial 0, "
                "so every step is η·g/√ε, {times} times η·g. The run diverged at step {step}; the chart stops there."
            )
        else:
            warning = _(
                "With γ = 1 (d2l exercise 1) the leaky average never takes in a gradient: s stays at its initial 0, "
                "so every step is η·g/√ε, {times} times η·g. This run has not diverged yet."
            )
        times = f"{round(1 / math.sqrt(config.eps), 1):,g}"
        st.warning(warning.format(times=times, step=run.diverged_at), icon=":material/warning:")
        return
    caption = _(
        "RMSProp with η = {lr}, γ = {gamma} on {surface} from {start}. {formula}: a weighted sum of the squared "
        "gradients whose weights add up to {total_formula} = {total} (s starts at 0: it is an average once "
        "$\\gamma^k$ is small), in which the last ~{window} steps (shaded) carry most of the weight."
    )
    st.caption(
        caption.format(
            lr=f"{config.lr:g}", gamma=f"{config.gamma:g}", surface=SURFACES[config.surface].title,
            start=config.start, formula=f"$s_{{{shown}}} = \\sum_j (1 - \\gamma)\\gamma^{{{shown} - j}} g_j^2$",
            total_formula=f"$1 - \\gamma^{{{shown}}}$", total=f"{1 - config.gamma**shown:.3g}",
            window=f"{decay.effective_window(config.gamma):.3g}",
        )
    )  # fmt: skip
    if run.diverged:
        st.error(stopped, icon=":material/error:")
