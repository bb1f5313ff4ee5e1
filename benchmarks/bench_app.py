"""Server time of a race-page rerun (AppTest), warm and with caches cleared, the race figure's size,
and the time from navigation to a drawn chart in headless Chromium (when Debian's chromium is here).

The browser time is taken in the page: a MutationObserver, installed before the page's own scripts, notes
``performance.now()`` (milliseconds since navigation started) when the first Plotly trace is in the DOM.
Playwright's ``wait_for_selector`` is not the clock: it polls with a back-off that ends at one look every
500 ms, so the time it returns comes in steps of half a second (a page drawn at 2.9 s read as 2.9 or 3.5 s).

The default race: 4 optimizers, 50 steps; and the same with 200 steps. Prints; asserts nothing.
Usage: .venv/bin/python benchmarks/bench_app.py
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import streamlit as st
from serving import served
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
CHART = ".js-plotly-plot .scatterlayer .trace"
NOTE_FIRST_CHART = f"""
new MutationObserver((changes, observer) => {{
  if (document.querySelector("{CHART}")) {{ window.firstChartAt = performance.now(); observer.disconnect(); }}
}}).observe(document, {{childList: true, subtree: true}});
"""
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def median_rerun(at: AppTest, clear: bool, repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        if clear:
            st.cache_resource.clear()
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    for steps in (50, 200):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["steps"] = str(steps)
        at.run()
        spec = at.get("plotly_chart")[0].proto.spec
        frames = len(json.loads(spec)["frames"])
        warm, cold = median_rerun(at, clear=False), median_rerun(at, clear=True)
        print(
            f"steps={steps:>4}: rerun warm {warm * 1000:6.1f} ms, cold {cold * 1000:6.1f} ms, "
            f"race figure {len(spec) / 1024:6.1f} KB with {frames} frames"
        )


FLOOR_APP = """
import plotly.graph_objects as go
import streamlit as st
st.title("floor")
st.plotly_chart(go.Figure(go.Scatter(x=[1, 2], y=[1, 2])))
"""


def seconds_to_chart(app: str, query: str, repeats: int = 3) -> list[float] | None:
    """Navigation to a drawn chart in headless Chromium, against ``app`` served here; None without chromium."""
    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    from playwright.sync_api import sync_playwright

    with served(app) as url, sync_playwright() as playwright:
        times = []
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        for _ in range(repeats + 1):  # the first load also warms the server's caches
            page = browser.new_page()
            page.add_init_script(NOTE_FIRST_CHART)
            page.goto(f"{url}/{query}")
            page.wait_for_function("window.firstChartAt !== undefined", timeout=60_000)
            times.append(page.evaluate("window.firstChartAt") / 1000)
            page.close()
        browser.close()
        return times[1:]


if __name__ == "__main__":
    main()
    with tempfile.TemporaryDirectory() as folder:
        floor_app = Path(folder) / "floor.py"
        floor_app.write_text(FLOOR_APP)
        floor = seconds_to_chart(str(floor_app), "")
    if floor is None:
        print("chart in the browser: skipped (no chromium; apt-get install chromium)")
    else:
        print(f"floor (a page with one 2-point Plotly chart): {statistics.median(floor):.2f} s to a drawn chart")
        for steps in (50, 200):
            seconds = statistics.median(seconds_to_chart(APP, f"?steps={steps}"))
            print(
                f"steps={steps:>4}: navigation to a drawn race chart {seconds:.2f} s "
                f"({seconds / statistics.median(floor):.2f}x the floor)"
            )
