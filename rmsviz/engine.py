"""run(): the only step loop.

B runs advance together, one vectorized update per step. Runs are
independent, so on the CPU a large batch is cut into chunks (``plan_chunks``)
that each go through all the steps while their arrays are still in cache, on
one thread pool shared by every run in the process (NumPy and torch release
the GIL inside their operations). Gradient noise is drawn per block of runs,
so a run's noise depends on the seed and its index, never on how the batch
was chunked.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from rmsviz.backend import ArrayLike, Backend, get_backend, namespace
from rmsviz.optimizers import OPTIMIZERS, OptimizerSpec
from rmsviz.schedules import Plateau, Schedule, factors, is_constant
from rmsviz.schedules import batch_size as schedule_batch
from rmsviz.surfaces import SURFACES, Surface
from rmsviz.trajectory import DivergedBy, Recorder, Trajectory, state_arrays

MAX_STEPS = 100_000
MAX_RECORDED_VALUES = 250_000_000  # 2 GB of float64; above it, record less
RECORD_MODES = ("path", "all", "final")
OVERFLOW = 1e12  # |x| beyond this has left every surface's domain for good: diverged
# Runs per chunk on the CPU: large enough that the step's Python costs little per run, small enough that a
# chunk's arrays (1 MiB each at 65536 runs) stay in cache through all of a step's operations.
# benchmarks/bench_core.py measures the trade-off.
CHUNK_RUNS = {"numpy": 65536, "torch": 65536}
# Below this many runs an operation is too short to hide the GIL the step's Python needs: a batch is
# split over the cores only into chunks at least this large.
MIN_THREAD_CHUNK = 8192
NOISE_BLOCK = 4096  # runs per noise stream; chunks hold whole blocks
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

_worker = threading.local()  # .active is True in the pool's threads


def _mark_worker() -> None:
    _worker.active = True


# One pool for the process: the chunks of every run, from every session at once, queue for the same
# CORES threads instead of each run starting its own. Threads start on the first submit, not here.
_POOL = ThreadPoolExecutor(max_workers=CORES, thread_name_prefix="rmsviz-run", initializer=_mark_worker)


def resolve(optimizer: str | OptimizerSpec, surface: str | Surface) -> tuple[OptimizerSpec, Surface]:
    """An optimizer's spec and a surface, each given as itself or by name (ValueError naming the known ones)."""
    if isinstance(optimizer, str):
        if optimizer not in OPTIMIZERS:
            raise ValueError(f"Unknown optimizer: {optimizer!r} (known: {', '.join(OPTIMIZERS)})")
        optimizer = OPTIMIZERS[optimizer]
    return optimizer, resolve_surface(surface)


def resolve_surface(surface: str | Surface) -> Surface:
    """A surface, or the catalog's surface of that name (ValueError naming the known ones)."""
    if isinstance(surface, str):
        if surface not in SURFACES:
            raise ValueError(f"Unknown surface: {surface!r} (known: {', '.join(SURFACES)})")
        surface = SURFACES[surface]
    return surface


def _batch_size(start: np.ndarray, values: dict) -> int | None:
    """B for a batch, None for a single run; raise when the shapes disagree."""
    sizes = {name: np.shape(v)[0] for name, v in values.items() if np.ndim(v) == 1}
    if start.ndim == 2:
        sizes["start"] = start.shape[0]
    if len(set(sizes.values())) > 1:
        raise ValueError(f"Batch sizes disagree: {sizes}")
    return next(iter(sizes.values()), None)


def _freeze(alive, new, old):
    """Keep ``old`` where a run has diverged; leaves that are None or counters pass through."""
    if new is None or isinstance(new, int):
        return new
    return namespace(new).where(alive if new.ndim == alive.ndim else alive[..., None], new, old)


@dataclass(frozen=True)
class Arguments:
    """run()'s arguments, checked and cleaned: what every chunk of runs shares."""

    spec: OptimizerSpec
    surface: Surface
    backend: Backend
    steps: int
    starts: np.ndarray  # (runs, 2)
    values: dict[str, np.ndarray]  # each hyperparameter: shape () or (runs,)
    options: dict[str, bool]
    noise: float
    seed: int | None
    record: str
    target: float | None
    gradient_sequence: object  # (T, 2) on the backend, or None
    schedule: Schedule | None  # None for a constant η
    batch: int | None  # None for a single run
    kept: int  # steps recorded

    @property
    def runs(self) -> int:
        return self.batch or 1


