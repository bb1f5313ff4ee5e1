"""Framework conventions: how PyTorch, Keras, TF1, optax, d2l and others name and compute RMSProp."""

import streamlit as st

from rmsviz.ui import conventions, export, keys, widgets

st.title("RMSProp across frameworks")
notices = st.container()
guard = widgets.UrlGuard(keys.CONVENTIONS)
st.markdown(conventions.INTRO)
st.table(conventions.table(), border="horizontal")

st.subheader("Race them: RMSProp as each framework ships it")
st.caption("d2l's bowl 0.1x² + 2y² from (−5, −2); one η for all, each framework's own decay, ε and ε placement.")
lr, steps = conventions.race_inputs(guard)
figure, rows = conventions.race(lr, steps)
export.chart(figure, "conv_chart")
st.table(rows, border="horizontal")

st.subheader("Translate settings")
st.table(conventions.translator(guard), border="horizontal")
guard.show(notices)  # every URL-bound widget has been drawn: report what the link got wrong
