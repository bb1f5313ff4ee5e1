"""Sweeps: every cell is the run it stands for, medians over random starts, divergence, caps, the heatmap."""

import numpy as np
import pytest

import rmsviz
from rmsviz.backend import available_backends
from rmsviz.figures.sweep import DIVERGED_COLOR, sweep_figure
from rmsviz.metrics import best_known_value
from rmsviz.studies import sweep

RMSPROP = rmsviz.OPTIMIZERS["rmsprop"]
ELLIPTIC = rmsviz.SURFACES["elliptic"]
F_STAR = best_known_value(ELLIPTIC)
LRS = np.array([0.01, 0.1, 0.4, 3.0])
GAMMAS = np.array([0.0, 0.5, 0.9, 1.0])  # γ = 1 diverges: s stays 0, every step is η·g/√ε


@pytest.fixture(scope="module")
def grid() -> sweep.SweepResult:
    return sweep.sweep("rmsprop", "elliptic", "lr", LRS, "gamma", GAMMAS, steps=60, fixed={"eps": 1e-6})


def alone(lr, gamma, start=(-5.0, -2.0), steps=60, surface=ELLIPTIC):
    return rmsviz.run("rmsprop", surface, start=start, steps=steps, lr=lr, gamma=gamma, target=F_STAR + 1e-4)


def test_every_cell_is_the_run_it_stands_for(grid):
    assert grid.shape == (len(GAMMAS), len(LRS))
    for row, gamma in enumerate(GAMMAS):
        for column, lr in enumerate(LRS):
            t = alone(lr, gamma)
            assert grid.diverged[row, column] == t.diverged
            assert grid.diverged_fraction[row, column] == float(t.diverged)
            if t.diverged:
                assert grid.gap[row, column] == np.inf and np.isnan(grid.steps_to_tolerance[row, column])
                continue
            assert grid.gap[row, column] == pytest.approx(t.loss[-1] - F_STAR, rel=1e-12, abs=1e-300)
            expected = np.nan if t.reached_at < 0 else t.reached_at
            np.testing.assert_equal(grid.steps_to_tolerance[row, column], expected)
    assert grid.diverged[GAMMAS == 1.0].any() and not grid.diverged[GAMMAS == 0.9, :3].any()
    assert np.isfinite(grid.steps_to_tolerance).any()  # some cells get there, so the comparison above bites


def test_random_starts_give_the_median_of_the_runs_alone():
    result = sweep.sweep("rmsprop", "rotated", "lr", [0.05, 0.3], "gamma", [0.8, 0.95], random_starts=5, seed=7,
                         steps=150)  # fmt: skip
    surface = rmsviz.SURFACES["rotated"]
    starts = sweep.uniform_starts(surface, 5, 7)
    np.testing.assert_array_equal(result.starts, starts)
    (x0, x1), (y0, y1) = surface.domain
    assert ((starts >= (x0, y0)) & (starts <= (x1, y1))).all()
    f_star = best_known_value(surface)
    for row, gamma in enumerate((0.8, 0.95)):
        for column, lr in enumerate((0.05, 0.3)):
            runs = rmsviz.run("rmsprop", surface, start=starts, steps=150, lr=lr, gamma=gamma, target=f_star + 1e-4)
            assert result.gap[row, column] == pytest.approx(np.median(runs.loss[-1] - f_star), rel=1e-12)
            median = np.median(np.where(runs.reached_at < 0, np.inf, runs.reached_at))  # never: infinitely late
            np.testing.assert_equal(result.steps_to_tolerance[row, column], median if np.isfinite(median) else np.nan)
    assert np.isfinite(result.steps_to_tolerance).any() and np.isnan(result.steps_to_tolerance).any()


