"""Scrub mode against a rerun (issue 25): the time from a key press to the redrawn race paths, in headless
Chromium, on the page's own clock, in the same run.

- scrub: a key press (End, or Home at the end) on the scrub box beside the chart; the paths come from the figure
  (ui.race_scrub).
- rerun: the same key on RMSProp's η slider in the sidebar: the value goes to the server, the page reruns and
  the browser draws the new chart (what every setting did before scrub mode).

The clock: a listener notes ``performance.now()`` at the key's keydown; a MutationObserver notes it when
RMSProp's drawn path (its SVG ``d``) first differs from what it was. Also printed: the race chart's payload (the
spec Streamlit sends, typed arrays included) with and without the scrub. And, as a key held down (the box moved
10 times 33 ms apart): how long after its last move the paths are drawn (what a relayout per key, or anything
else a move leaves behind, holds back).

With ``--wire N``, instead: what Streamlit's websocket compression (``server.enableWebsocketCompression``, which
it passes to uvicorn as permessage-deflate; a browser and the load client tests/e2e/streamlit_client.py offer it)
does, off and on, for N sessions opening each race's link at once on a warm server: the bytes the server wrote
(what the client's websockets received off the socket), the bytes of the messages it read (inflated), and the
server's CPU seconds, a session.

With ``--against DIR`` (another checkout, e.g. ``git worktree add /tmp/before <commit>``), its app is served and
measured too, in the same run: its payload, and its scrub's key presses interleaved with this checkout's (each
page brought to the front before its key).

Race: RMSProp, Adagrad, RMSProp #2, Adagrad #2, 200 steps, ε of every racer scrubbed (its slider's 64 options,
the setting the four share with at least 50 values); and η of every racer (36 options) on the default race.
Prints; asserts nothing. Usage: .venv/bin/python benchmarks/bench_scrub.py [--against DIR] [--wire N]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

from bench_app import CHROMIUM_FLAGS
from serving import served

ROOT = Path(__file__).resolve().parents[1]
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
// A held key: the box moved by one value ``count`` times, ``gap`` ms apart, as a key's auto-repeat moves it;
// resolves to the ms from the last move to the last redrawn path (any path of the plot: the scrubbed ones).
window.held = (count, gap) => new Promise((done) => {
  const box = document.querySelector('[data-rmsviz-scrub] input'), way = Number(box.value) > count ? -1 : 1;
  let moved = null, drawn = null;
  const observer = new MutationObserver(() => { drawn = performance.now(); });
  observer.observe(document.querySelector('.scatterlayer'), {subtree: true, attributes: true, attributeFilter: ['d']});
  const move = (left) => {
    box.value = Number(box.value) + way;
    box.dispatchEvent(new Event('input', {bubbles: true}));
    moved = performance.now();
    if (left > 1) setTimeout(() => move(left - 1), gap);
    else setTimeout(() => { observer.disconnect(); done(drawn - moved); }, 2000);
  };
  move(count);
});
"""
HELD = (10, 33)  # moves and ms between them: a key's auto-repeat, about 30 a second
HOLDS = 5  # held keys on each page


# The race chart's spec in KB, with the scrub and without it (AppTest: what Streamlit sends), for the checkout in
# argv[1] (first on the path: its rmsviz, not this one's) and the link in argv[2]; run in a process of its own.
PAYLOAD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from streamlit.testing.v1 import AppTest
query = json.loads(sys.argv[2])
for q in (query, {k: v for k, v in query.items() if k != "scrub"}):
    at = AppTest.from_file(sys.argv[1] + "/app.py", default_timeout=300)
    for key, value in q.items():
        at.query_params[key] = value
    at.run()
    print(len(at.get("plotly_chart")[0].proto.spec) / 1024)
"""


def payload(checkout: Path, query: dict) -> tuple[float, float]:
    """The race chart's spec in KB at ``checkout``, with the scrub and without it."""
    run = subprocess.run(
        [sys.executable, "-c", PAYLOAD, str(checkout), json.dumps(query)], capture_output=True, text=True, check=True
    )
    with_scrub, without = map(float, run.stdout.split())
    return with_scrub, without


def press_and_time(page, target) -> float:
    """Press End (Home where the box is at its end already: the far ends move every path by pixels) on the range
    box ``target``; milliseconds to RMSProp's redrawn path."""
    key = "Home" if target.evaluate("(box) => box.value === box.max") else "End"
    page.evaluate("window.arm()")
    target.press(key)
    page.wait_for_function("window.drawnAt !== null", timeout=30_000)
    return page.evaluate("window.drawnAt - window.pressedAt")


