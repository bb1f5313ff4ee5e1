"""Claims (rmsviz.studies.claims): a sentence shows only while the race it sits beside is one it is true of,
and its numbers are that race's. The numbers are recomputed here from the runs, not with the claims' code."""

import numpy as np
import pytest

import rmsviz
from rmsviz import schedules
from rmsviz.studies import noise
from rmsviz.studies.claims import Claim, Scene
from rmsviz.studies.presets import PRESETS
from rmsviz.studies.race import DEFAULT_RACERS, complete, race_defaults
from rmsviz.surfaces import SURFACES, Surface


def preset(key: str):
    return next(p for p in PRESETS if p.key == key)


def scene_of(settings: dict) -> Scene:
    """The race ``settings`` (the race's settings form, any subset) make: every racer run from its whole settings."""
    whole = complete(settings)
    surface = SURFACES.get(whole["surface"]) or Surface.from_expression(whole["formula"])
    if whole["surface_values"]:
        surface = surface.with_params(**whole["surface_values"])
    runs = {}
    for racer, own in whole["racers"].items():
        own = dict(own)
        scheduled = dict(own.pop("schedule"))
        kind = scheduled.pop("kind")
        runs[racer] = rmsviz.run(
            racer.removesuffix("2"), surface, start=(whole["x0"], whole["y0"]), steps=whole["steps"],
            noise=whole["noise"], seed=whole["seed"], record="all",
            schedule=None if kind == "constant" else schedules.schedule(kind, **scheduled), **own,
        )  # fmt: skip
    return Scene(whole, runs, surface)


def with_racer_setting(settings: dict, racer: str, name: str, value) -> dict:
    racers = {key: dict(own) for key, own in settings["racers"].items()}
    racers[racer][name] = value
    return {**settings, "racers": racers}


def test_complete_writes_every_default_out():
    whole = complete({"surface": "rotated", "racers": {"rmsprop2": {"schedule": {"kind": "plateau"}}}})
    assert whole["surface_values"] == {"theta": 45.0} and (whole["x0"], whole["y0"]) == SURFACES["rotated"].starts[0]
    assert whole["steps"] == SURFACES["rotated"].steps and whole["noise"] == 0 and whole["seed"] == 0
    racer = whole["racers"]["rmsprop2"]
    assert set(racer) == {h.name for h in rmsviz.OPTIMIZERS["rmsprop"].hyperparameters} | {
        *rmsviz.OPTIMIZERS["rmsprop"].options,
        "schedule",
    }
    assert racer["lr"] == race_defaults("rmsprop", SURFACES["rotated"])["lr"]
    assert racer["schedule"] == {
        "kind": "plateau", "factor": 0.5, "patience": 5, "threshold": 1e-4, "cooldown": 0, "floor": 0.0,
        "warmup": 0, "milestones": (),
    }  # fmt: skip
    assert list(complete({})["racers"]) == list(DEFAULT_RACERS)
    assert complete({"seed": 7})["seed"] == 0  # without noise the seed changes nothing
    assert complete(whole) == whole


@pytest.mark.parametrize(
    "key, racer, name, value",
    [
        ("valley", "momentum", "beta", 0.5),  # it would still say momentum is ahead (0.50 against 0.055)
        ("d2l-rmsprop", "rmsprop", "eps", 0.01),  # "the same digits" beside −0.018508
        ("gamma-one", "rmsprop", "eps", 0.01),  # "400 times" where the run's factor is 4
        ("rotated", "momentum", "beta", 0.9),  # another racer's setting: "still ahead of the others"
        ("noisy", "rprop", "eta_minus", 0.6),
    ],
)
def test_a_preset_note_hides_when_a_setting_it_does_not_set_changes(key, racer, name, value):
    p = preset(key)
    assert name not in p.settings["racers"][racer]
    assert p.note.text(scene_of(p.settings)) is not None
    assert p.note.text(scene_of(with_racer_setting(p.settings, racer, name, value))) is None


def test_the_changed_runs_would_contradict_the_notes():
    """What the notes would have said beside the changed runs, recomputed: each is false there."""
    valley = scene_of(with_racer_setting(preset("valley").settings, "momentum", "beta", 0.5)).runs
    assert valley["momentum"].loss[-1] > 5 * valley["rmsprop"].loss[-1]  # momentum is not ahead
    d2l = scene_of(with_racer_setting(preset("d2l-rmsprop").settings, "rmsprop", "eps", 0.01)).runs["rmsprop"]
    assert f"{d2l.path[20, 0]:.6f}" != "-0.010599"
    gamma = scene_of(with_racer_setting(preset("gamma-one").settings, "rmsprop", "eps", 0.01)).runs["rmsprop"]
    assert gamma.effective_lr[1, 0] == pytest.approx(0.4 / np.sqrt(0.01))  # 4 times, not 400


