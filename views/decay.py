"""γ decay weights: how RMSProp's leaky average forgets, and what s_k is made of in a real run."""

import math

import streamlit as st

import rmsviz
from rmsviz import decay, decay_figures
from rmsviz.ui import decay as decay_ui
from rmsviz.ui import widgets

st.title("γ decay weights")
notices = st.container()
guard = widgets.UrlGuard()
st.markdown(
    r"RMSProp keeps a *leaky average* of squared gradients, $s_t = \gamma s_{t-1} + (1 - \gamma) g_t^2$. Unrolled, "
    r"the squared gradient $t$ steps back gets the weight $(1 - \gamma)\gamma^t$: the weights add up to 1, the "
    r"average remembers about $1/(1 - \gamma)$ steps, and a weight halves every $\ln \frac12 / \ln \gamma$ steps."
)
left, right = st.columns([3, 1])
with left:
    gammas = decay_ui.gamma_list_input(guard)
with right:
    horizon = st.slider("Horizon (steps back)", 5, 200, 40, key="horizon", bind="query-params")
    guard.check("horizon", horizon, "an integer in [5, 200]")
st.plotly_chart(decay_figures.weights_figure(gammas, horizon), key="decay_weights")
st.table(
    [
        {
            "γ": f"{g:g}",
            "window 1/(1 − γ)": f"{decay.effective_window(g):.3g}",
            "half-life": f"{decay.half_life(g):.3g}",
        }
        for g in gammas
    ],
    border="horizontal",
)

st.subheader("Inside a run: what $s_k$ is made of")
st.caption("The race page's RMSProp, if you raced one in this session; otherwise d2l's run.")
config, k = decay_ui.decay_run_inputs(guard)
run = decay_ui.decay_run(config)
surface = rmsviz.SURFACES[config.surface]
# a diverged run stands frozen from diverged_at on: the steps after it add nothing to look at
shown = min(k, int(run.diverged_at)) if run.diverged else k
stopped = f" The run diverged at step {run.diverged_at}; the chart stops there." if run.diverged else ""
if config.gamma == 1.0:
    st.warning(
        "With γ = 1 (d2l exercise 1) the leaky average never takes in a gradient: s stays at its initial 0, so "
        f"every step is η·g/√ε, {round(1 / math.sqrt(config.eps), 1):,g} times η·g."
        + (stopped or " This run has not diverged yet."),
        icon=":material/warning:",
    )
else:
    st.caption(
        f"RMSProp with η = {config.lr:g}, γ = {config.gamma:g} on {surface.title} from {config.start}. "
        f"$s_{{{shown}}} = \\sum_j (1 - \\gamma)\\gamma^{{{shown} - j}} g_j^2$: a weighted average of the squared "
        "gradients in which the last "
        f"~{decay.effective_window(config.gamma):.3g} steps (shaded) carry most of the weight."
    )
    if stopped:
        st.error(stopped.strip(), icon=":material/error:")
st.plotly_chart(decay_figures.state_figure(run.grads, run.state["s"], config.gamma, shown), key="decay_state")
guard.show(notices)
