"""The race page's downloads and projector mode, in AppTest. The projector, phone and embed screenshots are
in tests/e2e/test_present.py."""

from __future__ import annotations

import pytest
from helpers import charts, open_page

from rmsviz import figures, files
from rmsviz.figures.style import PROJECTOR_FONT
from rmsviz.ui import race_settings


def test_race_page_offers_the_four_downloads_and_builds_none_of_them(monkeypatch):
    def not_now(*args, **kwargs):
        raise AssertionError("an export was built before its button was clicked")

    for module, builders in ((figures, ("race_gif", "race_html")), (files, ("race_csv", "race_notebook"))):
        for builder in builders:
            monkeypatch.setattr(module, builder, not_now)
    at = open_page()
    assert not at.exception
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert set(buttons) == {"GIF", "HTML page", "CSV", "Notebook"}
    assert all(b.ignore_rerun for b in buttons.values())  # a click downloads; the page does not run again


def test_projector_link_enlarges_every_chart_and_is_no_unknown_setting():
    plain, at = open_page(), open_page(projector="true")
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    for small, big in zip(charts(plain), charts(at), strict=True):
        assert big["layout"]["font"]["size"] == 12 * PROJECTOR_FONT
        assert small["layout"].get("font", {}).get("size") != 12 * PROJECTOR_FONT


@pytest.mark.parametrize("view", race_settings.VIEWS.values())
def test_projector_mode_draws_every_race_view(view):
    """Every view's charts go through the projector's enlargement, including panel axes that have no title
    (a ``None`` title once raised there)."""
    at = open_page(projector="true", view=view, details=race_settings.DETAILS["rate"])
    assert not at.exception, at.exception
    assert all(chart["layout"]["font"]["size"] == 12 * PROJECTOR_FONT for chart in charts(at))