def test_gradient_descent_with_too_large_a_step_is_marked_diverged():
    # momentum with β = 0 is gradient descent; on 0.1x² + 2y² it diverges once η > 2/4 (curvature 4 along y)
    lrs = np.array([0.1, 0.4, 0.6, 2.0])
    result = sweep.sweep("momentum", "elliptic", "lr", lrs, "beta", [0.0, 0.5], steps=100)
    np.testing.assert_array_equal(result.diverged[0], lrs > 0.5)
    np.testing.assert_array_equal(result.diverged_fraction[0], (lrs > 0.5).astype(float))
    figure = sweep_figure(result, sweep.outcome(result, "gap"))
    main, flags = (t for t in figure.data if t.type == "heatmap")
    assert flags.colorscale[-1][1] == DIVERGED_COLOR
    np.testing.assert_array_equal(np.asarray(flags.z)[0] == 1, lrs > 0.5)
    assert np.isnan(np.asarray(main.z)[0][lrs > 0.5]).all()  # the colour scale holds real values only


def test_a_surface_without_a_minimum_reports_the_final_loss():
    result = sweep.sweep("rmsprop", "saddle", "lr", [0.01, 0.1], "gamma", [0.5, 0.9], steps=20)
    assert result.best_value is None and result.steps_to_tolerance is None
    t = rmsviz.run("rmsprop", "saddle", steps=20, lr=0.1, gamma=0.9)
    assert result.gap[1, 1] == pytest.approx(t.loss[-1], rel=1e-12)
    assert sweep_figure(result, sweep.outcome(result, "gap")).data[0].colorbar.title.text == "final f"
    with pytest.raises(ValueError, match="this surface lists none"):
        sweep.outcome(result, "steps")


@pytest.mark.skipif("torch" not in available_backends(), reason="torch is not installed")
def test_torch_gives_the_same_sweep(grid):
    again = sweep.sweep("rmsprop", "elliptic", "lr", LRS, "gamma", GAMMAS, steps=60, backend="torch")
    np.testing.assert_allclose(again.gap, grid.gap, rtol=1e-10)
    np.testing.assert_array_equal(again.steps_to_tolerance, grid.steps_to_tolerance)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"x_values": np.linspace(0.01, 1, 201)}, r"Invalid grid for lr: \(201,\) values \(must be 1 to 200"),
        ({"x_values": []}, "Invalid grid for lr"),
        ({"steps": 1001}, r"Invalid steps: 1001 \(must be an integer in \[1, 1000\]\)"),
        ({"steps": 0}, "Invalid steps: 0"),
        ({"random_starts": 101}, r"Invalid random_starts: 101"),
        ({"x_values": [0.1, -1.0]}, r"Invalid lr: -1 \(must be in \(0, inf\)\)"),
        ({"y_values": [0.5, 1.5]}, r"Invalid gamma: 1.5 \(must be in \[0, 1\]\)"),
        ({"y_name": "lr"}, "two different hyperparameters"),
        ({"y_name": "beta"}, "Unknown hyperparameter for rmsprop: 'beta'"),
        ({"fixed": {"gamma": 0.9}}, "gamma is swept"),
        ({"tolerance": 0.0}, "Invalid tolerance"),
        (
            {
                "x_values": np.geomspace(1e-3, 1, 200),
                "y_values": np.linspace(0, 1, 200),
                "steps": 1000,
                "random_starts": 11,
            },
            r"200 × 200 cells × 11 starts × 1000 steps = 4.4e\+08 run-steps \(at most 4e\+08\)",
        ),
    ],
)
def test_bad_sweeps_say_what_is_wrong(change, message):
    arguments = {"x_values": [0.1, 0.2], "y_name": "gamma", "y_values": [0.5, 0.9], **change}
    with pytest.raises(ValueError, match=message):
        sweep.sweep("rmsprop", "elliptic", "lr", arguments.pop("x_values"), arguments.pop("y_name"),
                    arguments.pop("y_values"), **arguments)  # fmt: skip