def run(
    optimizer: str | OptimizerSpec,
    surface: str | Surface,
    start: ArrayLike | None = None,
    steps: int = 100,
    *,
    backend: str | Backend = "numpy",
    device: str | None = None,
    noise: float = 0.0,
    seed: int | None = None,
    record: str = "path",
    target: float | None = None,
    gradient_sequence: ArrayLike | None = None,
    schedule: Schedule | None = None,
    on_progress: Callable[[float], None] | None = None,
    hyperparameters: Mapping[str, ArrayLike] | None = None,
    **keywords: ArrayLike,
) -> Trajectory:
    """Run ``optimizer`` on ``surface`` for ``steps`` steps from ``start``.

    ``hyperparameters`` maps the optimizer's hyperparameters and options by name: a namespace of their own,
    so that a typed rule's ``target`` or ``steps`` is the rule's and never run()'s. Keywords other than
    run()'s own are a shorthand for it (``lr=0.4, gamma=0.9``); run()'s own keywords are always run()'s.
    ``start`` of shape (2,) is one run, (B, 2) a batch; any hyperparameter may
    be an array of shape (B,). ``noise`` adds N(0, noise²) to every gradient
    coordinate, drawn from ``seed``: the same seed gives every optimizer the
    same noise. A run whose point, loss or state turns non-finite is marked
    diverged and frozen (at step 0 if its start already is; the Trajectory's
    ``diverged_by`` says which); nothing raises for that. With a ``target`` loss, the
    Trajectory's ``reached_at`` holds the first step at which each run's loss
    was at or below it (-1 if never): what a sweep needs without the paths.
    ``gradient_sequence`` of shape (T,) or (T, 2) is added to the gradient, entry
    (t − 1) mod T at step t: a repeating sequence of minibatch gradients. On a flat
    surface it is the whole gradient. ``schedule`` (``rmsviz.schedules.schedule(...)``)
    multiplies step t by its factor: η_t = η · factor(t); a batched schedule's
    parameters count towards B. ``on_progress(fraction)`` is called from the
    calling thread as chunks of runs finish (for a progress bar).
    """
    arguments = checked_arguments(
        optimizer, surface, start, steps, backend, device, noise, seed, record, target, gradient_sequence, schedule,
        hyperparameters, keywords,
    )  # fmt: skip
    chunks = plan_chunks(arguments.runs, arguments.backend.name, arguments.backend.device, CORES)
    return execute(arguments, chunks, on_progress)


def checked_arguments(
    optimizer, surface, start, steps, backend, device, noise, seed, record, target, gradient_sequence, schedule,
    hyperparameters=None, keywords=None,
) -> Arguments:  # fmt: skip
    """run()'s arguments (less on_progress), in its order, checked before any work starts:
    ValueError with what is wrong and what is allowed, else the cleaned values.

    run() is ``execute(checked_arguments(...), plan_chunks(...))``: the halves are public so that a caller
    can cut a batch its own way (the tests cut small batches into chunks to test the seams between them)."""
    spec, surface = resolve(optimizer, surface)
    backend = get_backend(backend, device)
    if not isinstance(steps, (int, np.integer)) or not 0 <= steps <= MAX_STEPS:
        raise ValueError(f"Invalid steps: {steps} (must be an integer in [0, {MAX_STEPS}])")
    if record not in RECORD_MODES:
        raise ValueError(f"Invalid record: {record!r} (must be one of {', '.join(RECORD_MODES)})")
    gradient_sequence = _checked_gradient_sequence(gradient_sequence, backend)
    if target is not None and not np.isfinite(target):
        raise ValueError(f"Invalid target: {target} (must be a finite number)")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"Invalid noise: {noise} (must be in [0, inf))")
    start = _checked_start(start, surface)
    values, options = _checked_hyperparameters(spec, _settings(hyperparameters, keywords))

    schedule = _checked_schedule(schedule)
    if schedule is not None and schedule.kind == "plateau" and "lr" not in values:
        raise ValueError(f"Invalid schedule: plateau (it scales lr, and {spec.name} has none)")
    if schedule is not None and "x" in _state_names(spec, values, options):  # a typed rule keeps the point
        raise ValueError(f"Invalid schedule for {spec.name}: it keeps the point x in its state, which a schedule "
                         "scaling its steps afterwards would leave behind")  # fmt: skip
    scheduled = schedule_batch(schedule) if schedule is not None else None
    batch = _batch_size(start, {**values, **({"schedule": np.empty(scheduled)} if scheduled else {})})
    runs = batch or 1
    kept = 2 if record == "final" else steps + 1
    per_step = 2 + (4 + 2 * len(spec.hyperparameters) if record == "all" else 0)
    if kept * runs * per_step > MAX_RECORDED_VALUES:
        raise ValueError(f"Too much to record: {runs} runs × {kept} steps; use record='final' or fewer runs or steps")
    if seed is None and noise > 0:
        seed = int(np.random.SeedSequence().entropy % 2**63)
    return Arguments(
        spec=spec,
        surface=surface,
        backend=backend,
        steps=steps,
        starts=np.broadcast_to(start, (runs, 2)),
        values=values,
        options=options,
        noise=noise,
        seed=seed,
        record=record,
        target=target,
        gradient_sequence=gradient_sequence,
        schedule=schedule,
        batch=batch,
        kept=kept,
    )


