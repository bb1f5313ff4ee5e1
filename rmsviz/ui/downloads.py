"""The race page's downloads: GIF, HTML page, CSV and notebook of the race view.

A download is built only when its button is clicked (Streamlit runs a callable ``data`` then, on a thread
of its own) and once per race view for all sessions: the builders are cached on the ``RaceConfig``, as
the view itself is.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from rmsviz import figures, files
from rmsviz.figures.theme import LIGHT, THEMES
from rmsviz.i18n import ENGLISH, N_, translator
from rmsviz.ui import language, race, race_links, theme
from rmsviz.ui.language import gettext as _
from rmsviz.ui.race_controls import RaceConfig

DOWNLOADS = (  # label (GIF, CSV: names), suffix (which also names the builder and the button's key), MIME type, help
    ("GIF", "gif", "image/gif", N_("The race as an animated GIF, for slides.")),
    (N_("HTML page"), "html", "text/html", N_("The animated race as one page that plays offline.")),
    ("CSV", "csv", "text/csv", N_("Every racer's run: step, point, loss, gradient, state, rate.")),
    (N_("Notebook"), "ipynb", "application/x-ipynb+json", N_("A Jupyter notebook that rebuilds this view.")),
)


def download_buttons(config: RaceConfig) -> None:
    """GIF, HTML, CSV and notebook of the race view, each built on its button's click; the GIF in the viewer's
    theme, light or dark."""
    builders = {
        "gif": partial(race_gif, look=theme.viewer().name, lang=language.current()),
        "html": partial(race_html, lang=language.current()),
        "csv": race_csv,
        "ipynb": partial(race_notebook, lang=language.current()),
    }
    row = st.container(horizontal=True, gap="small", vertical_alignment="center")
    row.caption(_("Download the race:"), width="content")
    for label, suffix, mime, help_text in DOWNLOADS:
        row.download_button(
            _(label), partial(builders[suffix], config), file_name=f"rmsviz-race-{config.surface}.{suffix}", mime=mime,
            key=race_links.download_key(suffix), help=_(help_text), on_click="ignore", icon=":material/download:",
        )  # fmt: skip


# Cached across sessions like the view; a handful of views, since a lecturer exports what the class sees.
cached = st.cache_resource(max_entries=8, show_spinner=False)


@cached
def race_gif(config: RaceConfig, look: str = LIGHT.name, lang: str = ENGLISH) -> bytes:
    """The GIF of ``config``'s race (its runs computed once, whatever the language: race.race_view), its words in
    ``lang``: cached per language."""
    view = race.race_view(config)
    return figures.race_gif(view.surface, view.trajectories, view.styles, theme=THEMES[look], lang=lang)


@cached
def race_html(config: RaceConfig, lang: str = ENGLISH) -> str:
    """The offline page of ``config``'s race, its words in ``lang``."""
    view = race.race_view(config)
    return figures.race_html(view.surface, view.trajectories, view.styles, gettext=translator(lang).gettext)


@cached
def race_csv(config: RaceConfig) -> str:
    view = race.race_view(config)
    return files.race_csv(view.trajectories, [s.label for s in view.styles])


@cached
def race_notebook(config: RaceConfig, lang: str = ENGLISH) -> str:
    """The notebook of ``config``'s race, its words in ``lang`` (its code as it is)."""
    gettext = translator(lang).gettext
    heading = gettext("Optimizer race: {surface}").format(surface=race.race_view(config).surface.title)
    return files.race_notebook(race.code_for(config, draw=False), heading, gettext)
