"""Each lecture preset shows what its caption says: the claims checked on the runs the race page draws."""

import numpy as np
import pytest

import rmsviz
from rmsviz.studies.presets import PRESETS
from rmsviz.surfaces import SURFACES
from rmsviz.ui.race_settings import optimizer_of, race_defaults


def preset_runs(key: str) -> dict[str, rmsviz.Trajectory]:
    """The preset's racers as the race page runs them: its settings over the race's defaults."""
    settings = next(p for p in PRESETS if p.key == key).settings
    surface = SURFACES[settings["surface"]]
    runs = {}
    for racer in settings["racers"]:
        name = optimizer_of(racer)
        own = {k.split(".", 1)[1]: v for k, v in settings.items() if k.startswith(racer + ".")}
        runs[racer] = rmsviz.run(
            name, surface, steps=settings.get("steps", surface.steps), noise=settings.get("noise", 0.0),
            seed=settings.get("seed", 0), record="all", **{**race_defaults(name, surface), **own},
        )  # fmt: skip
    return runs


def test_every_preset_is_checked_here():
    checked = {name.removeprefix("test_").replace("_", "-") for name in globals() if name.startswith("test_")}
    assert {p.key for p in PRESETS} <= checked


def test_d2l_rmsprop():
    """The first step moves x and y alike although g_y is 20 times g_x: each is divided by its own root."""
    t = preset_runs("d2l-rmsprop")["rmsprop"]
    g = SURFACES["elliptic"].grad(t.path[0])
    assert abs(g[1] / g[0]) == pytest.approx(8.0)  # at (−5, −2): g = (−1, −8)
    step = t.path[1] - t.path[0]
    assert step[1] / step[0] == pytest.approx(1.0, abs=1e-4)


def test_adagrad_stalls():
    runs = preset_runs("adagrad-stalls")
    adagrad, rmsprop = runs["adagrad"], runs["rmsprop"]
    assert (np.diff(adagrad.effective_lr[1:], axis=0) < 0).all()  # Adagrad's rate only falls
    assert adagrad.loss[-1] > 1000 * rmsprop.loss[-1]


def test_gamma_one():
    runs = preset_runs("gamma-one")
    assert runs["rmsprop"].diverged and runs["rmsprop"].diverged_at <= 5
    assert not runs["rmsprop2"].diverged


def test_rotated():
    """Per-coordinate scaling helps much less: the curvatures differ 20-fold along the diagonals, but x and y see
    the same mix of them, so RMSProp's two rates stay within a factor 1.6 (on the elliptic bowl: 8)."""
    rmsprop = preset_runs("rotated")["rmsprop"]

    def spread(t):
        ratio = t.effective_lr[1:, 0] / t.effective_lr[1:, 1]
        return max(ratio.max(), 1 / ratio.min())

    elliptic = rmsviz.run(
        "rmsprop", "elliptic", steps=rmsprop.path.shape[0] - 1, record="all", **rmsprop.hyperparameters
    )
    assert spread(rmsprop) < 1.6 and spread(elliptic) > 5


def test_saddle():
    runs = preset_runs("saddle")
    escaped = {name: abs(t.path[10, 1]) for name, t in runs.items()}
    assert escaped["rmsprop"] > 100 * escaped["sgd"]  # RMSProp is off the ridge while SGD lingers


def test_valley():
    """Momentum sloshes across the valley (y − 0.2x + 1 is the distance across it, up to scale); RMSProp does not."""
    across = {
        name: np.abs(t.path[30:100, 1] - 0.2 * t.path[30:100, 0] + 1).max() for name, t in preset_runs("valley").items()
    }
    assert across["momentum"] > 4 * across["rmsprop"]


def test_plateau():
    runs = preset_runs("plateau")
    assert runs["sgd"].loss[-1] > 0.99  # still on the plateau, where f is almost 1
    assert runs["rprop"].loss[-1] < 1e-3 and runs["rmsprop"].loss[-1] < 1e-3


def test_noisy():
    """Sign flips shrink Rprop's steps to almost nothing: it freezes away from the minimum. RMSProp hovers near it."""
    runs = preset_runs("noisy")
    rprop, rmsprop = runs["rprop"], runs["rmsprop"]
    assert rprop.state["step_size"][-1].max() < 1e-3
    hovering = np.median(np.linalg.norm(rmsprop.path[75:], axis=-1))
    assert np.linalg.norm(rprop.path[-1]) > 3 * hovering
