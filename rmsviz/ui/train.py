"""The training page: runs trained epoch by epoch and stored across sessions, the torch.optim
comparison, and the results table."""

from __future__ import annotations

import threading
from collections import OrderedDict

import streamlit as st

from rmsviz import train
from rmsviz.ui.widgets import optimizer_title, readable

TRAIN_RACERS = ("rmsprop", "sgd", "momentum", "rprop")
MAX_STORED_RUNS = 256


@st.cache_resource
def _checkpoints() -> tuple[OrderedDict, threading.Lock]:
    """The furthest checkpoint of each recent training run, shared by every session (least recently used
    dropped past MAX_STORED_RUNS). One entry per run, not per epoch: resuming needs only the latest."""
    return OrderedDict(), threading.Lock()


def _stored(run: train.TrainRun) -> train.Checkpoint | None:
    store, lock = _checkpoints()
    with lock:
        if run in store:
            store.move_to_end(run)
        return store.get(run)


def _store(run: train.TrainRun, checkpoint: train.Checkpoint) -> None:
    store, lock = _checkpoints()
    with lock:
        if run not in store or store[run].epoch < checkpoint.epoch:  # another session may have gone further
            store[run] = checkpoint
        store.move_to_end(run)
        while len(store) > MAX_STORED_RUNS:
            store.popitem(last=False)


def train_runs(runs: tuple[train.TrainRun, ...], epochs: int) -> list[train.Checkpoint]:
    """Each run trained to ``epochs``, resuming from its stored checkpoint, epoch by epoch under a progress bar.

    While there is training to do, a Stop button sits above the bar. Each finished epoch is stored before
    the bar moves; a click on Stop (or on any widget) reruns the script, and Streamlit interrupts the running
    one at its next call, the bar's update: nothing finished is lost, and the rerun that Stop started shows
    what is stored. Histories are cut to ``epochs`` (the stored parameters may be further on).
    """
    checkpoints = [_stored(run) or train.start(run) for run in runs]
    remaining = sum(max(0, epochs - c.epoch) for c in checkpoints)
    slot = st.empty()  # the Stop button, there only while training
    if remaining and slot.button(
        "Stop training", key="stop", icon=":material/stop_circle:", help="What has finished is kept."
    ):
        slot.button("▶ Resume", key="resume")
        st.info(f"Stopped: showing the epochs that had finished, of {epochs}.", icon=":material/stop_circle:")
    elif remaining:
        bar, done = st.progress(0.0, text="Training…"), 0
        for i, run in enumerate(runs):
            while checkpoints[i].epoch < epochs:
                checkpoints[i] = train.next_epoch(run, checkpoints[i])
                _store(run, checkpoints[i])
                done += 1
                text = f"{optimizer_title(run.optimizer)}: epoch {checkpoints[i].epoch} of {epochs}"
                bar.progress(done / remaining, text=text)
        bar.empty()
        slot.empty()
    return [
        c._replace(history=c.history[: epochs + 1], diverged=c.diverged and len(c.history) <= epochs)
        for c in checkpoints
    ]


@st.cache_data(max_entries=32, show_spinner="Training the same RMSProp with torch.optim.RMSprop…")
def torch_comparison(run: train.TrainRun, epochs: int) -> train.TorchComparison:
    return train.torch_rmsprop(run, epochs)


def train_table(runs: tuple[train.TrainRun, ...], checkpoints: list[train.Checkpoint]) -> list[dict]:
    """The last epoch of each run, to a few digits; where a run diverged, when."""
    rows = []
    for run, checkpoint in zip(runs, checkpoints, strict=True):
        last = checkpoint.history[-1]
        rows.append(
            {
                "optimizer": optimizer_title(run.optimizer),
                "epochs": len(checkpoint.history) - 1,
                "train loss": readable(last.train_loss),
                "test loss": readable(last.test_loss),
                "train accuracy": f"{last.train_accuracy:.1%}",
                "test accuracy": f"{last.test_accuracy:.1%}",
                "diverged at epoch": len(checkpoint.history) if checkpoint.diverged else "—",
            }
        )
    return rows
