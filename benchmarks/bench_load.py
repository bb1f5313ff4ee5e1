"""A class opening one link at once: N sessions on a page's default link, against a hello-world page.

For each target (the app's page(s), a hello-world Streamlit page and a page with one small Plotly
chart, the last two written to a temp dir and served with Streamlit's default settings, as a plain
Streamlit page is deployed; ``--reference-config app`` serves them with the app's own
``.streamlit/config.toml`` instead, so that a ratio measures the pages alone and not the app's settings),
the benchmark starts its own server on 127.0.0.1, fresh (no script has run yet: the first-load case,
e.g. just after Community Cloud woke the app) or warmed (one session has run that page, and the server is idle
again), opens N
sessions at the same moment with Streamlit's own websocket protocol (tests/e2e/streamlit_client.py),
keeps them open until every run is over, and prints per target:

- p50 and p95 seconds from the common start to ``script_finished``;
- websocket bytes received per session (the HTML and static files a browser also loads excluded);
- server RSS growth per session, MiB (VmRSS from /proc/<pid>/status before and with all open);
  fresh includes the first run's imports and caches, spread over the N sessions;
- server CPU seconds per session (utime + stime from /proc/<pid>/stat, all threads);
- sessions with an exception element or an st.error, and sessions that failed (timeout, refused);
- the ratios of p50, p95, RSS and CPU to the hello-world page served in the same run and state.

Each server is killed at the end of its target, also on an exception or Ctrl-C. The client runs on
the same machine and competes with the server for the cores: its CPU seconds are printed too.

With ``--query QUERY`` (e.g. ``"view=What+it+sees"``), each app page is measured once more opened with that
query: the target "<page>?<query>" says what a view that is drawn only when picked costs a class that picks it.

With ``--busy LINK`` (a page and its query, e.g. ``"train?hidden=256&epochs=200&batch=8"``), each app page
is measured once more while one other session runs that link's long job on the same server: the target
"<page>+busy" says what a class waits while one student's link keeps a core busy.

Usage: .venv/bin/python benchmarks/bench_load.py [--sessions 200] [--page race|decay|noise|train|sweep|all]
                                                 [--state fresh|warm|both] [--timeout 300] [--busy LINK] [--query QUERY]
                                                 [--reference-config default|app]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))  # the load client, beside its test
import streamlit_client

ROOT = Path(__file__).resolve().parents[1]
APP_PAGES = {"race": "", "decay": "decay", "noise": "noise", "train": "train", "sweep": "sweep"}
MAX_SESSIONS = 400
MAX_TIMEOUT = 900
HELLO = 'import streamlit as st\n\nst.write("Hello, world")\n'
ONE_CHART = (
    "import plotly.graph_objects as go\nimport streamlit as st\n\n"
    "st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])))\n"
)
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Row:
    state: str
    target: str
    sessions: int
    p50: float
    p95: float
    kib: float  # websocket KiB received per session
    mib: float  # server RSS growth per session
    cpu: float  # server CPU seconds per session
    rss_after: float  # server RSS with every session open, MiB
    exceptions: int
    failures: int
    client_cpu: float


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()  # after "pid (comm)"; utime, stime are fields 14, 15
    return (int(fields[11]) + int(fields[12])) / TICKS


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


SETTLED = 0.05  # server CPU seconds per second below which a warmed server has finished its one-off work
SETTLE_LIMIT = 30.0


def settle(pid: int) -> None:
    """Wait until the warmed server is idle: what its first run left under way once per server (until issue 25,
    the app's import of the other pages' libraries in a thread: about a second of CPU) is no class's cost."""
    deadline = time.monotonic() + SETTLE_LIMIT
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        time.sleep(0.5)
        if cpu_seconds(pid) - before < SETTLED / 2:
            return


BUSY_HEAD_START = 0.5  # seconds the busy link runs alone before the class arrives (it runs about 5 s in all)


def measure(
    state: str,
    target: str,
    script: Path,
    page: str,
    sessions: int,
    timeout: float,
    busy: str | None = None,
    query: str = "",
) -> Row:
    """One server for one target: start it, warm it if asked, start the busy link's job if given, open the
    sessions (on the page's link with ``query``), read /proc."""
    with streamlit_client.serve(script, script.parent) as server:
        pid = server.process.pid
        if state == "warm":
            warm = streamlit_client.open_sessions(server.url, [page], query_string=query, timeout=timeout)[0]
            if not warm.ok:
                print(f"  warm-up of {target} did not finish cleanly: {warm}", file=sys.stderr)
            settle(pid)
        if busy:
            busy_page, _, busy_query = busy.partition("?")
            job = threading.Thread(
                target=streamlit_client.open_sessions, args=(server.url, [busy_page]),
                kwargs=dict(query_string=busy_query, timeout=timeout), daemon=True,
            )  # fmt: skip
            job.start()
            time.sleep(BUSY_HEAD_START)
        rss_before, cpu_before = rss_mib(pid), cpu_seconds(pid)
        with_all_open = {}

        def read_proc() -> None:
            with_all_open.update(rss=rss_mib(pid), cpu=cpu_seconds(pid))

        client_before = time.process_time()
        results = streamlit_client.open_sessions(
            server.url, [page] * sessions, query_string=query, timeout=timeout, while_open=read_proc
        )
        client_cpu = time.process_time() - client_before
    seconds = sorted(r.seconds for r in results if r.seconds is not None)
    return Row(
        state=state,
        target=target,
        sessions=sessions,
        p50=percentile(seconds, 50),
        p95=percentile(seconds, 95),
        kib=statistics.fmean(r.bytes_received for r in results) / 1024,
        mib=(with_all_open["rss"] - rss_before) / sessions,
        cpu=(with_all_open["cpu"] - cpu_before) / sessions,
        rss_after=with_all_open["rss"],
        exceptions=sum(1 for r in results if r.exceptions or r.errors),
        failures=sum(1 for r in results if r.failure or r.page_not_found or r.seconds is None),
        client_cpu=client_cpu,
    )


