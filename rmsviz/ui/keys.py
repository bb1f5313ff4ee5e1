"""Every widget key of the app, by the page that owns it (ui.links says why a key is a link's name).

Each page's keys are its link codec's ``PAGE`` (ui.race_links, ui.decay_links, ui.noise_links, ui.train_links,
ui.sweep_links, ui.conventions_links), listed here by page; the backend's keys are every page's that draws
its pickers (links.SHARED). A page that resets its settings clears only keys it owns (``forget``), and
``owner`` names the page of a link's key that is not the page's own. Tests check that every widget a page
draws is declared by its codec.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from rmsviz.ui import conventions_links, decay_links, language, noise_links, race_links, sweep_links, train_links
from rmsviz.ui.links import LANG, SHARED, PageKeys

RACE = race_links.PAGE  # the race's keys, which the race's modules take from here
CODECS = {"race": race_links, "decay": decay_links, "noise": noise_links, "train": train_links,
          "sweep": sweep_links, "conventions": conventions_links}  # fmt: skip
PAGES = {name: codec.PAGE for name, codec in CODECS.items()}
# The widgets app.py draws on every page: the language picker (not in the link by its key: see ui.language).
EVERY_PAGE = PageKeys("every page", frozenset({language.STATE}))
# Projector mode, on every page: ``?projector=true`` enlarges every chart for a lecture hall (ui.charts).
PROJECTOR = "projector"
PROJECTOR_STATE = "_projector"  # the session's choice, kept when a page switch drops the query string
# Streamlit's own, projector mode and the language (ui.language judges it)
LINK_KEYS = frozenset({"embed", "embed_options", PROJECTOR, LANG})


def owner(key: str) -> PageKeys | None:
    """The page that owns ``key`` (SHARED for the backend), or None for a key no page knows."""
    return next((page for page in (*PAGES.values(), SHARED, EVERY_PAGE) if page.owns(key)), None)


def forget(page: PageKeys, only: Callable[[str], bool] = lambda key: True) -> None:
    """Drop ``page``'s widget values (those for which ``only`` holds) so the next run shows the defaults.
    Another page's values stay: they are that page's settings, whatever this page resets."""
    for key in [k for k in st.session_state if page.owns(k) and only(k)]:
        del st.session_state[key]
