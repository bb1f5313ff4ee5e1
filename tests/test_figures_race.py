"""The race page's charts under the race: loss, distance to the minimum, effective learning rate, and the 3-D
surface: their traces, the traces' data, and the axis titles as the browser reads them."""

import numpy as np
import pytest

import rmsviz
from rmsviz import figures
from rmsviz.metrics import distance_to_nearest_minimum
from rmsviz.stability import rate_limits
from rmsviz.surfaces import Surface

ELLIPTIC = rmsviz.SURFACES["elliptic"]  # its minimum 0 at the origin is known
NO_MINIMUM = Surface.from_expression("x + y")  # a typed formula: no known minimum, none listed


def race(surface: Surface = ELLIPTIC, steps: int = 30):
    """RMSProp and Adagrad from the surface's first start, recorded in full, with their styles."""
    runs = [
        rmsviz.run("rmsprop", surface, steps=steps, record="all", lr=0.4, gamma=0.9),
        rmsviz.run("adagrad", surface, steps=steps, record="all", lr=0.4),
    ]
    return runs, [figures.style("rmsprop", "RMSProp"), figures.style("adagrad", "Adagrad")]


def diverging():
    """An SGD run that leaves the plot for good at a step well before its last."""
    t = rmsviz.run("sgd", ELLIPTIC, steps=60, lr=3.0, record="all")
    assert t.diverged and 0 < t.diverged_at < 60
    return t


def layout(figure) -> dict:
    """The layout as it is sent to the browser (``figure.layout`` would read a plain-string title as a title)."""
    return figure.to_dict()["layout"]


def axis_title(layout: dict, axis: str) -> str:
    """An axis title as the browser reads it: Plotly.js 3+ reads ``title.text`` only, a plain string not at all."""
    return layout[axis]["title"]["text"]


def test_loss_is_the_gap_to_the_known_minimum_on_a_log_axis():
    runs, styles = race()
    figure = figures.loss_figure(ELLIPTIC, runs, styles)
    assert [t.name for t in figure.data] == ["RMSProp", "Adagrad"]
    for trace, t in zip(figure.data, runs, strict=True):
        np.testing.assert_array_equal(trace.x, np.arange(31))
        np.testing.assert_array_equal(trace.y, t.loss)  # f* = 0 on the elliptic bowl
    sent = layout(figure)
    assert sent["yaxis"]["type"] == "log"
    assert axis_title(sent, "xaxis") == "step" and axis_title(sent, "yaxis") == "f − f* (log)"


def test_loss_without_a_known_minimum_is_f_itself_on_a_linear_axis():
    runs, styles = race(NO_MINIMUM, steps=5)
    figure = figures.loss_figure(NO_MINIMUM, runs, styles)
    np.testing.assert_array_equal(figure.data[0].y, runs[0].loss)
    assert layout(figure)["yaxis"]["type"] == "linear" and axis_title(layout(figure), "yaxis") == "f"


def test_a_diverged_runs_curves_stop_where_it_diverged():
    t, style = diverging(), figures.style("sgd", "SGD")
    loss = figures.loss_figure(ELLIPTIC, [t], [style]).data[0]
    distance = figures.distance_figure(ELLIPTIC, [t], [style]).data[0]
    rate = figures.effective_lr_figure([t], [style], [rate_limits(t)]).data[0]
    assert len(loss.y) == len(distance.y) == t.diverged_at
    assert len(rate.y) == t.diverged_at - 1  # rates from step 1


def test_distance_is_to_the_nearest_listed_minimum():
    himmelblau = rmsviz.SURFACES["himmelblau"]  # four minima
    runs, styles = race(himmelblau)
    figure = figures.distance_figure(himmelblau, runs, styles)
    assert [t.name for t in figure.data] == ["RMSProp", "Adagrad"]
    np.testing.assert_array_equal(figure.data[1].y, distance_to_nearest_minimum(runs[1].path, himmelblau))
    sent = layout(figure)
    assert sent["yaxis"]["type"] == "log"
    assert axis_title(sent, "xaxis") == "step" and axis_title(sent, "yaxis") == "‖x − x*‖ (log)"


