"""AppTest for the race's "What it sees" view (issue 26): the race beside a racer's own coordinates, the κ
chart under it and its sentence; drawn only when picked."""

import numpy as np
from helpers import chart, open_page, values

from rmsviz.studies.presets import PRESETS
from rmsviz.ui import race_links
from rmsviz.ui.race_settings import VIEWS

WHAT_IT_SEES = VIEWS["twin"]


def chart_keys(at) -> list[str]:
    return [c.proto.id.rpartition("-")[2] for c in at.get("plotly_chart")]


def test_the_view_renders_the_twin_the_kappa_chart_and_the_sentence():
    at = open_page(view=WHAT_IT_SEES)
    assert not at.exception and not at.error
    assert chart_keys(at)[:2] == [race_links.chart_key("twin"), race_links.chart_key("condition")]
    twin = chart(at, race_links.chart_key("twin"))
    assert twin["layout"]["xaxis2"]["title"]["text"] == "x/√p_x: RMSProp's coordinates"
    assert len(twin["frames"]) == 51 and all("xaxis2" in frame["layout"] for frame in twin["frames"])
    assert any("κ(H) is 20 at every step of RMSProp's path" in m.value for m in at.markdown)
    assert any("Rprop has no coordinates of its own" in c.value for c in at.caption)  # a default racer
    assert at.selectbox(key=race_links.SEEN).options == ["RMSProp", "Adagrad", "Momentum"]


def test_another_racers_coordinates():
    at = open_page(view=WHAT_IT_SEES)
    at.selectbox(key=race_links.SEEN).set_value("Momentum").run()
    assert not at.exception
    title = chart(at, race_links.chart_key("twin"))["layout"]["xaxis2"]["title"]["text"]
    assert title == "x/√p_x: Momentum's coordinates"
    assert any("κ(P^½HP^½) = κ(H)" in m.value for m in at.markdown)
    kappa = chart(at, race_links.chart_key("condition"))
    plain, seen = (values(trace["y"]) for trace in kappa["data"])
    np.testing.assert_allclose(plain, seen, rtol=1e-12)  # P is η times the identity


def test_the_default_race_draws_no_twin():
    """The first draw is the race as before: the twin is built only when its view is picked."""
    assert race_links.chart_key("twin") not in chart_keys(open_page())


def test_the_preset_opens_the_rotated_bowl_in_rmsprops_coordinates():
    preset = next(p for p in PRESETS if p.key == "what-rmsprop-sees")
    at = open_page(preset=preset.key)
    assert not at.exception
    assert at.button_group(key=race_links.VIEW).value == "twin"
    assert any(preset.title in i.value for i in at.info)
    assert any("do not round this landscape" in m.value for m in at.markdown)
