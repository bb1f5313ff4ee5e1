"""rmsviz: the app's entry point. Page config and navigation only; the pages live in views/.

Not pages/: Streamlit also loads a folder of that name by itself, and a link straight
to a page (/noise) would then get Streamlit's automatic navigation instead of this one.
"""

import streamlit as st

# Before any page runs, in every session: what the pages would otherwise import lazily while 200
# sessions' threads run at once (a half-imported pandas reached other sessions). See its docstring.
import rmsviz.ui.preload  # noqa: F401

st.set_page_config(page_title="rmsviz: why RMSProp works", page_icon="📉", layout="wide")
st.navigation(
    [
        st.Page("views/race.py", title="Optimizer race", icon=":material/sports_score:", default=True),
        st.Page("views/decay.py", title="γ decay weights", icon=":material/trending_down:"),
        st.Page("views/noise.py", title="Noisy gradients", icon=":material/casino:"),
        st.Page("views/train.py", title="Train a model", icon=":material/psychology:"),
        st.Page("views/sweep.py", title="Hyperparameter sweep", icon=":material/grid_on:"),
        st.Page("views/conventions.py", title="RMSProp across frameworks", icon=":material/translate:"),
    ]
).run()
