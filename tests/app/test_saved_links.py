"""Links shared before the link codecs came stay good: each saved link (every preset's, and a set covering every
page) opens with the widget values it opened with on the day it was saved. The values are recorded as data, as
changes from the page opened with no link: what a link sets, and the widgets it takes away (racers it leaves out).
The data is packed (fmt: off) so that a racer's block of settings is a few lines, not one line per setting."""

from typing import NamedTuple

import pytest
from helpers import link_query, open_page, widgets
from streamlit.testing.v1 import AppTest

from rmsviz.studies.presets import PRESETS
from rmsviz.ui import keys, race_links
from rmsviz.ui.presets import preset_link


class Saved(NamedTuple):
    page: str
    link: str  # the query string, as it was shared
    changed: dict  # widget values the link opens with, where they differ from the page's own
    gone: tuple  # prefixes of the keys the page draws without the link and not with it (a racer's settings)


# fmt: off
SAVED = [
    Saved("race",
          "?preset=rmsprop-settles&surface=Elliptical+quadratic&racers=RMSProp&racers=RMSProp+%232"
          "&rmsprop2.schedule=plateau&rmsprop2.schedule_factor=0.5&rmsprop2.schedule_patience=5&steps=100",
          {"racers": ["rmsprop", "rmsprop2"], "rmsprop2.lr": 0.4, "rmsprop2.gamma": 0.9, "rmsprop2.eps": 1e-06,
           "rmsprop2.momentum": 0.0, "rmsprop2.initial_accumulator": 0.0, "rmsprop2.centered": False,
           "rmsprop2.eps_in_sqrt": True, "rmsprop2.schedule": "plateau", "rmsprop2.schedule_factor": 0.5,
           "rmsprop2.schedule_patience": 5, "rmsprop2.schedule_threshold": 0.0001, "rmsprop2.schedule_cooldown": 0,
           "rmsprop2.schedule_floor": 0.0, "rmsprop2.warmup": 0, "steps": 100},
          ("adagrad", "momentum", "rprop")),
    Saved("race",
          "?preset=d2l-rmsprop&surface=Elliptical+quadratic&racers=RMSProp&rmsprop.lr=0.4&rmsprop.gamma=0.9"
          "&steps=20&details=Step+inspector",
          {"details": "inspector", "racers": ["rmsprop"], "steps": 20},
          ("adagrad", "momentum", "rprop")),
    Saved("race",
          "?preset=adagrad-stalls&surface=Elliptical+quadratic&racers=Adagrad&racers=RMSProp&adagrad.lr=0.4"
          "&rmsprop.lr=0.4&steps=50",
          {"racers": ["adagrad", "rmsprop"]},
          ("momentum", "rprop")),
    Saved("race",
          "?preset=gamma-one&surface=Elliptical+quadratic&racers=RMSProp&racers=RMSProp+%232&rmsprop.gamma=1.0"
          "&rmsprop2.lr=0.4&steps=30",
          {"racers": ["rmsprop", "rmsprop2"], "rmsprop.gamma": 1.0, "rmsprop2.lr": 0.4, "rmsprop2.gamma": 0.9,
           "rmsprop2.eps": 1e-06, "rmsprop2.momentum": 0.0, "rmsprop2.initial_accumulator": 0.0,
           "rmsprop2.centered": False, "rmsprop2.eps_in_sqrt": True, "rmsprop2.schedule": "constant", "steps": 30},
          ("adagrad", "momentum", "rprop")),
    Saved("race",
          "?preset=rotated&surface=Rotated+bowl&racers=RMSProp&racers=Adagrad&racers=Momentum&racers=SGD"
          "&rmsprop.lr=0.4&adagrad.lr=0.4&momentum.lr=0.02&sgd.lr=0.05&steps=20",
          {"surface": "rotated", "rotated.theta": 45.0, "racers": ["rmsprop", "adagrad", "momentum", "sgd"],
           "momentum.lr": 0.02, "sgd.lr": 0.05, "sgd.schedule": "constant", "steps": 20, "x0": -4.0, "y0": -1.0},
          ("rprop",)),
    Saved("race",
          "?preset=what-rmsprop-sees&surface=Rotated+bowl&steps=20&view=What+it+sees&racers=RMSProp"
          "&rmsprop.lr=0.4&rmsprop.gamma=0.9",
          {"surface": "rotated", "rotated.theta": 45.0, "racers": ["rmsprop"], "steps": 20, "view": "twin",
           "x0": -4.0, "y0": -1.0},
          ("adagrad", "momentum", "rprop")),
    Saved("race",
          "?preset=saddle&surface=Saddle&racers=RMSProp&racers=SGD&racers=Momentum&rmsprop.lr=0.05&sgd.lr=0.05"
          "&momentum.lr=0.05&steps=60",
          {"surface": "saddle", "racers": ["rmsprop", "sgd", "momentum"], "rmsprop.lr": 0.05, "sgd.lr": 0.05,
           "sgd.schedule": "constant", "momentum.lr": 0.05, "steps": 60, "x0": -1.5, "y0": 0.001},
          ("adagrad", "rprop")),
    Saved("race",
          "?preset=valley&surface=Long+valley&racers=Momentum&racers=RMSProp&steps=150",
          {"surface": "valley", "racers": ["momentum", "rmsprop"], "momentum.lr": 0.05, "momentum.beta": 0.9,
           "rmsprop.lr": 0.1, "steps": 150, "y0": 1.0},
          ("adagrad", "rprop")),
    Saved("race",
          "?preset=plateau&surface=Plateau&racers=SGD&racers=Rprop&racers=RMSProp&steps=150",
          {"surface": "plateau", "racers": ["sgd", "rprop", "rmsprop"], "sgd.lr": 0.4, "sgd.schedule": "constant",
           "rprop.lr": 0.05, "rmsprop.lr": 0.05, "steps": 150, "x0": 4.0, "y0": 3.0},
          ("adagrad", "momentum")),
    Saved("race",
          "?preset=noisy&surface=Elliptical+quadratic&racers=Rprop&racers=RMSProp&rprop.lr=0.1&rmsprop.lr=0.1"
          "&noise=1.0&seed=2&steps=150",
          {"racers": ["rprop", "rmsprop"], "rmsprop.lr": 0.1, "steps": 150, "noise": 1.0, "seed": 2.0},
          ("adagrad", "momentum")),
    Saved("race",
          "?preset=article-theta&surface=Your+own+formula&formula=x%2A%2A2&x0=10.0&y0=0.0&racers=RMSProp"
          "&racers=RMSProp+%232&rmsprop.lr=0.1&rmsprop.gamma=0.9&rmsprop.eps=1e-08&rmsprop2.lr=0.1"
          "&rmsprop2.gamma=0.9&rmsprop2.eps=1e-08&rmsprop2.eps_in_sqrt=False&steps=2&details=Step+inspector",
          {"details": "inspector", "surface": "custom", "formula": "x**2", "racers": ["rmsprop", "rmsprop2"],
           "rmsprop.lr": 0.1, "rmsprop.eps": 1e-08, "rmsprop2.lr": 0.1, "rmsprop2.gamma": 0.9,
           "rmsprop2.eps": 1e-08, "rmsprop2.momentum": 0.0, "rmsprop2.initial_accumulator": 0.0,
           "rmsprop2.centered": False, "rmsprop2.eps_in_sqrt": False, "rmsprop2.schedule": "constant", "steps": 2,
           "x0": 10.0, "y0": 0.0},
          ("adagrad", "momentum", "rprop")),
    Saved("race",
          "?preset=rmsprop-adadelta&surface=Elliptical+quadratic&steps=50&racers=RMSProp&racers=AdaDelta"
          "&rmsprop.lr=0.4&rmsprop.gamma=0.9&adadelta.rho=0.9",
          {"racers": ["rmsprop", "adadelta"], "adadelta.lr": 1.0, "adadelta.rho": 0.9, "adadelta.eps": 1e-06,
           "adadelta.schedule": "constant"},
          ("adagrad", "momentum", "rprop")),
    Saved("race",
          "?surface=Rotated+bowl&racers=RMSProp&racers=Adam&racers=RMSProp+%232&rmsprop2.gamma=0.5&adam.beta1=0.8"
          "&rmsprop.centered=true&steps=77&noise=0.1&seed=7&view=One+panel+each&details=Effective+learning+rate"
          "&code=true&rotated.theta=30.0",
          {"view": "panels", "details": "rate", "code": True, "surface": "rotated", "rotated.theta": 30.0,
           "racers": ["rmsprop", "adam", "rmsprop2"], "rmsprop.lr": 0.1, "rmsprop.centered": True, "adam.lr": 0.4,
           "adam.beta1": 0.8, "adam.beta2": 0.999, "adam.eps": 1e-06, "adam.schedule": "constant",
           "rmsprop2.lr": 0.1, "rmsprop2.gamma": 0.5, "rmsprop2.eps": 1e-06, "rmsprop2.momentum": 0.0,
           "rmsprop2.initial_accumulator": 0.0, "rmsprop2.centered": False, "rmsprop2.eps_in_sqrt": True,
           "rmsprop2.schedule": "constant", "steps": 77, "x0": -4.0, "y0": -1.0, "noise": 0.1, "seed": 7.0},
          ("adagrad", "momentum", "rprop")),
    Saved("race",
          "?racers=RMSProp&racers=Momentum&rmsprop.schedule=multistep&rmsprop.schedule_gamma=0.5"
          "&rmsprop.milestones=10%2C+30&rmsprop.warmup=5&momentum.schedule=cosine&momentum.lr=0.05&steps=60",
          {"racers": ["rmsprop", "momentum"], "rmsprop.schedule": "multistep", "rmsprop.schedule_gamma": 0.5,
           "rmsprop.milestones": "10, 30", "rmsprop.warmup": 5, "momentum.lr": 0.05, "momentum.schedule": "cosine",
           "momentum.schedule_t_max": 50, "momentum.schedule_floor": 0.0, "momentum.warmup": 0, "steps": 60},
          ("adagrad", "rprop")),
    Saved("race",
          "?surface=Quadratic+%C2%BDx%E1%B5%80Ax&quadratic.kappa=100&quadratic.theta=-20.0&racers=Rprop"
          "&racers=SGD&rprop.eta_minus=0.3&x0=2.5&y0=-1.5",
          {"surface": "quadratic", "quadratic.kappa": 100.0, "quadratic.theta": -20.0, "racers": ["rprop", "sgd"],
           "rprop.eta_minus": 0.3, "sgd.lr": 0.2, "sgd.schedule": "constant", "steps": 100, "x0": 2.5, "y0": -1.5},
          ("adagrad", "momentum", "rmsprop")),
    Saved("race",
          "?surface=Your+own+formula&formula=x%2A%2A2+%2B+3%2Ay%2A%2A2&x0=1.0&y0=2.0&racers=AdaDelta"
          "&details=Stability",
          {"details": "stability", "surface": "custom", "formula": "x**2 + 3*y**2", "racers": ["adadelta"],
           "adadelta.lr": 1.0, "adadelta.rho": 0.9, "adadelta.eps": 1e-06, "adadelta.schedule": "constant",
           "steps": 100, "x0": 1.0, "y0": 2.0},
          ("adagrad", "momentum", "rmsprop", "rprop")),
    Saved("race",
          "?rule_on=true&rule_starter=Adam&racers=RMSProp&rule.lr=0.1&rule.beta1=0.8&details=Loss+and+distance",
          {"racers": ["rmsprop"], "rule_on": True, "rule_starter": "adam", "rule_state": "m = 0\nv = 0",
           "rule": ("m = m + (1 - beta1) * (g - m)\n"
            "v = beta2 * v + (1 - beta2) * g * g\n"
            "x = x - lr / (1 - beta1**t) * m / (sqrt(v) / (1 - beta2**t)**0.5 + eps)"),
           "rule.beta1": 0.8, "rule.beta2": 0.999, "rule.eps": 1e-06, "rule.lr": 0.1},
          ("adagrad", "momentum", "rprop")),
    Saved("race",
          "?rule_on=true&rule_starter=Sign+descent&rule_state=s+%3D+0"
          "&rule=s+%3D+0.9+%2A+s+%2B+0.1+%2A+g+%2A+g%0Ax+%3D+x+-+lr+%2A+g+%2F+sqrt%28s+%2B+1e-6%29&racers=Adagrad"
          "&view=3-D+surface",
          {"view": "3d", "racers": ["adagrad"], "rule_on": True, "rule_starter": "sign", "rule_state": "s = 0",
           "rule": "s = 0.9 * s + 0.1 * g * g\nx = x - lr * g / sqrt(s + 1e-6)", "rule.lr": 0.4},
          ("momentum", "rmsprop", "rprop")),
    Saved("decay",
          "?gammas=0.9%2C+0.5&horizon=30&run.surface=Saddle&run.x0=-1.0&run.y0=0.5&run.steps=50&run.lr=0.1"
          "&run.gamma=0.8&k=7",
          {"gammas": "0.9, 0.5", "horizon": 30, "run.surface": "saddle", "run.x0": -1.0, "run.y0": 0.5,
           "run.steps": 50, "run.lr": 0.1, "run.gamma": 0.8, "k": 7},
          ()),
    Saved("noise",
          "?sequence=1%2C+-1%2C+2%2C+-2&mb_steps=50&mb.rmsprop.lr=0.001&mb.rprop.lr=0.005&noisy_surface=Saddle"
          "&optimizers=SGD&optimizers=Adam&sigma=0.5&runs=20&noisy_steps=50&noisy_seed=3&noisy.adam.lr=0.02",
          {"sequence": "1, -1, 2, -2", "mb_steps": 50, "mb.rprop.lr": 0.005, "mb.rmsprop.lr": 0.001,
           "noisy_surface": "saddle", "runs": 20, "optimizers": ["sgd", "adam"], "noisy_steps": 50, "sigma": 0.5,
           "noisy_seed": 3.0, "noisy.sgd.lr": 0.05, "noisy.adam.lr": 0.02, "noisy.adam.beta1": 0.9,
           "noisy.adam.beta2": 0.999, "noisy.adam.eps": 1e-06},
          ("noisy.adagrad", "noisy.rmsprop")),
    Saved("train",
          "?hidden=16&activation=relu&train_optimizers=RMSProp&train_optimizers=SGD&epochs=2&batch=64"
          "&train_seed=5&train.rmsprop.lr=0.003",
          {"hidden": 16, "activation": "relu", "train_optimizers": ["rmsprop", "sgd"], "epochs": 2, "batch": 64,
           "train_seed": 5.0, "train.rmsprop.lr": 0.003},
          ("train.momentum", "train.rprop")),
    Saved("sweep",
          "?optimizer=Momentum&sweep_surface=Saddle&x=%CE%B2+%28beta%29&y=%CE%B7+%28lr%29&x_cells=5&y_cells=4"
          "&sweep_steps=20&range_beta=0.1&range_beta=0.9&outcome=Steps+to+tolerance",
          {"outcome": "steps", "optimizer": "momentum", "sweep_surface": "saddle", "x": "beta", "x_cells": 5,
           "range_beta": (0.1, 0.9), "y": "lr", "y_cells": 4, "sweep_steps": 20},
          ("range_gamma",)),
    Saved("sweep",
          "?optimizer=RMSProp&x_cells=3&y_cells=3&sweep_steps=10&random_starts=2&sweep.schedule=step"
          "&sweep.schedule_gamma=0.5",
          {"sweep.schedule": "step", "sweep.schedule_step_size": 10, "sweep.schedule_gamma": 0.5, "sweep.warmup": 0,
           "x_cells": 3, "y_cells": 3, "sweep_steps": 10, "random_starts": 2},
          ()),
    Saved("conventions",
          "?conv_lr=0.1&conv_steps=30&conv_from=Keras+3&conv_rho=0.95&conv_eps=1e-07",
          {"conv_lr": 0.1, "conv_steps": 30, "conv_from": "Keras 3", "conv_rho": 0.95, "conv_eps": 1e-07},
          ()),
]
# fmt: on