def assert_cells_are_runs(result, run_cell):
    """Every cell's final gap is that of the run it stands for, made alone by ``run_cell(x, y)``."""
    f_star = result.best_value or 0.0
    for row, y in enumerate(result.y_values):
        for column, x in enumerate(result.x_values):
            t = run_cell(x, y)
            expected = np.inf if t.diverged else t.loss[-1] - f_star
            assert result.gap[row, column] == pytest.approx(expected, rel=1e-12, abs=1e-300), (x, y)


def test_a_typed_rules_hyperparameters_are_axes():
    rule = rmsviz.parse_rule("s = gamma * s + (1 - gamma) * g**2\nx = x - lr * g / sqrt(s + eps)", "s = 0")
    spec = rule.spec()
    assert sweep.axis_names(spec) == ["gamma", "lr", "eps"]
    result = sweep.sweep(spec, "elliptic", "lr", [0.01, 0.1, 0.4], "gamma", [0.5, 0.9], steps=40, fixed={"eps": 1e-6})
    assert_cells_are_runs(
        result, lambda lr, gamma: rmsviz.run(spec, "elliptic", steps=40, lr=lr, gamma=gamma, eps=1e-6)
    )
    # and it is RMSProp: the same grid of the built-in gives the same numbers
    builtin = sweep.sweep("rmsprop", "elliptic", "lr", [0.01, 0.1, 0.4], "gamma", [0.5, 0.9], steps=40,
                          fixed={"eps": 1e-6, "eps_in_sqrt": True})  # fmt: skip
    np.testing.assert_allclose(result.gap, builtin.gap, rtol=1e-9)


def test_a_rules_names_are_swept_and_fixed_as_its_own():
    """A rule's seed and schedule_p are swept as the rule's (seed fed run()'s; schedule_p was stripped as a
    schedule's parameter, with no schedule), its noise fixed is the rule's (it turned on gradient noise)."""
    spec = rmsviz.parse_rule("x = x - lr * g * (seed + schedule_p + noise)").spec()
    assert set(sweep.axis_names(spec)) == {"lr", "seed", "schedule_p", "noise"}
    assert not sweep.counts_steps(spec, "schedule_p", None)
    result = sweep.sweep(spec, "elliptic", "seed", [0.0, 0.5], "schedule_p", [0.1, 0.2, 0.4], steps=30,
                         fixed={"lr": 0.2, "noise": 0.3})  # fmt: skip
    assert_cells_are_runs(result, lambda seed, p: rmsviz.run("sgd", "elliptic", steps=30, lr=0.2 * (seed + p + 0.3)))


@pytest.mark.parametrize(
    ("kind", "x_name", "x_values", "y_name", "y_values"),
    [
        ("exponential", "lr", [0.05, 0.2, 0.5], "schedule_gamma", [0.8, 0.9, 0.99]),
        ("step", "schedule_step_size", [5, 10, 25], "schedule_gamma", [0.3, 0.7]),
        ("cosine", "schedule_t_max", [20, 60], "gamma", [0.5, 0.9]),
        ("plateau", "schedule_factor", [0.1, 0.5], "schedule_patience", [2, 8]),
    ],
)
def test_a_schedules_parameters_are_axes(kind, x_name, x_values, y_name, y_values):
    base = rmsviz.schedules.schedule(kind)
    fixed = {"lr": 0.4} if "lr" not in (x_name, y_name) else {}  # η = 0.4 bounces: the plateau schedule acts
    result = sweep.sweep("rmsprop", "elliptic", x_name, x_values, y_name, y_values, steps=60, schedule=base,
                         fixed=fixed)  # fmt: skip
    assert result.schedule == base

    def run_cell(x, y):
        cell = {x_name: x, y_name: y}
        swept = {k.removeprefix("schedule_"): v for k, v in cell.items() if k.startswith("schedule_")}
        own = {k: v for k, v in cell.items() if not k.startswith("schedule_")}
        schedule = rmsviz.schedules.schedule(kind, **swept)
        return rmsviz.run("rmsprop", "elliptic", steps=60, schedule=schedule, **fixed, **own)

    assert_cells_are_runs(result, run_cell)
    assert len(np.unique(result.gap)) > 1  # the swept parameters change the outcome, so the check bites


