"""Lecture presets for the race page: one click (or one link) each, with what to look at.

A preset is plain data: the race-page widget keys it sets and a caption. Keys it
leaves out keep their defaults. Values are given as the widgets hold them.
"""

from __future__ import annotations

from typing import NamedTuple


class Preset(NamedTuple):
    key: str
    title: str
    caption: str
    settings: dict


PRESETS = (
    Preset(
        "d2l-rmsprop",
        "d2l's RMSProp figure",
        "RMSProp with η = 0.4, γ = 0.9 from (−5, −2) on 0.1x² + 2y², twenty steps, as in d2l. Look at the first "
        "steps: both coordinates move by about the same amount although the y gradient is 20 times the x gradient, "
        "because each is divided by the root of its own leaky average of g².",
        {"surface": "elliptic", "racers": ["rmsprop"], "rmsprop.lr": 0.4, "rmsprop.gamma": 0.9, "steps": 20},
    ),
    Preset(
        "adagrad-stalls",
        "Adagrad stalls",
        "Adagrad and RMSProp with the same η = 0.4. Adagrad's denominator is the sum of every squared gradient so "
        "far, so its effective learning rate only falls (see the rate chart, like 1/√t): it crawls along x. "
        "RMSProp forgets old gradients and keeps its pace. (Run it longer and RMSProp starts to bounce around "
        "the minimum: g/√s does not shrink with g, so a constant η needs a schedule to settle.)",
        {"surface": "elliptic", "racers": ["adagrad", "rmsprop"], "adagrad.lr": 0.4, "rmsprop.lr": 0.4, "steps": 50},
    ),
    Preset(
        "gamma-one",
        "γ = 1 (d2l exercise 1)",
        "With γ = 1 the leaky average never takes in a gradient: s stays at its initial 0, every step is η·g/√ε, a "
        "thousand times the gradient, and the run leaves the plot at once. γ < 1 is what makes RMSProp an average.",
        {
            "surface": "elliptic",
            "racers": ["rmsprop", "rmsprop2"],
            "rmsprop.gamma": 1.0,
            "rmsprop2.lr": 0.4,
            "steps": 30,
        },
    ),
    Preset(
        "rotated",
        "The rotated bowl (d2l exercise 2)",
        "The same bowl turned by 45°: 0.1(x+y)² + 2(x−y)². The long axis is now diagonal, so no single coordinate "
        "owns the flat direction, and per-coordinate scaling helps much less: compare with the elliptic preset.",
        {
            "surface": "rotated",
            "racers": ["rmsprop", "adagrad", "momentum", "sgd"],
            "rmsprop.lr": 0.1,
            "adagrad.lr": 0.4,
            "momentum.lr": 0.02,
            "sgd.lr": 0.05,
            "steps": 100,
        },
    ),
    Preset(
        "saddle",
        "Escaping the saddle",
        "x² − y² from a start a hair off the ridge. Plain gradient descent's y gradient is tiny there, so it "
        "lingers; RMSProp divides the tiny gradient by its own small root and leaves at once.",
        {
            "surface": "saddle",
            "racers": ["rmsprop", "sgd", "momentum"],
            "rmsprop.lr": 0.05,
            "sgd.lr": 0.05,
            "momentum.lr": 0.05,
            "steps": 60,
        },
    ),
    Preset(
        "valley",
        "Momentum overshoots the long valley",
        "A long, narrow valley: momentum builds up speed along the steep walls and sloshes from side to side, "
        "while RMSProp damps the steep coordinate and walks down the valley floor.",
        {"surface": "valley", "racers": ["momentum", "rmsprop"], "steps": 150},
    ),
    Preset(
        "plateau",
        "The plateau",
        "A flat region where the gradient is tiny. SGD's steps are as small as the gradient, so it stalls; Rprop "
        "uses only the sign and RMSProp divides by the gradient's own size, so both keep moving.",
        {"surface": "plateau", "racers": ["sgd", "rprop", "rmsprop"], "steps": 150},
    ),
    Preset(
        "noisy",
        "Rprop against RMSProp with noisy gradients",
        "The same noise (σ = 1) for both. Noise flips the gradient's sign about every other step and each flip "
        "halves Rprop's step, so within some 50 steps its steps shrink to almost nothing and it freezes wherever "
        "it is (try other seeds: rarely near the minimum). RMSProp divides by a leaky average of g², which the "
        "noise keeps from shrinking, so it keeps moving and hovers around the minimum.",
        {
            "surface": "elliptic",
            "racers": ["rprop", "rmsprop"],
            "rprop.lr": 0.1,
            "rmsprop.lr": 0.1,
            "noise": 1.0,
            "seed": 2,
            "steps": 150,
        },
    ),
)
