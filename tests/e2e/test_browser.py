"""The app served on localhost and driven in headless Chromium (Debian's, through Playwright).

Opens every page, waits for the chart, presses play, checks that no exception
box shows, that the animated markers moved and that the contour lines are still drawn,
and saves screenshots under artifacts/screenshots (kept out of git).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from rmsviz.studies.presets import PRESETS
from rmsviz.surfaces import SURFACES
from rmsviz.ui.pages import BY_NAME, PAGES
from rmsviz.ui.presets import preset_link

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
RACE = BY_NAME["race"]
RACES = [(RACE.name, RACE.path)] + [  # the race page and every preset's link
    (f"preset-{p.key}", "/" + preset_link(p)) for p in PRESETS if p.settings["surface"] in SURFACES
]

if CHROMIUM is None and os.environ.get("RMSVIZ_REQUIRE_BROWSER") != "1":
    pytest.skip("Debian's chromium is not installed here (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in requirements-test.txt")
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    assert CHROMIUM, "the browser test must run here, but chromium is missing"
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless=true",
        f"--server.port={port}", "--server.address=127.0.0.1", "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail(f"streamlit did not start:\n{process.stdout.read().decode()}")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )  # fmt: skip
        yield browser
        browser.close()


# The race panel's lines (subplot xy): a twin panel beside it redraws its own contours at every frame.
LINES = ".js-plotly-plot .subplot.xy .scatterlayer .trace .js-line"
# The racers' moving points: marker-only traces out of the legend, drawn at size 14. Found by what they are, not
# by their place among the traces (a twin panel's traces come after them).
MARKERS_JS = """() => document.querySelector('.js-plotly-plot').data
  .filter(t => t.mode === 'markers' && t.showlegend === false && t.marker && t.marker.size === 14)
  .map(t => [t.x[0], t.y[0]])"""


@pytest.mark.parametrize(("name", "path"), RACES)
def test_page_draws_and_animates(server, browser, name, path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server + path)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace", timeout=60_000)
    page.wait_for_timeout(500)
    drawn = page.locator(LINES).count()
    assert drawn > 5, "the contour lines are missing"
    assert page.locator('[data-testid="stException"]').count() == 0
    before = page.evaluate(MARKERS_JS)
    assert before, "no racer's moving point"
    page.locator(".js-plotly-plot .updatemenu-button", has_text="Play").first.click()
    page.wait_for_timeout(2500)
    after = page.evaluate(MARKERS_JS)
    assert after != before, "the animated markers did not move after pressing play"
    assert page.locator(LINES).count() == drawn, "lines vanished while playing (plotly.js#4491)"
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.close()


OVERLAP_JS = """() => {
  const a = document.querySelector('.js-plotly-plot .modebar').getBoundingClientRect();
  return [...document.querySelectorAll('.js-plotly-plot .updatemenu-button')].some(button => {
    const b = button.getBoundingClientRect();
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  });
}"""


def test_on_a_phone_the_toolbar_leaves_the_play_buttons_free(server, browser):
    """At 390 px the chart's toolbar, shown on hover, covered the Pause button when both shared a row."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server)
    page.wait_for_selector(".js-plotly-plot .updatemenu-button", timeout=60_000)
    page.hover(".js-plotly-plot .nsewdrag", force=True)
    page.wait_for_selector(".js-plotly-plot .modebar", state="visible")
    assert page.locator(".js-plotly-plot .updatemenu-button").count() == 3
    assert not page.evaluate(OVERLAP_JS)
    page.close()


CLICK_TARGET_JS = """([x, y]) => {
  const gd = document.querySelector('.js-plotly-plot');
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
  return [box.left + xa.l2p(x), box.top + ya.l2p(y)];
}"""


def test_clicking_the_plot_picks_the_start(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server + "/?racers=RMSProp")
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace", timeout=60_000)
    page.wait_for_timeout(500)
    # a point of the invisible 40 × 40 grid over the elliptic domain ((-5.5, 1), (-3, 1.5))
    x, y = -5.5 + 6.5 * 30 / 39, -3 + 4.5 * 20 / 39
    px, py = page.evaluate(CLICK_TARGET_JS, [x, y])
    page.mouse.click(px, py)
    x0 = page.get_by_label("x₀")
    page.wait_for_function("() => !document.querySelector('[data-testid=stSidebar] input[value=\"-5.000\"]')",
                           timeout=20_000)  # fmt: skip
    assert float(x0.input_value()) == pytest.approx(x, abs=1e-3)
    assert float(page.get_by_label("y₀").input_value()) == pytest.approx(y, abs=1e-3)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


# The race and the sweep have tests of their own here (the sweep's also races its best cell); every other page
# of the app opens straight from its link.
OTHER_PAGES = [page for page in PAGES if page.name not in (RACE.name, "sweep")]


@pytest.mark.parametrize("opened", OTHER_PAGES, ids=lambda page: page.name)
def test_other_pages_open_straight_from_a_link(server, browser, opened):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server + opened.path)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace", state="attached", timeout=90_000)
    page.wait_for_timeout(1000)
    assert page.locator('[data-testid="stException"]').count() == 0
    # the app's own navigation, not the one Streamlit makes for a pages/ folder
    assert RACE.title in page.locator('[data-testid="stSidebarNav"]').inner_text()
    page.screenshot(path=str(SHOTS / f"{opened.name}.png"), full_page=True)
    page.close()


HEATMAP = ".js-plotly-plot .heatmaplayer image"


def test_sweep_opens_from_a_link_and_races_its_best_cell(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server + BY_NAME["sweep"].path)
    page.wait_for_selector(HEATMAP, state="attached", timeout=90_000)  # the sweep computes on open
    page.wait_for_timeout(1000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(SHOTS / "sweep.png"), full_page=True)

    page.get_by_role("button", name=re.compile(r": the best cell$")).click()
    page.get_by_role("heading", name=RACE.title).wait_for(timeout=60_000)
    page.wait_for_selector(HEATMAP, state="detached", timeout=30_000)  # the sweep's chart is gone
    page.wait_for_function(f"() => document.querySelectorAll({LINES!r}).length > 5", timeout=60_000)
    page.wait_for_timeout(1000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "racers=RMSProp" in page.url, "the race did not get the cell's settings from the link"
    page.screenshot(path=str(SHOTS / "sweep-to-race.png"), full_page=True)
    page.close()
