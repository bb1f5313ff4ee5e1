"""Scrub mode against a rerun (issue 25): the time from a key press to the redrawn race paths, in headless
Chromium, on the page's own clock, in the same run.

- scrub: a key press (End, or Home at the end) on the scrub box beside the chart; the paths come from the figure
  (ui.race_scrub).
- rerun: the same key on RMSProp's η slider in the sidebar: the value goes to the server, the page reruns and
  the browser draws the new chart (what every setting did before scrub mode).

The clock: a listener notes ``performance.now()`` at the key's keydown; a MutationObserver notes it when
RMSProp's drawn path (its SVG ``d``) first differs from what it was. Also printed: the race chart's payload (the
spec Streamlit sends, typed arrays included) with and without the scrub.

Race: RMSProp, Adagrad, RMSProp #2, Adagrad #2, 200 steps, ε of every racer scrubbed (its slider's 64 options,
the setting the four share with at least 50 values); and η of every racer (36 options) on the default race.
Prints; asserts nothing. Usage: .venv/bin/python benchmarks/bench_scrub.py
"""

from __future__ import annotations

import json
import shutil
import statistics
from pathlib import Path
from urllib.parse import urlencode

from bench_app import CHROMIUM_FLAGS
from serving import served
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PRESSES = 8
RACES = {
    "4 racers × 200 steps, ε × 64 values": dict(
        racers=["RMSProp", "Adagrad", "RMSProp #2", "Adagrad #2"], steps="200", scrub="ε of every racer"
    ),
    "4 racers × 200 steps, η × 36 values": dict(steps="200", scrub="η of every racer"),
}
# RMSProp's drawn path (the first racer's line), found by its trace's place among the chart's scatter traces.
WATCH = """
window.pathOf = () => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find((g) => g._fullLayout && g._fullLayout.sliders
    && g._fullLayout.sliders.length);
  if (!gd || !gd._fullData) return null;
  const i = gd._fullData.findIndex((t) => t.name === 'RMSProp' && t.mode === 'lines+markers');
  const trace = gd.querySelectorAll('.scatterlayer .trace')[i];
  const line = trace && trace.querySelector('path.js-line');
  return line ? line.getAttribute('d') : null;
};
window.arm = () => {
  const before = window.pathOf();
  window.pressedAt = null; window.drawnAt = null;
  document.addEventListener('keydown', () => { window.pressedAt = performance.now(); }, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    const now = window.pathOf();
    if (window.pressedAt !== null && now !== null && now !== before) {
      window.drawnAt = performance.now(); observer.disconnect();
    }
  });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['d']});
};
"""


def payload(query: dict) -> tuple[float, float]:
    """The race chart's spec in KB, with the scrub and without it (AppTest: what Streamlit sends)."""
    sizes = []
    for q in (query, {k: v for k, v in query.items() if k != "scrub"}):
        at = AppTest.from_file(APP, default_timeout=300)
        for key, value in q.items():
            at.query_params[key] = value
        at.run()
        sizes.append(len(at.get("plotly_chart")[0].proto.spec) / 1024)
    return sizes[0], sizes[1]


def press_and_time(page, target) -> float:
    """Press End (Home where the box is at its end already: the far ends move every path by pixels) on the range
    box ``target``; milliseconds to RMSProp's redrawn path."""
    key = "Home" if target.evaluate("(box) => box.value === box.max") else "End"
    page.evaluate("window.arm()")
    target.press(key)
    page.wait_for_function("window.drawnAt !== null", timeout=30_000)
    return page.evaluate("window.drawnAt - window.pressedAt")


def browser_times(url: str) -> tuple[list[float], list[float]]:
    """(scrub, rerun) milliseconds from a key press to RMSProp's redrawn path, PRESSES of each, interleaved."""
    from playwright.sync_api import sync_playwright

    scrub, rerun = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.add_init_script(WATCH)
        page.goto(url)
        page.wait_for_selector("[data-rmsviz-scrub] input", timeout=120_000)
        page.get_by_text("RMSProp settings", exact=True).click()
        eta = page.locator("[data-testid=stSidebar] [data-testid=stSlider]", has_text="η (lr)").first
        thumb = eta.locator("input[type=range]")  # react-aria's: visually hidden, focused by the thumb
        thumb.wait_for(state="attached")
        for _ in range(PRESSES):
            box = page.locator("[data-rmsviz-scrub] input")
            scrub.append(press_and_time(page, box))
            # back to the value the race ran with, so that the rerun's value is a new path even where the scrub
            # showed it already
            box.evaluate("(box) => { box.value = box.defaultValue; box.dispatchEvent(new Event('input', "
                         "{bubbles: true})); }")  # fmt: skip
            page.wait_for_timeout(300)
            rerun.append(press_and_time(page, thumb))
            page.wait_for_selector("[data-rmsviz-scrub] input", timeout=60_000)
            page.wait_for_timeout(1500)  # the rerun settles
        browser.close()
    return scrub, rerun


def summary(times: list[float]) -> str:
    return f"median {statistics.median(times):6.1f} ms ({min(times):.1f}–{max(times):.1f} over {len(times)})"


def main() -> None:
    for name, query in RACES.items():
        with_scrub, without = payload(query)
        print(f"{name}: race chart payload {with_scrub:.0f} KB with the scrub, {without:.0f} KB without")
    if shutil.which("chromium") is None:
        print("browser: skipped (no chromium; apt-get install chromium)")
        return
    with served(APP) as url:
        for name, query in RACES.items():
            scrub, rerun = browser_times(f"{url}/?{urlencode(query, doseq=True)}")
            print(f"{name}: key press to redrawn paths: scrub {summary(scrub)}; rerun {summary(rerun)}")
            print(json.dumps({"race": name, "scrub_ms": scrub, "rerun_ms": rerun}))


if __name__ == "__main__":
    main()
