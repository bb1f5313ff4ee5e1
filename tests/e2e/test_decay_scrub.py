"""Scrub mode on the decay page in headless Chromium (issue 25): key presses on the scrub box redraw both charts'
curves at the γ under the hand in the browser, and Keep links to that γ as the run's."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
import test_browser  # beside this file, on the path by pyproject's pytest pythonpath

from rmsviz.ui import decay_links
from rmsviz.ui.pages import BY_NAME

server, browser = test_browser.server, test_browser.browser  # the app served, Chromium

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

BOX = "[data-rmsviz-scrub] input"
# Each chart's drawn curves (their SVG lines), the charts with a scrub slider in the page's order
DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter((gd) => gd._fullLayout && (gd._fullLayout.sliders || []).some((s) => s.name === 'scrub'))
  .map((gd) => [...gd.querySelectorAll('.scatterlayer path.js-line')].map((p) => p.getAttribute('d')).join(' '))"""


def test_keys_scrub_the_runs_gamma(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    page.goto(f"{server}{BY_NAME['decay'].path}?{decay_links.SCRUB}=true&run.steps=20")
    page.wait_for_selector(BOX, timeout=90_000)
    page.wait_for_function(f"({DRAWN})().length === 2", timeout=30_000)  # the weights chart and the run's
    page.wait_for_timeout(500)  # the page's script installed (it listens to the box)
    before = page.evaluate(DRAWN)
    page.focus(BOX)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    # both charts redrawn (each redraw replaces its lines), however loaded the machine
    page.wait_for_function(f"(before) => ({DRAWN})().every((d, i) => d !== before[i])", arg=before, timeout=10_000)
    after = page.evaluate(DRAWN)
    assert after[0] != before[0] and after[1] != before[1], "a chart's curves did not change"
    assert page.inner_text("[data-rmsviz-scrub] output") == "γ = 0.86"  # 0.9, 0.88, 0.86: the slider's stops
    keep = page.locator("[data-keep-link]")
    assert keep.inner_text() == "Keep γ = 0.86"
    assert parse_qs(keep.get_attribute("href").lstrip("?"))[decay_links.run_key("gamma")] == ["0.86"]
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()
