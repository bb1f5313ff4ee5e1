"""The optimizer race: pick a surface and optimizers, watch them run."""

import streamlit as st

from rmsviz import ui

st.title("Optimizer race")
notices = st.container()
guard = ui.UrlGuard()
preset = ui.preset_buttons()
config = ui.race_controls(guard)
guard.show(notices)
if preset:
    ui.show_preset(preset)

if not config.racers:
    st.stop()
view = ui.race_view(config)
st.caption(view.surface.teaches or view.surface.title)
for message in ui.divergence_messages(view):
    st.error(message, icon="💥")

contour, panels, three_d = st.tabs(["Contour race", "One panel each", "3-D surface"])
with contour:
    st.plotly_chart(
        view.charts["race"], key="race_chart", on_select=ui.pick_start_from_click, selection_mode="points",
        config={"displaylogo": False, "scrollZoom": True},
    )  # fmt: skip
with panels:
    st.plotly_chart(view.charts["panels"], key="race_panels", config={"displaylogo": False})
with three_d:
    st.plotly_chart(view.charts["3d"], key="race_3d", config={"displaylogo": False})

left, right = st.columns(2)
left.plotly_chart(view.charts["loss"], key="race_loss")
right.plotly_chart(view.charts["distance"], key="race_distance")
st.dataframe(view.table, hide_index=True)
st.plotly_chart(view.charts["rate"], key="race_rate")
ui.step_inspector(view)
with st.expander("Show code"):
    st.code(ui.code_for(config), language="python")
