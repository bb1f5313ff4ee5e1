"""rmsviz: the app's entry point. Page config and navigation only; the pages live in views/.

Not pages/: Streamlit also loads a folder of that name by itself, and a link straight
to a page (/noise) would then get Streamlit's automatic navigation instead of this one.
"""

import streamlit as st

# Before any page runs, in every session: what the pages would otherwise import lazily while 200
# sessions' threads run at once (a half-imported pandas reached other sessions). See its docstring.
from rmsviz.ui import (
    preload,  # noqa: F401 (imported for the modules it imports)
    theme,
)
from rmsviz.ui.language import gettext as _
from rmsviz.ui.language import picker
from rmsviz.ui.pages import PAGES

st.set_page_config(page_title=_("rmsviz: why RMSProp works"), page_icon="📉", layout="wide")
picker()  # the session's language, before the page draws a word
theme.page_style()  # the light or dark theme's rules for every page
pages = [st.Page(page.script, title=_(page.title), icon=page.icon, default=page.default) for page in PAGES]
st.navigation(pages).run()
