"""run(): the only step loop.

B runs advance together, one vectorized update per step. Runs are
independent, so on the CPU a large batch is cut into chunks that each go
through all the steps while their arrays are still in cache, on a thread pool
(NumPy and torch release the GIL inside their operations). Gradient noise is
drawn per block of runs, so a run's noise depends on the seed and its index,
never on how the batch was chunked.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from rmsviz.backend import Backend, get_backend, namespace
from rmsviz.optimizers import OPTIMIZERS, OptimizerSpec
from rmsviz.surfaces import SURFACES, Surface

MAX_STEPS = 100_000
MAX_RECORDED_VALUES = 250_000_000  # 2 GB of float64; above it, record less
RECORD_MODES = ("path", "all", "final")
OVERFLOW = 1e12  # |x| beyond this has left every surface's domain for good: diverged
CHUNK_RUNS = {"numpy": 65536, "torch": 65536}  # measured best on 2 cores (benchmarks/bench_core.py)
# Below this many runs an operation is too short to hide the GIL the step's Python needs: a batch is
# split over the cores only into chunks at least this large.
MIN_THREAD_CHUNK = 8192
NOISE_BLOCK = 4096  # runs per noise stream; chunks hold whole blocks
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass
class Trajectory:
    """What a run recorded. Index k of every per-step array belongs to step k; 0 is the start.

    path: (steps+1, 2), or (steps+1, B, 2) for a batch; (2, B, 2) with record="final".
    loss: (steps+1,) or (steps+1, B).
    diverged, diverged_at: per run; diverged_at is the step whose point, loss
        or state was non-finite or whose point overflowed past 1e12 (the run
        stays frozen at the point before it), or -1.
    With record="all" also grads (the gradient each step used, NaN at 0),
    state (each optimizer state array by name) and effective_lr (the
    per-coordinate rate each step applied, NaN at 0).
    reached_at: with run(target=...), the first step whose loss was at or below the target, or -1.
    """

    optimizer: str
    surface: str
    path: np.ndarray
    loss: np.ndarray
    diverged: bool | np.ndarray
    diverged_at: int | np.ndarray
    hyperparameters: dict = field(default_factory=dict)
    grads: np.ndarray | None = None
    state: dict[str, np.ndarray] = field(default_factory=dict)
    effective_lr: np.ndarray | None = None
    reached_at: int | np.ndarray | None = None

    @property
    def final(self) -> np.ndarray:
        return self.path[-1]


def _resolve(optimizer, surface) -> tuple[OptimizerSpec, Surface]:
    if isinstance(optimizer, str):
        if optimizer not in OPTIMIZERS:
            raise ValueError(f"Unknown optimizer: {optimizer!r} (known: {', '.join(OPTIMIZERS)})")
        optimizer = OPTIMIZERS[optimizer]
    if isinstance(surface, str):
        if surface not in SURFACES:
            raise ValueError(f"Unknown surface: {surface!r} (known: {', '.join(SURFACES)})")
        surface = SURFACES[surface]
    return optimizer, surface


def _batch_size(start: np.ndarray, values: dict) -> int | None:
    """B for a batch, None for a single run; raise when the shapes disagree."""
    sizes = {name: np.shape(v)[0] for name, v in values.items() if np.ndim(v) == 1}
    if start.ndim == 2:
        sizes["start"] = start.shape[0]
    if len(set(sizes.values())) > 1:
        raise ValueError(f"Batch sizes disagree: {sizes}")
    return next(iter(sizes.values()), None)


def _state_arrays(state) -> dict:
    return {k: v for k, v in state._asdict().items() if v is not None and not isinstance(v, int)}


def _freeze(alive, new, old):
    """Keep ``old`` where a run has diverged; leaves that are None or counters pass through."""
    if new is None or isinstance(new, int):
        return new
    return namespace(new).where(alive if new.ndim == alive.ndim else alive[..., None], new, old)


def run(
    optimizer,
    surface,
    start=None,
    steps: int = 100,
    *,
    backend: str | Backend = "numpy",
    device: str | None = None,
    noise: float = 0.0,
    seed: int | None = None,
    record: str = "path",
    target: float | None = None,
    gradient_sequence=None,
    on_progress: Callable[[float], None] | None = None,
    **hyperparameters,
) -> Trajectory:
    """Run ``optimizer`` on ``surface`` for ``steps`` steps from ``start``.

    ``start`` of shape (2,) is one run, (B, 2) a batch; any hyperparameter may
    be an array of shape (B,). ``noise`` adds N(0, noise²) to every gradient
    coordinate, drawn from ``seed``: the same seed gives every optimizer the
    same noise. A run whose point, loss or state turns non-finite is marked
    diverged and frozen; nothing raises for that. With a ``target`` loss, the
    Trajectory's ``reached_at`` holds the first step at which each run's loss
    was at or below it (-1 if never): what a sweep needs without the paths.
    ``gradient_sequence`` of shape (T,) or (T, 2) is added to the gradient, entry
    (t − 1) mod T at step t: a repeating sequence of minibatch gradients. On a flat
    surface it is the whole gradient. ``on_progress(fraction)`` is called from the
    calling thread as chunks of runs finish (for a progress bar).
    """
    spec, surface = _resolve(optimizer, surface)
    backend = get_backend(backend, device)
    if not isinstance(steps, (int, np.integer)) or not 0 <= steps <= MAX_STEPS:
        raise ValueError(f"Invalid steps: {steps} (must be an integer in [0, {MAX_STEPS}])")
    if record not in RECORD_MODES:
        raise ValueError(f"Invalid record: {record!r} (must be one of {', '.join(RECORD_MODES)})")
    if gradient_sequence is not None:
        gradient_sequence = np.asarray(gradient_sequence, dtype=np.float64)
        if gradient_sequence.ndim == 1:
            gradient_sequence = np.stack([gradient_sequence, gradient_sequence], -1)
        if gradient_sequence.ndim != 2 or gradient_sequence.shape[1] != 2 or not len(gradient_sequence):
            raise ValueError(f"Invalid gradient_sequence shape: {gradient_sequence.shape} (must be (T,) or (T, 2))")
        if not np.isfinite(gradient_sequence).all():
            raise ValueError("Invalid gradient_sequence: every entry must be a finite number")
        gradient_sequence = backend.asarray(gradient_sequence)
    if target is not None and not np.isfinite(target):
        raise ValueError(f"Invalid target: {target} (must be a finite number)")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"Invalid noise: {noise} (must be in [0, inf))")
    unknown = set(hyperparameters) - set(spec.defaults) - set(spec.options)
    if unknown:
        known = ", ".join([*spec.defaults, *spec.options])
        raise ValueError(f"Unknown hyperparameter for {spec.name}: {', '.join(sorted(unknown))} (known: {known})")

    start = np.asarray(surface.starts[0] if start is None else start, dtype=np.float64)
    if start.shape[-1:] != (2,) or start.ndim > 2:
        raise ValueError(f"Invalid start shape: {start.shape} (must be (2,) or (B, 2))")
    if not np.isfinite(start).all():
        raise ValueError("Invalid start: every coordinate must be a finite number")
    options = {k: bool(v) for k, v in hyperparameters.items() if k in spec.options}
    values = {
        name: np.asarray(hyperparameters.get(name, default), dtype=np.float64)
        for name, default in spec.defaults.items()
    }
    if any(v.ndim > 1 for v in values.values()):
        raise ValueError("Each hyperparameter must be a number or an array of shape (B,)")
    spec.factory(**values, **options)  # validates everything before any work starts

    batch = _batch_size(start, values)
    runs = batch or 1
    starts = np.broadcast_to(start, (runs, 2))
    kept = 2 if record == "final" else steps + 1
    per_step = 2 + (4 + 2 * len(spec.hyperparameters) if record == "all" else 0)
    if kept * runs * per_step > MAX_RECORDED_VALUES:
        raise ValueError(f"Too much to record: {runs} runs × {kept} steps; use record='final' or fewer runs or steps")
    if seed is None and noise > 0:
        seed = int(np.random.SeedSequence().entropy % 2**63)

    recorder = _Recorder(backend, record, kept, runs)
    chunk = _chunk_runs(backend, runs)
    bounds = [(lo, min(lo + chunk, runs)) for lo in range(0, runs, chunk)]

    def run_chunk(lo: int, hi: int) -> None:
        hp = {k: v if v.ndim == 0 else v[lo:hi, None] for k, v in values.items()}
        hp = {k: float(v) if v.ndim == 0 else backend.asarray(v) for k, v in hp.items()}
        opt = spec.factory(**hp, **options)
        gradient_noise = _GradientNoise(noise, seed, lo, hi, gradient_sequence, backend)
        # per thread: NumPy's error state does not cross into the pool
        with np.errstate(all="ignore"), backend.no_autograd():
            _step_loop(
                opt, surface, backend.asarray(starts[lo:hi]), steps, gradient_noise, target, recorder.view(lo, hi)
            )

    def report(hi: int) -> None:
        if on_progress is not None:
            on_progress(hi / runs)

    if len(bounds) > 1:
        with ThreadPoolExecutor(max_workers=min(len(bounds), CORES)) as pool:
            futures = [pool.submit(run_chunk, lo, hi) for lo, hi in bounds]
            for future, (_, hi) in zip(futures, bounds, strict=True):
                future.result()
                report(hi)
    else:
        for lo, hi in bounds:
            run_chunk(lo, hi)
            report(hi)

    given = {k: (v if v.ndim else float(v)) for k, v in values.items()}
    trajectory = recorder.trajectory(spec.name, surface.name, {**given, **options}, single=batch is None)
    if target is not None:
        trajectory.reached_at = int(recorder.reached_at[0]) if batch is None else recorder.reached_at
    return trajectory


def _chunk_runs(backend: Backend, runs: int) -> int:
    """Runs per chunk: on the CPU, equal chunks of whole noise blocks, each at most cache-sized, and one
    per core where each still gets MIN_THREAD_CHUNK runs."""
    if backend.device != "cpu":
        return runs  # a GPU wants the whole batch in each operation
    count = max(1, -(-runs // CHUNK_RUNS[backend.name]), min(CORES, runs // MIN_THREAD_CHUNK))
    return -(-runs // count // NOISE_BLOCK) * NOISE_BLOCK


class _GradientNoise:
    """What is added to the surface's gradient at step t: Gaussian noise and a minibatch sequence."""

    def __init__(self, sigma: float, seed: int | None, lo: int, hi: int, sequence, backend: Backend):
        self.sigma, self.sequence, self.backend = sigma, sequence, backend
        # one stream per block of runs, seeded by the seed and the block's first run
        blocks = range(lo, hi, NOISE_BLOCK) if sigma > 0 else ()
        self.streams = [(np.random.default_rng([seed, b]), min(b + NOISE_BLOCK, hi) - b) for b in blocks]

    def __call__(self, g, t: int):
        if self.streams:
            draws = np.concatenate([rng.standard_normal((runs, 2)) for rng, runs in self.streams])
            g = g + self.sigma * self.backend.asarray(draws.reshape(g.shape))
        if self.sequence is not None:
            g = g + self.sequence[(t - 1) % len(self.sequence)]
        return g


