"""A small network trained on scikit-learn's bundled 8×8 digits by the rmsviz optimizers.

Softmax regression, or one hidden layer (tanh or ReLU), in NumPy with the
backward pass written out. All parameters live in ONE flat float64 vector, so
an rmsviz optimizer, written for arrays of any shape, updates the whole
network with one ``update`` call per batch.

The loop over epochs and batches is here, not in ``engine.run``: the engine
steps points on a 2-D surface whose gradient is a function of the point
alone, while training draws a different batch of real data at every step and
evaluates on held-out data after each epoch. Each epoch is a pure function of
the previous checkpoint, so the app can cache and resume epoch by epoch.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from rmsviz.backend import namespace
from rmsviz.optimizers import OPTIMIZERS, Optimizer

CLASSES = 10
PIXEL_MAX = 16.0  # the digits' pixels are counts 0..16
TEST_FRACTION = 0.25
SAMPLES = 1797  # scikit-learn's 8×8 digits, every one of them
ACTIVATIONS = ("tanh", "relu")
# Rates that train this data in a few epochs; the race's d2l settings suit a 2-D bowl, not a network.
TRAIN_DEFAULTS = {
    "sgd": {"lr": 0.5},
    "momentum": {"lr": 0.1},
    "adagrad": {"lr": 0.1},
    "rmsprop": {"lr": 0.01},
    "rprop": {"lr": 0.001},
    "adam": {"lr": 0.01},
    "adadelta": {"lr": 1.0},
}


class Split(NamedTuple):
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


# scikit-learn's copy of the UCI digits, read as its load_digits reads it (tests/test_train.py checks they are
# equal), without importing scikit-learn: its import takes a second on a 2-core machine and imports pandas, which
# the app's preload would then have to import before any page (rmsviz.ui.preload). Nothing is downloaded.
DIGITS_FILE = ("datasets", "data", "digits.csv.gz")


@functools.cache
def digits(seed: int) -> Split:
    """The 1797 digits, pixels scaled to [0, 1], split 75/25 by a permutation drawn from ``seed``."""
    package = Path(importlib.util.find_spec("sklearn").origin).parent  # found, not imported
    with gzip.open(package.joinpath(*DIGITS_FILE), mode="rt", encoding="utf-8") as rows:
        data = np.loadtxt(rows, delimiter=",")
    x, y = data[:, :-1] / PIXEL_MAX, data[:, -1].astype(int)
    order = np.random.default_rng([seed, 0]).permutation(len(y))
    test = order[: round(TEST_FRACTION * len(y))]
    train = order[len(test) :]
    split = Split(x[train], y[train], x[test], y[test])
    for array in split:
        array.setflags(write=False)  # shared by every cached run
    return split


@dataclass(frozen=True)
class Model:
    """``hidden`` = 0: softmax regression, logits = x W + b; else logits = act(x W₁ + b₁) W₂ + b₂."""

    hidden: int = 0
    activation: str = "tanh"
    inputs: int = 64

    def __post_init__(self):
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"Invalid activation: {self.activation!r} (must be one of {', '.join(ACTIVATIONS)})")
        if self.hidden < 0:
            raise ValueError(f"Invalid hidden: {self.hidden} (must be 0 for softmax regression, or more)")

    @property
    def shapes(self) -> list[tuple[int, ...]]:
        widths = [self.inputs, self.hidden, CLASSES] if self.hidden else [self.inputs, CLASSES]
        return [shape for a, b in itertools.pairwise(widths) for shape in ((a, b), (b,))]

    @property
    def size(self) -> int:
        return sum(int(np.prod(shape)) for shape in self.shapes)

    @property
    def title(self) -> str:
        return f"MLP, {self.hidden} {self.activation} units" if self.hidden else "softmax regression"


def unflatten(params, model: Model) -> list:
    """Views of the flat vector as W₁, b₁(, W₂, b₂): NumPy or torch, no copies."""
    views, offset = [], 0
    for shape in model.shapes:
        size = int(np.prod(shape))
        views.append(params[offset : offset + size].reshape(shape))
        offset += size
    return views


def init_params(model: Model, seed: int) -> np.ndarray:
    """W ~ N(0, 1/fan_in) so each layer's outputs start at about the scale of its inputs; biases 0."""
    rng = np.random.default_rng([seed, 1])
    parts = [rng.normal(0, shape[0] ** -0.5, shape) if len(shape) == 2 else np.zeros(shape) for shape in model.shapes]
    return np.concatenate([p.ravel() for p in parts])


