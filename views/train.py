"""Train a model: the rmsviz optimizers on a small network and real data (scikit-learn's 8×8 digits)."""

import streamlit as st

from rmsviz import figures, train, train_figures
from rmsviz.backend import torch_installed
from rmsviz.optimizers import OPTIMIZERS
from rmsviz.ui import train as train_ui
from rmsviz.ui import widgets

BATCH_SIZES = (0, 8, 16, 32, 64, 128, 256, 512)  # 0: the whole training set, one step per epoch


def batch_label(size: int) -> str:
    return "full batch" if size == 0 else str(size)


st.title("Train a model")
st.markdown(
    "The same optimizers, now on a real model: 1797 handwritten 8×8 digits (shipped with scikit-learn), 75 % "
    "to train on and 25 % held out. The network's parameters are one flat vector, updated by the very "
    "optimizers of the race, one step per minibatch."
)
notices = st.container()
guard = widgets.UrlGuard()

with st.sidebar:
    hidden = widgets.url_slider("Hidden units (0: softmax regression)", 0, 256, 0, "hidden", guard, step=8)
    activation = st.selectbox(
        "Activation", train.ACTIVATIONS, key="activation", bind="query-params", disabled=not hidden
    )
    guard.check("activation", activation, " or ".join(train.ACTIVATIONS))
    chosen = st.multiselect(
        "Optimizers", list(OPTIMIZERS), default=list(train_ui.TRAIN_RACERS), key="train_optimizers",
        bind="query-params", format_func=lambda name: OPTIMIZERS[name].title,
    )  # fmt: skip
    guard.check("train_optimizers", chosen, "optimizer names", shown=lambda name: OPTIMIZERS[name].title)
    epochs = widgets.url_slider("Epochs", 1, 200, 10, "epochs", guard)
    batch_size = st.select_slider(
        "Batch size", BATCH_SIZES, value=32, key="batch", bind="query-params", format_func=batch_label
    )
    guard.check("batch", batch_size, "full batch or a power of 2 from 8 to 512", shown=batch_label)
    seed = st.number_input("Seed (split, initial weights, shuffling)", 0, 2**31 - 1, 0, key="train_seed",
                           bind="query-params")  # fmt: skip
    guard.check("train_seed", seed, f"an integer in [0, {2**31 - 1}]")
    settings = [
        (name, widgets.optimizer_settings(name, f"train.{name}", train.TRAIN_DEFAULTS.get(name, {}), guard))
        for name in chosen
    ]
    compare = st.checkbox(
        "Compare with torch.optim.RMSprop", key="torch", bind="query-params",
        disabled=not torch_installed() or "rmsprop" not in chosen,
        help="Needs torch and RMSProp among the optimizers. rmsviz's RMSProp runs in torch's form, √s + ε.",
    )  # fmt: skip
    guard.check("torch", compare, "true or false")

model = train.Model(int(hidden), activation)
st.caption(f"Model: {model.title}, {model.size} parameters; batches of {batch_label(batch_size)}; {epochs} epochs.")
if not chosen:
    guard.show(notices)
    st.info("Pick at least one optimizer.")
    st.stop()

runs = tuple(train.TrainRun(name, values, model, int(batch_size), int(seed)) for name, values in settings)
checkpoints = train_ui.train_runs(runs, int(epochs))
for run, checkpoint in zip(runs, checkpoints, strict=True):
    if checkpoint.diverged:
        st.error(
            f"**{OPTIMIZERS[run.optimizer].title} diverged in epoch {len(checkpoint.history)}**: the loss or the "
            "weights stopped being finite numbers; try a smaller η.",
            icon=":material/error:",
        )

if "rprop" in chosen and batch_size:
    st.caption(
        "Rprop with minibatches: it follows each batch's sign with its own step size, whatever the gradient's size, "
        "so it drifts as on the Noisy gradients page. Full batch is where Rprop belongs."
    )
comparison = None
if compare and "rmsprop" in chosen and torch_installed():
    comparison = train_ui.torch_comparison(runs[chosen.index("rmsprop")], int(epochs))
styles = [figures.style(run.optimizer, OPTIMIZERS[run.optimizer].title) for run in runs]
chart = train_figures.training_figure(
    [c.history for c in checkpoints], styles, comparison.torch_history if comparison else None
)
st.plotly_chart(chart, key="train_chart", config={"displaylogo": False})
st.table(train_ui.train_table(runs, checkpoints), border="horizontal")
if comparison:
    st.markdown(
        f"After {epochs} epochs with the same initial weights and batches, rmsviz's RMSProp (ε outside the root, "
        f"as torch) and torch.optim.RMSprop differ by at most **{comparison.max_weight_difference:.2g}** in any "
        f"of the {model.size} weights."
        + (
            " The circles are torch's; the red line is your RMSProp with ε inside the root: untick eps_in_sqrt "
            "in its settings and they sit on it."
            if dict(runs[chosen.index("rmsprop")].settings)["eps_in_sqrt"]
            else ""
        )
    )
guard.show(notices)  # every URL-bound widget has been drawn: report what the link got wrong
