"""Scrub mode in headless Chromium (issue 25): key presses on the scrub box beside the race chart redraw the paths
in the browser, the moving point follows the path shown, and Keep links to the value shown as the setting."""

from __future__ import annotations

from urllib.parse import parse_qs, quote

import numpy as np
import pytest
import test_browser  # beside this file, on the path by pyproject's pytest pythonpath

import rmsviz
from rmsviz.ui import race_links
from rmsviz.ui.pages import BY_NAME
from rmsviz.ui.race_settings import scrub_label

server, browser = test_browser.server, test_browser.browser  # the app served, Chromium

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

BOX = "[data-rmsviz-scrub] input"
# RMSProp's drawn path (its SVG line) and the x of its moving point, as the chart holds them
DRAWN = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find((g) => g._fullLayout && g._fullLayout.sliders
    && g._fullLayout.sliders.length > 1);
  const i = gd._fullData.findIndex((t) => t.name === 'RMSProp' && t.mode === 'lines+markers');
  const point = gd._fullData.findIndex((t) => t.name === 'RMSProp' && t.mode === 'markers');
  const line = gd.querySelectorAll('.scatterlayer .trace')[i].querySelector('path.js-line').getAttribute('d');
  return [line, gd._fullData[i].x[gd._fullData[i].x.length - 1], gd._fullData[point].x[0]];
}"""
# RMSProp's path as the chart holds it, each number's 8 bytes in hex: what the page unpacked, bit for bit
PATH_BITS = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find((g) => g._fullLayout && g._fullLayout.sliders
    && g._fullLayout.sliders.length > 1);
  const trace = gd._fullData.find((t) => t.name === 'RMSProp' && t.mode === 'lines+markers');
  const hex = (a) => [...new Uint8Array(Float64Array.from(a).buffer)]
    .map((b) => b.toString(16).padStart(2, '0')).join('');
  return [hex(trace.x), hex(trace.y)];
}"""

# The value the chart's own scrub slider shows (its index), and the box's
SLIDER_AND_BOX = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find((g) => g._fullLayout && g._fullLayout.sliders
    && g._fullLayout.sliders.length > 1);
  const scrub = gd._fullLayout.sliders.find((s) => s.name === 'scrub');
  return [scrub.active, Number(document.querySelector('[data-rmsviz-scrub] input').value)];
}"""


def drawn_path(page) -> np.ndarray:
    """RMSProp's path as the page holds it, (steps + 1, 2), every bit."""
    return np.stack([np.frombuffer(bytes.fromhex(h), "<f8") for h in page.evaluate(PATH_BITS)], -1)


def scrubbing(browser, server: str, setting: str):
    """A page of the race of RMSProp and Adagrad at 30 steps with ``setting`` scrubbed, its chart drawn."""
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    scrub = quote(scrub_label(setting))
    page.goto(f"{server}{BY_NAME['race'].path}?racers=RMSProp&racers=Adagrad&steps=30&scrub={scrub}")
    page.wait_for_selector(BOX, timeout=90_000)
    # the chart drawn with its scrub slider (the box may come first), however loaded the machine
    page.wait_for_function("[...document.querySelectorAll('.js-plotly-plot')].some((g) => g._fullLayout"
                           " && (g._fullLayout.sliders || []).length > 1)", timeout=30_000)  # fmt: skip
    page.wait_for_timeout(500)  # the page's script installed (it listens to the box)
    return page


def test_keys_scrub_the_paths(server, browser):
    page = scrubbing(browser, server, "rmsprop.lr")
    before = page.evaluate(DRAWN)
    page.focus(BOX)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(500)
    after = page.evaluate(DRAWN)
    assert after[0] != before[0], "the drawn path did not change"
    assert page.inner_text("[data-rmsviz-scrub] output") == "η = 0.7"  # 0.4, 0.5, 0.7: the slider's options
    surface = rmsviz.SURFACES["elliptic"]
    run = rmsviz.run("rmsprop", surface, start=surface.starts[0], steps=30, lr=0.7, gamma=0.9)
    assert drawn_path(page).tobytes() == run.path.tobytes()  # the page unpacked the very run, to the last bit
    # the chart's own slider follows the box once the keys rest
    page.wait_for_function(f"(({SLIDER_AND_BOX})()).every((v, _, both) => v === both[1])", timeout=5_000)
    page.keyboard.press("End")  # the box's own key: the race's End (the last step) leaves it alone
    page.wait_for_timeout(500)
    assert page.inner_text("[data-rmsviz-scrub] output") == "η = 10"
    page.locator("h1").click()  # the page has the keys again: End jumps the race to its last step
    page.keyboard.press("End")
    page.wait_for_timeout(500)
    _line, last, point = page.evaluate(DRAWN)
    assert point == last, "the moving point is not on the path shown"
    keep = page.locator("[data-keep-link]")
    assert keep.inner_text() == "Keep η = 10"
    query = parse_qs(keep.get_attribute("href").lstrip("?"))
    assert query[race_links.racer_key("rmsprop", "lr")] == ["10.0"]
    # the chart's own slider (a click on its rail, at the first value) moves the paths, the box and Keep
    rail = page.locator(".slider-group .slider-rail-rect").nth(1)  # the race's step slider is the first
    rail.scroll_into_view_if_needed()
    at = rail.bounding_box()
    page.mouse.click(at["x"] + 1, at["y"] + at["height"] / 2)
    page.wait_for_function(f"(({SLIDER_AND_BOX})()).every((v) => v === 0)", timeout=5_000)
    assert keep.inner_text() == "Keep η = 0.0001"
    run = rmsviz.run("rmsprop", surface, start=surface.starts[0], steps=30, lr=0.0001, gamma=0.9)
    page.wait_for_function(f"(bits) => ({PATH_BITS})()[0] === bits", arg=run.path[:, 0].tobytes().hex(), timeout=5_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def test_paths_packed_across_values_come_back(server, browser):
    """ε's paths lie a hair apart: figures.scrub predicts each from the paths at the values before (``across``),
    and the page undoes that too, to the last bit."""
    page = scrubbing(browser, server, "rmsprop.eps")
    page.focus(BOX)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(500)
    keep = parse_qs(page.locator("[data-keep-link]").get_attribute("href").lstrip("?"))
    eps = float(keep[race_links.racer_key("rmsprop", "eps")][0])
    surface = rmsviz.SURFACES["elliptic"]
    run = rmsviz.run("rmsprop", surface, start=surface.starts[0], steps=30, lr=0.4, gamma=0.9, eps=eps)
    assert drawn_path(page).tobytes() == run.path.tobytes()
    page.close()
