"""The optimizer race: pick a surface and optimizers, watch them run."""

import streamlit as st

from rmsviz.ui import (
    charts,
    claims,
    downloads,
    keys,
    presets,
    race,
    race_controls,
    race_keys,
    race_links,
    race_scrub,
    scrub_follow,
    widgets,
)
from rmsviz.ui.language import gettext as _
from rmsviz.ui.race_twin import what_it_sees

st.title(_("Optimizer race"))
notices = st.container()
guard = widgets.UrlGuard(keys.RACE, race_links.unused)
preset = presets.preset_buttons(guard)
config = race_controls.race_controls(guard)
if not config.racers:
    if preset:
        presets.show_preset(preset, None)
    guard.show(notices)
    st.stop()
with st.spinner(_("Racing…")):  # the cached runs show no words of their own: these are the session's
    view = race.race_view(config)
scene = claims.scene(view)
if preset:
    presets.show_preset(preset, scene)
st.caption(claims.caption(view.surface, scene))
said = race.said(view)  # its words in the session's language
for message in said.divergence_messages:
    st.error(message, icon=":material/error:")

# Only the chosen view is drawn: every Plotly chart on a page delays the first one in the browser.
chart = race_controls.view_picker(guard)
words = race_keys.words(view).chart  # the race in words: the paths' charts draw every racer's whole run
scrubbed = race_scrub.picker(config, guard, chart)  # drawn with every view, so that the link keeps it
scrub = None  # the scrub on the chart: the table and the step inspector follow it
if chart == "race":
    figure, scrub = race_scrub.chart(view, scrubbed)
    charts.draw(
        figure, race_links.chart_key("race"), on_select=race_controls.pick_start_from_click,
        selection_mode="points", config={"scrollZoom": True}, words=words,
    )  # fmt: skip
    if scrub:
        race_scrub.controls(scrub)
elif chart == "twin":
    what_it_sees(view, words=words)
else:
    charts.draw(view.chart(chart), race_links.chart_key(chart), words=words if chart in ("panels", "3d") else None)
if chart in ("race", "panels", "twin"):  # the animated views: buttons and keys, the step shown in words
    race_keys.controls(view)
downloads.download_buttons(config)

scrub_follow.race_table(view, said.table, scrub)
details = race_controls.details_picker(guard)
if details == "progress" and view.surface.minima:
    left, right = st.columns(2)
    charts.draw(view.chart("loss"), race_links.chart_key("loss"), where=left)
    charts.draw(view.chart("distance"), race_links.chart_key("distance"), where=right)
elif details == "progress":  # no minimum to measure a distance to (a saddle)
    charts.draw(view.chart("loss"), race_links.chart_key("loss"))
elif details == "rate":
    charts.draw(view.chart("rate"), race_links.chart_key("rate"))
elif details == "stability":
    for note in said.stability_notes:
        st.markdown(note)
    charts.draw(view.chart("stability"), race_links.chart_key("stability"))
else:
    scrub_follow.step_inspector(view, scrub, presets.errata_in_view(preset, scene))
if race_controls.show_code(guard):
    st.code(race.code_for(config), language="python", wrap_lines=True)
guard.show(notices)  # every URL-bound widget has been drawn: report what the link got wrong
