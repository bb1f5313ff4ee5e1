"""A racer's settings and schedule panels are drawn only once needed (ui.widgets.lazy_panel): the first page
draws none of their widgets, races what they would show, and a link that sets one races it, panel closed."""

from helpers import charts, open_page, widgets

from rmsviz.studies.presets import PRESETS
from rmsviz.surfaces import SURFACES
from rmsviz.ui import presets, race_links
from rmsviz.ui.widgets import SETTINGS_PANEL, panel_key

AVAILABLE = [p for p in PRESETS if p.settings["surface"] in (*SURFACES, "custom")]


def racer_widgets(at) -> set[str]:
    return {key for key in widgets(at) if race_links.grouped(key)}


def test_the_first_page_races_what_its_closed_panels_would_show():
    closed, opened = open_page(code="true", open_panels=False), open_page(code="true")
    assert not closed.exception and not opened.exception
    assert racer_widgets(closed) == set()
    assert {"rmsprop.lr", "rmsprop.gamma", "rmsprop.schedule"} <= racer_widgets(opened)
    assert closed.code[0].value == opened.code[0].value
    assert charts(closed) == charts(opened)


def test_a_links_racer_settings_apply_with_their_panels_closed():
    link = {"rmsprop.lr": "0.1", "rmsprop.schedule": "exponential", "rmsprop.schedule_gamma": "0.9"}
    at = open_page(code="true", open_panels=False, **link)
    assert not at.exception and not at.warning
    closed = {e.label: e.proto.expanded for e in at.sidebar.expander}
    assert closed["RMSProp settings"] is False and closed["RMSProp η schedule"] is False
    code = at.code[0].value
    assert "lr=0.1" in code and 'schedule=rmsviz.schedules.schedule("exponential", gamma=0.9)' in code
    # the link's values are drawn (so they stay in the link on every rerun); another racer's panels are not
    assert {"rmsprop.lr", "rmsprop.schedule", "rmsprop.schedule_gamma"} <= racer_widgets(at)
    assert not [key for key in racer_widgets(at) if not key.startswith("rmsprop.")]
    assert at.query_params["rmsprop.lr"] == "0.1"


def test_an_opened_panel_stays_drawn_once_closed():
    """Drawn, so that its value stays in the link: Streamlit takes a bound widget that is no longer drawn out of
    the link (AppTest does not show a widget's link value: tests/e2e/test_race_panels.py does)."""
    at = open_page(open_panels=False)
    at.session_state[panel_key("adagrad", SETTINGS_PANEL)] = True
    at.run()
    assert "adagrad.lr" in racer_widgets(at)
    at.select_slider(key="adagrad.lr").set_value(0.1).run()
    at.session_state[panel_key("adagrad", SETTINGS_PANEL)] = False
    at.run()
    assert at.select_slider(key="adagrad.lr").value == 0.1
    assert "adagrad.schedule" not in racer_widgets(at)  # its schedule panel was never opened


def test_a_new_surface_resets_a_closed_panel_that_was_drawn():
    """The surface's reset (keys.forget) takes the racer's values out of the session: its closed panel is no
    longer drawn, and the racer runs the new surface's defaults, also on the next run."""
    at = open_page(open_panels=False, code="true")
    at.session_state[panel_key("rmsprop", SETTINGS_PANEL)] = True
    at.run()
    at.select_slider(key="rmsprop.lr").set_value(0.05).run()
    at.session_state[panel_key("rmsprop", SETTINGS_PANEL)] = False
    at.run()
    assert "lr=0.05" in at.code[0].value
    at.selectbox(key=race_links.SURFACE).select_index(2).run()
    at.run()
    assert "rmsprop.lr" not in racer_widgets(at) and "lr=0.05" not in at.code[0].value


def test_the_presets_panel_draws_its_buttons_once_opened():
    """ui.presets: closed (as a class opens the link), the sidebar's presets panel draws no button; opened, one
    per preset, and a click opens that preset."""
    at = open_page(open_panels=False)
    assert not at.exception and not at.button
    at.session_state[presets.PANEL] = True
    at.run()
    assert [b.key for b in at.button] == [race_links.preset_button(p.key) for p in AVAILABLE]
    at.button(key=race_links.preset_button("saddle")).click().run()
    assert not at.exception and at.query_params[race_links.PRESET] == "saddle"
