"""engine.run: batching, chunk planning, record modes, divergence, noise, limits, and the torch backend."""

import dataclasses
import inspect
import itertools
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rmsviz
from rmsviz import engine
from rmsviz.optimizers import OPTIMIZERS
from rmsviz.rules import parse_rule
from rmsviz.trajectory import DivergedBy

BACKENDS = [
    "numpy",
    pytest.param("torch", marks=pytest.mark.skipif(not rmsviz.backend.torch_installed(), reason="torch not installed")),
]


def run_in_chunks(size, *args, on_progress=None, **kwargs) -> rmsviz.Trajectory:
    """rmsviz.run with the batch cut into chunks of ``size`` runs (the last may be shorter) rather than the
    planner's, so that a small batch goes through the thread pool and its seams."""
    given = inspect.signature(rmsviz.run).bind(*args, **kwargs)
    given.apply_defaults()
    arguments = engine.checked_arguments(*(v for k, v in given.arguments.items() if k != "on_progress"))
    chunks = [(lo, min(lo + size, arguments.runs)) for lo in range(0, arguments.runs, size)]
    return engine.execute(arguments, chunks, on_progress)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@settings(max_examples=5, deadline=None, derandomize=True)
@given(starts=st.lists(st.tuples(st.floats(-5, 5), st.floats(-3, 3)), min_size=10, max_size=10))
def test_batch_equals_runs_one_at_a_time(backend, name, starts):
    lr = np.geomspace(1e-3, 0.3, len(starts))
    batch = run_in_chunks(3, name, "elliptic", start=np.array(starts), steps=15, lr=lr, backend=backend, record="all")
    assert batch.path.shape == (16, 10, 2) and batch.loss.shape == (16, 10) and batch.diverged.shape == (10,)
    # NumPy gives the same bits; torch's vectorized kernels round a batch and a single run differently
    same = np.testing.assert_array_equal if backend == "numpy" else lambda a, b: np.testing.assert_allclose(a, b, 1e-14)
    for b, start in enumerate(starts):
        alone = rmsviz.run(name, "elliptic", start=start, steps=15, lr=lr[b], backend=backend, record="all")
        same(batch.path[:, b], alone.path)
        same(batch.loss[:, b], alone.loss)
        same(batch.effective_lr[1:, b], alone.effective_lr[1:])
        for key, value in alone.state.items():
            same(batch.state[key][:, b], value)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_torch_backend_matches_numpy(name):
    pytest.importorskip("torch", reason="the torch backend needs torch")
    starts = np.random.default_rng(0).uniform(-4, 4, (7, 2))
    kwargs = dict(start=starts, steps=40, lr=0.05, record="all")
    ours, theirs = rmsviz.run(name, "rotated", **kwargs), rmsviz.run(name, "rotated", backend="torch", **kwargs)
    np.testing.assert_allclose(ours.path, theirs.path, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.effective_lr[1:], theirs.effective_lr[1:], rtol=1e-12)
    assert ours.state.keys() == theirs.state.keys()


def test_start_broadcasts_over_hyperparameter_arrays():
    t = rmsviz.run("rmsprop", "elliptic", start=(-5.0, -2.0), steps=20, lr=np.array([0.4, 0.01]), gamma=0.9)
    assert t.path.shape == (21, 2, 2)
    np.testing.assert_allclose(t.path[-1, 0], (-0.010599, 0.0), atol=5e-7)


def test_record_modes_agree():
    starts = np.random.default_rng(1).uniform(-4, 4, (5, 2))
    path = rmsviz.run("adam", "elliptic", start=starts, steps=30, lr=0.1)
    final = rmsviz.run("adam", "elliptic", start=starts, steps=30, lr=0.1, record="final")
    everything = rmsviz.run("adam", "elliptic", start=starts, steps=30, lr=0.1, record="all")
    assert final.path.shape == (2, 5, 2) and path.grads is None and path.state == {}
    np.testing.assert_array_equal(final.path, path.path[[0, -1]])
    np.testing.assert_array_equal(final.loss, path.loss[[0, -1]])
    np.testing.assert_array_equal(everything.path, path.path)
    # the recorded gradient of step k is the surface's gradient at the point before it
    surface = rmsviz.SURFACES["elliptic"]
    np.testing.assert_allclose(everything.grads[1:], surface.grad(path.path[:-1]))
    assert np.isnan(everything.grads[0]).all() and set(everything.state) == {"m", "v", "denominator"}


