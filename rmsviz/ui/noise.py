"""The noise page: the controls of its two comparisons, and their views cached across sessions."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from rmsviz import figures, metrics
from rmsviz.figures import noise as noise_figures
from rmsviz.i18n import N_, translator
from rmsviz.optimizers import OPTIMIZERS
from rmsviz.studies import budget, noise
from rmsviz.studies.race import race_defaults
from rmsviz.surfaces import SURFACES
from rmsviz.ui import keys, language, noise_links
from rmsviz.ui.language import gettext as _
from rmsviz.ui.race_settings import surface_title
from rmsviz.ui.widgets import (
    UrlGuard,
    last_good_text,
    optimizer_settings,
    optimizer_title,
    url_multiselect,
    url_number,
    url_selectbox,
    url_slider,
)

NOISY_RACERS = ("rmsprop", "adagrad", "sgd")
# Said of any sequence typed into the box: what happens with this one is the sentence under the chart.
MINIBATCH_INTRO = N_(
    "One weight, and a repeating sequence of minibatch gradients. Hinton's, the default, is nine of 0.1 and one "
    "of −0.9: they sum to zero, so the full-batch gradient says *stay*. Rprop uses only each gradient's sign, so "
    "a large gradient counts no more than a small one; RMSProp keeps the sizes, scaled by a leaky average of g². "
    "That is why RMSProp is *Rprop for minibatches* (Hinton, lecture 6e)."
)
RPROP_VARIANTS_INTRO = N_(
    "Two kinds of Rprop. The source (Hinton's lecture, sources/002) tells this example with the simple sign-based "
    "Rprop: every step moves by its step size Δ, and a sign change only shrinks Δ. rmsviz's Rprop is torch.optim's "
    "iRprop− unless its *skip_on_flip* switch is off: where the sign changes it shrinks Δ and skips the step. "
    "Here a positive gradient moves w down (the source tells the same drift upwards)."
)
NOISY_INTRO = N_(
    "Every gradient gets N(0, σ²) noise per coordinate. Many seeds run at once from the surface's start; the "
    "line is the median loss over the runs and the shaded band holds the middle 80 %. Every optimizer sees the "
    "same noise."
)


@dataclass(frozen=True)
class MinibatchConfig:
    """Hinton's minibatch example as the page's controls set it: hashable, for the cache."""

    sequence: tuple[float, ...]
    steps: int
    racers: tuple  # (optimizer, settings) pairs


def minibatch_controls(guard: UrlGuard) -> MinibatchConfig:
    """The minibatch gradients box (a bad list is explained under it, the last good one stays in use),
    the steps, and one settings expander per optimizer."""
    left, right = st.columns([3, 1])
    sequence = last_good_text(
        _("Minibatch gradients, one period (comma-separated)"), noise.format_sequence(noise.DEFAULT_SEQUENCE),
        noise_links.SEQUENCE, guard, noise.parse_sequence, lambda good: _("Still using {good}").format(good=good),
        where=left, max_chars=10_000,
        help=_("The gradient of each minibatch in turn; the sequence repeats. The default is Hinton's: nine of "
               "0.1 and one of −0.9, so the full-batch gradient is 0."),
    )  # fmt: skip
    steps = url_slider(_("Steps"), 10, 1000, 100, noise_links.MINIBATCH_STEPS, guard, where=right)
    racers = []
    for name, column in zip(noise.MINIBATCH_OPTIMIZERS, st.columns(len(noise.MINIBATCH_OPTIMIZERS)), strict=True):
        with column:
            racers.append((name, optimizer_settings(name, noise_links.minibatch_key(name), {"lr": 0.01}, guard)))
    return MinibatchConfig(sequence, steps, tuple(racers))


def _forget_noisy_settings() -> None:
    """on_change of the surface: its optimizers start from the settings the race suggests there."""
    keys.forget(noise_links.PAGE, only=lambda key: key.startswith(noise_links.NOISY + "."))


def noisy_controls(guard: UrlGuard) -> noise.NoisyConfig | None:
    """The noisy-surface comparison's controls; None while no optimizer is picked."""
    left, middle, right = st.columns(3)
    surface = url_selectbox(
        _("Surface"), list(SURFACES), noise_links.SURFACE, guard, where=left, format_func=surface_title,
        allowed=_("a surface of the catalog"), on_change=_forget_noisy_settings,
    )  # fmt: skip
    chosen = url_multiselect(
        _("Optimizers"), list(OPTIMIZERS), list(NOISY_RACERS), noise_links.OPTIMIZERS_KEY, guard, where=middle,
        format_func=optimizer_title,
    )  # fmt: skip
    sigma = url_slider(_("Gradient noise σ"), 0.0, 5.0, 1.0, noise_links.SIGMA, guard, step=0.05, where=right)
    runs = url_slider(_("Runs (seeds)"), 2, 1000, 100, noise_links.RUNS, guard, where=left)
    steps = url_slider(_("Steps"), 10, 2000, 200, noise_links.NOISY_STEPS, guard, where=middle)
    seed = url_number(_("Seed"), 0, noise_links.NOISY_SEED, guard, 0, 2**31 - 1, where=right)
    if not chosen:
        return None
    steps = _within_budget(len(chosen), runs, steps)
    settings = []
    for name, column in zip(chosen, st.columns(len(chosen)), strict=True):
        with column:
            defaults = race_defaults(name, SURFACES[surface])  # what the race starts this optimizer with here
            settings.append((name, optimizer_settings(name, noise_links.noisy_key(name), defaults, guard)))
    return noise.NoisyConfig(surface, tuple(settings), float(sigma), runs, steps, seed)


