"""γ decay weights: how RMSProp's leaky average forgets, and what s_k is made of in a real run."""

import streamlit as st

from rmsviz import decay, decay_figures, ui

st.title("γ decay weights")
notices = st.container()
guard = ui.UrlGuard()
st.markdown(
    "RMSProp keeps a *leaky average* of squared gradients, s_t = γ s_{t−1} + (1 − γ) g_t². Unrolled, the squared "
    "gradient t steps back gets the weight (1 − γ)γᵗ: the weights add up to 1, the average remembers about "
    "1/(1 − γ) steps, and a weight halves every ln ½ / ln γ steps."
)
left, right = st.columns([3, 1])
with left:
    gammas = ui.gamma_list_input(guard)
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

st.subheader("Inside a run: what s_k is made of")
lr, gamma, steps, k = ui.decay_run_inputs(guard)
run = ui.decay_run(lr, gamma, steps)
if gamma == 1.0:
    st.warning(
        "With γ = 1 (d2l exercise 1) the leaky average never takes in a gradient: s stays at its initial 0, so "
        "every step is η·g/√ε, a thousand times the gradient. "
        + (f"This run diverged at step {run.diverged_at}." if run.diverged else "This run has not diverged yet."),
        icon="⚠️",
    )
else:
    st.caption(
        f"RMSProp with η = {lr:g}, γ = {gamma:g} on 0.1x² + 2y² from (−5, −2). The red bars add up to s_{k}: "
        f"the last ~{decay.effective_window(gamma):.3g} squared gradients carry most of it."
    )
st.plotly_chart(decay_figures.state_figure(run, k), key="decay_state")
guard.show(notices)
