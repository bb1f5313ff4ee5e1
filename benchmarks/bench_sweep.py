"""A 200 × 200 sweep of RMSProp (η × γ, 200 steps on the elliptic surface) in one rmsviz call, against the same
40 000 configurations run one by one with torch.optim.RMSprop (a sample, extrapolated), and the server time of
the sweep page's rerun (AppTest), warm and cold.

Targets: the sweep under 1 s on 2 cores, ≥ 1000× the per-configuration loop, a page rerun under 2 s.
Prints; asserts nothing. Usage: .venv/bin/python benchmarks/bench_sweep.py
"""

from __future__ import annotations

import statistics
import time
from functools import partial
from pathlib import Path

import numpy as np
import streamlit as st
from streamlit.testing.v1 import AppTest
from timing import fastest

import rmsviz
from rmsviz.studies import sweep
from rmsviz.ui import sweep_links

APP = str(Path(__file__).resolve().parents[1] / "app.py")
CELLS, STEPS, SAMPLE = 200, 200, 200
SPEC = rmsviz.OPTIMIZERS["rmsprop"]
LRS = sweep.grid_values(SPEC.hyperparameter("lr"), CELLS)
GAMMAS = sweep.grid_values(SPEC.hyperparameter("gamma"), CELLS)


def torch_loop(configurations) -> float:
    """Seconds to run each (η, γ) alone: torch.optim.RMSprop on a 2-element tensor, autograd for the gradient."""
    import torch

    start = time.perf_counter()
    for lr, gamma in configurations:
        x = torch.tensor([-5.0, -2.0], dtype=torch.float64, requires_grad=True)
        optimizer = torch.optim.RMSprop([x], lr=float(lr), alpha=float(gamma), eps=1e-6)
        for _ in range(STEPS):
            optimizer.zero_grad()
            loss = 0.1 * x[0] ** 2 + 2 * x[1] ** 2
            loss.backward()
            optimizer.step()
    return time.perf_counter() - start


def page_rerun(query: dict, clear: bool, repeats: int = 5) -> float:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("views/sweep.py")
    at.run()
    times = []
    for _ in range(repeats):
        if clear:
            st.cache_resource.clear()
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    cells = CELLS * CELLS
    print(f"sweep: RMSProp η × γ, {CELLS} × {CELLS} = {cells} configurations, {STEPS} steps, elliptic surface")
    sweeps = {}
    for backend in rmsviz.available_backends():
        run = partial(sweep.sweep, "rmsprop", "elliptic", "lr", LRS, "gamma", GAMMAS, steps=STEPS, backend=backend)
        run()  # warm-up: imports, thread pool
        sweeps[backend] = fastest(run)
        rate = cells * STEPS / sweeps[backend] / 1e6
        print(f"  rmsviz.studies.sweep, {backend:>5}: {sweeps[backend]:7.3f} s  ({rate:.0f} M run-steps/s)")
    if "torch" in rmsviz.available_backends():
        rng = np.random.default_rng(0)
        sample = list(zip(rng.choice(LRS, SAMPLE), rng.choice(GAMMAS, SAMPLE), strict=True))
        torch_loop(sample[:5])  # warm-up
        per_configuration = torch_loop(sample) / SAMPLE
        loop = per_configuration * cells
        print(f"  torch.optim.RMSprop one by one: {per_configuration * 1e3:.2f} ms per configuration, "
              f"{loop:.0f} s for all {cells} (extrapolated from {SAMPLE})")  # fmt: skip
        for backend, seconds in sweeps.items():
            print(f"  ratio loop / sweep ({backend}): {loop / seconds:,.0f}×")
    print("sweep page rerun (AppTest, server time):")
    largest = sweep_links.query({sweep_links.cells_key(axis): 200 for axis in (sweep_links.X, sweep_links.Y)})
    for name, query in (("default 40 × 40", {}), ("200 × 200", largest)):
        warm, cold = page_rerun(query, clear=False), page_rerun(query, clear=True)
        print(f"  {name:>16}: warm {warm * 1e3:7.1f} ms, cold {cold * 1e3:7.1f} ms")


if __name__ == "__main__":
    main()
