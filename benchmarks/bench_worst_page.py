"""The worst page run: CPU seconds and peak MB of one page run (AppTest) at the largest reachable settings and
the largest accepted inputs of every page, against the targets of 2 s of CPU and 500 MB (issue 27, cause 4).

Each case runs in a process of its own, after a first run of the same page at its defaults (the imports and the
app's first-use work, and torch's import and first use for a case that uses it, are not the case's), every cache
cleared: once for the CPU seconds (``resource.getrusage``, every thread of the process) and once for the peak of
the memory Python and NumPy allocate (``tracemalloc``, which slows the run, so apart). A case that runs past
``--timeout`` seconds is stopped and reported so. ``--calibrate`` measures the constants of rmsviz.studies.budget's
cost model on this machine instead (each rounded up there).

The app measured is the one beside the rmsviz that Python imports: ``PYTHONPATH=<an old checkout>`` measures
that checkout. Prints; exits 1 when a case is over a target.
Usage: .venv/bin/python benchmarks/bench_worst_page.py [--timeout 120] [--only race] [--calibrate]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import rmsviz
from rmsviz.optimizers import OPTIMIZERS

ROOT = Path(rmsviz.__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
CPU_TARGET, MB_TARGET = 2.0, 500.0
TITLES = tuple(spec.title for spec in OPTIMIZERS.values())
RACERS = [*TITLES, *(f"{title} #2" for title in TITLES)]  # every racer the race offers, each twice


def longest_formula(limit: int = 500) -> str:
    """A product of sines, as long as the formula box takes: every factor's derivative is a new subtree."""
    text, i = "sin(1*x+0*y)", 1
    while len(text) + len(f"*sin({i % 9 + 1}*x+{i % 7}*y)") <= limit:
        text += f"*sin({i % 9 + 1}*x+{i % 7}*y)"
        i += 1
    return text


def longest_rule(limit: int = 1000) -> tuple[str, str]:
    """(update, state): an RMSProp-like rule as long as the update box takes, every term a new subtree."""
    body, i = "x = x - lr*(", 0
    while len(body) + 40 < limit - len("s = gamma*s + (1 - gamma)*g**2\n"):
        body += ("+" if i else "") + f"sqrt(abs(g*{i % 10}+s))*gamma"
        i += 1
    return "s = gamma*s + (1 - gamma)*g**2\n" + body + ")", "s = 0"


UPDATE, STATE = longest_rule()
RULE = {"rule_on": "true", "rule": UPDATE, "rule_state": STATE}
BIG_RACE = {"surface": "Your own formula", "formula": longest_formula(), "racers": RACERS, "steps": "1000", **RULE}
CASES = [
    ("race", "494-char formula, 14 racers + 998-char rule, 1000 steps, 3-D", {**BIG_RACE, "view": "3-D surface"}),
    ("race", "the same, contour race", {**BIG_RACE, "view": "Contour race"}),
    ("race", "the same, one panel each, stability", {**BIG_RACE, "view": "One panel each", "details": "Stability"}),
    ("race", "the same, what it sees, step inspector",
     {**BIG_RACE, "view": "What it sees", "details": "Step inspector"}),
    ("race", "Rosenbrock, 14 racers + rule, 1000 steps, noise 2",
     {"surface": "Rosenbrock", "racers": RACERS, "steps": "1000", "noise": "2", **RULE}),
    ("sweep", "RMSProp 200 × 200 cells, 16 starts, 1000 steps",
     {"x_cells": "200", "y_cells": "200", "random_starts": "16", "sweep_steps": "1000"}),
    ("sweep", "998-char rule, 200 × 200 cells, 16 starts, 1000 steps",
     {"optimizer": "Your rule", "sweep_rule": UPDATE, "sweep_rule_state": STATE, "x_cells": "200",
      "y_cells": "200", "random_starts": "16", "sweep_steps": "1000"}),
    ("sweep", "RMSProp with a multistep schedule, at every cap",
     {"x_cells": "200", "y_cells": "200", "random_starts": "16", "sweep_steps": "1000",
      "sweep.schedule": "multistep", "sweep.milestones": "10, 20, 30"}),
    ("noise", "7 optimizers × 1000 seeds × 2000 steps, σ 5; 1000 gradients × 1000 steps",
     {"optimizers": list(TITLES), "runs": "1000", "noisy_steps": "2000", "sigma": "5",
      "sequence": ", ".join(["0.1"] * 999 + ["-0.9"]), "mb_steps": "1000"}),
    ("train", "256 hidden, 200 epochs, batches of 8, 7 optimizers, torch",
     {"hidden": "256", "epochs": "200", "batch": "8", "train_optimizers": list(TITLES), "torch": "true"}),
    ("train", "the same without torch",
     {"hidden": "256", "epochs": "200", "batch": "8", "train_optimizers": list(TITLES)}),
    ("decay", "8 γ, 1000 steps", {"gammas": "0.999, 0.99, 0.95, 0.9, 0.8, 0.7, 0.5, 0.1", "run.steps": "1000"}),
    ("conventions", "200 steps", {"conv_steps": "200"}),
]  # fmt: skip


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def page_run(page: str, query: dict, timeout: float):
    """One page run of ``page`` opened with ``query``, as a link opens it."""
    from streamlit.testing.v1 import AppTest

    from rmsviz.ui.pages import BY_NAME

    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    return at.switch_page(BY_NAME[page].script).run()