def _checked_schedule(schedule) -> Schedule | None:
    """The schedule to apply, or None where every step uses η as it is (none given, or a constant one)."""
    if schedule is not None and not isinstance(schedule, Schedule):
        raise ValueError(f"Invalid schedule: {schedule!r} (must be made by rmsviz.schedules.schedule)")
    return None if is_constant(schedule) else schedule


def _checked_start(start: ArrayLike | None, surface: Surface) -> np.ndarray:
    """``start`` as float64 of shape (2,) or (B, 2); the surface's first start when None."""
    start = np.asarray(surface.starts[0] if start is None else start, dtype=np.float64)
    if start.shape[-1:] != (2,) or start.ndim > 2:
        raise ValueError(f"Invalid start shape: {start.shape} (must be (2,) or (B, 2))")
    if not np.isfinite(start).all():
        raise ValueError("Invalid start: every coordinate must be a finite number")
    return start


def _checked_gradient_sequence(sequence: ArrayLike | None, backend: Backend):
    """The sequence as (T, 2) on the backend (a (T,) one goes to both coordinates), or None."""
    if sequence is None:
        return None
    sequence = np.asarray(sequence, dtype=np.float64)
    if sequence.ndim == 1:
        sequence = np.stack([sequence, sequence], -1)
    if sequence.ndim != 2 or sequence.shape[1] != 2 or not len(sequence):
        raise ValueError(f"Invalid gradient_sequence shape: {sequence.shape} (must be (T,) or (T, 2))")
    if not np.isfinite(sequence).all():
        raise ValueError("Invalid gradient_sequence: every entry must be a finite number")
    return backend.asarray(sequence)


def _settings(hyperparameters: Mapping | None, keywords: dict | None) -> dict:
    """The optimizer's settings: the ``hyperparameters`` mapping, and the keywords that are a shorthand for it."""
    hyperparameters, keywords = dict(hyperparameters or {}), keywords or {}
    twice = sorted(set(hyperparameters) & set(keywords))
    if twice:
        raise ValueError(f"Given twice, in hyperparameters and as a keyword: {', '.join(twice)}")
    return {**hyperparameters, **keywords}


def _checked_hyperparameters(spec: OptimizerSpec, given: dict) -> tuple[dict[str, np.ndarray], dict[str, bool]]:
    """Every numeric hyperparameter as a float64 array of shape () or (B,) (defaults filled in), and the
    options as bools; the optimizer's own checks run on them here, before any work starts."""
    unknown = set(given) - set(spec.defaults) - set(spec.options)
    if unknown:
        known = ", ".join([*spec.defaults, *spec.options])
        raise ValueError(f"Unknown hyperparameter for {spec.name}: {', '.join(sorted(unknown))} (known: {known})")
    options = {k: bool(v) for k, v in given.items() if k in spec.options}
    values = {name: np.asarray(given.get(name, default), dtype=np.float64) for name, default in spec.defaults.items()}
    if any(v.ndim > 1 for v in values.values()):
        raise ValueError("Each hyperparameter must be a number or an array of shape (B,)")
    spec.factory(**values, **options)
    return values, options