def _within_budget(optimizers: int, runs: int, steps: int) -> int:
    """The steps the noisy runs may take (studies.budget: optimizers × seeds × steps), with a notice where they
    are fewer than asked."""
    allowed = budget.noisy_steps(optimizers, runs, steps)
    if allowed < steps:
        notice = _(
            "{optimizers} optimizer(s) × {runs} runs × {steps} steps is more than one page may compute on a server a "
            "class shares: each run takes {allowed} steps. Fewer optimizers or runs go further."
        )
        st.warning(notice.format(optimizers=optimizers, runs=runs, steps=steps, allowed=allowed),
                   icon=":material/timer:")  # fmt: skip
    return allowed


def minibatch_view(config: MinibatchConfig) -> tuple[go.Figure, str]:
    """The weight chart and the sentence explaining it, in the session's language."""
    with st.spinner(_("Running the minibatch example…")):
        return _minibatch_view(config, language.current())


@st.cache_resource(max_entries=64, show_spinner=False)
def _minibatch_weights(config: MinibatchConfig) -> dict:
    racers = {name: dict(settings) for name, settings in config.racers}
    return noise.minibatch_weights(config.sequence, config.steps, racers)


@st.cache_resource(max_entries=64, show_spinner=False)
def _minibatch_view(config: MinibatchConfig, lang: str) -> tuple[go.Figure, str]:
    """Cached per language, the runs by their settings alone (``_minibatch_weights``)."""
    weights, words = _minibatch_weights(config), translator(lang)
    styles = [figures.style(name, optimizer_title(name)) for name in weights]
    figure = noise_figures.minibatch_figure(weights, styles, words.gettext)
    return figure, noise.minibatch_sentence(weights, config.sequence, words)


def rprop_variants_view(config: MinibatchConfig) -> tuple[list[dict], str]:
    """Both kinds of Rprop on the minibatch sequence, with the page's Rprop settings: the table and its sentence,
    in the session's language."""
    with st.spinner(_("Running both kinds of Rprop…")):
        return _rprop_variants_view(config, language.current())


@st.cache_resource(max_entries=64, show_spinner=False)
def _rprop_variants(config: MinibatchConfig) -> list[dict]:
    return noise.rprop_variants(config.sequence, config.steps, dict(dict(config.racers)["rprop"]))


@st.cache_resource(max_entries=64, show_spinner=False)
def _rprop_variants_view(config: MinibatchConfig, lang: str) -> tuple[list[dict], str]:
    rows, gettext = _rprop_variants(config), translator(lang).gettext
    table = [
        {gettext(k): f"{v:.3g}" if isinstance(v, float) else gettext(v) if isinstance(v, str) else v
         for k, v in row.items()}
        for row in rows
    ]  # fmt: skip
    return table, noise.rprop_variants_sentence(rows, gettext)


def noisy_view(config: noise.NoisyConfig) -> tuple[go.Figure, list[str]]:
    """The percentile-band chart and one sentence per optimizer that had runs diverge, in the session's language."""
    with st.spinner(_("Running every seed…")):
        return _noisy_view(config, language.current())


@st.cache_resource(max_entries=64, show_spinner=False)
def _noisy_bands(config: noise.NoisyConfig) -> list[noise.Band]:
    return noise.noisy_bands(config)


@st.cache_resource(max_entries=64, show_spinner=False)
def _noisy_view(config: noise.NoisyConfig, lang: str) -> tuple[go.Figure, list[str]]:
    bands, gettext = _noisy_bands(config), translator(lang).gettext
    styles = [figures.style(name, optimizer_title(name)) for name, _settings in config.racers]
    gap = metrics.best_known_value(SURFACES[config.surface]) is not None
    diverged = gettext(
        "{name}: {diverged} of {runs} runs diverged; they count as an infinite loss, and a percentile line stops "
        "where more runs than its share have diverged."
    )
    messages = [
        diverged.format(name=optimizer_title(name), diverged=band.diverged, runs=config.runs)
        for (name, _settings), band in zip(config.racers, bands, strict=True)
        if band.diverged
    ]
    return noise_figures.noisy_figure(bands, styles, gap, gettext), messages


def adagrad_claim(config: noise.NoisyConfig) -> str | None:
    """Where "s grows linearly, the rate falls like 1/√t" holds, from Adagrad's runs, in the session's language;
    None without Adagrad."""
    settings = dict(config.racers).get("adagrad")
    if settings is None:
        return None
    growths = _adagrad_growths(config.surface, settings, config.sigma, config.steps, config.seed)
    return noise.adagrad_sentence(*growths, config.sigma, _)


@st.cache_resource(max_entries=64, show_spinner=False)
def _adagrad_growths(surface: str, settings: tuple, sigma: float, steps: int, seed: int) -> tuple:
    """Cached on what the claim depends on: the other racers' settings and the runs' count do not enter."""
    return noise.adagrad_growths(SURFACES[surface], dict(settings), sigma, steps, seed)