def one_case(index: int, timeout: float) -> dict:
    """CPU seconds, peak MB and the page's timer notices of case ``index``, in this process."""
    import streamlit as st

    page, _, query = CASES[index]
    page_run(page, {}, timeout)  # imports and first-use work
    if query.get("torch") == "true":  # a server imports torch and pays its first use (2 s) once: no page run's
        import torch

        weights = torch.zeros(3, requires_grad=True)
        (weights * 2).sum().backward()
        torch.optim.RMSprop([weights]).step()
    st.cache_resource.clear()
    gc.collect()
    start = cpu()
    at = page_run(page, query, timeout)
    seconds = cpu() - start
    st.cache_resource.clear()
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    page_run(page, query, timeout)
    peak = (tracemalloc.get_traced_memory()[1] - base) / 1e6
    tracemalloc.stop()
    said = [w.value for w in at.warning if "server a class shares" in w.value or "compute" in w.value]
    return {"cpu": seconds, "mb": peak, "said": said, "failed": [e.message for e in at.exception]}


def run_all(timeout: float, only: str | None) -> bool:
    worst_cpu, worst_mb, ok = (0.0, ""), (0.0, ""), True
    print(f"app: {APP}")
    print(f"{'page':12} {'CPU s':>7} {'peak MB':>8}  case")
    for index, (page, label, _query) in enumerate(CASES):
        if only and page != only:
            continue
        command = [sys.executable, __file__, "--case", str(index), "--timeout", str(timeout)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=2 * timeout + 60, check=False)
            result = json.loads(done.stdout.strip().splitlines()[-1])
        except (subprocess.TimeoutExpired, IndexError, json.JSONDecodeError):
            print(f"{page:12} {'>' + str(int(timeout)):>7} {'?':>8}  {label} (stopped: past the timeout)")
            ok = False
            continue
        over = result["cpu"] > CPU_TARGET or result["mb"] > MB_TARGET or result["failed"]
        ok = ok and not over
        print(f"{page:12} {result['cpu']:7.2f} {result['mb']:8.1f}  {label}{'  OVER' if over else ''}")
        for line in result["said"] + result["failed"]:
            print(f"{'':30}{line[:150]}")
        worst_cpu = max(worst_cpu, (result["cpu"], f"{page}: {label}"))
        worst_mb = max(worst_mb, (result["mb"], f"{page}: {label}"))
    print(f"worst CPU: {worst_cpu[0]:.2f} s ({worst_cpu[1]}), target {CPU_TARGET} s")
    print(f"worst peak: {worst_mb[0]:.1f} MB ({worst_mb[1]}), target {MB_TARGET:.0f} MB")
    return ok


def calibrate() -> None:
    """The constants of rmsviz.studies.budget, measured here (CPU seconds of this process)."""
    import numpy as np

    from rmsviz import engine
    from rmsviz.optimizers import OPTIMIZERS
    from rmsviz.studies import train
    from rmsviz.surfaces import Surface

    def timed(work, *args, **kwargs) -> float:
        start = cpu()
        work(*args, **kwargs)
        return cpu() - start

    small, big = Surface.from_expression("x**2 + y**2"), Surface.from_expression(longest_formula())
    ops = big.operations - small.operations
    for points, steps in ((1, 1000), (100_000, 10)):
        start = np.full((points, 2), 0.3) if points > 1 else (0.3, 0.3)
        record = "all" if points == 1 else "final"
        base, heavy = (
            timed(engine.run, "adadelta", s, start=start, steps=steps, record=record) / steps for s in (small, big)
        )
        print(f"{points} point(s): a step {base * 1e6:.1f} µs, an operation {(heavy - base) / ops * 1e9:.1f} ns "
              f"({(heavy - base) / ops / points * 1e9:.2f} ns a point)")  # fmt: skip
    import streamlit as st

    from rmsviz.rules import parse_rule

    typed = big.operations + big.hessian_operations + parse_rule(UPDATE, STATE).operations
    page_run("race", {}, 120)
    costs = []
    for query in ({**BIG_RACE, "steps": "1"}, {"racers": RACERS, "steps": "1"}):
        st.cache_resource.clear()
        costs.append(timed(page_run, "race", query, 120))
    print(f"a typed operation in the race, whatever its steps: {(costs[0] - costs[1]) / typed * 1e6:.0f} µs")
    for hidden, batch in ((0, 8), (0, 32), (256, 8), (256, 0)):
        settings = {**OPTIMIZERS["rmsprop"].defaults, **OPTIMIZERS["rmsprop"].options}
        run = train.TrainRun("rmsprop", tuple(settings.items()), train.Model(hidden, "tanh"), batch, 0)
        checkpoint = train.next_epoch(run, train.start(run))
        seconds = timed(train.next_epoch, run, checkpoint)
        steps = 1 if not batch else -(-round(train.SAMPLES * (1 - train.TEST_FRACTION)) // batch)
        print(f"epoch of {hidden} hidden, batch {batch}: {seconds:.3f} s ({run.model.size * train.SAMPLES:.3g} "
              f"multiply-adds, {steps} steps)")  # fmt: skip
        try:
            compared = timed(train.torch_rmsprop, run, 1)
            print(f"  its torch comparison: {compared:.3f} s an epoch")
        except ImportError:
            pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--only")
    parser.add_argument("--case", type=int)
    parser.add_argument("--calibrate", action="store_true")
    args = parser.parse_args()
    if args.calibrate:
        calibrate()
    elif args.case is not None:
        try:
            print(json.dumps(one_case(args.case, args.timeout)), flush=True)
        finally:
            os._exit(0)  # a page run stopped by AppTest's timeout goes on in its thread: end the process here
    else:
        started = time.perf_counter()
        ok = run_all(args.timeout, args.only)
        print(f"({time.perf_counter() - started:.0f} s)")
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
