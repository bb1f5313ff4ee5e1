"""Train a model: the rmsviz optimizers on a small network and real data (scikit-learn's 8×8 digits)."""

import streamlit as st

from rmsviz import figures
from rmsviz.figures import train as train_figures
from rmsviz.optimizers import OPTIMIZERS
from rmsviz.ui import charts, tables, train_links, widgets
from rmsviz.ui import train as train_ui
from rmsviz.ui.language import gettext as _

st.title(_("Train a model"))
st.markdown(_(train_ui.INTRO))
notices = st.container()
guard = widgets.UrlGuard(train_links.PAGE)
config = train_ui.train_controls(guard)
st.caption(
    _("Model: {model}, {size} parameters; batches of {batch}; {epochs} epochs.").format(
        model=train_ui.model_title(config.model),
        size=config.model.size,
        batch=train_ui.batch_words(config.batch_size),
        epochs=config.epochs,
    )
)
if not config.runs:
    guard.show(notices)
    st.info(_("Pick at least one optimizer."))
    st.stop()

checkpoints = train_ui.train_runs(config.runs, config.epochs, config.compare)
for message in train_ui.divergence_messages(config, checkpoints):
    st.error(message, icon=":material/error:")
if config.batch_size and any(run.optimizer == "rprop" for run in config.runs):
    st.caption(_(train_ui.RPROP_WITH_MINIBATCHES))
comparison = None
if config.compare:
    rmsprop = next(run for run in config.runs if run.optimizer == "rmsprop")
    comparison = train_ui.compare_with_torch(rmsprop, config.epochs)
styles = [figures.style(run.optimizer, OPTIMIZERS[run.optimizer].title) for run in config.runs]
chart = train_figures.training_figure(
    [c.history for c in checkpoints], styles, comparison.torch_history if comparison else None, _
)
charts.draw(chart, train_links.CHART)
tables.table(train_ui.train_table(config.runs, checkpoints))
if comparison:
    st.markdown(train_ui.comparison_sentence(config, comparison))
guard.show(notices)  # every URL-bound widget has been drawn: report what the link got wrong