def bound_values(at: AppTest) -> dict:
    """The value of every URL-bound widget on the page, by key."""
    return {
        key: list(w.value) if isinstance(w.value, list) else w.value
        for key, w in widgets(at).items()
        if getattr(w.proto, "query_param_key", "")
    }


@pytest.fixture(scope="module")
def defaults() -> dict[str, dict]:
    """Each page's widget values with no link, opened once per page."""
    return {page: bound_values(open_page(page)) for page in {saved.page for saved in SAVED}}


@pytest.mark.parametrize("saved", SAVED, ids=[f"{s.page}-{i}" for i, s in enumerate(SAVED)])
def test_a_saved_link_opens_as_it_did(saved, defaults):
    at = open_page(saved.page, timeout=120, **link_query(saved.link))
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    values, default = bound_values(at), defaults[saved.page]
    assert {k: v for k, v in values.items() if k not in default or default[k] != v} == saved.changed
    assert {k for k in default if k not in values} == {k for k in default if k.rsplit(".", 1)[0] in saved.gone}


@pytest.mark.parametrize("preset", PRESETS, ids=[p.key for p in PRESETS])
def test_every_preset_link_says_what_the_saved_one_said(preset):
    """The link a preset's note gives today opens the settings its saved link opened (spelling aside)."""
    saved = next(s.link for s in SAVED if s.link.startswith(f"?preset={preset.key}&"))
    today, then = race_links.decode(link_query(preset_link(preset))), race_links.decode(link_query(saved))
    assert today == then == (preset.settings, [])


@pytest.mark.parametrize("saved", SAVED, ids=lambda s: s.link[:40])
def test_the_pages_codec_reads_every_saved_link_and_writes_it_back(saved):
    """A saved link is settings its page's codec reads without a notice, and writes back as a link with the same
    keys that reads as the same settings."""
    codec = keys.CODECS[saved.page]
    settings, notices = codec.decode(link_query(saved.link))
    assert not notices
    written = codec.link(settings)
    assert codec.decode(link_query(written)) == (settings, [])
    assert set(link_query(written)) == set(link_query(saved.link)) - {race_links.PRESET}
