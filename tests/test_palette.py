"""The palette for every eye (rmsviz.figures.style): colours apart under simulated colour-vision deficiency,
lines that stand out on the light and the dark background, and a symbol and dash of each optimizer's own.
The figures are measured by rmsviz.figures.colour_vision; benchmarks/bench_palette.py prints them."""

from __future__ import annotations

import numpy as np
import pytest

import rmsviz
from rmsviz import figures
from rmsviz.figures.colour_vision import (
    MACHADO,
    VISIONS,
    closest_pair,
    contrast,
    delta_e,
    lab,
    simulate,
    to_linear,
    weakest_line,
)
from rmsviz.figures.style import COLORS, LOOKS, OTHER_LOOK
from rmsviz.ui.race_controls import DEFAULT_RACERS

LIGHT, DARK = "#ffffff", "#0e1117"  # Streamlit's light and dark backgrounds
DEFAULT_FLOOR = 15  # ΔE (CIE76) between any two of the default race's racers, in every vision: the goal
ALL_FLOOR = 18  # between any two of the seven optimizers: 18.7 measured (tritanopia, Adagrad and Adadelta)
LINE_CONTRAST = 3  # WCAG 1.4.11: graphical objects such as a chart's lines


def test_colour_science_matches_published_figures():
    assert contrast("#000000", LIGHT) == pytest.approx(21)
    assert contrast("#767676", LIGHT) == pytest.approx(4.54, abs=0.01)  # WebAIM's lightest 4.5:1 grey
    assert lab(to_linear(np.array([1.0, 0, 0]))) == pytest.approx([53.24, 80.09, 67.20], abs=0.01)
    for matrix in MACHADO.values():  # a dichromat sees white and greys unchanged
        assert matrix.sum(axis=1) == pytest.approx(np.ones(3), abs=1e-5)
    # issue 24's figures of the old Tableau palette: red and green 7.3 apart to a deuteranope, green and
    # orange 4.6 to a protanope, the orange at 2.5:1 on white
    red, green, orange = "#d62728", "#2ca02c", "#ff7f0e"
    assert delta_e(red, green, "deuteranopia") == pytest.approx(7.3, abs=0.05)
    assert delta_e(green, orange, "protanopia") == pytest.approx(4.6, abs=0.05)
    assert contrast(orange, LIGHT) == pytest.approx(2.5, abs=0.05)


def test_simulation_works_on_pictures_too():
    picture = np.random.default_rng(0).random((4, 5, 3))
    seen = simulate(picture, "deuteranopia")
    assert seen.shape == picture.shape and seen.min() >= 0 and seen.max() <= 1
    assert simulate(picture, "normal") is picture


@pytest.mark.parametrize("vision", VISIONS)
def test_default_racers_stay_apart_in_every_vision(vision):
    distance, pair = closest_pair({name: COLORS[name] for name in DEFAULT_RACERS}, vision)
    print(f"default racers, {vision}: smallest ΔE {distance:.1f} ({' and '.join(pair)})")
    assert distance >= DEFAULT_FLOOR, pair


@pytest.mark.parametrize("vision", VISIONS)
def test_all_optimizers_stay_apart_in_every_vision(vision):
    colors = {**COLORS, "a typed rule": OTHER_LOOK.color}
    distance, pair = closest_pair(colors, vision)
    print(f"all optimizers, {vision}: smallest ΔE {distance:.1f} ({' and '.join(pair)})")
    assert distance >= ALL_FLOOR, pair


@pytest.mark.parametrize("background", [LIGHT, DARK])
def test_every_line_stands_out_on_the_light_and_the_dark_background(background):
    ratio, name = weakest_line({**COLORS, "a typed rule": OTHER_LOOK.color}, background)
    print(f"on {background}: lowest contrast {ratio:.2f}:1 ({name})")
    assert ratio >= LINE_CONTRAST, name


def test_each_optimizer_has_its_own_symbol_and_a_copy_its_own_dash():
    assert set(LOOKS) == set(rmsviz.OPTIMIZERS)
    looks = [*LOOKS.values(), OTHER_LOOK]
    assert len({look.symbol for look in looks}) == len(looks)
    assert not {"star", "x"} & {look.symbol for look in looks}  # the surface's minima and saddle points
    for name in DEFAULT_RACERS:
        first, second = figures.style(name, "first"), figures.style(name, "second", 1)
        assert (second.color, second.symbol) == (first.color, first.symbol) and second.dash != first.dash
    defaults = [figures.style(name, name) for name in DEFAULT_RACERS]
    assert len({s.dash for s in defaults}) == len(defaults)


def _legend_items(figure) -> list[dict]:
    return [t for t in figure.to_plotly_json()["data"] if t.get("showlegend", True) and t.get("name")]


def test_legends_show_symbol_and_dash(race):
    runs, styles = race(steps=30)
    surface = rmsviz.SURFACES["elliptic"]
    charts = [
        figures.race_figure(surface, runs, styles),
        figures.loss_figure(surface, runs, styles),
        figures.distance_figure(surface, runs, styles),
    ]
    for chart in charts:
        items = {t["name"]: t for t in _legend_items(chart)}
        for s in styles:
            item = items[s.label]
            assert "markers" in item["mode"] and item["marker"]["symbol"] == s.symbol
            assert item["line"] == {**item["line"], "color": s.color, "dash": s.dash}
    assert charts[0].layout.legend.itemsizing == "constant"  # the symbols at legend size, not as step dots
    assert len({(s.symbol, s.dash) for s in styles}) == len(styles)
