"""Every chart of the app is drawn through ``draw``: the toolbar's settings, and projector mode when the link
asks for it with ``?projector=true``."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from rmsviz.figures.style import chart_config, projector
from rmsviz.ui import keys

ON = ("true", "1", "yes", "on")


def projector_mode() -> bool:
    """Whether this session shows charts for a projector. The link decides, on the session's first run:
    moving to another page drops the query string, the session keeps the choice."""
    if keys.PROJECTOR_STATE not in st.session_state:
        st.session_state[keys.PROJECTOR_STATE] = st.query_params.get(keys.PROJECTOR, "").lower() in ON
    return st.session_state[keys.PROJECTOR_STATE]


def draw(figure: go.Figure, key: str, svg_name: str | None = None, where=st, config: dict | None = None, **kwargs):
    """``st.plotly_chart`` for every chart of the app: one toolbar, the projector's sizes where asked,
    and with ``svg_name`` the toolbar's picture as an SVG at slide size."""
    drawn = _Drawn(figure, projected=projector_mode())
    return where.plotly_chart(drawn, key=key, config=chart_config(svg_name, **(config or {})), **kwargs)


class _Drawn(go.Figure):
    """What ``st.plotly_chart`` gets: a figure whose dict is made once, however many sessions draw it.

    Streamlit turns a figure into a dict with ``to_dict()``, a deep copy, on every draw, and the
    projector's copy is a deeper one still; the views' figures are cached and shared, and never change
    once built. So each dict (as it is, and for a projector) is made once and kept on the figure itself.
    """

    def __init__(self, figure: go.Figure, projected: bool):
        # No go.Figure.__init__: it would build an empty layout with plotly's default template, a deep
        # copy of about 5 ms, on every draw of every session. Streamlit only checks that this is a figure
        # and calls to_dict().
        name = "_projector_spec" if projected else "_drawn_spec"
        spec = getattr(figure, name, None)
        if spec is None:  # two sessions may build it at once: the same dict, either is kept
            spec = (projector(figure) if projected else figure).to_dict()
            setattr(figure, name, spec)
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec
