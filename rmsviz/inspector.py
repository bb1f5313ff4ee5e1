"""The step inspector: what one optimizer step did, coordinate by coordinate, from a recorded run.

Every number is read from the Trajectory (``record="all"``); the formulas only
arrange them, so a worked example cannot get the arithmetic wrong.
"""

from __future__ import annotations

from rmsviz.i18n import N_
from rmsviz.meaning import Step, tex
from rmsviz.optimizers import OptimizerSpec, spec_of
from rmsviz.trajectory import Trajectory

COORDINATES = ("x", "y")


def _check(trajectory: Trajectory, k: int) -> None:
    if trajectory.grads is None:
        raise ValueError("The step inspector needs a run recorded with record='all'")
    steps = len(trajectory.path) - 1
    if not 1 <= k <= steps:
        raise ValueError(f"Invalid step: {k} (must be in [1, {steps}])")


def stopped_before(trajectory: Trajectory, k: int) -> int | None:
    """The step the run diverged at, where step ``k`` is that step or a later one, else None: from there on the
    point stays where it was (engine: a diverged run is frozen), so step ``k`` moved nothing and its formula,
    with the recorded gradient and rate filled in, would write an update that never happened."""
    _check(trajectory, k)
    return int(trajectory.diverged_at) if trajectory.diverged and k >= trajectory.diverged_at else None


def step_rows(trajectory: Trajectory, k: int) -> list[dict]:
    """One row per coordinate for step k (1 ≤ k ≤ steps): gradient, state, rate, update, new point."""
    _check(trajectory, k)
    rows = []
    for i, name in enumerate(COORDINATES):
        # the headers are marked for the catalogs, translated where the table is shown (the state's are names)
        row = {
            N_("coordinate"): name,
            N_("x before"): trajectory.path[k - 1, i],
            N_("gradient g"): trajectory.grads[k, i],
        }
        row.update({state: values[k, i] for state, values in trajectory.state.items()})
        row[N_("effective rate")] = trajectory.effective_lr[k, i]
        row[N_("update")] = trajectory.path[k, i] - trajectory.path[k - 1, i]
        row[N_("x after")] = trajectory.path[k, i]
        rows.append(row)
    return rows


def step_formula(
    trajectory: Trajectory, k: int, coordinate: int, optimizer: str | OptimizerSpec | None = None
) -> list[str]:
    """LaTeX lines of the update rule at step k for one coordinate, with the recorded numbers filled in.

    ``optimizer`` (the run's spec; by default the built-in the run names) writes its step out
    (``meaning.write_step``: the built-ins' rules, a typed rule's assignments); where it does not (an
    unknown optimizer, a variant such as centered RMSProp) the lines are the move and the effective rate.
    """
    _check(trajectory, k)
    spec = spec_of(trajectory.optimizer if optimizer is None else optimizer)
    step = Step(
        k,
        COORDINATES[coordinate],
        trajectory.grads[k, coordinate],
        trajectory.path[k - 1, coordinate],
        trajectory.path[k, coordinate],
        trajectory.effective_lr[k, coordinate],
        {key: values[:, coordinate] for key, values in trajectory.state.items()},
        trajectory.hyperparameters if spec is None else spec.with_defaults(trajectory.hyperparameters),
    )
    written = None if spec is None or spec.meaning.write_step is None else spec.meaning.write_step(step)
    return written or [_moved(step)]


def _moved(step: Step) -> str:
    """The step of an optimizer not written out: where the point went, with the gradient and the rate."""
    x, k = step.coordinate, step.k
    moved = rf"{x}_{{{k - 1}}} = {tex(step.before)} \to {x}_{{{k}}} = {tex(step.after)}"
    return rf"{moved} \quad (g_{{{k}}} = {tex(step.g)},\ \text{{effective rate}} = {tex(step.rate)})"


def run_value(trajectory: Trajectory, step: int, quantity: str) -> float:
    """The run's value of ``quantity`` after ``step``: the point's "x" or "y", else a state's x entry."""
    if quantity in COORDINATES:
        return float(trajectory.path[step, COORDINATES.index(quantity)])
    return float(trajectory.state[quantity][step, 0])


def erratum_rows(runs: dict[str, Trajectory], errata) -> list[dict]:
    """Errata (``studies.presets.Erratum``) beside the run: the step, the quantity, what the source prints,
    what this run computes (six decimals, as the sources print them) and why they differ."""
    return [
        {
            N_("step"): e.step,
            N_("quantity"): e.quantity,
            N_("the source prints"): e.printed,
            N_("this run"): _six_decimals(run_value(runs[e.racer], e.step, e.quantity)),
            N_("why"): e.why,
        }
        for e in errata
        if e.racer in runs and e.step < len(runs[e.racer].path)
    ]


def _six_decimals(value: float) -> str:
    """``value`` to six decimals with a true minus; a value that rounds to zero is 0.000000, unsigned."""
    text = f"{value:.6f}"
    return "0.000000" if float(text) == 0 else text.replace("-", "−")
