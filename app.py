"""rmsviz: the app's entry point. Page config and navigation only; the pages live in pages/."""

import streamlit as st

st.set_page_config(page_title="rmsviz: why RMSProp works", page_icon="📉", layout="wide")
st.navigation(
    [
        st.Page("pages/race.py", title="Optimizer race", icon="🏁", default=True),
        st.Page("pages/noise.py", title="Noisy gradients", icon="🎲"),
        st.Page("pages/train.py", title="Train a model", icon="🧠"),
    ]
).run()
