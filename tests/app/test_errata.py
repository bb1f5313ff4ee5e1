"""Errata in the open: a preset that follows a source puts the source's printed values beside the run's."""

from helpers import link_query, open_page, tables
from streamlit.testing.v1 import AppTest

import rmsviz
from rmsviz.studies.presets import PRESETS
from rmsviz.surfaces import Surface
from rmsviz.ui import race_links
from rmsviz.ui.presets import preset_link


def open_preset(key: str) -> AppTest:
    return open_page(**link_query(preset_link(next(p for p in PRESETS if p.key == key))))


def table_text(at: AppTest) -> str:
    return " ".join(t.to_csv() for t in tables(at))


def test_article_preset_shows_the_printed_values_beside_the_run():
    at = open_preset("article-theta")
    assert not at.exception and not at.warning
    t = rmsviz.run(
        "rmsprop",
        Surface.from_expression("x**2"),
        start=(10.0, 0.0),
        steps=2,
        lr=0.1,
        gamma=0.9,
        eps=1e-8,
        record="all",
    )
    text = table_text(at)
    for number in ("6.25", "25.6", f"{t.path[1, 0]:.6f}", f"{t.path[2, 0]:.6f}", f"{t.state['s'][2, 0]:.6f}"):
        assert number in text
    assert any("The source beside this run" in m.value for m in at.markdown)


def test_errata_hide_once_the_settings_change():
    at = open_preset("d2l-rmsprop")
    assert "0.010599" in table_text(at)
    at.slider(key=race_links.STEPS).set_value(30).run()
    assert not at.exception and "0.010599" not in table_text(at)
