"""What a class that leaves without closing its tabs costs while the server keeps its sessions.

A session whose websocket drops is kept for ``server.disconnectedSessionTTL`` seconds (.streamlit/config.toml:
a lecture's length, so that a phone that sleeps comes back to its own session). This measures what keeping
them costs in the server's memory: two servers with the app's settings, one keeping dropped sessions for the
app's time and one for 1 s, each sent the same two waves of N sessions on the default race, every wave's
websockets dropped once its runs are over. Between the waves both wait past 1 s: the short server has let the
first wave go and its memory is reused by the second; the long one keeps both. What the long server holds
beyond the short one after the second wave, per session, is what a kept session costs (RSS alone cannot say:
memory freed inside Python is seldom given back to the system, but it is reused).

Prints, per server: RSS after warming up, after the first wave, after the second; then the kept cost per
session, and what a class of N keeps for the whole time. Sessions speak Streamlit's websocket protocol
(tests/e2e/streamlit_client.py); RSS is VmRSS from /proc.

Usage: .venv/bin/python benchmarks/bench_sessions.py [--sessions 200]
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))  # the load client, beside its test
import streamlit_client
from bench_load import rss_mib

ROOT = Path(__file__).resolve().parents[1]
SHORT = 1
PAUSE = 3.0  # seconds between the waves: past the short server's time


def waves(options: tuple[str, ...], sessions: int) -> list[float]:
    """RSS (MiB) of a fresh server after one warm-up session, and after each of two dropped waves."""
    with streamlit_client.serve(ROOT / "app.py", ROOT, options=options) as server:
        pid = server.process.pid
        assert streamlit_client.open_sessions(server.url, [""])[0].ok, server.log()
        time.sleep(PAUSE)
        readings = [rss_mib(pid)]
        for _ in range(2):
            results = streamlit_client.open_sessions(server.url, [""] * sessions, timeout=300)
            bad = [r for r in results if not r.ok]
            assert not bad, f"{len(bad)} sessions failed: {bad[0]}"
            time.sleep(PAUSE)  # the websockets have dropped (open_sessions closed them all)
            readings.append(rss_mib(pid))
    return readings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=200)
    sessions = parser.parse_args().sessions
    kept = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["disconnectedSessionTTL"]
    long = waves((), sessions)
    short = waves((f"--server.disconnectedSessionTTL={SHORT}",), sessions)
    print(f"{sessions} sessions a wave on the default race, each wave's websockets dropped; RSS in MiB")
    print(f"{'kept for':>10} {'warm':>8} {'wave 1':>8} {'wave 2':>8}")
    for seconds, readings in ((kept, long), (SHORT, short)):
        print(f"{seconds:>8} s " + " ".join(f"{r:8.1f}" for r in readings))
    # After the second wave both servers have held N live sessions at once (memory they keep as RSS); the long
    # one also keeps the first wave, whose memory the short one gave to the second.
    per_session = (long[2] - short[2]) / sessions
    print(f"kept per session: {per_session:.3f} MiB; a class of {sessions} that leaves without closing its tabs "
          f"keeps {per_session * sessions:.1f} MiB for {kept / 60:g} minutes")  # fmt: skip


if __name__ == "__main__":
    main()