def ratio(value: float, hello: float) -> float:
    return value / hello if hello > 0 else float("nan")


def print_rows(rows: list[Row]) -> None:
    head = (
        f"{'state':5} {'target':10} {'N':>4} {'p50 s':>7} {'p95 s':>7} {'KiB/sess':>8} {'MiB/sess':>8} "
        f"{'CPUs/sess':>9} {'RSS MiB':>8} {'exc':>4} {'fail':>4} {'p50/hw':>7} {'p95/hw':>7} {'MiB/hw':>7} "
        f"{'CPU/hw':>7} {'client s':>8}"
    )
    print(head)
    print("-" * len(head))
    for row in rows:
        hello = next(r for r in rows if r.state == row.state and r.target == "hello")
        print(
            f"{row.state:5} {row.target:10} {row.sessions:4d} {row.p50:7.2f} {row.p95:7.2f} {row.kib:8.1f} "
            f"{row.mib:8.3f} {row.cpu:9.4f} {row.rss_after:8.0f} {row.exceptions:4d} {row.failures:4d} "
            f"{ratio(row.p50, hello.p50):7.2f} {ratio(row.p95, hello.p95):7.2f} {ratio(row.mib, hello.mib):7.2f} "
            f"{ratio(row.cpu, hello.cpu):7.2f} {row.client_cpu:8.1f}"
        )
    print(
        "per session (sess): websocket KiB received, server RSS growth, server CPU seconds; RSS MiB: the server's "
        "with all open; /hw: ratio to hello-world in the same state; client s: the load client's CPU seconds"
    )


def stop_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt  # unwinds through serve(), which kills the server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=200, help=f"sessions at once (1..{MAX_SESSIONS})")
    parser.add_argument("--page", choices=[*APP_PAGES, "all"], default="race", help="the app's page(s) to open")
    parser.add_argument("--state", choices=["fresh", "warm", "both"], default="both")
    parser.add_argument("--timeout", type=float, default=300, help=f"seconds per target (at most {MAX_TIMEOUT})")
    parser.add_argument("--busy", help="also measure each app page while one session runs this link's job")
    parser.add_argument("--query", default="", help="also measure each app page opened with this query string")
    parser.add_argument(
        "--reference-config", choices=["default", "app"], default="default",
        help="serve hello-world and one-chart with Streamlit's defaults or with the app's .streamlit/config.toml",
    )  # fmt: skip
    args = parser.parse_args()
    if not 1 <= args.sessions <= MAX_SESSIONS:
        parser.error(f"--sessions must be in 1..{MAX_SESSIONS}")
    if not 0 < args.timeout <= MAX_TIMEOUT:
        parser.error(f"--timeout must be in (0, {MAX_TIMEOUT}]")
    signal.signal(signal.SIGTERM, stop_on_sigterm)

    pages = list(APP_PAGES) if args.page == "all" else [args.page]
    states = ["fresh", "warm"] if args.state == "both" else [args.state]
    print(
        f"{args.sessions} sessions at once, 127.0.0.1, {os.cpu_count()} CPUs, pages {pages}, {states}, "
        f"references served with the {args.reference_config} config",
        flush=True,
    )
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_load_") as tmp:
        (Path(tmp) / "hello.py").write_text(HELLO)
        (Path(tmp) / "one_chart.py").write_text(ONE_CHART)
        if args.reference_config == "app":
            (Path(tmp) / ".streamlit").mkdir()
            shutil.copy(ROOT / ".streamlit" / "config.toml", Path(tmp) / ".streamlit")
        # each target: its name, script, page, busy link and query
        targets = [(name, Path(tmp) / f"{name.replace('-', '_')}.py", "", None, "") for name in ("hello", "one-chart")]
        targets += [(name, ROOT / "app.py", APP_PAGES[name], None, "") for name in pages]
        if args.busy:
            targets += [(f"{name}+busy", ROOT / "app.py", APP_PAGES[name], args.busy, "") for name in pages]
        if args.query:
            targets += [(f"{name}?{args.query}", ROOT / "app.py", APP_PAGES[name], None, args.query) for name in pages]
        for state in states:
            for target, script, page, busy, query in targets:
                rows.append(measure(state, target, script, page, args.sessions, args.timeout, busy, query))
                row = rows[-1]
                print(f"  {state} {target}: p95 {row.p95:.2f} s, {row.exceptions} exceptions", flush=True)
    print_rows(rows)


if __name__ == "__main__":
    main()