def test_schedule_axes_say_what_is_wrong():
    with pytest.raises(ValueError, match="Unknown hyperparameter for rmsprop: 'schedule_gamma'"):
        sweep.sweep("rmsprop", "elliptic", "lr", [0.1, 0.2], "schedule_gamma", [0.5, 0.9])
    with pytest.raises(ValueError, match=r"Invalid schedule_gamma: 1.5 \(must be in \[0, 1\]\)"):
        sweep.sweep("rmsprop", "elliptic", "lr", [0.1], "schedule_gamma", [0.5, 1.5],
                    schedule=rmsviz.schedules.schedule("step"))  # fmt: skip
    with pytest.raises(ValueError, match=r"Invalid step_size: 2.5 \(must be an integer\)"):
        sweep.sweep("rmsprop", "elliptic", "lr", [0.1], "schedule_step_size", [2.5, 3],
                    schedule=rmsviz.schedules.schedule("step"))  # fmt: skip
    step = rmsviz.schedules.schedule("step")
    step_sizes = sweep.axis_values(RMSPROP, "schedule_step_size", 5, 1, 4, step)
    np.testing.assert_array_equal(step_sizes, [1, 2, 3, 4])  # whole steps, no repeats
    assert len(sweep.axis_values(RMSPROP, "schedule_gamma", 5, 0.1, 0.2, step)) == 5


def test_grid_values_are_log_spaced_where_the_axis_is_log():
    lr, gamma = RMSPROP.hyperparameter("lr"), RMSPROP.hyperparameter("gamma")
    logs = sweep.grid_values(lr, 6)
    assert logs[0] == pytest.approx(lr.low) and logs[-1] == pytest.approx(lr.high)
    np.testing.assert_allclose(logs[1:] / logs[:-1], (lr.high / lr.low) ** (1 / 5))
    np.testing.assert_allclose(sweep.grid_values(gamma, 5), [0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_allclose(sweep.grid_values(lr, 3, 0.01, 1.0), [0.01, 0.1, 1.0])


def test_heatmap_has_the_grid_log_axes_a_best_cell_and_a_point_per_cell(grid):
    figure = sweep_figure(grid, sweep.outcome(grid, "gap"))
    main = figure.data[0]
    assert np.asarray(main.z).shape == grid.shape
    assert figure.layout.xaxis.type == "log" and figure.layout.yaxis.type == "linear"
    finite = np.isfinite(grid.gap)
    np.testing.assert_allclose(np.asarray(main.z)[finite], np.log10(np.maximum(grid.gap[finite], 1e-12)), rtol=1e-6)
    cells = next(t for t in figure.data if t.type == "scattergl")
    assert len(cells.x) == grid.gap.size and np.asarray(cells.customdata).shape == (grid.gap.size, 3)
    assert "γ (gamma)" in cells.hovertemplate and "η (lr)" in cells.hovertemplate
    row, column = sweep.best_cell(grid, "gap")
    assert grid.gap[row, column] == np.nanmin(np.where(np.isfinite(grid.gap), grid.gap, np.nan))
    star = next(t for t in figure.data if t.name == "best cell")
    assert (star.x[0], star.y[0]) == (LRS[column], GAMMAS[row])
    diverged_map = sweep_figure(grid, sweep.outcome(grid, "diverged"))
    assert np.asarray(diverged_map.data[0].z).shape == grid.shape
    assert sum(t.type == "heatmap" for t in diverged_map.data) == 1  # the fraction needs no flat overlay


def test_best_cell_for_steps_breaks_ties_by_the_gap(grid):
    row, column = sweep.best_cell(grid, "steps")
    steps = grid.steps_to_tolerance
    assert steps[row, column] == np.nanmin(steps)
    ties = steps == steps[row, column]
    assert grid.gap[row, column] == grid.gap[ties].min()


def test_nothing_to_show_is_an_empty_figure():
    assert sweep_figure(None).data == ()
