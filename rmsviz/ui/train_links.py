"""The training page's link codec: the one place that spells the training page's widget keys, and writes its
settings as a link and reads a link back (ui.links.LinkFormat).

The page's settings are its widgets' values by key, for example::

    {"hidden": 16, "activation": "relu", "train_optimizers": ["rmsprop", "sgd"], "epochs": 2, "batch": 64,
     "train_seed": 5, "torch": True, "train.rmsprop.lr": 0.003}

The model (``hidden`` units, ``activation``), the ``train_optimizers`` (by their titles in a link), ``epochs``,
the ``batch`` size (0, the whole training set, is "full batch" in a link), ``train_seed``, the ``torch``
comparison, and each optimizer's settings keyed by ``train`` (``optimizer_key``). Every entry may be left out.
"""

from __future__ import annotations

from rmsviz.studies.train import ACTIVATIONS
from rmsviz.ui import links
from rmsviz.ui.links import Labels, LinkFormat, PageKeys
from rmsviz.ui.pages import BY_NAME
from rmsviz.ui.race_settings import OPTIMIZER_LABELS

HIDDEN, ACTIVATION, OPTIMIZERS_KEY = "hidden", "activation", "train_optimizers"
EPOCHS, BATCH, SEED, TORCH = "epochs", "batch", "train_seed", "torch"
TRAIN = "train"  # the prefix of the optimizers' settings
# Widgets of the page that are not in its link.
STOP, RESUME, CHART = "stop", "resume", "train_chart"
BATCH_SIZES = (0, 8, 16, 32, 64, 128, 256, 512)  # 0: the whole training set, one step per epoch


def batch_label(size: int) -> str:
    """A batch size as the page (and so the link) shows it."""
    return "full batch" if size == 0 else str(size)


def optimizer_key(optimizer: str, name: str = "") -> str:
    """``train.rmsprop.lr``, the key of an optimizer's setting (ui.links.optimizer_key)."""
    return links.optimizer_key(TRAIN, optimizer, name)


PAGE = PageKeys(
    BY_NAME["train"].title,
    frozenset({HIDDEN, ACTIVATION, OPTIMIZERS_KEY, EPOCHS, BATCH, SEED, TORCH, STOP, RESUME, CHART}),
    prefixes=(TRAIN,),
)
FORMAT = LinkFormat(
    PAGE,
    labels={
        ACTIVATION: Labels.of(ACTIVATIONS),
        OPTIMIZERS_KEY: OPTIMIZER_LABELS,
        BATCH: Labels.of(BATCH_SIZES, batch_label),
    },
    is_list=lambda key: key == OPTIMIZERS_KEY,
)
query, link, decode = FORMAT.query, FORMAT.link, FORMAT.decode
