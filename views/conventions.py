"""Framework conventions: how PyTorch, Keras, TF1, optax, d2l and others name and compute RMSProp and Adagrad."""

import streamlit as st

from rmsviz.ui import charts, conventions, conventions_links, tables, widgets
from rmsviz.ui.language import gettext as _

st.title(_("RMSProp across frameworks"))
notices = st.container()
guard = widgets.UrlGuard(conventions_links.PAGE)
st.markdown(conventions.intro())
tables.table(conventions.table())

st.subheader(_("Race them: RMSProp as each framework ships it"))
st.caption(_("d2l's bowl 0.1x² + 2y² from (−5, −2); one η for all, each framework's own decay, ε and ε placement."))
lr, steps = conventions.race_inputs(guard)
figure, rows = conventions.race(lr, steps)
charts.draw(figure, conventions_links.CHART)
tables.table(rows)

st.subheader(_("Their momentum and centered forms"))
st.caption(_("Raced with the η and steps above, each form with its framework's defaults, its μ and ε where that "
             "form puts it. At one constant η a buffer that keeps η inside it and one that keeps it outside take "
             "the same steps; under a schedule they part."))  # fmt: skip
tables.table(conventions.form_race(lr, steps))

st.subheader(_("Adagrad, the same way"))
st.caption(_("s ← s + g², x ← x − η g / D: where s starts, and whether ε sits inside the root, outside it or "
             "nowhere, differ from framework to framework. Raced with the η and steps above."))  # fmt: skip
tables.table(conventions.adagrad_table())
figure, rows, left_out = conventions.adagrad_race(lr, steps)
charts.draw(figure, conventions_links.ADAGRAD_CHART)
tables.table(rows)
for line in left_out:
    st.caption(line)

st.subheader(_("Translate settings"))
tables.table(conventions.translator_table(guard))
guard.show(notices)  # every URL-bound widget has been drawn: report what the link got wrong
