"""AppTest for the sweep page: defaults, the heatmap spec, edge values, bad links, racing a cell."""

import numpy as np
import pytest
from helpers import SHARED_NAMES, chart, open_page, shared_names_rule, values
from streamlit.testing.v1 import AppTest

import rmsviz
from rmsviz.studies import budget, sweep
from rmsviz.ui import race_links, sweep_links
from rmsviz.ui import sweep as sweep_ui


def heatmap(at: AppTest) -> tuple[dict, np.ndarray]:
    """The chart's spec and its main heatmap's z."""
    spec = chart(at)
    return spec, values(spec["data"][0]["z"])


def test_default_sweep_draws_the_grid_and_offers_the_best_cell():
    at = open_page("sweep")
    assert not at.exception and not at.error and not at.warning
    spec, z = heatmap(at)
    assert z.shape == (40, 40)
    assert spec["layout"]["xaxis"]["type"] == "log" and spec["layout"]["yaxis"]["type"] == "linear"
    assert "γ (gamma)" in spec["layout"]["yaxis"]["title"]["text"]
    assert any(t.get("name") == "best cell" for t in spec["data"])
    assert "Race RMSProp with η = " in at.button(key=sweep_links.RACE_BEST).label


def test_racing_a_cell_opens_the_race_with_its_settings():
    at = open_page("sweep", sweep_steps="80")
    at.button(key=sweep_links.RACE_BEST).click().run()
    assert not at.exception and at.title[0].value == "Optimizer race"
    assert (
        at.multiselect(key=race_links.RACERS_KEY).value == ["rmsprop"] and at.slider(key=race_links.STEPS).value == 80
    )
    label = (
        at.select_slider(key=race_links.racer_key("rmsprop", "lr")).value,
        at.slider(key=race_links.racer_key("rmsprop", "gamma")).value,
    )
    config = sweep_ui._sweeps().keys()[-1]
    result = sweep_ui.stored_sweep(config)
    _, query = sweep_ui.cell_race_link(config, result, *sweep.best_cell(result))
    assert label == (float(query["rmsprop.lr"]), float(query["rmsprop.gamma"]))


def test_cell_links_use_values_the_race_accepts(config_of):
    result = sweep.sweep("rmsprop", "elliptic", "lr", [0.0372, 0.4], "gamma", [0.256, 0.9], steps=5)
    config = config_of(result)
    label, query = sweep_ui.cell_race_link(config, result, 0, 0)
    assert query["rmsprop.lr"] == "0.04" and query["rmsprop.gamma"] == "0.26"
    assert label == "Race RMSProp with η = 0.04 (≈ 0.0372), γ = 0.26 (≈ 0.256)"
    assert query["surface"] == rmsviz.SURFACES["elliptic"].title and query["racers"] == ["RMSProp"]
    assert sweep_ui.cell_race_link(config, result, 1, 1)[0] == "Race RMSProp with η = 0.4, γ = 0.9"
    assert sweep_ui.nearest_cell(result, 0.3, 0.85) == (1, 1)
    race = open_page(**query)
    assert not race.exception and not race.warning  # every value taken


@pytest.mark.parametrize("cells", [2, 200])
def test_edge_values_rerun_without_exception(cells):
    steps = 1000 if cells == 2 else 200
    at = open_page(
        "sweep", x_cells=str(cells), y_cells=str(cells), sweep_steps=str(steps), outcome="Steps to tolerance"
    )
    assert not at.exception and not at.warning
    assert heatmap(at)[1].shape == (cells, cells)


def test_other_optimizers_surfaces_and_outcomes():
    at = open_page("sweep", optimizer="Momentum", outcome="Diverged", sweep_surface=rmsviz.SURFACES["saddle"].title)
    assert not at.exception
    assert (at.selectbox(key=sweep_links.X).value, at.selectbox(key=sweep_links.Y).value) == ("lr", "beta")
    spec, z = heatmap(at)
    assert spec["data"][0]["colorbar"]["title"]["text"] == "diverged" and z.max() <= 1
    at.selectbox(key=sweep_links.Y).set_value("dampening").run()
    at.selectbox(key=sweep_links.OPTIMIZER).set_value("rprop").run()
    assert (at.selectbox(key=sweep_links.X).value, at.selectbox(key=sweep_links.Y).value) == ("lr", "eta_plus")
    at.button_group(key=sweep_links.OUTCOME).set_value("steps").run()
    assert any("no minimum" in i.value for i in at.info)  # the saddle has no tolerance to reach


def test_a_sweep_over_the_page_budget_is_cut_with_a_notice(monkeypatch):
    """The link at every cap (6.4e8 run-steps) runs what the budget allows, and says so; the budget is
    shrunk here so that the test computes two steps per cell from every start."""
    monkeypatch.setattr(budget, "PAGE_SECONDS", 2.5 * budget.step_seconds(0, 200 * 200 * 16))
    monkeypatch.setattr(budget, "MIN_SWEEP_STEPS", 1)
    at = open_page("sweep", x_cells="200", y_cells="200", sweep_steps="1000", random_starts="16")
    assert not at.exception and at.get("plotly_chart")
    assert any("200 × 200 cells × 16 start(s) × 1000 steps" in w.value and "each cell runs 2 steps" in w.value
               for w in at.warning)  # fmt: skip


def test_garbage_link_gives_a_notice_and_a_working_page():
    at = open_page("sweep", optimizer="sgd", x="nope", x_cells="abc", sweep_steps="5000", range_gamma="2", bogus="1")
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    for fragment in ("optimizer=sgd", "x=nope", "x_cells=abc", "sweep_steps=5000", "range_gamma=2", "bogus"):
        assert fragment in notices
    assert heatmap(at)[1].shape == (40, 40)


