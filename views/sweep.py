"""Hyperparameter sweep: one outcome over a grid of two hyperparameters; a click races the cell."""

from functools import partial

import streamlit as st

from rmsviz.studies import sweep
from rmsviz.ui import charts, sweep_links, widgets
from rmsviz.ui import sweep as sweep_ui
from rmsviz.ui.language import gettext as _

st.title(_("Hyperparameter sweep"))
notices = st.container()
guard = widgets.UrlGuard(sweep_links.PAGE, sweep_links.unused)
st.markdown(
    _(
        "Every cell is a run of the optimizer with the two hyperparameters at the cell's values (the others as the "
        "race starts them), all cells computed together. Red cells diverged; a star marks the best. "
        "**Click a cell to race it.**"
    )
)
config, outcome = sweep_ui.sweep_controls(guard)
result = sweep_ui.run_sweep(config)
if result is not None and outcome == "steps" and result.steps_to_tolerance is None:
    st.info(_("This surface lists no minimum, so there is no tolerance to reach: showing the final loss."))
    outcome = "gap"
if result is not None:
    charts.draw(
        sweep_ui.sweep_chart(config, outcome, result), sweep_links.CHART, svg_name="rmsviz-sweep",
        on_select=partial(sweep_ui.remember_clicked_cell, config), selection_mode="points",
        words=sweep_ui.sweep_words(config, outcome, result),
    )  # fmt: skip
    best = sweep.best_cell(result, outcome)
    if best is not None:
        label, query = sweep_ui.cell_race_link(config, result, *best)
        st.button(
            _("{race}: the best cell").format(race=label),
            key=sweep_links.RACE_BEST,
            icon=":material/sports_score:",
            on_click=sweep_ui.race_cell,
            args=(query,),
        )
    sweep_ui.open_clicked_cell()
    if result.diverged_fraction.any():
        st.caption(
            _(
                "{share} of all runs diverged: their point overflowed or turned non-finite, and the run stopped "
                "there. A cell is red when at least half its starts diverged."
            ).format(share=f"{result.diverged_fraction.mean():.1%}")
        )
guard.show(notices)  # every URL-bound widget has been drawn: report what the link got wrong
