"""Light and dark: the race's contour lines take the theme's colours (the lowest levels the most visible on
either background), projector mode works on a dark chart too, and the GIF is drawn on the theme's
background with its text."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image
from plotly.colors import sample_colorscale, unlabel_rgb

import rmsviz
from rmsviz import figures
from rmsviz.figures.colour_vision import contrast
from rmsviz.figures.style import PROJECTOR_FONT, projector
from rmsviz.figures.theme import CONTOUR, DARK, LIGHT, contour_colors, themed

SURFACE = rmsviz.SURFACES["elliptic"]


def hex_of(rgb: str) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in unlabel_rgb(rgb))


def contour_traces(spec: dict) -> list[dict]:
    return [t for t in spec["data"] if isinstance(t.get("meta"), dict) and CONTOUR in t["meta"]]


def test_the_lowest_contour_levels_stand_out_on_either_background():
    for theme in (LIGHT, DARK):
        lowest = hex_of(contour_colors(18, theme)[0])
        assert contrast(lowest, theme.background) >= 10, (theme.name, lowest)


def test_a_dark_race_recolours_its_contour_lines_and_nothing_else(race):
    runs, styles = race(20)
    light = figures.race_figure(SURFACE, runs, styles)
    dark = themed(light, DARK)
    assert themed(light, LIGHT) is light
    light_spec, dark_spec = light.to_plotly_json(), dark.to_plotly_json()
    lines = contour_traces(light_spec)
    assert len(lines) > 5 and len(contour_traces(dark_spec)) == len(lines)
    # each line's colour is the dark scale at its level's place, lowest first (Viridis reversed: light to dark)
    every_level = [hex_of(c) for c in contour_colors(len(lines), DARK)]
    assert [hex_of(t["line"]["color"]) for t in contour_traces(dark_spec)] == [
        hex_of(sample_colorscale(DARK.contours, [t["meta"][CONTOUR]])[0]) for t in lines
    ]
    assert hex_of(contour_traces(dark_spec)[0]["line"]["color"]) == every_level[0]  # the lowest level
    others = [t for t in dark_spec["data"] if t not in contour_traces(dark_spec)]
    assert others == [t for t in light_spec["data"] if t not in lines]  # racers, minima, click grid: as they were
    assert len(dark_spec["frames"]) == len(light_spec["frames"])
    assert light.to_plotly_json()["data"][0]["line"] == lines[0]["line"]  # the shared figure is left as it was
    big = projector(dark).to_plotly_json()
    assert big["layout"]["font"]["size"] == 12 * PROJECTOR_FONT
    assert contour_traces(big)[0]["line"]["color"] == contour_traces(dark_spec)[0]["line"]["color"]


def test_the_gif_takes_the_theme_background_and_ink(race):
    runs, styles = race(10)
    for theme in (LIGHT, DARK):
        gif = Image.open(io.BytesIO(figures.race_gif(SURFACE, runs, styles, theme=theme))).convert("RGB")
        pixels = np.asarray(gif).reshape(-1, 3)
        colours, counts = np.unique(pixels, axis=0, return_counts=True)
        background = "#" + "".join(f"{c:02x}" for c in colours[np.argmax(counts)])
        assert background == theme.background, theme.name
