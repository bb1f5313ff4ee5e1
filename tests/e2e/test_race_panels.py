"""A racer's settings panel in headless Chromium: not drawn before it is opened (ui.widgets.lazy_panel), drawn
when opened, and its values stay in the link once it is closed again and when a link gives them, closed."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
import test_browser  # beside this file, on the path by pyproject's pytest pythonpath

from rmsviz.ui.pages import BY_NAME

server, browser = test_browser.server, test_browser.browser  # the app served, Chromium

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

ETA = "[data-testid=stSidebar] [data-testid=stSlider]:has-text('η (lr)')"
CHART = ".js-plotly-plot .scatterlayer .trace"


def link(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_a_panel_is_drawn_when_opened_and_its_value_stays_in_the_link(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}{BY_NAME['race'].path}?racers=RMSProp")
    page.wait_for_selector(CHART, timeout=90_000)
    assert page.locator(ETA).count() == 0  # the closed panel's sliders are not on the page
    page.get_by_text("RMSProp settings", exact=True).click()
    thumb = page.locator(ETA).first.locator("input[type=range]")  # react-aria's: visually hidden, focusable
    thumb.wait_for(state="attached", timeout=30_000)
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('rmsprop.lr=')", timeout=30_000)
    moved = link(page)["rmsprop.lr"]
    page.get_by_text("RMSProp settings", exact=True).click()  # closed again: a rerun
    page.wait_for_timeout(2000)
    assert link(page)["rmsprop.lr"] == moved
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def test_a_links_racer_setting_stays_in_the_link_with_its_panel_closed(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}{BY_NAME['race'].path}?racers=RMSProp&rmsprop.lr=0.1&rmsprop.schedule=exponential")
    page.wait_for_selector(CHART, timeout=90_000)
    page.get_by_text("Show code").click()  # a rerun of the page
    page.wait_for_selector("code:has-text('lr=0.1')", timeout=30_000)
    assert link(page)["rmsprop.lr"] == ["0.1"] and link(page)["rmsprop.schedule"] == ["exponential"]
    assert page.locator(ETA).first.is_hidden()  # drawn inside its closed panel
    page.close()
