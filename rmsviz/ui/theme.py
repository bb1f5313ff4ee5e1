"""The viewer's theme, light or dark (the system setting, or the settings menu's choice): which one this session
shows, the page's one style rule that depends on it, and the script that runs the page again when the viewer
switches. What a chart or the GIF takes from the theme is ``figures.theme``'s."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from rmsviz.figures.theme import DARK, LIGHT, THEMES, Theme

# Streamlit writes a chosen racer's name (a multiselect's chip) in white on the primary colour. Dark's primary
# is light enough to be read as text on the dark background (6.3:1), so white on it would have 3:1; the chip's
# text is written in the background's colour instead (6.3:1). axe-core's color-contrast check found it.
TAGS = '[data-testid="stMultiSelectTagsContainer"] [data-tag]'
DARK_PAGE = f"<style>{TAGS}, {TAGS} span {{color: {DARK.background}}}</style>"
# The script's element leaves the page's flow, as the charts' words do (ui.charts.UNSEEN_STYLE): it shows nothing.
SWITCH = (
    "<style>[data-testid=stElementContainer]:has(.rmsviz-theme) {position: absolute; width: 1px; height: 1px; "
    'overflow: hidden}</style><span class="rmsviz-theme"></span><script>'
    + Path(__file__).with_name("theme.js").read_text(encoding="utf-8")
    + "</script>"
)


def viewer() -> Theme:
    """The viewer's theme as the browser reports it with each run of the page (light until it has)."""
    return THEMES.get(st.context.theme.type or LIGHT.name, LIGHT)


def page_style() -> None:
    """The style rules of the viewer's theme (a style alone takes no room on the page), and the switch's
    script, for every page."""
    if viewer() == DARK:
        st.html(DARK_PAGE)
    st.html(SWITCH, unsafe_allow_javascript=True)
