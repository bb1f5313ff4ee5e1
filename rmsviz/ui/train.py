"""The training page: runs trained epoch by epoch and stored across sessions, the torch.optim
comparison, and the results table."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import streamlit as st

from rmsviz.backend import torch_installed
from rmsviz.i18n import N_
from rmsviz.optimizers import OPTIMIZERS
from rmsviz.studies import budget, train
from rmsviz.ui import train_links
from rmsviz.ui.language import gettext as _
from rmsviz.ui.stores import SharedStore
from rmsviz.ui.widgets import (
    UrlGuard,
    optimizer_settings,
    optimizer_title,
    readable,
    url_multiselect,
    url_number,
    url_select_slider,
    url_selectbox,
    url_slider,
    url_switch,
)

TRAIN_RACERS = ("rmsprop", "sgd", "momentum", "rprop")
MAX_STORED_RUNS = 256
INTRO = N_(
    "The same optimizers, now on a real model: 1797 handwritten 8×8 digits (shipped with scikit-learn), three "
    "in four to train on and one in four held out. The network's parameters are one flat vector, updated by the very "
    "optimizers of the race, one step per minibatch."
)
RPROP_WITH_MINIBATCHES = N_(
    "Rprop with minibatches: it follows each batch's sign with its own step size, whatever the gradient's size, "
    "so it drifts as on the Noisy gradients page. Full batch is where Rprop belongs."
)


@dataclass(frozen=True)
class TrainConfig:
    """What the training page's sidebar sets."""

    model: train.Model
    runs: tuple[train.TrainRun, ...]  # one per chosen optimizer, same model, batches and seed
    epochs: int
    batch_size: int
    compare: bool  # also train torch.optim.RMSprop beside rmsviz's RMSProp


def train_controls(guard: UrlGuard) -> TrainConfig:
    """The sidebar of the training page."""
    with st.sidebar:
        hidden = url_slider(_("Hidden units (0: softmax regression)"), 0, 256, 0, train_links.HIDDEN, guard, step=8)
        activation = url_selectbox(
            _("Activation"), train.ACTIVATIONS, train_links.ACTIVATION, guard, disabled=not hidden
        )
        chosen = url_multiselect(
            _("Optimizers"), list(OPTIMIZERS), list(TRAIN_RACERS), train_links.OPTIMIZERS_KEY, guard,
            format_func=optimizer_title,
        )  # fmt: skip
        epochs = url_slider(_("Epochs"), 1, 200, 10, train_links.EPOCHS, guard)
        batch_size = url_select_slider(
            _("Batch size"), train_links.BATCH_SIZES, 32, train_links.BATCH, guard, format_func=train_links.batch_label
        )
        seed = url_number(_("Seed (split, initial weights, shuffling)"), 0, train_links.SEED, guard, 0, 2**31 - 1)
        model = train.Model(hidden, activation)
        settings = {
            name: optimizer_settings(name, train_links.optimizer_key(name), train.TRAIN_DEFAULTS.get(name, {}), guard)
            for name in chosen
        }
        runs = tuple(train.TrainRun(name, own, model, batch_size, seed) for name, own in settings.items())
        compare = url_switch(
            _("Compare with torch.optim.RMSprop"), train_links.TORCH, guard,
            disabled=not torch_installed() or "rmsprop" not in chosen,
            help=_("Needs torch and RMSProp among the optimizers. rmsviz's RMSProp runs in torch's form, √s + ε."),
        )  # fmt: skip
    return TrainConfig(model, runs, epochs, batch_size, compare and "rmsprop" in chosen and torch_installed())


def model_title(model: train.Model) -> str:
    """What the model is, in the session's language (its activation is code)."""
    if not model.hidden:
        return _("softmax regression")
    return _("MLP, {hidden} {activation} units").format(hidden=model.hidden, activation=model.activation)


def batch_words(size: int) -> str:
    """A batch size in a sentence, in the session's language (the slider's label stays the link's)."""
    return _("full batch") if size == 0 else str(size)


def divergence_messages(config: TrainConfig, checkpoints: list[train.Checkpoint]) -> list[str]:
    diverged = _(
        "**{name} diverged in epoch {epoch}**: the loss or the weights stopped being finite numbers; try a smaller η."
    )
    return [
        diverged.format(name=optimizer_title(run.optimizer), epoch=len(checkpoint.history))
        for run, checkpoint in zip(config.runs, checkpoints, strict=True)
        if checkpoint.diverged
    ]


def comparison_sentence(config: TrainConfig, comparison: train.TorchComparison) -> str:
    """How far rmsviz's RMSProp and torch.optim.RMSprop ended apart, from the comparison's numbers."""
    rmsprop = next(run for run in config.runs if run.optimizer == "rmsprop")
    sentence = _(
        "After {epochs} epochs with the same initial weights and batches, rmsviz's RMSProp (ε outside the root, as "
        "torch) and torch.optim.RMSprop differ by at most **{difference}** in any of the {size} weights."
    ).format(
        epochs=len(comparison.torch_history) - 1,
        difference=f"{comparison.max_weight_difference:.2g}",
        size=config.model.size,
    )
    if dict(rmsprop.settings)["eps_in_sqrt"]:
        sentence += " " + _(
            "The circles are torch's; the red line is your RMSProp with ε inside the root: untick eps_in_sqrt "
            "in its settings and they sit on it."
        )
    return sentence


_training = threading.Lock()


