"""Throughput of engine.run against torch.optim and a memory-copy bound, measured in the same run.

RMSProp on the elliptic surface, B runs at once, record="final" (torch.optim keeps
no history either). Prints run-steps per second and ratios; asserts nothing.
Usage: .venv/bin/python benchmarks/bench_core.py [--quick]
"""

from __future__ import annotations

import sys
import time

import numpy as np

import rmsviz
from rmsviz.backend import torch_installed

HYPERPARAMETERS = {"lr": 0.01, "gamma": 0.9, "eps": 1e-6}


def best_of(repeats: int, work) -> float:
    """The fastest of ``repeats`` timings: the least disturbed by the rest of the machine."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def rmsviz_rate(backend: str, starts: np.ndarray, steps: int) -> float:
    def work():
        rmsviz.run("rmsprop", "elliptic", start=starts, steps=steps, backend=backend, record="final", **HYPERPARAMETERS)

    work()  # warm-up: imports, thread pool, allocator
    return len(starts) * steps / best_of(3, work)


def torch_optim_rate(starts: np.ndarray, steps: int) -> float:
    import torch

    curvature = torch.tensor([0.2, 4.0], dtype=torch.float64)  # ∇(0.1x² + 2y²) = (0.2x, 4y)

    def work():
        param = torch.tensor(starts, dtype=torch.float64, requires_grad=True)
        param.grad = torch.empty_like(param)
        opt = torch.optim.RMSprop([param], lr=0.01, alpha=0.9, eps=1e-6)
        with torch.no_grad():
            for _ in range(steps):
                torch.mul(param, curvature, out=param.grad)
                opt.step()

    work()
    return len(starts) * steps / best_of(3, work)


def copy_bound_rate(runs: int) -> float:
    """Run-steps per second if a step only had to stream RMSProp's state (x and s) once through memory."""
    source, target = np.ones((2, runs, 2)), np.empty((2, runs, 2))
    return runs / best_of(5, lambda: np.copyto(target, source))


def main() -> None:
    quick = "--quick" in sys.argv
    sizes = [(1, 2000), (10_000, 200), (1_000_000, 20 if quick else 50)]
    print(f"{'B':>9} {'steps':>6} {'what':<16} {'run-steps/s':>12} {'vs torch.optim':>15} {'vs copy bound':>14}")
    for runs, steps in sizes:
        starts = np.random.default_rng(0).uniform(-5, 5, (runs, 2))
        rates = {"rmsviz numpy": rmsviz_rate("numpy", starts, steps)}
        if torch_installed():
            rates["rmsviz torch"] = rmsviz_rate("torch", starts, steps)
            rates["torch.optim"] = torch_optim_rate(starts, steps)
        rates["copy bound"] = copy_bound_rate(runs)
        reference = rates.get("torch.optim", float("nan"))
        for what, rate in rates.items():
            print(
                f"{runs:>9} {steps:>6} {what:<16} {rate:>12.3g} {rate / reference:>14.2f}x "
                f"{rate / rates['copy bound']:>13.2f}x"
            )


if __name__ == "__main__":
    main()
