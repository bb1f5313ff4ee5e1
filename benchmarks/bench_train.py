"""Time of one epoch of the MLP on the digits (minibatches of 32), rmsviz against autograd + torch.optim.RMSprop.

Target: an epoch under 50 ms, so the training page follows a slider. Prints the ratio to torch when it is installed.
"""

import time

from rmsviz.backend import torch_installed
from rmsviz.optimizers import OPTIMIZERS
from rmsviz.studies import train

EPOCHS = 20
MODEL = train.Model(32, "tanh")


def seconds_per_epoch(step) -> float:
    """The best of three timings of EPOCHS calls of ``step(epoch)``, per epoch."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for epoch in range(1, EPOCHS + 1):
            step(epoch)
        best = min(best, (time.perf_counter() - start) / EPOCHS)
    return best


def main() -> None:
    settings = {**OPTIMIZERS["rmsprop"].defaults, "lr": 0.003, "eps_in_sqrt": False}
    run = train.TrainRun("rmsprop", tuple(settings.items()), MODEL, batch_size=32, seed=0)
    checkpoint = train.start(run)  # loads the data once, outside the timing
    print(f"{MODEL.title}, {MODEL.size} parameters, {len(train.batches(run, 1347, 1))} batches of 32 per epoch")

    def ours(epoch):
        nonlocal checkpoint
        checkpoint = train.next_epoch(run, checkpoint)

    numpy_time = seconds_per_epoch(ours)
    print(f"rmsviz (NumPy, hand-written backward): {numpy_time * 1e3:.2f} ms per epoch (target < 50 ms)")
    if not torch_installed():
        print("torch is not installed: no comparison")
        return
    import torch

    data = train.digits(0)
    x, y = torch.tensor(data.x_train), torch.tensor(data.y_train)
    weights = torch.tensor(train.init_params(MODEL, 0), requires_grad=True)
    optimizer = torch.optim.RMSprop([weights], lr=0.003, alpha=0.9, eps=1e-6)

    def theirs(epoch):
        for index in train.batches(run, len(y), epoch):
            index = torch.from_numpy(index)
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(train.forward(weights, MODEL, x[index])[1], y[index]).backward()
            optimizer.step()
        train.evaluate(weights.detach().numpy(), MODEL, data)  # the same evaluation each epoch as ours

    torch_time = seconds_per_epoch(theirs)
    print(f"torch (autograd + torch.optim.RMSprop, {torch.get_num_threads()} threads): {torch_time * 1e3:.2f} ms")
    print(f"ratio rmsviz / torch: {numpy_time / torch_time:.2f}")


if __name__ == "__main__":
    main()
