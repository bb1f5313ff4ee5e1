"""A server that just woke up: seconds from ``streamlit run`` to the first drawn race chart in headless Chromium,
against the one-chart floor app (benchmarks/bench_app.py's) started the same way, interleaved.

Community Cloud puts an idle app to sleep; its first visitor waits for the server to start, import what the app
imports and run the page with cold caches. Each round starts the app's server and then the floor's (both from the
repository root, so both read the app's .streamlit/config.toml), a browser already running: the browser polls the
server's health endpoint from the moment ``streamlit run`` starts, opens the page once it answers, and the page's
own clock notes when the first Plotly trace is in the DOM (bench_app.NOTE_FIRST_CHART). The time is the wall clock
from starting ``streamlit run`` to that moment (the page's ``performance.timeOrigin`` plus its note).

Prints each round and the medians, and their ratio; asserts nothing. ``--root`` serves the app of another checkout
(a worktree of an older commit), to compare two versions in one run: ``--root . --root /tmp/before``.
Usage: .venv/bin/python benchmarks/bench_wake.py [--rounds 5] [--query "?steps=50"] [--root PATH ...]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_app import CHROMIUM_FLAGS, FLOOR_APP, NOTE_FIRST_CHART
from serving import served

ROOT = Path(__file__).resolve().parents[1]


def wake_to_chart(browser, app: Path, cwd: Path, query: str = "") -> float:
    """Seconds from ``streamlit run app`` (run in ``cwd``) to the first drawn chart of a page opened on it."""
    started = time.time()
    with served(app, cwd) as url:
        page = browser.new_page()
        page.add_init_script(NOTE_FIRST_CHART)
        page.goto(f"{url}/{query}")
        page.wait_for_function("window.firstChartAt !== undefined", timeout=120_000)
        drawn = page.evaluate("performance.timeOrigin + window.firstChartAt") / 1000
        page.close()
        return drawn - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--query", default="", help='the race link opened, e.g. "?steps=200"')
    parser.add_argument("--root", action="append", type=Path, help="a checkout whose app.py to serve (default: this)")
    args = parser.parse_args()
    roots = [root.resolve() for root in args.root or [ROOT]]
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("needs chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {"floor": [], **{str(root): [] for root in roots}}
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        floor = Path(folder) / "floor.py"
        floor.write_text(FLOOR_APP)
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        for round_ in range(args.rounds):
            for root in roots:
                times[str(root)].append(wake_to_chart(browser, root / "app.py", root, args.query))
            times["floor"].append(wake_to_chart(browser, floor, roots[0]))  # the app's config, as the app
            print(f"round {round_ + 1}: " + ", ".join(f"{name} {seconds[-1]:.2f} s" for name, seconds in times.items()))
        browser.close()
    base = statistics.median(times["floor"])
    print(f"floor (one 2-point Plotly chart): {base:.2f} s from streamlit run to a drawn chart")
    for root in roots:
        median = statistics.median(times[str(root)])
        print(f"{root}: {median:.2f} s from streamlit run to a drawn race chart ({median / base:.2f}x the floor)")


if __name__ == "__main__":
    main()
