"""The one style (rmsviz.figures.style): a colour per optimizer, the line charts' layout, the toolbar's settings,
projector mode."""

from __future__ import annotations

import rmsviz
from rmsviz import figures
from rmsviz.figures.style import (
    COLORS,
    PROJECTOR_FONT,
    PROJECTOR_LINE,
    PROJECTOR_MARKER,
    SLIDE,
    TOOLBAR,
    line_chart,
    step_axes,
    title_margin,
)

ELLIPTIC = rmsviz.SURFACES["elliptic"]


def test_projector_scales_fonts_lines_and_markers_and_leaves_the_figure_alone(race):
    runs, styles = race(steps=10)
    figure = figures.race_figure(ELLIPTIC, runs, styles)
    before = figure.to_plotly_json()
    big = figures.projector(figure).to_plotly_json()
    assert figure.to_plotly_json() == before
    assert big["layout"]["font"]["size"] == 12 * PROJECTOR_FONT
    assert big["layout"]["height"] > before["layout"]["height"]
    path = next(i for i, t in enumerate(before["data"]) if t.get("mode") == "lines+markers")
    assert big["data"][path]["line"]["width"] == before["data"][path]["line"]["width"] * PROJECTOR_LINE
    marker = before["frames"][0]["traces"][0]
    assert big["data"][marker]["marker"]["size"] == before["data"][marker]["marker"]["size"] * PROJECTOR_MARKER
    assert len(big["frames"]) == len(before["frames"])
    loss = figures.projector(figures.loss_figure(ELLIPTIC, runs, styles)).to_plotly_json()
    assert loss["layout"]["title"]["font"]["size"] == 15 * PROJECTOR_FONT


def test_chart_config_saves_svg_at_slide_size():
    config = figures.chart_config("rmsviz-sweep")
    assert config["toImageButtonOptions"] == {**SLIDE, "filename": "rmsviz-sweep"}
    assert SLIDE["format"] == "svg" and SLIDE["width"] >= 1280
    assert "toImageButtonOptions" not in figures.chart_config()


def test_one_colour_per_optimizer_and_a_dashed_second_copy():
    first, second = figures.style("rmsprop", "RMSProp"), figures.style("rmsprop", "RMSProp #2", 1)
    assert first.color == second.color == COLORS["rmsprop"]
    assert (first.dash, second.dash) == ("solid", "dash")
    assert len(set(COLORS.values())) == len(COLORS) == len(rmsviz.OPTIMIZERS)


def test_a_line_chart_keeps_its_title_under_the_toolbar_and_its_legend_under_the_plot():
    layout = line_chart([], step_axes("f − f* (log)", log=True), 340, "Loss").to_plotly_json()["layout"]
    assert layout["margin"]["t"] == title_margin() and layout["title"]["pad"]["t"] == TOOLBAR
    assert layout["xaxis"] == {"title": {"text": "step"}}
    assert layout["yaxis"] == {"title": {"text": "f − f* (log)"}, "type": "log", "exponentformat": "power"}
    assert layout["legend"] == {"orientation": "h", "y": -0.25} and layout["height"] == 340
    assert "title" not in line_chart([], step_axes("f"), 440).to_plotly_json()["layout"]
