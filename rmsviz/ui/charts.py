"""Every chart of the app is drawn through ``draw``: the toolbar's settings, projector mode when the link
asks for it with ``?projector=true``, the viewer's light or dark theme, and the chart in words for screen
readers (its accessible name, and its sentences, read by a screen reader and hidden from the eye)."""

from __future__ import annotations

from html import escape

import orjson
import plotly.graph_objects as go
import plotly.io
import streamlit as st

from rmsviz.figures.style import chart_config, projector
from rmsviz.figures.theme import THEMES, Theme, themed
from rmsviz.figures.words import ChartWords, describe
from rmsviz.i18n import translator
from rmsviz.ui import keys, language, theme

ON = ("true", "1", "yes", "on")


def projector_mode() -> bool:
    """Whether this session shows charts for a projector. The link decides, on the session's first run:
    moving to another page drops the query string, the session keeps the choice."""
    if keys.PROJECTOR_STATE not in st.session_state:
        st.session_state[keys.PROJECTOR_STATE] = st.query_params.get(keys.PROJECTOR, "").lower() in ON
    return st.session_state[keys.PROJECTOR_STATE]


def draw(
    figure: go.Figure,
    key: str,
    svg_name: str | None = None,
    where=st,
    config: dict | None = None,
    words: ChartWords | None = None,
    **kwargs,
):
    """``st.plotly_chart`` for every chart of the app: one toolbar, the projector's sizes where asked,
    with ``svg_name`` the toolbar's picture as an SVG at slide size, and the chart in ``words`` (by default
    read from the figure: ``figures.words.describe``) for screen readers."""
    drawn = _drawn(figure, projector_mode(), theme.viewer().name, language.current())
    words = words or drawn.words
    chart = where.plotly_chart(drawn, key=key, config=chart_config(svg_name, **(config or {})), alt=words.alt, **kwargs)
    if words.sentences:
        where.html(unseen(words.sentences))
    return chart


# Read by a screen reader, hidden from the eye, and taking no room: the element Streamlit wraps the words in
# leaves the page's flow (an absolutely placed box is no flex item, so no gap is kept for it either).
UNSEEN_STYLE = (
    "<style>[data-testid=stElementContainer]:has(.rmsviz-unseen), .rmsviz-unseen {position: absolute; "
    "width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip-path: inset(50%); "
    "white-space: nowrap; border: 0}</style>"
)


def unseen(sentences: tuple[str, ...]) -> str:
    """The HTML of ``sentences`` for screen readers only."""
    return UNSEEN_STYLE + '<div class="rmsviz-unseen">' + "".join(f"<p>{escape(s)}</p>" for s in sentences) + "</div>"


class _Drawn(go.Figure):
    """What ``st.plotly_chart`` gets: a figure whose dict is made once, however many sessions draw it.

    Streamlit turns a figure into a dict with ``to_dict()``, a deep copy, on every draw, and the
    projector's copy is a deeper one still. The dict is made when this is built and never changes; the
    figure it was made from is kept, and left as it was.
    """

    def __init__(self, figure: go.Figure, projected: bool, look: Theme, lang: str):
        # No go.Figure.__init__: it would build an empty layout with plotly's default template, a deep
        # copy of about 5 ms, on every draw of every session. Streamlit only checks that this is a figure
        # and calls to_dict().
        self._figure = figure
        shown = themed(figure, look)
        self._spec = _Written((projector(shown) if projected else shown).to_dict())
        self._words = describe(figure, translator(lang).gettext)

    @property
    def words(self) -> ChartWords:
        """The chart in words, read from the figure (``figures.words.describe``)."""
        return self._words

    def to_dict(self) -> dict:
        return self._spec


class _Written(dict):
    """A figure's dict whose JSON is written once: Streamlit writes the figure with ``plotly.io.to_json`` on every
    draw of every session (0.3 ms for the default race's chart, more with a scrub's frames). plotly asks what it
    writes for ``to_plotly_json`` first (Dash's protocol), and orjson, its engine, copies a ``Fragment`` as it is:
    the same text, written once (plotly escapes it again, which leaves it as it is)."""

    def __init__(self, spec: dict):
        super().__init__(spec)
        self._json = orjson.Fragment(plotly.io.to_json(self, validate=False))

    def to_plotly_json(self) -> orjson.Fragment:
        return self._json


# Keyed by the figure's identity (hashing a figure's content would cost what the dict saves): the entry
# holds the figure, so while it lives no other figure can take that id. A view's figures are cached and
# shared and never change once built; the one figure a page builds per run (the training chart) takes an
# entry per run, which the least recently used order drops first.
@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs={go.Figure: id})
def _drawn(figure: go.Figure, projected: bool, look: str, lang: str) -> _Drawn:
    """``figure`` as ``st.plotly_chart`` gets it in theme ``look``, its words in ``lang``, built once for every
    session under the cache's lock."""
    return _Drawn(figure, projected, THEMES[look], lang)
