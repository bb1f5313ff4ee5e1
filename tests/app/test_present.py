"""The race page's downloads and projector mode, in AppTest. The projector, phone and embed screenshots are
in tests/e2e/test_present.py."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from rmsviz import figures, files
from rmsviz.figures.style import PROJECTOR_FONT

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_race_page_offers_the_four_downloads_and_builds_none_of_them(monkeypatch):
    def not_now(*args, **kwargs):
        raise AssertionError("an export was built before its button was clicked")

    for module, builders in ((figures, ("race_gif", "race_html")), (files, ("race_csv", "race_notebook"))):
        for builder in builders:
            monkeypatch.setattr(module, builder, not_now)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert set(buttons) == {"GIF", "HTML page", "CSV", "Notebook"}
    assert all(b.ignore_rerun for b in buttons.values())  # a click downloads; the page does not run again


def test_projector_link_enlarges_every_chart_and_is_no_unknown_setting():
    plain = AppTest.from_file(APP, default_timeout=60).run()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["projector"] = "true"
    at.run()
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    for small, big in zip(plain.get("plotly_chart"), at.get("plotly_chart"), strict=True):
        assert json.loads(big.proto.spec)["layout"]["font"]["size"] == 12 * PROJECTOR_FONT
        assert json.loads(small.proto.spec)["layout"].get("font", {}).get("size") != 12 * PROJECTOR_FONT
