"""Export and present: the race page's download buttons, and every chart of the app drawn through
``chart`` (the toolbar's settings, and projector mode when the link asks for it with ``?projector=true``).

A download is built only when its button is clicked (Streamlit runs a callable ``data`` then, on a thread
of its own) and once per race view for all sessions: the builders are cached on the ``RaceConfig``, as
the view itself is.
"""

from __future__ import annotations

from functools import partial

import plotly.graph_objects as go
import streamlit as st

from rmsviz import figures
from rmsviz.figures.style import chart_config, projector
from rmsviz.ui import keys, race
from rmsviz.ui.race_controls import RaceConfig

ON = ("true", "1", "yes", "on")
DOWNLOADS = (  # key, label, builder, file suffix, MIME type, help
    ("download_gif", "GIF", "gif", "image/gif", "The race as an animated GIF, for slides."),
    ("download_html", "HTML page", "html", "text/html", "The animated race as one page that plays offline."),
    ("download_csv", "CSV", "csv", "text/csv", "Every racer's run: step, point, loss, gradient, state, rate."),
    ("download_ipynb", "Notebook", "ipynb", "application/x-ipynb+json", "A Jupyter notebook that rebuilds this view."),
)


def projector_mode() -> bool:
    """Whether this session shows charts for a projector. The link decides, on the session's first run:
    moving to another page drops the query string, the session keeps the choice."""
    if keys.PROJECTOR_STATE not in st.session_state:
        st.session_state[keys.PROJECTOR_STATE] = st.query_params.get(keys.PROJECTOR, "").lower() in ON
    return st.session_state[keys.PROJECTOR_STATE]


def chart(figure: go.Figure, key: str, svg_name: str | None = None, where=st, config: dict | None = None, **kwargs):
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


def download_buttons(config: RaceConfig) -> None:
    """GIF, HTML, CSV and notebook of the race view, each built on its button's click."""
    builders = {"gif": race_gif, "html": race_html, "csv": race_csv, "ipynb": race_notebook}
    row = st.container(horizontal=True, gap="small", vertical_alignment="center")
    row.caption("Download the race:", width="content")
    for key, label, suffix, mime, help_text in DOWNLOADS:
        row.download_button(
            label, partial(builders[suffix], config), file_name=f"rmsviz-race-{config.surface}.{suffix}", mime=mime,
            key=key, help=help_text, on_click="ignore", icon=":material/download:",
        )  # fmt: skip


# Cached across sessions like the view; a handful of views, since a lecturer exports what the class sees.
cached = st.cache_resource(max_entries=8, show_spinner=False)


@cached
def race_gif(config: RaceConfig) -> bytes:
    view = race.race_view(config)
    return figures.race_gif(view.surface, view.trajectories, view.styles)


@cached
def race_html(config: RaceConfig) -> str:
    view = race.race_view(config)
    return figures.race_html(view.surface, view.trajectories, view.styles)


@cached
def race_csv(config: RaceConfig) -> str:
    view = race.race_view(config)
    return figures.race_csv(view.trajectories, [s.label for s in view.styles])


@cached
def race_notebook(config: RaceConfig) -> str:
    setup = race.code_for(config, draw=False)
    return figures.race_notebook(setup, f"Optimizer race: {race.race_view(config).surface.title}")
