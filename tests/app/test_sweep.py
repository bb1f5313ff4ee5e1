"""AppTest for the sweep page: defaults, the heatmap spec, edge values, bad links, racing a cell."""

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import rmsviz
from rmsviz.studies import budget, sweep
from rmsviz.ui import sweep as sweep_ui

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_sweep(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("views/sweep.py")
    return at.run()


def heatmap(at: AppTest) -> tuple[dict, np.ndarray]:
    """The chart's spec and its main heatmap's z (Plotly 6+ writes NumPy arrays as {"dtype", "bdata", "shape"})."""
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    z = spec["data"][0]["z"]
    shape = tuple(int(n) for n in str(z["shape"]).split(","))
    return spec, np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"]).reshape(shape)


def test_default_sweep_draws_the_grid_and_offers_the_best_cell():
    at = open_sweep()
    assert not at.exception and not at.error and not at.warning
    spec, z = heatmap(at)
    assert z.shape == (40, 40)
    assert spec["layout"]["xaxis"]["type"] == "log" and spec["layout"]["yaxis"]["type"] == "linear"
    assert "γ (gamma)" in spec["layout"]["yaxis"]["title"]["text"]
    assert any(t.get("name") == "best cell" for t in spec["data"])
    assert "Race RMSProp with η = " in at.button(key="race_best").label


def test_racing_a_cell_opens_the_race_with_its_settings():
    at = open_sweep(sweep_steps="80")
    at.button(key="race_best").click().run()
    assert not at.exception and at.title[0].value == "Optimizer race"
    assert at.multiselect(key="racers").value == ["rmsprop"] and at.slider(key="steps").value == 80
    label = at.select_slider(key="rmsprop.lr").value, at.slider(key="rmsprop.gamma").value
    result = sweep_ui.stored_sweep(sweep_ui._sweeps().keys()[-1])
    _, query = sweep_ui.cell_race_link(result, *sweep.best_cell(result))
    assert label == (float(query["rmsprop.lr"]), float(query["rmsprop.gamma"]))


def test_cell_links_use_values_the_race_accepts():
    result = sweep.sweep("rmsprop", "elliptic", "lr", [0.0372, 0.4], "gamma", [0.256, 0.9], steps=5)
    label, query = sweep_ui.cell_race_link(result, 0, 0)
    assert query["rmsprop.lr"] == "0.04" and query["rmsprop.gamma"] == "0.26"
    assert label == "Race RMSProp with η = 0.04 (≈ 0.0372), γ = 0.26 (≈ 0.256)"
    assert query["surface"] == rmsviz.SURFACES["elliptic"].title and query["racers"] == ["RMSProp"]
    assert sweep_ui.cell_race_link(result, 1, 1)[0] == "Race RMSProp with η = 0.4, γ = 0.9"
    assert sweep_ui.nearest_cell(result, 0.3, 0.85) == (1, 1)
    race = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        race.query_params[key] = value
    race.run()
    assert not race.exception and not race.warning  # every value taken


@pytest.mark.parametrize("cells", [2, 200])
def test_edge_values_rerun_without_exception(cells):
    steps = 1000 if cells == 2 else 200
    at = open_sweep(x_cells=str(cells), y_cells=str(cells), sweep_steps=str(steps), outcome="Steps to tolerance")
    assert not at.exception and not at.warning
    assert heatmap(at)[1].shape == (cells, cells)


def test_other_optimizers_surfaces_and_outcomes():
    at = open_sweep(optimizer="Momentum", outcome="Diverged", sweep_surface=rmsviz.SURFACES["saddle"].title)
    assert not at.exception
    assert (at.selectbox(key="x").value, at.selectbox(key="y").value) == ("lr", "beta")
    spec, z = heatmap(at)
    assert spec["data"][0]["colorbar"]["title"]["text"] == "diverged" and z.max() <= 1
    at.selectbox(key="y").set_value("dampening").run()
    at.selectbox(key="optimizer").set_value("rprop").run()
    assert (at.selectbox(key="x").value, at.selectbox(key="y").value) == ("lr", "eta_plus")
    at.button_group(key="outcome").set_value("steps").run()
    assert any("no minimum" in i.value for i in at.info)  # the saddle has no tolerance to reach


def test_a_sweep_over_the_page_budget_is_cut_with_a_notice(monkeypatch):
    """The link at every cap (6.4e8 run-steps) runs what the budget allows, and says so; the budget is
    shrunk here so that the test computes two steps per cell, not the page's 1e8 run-steps."""
    monkeypatch.setattr(budget, "SWEEP_RUN_STEPS", 200 * 200 * 16 * 2)
    at = open_sweep(x_cells="200", y_cells="200", sweep_steps="1000", random_starts="16")
    assert not at.exception and at.get("plotly_chart")
    assert any("200 × 200 cells × 16 start(s) × 1000 steps" in w.value and "each cell runs 2 steps" in w.value
               for w in at.warning)  # fmt: skip


def test_garbage_link_gives_a_notice_and_a_working_page():
    at = open_sweep(optimizer="sgd", x="nope", x_cells="abc", sweep_steps="5000", range_gamma="2", bogus="1")
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    for fragment in ("optimizer=sgd", "x=nope", "x_cells=abc", "sweep_steps=5000", "range_gamma=2", "bogus"):
        assert fragment in notices
    assert heatmap(at)[1].shape == (40, 40)