def test_a_typed_rules_hyperparameters_are_swept_and_its_cell_races_as_the_rule():
    """Your rule on the sweep page: the axes are the rule's own names, every cell is the rule's run, and the
    best cell's link opens the race with that rule racing at the cell's values."""
    update = "s = gamma * s + (1 - gamma) * g**2\nx = x - mu * g / sqrt(s + eps)"  # mu: a name of its own
    at = open_page("sweep", optimizer="Your rule", sweep_rule=update, sweep_rule_state="s = 0", x_cells="4",
                   y_cells="3", sweep_steps="30")  # fmt: skip
    assert not at.exception and not at.error and not at.warning, [w.value for w in at.warning]
    assert (at.selectbox(key=sweep_links.X).value, at.selectbox(key=sweep_links.Y).value) == ("gamma", "mu")
    _, z = heatmap(at)
    config = sweep_ui._sweeps().keys()[-1]
    result = sweep_ui.stored_sweep(config)
    assert z.shape == (3, 4) and config.rule.update == update
    spec = rmsviz.parse_rule(update, "s = 0").spec()
    row, column = 2, 1
    alone = rmsviz.run(spec, "elliptic", steps=30, gamma=result.x_values[column], mu=result.y_values[row], eps=1e-6)
    assert result.gap[row, column] == pytest.approx(alone.loss[-1] - result.best_value, rel=1e-12)

    label, query = sweep_ui.cell_race_link(config, result, *sweep.best_cell(result))
    assert label.startswith("Race Your rule with γ = ") and query["rule_on"] == "true" and query["racers"] == []
    race = open_page(**query)
    assert not race.exception and not race.warning, [w.value for w in race.warning]
    assert race.text_area(key=race_links.RULE).value == update
    assert race.slider(key=race_links.rule_key("mu")).value == pytest.approx(float(query["rule.mu"]))


def test_a_rule_with_one_hyperparameter_says_what_a_second_axis_needs():
    at = open_page("sweep", optimizer="Your rule", sweep_rule="x = x - lr * sign(g)", sweep_rule_state="")
    assert not at.exception and not at.get("plotly_chart")
    assert any("nothing left for the y axis" in e.value for e in at.error)


def test_a_schedules_parameters_are_axes_and_its_cell_races_with_that_schedule():
    at = open_page("sweep", **{"sweep.schedule": "step", "x": "schedule k (schedule_step_size)",
                               "y": "schedule γ (schedule_gamma)",
                               "range_schedule_step_size": ["2", "40"], "x_cells": "5", "y_cells": "4",
                               "sweep_steps": "60"})  # fmt: skip
    assert not at.exception and not at.error and not at.warning, [w.value for w in at.warning]
    config = sweep_ui._sweeps().keys()[-1]
    result = sweep_ui.stored_sweep(config)
    np.testing.assert_array_equal(result.x_values, [2, 12, 21, 30, 40])  # whole steps
    assert config.schedule[0] == "step" and result.schedule.kind == "step"
    _, query = sweep_ui.cell_race_link(config, result, 1, 3)
    assert query["rmsprop.schedule"] == "step" and query["rmsprop.schedule_step_size"] == "30"
    race = open_page(**query)
    assert not race.exception and not race.warning, [w.value for w in race.warning]
    assert race.slider(key=race_links.schedule_key("rmsprop", "step_size")).value == 30
    assert race.slider(key=race_links.schedule_key("rmsprop", "gamma")).value == pytest.approx(
        float(query["rmsprop.schedule_gamma"])
    )


@pytest.mark.parametrize("names", SHARED_NAMES, ids=lambda names: names[0])
def test_a_rules_names_are_swept_and_fixed_as_its_own(names):
    """Swept (seed, gradient_sequence, schedule_p: fed run's parameters, or never swept) or fixed at their
    default 0.1 (noise: turned on unseeded gradient noise), a rule's names are the rule's; so is its cell's
    race. The rule is SGD at a rate lr · (their sum) / 10: every cell is that SGD run."""
    rule, (x, y) = shared_names_rule(names), map(sweep_links.axis_label, names[:2])
    at = open_page("sweep", optimizer="Your rule", sweep_rule=rule, sweep_rule_state="", x=x, y=y, x_cells="2",
                   y_cells="3", sweep_steps="20")  # fmt: skip
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error and not at.warning, [e.value for e in (*at.error, *at.warning)]
    config = sweep_ui._sweeps().keys()[-1]
    result = sweep_ui.stored_sweep(config)
    assert (result.x_name, result.y_name, config.rule.update) == (*names[:2], rule)
    fixed = 0.1 * (len(names) - 2)  # each name no axis sweeps keeps its default
    for (row, column), gap in np.ndenumerate(result.gap):
        rate = 0.4 * (result.x_values[column] + result.y_values[row] + fixed) / 10
        sgd = rmsviz.run("sgd", "elliptic", steps=20, lr=rate)
        assert gap == pytest.approx(sgd.loss[-1] - result.best_value, rel=1e-9), (row, column)

    _, query = sweep_ui.cell_race_link(config, result, *sweep.best_cell(result))
    race = open_page(**query)
    assert not race.exception, [e.message for e in race.exception]
    assert race.text_area(key=race_links.RULE).value == rule
    for name in names:
        assert race.slider(key=race_links.rule_key(name)).value == pytest.approx(
            float(query[race_links.rule_key(name)])
        )
