"""Presenting the race, in headless Chromium: every page embedded (``?embed=true``), projector mode, the
phone layout at 390 px (the chart toolbar clear of legends and titles, no blank band above the race
plot), and the exported HTML page played with the network cut. Screenshots, and the exported GIF's
frames as PNG pictures, go to artifacts/screenshots (kept out of git) to be looked at."""

from __future__ import annotations

import io

import pytest
import test_browser  # beside this file, on the path by pyproject's pytest pythonpath
from PIL import Image

import rmsviz
from rmsviz import figures
from rmsviz.ui.pages import BY_NAME, PAGES

server, browser, SHOTS = test_browser.server, test_browser.browser, test_browser.SHOTS  # the app served, Chromium

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

CHART = ".js-plotly-plot .scatterlayer .trace, .js-plotly-plot .heatmaplayer image"
PHONE = {"width": 390, "height": 844}


def open_page(browser, url: str, viewport: dict | None = None):
    page = browser.new_page(viewport=viewport or {"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector(CHART, state="attached", timeout=90_000)
    page.wait_for_timeout(1000)
    assert page.locator('[data-testid="stException"]').count() == 0
    return page


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"] or
                a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])  # fmt: skip


def show_toolbar(page) -> dict:
    """Hover over the first chart, as a tap does on a phone, and return the toolbar's box."""
    plot = page.locator(".js-plotly-plot").first
    plot.scroll_into_view_if_needed()
    area = plot.bounding_box()
    page.mouse.move(area["x"] + area["width"] / 2, area["y"] + area["height"] * 0.8)
    page.wait_for_timeout(500)
    return box(page, ".js-plotly-plot .modebar")


@pytest.mark.parametrize("embedded", PAGES, ids=lambda page: page.name)
def test_every_page_works_embedded(server, browser, embedded):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = open_page(browser, f"{server}{embedded.path}?embed=true")
    assert (
        page.locator('[data-testid="stHeader"]').count() == 0
        or not page.locator('[data-testid="stToolbar"]').is_visible()
    )  # embedded: no app toolbar
    page.screenshot(path=str(SHOTS / f"embed-{embedded.name}.png"), full_page=True)
    page.close()


def test_projector_mode_enlarges_charts_and_stays_on_for_the_session(server, browser):
    page = open_page(browser, f"{server}{BY_NAME['race'].path}?projector=true")
    assert page.evaluate("() => document.querySelector('.js-plotly-plot')._fullLayout.font.size") == 18
    assert page.locator('[data-testid="stAlert"]').count() == 0  # the switch is no unknown setting
    page.screenshot(path=str(SHOTS / "projector-race.png"), full_page=True)
    page.locator('[data-testid="stSidebarNav"] a', has_text=BY_NAME["decay"].title).first.click()
    page.wait_for_selector(CHART, state="attached", timeout=90_000)
    page.wait_for_timeout(1000)
    assert page.evaluate("() => document.querySelector('.js-plotly-plot')._fullLayout.font.size") == 18
    page.screenshot(path=str(SHOTS / "projector-decay.png"), full_page=True)
    page.close()


def test_phone_race_toolbar_clear_of_the_legend_and_no_band_above_the_plot(server, browser):
    page = open_page(browser, server + BY_NAME["race"].path, PHONE)
    toolbar = show_toolbar(page)
    legend = box(page, ".js-plotly-plot .legend")
    assert not overlap(toolbar, legend), (toolbar, legend)
    plot = box(page, ".js-plotly-plot .nsewdrag")  # the plot area
    assert 0 <= plot["y"] - (legend["y"] + legend["height"]) < 25, "a blank band between the legend and the plot"
    page.screenshot(path=str(SHOTS / "phone-race.png"), full_page=True)
    page.close()


# the pages whose first chart has its title or legend where the toolbar shows: what it must leave free
@pytest.mark.parametrize(("name", "covered"), [("sweep", ".gtitle"), ("decay", ".legend"), ("noise", ".gtitle")])
def test_phone_toolbar_clear_of_titles_and_legends(server, browser, name, covered):
    page = open_page(browser, server + BY_NAME[name].path, PHONE)
    toolbar = show_toolbar(page)
    assert not overlap(toolbar, box(page, f".js-plotly-plot {covered}"))
    page.screenshot(path=str(SHOTS / f"phone-{name}.png"))
    page.close()


def test_race_downloads_arrive_when_clicked(server, browser, tmp_path):
    page = open_page(browser, server + BY_NAME["race"].path)
    for label, start in (("GIF", b"GIF89a"), ("Notebook", b"{")):
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name=label).click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        assert path.read_bytes().startswith(start), label
    assert download.value.suggested_filename == "rmsviz-race-elliptic.ipynb"
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def race():
    surface = rmsviz.SURFACES["elliptic"]
    names = (("rmsprop", "RMSProp", 0, 0.4), ("adagrad", "Adagrad", 0, 0.4), ("momentum", "Momentum", 0, 0.1),
             ("rmsprop", "RMSProp #2", 1, 0.1))  # fmt: skip
    runs = [rmsviz.run(o, surface, start=(-5.0, -2.0), steps=200, lr=lr) for o, _, _, lr in names]
    return surface, runs, [figures.style(o, label, copy) for o, label, copy, _ in names]


def test_exported_html_plays_with_the_network_cut(browser, tmp_path):
    path = tmp_path / "race.html"
    path.write_text(figures.race_html(*race()), encoding="utf-8")
    context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
    asked = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else
                  (asked.append(route.request.url), route.abort()))  # fmt: skip
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace", timeout=30_000)
    markers = "() => document.querySelector('.js-plotly-plot').data.slice(-4).map(t => [t.x[0], t.y[0]])"
    before = page.evaluate(markers)
    page.locator(".updatemenu-button", has_text="Play").first.click()
    page.wait_for_timeout(2000)
    assert page.evaluate(markers) != before, "the markers did not move offline"
    assert asked == [], f"the page asked the network for {asked}"
    page.screenshot(path=str(SHOTS / "export-html-offline.png"), full_page=True)
    context.close()


def test_gif_frames_saved_as_pictures():
    SHOTS.mkdir(parents=True, exist_ok=True)
    image = Image.open(io.BytesIO(figures.race_gif(*race())))
    for index in (0, 20, image.n_frames - 1):
        image.seek(index)
        image.convert("RGB").save(SHOTS / f"export-gif-frame-{index}.png")
    assert image.width >= 480
