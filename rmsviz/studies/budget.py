"""What one page run may make the server compute: one cost model, in seconds of one core, checked before
the work starts.

A lecture hall shares one server: a link at every slider's maximum must not keep a core busy for minutes
while 200 students wait for their pages. Every page estimates its work with the constants below and cuts
its largest setting (the race's and the sweep's steps, the sweep's random starts, the noisy runs' steps, the
training's epochs, the torch comparison's epochs) to what fits in PAGE_SECONDS before anything runs; the
page says what was cut and why.

The model. One step of ``engine.run`` over B points (a race's racer: 1; a sweep: cells × starts; the noise
page: its seeds) costs ``step_seconds(operations, B)``: a fixed cost per step (the optimizer's arithmetic
and the engine's bookkeeping, at the price of Python's calls on small arrays), the same per operation of a
typed formula's gradient and a typed rule (``surfaces.expression.size``: each distinct subtree once), and
per point both again at the price of NumPy's arithmetic on long arrays. A training epoch costs its
multiply-adds (parameters × samples) and a fixed cost per optimizer step (a batch).

Calibration: the constants are what ``benchmarks/bench_worst_page.py --calibrate`` measures on this
machine (CPU seconds by ``resource.getrusage``, the slowest of the built-in optimizers): engine.run of
Adadelta on a typed formula of 5 and of 528 operations, for one point over 1000 steps and for 10⁵ points
over 10 steps; the race page of one step on the longest formula and rule, less the same on a catalog surface,
over their operations (TYPED_OPERATION); training epochs of the digits network from softmax regression to 256
hidden units at batches of 8 and of the whole set. Each is rounded up. The same benchmark then opens every page at its
largest reachable settings and largest accepted inputs and checks each page run against 2 s of CPU and
500 MB; PAGE_SECONDS leaves the rest of the 2 s to Streamlit and the charts.
"""

from __future__ import annotations

import math

from rmsviz.studies import train

PAGE_SECONDS = 0.8  # the compute one page run may do; the rest of its 2 s is Streamlit's, the charts' and a margin

# engine.run: seconds per step of one run, per operation of a step, and both per point of a batch
STEP = 45e-6
OPERATION = 4.5e-6
POINT_STEP = 80e-9
POINT_OPERATION = 4e-9
NOISE_POINT_STEP = 20e-9  # drawing a noisy run's two Gaussian numbers per point and step
# What a typed formula or rule costs a race whatever its steps, per operation: building its derivatives and
# LaTeX, finding its start, its contours and views, the step inspector's lines
TYPED_OPERATION = 2.5e-4

# training: seconds per (parameter × sample) of an epoch's forward and backward passes and evaluation, and per
# optimizer step (a batch); the torch comparison trains the same run twice, rmsviz's and torch's
MULTIPLY_ADD = 2.5e-9
TRAIN_STEP = 2.5e-4
TORCH_COMPARISON = 2.5  # the comparison's epoch, in epochs of the run it compares

# one sweep's steps are never cut below this while random starts can go instead
MIN_SWEEP_STEPS = 50


def step_seconds(operations: int = 0, points: int = 1) -> float:
    """One step of one engine.run of ``points`` points whose surface and optimizer add ``operations`` typed
    operations (0: a catalog surface and a built-in optimizer)."""
    return STEP + operations * OPERATION + points * (POINT_STEP + operations * POINT_OPERATION)


def within(steps: int, per_step: float, seconds: float | None = None) -> int:
    """The most steps (at most ``steps``, at least 1) that cost ``per_step`` each within ``seconds`` (PAGE_SECONDS)."""
    return max(1, min(steps, math.floor((PAGE_SECONDS if seconds is None else seconds) / per_step)))


def race_steps(racer_operations: list[int], surface_operations: int, hessian_operations: int, steps: int) -> int:
    """The steps a race may run: one run per racer (``racer_operations``: each racer's typed operations, 0 for
    a built-in) on a surface whose f and gradient take ``surface_operations`` and whose Hessian, evaluated along
    every path for the stability panel, ``hessian_operations``. What the typed formula and rule cost whatever
    the steps (TYPED_OPERATION) comes out of the page's seconds first."""
    per_step = sum(
        step_seconds(surface_operations + own) + hessian_operations * POINT_OPERATION for own in racer_operations
    )
    fixed = (surface_operations + hessian_operations + sum(racer_operations)) * TYPED_OPERATION
    return within(steps, per_step, max(PAGE_SECONDS - fixed, 0.0)) if per_step else steps


def sweep_plan(cells: int, starts: int, steps: int, operations: int) -> tuple[int, int]:
    """(random starts, steps) a sweep of ``cells`` cells may run, at most the ``starts`` (0: the surface's own
    start) and ``steps`` asked: the steps are cut first, down to MIN_SWEEP_STEPS, then the random starts."""
    while True:
        allowed = within(steps, step_seconds(operations, cells * max(starts, 1)))
        if allowed >= min(steps, MIN_SWEEP_STEPS) or starts == 0:
            return starts, allowed
        starts = starts // 2 if starts > 1 else 0


def noisy_steps(optimizers: int, runs: int, steps: int, seconds: float | None = None) -> int:
    """The steps the noise page's ``runs`` seeds of each of ``optimizers`` optimizers may run."""
    per_step = optimizers * (step_seconds(0, runs) + runs * NOISE_POINT_STEP)
    return within(steps, per_step, seconds) if optimizers else steps


def epoch_seconds(run: train.TrainRun) -> float:
    """One epoch of ``run``: its multiply-adds and its optimizer steps."""
    samples = train.SAMPLES
    steps = 1 if not run.batch_size else math.ceil(samples * (1 - train.TEST_FRACTION) / run.batch_size)
    return run.model.size * samples * MULTIPLY_ADD + steps * TRAIN_STEP


def train_epochs(runs: tuple[train.TrainRun, ...], done: list[int], epochs: int, seconds: float | None = None) -> int:
    """The most epochs (at most ``epochs``, at least one more) every run can reach within ``seconds``
    (PAGE_SECONDS), counting only the epochs not yet trained (``done[i]`` of run i are stored already): a later
    page run trains further."""
    seconds = PAGE_SECONDS if seconds is None else seconds
    per_epoch = [epoch_seconds(run) for run in runs]

    def cost(target: int) -> float:
        return sum(max(0, target - d) * s for d, s in zip(done, per_epoch, strict=True))

    if cost(epochs) <= seconds:
        return epochs
    low, high = min(done, default=0), epochs  # cost(low) is 0; find the largest target within the budget
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if cost(middle) <= seconds else (low, middle - 1)
    return min(epochs, max(low, min(done, default=0) + 1))  # each page run trains one epoch more at least


def comparison_epochs(run: train.TrainRun, epochs: int, seconds: float | None = None) -> int:
    """The epochs the torch comparison of ``run`` may train (it trains from the start, twice)."""
    return within(epochs, TORCH_COMPARISON * epoch_seconds(run), seconds)