def opened(browser, url: str):
    """A page of ``url`` with the scrub box drawn, RMSProp's settings open (its η slider drawn)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    page.add_init_script(WATCH)
    page.goto(url)
    page.wait_for_selector("[data-rmsviz-scrub] input", timeout=120_000)
    page.get_by_text("RMSProp settings", exact=True).click()
    page.wait_for_timeout(1500)  # the frames unpacked, the page idle
    return page


def browser_times(urls: dict[str, str]) -> tuple[dict[str, list[float]], dict[str, list[float]], list[float]]:
    """Milliseconds from a key press to RMSProp's redrawn path, PRESSES of each, interleaved: the scrub on each
    checkout's page (``urls``: name to the page's link), and the rerun on the first's; then, HOLDS times on each
    page, how far the paths lag behind a held key (``window.held``)."""
    from playwright.sync_api import sync_playwright

    scrub, held, rerun = {name: [] for name in urls}, {name: [] for name in urls}, []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        pages = {name: opened(browser, url) for name, url in urls.items()}
        first = pages[next(iter(urls))]
        eta = first.locator("[data-testid=stSidebar] [data-testid=stSlider]", has_text="η (lr)").first
        thumb = eta.locator("input[type=range]")  # react-aria's: visually hidden, focused by the thumb
        thumb.wait_for(state="attached")
        for _ in range(PRESSES):
            for name, page in pages.items():
                page.bring_to_front()
                box = page.locator("[data-rmsviz-scrub] input")
                scrub[name].append(press_and_time(page, box))
                # back to the value the race ran with, so that the rerun's value is a new path even where the
                # scrub showed it already
                box.evaluate("(box) => { box.value = box.defaultValue; box.dispatchEvent(new Event('input', "
                             "{bubbles: true})); }")  # fmt: skip
                page.wait_for_timeout(600)  # the chart's slider follows once the keys rest
            first.bring_to_front()
            rerun.append(press_and_time(first, thumb))
            first.wait_for_selector("[data-rmsviz-scrub] input", timeout=60_000)
            first.wait_for_timeout(1500)  # the rerun settles
        for _ in range(HOLDS):
            for name, page in pages.items():
                page.bring_to_front()
                held[name].append(page.evaluate("([count, gap]) => window.held(count, gap)", HELD))
        browser.close()
    return scrub, held, rerun


def summary(times: list[float]) -> str:
    return f"median {statistics.median(times):6.1f} ms ({min(times):.1f}–{max(times):.1f} over {len(times)})"


class Wire:
    """Counts the bytes every websocket of this process receives off the socket, as sent (deflated or not)."""

    def __init__(self) -> None:
        from websockets.asyncio.connection import Connection

        self.bytes, received = 0, Connection.data_received

        def counted(connection, data: bytes) -> None:
            self.bytes += len(data)
            received(connection, data)

        Connection.data_received = counted


def wire(sessions: int) -> None:
    """Off and on, Streamlit's websocket compression: per session, the bytes on the wire, the messages' bytes
    inflated, and the server's CPU seconds, for ``sessions`` at once on each race's link, warm."""
    from bench_load import cpu_seconds, settle, streamlit_client

    counter = Wire()
    links = {"default race": {}, **RACES}
    for compression in ("false", "true"):
        option = f"--server.enableWebsocketCompression={compression}"
        with streamlit_client.serve(ROOT / "app.py", ROOT, options=(option,)) as server:
            pid = server.process.pid
            for name, query in links.items():
                query_string = urlencode(query, doseq=True)
                streamlit_client.open_sessions(server.url, [""], query_string=query_string, timeout=300)  # warm
                settle(pid)
                wrote, cpu = counter.bytes, cpu_seconds(pid)
                results = streamlit_client.open_sessions(
                    server.url, [""] * sessions, query_string=query_string, timeout=300
                )
                wrote, cpu = (counter.bytes - wrote) / sessions, (cpu_seconds(pid) - cpu) / sessions
                read = statistics.fmean(r.bytes_received for r in results)
                failed = sum(not r.ok for r in results)
                print(
                    f"compression {compression:5} {name}: wire {wrote / 1024:7.1f} KB, read {read / 1024:7.1f} KB, "
                    f"server CPU {cpu:.4f} s a session ({sessions} at once, {failed} failed)", flush=True,
                )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", type=Path, help="another checkout of the app, measured in the same run")
    parser.add_argument("--wire", type=int, metavar="N", help="instead: websocket compression off and on, N sessions")
    args = parser.parse_args()
    if args.wire:
        wire(args.wire)
        return
    checkouts = {"this": ROOT, **({"against": args.against.resolve()} if args.against else {})}
    for name, query in RACES.items():
        for which, checkout in checkouts.items():
            with_scrub, without = payload(checkout, query)
            print(f"{name} ({which}: {checkout}): race chart payload {with_scrub:.0f} KB with the scrub, "
                  f"{without:.0f} KB without")  # fmt: skip
    if shutil.which("chromium") is None:
        print("browser: skipped (no chromium; apt-get install chromium)")
        return
    with contextlib.ExitStack() as stack:
        urls = {which: stack.enter_context(served(checkout / "app.py", cwd=checkout)) for which, checkout in
                checkouts.items()}  # fmt: skip
        for name, query in RACES.items():
            scrub, held, rerun = browser_times({which: f"{url}/?{urlencode(query, doseq=True)}" for which, url in
                                                urls.items()})  # fmt: skip
            scrubs = "; ".join(f"scrub ({which}) {summary(times)}" for which, times in scrub.items())
            print(f"{name}: key press to redrawn paths: {scrubs}; rerun (this) {summary(rerun)}")
            lags = "; ".join(f"({which}) {summary(times)}" for which, times in held.items())
            print(f"{name}: a held key ({HELD[0]} moves {HELD[1]} ms apart), the paths behind its last move: {lags}")
            print(json.dumps({"race": name, "scrub_ms": scrub, "held_ms": held, "rerun_ms": rerun}))


if __name__ == "__main__":
    main()
