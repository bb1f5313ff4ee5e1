"""What following the scrub costs (issue 25): the race's table and the step inspector at every scrubbed value
(ui.scrub_follow), against the same page with nothing scrubbed, in the same run.

- server: a warm rerun of the page (AppTest, median of 7), and of it the time in the table and the step
  inspector (ui.scrub_follow's race_table and step_inspector: what following adds, beside the scrub's chart);
  a cold rerun (caches cleared: the runs at every value recorded in full, and each value's words written);
- bytes: what the page sends for the followed values (the markdown elements that hold them);
- browser (headless Chromium, page clock): navigation to the inspector's formulas drawn, and a key press on the
  scrub box to the inspector's formulas of the new value typeset (median of 8 presses).

Race: RMSProp, Adagrad, RMSProp #2, Adagrad #2, 200 steps, the step inspector on RMSProp; ε of every racer
scrubbed (its slider's 64 options). Prints; asserts nothing. Usage: .venv/bin/python benchmarks/bench_follow.py
"""

from __future__ import annotations

import shutil
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st
from bench_app import CHROMIUM_FLAGS
from serving import served
from streamlit.testing.v1 import AppTest

from rmsviz.ui import scrub_follow

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PRESSES = 8
RACE = dict(
    racers=["RMSProp", "Adagrad", "RMSProp #2", "Adagrad #2"], steps="200", details="Step inspector",
    scrub="ε of every racer",
)  # fmt: skip
PLAIN = {k: v for k, v in RACE.items() if k != "scrub"}
# the inspector's formulas drawn: four beside the sidebar's (the surface's formula)
INSPECTOR = """() => [...document.querySelectorAll('.katex-display')]
  .filter((k) => !k.closest('[data-testid=stSidebar]')).length >= 4"""
SHOWN = "[data-rmsviz-follow=inspector] [data-rmsviz-follow-value]"
ARM = f"""
window.arm = () => {{
  window.pressedAt = null; window.typesetAt = null;
  const pressed = () => {{ window.pressedAt = performance.now(); }};
  document.addEventListener('keydown', pressed, {{capture: true, once: true}});
  const observer = new MutationObserver(() => {{
    const shown = [...document.querySelectorAll('{SHOWN}')].find((p) => p.offsetParent !== null);
    if (window.pressedAt !== null && shown && shown.querySelectorAll('.katex-display').length === 4) {{
      window.typesetAt = performance.now(); observer.disconnect();
    }}
  }});
  observer.observe(document.body, {{subtree: true, childList: true, attributes: true}});
}};
"""


def timed(spent: list[float], draw):
    """``draw``, adding the milliseconds each call takes to ``spent``."""

    def timed_draw(*args, **kwargs):
        start = time.perf_counter()
        try:
            return draw(*args, **kwargs)
        finally:
            spent.append((time.perf_counter() - start) * 1000)

    return timed_draw


def server(query: dict) -> tuple[float, float, float, float]:
    """A warm rerun in ms and the part of it in the table and the inspector, a cold rerun (medians), and the KB
    the page sends for the followed values."""
    spent = []
    scrub_follow.race_table = timed(spent, drawn := scrub_follow.race_table)
    scrub_follow.step_inspector = timed(spent, inspected := scrub_follow.step_inspector)
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    times, parts = {}, []
    for cold in (False, True):
        runs = []
        for _ in range(7 if not cold else 3):
            spent.clear()
            if cold:
                st.cache_resource.clear()
            start = time.perf_counter()
            at.run()
            runs.append(time.perf_counter() - start)
            parts.append(sum(spent))
        times[cold] = statistics.median(runs) * 1000
    scrub_follow.race_table, scrub_follow.step_inspector = drawn, inspected
    followed = sum(len(m.value.encode()) for m in at.markdown if "data-rmsviz-follow" in m.value) / 1024
    return times[False], statistics.median(parts[:7]), times[True], followed


def browser(url: str) -> tuple[float, float, float | None]:
    """Navigation to the inspector's formulas drawn, with the scrub and without (s, medians of 3), and a key press to
    the next value's formulas typeset (ms, median)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        drawn = {}
        for name, query in (("scrub", RACE), ("plain", PLAIN)) * 4:  # interleaved; the first of each warms up
            page = chromium.new_page(viewport={"width": 1400, "height": 1400})
            page.goto(f"{url}/?{urlencode(query, doseq=True)}")
            page.wait_for_function(INSPECTOR, timeout=120_000, polling=10)
            drawn.setdefault(name, []).append(page.evaluate("performance.now()") / 1000)
            page.close()
        page = chromium.new_page(viewport={"width": 1400, "height": 1400})
        page.add_init_script(ARM)
        page.goto(f"{url}/?{urlencode(RACE, doseq=True)}")
        page.wait_for_selector("[data-rmsviz-scrub] input", timeout=120_000)
        page.wait_for_timeout(3000)
        presses = []
        page.focus("[data-rmsviz-scrub] input")
        for _ in range(PRESSES):
            page.evaluate("window.arm()")
            page.keyboard.press("ArrowLeft")
            page.wait_for_function("window.typesetAt !== null", timeout=30_000)
            presses.append(page.evaluate("window.typesetAt - window.pressedAt"))
            page.wait_for_timeout(400)
        chromium.close()
    return statistics.median(drawn["scrub"][1:]), statistics.median(drawn["plain"][1:]), statistics.median(presses)


def main() -> None:
    warm, part, cold, followed = server(RACE)
    plain_warm, plain_part, plain_cold, _ = server(PLAIN)
    for name, ms, plain in (("warm", warm, plain_warm), ("cold", cold, plain_cold)):
        print(f"server, {name} rerun: following {ms:.1f} ms, nothing scrubbed {plain:.1f} ms ({ms / plain:.2f}x)")
    print(
        f"server, warm rerun, in the table and the inspector: following {part:.1f} ms, nothing scrubbed "
        f"{plain_part:.1f} ms (+{part - plain_part:.1f} ms)"
    )
    print(f"followed values' words sent: {followed:.0f} KB")
    if shutil.which("chromium") is None:
        print("browser: skipped (no chromium)")
        return
    with served(APP) as url:
        scrub, plain, press = browser(url)
    print(f"navigation to the inspector's formulas: following {scrub:.2f} s, nothing scrubbed {plain:.2f} s "
          f"({scrub / plain:.2f}x)")  # fmt: skip
    print(f"key press to the next value's formulas typeset: {press:.1f} ms median over {PRESSES}")


if __name__ == "__main__":
    main()
