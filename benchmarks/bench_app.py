"""Server time of a race-page rerun (AppTest), warm and with caches cleared, and the race figure's size.

The default race: 4 optimizers, 50 steps; and the same with 200 steps. Prints; asserts nothing.
Usage: .venv/bin/python benchmarks/bench_app.py
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def median_rerun(at: AppTest, clear: bool, repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        if clear:
            st.cache_resource.clear()
            st.cache_data.clear()
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


if __name__ == "__main__":
    main()
