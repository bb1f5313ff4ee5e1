"""The link codecs of the pages other than the race (ui.decay_links, noise_links, train_links, sweep_links,
conventions_links): settings written as a link read back as the same settings, every value a codec refuses
is a notice, and a codec spells a key as its page's widgets do. The race's codec has its own tests
(test_links, test_saved_links)."""

import pytest
from helpers import link_query

from rmsviz.optimizers import OPTIMIZERS
from rmsviz.schedules import PARAMETERS, schedule
from rmsviz.studies import sweep
from rmsviz.ui import conventions_links, decay_links, keys, noise_links, pages, sweep_links, train_links
from rmsviz.ui.links import BACKEND, schedule_key

# Settings that touch every kind of value a codec spells: labels (a surface, optimizers, a batch size, an
# axis, an outcome, a framework), typed texts, lists, ranges, booleans, integers and floats.
SETTINGS = {
    "decay": {
        decay_links.GAMMAS: "0.9, 0.5", decay_links.HORIZON: 30, decay_links.K: 7,
        decay_links.run_key("surface"): "saddle", decay_links.run_key("x0"): -1.0, decay_links.run_key("lr"): 0.1,
    },
    "noise": {
        noise_links.SEQUENCE: "1, -1, 2, -2", noise_links.MINIBATCH_STEPS: 50,
        noise_links.minibatch_key("rmsprop", "lr"): 0.001, noise_links.minibatch_key("rprop", "skip_on_flip"): False,
        noise_links.SURFACE: "rosenbrock", noise_links.OPTIMIZERS_KEY: ["sgd", "adam"], noise_links.SIGMA: 0.5,
        noise_links.RUNS: 20, noise_links.NOISY_SEED: 3, noise_links.noisy_key("adam", "beta1"): 0.8,
    },
    "train": {
        train_links.HIDDEN: 16, train_links.ACTIVATION: "relu", train_links.OPTIMIZERS_KEY: ["rmsprop", "sgd"],
        train_links.EPOCHS: 2, train_links.BATCH: 0, train_links.SEED: 5, train_links.TORCH: True,
        train_links.optimizer_key("rmsprop", "lr"): 0.003,
    },
    "sweep": {
        sweep_links.OPTIMIZER: "momentum", sweep_links.SURFACE: "saddle", sweep_links.X: "beta",
        sweep_links.Y: "schedule_gamma", sweep_links.cells_key(sweep_links.X): 5, sweep_links.STEPS: 20,
        sweep_links.range_key("beta"): (0.1, 0.9), sweep_links.range_key("schedule_step_size"): (1, 50),
        sweep_links.OUTCOME: "steps", sweep_links.RANDOM_STARTS: 2, schedule_key(sweep_links.SCHEDULE, "kind"): "step",
        schedule_key(sweep_links.SCHEDULE, "gamma"): 0.5, BACKEND: "numpy",
    },
    "sweep-rule": {
        sweep_links.OPTIMIZER: "rule", sweep_links.EDITOR.starter: "adam", sweep_links.EDITOR.state: "m = 0",
        sweep_links.EDITOR.update: "m = beta1 * m + g\nx = x - lr * m", sweep_links.X: "lr", sweep_links.Y: "beta1",
        sweep_links.range_key("beta1", rule=True): (0.5, 0.99),
    },
    "conventions": {
        conventions_links.LR: 0.1, conventions_links.STEPS: 30, conventions_links.FROM: "Keras 3",
        conventions_links.RHO: 0.95, conventions_links.EPS: 1e-07,
    },
}  # fmt: skip
CODECS = {**keys.CODECS, "sweep-rule": sweep_links}


@pytest.mark.parametrize("page", SETTINGS)
def test_settings_written_as_a_link_read_back_as_the_same_settings(page):
    codec, settings = CODECS[page], SETTINGS[page]
    assert codec.decode(codec.query(settings)) == (settings, [])
    assert codec.decode(link_query(codec.link(settings))) == (settings, [])  # through the URL's own encoding


# A link with one value of each kind a codec refuses, beside one it takes: (page, refused query, taken).
REFUSED = [
    ("decay", {"run.surface": "Nowhere", "horizon": "many", "sigma": "2", "run.bogus": "1"}, {"k": "3"}),
    ("noise", {"optimizers": ["SGD", "Nope"], "noisy_surface": "saddle", "x": "γ (gamma)"}, {"runs": "20"}),
    ("train", {"batch": "7", "activation": "sigmoid", "epochs": "1e9x"}, {"torch": "true"}),
    ("sweep", {"x": "η (gamma)", "outcome": "Best", "range_lr": "0.1", "optimizer": "Sign"}, {"y": "η (lr)"}),
    ("conventions", {"conv_from": "Fortran", "conv_lr": "fast", "device": "cuda"}, {"conv_steps": "30"}),
]


@pytest.mark.parametrize(("page", "refused", "taken"), REFUSED, ids=[page for page, _, _ in REFUSED])
def test_every_value_a_codec_refuses_is_a_notice(page, refused, taken):
    settings, notices = keys.CODECS[page].decode({**refused, **taken})
    assert set(settings) == set(taken)
    assert len(notices) == len(refused)
    assert all(any(f"`{key}" in notice for notice in notices) for key in refused)


def test_each_codec_owns_its_pages_keys_under_its_pages_title():
    assert list(keys.PAGES) == [page.name for page in pages.PAGES]
    for name, codec in keys.CODECS.items():
        assert keys.PAGES[name] is codec.PAGE and codec.PAGE.title == pages.BY_NAME[name].title


def test_an_axis_is_spelled_as_its_box_shows_it():
    """The axis boxes show (and a link writes) a hyperparameter as the sweep names its axis: its symbol."""
    for spec in OPTIMIZERS.values():
        for kind in PARAMETERS:
            shape = None if kind == "constant" else schedule(kind, milestones=(2, 4) if kind == "multistep" else ())
            for name in sweep.axis_names(spec, shape):
                symbol = sweep.axis_parameter(spec, name, shape).symbol
                assert sweep_links.axis_label(name) == f"{symbol} ({name})"