def test_distance_on_a_surface_without_minima_is_an_empty_chart():
    saddle = rmsviz.SURFACES["saddle"]
    runs, styles = race(saddle, steps=5)
    assert not figures.distance_figure(saddle, runs, styles).data


@pytest.mark.parametrize("builder", [figures.loss_figure, figures.distance_figure, figures.surface_3d_figure])
def test_no_runs_give_a_chart_without_runs(builder):
    data = builder(ELLIPTIC, [], []).data
    assert [t.type for t in data] == (["surface"] if builder is figures.surface_3d_figure else [])


def test_rate_draws_each_coordinate_and_the_ceiling_beside_it():
    runs, styles = race()
    figure = figures.effective_lr_figure(runs, styles, [rate_limits(t) for t in runs])
    ceiling = "η/√ε = 400"  # 0.4/√1e-6
    assert [(t.name, t.xaxis) for t in figure.data] == [
        (name, axis)
        for racer in ("RMSProp", "Adagrad")
        for axis in ("x", "x2")  # the x coordinate's panel, then the y coordinate's
        for name in (racer, f"{racer}: ceiling {ceiling}")
    ]
    rmsprop_x, rmsprop_ceiling, rmsprop_y = figure.data[:3]
    np.testing.assert_array_equal(rmsprop_x.x, np.arange(1, 31))
    np.testing.assert_array_equal(rmsprop_x.y, runs[0].effective_lr[1:, 0])
    np.testing.assert_array_equal(rmsprop_y.y, runs[0].effective_lr[1:, 1])
    assert list(rmsprop_ceiling.y) == [400, 400]
    sent = layout(figure)
    assert sent["yaxis"]["type"] == sent["yaxis2"]["type"] == "log"
    assert axis_title(sent, "xaxis") == "step (x coordinate)" and axis_title(sent, "xaxis2") == "step (y coordinate)"
    assert axis_title(sent, "yaxis") == "rate applied to g"


def test_rate_skips_runs_recorded_without_their_rates_and_draws_eta_t_of_a_schedule():
    plain = rmsviz.run("sgd", ELLIPTIC, steps=10)  # record="path": no effective_lr
    schedule = rmsviz.schedules.schedule("exponential", gamma=0.5)
    scheduled = rmsviz.run("sgd", ELLIPTIC, steps=10, lr=0.4, record="all", schedule=schedule)
    styles = [figures.style("sgd", "plain"), figures.style("sgd", "scheduled", 1)]
    data = figures.effective_lr_figure([plain, scheduled], styles, [rate_limits(plain), rate_limits(scheduled)]).data
    assert {t.name for t in data} == {"scheduled", "scheduled: η_t"}  # SGD has no ceiling
    eta = next(t for t in data if t.name == "scheduled: η_t")
    np.testing.assert_allclose(eta.y[:3], [0.4, 0.2, 0.1])


def test_3d_puts_each_path_on_the_surface():
    runs, styles = race()
    figure = figures.surface_3d_figure(ELLIPTIC, runs, styles)
    surface, *paths = figure.data
    assert surface.type == "surface" and np.shape(surface.z) == (60, 60)
    assert [(p.type, p.name) for p in paths] == [("scatter3d", "RMSProp"), ("scatter3d", "Adagrad")]
    for p, t in zip(paths, runs, strict=True):
        np.testing.assert_array_equal(p.x, t.path[:, 0])
        np.testing.assert_array_equal(p.y, t.path[:, 1])
        np.testing.assert_allclose(p.z, ELLIPTIC.f(t.path))  # on the surface, not above or below it
    scene = layout(figure)["scene"]
    assert [axis_title(scene, axis) for axis in ("xaxis", "yaxis", "zaxis")] == ["x", "y", "f"]


def test_3d_stops_a_diverged_path_where_it_diverged():
    t = diverging()
    path = figures.surface_3d_figure(ELLIPTIC, [t], [figures.style("sgd", "SGD")]).data[1]
    assert len(path.x) == t.diverged_at