@st.cache_resource
def _checkpoints() -> SharedStore:
    """The furthest checkpoint of each recent training run, shared by every session. One entry per run, not
    per epoch: resuming needs only the latest."""
    return SharedStore(MAX_STORED_RUNS)


def _further(old: train.Checkpoint, new: train.Checkpoint) -> bool:
    return new.epoch > old.epoch  # another session may have gone further


def train_runs(runs: tuple[train.TrainRun, ...], epochs: int, compare: bool = False) -> list[train.Checkpoint]:
    """Each run trained to ``epochs``, resuming from its stored checkpoint, epoch by epoch under a progress bar.

    While there is training to do, a Stop button sits above the bar. Each finished epoch is stored before
    the bar moves; a click on Stop (or on any widget) reruns the script, and Streamlit interrupts the running
    one at its next call, the bar's update: nothing finished is lost, and the rerun that Stop started shows
    what is stored. Histories are cut to ``epochs`` (the stored parameters may be further on). One page run
    trains what studies.budget allows (half of it when the torch comparison, ``compare``, takes the other half);
    the next run goes on from there.
    """
    store = _checkpoints()
    checkpoints = [store.get(run) or train.start(run) for run in runs]
    seconds = budget.PAGE_SECONDS / 2 if compare else budget.PAGE_SECONDS
    allowed = budget.train_epochs(runs, [c.epoch for c in checkpoints], epochs, seconds)
    if allowed < epochs:
        notice = _(
            "Training stops at epoch {allowed} of {epochs}: {optimizers} optimizer(s) × {epochs} epochs of this "
            "model is more than one page may compute on a server a class shares. Fewer optimizers, a smaller "
            "model or larger batches go further; rerunning the page (R) trains on from where it stopped."
        )
        st.warning(notice.format(allowed=allowed, epochs=epochs, optimizers=len(runs)), icon=":material/timer:")
        epochs = allowed
    remaining = sum(max(0, epochs - c.epoch) for c in checkpoints)
    slot = st.empty()  # the Stop button, there only while training
    if remaining and slot.button(
        _("Stop training"), key=train_links.STOP, icon=":material/stop_circle:", help=_("What has finished is kept.")
    ):
        slot.button(_("▶ Resume"), key=train_links.RESUME)
        st.info(_("Stopped: showing the epochs that had finished, of {epochs}.").format(epochs=epochs),
                icon=":material/stop_circle:")  # fmt: skip
    elif remaining:
        bar = st.progress(0.0, text=_("Training…"))
        epoch_of = _("{name}: epoch {epoch} of {epochs}")

        def progress() -> float:
            return 1 - sum(max(0, epochs - c.epoch) for c in checkpoints) / remaining

        # One session trains at a time: a class opening one link would otherwise train the same runs once
        # per student. A session that waited takes up what the others stored meanwhile.
        with _training:
            for i, run in enumerate(runs):
                stored = store.get(run)
                if stored is not None and stored.epoch > checkpoints[i].epoch:
                    checkpoints[i] = stored
                while checkpoints[i].epoch < epochs:
                    checkpoints[i] = train.next_epoch(run, checkpoints[i])
                    store.put(run, checkpoints[i], replace=_further)
                    text = epoch_of.format(
                        name=optimizer_title(run.optimizer), epoch=checkpoints[i].epoch, epochs=epochs
                    )
                    bar.progress(progress(), text=text)
        bar.empty()
        slot.empty()
    return [
        c._replace(history=c.history[: epochs + 1], diverged=c.diverged and len(c.history) <= epochs)
        for c in checkpoints
    ]


def compare_with_torch(run: train.TrainRun, epochs: int) -> train.TorchComparison:
    """``run`` trained again beside torch.optim.RMSprop, over as many of ``epochs`` as half a page run's budget
    allows (the comparison trains from the start, twice), with a notice where that is fewer."""
    allowed = budget.comparison_epochs(run, epochs, budget.PAGE_SECONDS / 2)
    if allowed < epochs:
        notice = _(
            "The comparison with torch.optim.RMSprop covers the first {allowed} of {epochs} epochs: it trains "
            "from the start, twice, and more is more than one page may compute on a server a class shares."
        )
        st.warning(notice.format(allowed=allowed, epochs=epochs), icon=":material/timer:")
    with st.spinner(_("Training the same RMSProp with torch.optim.RMSprop…")):
        return torch_comparison(run, allowed)


@st.cache_resource(max_entries=32, show_spinner=False)
def torch_comparison(run: train.TrainRun, epochs: int) -> train.TorchComparison:
    return train.torch_rmsprop(run, epochs)


def train_table(runs: tuple[train.TrainRun, ...], checkpoints: list[train.Checkpoint]) -> list[dict]:
    """The last epoch of each run, to a few digits; where a run diverged, when; in the session's language."""
    rows = []
    for run, checkpoint in zip(runs, checkpoints, strict=True):
        last = checkpoint.history[-1]
        rows.append(
            {
                _("optimizer"): optimizer_title(run.optimizer),
                _("epochs"): len(checkpoint.history) - 1,
                _("train loss"): readable(last.train_loss),
                _("test loss"): readable(last.test_loss),
                _("train accuracy"): f"{last.train_accuracy:.1%}",
                _("test accuracy"): f"{last.test_accuracy:.1%}",
                _("diverged at epoch"): len(checkpoint.history) if checkpoint.diverged else "—",
            }
        )
    return rows
