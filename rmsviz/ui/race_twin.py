"""The race's "What it sees" view (issue 26): the race beside the surface in a racer's own coordinates, on one
slider, with the condition numbers under it and what they say. Drawn only when picked; built once per race
and racer for every session."""

from __future__ import annotations

from typing import NamedTuple

import plotly.graph_objects as go
import streamlit as st

from rmsviz import preconditioning
from rmsviz.figures.preconditioned import condition_figure, twin_figure
from rmsviz.i18n import N_, translator
from rmsviz.ui import charts, language, race_links
from rmsviz.ui.language import gettext as _
from rmsviz.ui.race import BY_REPR, RaceView
from rmsviz.ui.race_controls import RaceConfig

EXPLAINED = N_(
    "Right: the surface as {label} sees it at the step the slider shows, in the coordinates z = P^(−½)x that "
    "its step sizes P = diag(p_x, p_y) make. In them a step x − P·g is plain gradient descent: where the "
    "contours are circles it runs straight at the middle. P stretches x and y only, so it can round an ellipse "
    "whose axes are x and y, but a tilted one stays tilted. The arrow is the step that led to the point shown."
)


class Twin(NamedTuple):
    """What the view shows of one racer: the race with its twin panel, the κ chart, and the numbers its sentence
    states (written in the session's language when shown)."""

    figure: go.Figure
    condition: go.Figure
    seen: preconditioning.Preconditioning


@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs=BY_REPR)
def _twin(config: RaceConfig, racer: str, lang: str, _view: RaceView) -> Twin | None:
    """Racer ``racer`` of ``_view`` (the view of ``config``, not part of the key) in its own coordinates, the charts'
    words in ``lang``; None where no step of its run has a rate to draw them with."""
    chosen = [r.key for r in _view.racers].index(racer)
    seen = preconditioning.preconditioning(_view.trajectories[chosen], _view.surface)
    if seen is None or not seen.known:
        return None
    style = _view.styles[chosen]
    gettext = translator(lang).gettext
    figure = twin_figure(_view.surface, list(_view.trajectories), list(_view.styles), chosen, seen, gettext)
    return Twin(figure, condition_figure(seen, style, gettext), seen)


def what_it_sees(view: RaceView, **race_options) -> None:
    """Pick a racer: the race with the surface in that racer's coordinates beside it, the condition numbers
    per step under it, and how far its step sizes bring κ down. ``race_options`` go to ``charts.draw`` with
    the race's figure, as they would with the race alone (its words for a screen reader)."""
    reasons = {preconditioning.no_preconditioner(spec) for spec in view.specs} - {""}
    seeing = [r for r, spec in zip(view.racers, view.specs, strict=True) if not preconditioning.no_preconditioner(spec)]
    for reason in sorted(reasons):
        st.caption(_(reason))  # the optimizer's own words (meaning), marked for the catalogs
    if not seeing:
        return
    labels = {r.label: r.key for r in seeing}
    label = st.selectbox(_("Whose coordinates"), list(labels), key=race_links.SEEN)
    with st.spinner(_("Mapping the race…")):
        twin = _twin(view.config, labels[label], language.current(), view)
    if twin is None:
        notice = _("No step of {label}'s run has a rate to draw its coordinates with.").format(label=label)
        st.info(notice, icon=":material/info:")
        return
    st.caption(_(EXPLAINED).format(label=label))
    charts.draw(twin.figure, race_links.chart_key("twin"), config={"scrollZoom": True}, **race_options)
    st.markdown(preconditioning.summary(twin.seen, label, _))
    charts.draw(twin.condition, race_links.chart_key("condition"))
