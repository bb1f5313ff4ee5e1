"""What several test modules share: hypothesis's settings in CI, and the race the race page's exports are made
from."""

import os

import pytest
from hypothesis import settings

import rmsviz
from rmsviz import figures

# In CI (.ci/run sets CI, as most CI services do) every property test draws the same examples in every run, so
# a red build is the code's doing and reruns the same; on a desk hypothesis keeps drawing new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Four racers, one of them a second RMSProp (dashed), as the race page runs them: record="all".
RACERS = (
    ("rmsprop", "RMSProp", 0, {"lr": 0.4, "gamma": 0.9}),
    ("adagrad", "Adagrad", 0, {"lr": 0.4}),
    ("momentum", "Momentum", 0, {"lr": 0.1, "beta": 0.5}),
    ("rmsprop", "RMSProp #2", 1, {"lr": 0.1, "gamma": 0.99}),
)


@pytest.fixture(scope="session")
def race():
    """``race(steps)``: the runs and styles of four racers (RMSProp, Adagrad, Momentum, a dashed second
    RMSProp) on the elliptic bowl from (-5, -2), recorded in full as the race page records them."""

    def make(steps: int = 200) -> tuple[list[rmsviz.Trajectory], list[figures.Style]]:
        surface = rmsviz.SURFACES["elliptic"]
        runs = [rmsviz.run(o, surface, start=(-5.0, -2.0), steps=steps, record="all", **h) for o, _, _, h in RACERS]
        return runs, [figures.style(o, label, copy) for o, label, copy, _ in RACERS]

    return make