def _step_loop(opt, surface, x, steps, gradient_noise, target, out) -> None:
    """Advance one chunk of runs through every step, writing into ``out``."""
    xp = namespace(x)
    state = opt.init(x)
    loss = surface.f(x)
    alive = xp.isfinite(loss)
    out.write(0, x, loss, state, None, None)
    if target is not None:
        reached = loss <= target
        out.mark(reached, 0, out.recorder.reached_at)
    any_frozen = not bool(alive.all())
    for t in range(1, steps + 1):
        g = gradient_noise(surface.grad(x), t)
        updates, new_state = opt.update(g, state)
        new_x = x + updates
        new_loss = surface.f(new_x)
        # Three reductions answer "is every run still fine?" (min, max and sum propagate NaN, so it fails
        # them all); only when one says no is the per-run mask computed. The state needs no check of its
        # own: it cannot overflow before the point or the loss does, which the check catches first.
        if any_frozen or not (
            float(new_x.min()) > -OVERFLOW and float(new_x.max()) < OVERFLOW and bool(xp.isfinite(new_loss.sum()))
        ):
            ok = xp.isfinite(new_loss) & (xp.abs(new_x) < OVERFLOW).all(-1)
            out.mark(alive & ~ok, t, out.recorder.diverged_at)
            alive = alive & ok
            new_x, new_loss = _freeze(alive, new_x, x), _freeze(alive, new_loss, loss)
            new_state = type(new_state)(*(_freeze(alive, n, o) for n, o in zip(new_state, state, strict=True)))
            any_frozen = True
        x, loss, state = new_x, new_loss, new_state
        if target is not None:
            newly = (loss <= target) > reached  # at or below the target now, and not before
            if bool(newly.any()):
                out.mark(newly, t, out.recorder.reached_at)
                reached = reached | newly
        if out.every_step:
            out.write(t, x, loss, state, g, opt.effective_lr)
    if not out.every_step:
        out.write(1, x, loss, state, None, None)


