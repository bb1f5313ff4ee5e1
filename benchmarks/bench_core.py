"""Throughput of engine.run against torch.optim and a memory-copy bound, measured in the same run.

RMSProp on the elliptic surface, B runs at once, record="final" (torch.optim keeps
no history either). Prints run-steps per second and ratios; asserts nothing.
Usage: .venv/bin/python benchmarks/bench_core.py [--quick] [--device cuda]
--device puts rmsviz's torch backend and the torch.optim reference on that device (default: cpu for
torch.optim and the backend's own choice for rmsviz); on cuda each timing ends with a synchronize.
"""

from __future__ import annotations

import sys
import time

import numpy as np

import rmsviz
from rmsviz.backend import torch_installed

HYPERPARAMETERS = {"lr": 0.01, "gamma": 0.9, "eps": 1e-6}


ROUNDS = 5


def synchronize(device: str) -> None:
    """Wait for queued GPU work, so that a timing covers it."""
    if device == "cuda":
        import torch

        torch.cuda.synchronize()


def rmsviz_work(backend: str, starts: np.ndarray, steps: int, device: str | None = None):
    def work():
        rmsviz.run(
            "rmsprop",
            "elliptic",
            start=starts,
            steps=steps,
            backend=backend,
            device=device,
            record="final",
            **HYPERPARAMETERS,
        )
        synchronize(device or "cpu")

    return work


def torch_optim_work(starts: np.ndarray, steps: int, device: str = "cpu"):
    import torch

    curvature = torch.tensor([0.2, 4.0], dtype=torch.float64, device=device)  # ∇(0.1x² + 2y²) = (0.2x, 4y)

    def work():
        param = torch.tensor(starts, dtype=torch.float64, device=device, requires_grad=True)
        param.grad = torch.empty_like(param)
        opt = torch.optim.RMSprop([param], lr=0.01, alpha=0.9, eps=1e-6)
        with torch.no_grad():
            for _ in range(steps):
                torch.mul(param, curvature, out=param.grad)
                opt.step()
        synchronize(device)

    return work


def copy_work(runs: int):
    """A step that only streams RMSProp's state (x and s) once through memory: the bound."""
    source, target = np.ones((2, runs, 2)), np.empty((2, runs, 2))
    return lambda: np.copyto(target, source)


def fastest_interleaved(works: dict) -> dict[str, float]:
    """Each contender's fastest of ROUNDS timings, taken in turns so that a slow spell of the machine
    falls on all of them alike; one untimed warm-up each (imports, thread pool, allocator)."""
    for work in works.values():
        work()
    best = dict.fromkeys(works, float("inf"))
    for _ in range(ROUNDS):
        for what, work in works.items():
            start = time.perf_counter()
            work()
            best[what] = min(best[what], time.perf_counter() - start)
    return best


def main() -> None:
    quick = "--quick" in sys.argv
    device = sys.argv[sys.argv.index("--device") + 1] if "--device" in sys.argv else None
    sizes = [(1, 2000), (10_000, 200), (1_000_000, 20 if quick else 50)]
    print(f"{'B':>9} {'steps':>6} {'what':<16} {'run-steps/s':>12} {'vs torch.optim':>15} {'vs copy bound':>14}")
    for runs, steps in sizes:
        starts = np.random.default_rng(0).uniform(-5, 5, (runs, 2))
        works = {"rmsviz numpy": rmsviz_work("numpy", starts, steps)}
        if torch_installed():
            works["rmsviz torch"] = rmsviz_work("torch", starts, steps, device)
            works["torch.optim"] = torch_optim_work(starts, steps, device or "cpu")
        seconds = fastest_interleaved(works)
        rates = {what: runs * steps / t for what, t in seconds.items()}
        rates["copy bound"] = runs / fastest_interleaved({"copy": copy_work(runs)})["copy"]
        reference = rates.get("torch.optim", float("nan"))
        for what, rate in rates.items():
            print(
                f"{runs:>9} {steps:>6} {what:<16} {rate:>12.3g} {rate / reference:>14.2f}x "
                f"{rate / rates['copy bound']:>13.2f}x"
            )


if __name__ == "__main__":
    main()