def test_rmsprop_state_and_effective_lr_are_what_the_step_used():
    t = rmsviz.run("rmsprop", "elliptic", start=(-5.0, -2.0), steps=10, lr=0.4, gamma=0.9, record="all")
    s, g = t.state["s"], t.grads
    np.testing.assert_allclose(s[1:], 0.9 * s[:-1] + 0.1 * g[1:] ** 2, rtol=1e-15)
    np.testing.assert_allclose(t.effective_lr[1:], 0.4 / np.sqrt(s[1:] + 1e-6), rtol=1e-15)
    np.testing.assert_allclose(t.path[1:], t.path[:-1] - t.effective_lr[1:] * g[1:], rtol=1e-14)


def test_adagrad_rate_only_falls_while_rmsprop_levels_off():
    kwargs = dict(start=(-5.0, -2.0), steps=200, lr=0.4, record="all")
    adagrad = rmsviz.run("adagrad", "elliptic", **kwargs).effective_lr[1:, 0]
    rmsprop = rmsviz.run("rmsprop", "elliptic", gamma=0.9, **kwargs).effective_lr[1:, 0]
    assert (np.diff(adagrad) <= 0).all()
    assert rmsprop[-1] > 10 * adagrad[-1]


@pytest.mark.parametrize("backend", BACKENDS)
def test_divergence_marks_and_freezes_only_that_run(backend):
    lr = np.array([0.01, 1e6, 0.1, 0.9, 0.01, 0.01, 0.01])  # SGD on 2y² diverges once lr > 0.5
    t = run_in_chunks(3, "sgd", "elliptic", start=(-5.0, -2.0), steps=60, lr=lr, backend=backend)
    assert t.diverged.tolist() == [False, True, False, True, False, False, False]
    assert t.diverged_at[1] == 2 and t.diverged_at[3] > 10
    assert np.isfinite(t.path).all() and np.isfinite(t.loss).all()
    for b in (1, 3):
        k = t.diverged_at[b]
        assert (t.path[k:, b] == t.path[k - 1, b]).all() and (t.loss[k:, b] == t.loss[k - 1, b]).all()
    np.testing.assert_array_equal(t.path[:, 0], rmsviz.run("sgd", "elliptic", steps=60, lr=0.01).path)
    assert t.diverged_by.tolist() == [DivergedBy.NOTHING, DivergedBy.POINT, 0, DivergedBy.POINT, 0, 0, 0]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_state_that_turns_non_finite_at_a_finite_point_is_divergence(backend):
    """A typed rule whose state is NaN from step 1 while x moves on, and RMSProp whose s = γs + (1 − γ)g²
    overflows where g = e^500 while its step g/√s stays finite: each marked at that step, and only that run."""
    rule = parse_rule("s = log(-1 + 0*g)\nx = x - lr*g", "s = 0").spec()
    t = rmsviz.run(rule, "elliptic", start=(-5.0, -2.0), steps=5, backend=backend, record="all")
    assert (t.diverged, t.diverged_at, t.diverged_by) == (True, 1, DivergedBy.STATE)
    assert (t.path == [-5.0, -2.0]).all() and np.isfinite(t.state["s"]).all()  # frozen before the NaN
    surface = rmsviz.Surface.from_expression("exp(x) + y**2", domain=((-600, 600), (-5, 5)))
    t = run_in_chunks(1, "rmsprop", surface, start=[(1.0, 1.0), (500.0, 1.0)], steps=5, lr=0.1, backend=backend)
    assert t.diverged.tolist() == [False, True] and t.diverged_at[1] == 1
    assert t.diverged_by.tolist() == [DivergedBy.NOTHING, DivergedBy.STATE]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_start_without_a_finite_loss_is_diverged_at_step_0(backend):
    surface = rmsviz.Surface.from_expression("log(x) + y**2")
    t = run_in_chunks(1, "rmsprop", surface, start=[(-1.0, 0.0), (1.0, 1.0)], steps=5, backend=backend)
    assert t.diverged.tolist() == [True, False] and t.diverged_at.tolist() == [0, -1]
    assert t.diverged_by.tolist() == [DivergedBy.LOSS, DivergedBy.NOTHING]
    assert (t.path[:, 0] == [-1.0, 0.0]).all() and t.loss[-1, 1] < t.loss[0, 1]
    single = rmsviz.run("adam", surface, start=(-1.0, 0.0), steps=5, backend=backend)
    assert (single.diverged, single.diverged_at, single.diverged_by) == (True, 0, DivergedBy.LOSS)


