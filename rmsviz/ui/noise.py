"""The noise page: the minibatch gradients box, and the cached minibatch and noisy-surface views."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from rmsviz import figures, metrics, noise, noise_figures
from rmsviz.surfaces import SURFACES
from rmsviz.ui.widgets import UrlGuard, optimizer_title

NOISY_RACERS = ("rmsprop", "adagrad", "sgd")


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


@st.cache_resource(max_entries=64, show_spinner="Running the minibatch example…")
def minibatch_view(sequence: tuple[float, ...], steps: int, racers: tuple) -> tuple[go.Figure, str]:
    """The weight chart and the sentence explaining it; ``racers`` holds (optimizer, settings) pairs."""
    weights = noise.minibatch_weights(sequence, steps, {name: dict(settings) for name, settings in racers})
    styles = [figures.style(name, optimizer_title(name)) for name in weights]
    return noise_figures.minibatch_figure(weights, styles), noise.minibatch_sentence(weights, sequence)


@st.cache_resource(max_entries=64, show_spinner="Running every seed…")
def noisy_view(config: noise.NoisyConfig) -> tuple[go.Figure, list[str]]:
    """The percentile-band chart and one sentence per optimizer that had runs diverge."""
    bands = noise.noisy_bands(config)
    styles = [figures.style(name, optimizer_title(name)) for name, _ in config.racers]
    gap = metrics.best_known_value(SURFACES[config.surface]) is not None
    messages = [
        f"{optimizer_title(name)}: {band.diverged} of {config.runs} runs diverged; they count as an infinite loss, "
        "and a percentile line stops where more runs than its share have diverged."
        for (name, _), band in zip(config.racers, bands, strict=True)
        if band.diverged
    ]
    return noise_figures.noisy_figure(bands, styles, gap), messages