def test_a_preset_note_hides_when_the_surface_or_noise_changes():
    p = preset("valley")
    assert p.note.text(scene_of({**p.settings, "noise": 0.1, "seed": 3})) is None
    rotated = preset("rotated")
    assert rotated.note.text(scene_of({**rotated.settings, "surface_values": {"theta": 30.0}})) is None
    extra = {**p.settings, "racers": {**p.settings["racers"], "sgd": {}}}
    assert p.note.text(scene_of(extra)) is None  # a preset's note speaks of its racers alone


def test_a_computed_claim_reads_the_run_and_speaks_only_of_racers_on_screen():
    claim = Claim(
        "RMSProp's loss after {steps} steps is {loss:.3g}.",
        lambda scene: {"steps": scene.settings["steps"], "loss": scene.runs["rmsprop"].loss[-1]},
        about=("rmsprop",),
    )
    scene = scene_of({"surface": "elliptic", "racers": {"rmsprop": {"lr": 0.1}}, "steps": 7})
    expected = rmsviz.run("rmsprop", "elliptic", steps=7, lr=0.1, gamma=0.9).loss[-1]
    assert claim.text(scene) == f"RMSProp's loss after 7 steps is {expected:.3g}."
    assert claim.text(scene_of({"racers": {"adagrad": {}}, "steps": 7})) is None


def test_a_claim_writes_a_minus_sign():
    claim = Claim("x is {x:.2f}, y is {y:g}, {name}", lambda scene: {"x": -2.5, "y": 1e-30, "name": "a-b"})
    assert claim.text(scene_of({"racers": {"sgd": {}}, "steps": 1})) == "x is −2.50, y is 1e−30, a-b"


def test_a_bound_claim_leaves_other_racers_free_unless_alone():
    claim = Claim("SGD crawls.", settings={"surface": "elliptic", "racers": {"sgd": {}}})
    assert claim.text(scene_of({"racers": {"sgd": {}, "adam": {"lr": 0.3}}})) == "SGD crawls."
    assert claim.text(scene_of({"racers": {"sgd": {"lr": 0.1}}})) is None
    assert claim.text(scene_of({"racers": {"adam": {}}})) is None  # SGD is not on screen
    alone = Claim("SGD crawls.", settings={"surface": "elliptic", "racers": {"sgd": {}}}, alone=True)
    assert alone.text(scene_of({"racers": {"sgd": {}, "adam": {}}})) is None


def test_the_noise_page_says_how_far_rmsprop_drifts():
    """Hinton's sequence at γ = 0.9: s swings within every period, so RMSProp drifts a little each period without
    end (−0.81 after 1 000 steps); the page no longer says it "stays close"."""
    w = noise.minibatch_weights(noise.DEFAULT_SEQUENCE, 1000, {"rmsprop": {"lr": 0.01}})["rmsprop"]
    drift = w[10::10] - w[:-10:10]  # per period
    assert (drift < 0).all() and w[-1] < -0.5
    text = noise.minibatch_sentence({"rmsprop": w}, noise.DEFAULT_SEQUENCE)
    assert "stays close" not in text and "about the same for every step" not in text
    assert f"moved by {w[-1] - w[-11]:.3g} over the last period, {w[-1]:.3g} in all".replace("-", "−") in text
    t = rmsviz.run("rmsprop", noise.FLAT, steps=100, gradient_sequence=noise.DEFAULT_SEQUENCE, lr=0.01, record="all")
    s = t.state["s"][-10:, 0]
    assert s.max() / s.min() > 2  # the average swings within a period: not "about the same for every step"


def test_the_noise_page_intro_holds_for_any_sequence():
    """The intro is shown above any typed sequence: it names Hinton's as the default instead of speaking of "the
    one large gradient" and of gradients "that sum to zero" as if every sequence did."""
    from rmsviz.ui.noise import MINIBATCH_INTRO

    assert "the one large one" not in MINIBATCH_INTRO and "Hinton's, the default" in MINIBATCH_INTRO
    assert noise.DEFAULT_SEQUENCE == (0.1,) * 9 + (-0.9,) and sum(noise.DEFAULT_SEQUENCE) == pytest.approx(0)