def test_noise_is_the_same_for_every_optimizer_with_one_seed():
    kwargs = dict(start=(-5.0, -2.0), steps=25, noise=0.5, seed=7, record="all")
    surface = rmsviz.SURFACES["elliptic"]
    drawn = []
    for name in ("sgd", "rmsprop", "rprop"):
        t = rmsviz.run(name, surface, **kwargs)
        drawn.append(t.grads[1:] - surface.grad(t.path[:-1]))
    np.testing.assert_allclose(drawn[0], drawn[1], atol=1e-12)
    np.testing.assert_allclose(drawn[0], drawn[2], atol=1e-12)
    assert 0.3 < drawn[0].std() < 0.7
    other = rmsviz.run("sgd", surface, **{**kwargs, "seed": 8})
    assert not np.allclose(other.path, rmsviz.run("sgd", surface, **kwargs).path)


@pytest.mark.parametrize("backend", BACKENDS)
def test_noise_of_a_run_does_not_depend_on_chunking_cores_or_backend(backend):
    """A shared link must show the same noisy runs on any machine: noise follows the run's index."""
    block, runs = engine.NOISE_BLOCK, 2 * engine.NOISE_BLOCK + 10  # three noise blocks, the last one short
    kwargs = dict(start=np.full((runs, 2), (-4.0, 1.0)), steps=20, noise=0.3, seed=11, lr=0.05, backend=backend)
    reference = run_in_chunks(runs, "rmsprop", "elliptic", **{**kwargs, "backend": "numpy"}).path
    for size in (block, 2 * block):  # what plan_chunks gives on any number of cores: whole noise blocks
        path = run_in_chunks(size, "rmsprop", "elliptic", **kwargs).path
        np.testing.assert_allclose(path, reference, rtol=1e-12, atol=1e-12)
    assert not np.allclose(reference[:, 0], reference[:, block])  # the first runs of two blocks: two streams


def test_planner_cuts_a_cpu_batch_into_equal_chunks_of_whole_noise_blocks():
    assert engine.plan_chunks(1_000_000, "numpy", "cpu", 2) == [
        *((lo, lo + 65536) for lo in range(0, 15 * 65536, 65536)),  # at most CHUNK_RUNS, so each stays in cache
        (15 * 65536, 1_000_000),
    ]
    assert engine.plan_chunks(100_000, "torch", "cpu", 16) == [
        # as many as the cores while each gets MIN_THREAD_CHUNK runs (12), then rounded up to whole noise blocks
        *((lo, lo + 12288) for lo in range(0, 8 * 12288, 12288)),
        (8 * 12288, 100_000),
    ]


def test_planner_gives_a_gpu_the_whole_batch():
    assert engine.plan_chunks(1_000_000, "torch", "cuda", 16) == [(0, 1_000_000)]
    assert engine.plan_chunks(5, "torch", "mps", 8) == [(0, 5)]


def test_planner_makes_no_more_chunks_than_needed():
    least = engine.MIN_THREAD_CHUNK
    assert engine.plan_chunks(1, "numpy", "cpu", 16) == [(0, 1)]
    assert engine.plan_chunks(2 * least - 1, "numpy", "cpu", 16) == [(0, 2 * least - 1)]  # too few to share
    assert engine.plan_chunks(2 * least, "numpy", "cpu", 16) == [(0, least), (least, 2 * least)]
    assert engine.plan_chunks(2 * least, "numpy", "cpu", 1) == [(0, 2 * least)]  # one core, and it fits the cache


