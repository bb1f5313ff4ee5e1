"""Budgets (issue 27, cause 4): one cost model (runs × steps × operations of the formula and the rule) estimates
every page's work before it starts; a link at every slider's maximum, with the longest formula and rule the boxes
take, is cut to fit, and the page says so. Nothing here is timed: benchmarks/bench_worst_page.py measures."""

from pathlib import Path

import pytest
from helpers import tables
from streamlit.testing.v1 import AppTest

from rmsviz.optimizers import OPTIMIZERS
from rmsviz.rules import parse_rule
from rmsviz.studies import budget, train
from rmsviz.surfaces import SURFACES, Surface
from rmsviz.surfaces.expression import MAX_LENGTH
from rmsviz.ui import train_links

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def longest_formula() -> str:
    """A product of sines as long as the formula box takes (the issue's: 91 s of CPU for one race)."""
    text, i = "sin(1*x+0*y)", 1
    while len(text) + len(f"*sin({i % 9 + 1}*x+{i % 7}*y)") <= MAX_LENGTH:
        text += f"*sin({i % 9 + 1}*x+{i % 7}*y)"
        i += 1
    return text


def long_rule() -> str:
    """An update of about 1000 characters (the issue's sweep: 207 s of CPU and 1.07 GB)."""
    terms = "+".join(f"sqrt(abs(g*{i % 10}+s))*gamma" for i in range(32))
    return f"s = gamma*s + (1 - gamma)*g**2\nx = x - lr*({terms})"


def test_operations_count_each_shared_subtree_once():
    assert Surface.from_expression("x**2 + y**2").operations < 10
    big = Surface.from_expression(longest_formula())
    assert big.operations > 300 and big.hessian_operations > big.operations
    assert SURFACES["elliptic"].operations == 0  # a catalog surface's cost is in the step's
    assert parse_rule("x = x - lr*g").operations == 2
    assert parse_rule(long_rule(), "s = 0").operations > 150


def test_the_race_of_the_issue_is_cut_and_a_default_race_is_not():
    surface = Surface.from_expression(longest_formula())
    racers = [0] * 14 + [parse_rule(long_rule(), "s = 0").operations]
    steps = budget.race_steps(racers, surface.operations, surface.hessian_operations, 1000)
    assert 1 <= steps < 100
    per_step = sum(budget.step_seconds(surface.operations + own) for own in racers)
    fixed = (surface.operations + surface.hessian_operations + sum(racers)) * budget.TYPED_OPERATION
    assert steps == 1 or steps * per_step + fixed <= budget.PAGE_SECONDS
    elliptic = SURFACES["elliptic"]
    assert budget.race_steps([0] * 4, 0, 0, elliptic.steps) == elliptic.steps


def test_a_sweep_is_cut_in_steps_first_then_in_random_starts():
    assert budget.sweep_plan(40 * 40, 0, 200, 0) == (0, 200)  # the page's default
    starts, steps = budget.sweep_plan(200 * 200, 16, 1000, 0)
    assert steps >= budget.MIN_SWEEP_STEPS and starts < 16
    assert steps * budget.step_seconds(0, 200 * 200 * max(starts, 1)) <= budget.PAGE_SECONDS
    rule = parse_rule(long_rule(), "s = 0").operations
    starts, steps = budget.sweep_plan(200 * 200, 16, 1000, rule)
    assert starts == 0 and 1 <= steps < budget.MIN_SWEEP_STEPS  # a long rule costs more per step
    assert steps * budget.step_seconds(rule, 200 * 200) <= budget.PAGE_SECONDS


def test_the_noisy_runs_are_cut_at_every_cap_and_not_at_the_defaults():
    assert budget.noisy_steps(3, 100, 200) == 200
    steps = budget.noisy_steps(7, 1000, 2000)
    assert 1 <= steps < 2000


def runs(hidden: int, batch: int, count: int) -> tuple[train.TrainRun, ...]:
    names = list(train.TRAIN_DEFAULTS)[:count]
    return tuple(train.TrainRun(name, (), train.Model(hidden, "tanh"), batch, 0) for name in names)


def test_training_is_cut_to_the_epochs_the_budget_allows_counting_only_new_work():
    small = runs(0, 32, 4)
    assert budget.train_epochs(small, [0] * 4, 10) == 10  # the default view is far within
    big = runs(64, 8, 7)
    allowed = budget.train_epochs(big, [0] * 7, 200)
    cost = sum(budget.epoch_seconds(run) for run in big)
    assert 1 <= allowed < 200
    assert allowed * cost <= budget.PAGE_SECONDS < (allowed + 1) * cost
    # epochs another session has trained already cost nothing
    assert budget.train_epochs(big, [allowed] * 7, 200) == 2 * allowed


