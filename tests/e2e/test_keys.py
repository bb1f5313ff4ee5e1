"""The race from the keyboard and a presenter's clicker, in headless Chromium: the keys step, play, pause and
restart the race, the step shown is read back as text (and agrees with the chart's own slider), and the
buttons beside the chart are reached with Tab and show where the focus is."""

from __future__ import annotations

import re

import pytest
import test_browser  # beside this file, on the path by pyproject's pytest pythonpath

from rmsviz.ui.pages import BY_NAME

server, browser = test_browser.server, test_browser.browser  # the app served, Chromium

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

STATUS = "[data-rmsviz-race-keys] [data-status]"
SLIDER_STEP = "() => { const gd = document.querySelector('.js-plotly-plot'); const s = gd._fullLayout.sliders[0]; " \
              "return Number(s.steps[s.active || 0].label); }"  # fmt: skip
STEPS = 30
DRAWN = "() => (document.querySelector('.js-plotly-plot')?._fullLayout?.sliders ?? []).length > 0"
LIGHTEST = "rgb(68, 1, 84)"  # the lowest contour level on a light page: Viridis's darkest


def shown(page) -> int:
    """The step the page says it shows, read from its words ("Step 3 of 30: …")."""
    return int(re.match(r"Step (\d+) of", page.locator(STATUS).inner_text()).group(1))


def press(page, key: str) -> int:
    page.keyboard.press(key)
    page.wait_for_timeout(300)
    assert shown(page) == page.evaluate(SLIDER_STEP), "the words and the chart's slider disagree"
    return shown(page)


def test_keys_and_clicker_drive_the_race(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}{BY_NAME['race'].path}?racers=RMSProp&racers=Adagrad&steps={STEPS}")
    page.wait_for_selector(f"{STATUS}:has-text('Step 0 of {STEPS}')", timeout=90_000)
    page.wait_for_function(DRAWN, timeout=30_000)  # the words may come before the chart is drawn
    page.mouse.click(700, 150)  # the page, not a control, has the keys
    assert [press(page, key) for key in ("PageDown", "PageDown", "ArrowRight", "PageUp", "ArrowLeft")] == [
        1, 2, 3, 2, 1,
    ]  # fmt: skip
    assert press(page, "End") == STEPS
    assert press(page, "Home") == 0
    page.keyboard.press("Space")  # play
    page.wait_for_timeout(800)
    assert page.get_by_role("button", name="Pause", exact=True).is_visible()  # the toggle says what it does now
    page.keyboard.press("Space")  # pause
    page.wait_for_timeout(400)  # the words follow the chart four times a second
    paused = shown(page)
    page.wait_for_timeout(600)
    assert 0 < paused == shown(page) < STEPS, "space did not play, or did not pause"
    assert page.locator("[data-live]").inner_text().startswith(f"Step {paused} of {STEPS}")  # said once it rests

    # Tab from the view picker above the chart reaches the buttons, with a focus ring one can see
    page.locator("button", has_text="Contour race").focus()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.dataset.action === 'restart'"):
            break
    else:
        pytest.fail("Tab never reached the race's buttons")
    ring = page.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                         "return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")  # fmt: skip
    assert ring[0] != "none" and ring[1] >= 2, ring
    page.keyboard.press("Enter")  # Restart
    page.wait_for_timeout(300)
    assert shown(page) == 0
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # Step forward
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert shown(page) == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def test_a_dark_system_setting_gives_a_dark_race(server, browser):
    """The app follows the viewer's system setting: on a dark one the page and the race's contour lines are
    dark-themed (the lowest level lightest), in projector mode too; the menu's switch to Light turns them back."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, color_scheme="dark")
    page.goto(f"{server}{BY_NAME['race'].path}?projector=true")
    page.wait_for_selector(STATUS, timeout=90_000)
    page.wait_for_function(DRAWN, timeout=30_000)
    background = page.evaluate("() => getComputedStyle(document.querySelector('.stApp')).backgroundColor")
    assert background == "rgb(23, 22, 20)"  # figures.theme.DARK.background
    lowest = page.evaluate("() => document.querySelector('.js-plotly-plot').data[0].line.color")
    assert lowest == "rgb(253, 231, 37)"  # Viridis reversed: the lowest level in its lightest colour
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(test_browser.SHOTS / "dark-projector-race.png"))
    # the switch in Streamlit's menu: the page runs again (ui/theme.js) and the contour lines follow
    page.get_by_role("button", name="Main menu").click()
    page.locator("button", has_text="Light").last.click()
    page.wait_for_function(f"() => document.querySelector('.js-plotly-plot').data[0].line.color === {LIGHTEST!r}",
                           timeout=20_000)  # fmt: skip
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()