@settings(max_examples=300, deadline=None, derandomize=True)
@given(runs=st.integers(1, 3_000_000), cores=st.integers(1, 256), backend=st.sampled_from(["numpy", "torch"]))
def test_planner_covers_every_run_once_in_equal_chunks_of_whole_noise_blocks(runs, cores, backend):
    chunks = engine.plan_chunks(runs, backend, "cpu", cores)
    assert chunks[0][0] == 0 and chunks[-1][1] == runs
    assert all(hi == next_lo for (_, hi), (next_lo, _) in itertools.pairwise(chunks))
    assert all(lo < hi <= lo + engine.CHUNK_RUNS[backend] for lo, hi in chunks)
    assert all(lo % engine.NOISE_BLOCK == 0 for lo, _ in chunks)
    size = chunks[0][1]
    assert all(hi - lo == size for lo, hi in chunks[:-1])
    assert len(chunks) <= max(cores, -(-runs // engine.CHUNK_RUNS[backend]))  # more than the cores only for cache
    assert len(chunks) == 1 or size >= engine.MIN_THREAD_CHUNK  # none too short to hide the GIL


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"steps": engine.MAX_STEPS + 1}, "Invalid steps: 100001"),
        ({"steps": -5}, "Invalid steps: -5"),
        ({"steps": 2.5}, "Invalid steps: 2.5"),
        ({"record": "some"}, "Invalid record: 'some'"),
        ({"noise": -1.0}, "Invalid noise: -1.0"),
        ({"start": (1.0, float("nan"))}, "Invalid start"),
        ({"start": (1.0, 2.0, 3.0)}, "Invalid start shape"),
        ({"alpha": 0.9}, "Unknown hyperparameter for rmsprop: alpha"),
        ({"start": np.zeros((3, 2)), "lr": np.ones(4)}, "Batch sizes disagree"),
        ({"backend": "jax"}, "Invalid backend: 'jax'"),
    ],
)
def test_bad_arguments_raise_clear_value_errors(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        rmsviz.run("rmsprop", "elliptic", **kwargs)


def test_unknown_names():
    with pytest.raises(ValueError, match="Unknown optimizer: 'lion'"):
        rmsviz.run("lion", "elliptic")
    with pytest.raises(ValueError, match="Unknown surface: 'moon'"):
        rmsviz.run("sgd", "moon")


def test_hyperparameters_have_a_namespace_of_their_own():
    """``hyperparameters`` maps an optimizer's settings apart from run()'s keywords; keywords other than run()'s
    are a shorthand for it; a name given both ways is refused."""
    by_keyword = rmsviz.run("rmsprop", "elliptic", steps=20, lr=0.3, gamma=0.8, centered=True)
    mapped = rmsviz.run("rmsprop", "elliptic", steps=20, hyperparameters={"lr": 0.3, "gamma": 0.8, "centered": True})
    mixed = rmsviz.run("rmsprop", "elliptic", steps=20, hyperparameters={"lr": 0.3}, gamma=0.8, centered=True)
    for t in (mapped, mixed):
        np.testing.assert_array_equal(t.path, by_keyword.path)
        assert t.hyperparameters == by_keyword.hyperparameters
    with pytest.raises(ValueError, match="Given twice, in hyperparameters and as a keyword: lr"):
        rmsviz.run("rmsprop", "elliptic", hyperparameters={"lr": 0.3}, lr=0.4)
    with pytest.raises(ValueError, match="Unknown hyperparameter for rmsprop: target"):
        rmsviz.run("rmsprop", "elliptic", hyperparameters={"target": 0.3})


def test_memory_is_bounded_by_record_mode():
    with pytest.raises(ValueError, match="use record='final'"):
        rmsviz.run("sgd", "elliptic", start=np.zeros((2_000_000, 2)), steps=1000)
    t = rmsviz.run("sgd", "elliptic", start=np.zeros((200_000, 2)), steps=3, record="final")
    assert t.path.shape == (2, 200_000, 2)


@pytest.mark.parametrize("backend", BACKENDS)
def test_target_gives_the_first_step_at_or_below_it(backend):
    lr = np.array([0.01, 0.1, 0.4, 1e6])
    kwargs = dict(start=(-5.0, -2.0), steps=200, lr=lr, backend=backend)
    final = run_in_chunks(3, "sgd", "elliptic", record="final", target=1e-3, **kwargs)
    path = run_in_chunks(3, "sgd", "elliptic", **kwargs)
    for b in range(len(lr)):
        below = np.flatnonzero(path.loss[:, b] <= 1e-3)
        assert final.reached_at[b] == (below[0] if below.size else -1)
    assert final.reached_at[0] == -1 and 0 < final.reached_at[2] < final.reached_at[1]  # too slow, slow, fast
    assert final.diverged[3] and final.reached_at[3] == -1
    assert rmsviz.run("sgd", "elliptic", steps=5).reached_at is None
    assert rmsviz.run("sgd", "elliptic", steps=5, target=100.0).reached_at == 0


def flat_surface() -> rmsviz.Surface:
    zero = rmsviz.SURFACES["elliptic"]
    return rmsviz.Surface(
        "flat", "Flat", "f = 0", lambda xy: xy[..., 0] * 0, lambda xy: xy * 0, zero.hessian, zero.domain, ((0, 0),)
    )


def test_gradient_sequence_repeats_step_by_step():
    sequence = np.array([0.1] * 9 + [-0.9])
    t = rmsviz.run("sgd", flat_surface(), start=(0.0, 0.0), steps=25, lr=0.5, gradient_sequence=sequence)
    expected = -0.5 * np.cumsum(np.concatenate([[0.0], np.resize(sequence, 25)]))
    np.testing.assert_allclose(t.path[:, 0], expected, atol=1e-12)
    np.testing.assert_allclose(t.path[10], (0.0, 0.0), atol=1e-12)  # the sequence sums to 0 over a period
    with pytest.raises(ValueError, match="Invalid gradient_sequence shape"):
        rmsviz.run("sgd", flat_surface(), steps=3, gradient_sequence=np.zeros((3, 3)))


def test_progress_is_reported_up_to_one():
    seen = []
    run_in_chunks(3, "sgd", "elliptic", start=np.zeros((10, 2)), steps=3, on_progress=seen.append)
    assert seen == [0.3, 0.6, 0.9, 1.0]  # chunks of 3 runs: 3, 6, 9, 10


def test_a_diverging_batch_across_threads_prints_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = run_in_chunks(3, "sgd", "elliptic", start=np.zeros((10, 2)) + 1, steps=200, lr=np.full(10, 1e6))
    assert t.diverged.all()


def test_runs_from_many_sessions_share_one_pool_of_threads():
    starts = np.random.default_rng(2).uniform(-4, 4, (10, 2))
    alone = run_in_chunks(10, "rmsprop", "elliptic", start=starts, steps=30).path
    with ThreadPoolExecutor(4) as sessions:  # four sessions at once, each with a batch of five chunks
        runs = [sessions.submit(run_in_chunks, 2, "rmsprop", "elliptic", start=starts, steps=30) for _ in range(4)]
    for session in runs:
        np.testing.assert_array_equal(session.result().path, alone)
    workers = [thread for thread in threading.enumerate() if thread.name.startswith("rmsviz-run")]
    assert 0 < len(workers) <= engine.CORES


@pytest.mark.timeout(60)  # the deadlock it guards against would hang here
def test_a_run_inside_a_pool_thread_stays_in_that_thread():
    """A surface that itself calls run() starts a run in a pool thread: waiting on the pool there could deadlock it."""
    threads = []  # (the outer chunk's thread, the thread its inner run's gradient ran in)

    def outer_grad(xy):
        outer = threading.current_thread().name

        def inner_grad(inner_xy):
            threads.append((outer, threading.current_thread().name))
            return inner_xy * 0

        run_in_chunks(2, "sgd", dataclasses.replace(flat_surface(), grad=inner_grad), start=np.zeros((10, 2)), steps=3)
        return xy * 0

    run_in_chunks(2, "sgd", dataclasses.replace(flat_surface(), grad=outer_grad), start=np.zeros((10, 2)), steps=1)
    assert threads and all(outer.startswith("rmsviz-run") for outer, _ in threads)  # the outer chunks: in the pool
    assert all(inner == outer for outer, inner in threads)


def test_optimizer_state_is_allocated_before_the_chunks_run():
    momentum = np.array([0.0, 0.0, 0.0, 0.5, 0.5])  # only the second chunk of 3 runs keeps a momentum buffer
    t = run_in_chunks(3, "rmsprop", "elliptic", steps=5, momentum=momentum, centered=True, record="all")
    assert list(t.state) == ["s", "grad_avg", "momentum_buffer", "denominator"]
    alone = rmsviz.run("rmsprop", "elliptic", steps=5, momentum=0.5, centered=True, record="all")
    for key, value in alone.state.items():
        np.testing.assert_array_equal(t.state[key][:, 4], value)


@pytest.mark.parametrize(
    ("optimizer", "name", "values"), [("sgd", "lr", [0.01, 0.1, 2.0]), ("rmsprop", "momentum", [0.0, 0.5, 0.9])]
)
def test_a_batch_taken_apart_is_each_run_alone(optimizer, name, values):
    """runs_of: each run of a batch as the run alone records it, to the bit: path, loss, gradients, rates, state
    (RMSProp's momentum buffer only where momentum > 0), hyperparameters and divergence (SGD at η = 2)."""
    surface = rmsviz.SURFACES["elliptic"]
    start = surface.starts[0]
    batch = rmsviz.run(optimizer, surface, start=start, steps=30, record="all", **{name: np.asarray(values)})
    runs = engine.runs_of(batch, OPTIMIZERS[optimizer])
    assert any(run.diverged for run in runs) == (optimizer == "sgd")
    for value, run in zip(values, runs, strict=True):
        alone = rmsviz.run(optimizer, surface, start=start, steps=30, record="all", **{name: value})
        for array in ("path", "loss", "grads", "effective_lr"):
            np.testing.assert_array_equal(getattr(run, array), getattr(alone, array))
        assert run.state.keys() == alone.state.keys()
        for state, kept in alone.state.items():
            np.testing.assert_array_equal(run.state[state], kept)
        assert run.hyperparameters == alone.hyperparameters
        assert (run.diverged, run.diverged_at, run.diverged_by) == (
            alone.diverged,
            alone.diverged_at,
            alone.diverged_by,
        )
