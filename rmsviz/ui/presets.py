"""The race page's lecture presets: a sidebar button and a link for each, and the note above the race."""

from __future__ import annotations

import streamlit as st

from rmsviz.studies.claims import Scene
from rmsviz.studies.presets import PRESETS, Preset
from rmsviz.surfaces import SURFACES, Surface
from rmsviz.ui import keys, language
from rmsviz.ui import race_links as links
from rmsviz.ui.language import gettext as _
from rmsviz.ui.links import quoted
from rmsviz.ui.race_settings import CUSTOM
from rmsviz.ui.widgets import UrlGuard, panel_key

RESETTABLE = (links.STEPS, links.NOISE, links.SEED, links.RACERS_KEY)
PANEL = panel_key("race", "presets")  # the open state of the sidebar's presets panel


def preset_start(preset: Preset) -> tuple[float, float]:
    """Where the preset's race starts: its own ``x0``/``y0``, else its surface's first start."""
    settings = preset.settings
    if links.X0 in settings:
        return float(settings[links.X0]), float(settings[links.Y0])
    surface = SURFACES.get(settings[links.SURFACE]) or Surface.from_expression(settings[links.FORMULA])
    return tuple(map(float, surface.starts[0]))


def preset_link(preset: Preset) -> str:
    """The query string that opens ``preset``, spelled as the bound widgets write their values."""
    return links.link(preset.settings, preset=preset.key, lang=language.linked())


def _set_preset(preset: Preset) -> None:
    """Write the preset's values into the widgets; what it leaves out returns to its default."""
    keys.forget(keys.RACE, only=lambda key: key in RESETTABLE or links.grouped(key))
    st.session_state[links.X0], st.session_state[links.Y0] = preset_start(preset)
    st.session_state.update(links.widget_values(preset.settings))


def _apply_preset(preset: Preset) -> None:
    """on_click of a preset's button."""
    _set_preset(preset)
    st.query_params[links.PRESET] = preset.key


def preset_buttons(guard: UrlGuard) -> Preset | None:
    """Sidebar buttons, one per preset whose surface exists; returns the preset the view came from.

    A link with ``preset`` and no race settings (``?preset=saddle``) opens the preset as its button would;
    a link naming no preset gets a notice."""
    available = [p for p in PRESETS if p.settings[links.SURFACE] in (*SURFACES, CUSTOM)]
    # Its buttons are drawn only while it is open (opening it reruns the page): a dozen widgets fewer on every
    # other run of every session (with widgets.UrlGuard.given: a warm race session's server CPU 0.027 -> 0.021 s
    # in benchmarks/bench_load.py).
    panel = st.sidebar.expander(_("Lecture presets"), key=PANEL, on_change="rerun")
    if panel.open:
        with panel:
            for preset in available:
                st.button(
                    _(preset.title), key=links.preset_button(preset.key), on_click=_apply_preset, args=(preset,),
                    width="stretch",
                )  # fmt: skip
    chosen = st.query_params.get(links.PRESET)
    preset = next((p for p in available if p.key == chosen), None)
    linked = guard.opened_with.pop(links.PRESET, None)  # judged once, on the session's first run
    if linked and preset is None:
        names = ", ".join(p.key for p in available)
        notice = _("Ignored `{key}={value}` from the link (one of {names}); no preset.")
        guard.notices.append(notice.format(key=links.PRESET, value=quoted(linked), names=names))
    elif linked and not any(keys.RACE.owns(key) for key in guard.opened_with):
        _set_preset(preset)
    return preset


def in_view(preset: Preset, scene: Scene) -> bool:
    """Whether the race runs exactly the preset's settings, every default included (its note's claim): its note
    and errata describe those runs, not what was changed since. What the page shows of them (the chart, the
    details picker) is no setting."""
    return preset.note.bound_to(scene.settings)


def errata_in_view(preset: Preset | None, scene: Scene) -> tuple:
    """The preset's errata while the race shows its settings (they compare the source with that run)."""
    return preset.errata if preset is not None and in_view(preset, scene) else ()


def show_preset(preset: Preset, scene: Scene | None) -> None:
    """The preset's note over the race ``scene`` (None: no race, no racer chosen), or a line saying it is hidden."""
    note = None if scene is None else preset.note.text(scene, _)
    title = _(preset.title)
    if note is None:
        hidden = _("Changed since the preset “{preset}”: its note is hidden. Open the preset again to see it.")
        st.caption(hidden.format(preset=title))
        return
    shown = _("**{preset}.** {note} [Link to this preset]({link})")
    st.info(shown.format(preset=title, note=note, link=preset_link(preset)), icon=":material/school:")