def test_a_page_run_trains_one_epoch_more_even_past_the_budget():
    biggest = runs(256, 8, 7)
    assert budget.train_epochs(biggest, [0] * 7, 200) == 1
    assert budget.train_epochs(biggest, [5] * 7, 200) == 6


def test_the_torch_comparison_is_cut_apart():
    (run,) = runs(256, 8, 1)
    allowed = budget.comparison_epochs(run, 200)
    assert 1 <= allowed < 200
    assert budget.comparison_epochs(runs(0, 32, 1)[0], 3) == 3


def test_an_epoch_costs_more_with_a_bigger_model_and_smaller_batches():
    base = budget.epoch_seconds(runs(0, 32, 1)[0])
    assert budget.epoch_seconds(runs(64, 32, 1)[0]) > base
    assert budget.epoch_seconds(runs(0, 8, 1)[0]) > base
    assert budget.epoch_seconds(runs(0, 0, 1)[0]) < base  # full batch: one step per epoch


def test_the_train_page_says_where_it_stopped(monkeypatch):
    monkeypatch.setattr(budget, "PAGE_SECONDS", 3.5 * budget.epoch_seconds(runs(0, 32, 1)[0]) * 4)
    at = AppTest.from_file(APP, default_timeout=120)
    # 9 epochs, with a seed whose runs no other test has stored
    at.query_params.update(train_links.query({train_links.EPOCHS: 9, train_links.SEED: 424242}))
    at.switch_page("views/train.py").run()
    assert not at.exception
    assert any("Training stops at epoch 3 of 9" in w.value for w in at.warning)
    assert set(tables(at)[0]["epochs"]) == {"3"}  # the cells as the page writes them


def test_the_sweep_page_says_how_many_steps_each_cell_ran(monkeypatch):
    monkeypatch.setattr(budget, "PAGE_SECONDS", 50.5 * budget.step_seconds(0, 40 * 40))
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("views/sweep.py").run()
    assert not at.exception
    assert any("each cell runs 50 steps" in w.value for w in at.warning)


@pytest.mark.parametrize("cells", [1, 7, 40_000])
def test_sweep_steps_is_at_least_one(cells):
    assert budget.sweep_plan(cells, 100, 1000, 1000)[1] >= 1


RACERS = [spec.title for spec in OPTIMIZERS.values()] + [f"{spec.title} #2" for spec in OPTIMIZERS.values()]


def notice(at, words: str) -> str:
    found = [w.value for w in at.warning if words in w.value]
    assert len(found) == 1, [w.value for w in at.warning]
    return found[0]


def test_the_race_page_cuts_the_issues_race_and_says_so():
    """14 racers on the longest formula over 1000 steps (91 s of CPU before): cut, and said above the chart."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"surface": "Your own formula", "formula": longest_formula(), "racers": RACERS,
                            "steps": "1000"})  # fmt: skip
    at.switch_page("views/race.py").run()
    assert not at.exception and not at.error
    text = notice(at, "server a class shares")
    assert "14 racer(s) × 1000 steps" in text and "each racer runs" in text


def test_the_noise_page_cuts_its_runs_and_says_so():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"optimizers": [spec.title for spec in OPTIMIZERS.values()], "runs": "1000",
                            "noisy_steps": "2000"})  # fmt: skip
    at.switch_page("views/noise.py").run()
    assert not at.exception
    assert "7 optimizer(s) × 1000 runs × 2000 steps" in notice(at, "server a class shares")


def test_the_sweep_page_cuts_a_long_rule_and_says_so():
    at = AppTest.from_file(APP, default_timeout=120)
    rule = {"optimizer": "Your rule", "sweep_rule": long_rule(), "sweep_rule_state": "s = 0"}
    at.query_params.update({**rule, "x_cells": "200", "y_cells": "200", "random_starts": "16", "sweep_steps": "1000"})
    at.switch_page("views/sweep.py").run()
    assert not at.exception and not at.error
    text = notice(at, "server a class shares")
    assert "200 × 200 cells × 16 start(s) × 1000 steps of a rule of" in text and "from 1 start(s)" in text
