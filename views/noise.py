"""Noisy gradients: Hinton's minibatch example (why Rprop fails with minibatches) and noisy runs on a surface."""

import streamlit as st

from rmsviz.ui import charts, noise_links, tables, widgets
from rmsviz.ui import noise as noise_ui
from rmsviz.ui.language import gettext as _

st.title(_("Noisy gradients"))
notices = st.container()
guard = widgets.UrlGuard(noise_links.PAGE)

st.header(_("Rprop and minibatches"))
st.markdown(_(noise_ui.MINIBATCH_INTRO))
minibatch = noise_ui.minibatch_controls(guard)
figure, sentence = noise_ui.minibatch_view(minibatch)
charts.draw(figure, noise_links.MINIBATCH_CHART, svg_name="rmsviz-minibatch")
st.markdown(sentence)
st.markdown(_(noise_ui.RPROP_VARIANTS_INTRO))
variants, why = noise_ui.rprop_variants_view(minibatch)
tables.table(variants)
st.markdown(why)

st.header(_("Gaussian gradient noise on a surface"))
st.markdown(_(noise_ui.NOISY_INTRO))
config = noise_ui.noisy_controls(guard)
if config:
    figure, messages = noise_ui.noisy_view(config)
    for message in messages:
        st.warning(message, icon=":material/error:")
    charts.draw(figure, noise_links.NOISY_CHART, svg_name="rmsviz-noisy-runs")
    claim = noise_ui.adagrad_claim(config)
    if claim:
        st.markdown(claim)
else:
    st.info(_("Pick at least one optimizer."))
guard.show(notices)  # every URL-bound widget has been drawn: report what the link got wrong
