"""γ decay weights: how RMSProp's leaky average forgets, and what s_k is made of in a real run."""

import streamlit as st

from rmsviz.ui import charts, decay_links, tables, widgets
from rmsviz.ui import decay as decay_ui
from rmsviz.ui.language import gettext as _

st.title(_("γ decay weights"))
notices = st.container()
guard = widgets.UrlGuard(decay_links.PAGE)
st.markdown(decay_ui.intro())
left, right = st.columns([3, 1])
with left:
    gammas = decay_ui.gamma_list_input(guard)
horizon = widgets.url_slider(_("Horizon (steps back)"), 5, 200, 40, decay_links.HORIZON, guard, where=right)
weights = st.container()  # drawn once the run is known: while scrubbing, it holds the run's γ too
tables.table(decay_ui.gamma_table(gammas))

st.subheader(_("Inside a run: what $s_k$ is made of"))
st.caption(_("The race page's RMSProp, if you raced one in this session; otherwise d2l's run."))
config, k = decay_ui.decay_run_inputs(guard)
run = decay_ui.decay_run(config)
shown = decay_ui.shown_step(run, k)
scrubbed = decay_ui.gamma_scrub(config) if decay_ui.scrub_toggle(guard) else None
decay_ui.show_run_words(config, run, shown)
with weights:
    charts.draw(
        decay_ui.weights_chart(gammas, horizon, scrubbed), decay_links.WEIGHTS_CHART, svg_name="rmsviz-decay-weights"
    )
if scrubbed:
    decay_ui.scrub_controls(config, scrubbed)
state = decay_ui.scrub_chart(config, k, scrubbed) if scrubbed else decay_ui.state_chart(config, shown)
charts.draw(state, decay_links.STATE_CHART, svg_name="rmsviz-decay-state")
guard.show(notices)
