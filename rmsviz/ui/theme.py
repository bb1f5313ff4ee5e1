"""The viewer's theme, light or dark (the system setting, or the settings menu's choice): which one this session
shows, and the page's one style rule that depends on it. What a chart or the GIF takes from the theme is
``figures.theme``'s."""

from __future__ import annotations

import streamlit as st

from rmsviz.figures.theme import DARK, LIGHT, THEMES, Theme

# Streamlit writes a chosen racer's name (a multiselect's chip) in white on the primary colour. Dark's primary
# is light enough to be read as text on the dark background (6.3:1), so white on it would have 3:1; the chip's
# text is written in the background's colour instead (6.3:1). axe-core's color-contrast check found it.
TAGS = '[data-testid="stMultiSelectTagsContainer"] [data-tag]'
DARK_PAGE = f"<style>{TAGS}, {TAGS} span {{color: {DARK.background}}}</style>"


def viewer() -> Theme:
    """The viewer's theme as the browser reports it (light until it has: Streamlit learns it with the session's
    first run, and runs the page again when the viewer switches)."""
    return THEMES.get(st.context.theme.type or LIGHT.name, LIGHT)


def page_style() -> None:
    """The style rules of the viewer's theme, for every page (a style alone takes no room on the page)."""
    if viewer() == DARK:
        st.html(DARK_PAGE)
