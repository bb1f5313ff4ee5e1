"""Training on the digits: the hand-written gradient, loss going down, resuming, and parity with torch.optim.RMSprop."""

import numpy as np
import pytest

from rmsviz.optimizers import OPTIMIZERS
from rmsviz.studies import train

SOFTMAX = train.Model()
MLPS = [train.Model(16, "tanh"), train.Model(16, "relu")]


def run_of(name: str, model: train.Model, batch_size: int = 32, **settings) -> train.TrainRun:
    values = {**OPTIMIZERS[name].defaults, **OPTIMIZERS[name].options, **train.TRAIN_DEFAULTS[name], **settings}
    return train.TrainRun(name, tuple(values.items()), model, batch_size, seed=0)


def test_split_is_fixed_by_the_seed_and_covers_the_data():
    a, b, c = train.digits(0), train.digits(0), train.digits(1)
    assert a is b and len(a.y_train) + len(a.y_test) == 1797 and len(a.y_test) == 449
    assert not np.array_equal(a.y_test, c.y_test)
    assert a.x_train.min() >= 0 and a.x_train.max() <= 1


def test_the_digits_are_scikit_learns_read_without_importing_it():
    """train.digits reads scikit-learn's data file itself (importing scikit-learn takes a second and pandas):
    the same pixels and labels, to the bit, as its load_digits, split the same way."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    data = train.digits(3)
    order = np.random.default_rng([3, 0]).permutation(len(digits.target))
    test, kept = order[: len(data.y_test)], order[len(data.y_test) :]
    expected = (digits.data[kept] / 16, digits.target[kept], digits.data[test] / 16, digits.target[test])
    for got, wanted in zip(data, expected, strict=True):
        assert got.dtype == wanted.dtype and np.array_equal(got, wanted)


@pytest.mark.parametrize("model", [SOFTMAX, *MLPS], ids=lambda m: m.title)
def test_gradient_matches_central_differences(model):
    rng = np.random.default_rng(5)
    params = rng.normal(0, 0.3, model.size)
    data = train.digits(0)
    x, y = data.x_train[:50], data.y_train[:50]
    _, grad = train.loss_and_grad(params, model, x, y)
    h = 1e-6
    for i in rng.choice(model.size, 25, replace=False):
        step = np.zeros(model.size)
        step[i] = h
        numeric = (
            train.loss_and_grad(params + step, model, x, y)[0] - train.loss_and_grad(params - step, model, x, y)[0]
        )
        assert grad[i] == pytest.approx(numeric / (2 * h), abs=1e-8)


@pytest.mark.parametrize("model", [SOFTMAX, *MLPS], ids=lambda m: m.title)
def test_gradient_matches_torch_autograd(model):
    torch = pytest.importorskip("torch", reason="torch is optional (requirements-torch.txt)")
    params = np.random.default_rng(6).normal(0, 0.3, model.size)
    data = train.digits(0)
    loss, grad = train.loss_and_grad(params, model, data.x_train, data.y_train)
    weights = torch.tensor(params, requires_grad=True)
    logits = train.forward(weights, model, torch.tensor(data.x_train))[1]
    reference = torch.nn.functional.cross_entropy(logits, torch.tensor(data.y_train))
    reference.backward()
    assert loss == pytest.approx(reference.item(), rel=1e-13)
    np.testing.assert_allclose(grad, weights.grad.numpy(), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("model", [SOFTMAX, MLPS[0]], ids=lambda m: m.title)
@pytest.mark.parametrize("name", ["sgd", "momentum", "adagrad", "rmsprop", "adam", "adadelta"])
def test_optimizers_reduce_the_training_loss(name, model):
    history = train.train(run_of(name, model), epochs=3).history
    assert len(history) == 4
    assert history[-1].train_loss < 0.6 * history[0].train_loss
    assert history[-1].test_accuracy > 0.8


def test_full_batch_is_one_step_per_epoch():
    run = run_of("rmsprop", SOFTMAX, batch_size=0)
    assert len(train.batches(run, 1347, 1)) == 1
    assert train.train(run, epochs=20).history[-1].train_loss < train.start(run).history[0].train_loss


def test_epochs_resume_exactly_and_batches_are_shared():
    run = run_of("momentum", MLPS[0])
    straight = train.train(run, epochs=4)
    resumed = train.next_epoch(run, train.next_epoch(run, train.train(run, epochs=2)))
    np.testing.assert_array_equal(straight.params, resumed.params)
    assert straight.history == resumed.history
    other = run_of("sgd", MLPS[0])
    for epoch in (1, 2):
        for ours, theirs in zip(train.batches(run, 1347, epoch), train.batches(other, 1347, epoch), strict=True):
            np.testing.assert_array_equal(ours, theirs)


def test_divergence_is_marked_and_keeps_the_last_good_weights():
    run = run_of("sgd", MLPS[1], lr=1e200)  # relu passes the overflow on: logits of 1e400 are inf
    checkpoint = train.train(run, epochs=3)  # and no RuntimeWarning escapes
    assert checkpoint.diverged and checkpoint.epoch == 3 and np.isfinite(checkpoint.params).all()
    assert all(np.isfinite(m).all() for m in checkpoint.history)


def test_bad_model_is_a_clear_error():
    with pytest.raises(ValueError, match="Invalid activation: 'sigmoid'"):
        train.Model(8, "sigmoid")


@pytest.mark.parametrize("settings", [{}, {"momentum": 0.5}, {"centered": True}], ids=["plain", "momentum", "centered"])
def test_rmsprop_matches_torch_optim_rmsprop(settings):
    pytest.importorskip("torch", reason="torch is optional (requirements-torch.txt)")
    comparison = train.torch_rmsprop(run_of("rmsprop", MLPS[0], **settings), epochs=3)
    assert comparison.max_weight_difference < 1e-10
    np.testing.assert_allclose(np.asarray(comparison.torch_history), np.asarray(comparison.rmsviz.history), rtol=1e-9)
