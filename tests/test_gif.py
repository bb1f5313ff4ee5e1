"""The race's GIF (rmsviz.figures.gif) opened as a user would: its frames decoded with Pillow. The GIF in
a browser is in tests/e2e/test_present.py."""

from __future__ import annotations

import io
import itertools

import numpy as np
import pytest
from PIL import Image, ImageSequence

import rmsviz
from rmsviz import figures
from rmsviz.figures import gif as gif_module
from rmsviz.figures.style import COLORS, DASHES, LOOKS, OTHER_LOOK

ELLIPTIC = rmsviz.SURFACES["elliptic"]


@pytest.fixture(scope="module")
def gif(race) -> Image.Image:
    runs, styles = race()
    return Image.open(io.BytesIO(figures.race_gif(ELLIPTIC, runs, styles)))


def rgb_frames(image: Image.Image) -> list[np.ndarray]:
    return [np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(image)]


def present(frame: np.ndarray, color: str) -> int:
    rgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
    return int((frame == rgb).all(-1).sum())


def test_gif_is_wide_enough_has_a_frame_per_step_and_loops(gif):
    assert gif.format == "GIF" and gif.width >= 480 and gif.height >= 300
    assert gif.n_frames == 201  # steps 0 … 200
    assert gif.info.get("loop") == 0


def test_gif_draws_every_racer_in_the_apps_colour_and_the_contour_lines(gif):
    frames = rgb_frames(gif)
    first, last = frames[0], frames[-1]
    for color in (COLORS["rmsprop"], COLORS["adagrad"], COLORS["momentum"]):
        assert present(first, color) > 0, f"{color} is missing from the first frame (legend and markers)"
        assert present(last, color) > present(first, color), f"{color}: no path drawn by the last frame"
    viridis_dark = np.array([68, 1, 84])  # the lowest contour level
    assert (np.abs(last.astype(int) - viridis_dark).sum(-1) < 60).sum() > 50, "no contour lines"
    assert not (first == last).all()


def test_gif_frames_move_the_markers(gif):
    frames = rgb_frames(gif)
    differences = [int((a != b).any(-1).sum()) for a, b in itertools.pairwise(frames[:6])]
    assert all(d > 0 for d in differences)  # every step moves something, and the counter changes


def test_gif_samples_long_runs_and_keeps_a_dashed_second_copy(race):
    runs, styles = race(steps=1000)
    image = Image.open(io.BytesIO(figures.race_gif(ELLIPTIC, runs, styles)))
    assert image.n_frames <= gif_module.GIF_FRAMES
    pieces = list(gif_module._dashes(np.array([[0.0, 0.0], [100.0, 0.0]]), 0.0, gif_module.dash_pattern("dash")))
    assert len(pieces) == 6 and pieces[0] == ((0.0, 0.0), (9.0, 0.0))  # dash, gap, dash, …
    dashdot = list(gif_module._dashes(np.array([[0.0, 0.0], [32.0, 0.0]]), 0.0, gif_module.dash_pattern("dashdot")))
    assert [(p[0], q[0]) for p, q in dashdot] == [(0, 9), (12, 15), (18, 27), (30, 32)]  # as plotly.js: 9 3 3 3


def test_gif_draws_every_symbol_and_dash_of_the_palette():
    for look in (*LOOKS.values(), OTHER_LOOK):  # a circle is an ellipse; every other symbol has its corners
        assert (gif_module._symbol_outline(look.symbol) == []) == (look.symbol == "circle"), look.symbol
    assert all(len(gif_module.dash_pattern(dash)) % 2 == 0 for dash in DASHES)


def test_gif_of_a_diverging_run_stays_in_its_frame():
    runs = [rmsviz.run("sgd", ELLIPTIC, start=(-5.0, -2.0), steps=60, lr=1.2, record="all")]
    assert runs[0].diverged
    image = Image.open(io.BytesIO(figures.race_gif(ELLIPTIC, runs, [figures.style("sgd", "SGD")])))
    assert image.n_frames == 61
