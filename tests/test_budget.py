"""Budgets: a link at every slider's maximum is cut before the work starts, and the page says so."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rmsviz.studies import budget, train
from rmsviz.ui import train_links

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def test_a_sweep_within_the_budget_runs_every_step_and_one_over_it_is_cut_to_fit():
    assert budget.sweep_steps(40 * 40, 0, 200) == 200
    steps = budget.sweep_steps(200 * 200, 10, 1000)
    assert steps < 1000
    assert 200 * 200 * 10 * steps <= budget.SWEEP_RUN_STEPS < 200 * 200 * 10 * (steps + 1)


def runs(hidden: int, batch: int, count: int) -> tuple[train.TrainRun, ...]:
    names = list(train.TRAIN_DEFAULTS)[:count]
    return tuple(train.TrainRun(name, (), train.Model(hidden, "tanh"), batch, 0) for name in names)


def test_training_is_cut_to_the_epochs_the_budget_allows_counting_only_new_work():
    small = runs(0, 32, 4)
    assert budget.train_epochs(small, [0] * 4, 10) == 10  # the default view is far within
    big = runs(256, 8, 7)
    allowed = budget.train_epochs(big, [0] * 7, 200)
    work = [budget.epoch_work(run) for run in big]
    assert 1 <= allowed < 200
    assert allowed * sum(work) <= budget.TRAIN_WORK < (allowed + 1) * sum(work)
    # epochs another session has trained already cost nothing
    assert budget.train_epochs(big, [allowed] * 7, 200) == 2 * allowed


def test_an_epoch_costs_more_with_a_bigger_model_and_smaller_batches():
    base = budget.epoch_work(runs(0, 32, 1)[0])
    assert budget.epoch_work(runs(64, 32, 1)[0]) > base
    assert budget.epoch_work(runs(0, 8, 1)[0]) > base
    assert budget.epoch_work(runs(0, 0, 1)[0]) < base  # full batch: one step per epoch


def test_the_train_page_says_where_it_stopped(monkeypatch):
    monkeypatch.setattr(budget, "TRAIN_WORK", 3 * budget.epoch_work(runs(0, 32, 1)[0]) * 4)
    at = AppTest.from_file(APP, default_timeout=120)
    # 9 epochs, with a seed whose runs no other test has stored
    at.query_params.update(train_links.query({train_links.EPOCHS: 9, train_links.SEED: 424242}))
    at.switch_page("views/train.py").run()
    assert not at.exception
    assert any("Training stops at epoch 3 of 9" in w.value for w in at.warning)
    assert {row for row in at.table[0].value["epochs"]} == {3}


def test_the_sweep_page_says_how_many_steps_each_cell_ran(monkeypatch):
    monkeypatch.setattr(budget, "SWEEP_RUN_STEPS", 40 * 40 * 50)
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("views/sweep.py").run()
    assert not at.exception
    assert any("each cell runs 50 steps" in w.value for w in at.warning)


@pytest.mark.parametrize("cells", [1, 7, 40_000])
def test_sweep_steps_is_at_least_one(cells):
    assert budget.sweep_steps(cells, 100, 1000) >= 1
