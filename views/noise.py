"""Noisy gradients: Hinton's minibatch example (why Rprop fails with minibatches) and noisy runs on a surface."""

import streamlit as st

from rmsviz import noise
from rmsviz.optimizers import OPTIMIZERS
from rmsviz.surfaces import SURFACES
from rmsviz.ui import noise as noise_ui
from rmsviz.ui import widgets
from rmsviz.ui.race_settings import race_defaults

st.title("Noisy gradients")
notices = st.container()
guard = widgets.UrlGuard()

st.header("Rprop and minibatches")
st.markdown(
    "One weight, and a repeating sequence of minibatch gradients that sum to zero: the full-batch gradient says "
    "*stay*. Rprop uses only each gradient's sign, so it follows the many small gradients and ignores the size "
    "of the one large one; RMSProp keeps the sizes, scaled by a leaky average of g². That is why RMSProp is "
    "*Rprop for minibatches* (Hinton, lecture 6e)."
)
left, right = st.columns([3, 1])
with left:
    sequence = noise_ui.sequence_input(guard)
steps = widgets.url_slider("Steps", 10, 1000, 100, "mb_steps", guard, where=right)
columns = st.columns(len(noise.MINIBATCH_OPTIMIZERS))
racers = []
for name, column in zip(noise.MINIBATCH_OPTIMIZERS, columns, strict=True):
    with column:
        racers.append((name, widgets.optimizer_settings(name, f"mb.{name}", {"lr": 0.01}, guard)))
figure, sentence = noise_ui.minibatch_view(sequence, steps, tuple(racers))
st.plotly_chart(figure, key="minibatch_chart", config={"displaylogo": False})
st.markdown(sentence)

st.header("Gaussian gradient noise on a surface")
st.markdown(
    "Every gradient gets N(0, σ²) noise per coordinate. Many seeds run at once from the surface's start; the "
    "line is the median loss over the runs and the shaded band holds the middle 80 %. Every optimizer sees the "
    "same noise."
)
left, middle, right = st.columns(3)
surface = left.selectbox(
    "Surface", list(SURFACES), key="noisy_surface", bind="query-params", format_func=lambda s: SURFACES[s].title,
    on_change=widgets.forget_settings, args=("noisy",),  # a new surface brings its own suggested settings
)  # fmt: skip
guard.check("noisy_surface", surface, "a surface of the catalog", shown=lambda s: SURFACES[s].title)
chosen = middle.multiselect(
    "Optimizers", list(OPTIMIZERS), default=list(noise_ui.NOISY_RACERS), key="optimizers", bind="query-params",
    format_func=lambda name: OPTIMIZERS[name].title,
)  # fmt: skip
guard.check("optimizers", chosen, "optimizer names", shown=lambda name: OPTIMIZERS[name].title)
sigma = widgets.url_slider("Gradient noise σ", 0.0, 5.0, 1.0, "sigma", guard, step=0.05, where=right)
runs = widgets.url_slider("Runs (seeds)", 2, 1000, 100, "runs", guard, where=left)
noisy_steps = widgets.url_slider("Steps", 10, 2000, 200, "noisy_steps", guard, where=middle)
seed = right.number_input("Seed", 0, 2**31 - 1, 0, key="noisy_seed", bind="query-params")
guard.check("noisy_seed", seed, f"an integer in [0, {2**31 - 1}]")
if chosen:
    settings = []
    for name, column in zip(chosen, st.columns(len(chosen)), strict=True):
        with column:
            defaults = race_defaults(name, SURFACES[surface])  # what the race starts this optimizer with here
            settings.append((name, widgets.optimizer_settings(name, f"noisy.{name}", defaults, guard)))
    config = noise.NoisyConfig(surface, tuple(settings), float(sigma), int(runs), int(noisy_steps), int(seed))
    figure, messages = noise_ui.noisy_view(config)
    for message in messages:
        st.warning(message, icon=":material/error:")
    st.plotly_chart(figure, key="noisy_chart", config={"displaylogo": False})
else:
    st.info("Pick at least one optimizer.")
guard.show(notices)  # every URL-bound widget has been drawn: report what the link got wrong
