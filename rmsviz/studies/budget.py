"""What one link may make the server compute, checked before the work starts.

A lecture hall shares one server: a link at every slider's maximum must not keep a core busy for minutes
while 200 students wait for their pages. Each page's work is counted in a unit that grows with its time,
and cut to the budget before anything runs; the page says what was cut and why. The budgets are set so that
a page's largest job takes a few seconds on the two-core machines the app is served from
(``benchmarks/bench_sweep.py`` and ``benchmarks/bench_train.py`` measure the rates).
"""

from __future__ import annotations

import math

from rmsviz.studies import train

SWEEP_RUN_STEPS = 100_000_000  # cells × starts × steps of one sweep page view
# One training epoch costs about (parameters × samples) multiply-adds for the forward and backward passes
# and the evaluation, plus a fixed cost per optimizer step (a batch), counted here in the same unit.
TRAIN_WORK = 4_000_000_000
STEP_COST = 30_000  # one optimizer step's fixed cost, in parameter × sample units


def sweep_steps(cells: int, starts: int, steps: int) -> int:
    """The steps a sweep of ``cells`` cells from ``starts`` starts each (0: one) may run, at most ``steps``."""
    per_step = cells * max(starts, 1)
    return max(1, min(steps, SWEEP_RUN_STEPS // per_step))


def epoch_work(run: train.TrainRun) -> int:
    """One epoch of ``run`` in work units: its parameter-sample products and its optimizer steps."""
    samples = train.SAMPLES
    steps = 1 if not run.batch_size else math.ceil(samples * (1 - train.TEST_FRACTION) / run.batch_size)
    return run.model.size * samples + steps * STEP_COST


def train_epochs(runs: tuple[train.TrainRun, ...], done: list[int], epochs: int) -> int:
    """The most epochs (at most ``epochs``) every run can reach within TRAIN_WORK, counting only the epochs
    not yet trained (``done[i]`` of run i are stored already)."""
    per_epoch = [epoch_work(run) for run in runs]

    def work(target: int) -> int:
        return sum(max(0, target - d) * w for d, w in zip(done, per_epoch, strict=True))

    if work(epochs) <= TRAIN_WORK:
        return epochs
    low, high = min(done, default=0), epochs  # work(low) is 0; find the largest target within the budget
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if work(middle) <= TRAIN_WORK else (low, middle - 1)
    return max(low, 1)
