"""The scrub's frames travel packed (figures.scrub.packed): every number comes back to the last bit, whatever it
is (a path that leaves for infinity, a NaN, −0, a subnormal, a jump that overflows the prediction), the rest of
each frame as it was. (What packing saves: benchmarks/bench_scrub.py.)"""

import numpy as np
import pytest
from helpers import unpacked  # tests/app's, on the path by pyproject's pytest pythonpath

import rmsviz
from rmsviz.figures.scrub import packed

AWKWARD = np.array([0.0, -0.0, 5e-324, -2.2e-308, 1.7e308, -1.7e308, np.inf, np.nan, -np.inf, 1.0, np.nan, 3.0])


def bits(values) -> np.ndarray:
    return np.asarray(values, dtype=np.float64).view(np.int64)


def test_every_number_comes_back_to_the_last_bit():
    walk = np.cumsum(np.random.default_rng(0).normal(size=300))
    payload = np.frombuffer(np.array([0x7FF8_0000_DEAD_BEEF], dtype=np.uint64).tobytes(), np.float64)  # a NaN's
    frames = [
        dict(data=[dict(x=walk, y=AWKWARD, name="a", marker=dict(size=3))], traces=[4]),
        dict(
            data=[dict(x=np.zeros(0), y=payload, customdata=np.arange(6.0).reshape(3, 2))],
            traces=[4],
            layout=dict(title="γ = 0.9"),
        ),
        dict(data=[dict(x=[1, 2, 3], text=["i", "ii", "iii"])], traces=[5]),
    ]
    back = unpacked(packed(frames))
    for sent, got in zip(frames, back, strict=True):
        assert {k: v for k, v in sent.items() if k != "data"} == {k: v for k, v in got.items() if k != "data"}
        for trace, drawn in zip(sent["data"], got["data"], strict=True):
            assert trace.keys() == drawn.keys()
            for key, value in trace.items():
                if key in ("x", "y", "customdata"):
                    assert np.shape(value) == drawn[key].shape
                    assert np.array_equal(bits(value), bits(drawn[key])), key
                else:
                    assert drawn[key] == value


@pytest.mark.parametrize(
    ("setting", "across"),
    [
        (dict(lr=np.geomspace(0.01, 1.0, 20)), False),  # paths far apart: each predicted along itself
        (dict(eps=np.geomspace(1e-10, 1e-4, 20)), True),  # paths a hair apart: each from the frames before
    ],
)
def test_a_batched_run_of_paths_comes_back(setting, across):
    surface = rmsviz.SURFACES["elliptic"]
    paths = rmsviz.run("rmsprop", surface, start=surface.starts[0], steps=200, **{"lr": 0.4, "gamma": 0.9, **setting})
    frames = [dict(data=[dict(x=p[:, 0], y=p[:, 1])], traces=[0]) for p in paths.path.transpose(1, 0, 2)]
    carried = packed(frames)
    assert bool(carried["across"]) is across
    for sent, got in zip(frames, unpacked(carried), strict=True):
        assert all(np.array_equal(bits(sent["data"][0][k]), bits(got["data"][0][k])) for k in "xy")