class _Recorder:
    """Preallocated outputs for all runs; each chunk writes its own slice."""

    def __init__(self, backend: Backend, record: str, kept: int, runs: int):
        self.backend, self.record, self.kept = backend, record, kept
        self.path = backend.empty((kept, runs, 2))
        self.loss = backend.empty((kept, runs))
        self.diverged_at = np.full(runs, -1, dtype=np.int64)
        self.reached_at = np.full(runs, -1, dtype=np.int64)
        self.grads = self.effective_lr = None
        self.state: dict = {}
        if record == "all":
            self.grads = backend.empty((kept, runs, 2))
            self.effective_lr = backend.empty((kept, runs, 2))
            self.grads[0] = self.effective_lr[0] = float("nan")
        self.runs = runs

    def view(self, lo: int, hi: int) -> _ChunkWriter:
        return _ChunkWriter(self, lo, hi)

    def trajectory(self, optimizer: str, surface: str, hyperparameters: dict, single: bool) -> Trajectory:
        to_numpy = self.backend.to_numpy
        pick = (lambda a: a[:, 0]) if single else (lambda a: a)
        diverged_at = self.diverged_at[0] if single else self.diverged_at
        return Trajectory(
            optimizer=optimizer,
            surface=surface,
            path=pick(to_numpy(self.path)),
            loss=pick(to_numpy(self.loss)),
            diverged=bool(diverged_at >= 0) if single else diverged_at >= 0,
            diverged_at=int(diverged_at) if single else diverged_at,
            hyperparameters=hyperparameters,
            grads=None if self.grads is None else pick(to_numpy(self.grads)),
            state={k: pick(to_numpy(v)) for k, v in self.state.items()},
            effective_lr=None if self.effective_lr is None else pick(to_numpy(self.effective_lr)),
        )


class _ChunkWriter:
    """The slice of a _Recorder that one chunk of runs writes."""

    def __init__(self, recorder: _Recorder, lo: int, hi: int):
        self.recorder, self.runs = recorder, slice(lo, hi)
        self.backend = recorder.backend
        self.every_step = recorder.record != "final"

    def write(self, index, x, loss, state, g, effective_lr) -> None:
        r = self.recorder
        r.path[index, self.runs] = x
        r.loss[index, self.runs] = loss
        if r.record != "all":
            return
        for name, value in _state_arrays(state).items():
            if name not in r.state:  # allocated once; setdefault keeps the first of two racing chunks
                r.state.setdefault(name, self.backend.empty((r.kept, r.runs, 2)))
            r.state[name][index, self.runs] = value
        if g is not None:
            r.grads[index, self.runs] = g
            r.effective_lr[index, self.runs] = effective_lr(state)

    def mark(self, newly, t, steps: np.ndarray) -> None:
        """Write step ``t`` into ``steps`` (diverged_at or reached_at) for the runs where ``newly`` holds."""
        steps[self.runs][self.backend.to_numpy(newly)] = t
