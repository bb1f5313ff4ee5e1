"""The race's table and the step inspector follow the scrub in headless Chromium (issue 25): key presses on the
scrub box show, with no rerun, the table and the step at the value under the hand, their formulas typeset, and
the kept value's words again when the box comes back to it."""

from __future__ import annotations

from urllib.parse import quote

import pytest
import test_browser  # beside this file, on the path by pyproject's pytest pythonpath

import rmsviz
from rmsviz.studies.race import race_defaults
from rmsviz.surfaces import SURFACES
from rmsviz.ui.pages import BY_NAME
from rmsviz.ui.race_settings import scrub_label
from rmsviz.ui.widgets import readable

server, browser = test_browser.server, test_browser.browser  # the app served, Chromium

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

BOX = "[data-rmsviz-scrub] input"
# The visible tables (the race's, then the inspector's) as {header: [cells]}, the typeset formulas shown in the
# inspector, and whether the kept value's own inspector is shown.
SHOWN = """() => {
  const seen = (el) => el.offsetParent !== null;
  const tables = [...document.querySelectorAll('table.rmsviz-table')].filter(seen).map((t) => {
    const headers = [...t.querySelectorAll('th')].map((th) => th.textContent);
    const rows = [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent));
    return Object.fromEntries(headers.map((h, i) => [h, rows.map((row) => row[i])]));
  });
  const parts = [...document.querySelectorAll('[data-rmsviz-follow="inspector"] [data-rmsviz-follow-value]')];
  const kept = document.querySelector('.st-key-rmsviz-follow-inspector-kept');
  return {
    tables,
    formulas: parts.filter(seen).map((p) => p.querySelectorAll('.katex-display').length),
    kept: seen(kept),
  };
}"""


def expected(lr: float) -> tuple[str, str]:
    """RMSProp's final loss in the race table and its x after step 1 in the inspector, at ``lr``."""
    surface = SURFACES["elliptic"]
    run = rmsviz.run("rmsprop", surface, start=surface.starts[0], steps=30, record="all", lr=lr, gamma=0.9)
    return readable(float(run.loss[-1])), readable(float(run.path[1, 0]), 6)


def test_keys_on_the_scrub_box_bring_the_table_and_the_step_along(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    query = f"racers=RMSProp&racers=Adagrad&steps=30&scrub={quote(scrub_label('rmsprop.lr'))}"
    page.goto(f"{server}{BY_NAME['race'].path}?{query}&details={quote('Step inspector')}")
    page.wait_for_selector(BOX, timeout=90_000)
    page.wait_for_selector(".katex-display", timeout=30_000)
    page.wait_for_timeout(1500)  # the page's first runs settle (a rerun draws the box again: it would lose the focus)
    before = page.evaluate(SHOWN)
    assert before["kept"] and before["formulas"] == []
    assert (before["tables"][0]["final loss"][0], before["tables"][1]["x after"][0]) == expected(0.4)
    page.focus(BOX)
    for key, lr in (("ArrowLeft", 0.3), ("ArrowLeft", 0.2), ("End", 10.0)):
        page.keyboard.press(key)
        assert page.inner_text("[data-rmsviz-scrub] output") == f"η = {lr:g}"
        page.wait_for_function(f"() => ({SHOWN})().formulas[0] === 4", timeout=10_000)  # its lines typeset
        now = page.evaluate(SHOWN)
        assert not now["kept"]
        race, step = now["tables"]
        assert (race["final loss"][0], step["x after"][0]) == expected(lr), lr
        assert race["final loss"][1] == before["tables"][0]["final loss"][1]  # Adagrad is not scrubbed
    page.keyboard.press("Home")
    for _ in range(40):  # back to η = 0.4, the kept value: the page's own words again
        if page.inner_text("[data-rmsviz-scrub] output") == "η = 0.4":
            break
        page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => ({SHOWN})().kept", timeout=10_000)
    assert page.evaluate(SHOWN)["formulas"] == []
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


STATUS = "[data-rmsviz-race-keys] [data-status]"


def last_step_words(page) -> str:
    """The race at its last step (End, with the page's keys): who is ahead there, beside the buttons."""
    page.locator("h1").click()
    page.keyboard.press("End")
    page.wait_for_function(f"() => document.querySelector('{STATUS}').textContent.startsWith('Step 30 of 30')")
    return page.inner_text(STATUS)


def test_the_words_beside_the_buttons_follow_the_scrub_too(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    query = f"racers=RMSProp&racers=Adagrad&steps=30&scrub={quote(scrub_label('rmsprop.lr'))}"
    page.goto(f"{server}{BY_NAME['race'].path}?{query}")
    page.wait_for_selector(BOX, timeout=90_000)
    page.wait_for_timeout(1500)
    kept = last_step_words(page)
    page.focus(BOX)
    page.keyboard.press("Home")  # η = 0.0001: RMSProp barely moves, Adagrad is ahead at the end
    page.wait_for_function(f"(kept) => document.querySelector('{STATUS}').textContent !== kept", arg=kept)
    scrubbed = page.inner_text(STATUS)
    keep = page.locator("[data-keep-link]").get_attribute("href")
    page.goto(f"{server}{BY_NAME['race'].path}{keep}")  # the page with that value kept
    page.wait_for_selector(BOX, timeout=90_000)
    page.wait_for_timeout(1500)
    assert last_step_words(page) == scrubbed != kept
    page.close()


def test_every_racers_eta_shows_the_race_as_it_ran_until_the_box_moves(server, browser):
    """η of every racer: RMSProp ran at 0.4, Rprop at 0.1. The box starts at 0.4 beside the race as it ran (the
    page's own table); back at 0.4 after a move, the chart draws every racer at 0.4, and so does the table."""
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    query = f"racers=RMSProp&racers=Rprop&steps=30&scrub={quote(scrub_label('lr'))}"
    page.goto(f"{server}{BY_NAME['race'].path}?{query}")
    page.wait_for_selector(BOX, timeout=90_000)
    page.wait_for_timeout(1500)
    table = "() => [...document.querySelectorAll('table.rmsviz-table')].find((t) => t.offsetParent !== null).innerText"
    ran = page.evaluate(table)
    assert page.inner_text("[data-rmsviz-scrub] output") == "η = 0.4"
    page.focus(BOX)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")
    assert page.inner_text("[data-rmsviz-scrub] output") == "η = 0.4"
    page.wait_for_function(f"(ran) => ({table})() !== ran", arg=ran, timeout=10_000)
    rmsprop, rprop = (line.split("\t") for line in page.evaluate(table).splitlines()[1:])
    assert rmsprop == ran.splitlines()[1].split("\t")  # RMSProp ran at 0.4
    surface = SURFACES["elliptic"]
    settings = {**race_defaults("rprop", surface), "lr": 0.4}
    run = rmsviz.run("rprop", surface, start=surface.starts[0], steps=30, hyperparameters=settings)
    assert rprop[1] == readable(float(run.loss[-1]))
    page.close()
