"""The training page's chart: loss and accuracy per epoch, train and test, one colour per optimizer, and
torch.optim.RMSprop's history as open markers beside them."""

import numpy as np

from rmsviz import figures
from rmsviz.figures.train import training_figure
from rmsviz.studies.train import Metrics

RMSPROP = (Metrics(2.0, 2.1, 0.5, 0.45), Metrics(1.0, 1.2, 0.7, 0.65), Metrics(0.5, 0.8, 0.9, 0.85))
SGD = (Metrics(2.0, 2.0, 0.4, 0.4), Metrics(1.8, 1.9, 0.5, 0.45), Metrics(1.6, 1.7, 0.55, 0.5))
STYLES = [figures.style("rmsprop", "RMSProp"), figures.style("sgd", "SGD")]


def test_four_curves_per_optimizer_hold_its_history():
    figure = training_figure([RMSPROP, SGD], STYLES)
    assert [(t.name, t.xaxis, t.yaxis) for t in figure.data] == [
        (f"{optimizer} ({split})", x, y)
        for optimizer in ("RMSProp", "SGD")
        for x, y in (("x", "y"), ("x2", "y2"))  # the loss panel, then the accuracy panel
        for split in ("train", "test")
    ]
    loss_train, loss_test, accuracy_train, accuracy_test = figure.data[:4]
    np.testing.assert_array_equal(loss_train.x, [0, 1, 2])
    np.testing.assert_array_equal(loss_train.y, [m.train_loss for m in RMSPROP])
    np.testing.assert_array_equal(loss_test.y, [m.test_loss for m in RMSPROP])
    np.testing.assert_array_equal(accuracy_train.y, [m.train_accuracy for m in RMSPROP])
    np.testing.assert_array_equal(accuracy_test.y, [m.test_accuracy for m in RMSPROP])
    np.testing.assert_array_equal(figure.data[7].y, [m.test_accuracy for m in SGD])


def test_train_is_solid_test_dashed_in_the_optimizers_colour_and_one_legend_entry_per_split():
    data = training_figure([RMSPROP], STYLES[:1]).data
    assert [t.line.dash for t in data] == ["solid", "dash", "solid", "dash"]
    assert {t.line.color for t in data} == {figures.COLORS["rmsprop"]}
    assert [t.showlegend for t in data] == [True, True, False, False]  # the accuracy panel repeats the loss's


def test_the_torch_reference_is_markers_after_the_runs():
    data = training_figure([RMSPROP, SGD], STYLES, reference=RMSPROP).data
    assert len(data) == 12
    reference = data[8:]
    assert [t.name for t in reference[:2]] == ["torch.optim.RMSprop (train)", "torch.optim.RMSprop (test)"]
    assert all(t.mode == "markers" and t.marker.color == figures.COLORS["rmsprop"] for t in reference)
    np.testing.assert_array_equal(reference[1].y, [m.test_loss for m in RMSPROP])


def test_axes_loss_on_a_log_scale_and_accuracy_in_percent():
    layout = training_figure([RMSPROP], STYLES[:1]).to_dict()["layout"]
    assert [layout[axis]["title"]["text"] for axis in ("xaxis", "xaxis2", "yaxis", "yaxis2")] == [
        "epoch", "epoch", "mean cross-entropy (log)", "accuracy",
    ]  # fmt: skip
    assert layout["yaxis"]["type"] == "log" and layout["yaxis2"]["tickformat"] == ".0%"


def test_no_runs_give_a_chart_without_curves():
    assert not training_figure([], []).data
    assert len(training_figure([], [], reference=SGD).data) == 4  # the reference alone still shows