def plan_chunks(runs: int, backend_name: str, device: str, cores: int) -> list[tuple[int, int]]:
    """The (lo, hi) bounds of the chunks that ``runs`` runs go through, in order, each run in one chunk.

    A GPU wants the whole batch in each operation: one chunk. On the CPU the chunks are equal (the last
    may be shorter) and made of whole noise blocks, at most CHUNK_RUNS runs each, and one per core
    where each still gets MIN_THREAD_CHUNK runs.
    """
    if device != "cpu":
        return [(0, runs)]
    count = max(1, -(-runs // CHUNK_RUNS[backend_name]), min(cores, runs // MIN_THREAD_CHUNK))
    size = -(-runs // count // NOISE_BLOCK) * NOISE_BLOCK
    return [(lo, min(lo + size, runs)) for lo in range(0, runs, size)]


def execute(
    args: Arguments, chunks: list[tuple[int, int]], on_progress: Callable[[float], None] | None = None
) -> Trajectory:
    """Run the checked ``args`` with the batch cut into ``chunks`` (as plan_chunks gives them): one Trajectory."""
    state_names = _state_names(args.spec, args.values, args.options) if args.record == "all" else ()
    recorder = Recorder(args.backend, args.record, args.kept, args.runs, state_names)

    def report(hi: int) -> None:
        if on_progress is not None:
            on_progress(hi / args.runs)

    # A run started inside a pool thread (by a surface that itself calls run()) must not wait on the pool:
    # once every thread waited, none would be left to run the chunks. There they run one after the other.
    if len(chunks) > 1 and not getattr(_worker, "active", False):
        futures = [_POOL.submit(_run_chunk, args, recorder, lo, hi) for lo, hi in chunks]
        try:
            for future, (_, hi) in zip(futures, chunks, strict=True):
                future.result()
                report(hi)
        finally:
            for future in futures:
                future.cancel()  # after an exception, the chunks not started yet stay off the shared pool
    else:
        for lo, hi in chunks:
            _run_chunk(args, recorder, lo, hi)
            report(hi)

    given = {k: (v if v.ndim else float(v)) for k, v in args.values.items()}
    single = args.batch is None
    trajectory = recorder.trajectory(args.spec.name, args.surface.name, {**given, **args.options}, single=single)
    trajectory.schedule = args.schedule
    if args.target is not None:
        trajectory.reached_at = int(recorder.reached_at[0]) if single else recorder.reached_at
    return trajectory


def runs_of(batch: Trajectory, spec: OptimizerSpec) -> list[Trajectory]:
    """Each run of ``batch``, a run of ``spec`` whose hyperparameters were arrays of shape (B,), as that run alone
    records it: its hyperparameters numbers, and its state only the arrays the optimizer keeps at them (RMSProp
    keeps a momentum buffer where momentum > 0 only; in a batch where one run has it, every run records one)."""
    options = {k: v for k, v in batch.hyperparameters.items() if k in spec.options}
    runs = []
    for b in range(batch.path.shape[1]):
        settings = {k: float(v[b]) if np.ndim(v) else v for k, v in batch.hyperparameters.items() if k not in options}
        kept = _state_names(spec, {k: np.asarray(v) for k, v in settings.items()}, options)
        at = lambda a, b=b: None if a is None else a[:, b]  # noqa: E731 (one run's column of each array)
        runs.append(
            Trajectory(
                batch.optimizer, batch.surface, at(batch.path), at(batch.loss), bool(batch.diverged[b]),
                int(batch.diverged_at[b]), {**settings, **options}, batch.schedule, at(batch.grads),
                {name: at(values) for name, values in batch.state.items() if name in kept}, at(batch.effective_lr),
                None if batch.reached_at is None else int(batch.reached_at[b]), DivergedBy(batch.diverged_by[b]),
            )
        )  # fmt: skip
    return runs


def _state_names(spec: OptimizerSpec, values: dict, options: dict) -> tuple[str, ...]:
    """The optimizer's state arrays, each shaped like the point, from an init on one point with the whole
    batch's hyperparameters: which arrays exist can depend on them (RMSProp keeps a momentum buffer
    only where some run has momentum)."""
    columns = {k: v if v.ndim == 0 else v[:, None] for k, v in values.items()}
    state = spec.factory(**columns, **options).init(np.zeros((1, 2)))
    return tuple(state_arrays(state))


def _run_chunk(args: Arguments, recorder: Recorder, lo: int, hi: int) -> None:
    """Runs lo to hi through every step, into their slice of ``recorder``."""
    backend = args.backend
    hp = {k: v if v.ndim == 0 else v[lo:hi, None] for k, v in args.values.items()}
    hp = {k: float(v) if v.ndim == 0 else backend.asarray(v) for k, v in hp.items()}
    opt = args.spec.factory(**hp, **args.options)
    gradient_noise = _GradientNoise(args.noise, args.seed, lo, hi, args.gradient_sequence, backend)
    scheduler = None if args.schedule is None else _Scheduler(args, lo, hi)
    # per thread: NumPy's error state does not cross into the pool
    with np.errstate(all="ignore"), backend.no_autograd():
        start = backend.asarray(args.starts[lo:hi])
        _step_loop(opt, args.surface, start, args.steps, gradient_noise, args.target, recorder.view(lo, hi), scheduler)


class _Scheduler:
    """The schedule's factor of step t for runs lo to hi, shaped to multiply their (runs, 2) steps."""

    def __init__(self, args: Arguments, lo: int, hi: int):
        s, self.backend = args.schedule, args.backend
        batched = schedule_batch(s) is not None
        self.slice = slice(lo, hi) if batched else slice(None)
        self.plateau = Plateau(s, _lr(args, lo, hi), lo, hi) if s.kind == "plateau" else None
        if self.plateau is None:
            table = factors(s, args.steps, lo, hi)
            self.table = args.backend.asarray(table[..., None] if batched else table)

    def __call__(self, t: int, loss):
        if self.plateau is None:
            return self.table[t - 1]
        observed = None if t == 1 else self.backend.to_numpy(loss)
        factor = np.asarray(self.plateau.step(t, observed), dtype=np.float64)
        return self.backend.asarray(factor[..., None]) if factor.ndim else float(factor)


def _lr(args: Arguments, lo: int, hi: int) -> float | np.ndarray:
    """η of runs lo to hi, which reduce-on-plateau scales (the other schedules are factors of it)."""
    lr = args.values["lr"]
    return lr[lo:hi] if lr.ndim else float(lr)


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


def _all_fine(x, loss, arrays) -> bool:
    """Whether the min and max of every point and the sum of every loss and state array in ``arrays`` (a sum
    propagates NaN and inf) say that no run overflowed or turned non-finite."""
    total = loss.sum()
    for array in arrays:
        total = total + array.sum()
    reductions = (x.min(), x.max(), total)
    if not isinstance(x, np.ndarray):  # torch: one read-back from the device for the three
        reductions = namespace(x).stack(reductions).tolist()
    low, high, total = map(float, reductions)
    return low > -OVERFLOW and high < OVERFLOW and math.isfinite(total)


def _diverge(out, t: int, x, loss, state, alive=None):
    """Mark in ``out`` the runs still ``alive`` (None: every run) that are not fine at step ``t``, each with
    what went wrong first (a DivergedBy: the point, the loss, then the state); the runs that stay fine."""
    xp = namespace(x)
    checks = [(DivergedBy.POINT, (xp.abs(x) < OVERFLOW).all(-1)), (DivergedBy.LOSS, xp.isfinite(loss))]
    for value in state_arrays(state).values():
        finite = xp.isfinite(value)
        checks.append((DivergedBy.STATE, finite if finite.ndim == 1 else finite.all(-1)))
    causes, fine = xp.zeros_like(loss), alive
    for cause, ok in checks:
        causes = xp.where(~ok if fine is None else fine & ~ok, float(cause), causes)
        fine = ok if fine is None else fine & ok
    out.diverge(causes, t)
    return fine


def _step_loop(opt, surface, x, steps, gradient_noise, target, out, scheduler=None) -> None:
    """Advance one chunk of runs through every step, writing into ``out``."""
    state = opt.init(x)
    arrays = tuple(state_arrays(state))  # the state's array fields, by name: the same at every step
    loss = surface.f(x)
    alive = None  # every run, until one is not fine: at step 0, a start without a finite loss or state
    if not _all_fine(x, loss, [getattr(state, name) for name in arrays]):
        alive = _diverge(out, 0, x, loss, state)
    out.write(0, x, loss, state, None, None)
    if target is not None:
        reached = loss <= target
        out.mark(reached, 0, out.recorder.reached_at)
    any_frozen = alive is not None and not bool(alive.all())
    for t in range(1, steps + 1):
        g = gradient_noise(surface.grad(x), t)
        updates, new_state = opt.update(g, state)
        effective_lr = opt.effective_lr
        if scheduler is not None:  # η_t = η · factor: every update is linear in η (Rprop's step is scaled)
            factor = scheduler(t, loss)
            updates = updates * factor
            effective_lr = lambda state, factor=factor: factor * opt.effective_lr(state)  # noqa: E731
        new_x = x + updates
        new_loss = surface.f(new_x)
        # A few reductions answer "is every run still fine?" (min, max and sum propagate NaN, so it fails
        # them all), read back together: on a GPU that is one wait for the device per step. Only when one
        # says no is the per-run verdict computed. The state has sums of its own: a typed rule's state can
        # turn non-finite while its point stays put (s = log(-1), x = x - lr*g), and so can RMSProp's s
        # where g² overflows while its step g/√s stays finite.
        if any_frozen or not _all_fine(new_x, new_loss, [getattr(new_state, name) for name in arrays]):
            alive = _diverge(out, t, new_x, new_loss, new_state, alive)
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
            out.write(t, x, loss, state, g, effective_lr)
    if not out.every_step:
        out.write(1, x, loss, state, None, None)
