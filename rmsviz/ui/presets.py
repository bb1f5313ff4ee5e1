"""The race page's lecture presets: a sidebar button and a link for each, and the note above the race."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from rmsviz.studies.presets import PRESETS, Preset
from rmsviz.surfaces import SURFACES
from rmsviz.ui import keys
from rmsviz.ui.race_settings import race_query

RESETTABLE = ("steps", "noise", "seed", "racers")


def preset_link(preset: Preset) -> str:
    """The query string that opens ``preset``, spelled as the bound widgets write their values."""
    return "?" + urlencode({"preset": preset.key, **race_query(preset.settings)}, doseq=True)


def _apply_preset(preset: Preset) -> None:
    """on_click: write the preset's values into the widgets; what it leaves out returns to its default."""
    keys.forget(keys.RACE, only=lambda key: key in RESETTABLE or "." in key)  # racer settings, surface parameters
    surface = SURFACES[preset.settings["surface"]]
    st.session_state["x0"], st.session_state["y0"] = map(float, surface.starts[0])
    st.session_state.update(preset.settings)
    st.query_params["preset"] = preset.key


def preset_buttons() -> Preset | None:
    """Sidebar buttons, one per preset whose surface exists; returns the preset the view came from."""
    available = [p for p in PRESETS if p.settings["surface"] in SURFACES]
    with st.sidebar.expander("Lecture presets", expanded=False):
        for preset in available:
            st.button(preset.title, key=f"preset-{preset.key}", on_click=_apply_preset, args=(preset,), width="stretch")
    chosen = st.query_params.get("preset")
    return next((p for p in available if p.key == chosen), None)


def show_preset(preset: Preset) -> None:
    st.info(
        f"**{preset.title}.** {preset.caption} [Link to this preset]({preset_link(preset)})", icon=":material/school:"
    )