def _activate(z, activation: str):
    return namespace(z).tanh(z) if activation == "tanh" else z * (z > 0)


def forward(params, model: Model, x) -> tuple[list, Any]:
    """The hidden activations (empty for softmax regression) and the logits; NumPy or torch."""
    layers = unflatten(params, model)
    hidden = []
    if model.hidden:
        hidden.append(_activate(x @ layers[0] + layers[1], model.activation))
    inputs = hidden[-1] if hidden else x
    return hidden, inputs @ layers[-2] + layers[-1]


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def loss_and_grad(params: np.ndarray, model: Model, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy L = −1/n Σ log softmax(z)ᵢ[yᵢ] and ∂L/∂params, by hand.

    ∂L/∂z = (softmax(z) − onehot(y)) / n;  ∂L/∂W = aᵀ ∂L/∂z,  ∂L/∂b = Σ ∂L/∂z  (a: the layer's input)
    hidden layer h = act(x W₁ + b₁):  ∂L/∂h = ∂L/∂z W₂ᵀ,  tanh' = 1 − h²,  relu' = [h > 0]
    """
    hidden, logits = forward(params, model, x)
    log_p = _log_softmax(logits)
    rows = np.arange(len(y))
    loss = -log_p[rows, y].mean()
    dz = np.exp(log_p)
    dz[rows, y] -= 1
    dz /= len(y)
    layers = unflatten(params, model)
    inputs = hidden[-1] if hidden else x
    grads = [inputs.T @ dz, dz.sum(axis=0)]
    if hidden:
        h = hidden[0]
        dh = dz @ layers[2].T
        dh *= 1 - h * h if model.activation == "tanh" else h > 0
        grads = [x.T @ dh, dh.sum(axis=0), *grads]
    return float(loss), np.concatenate([g.ravel() for g in grads])


class Metrics(NamedTuple):
    train_loss: float
    test_loss: float
    train_accuracy: float
    test_accuracy: float


def evaluate(params: np.ndarray, model: Model, data: Split) -> Metrics:
    """Mean cross-entropy and accuracy on the training and the test set."""
    scores = []
    for x, y in ((data.x_train, data.y_train), (data.x_test, data.y_test)):
        log_p = _log_softmax(forward(params, model, x)[1])
        scores.append((float(-log_p[np.arange(len(y)), y].mean()), float((log_p.argmax(axis=1) == y).mean())))
    (train_loss, train_accuracy), (test_loss, test_accuracy) = scores
    return Metrics(train_loss, test_loss, train_accuracy, test_accuracy)


@dataclass(frozen=True)
class TrainRun:
    """One training run: hashable, so each epoch is cached on it. ``batch_size`` 0 is full-batch."""

    optimizer: str
    settings: tuple[tuple[str, float | bool], ...]
    model: Model = Model()
    batch_size: int = 32
    seed: int = 0

    def make_optimizer(self) -> Optimizer:
        return OPTIMIZERS[self.optimizer].factory(**dict(self.settings))


class Checkpoint(NamedTuple):
    """After ``epoch`` epochs: the parameters, the optimizer state and the metrics of epochs 0..epoch."""

    epoch: int
    params: np.ndarray
    state: Any
    history: tuple[Metrics, ...]
    diverged: bool = False


def batches(run: TrainRun, n: int, epoch: int) -> list[np.ndarray]:
    """Indices of each batch of ``epoch``: a fresh permutation from (seed, epoch), the same for every optimizer."""
    order = np.random.default_rng([run.seed, 2, epoch]).permutation(n)
    size = run.batch_size or n
    return [order[i : i + size] for i in range(0, n, size)]


def start(run: TrainRun) -> Checkpoint:
    params = init_params(run.model, run.seed)
    with np.errstate(all="ignore"):
        metrics = evaluate(params, run.model, digits(run.seed))
    return Checkpoint(0, params, run.make_optimizer().init(params), (metrics,))


def next_epoch(run: TrainRun, checkpoint: Checkpoint) -> Checkpoint:
    """One pass over the shuffled training batches, one optimizer update per batch, then evaluation.

    A run whose parameters or loss turn non-finite is marked diverged and keeps its last good parameters.
    """
    if checkpoint.diverged:
        return checkpoint._replace(epoch=checkpoint.epoch + 1)
    data, optimizer = digits(run.seed), run.make_optimizer()
    params, state = checkpoint.params, checkpoint.state
    with np.errstate(all="ignore"):
        for index in batches(run, len(data.y_train), checkpoint.epoch + 1):
            _, g = loss_and_grad(params, run.model, data.x_train[index], data.y_train[index])
            updates, state = optimizer.update(g, state)
            params = params + updates
        metrics = evaluate(params, run.model, data)
    if not (np.isfinite(params).all() and np.isfinite(metrics).all()):
        return checkpoint._replace(epoch=checkpoint.epoch + 1, diverged=True)
    return Checkpoint(checkpoint.epoch + 1, params, state, (*checkpoint.history, metrics))


def train(run: TrainRun, epochs: int, on_epoch: Callable[[Checkpoint], None] | None = None) -> Checkpoint:
    checkpoint = start(run)
    for _ in range(epochs):
        checkpoint = next_epoch(run, checkpoint)
        if on_epoch is not None:
            on_epoch(checkpoint)
    return checkpoint


class TorchComparison(NamedTuple):
    rmsviz: Checkpoint  # rmsviz's RMSProp in torch's form (eps_in_sqrt=False)
    torch_history: tuple[Metrics, ...]
    torch_params: np.ndarray
    max_weight_difference: float


def torch_rmsprop(run: TrainRun, epochs: int) -> TorchComparison:
    """The same run with autograd and torch.optim.RMSprop: same initial weights, same batches.

    rmsviz's RMSProp runs with eps_in_sqrt=False, torch's √s + ε, so both apply the same formula. Torch runs on
    one thread: this network's products are too small to gain from more, and on a server's shared cores its
    threads waiting on each other cost twenty times the CPU (benchmarks/bench_worst_page.py --calibrate).
    """
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _torch_rmsprop(run, epochs)
    finally:
        torch.set_num_threads(threads)


def _torch_rmsprop(run: TrainRun, epochs: int) -> TorchComparison:
    import torch

    settings = {**dict(run.settings), "eps_in_sqrt": False}
    ours = train(TrainRun("rmsprop", tuple(settings.items()), run.model, run.batch_size, run.seed), epochs)
    data = digits(run.seed)
    x, y = torch.tensor(data.x_train), torch.tensor(data.y_train)  # copies: the split is read-only
    weights = torch.tensor(init_params(run.model, run.seed), requires_grad=True)
    optimizer = torch.optim.RMSprop(
        [weights], lr=settings["lr"], alpha=settings["gamma"], eps=settings["eps"],
        momentum=settings.get("momentum", 0.0), centered=settings.get("centered", False),
    )  # fmt: skip
    history = [evaluate(weights.detach().numpy(), run.model, data)]
    for epoch in range(1, epochs + 1):
        for index in batches(run, len(y), epoch):
            index = torch.from_numpy(index)
            optimizer.zero_grad()
            logits = forward(weights, run.model, x[index])[1]
            torch.nn.functional.cross_entropy(logits, y[index]).backward()
            optimizer.step()
        history.append(evaluate(weights.detach().numpy(), run.model, data))
    final = weights.detach().numpy().copy()
    difference = float(np.abs(final - ours.params).max()) if len(ours.history) == epochs + 1 else float("nan")
    return TorchComparison(ours, tuple(history), final, difference)
