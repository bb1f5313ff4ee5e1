"""The step inspector: what one optimizer step did, coordinate by coordinate, from a recorded run.

Every number is read from the Trajectory (``record="all"``); the formulas only
arrange them, so a worked example cannot get the arithmetic wrong.
"""

from __future__ import annotations

from rmsviz.trajectory import Trajectory

COORDINATES = ("x", "y")


def step_rows(trajectory: Trajectory, k: int) -> list[dict]:
    """One row per coordinate for step k (1 ≤ k ≤ steps): gradient, state, rate, update, new point."""
    if trajectory.grads is None:
        raise ValueError("The step inspector needs a run recorded with record='all'")
    steps = len(trajectory.path) - 1
    if not 1 <= k <= steps:
        raise ValueError(f"Invalid step: {k} (must be in [1, {steps}])")
    rows = []
    for i, name in enumerate(COORDINATES):
        row = {"coordinate": name, "x before": trajectory.path[k - 1, i], "gradient g": trajectory.grads[k, i]}
        row.update({state: values[k, i] for state, values in trajectory.state.items()})
        row["effective rate"] = trajectory.effective_lr[k, i]
        row["update"] = trajectory.path[k, i] - trajectory.path[k - 1, i]
        row["x after"] = trajectory.path[k, i]
        rows.append(row)
    return rows


def tex(value: float) -> str:
    """A number for LaTeX, to 6 significant digits: 1e-06 becomes 10^{-6}, 2.5e-11 becomes 2.5 × 10^{-11}."""
    text = f"{value:.6g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    power = f"10^{{{int(exponent)}}}"
    if mantissa in ("1", "-1"):
        return mantissa[:-1] + power
    return rf"{mantissa} \times {power}"


def _root(s: float, h: dict) -> str:
    """The denominator as the run computed it: √(s + ε), or √s + ε in torch.optim's form."""
    if h.get("eps_in_sqrt", True):
        return rf"\sqrt{{{tex(s)} + {tex(h['eps'])}}}"
    return rf"\left(\sqrt{{{tex(s)}}} + {tex(h['eps'])}\right)"


def step_formula(trajectory: Trajectory, k: int, coordinate: int) -> list[str]:
    """LaTeX lines of the update rule at step k for one coordinate, with the recorded numbers filled in.

    RMSProp and Adagrad (without centering, momentum or decay), momentum, SGD and Rprop get
    their rule written out; the other variants get the move and the effective rate.
    """
    h, name = trajectory.hyperparameters, trajectory.optimizer
    g = tex(trajectory.grads[k, coordinate])
    before, after = tex(trajectory.path[k - 1, coordinate]), tex(trajectory.path[k, coordinate])
    state = {key: values[:, coordinate] for key, values in trajectory.state.items()}
    x = COORDINATES[coordinate]
    move = rf"{x}_{{{k}}} = {x}_{{{k - 1}}} - "
    plain_rmsprop = name == "rmsprop" and not h.get("centered") and not h.get("momentum")
    if plain_rmsprop or (name == "adagrad" and not h.get("lr_decay")):
        s_prev, s = tex(state["s"][k - 1]), state["s"][k]
        average = (
            rf"s_{{{k}}} = \gamma s_{{{k - 1}}} + (1-\gamma) g_{{{k}}}^2 = {tex(h['gamma'])} \cdot {s_prev}"
            rf" + {tex(1 - h['gamma'])} \cdot ({g})^2 = {tex(s)}"
            if name == "rmsprop"
            else rf"s_{{{k}}} = s_{{{k - 1}}} + g_{{{k}}}^2 = {s_prev} + ({g})^2 = {tex(s)}"
        )
        root = _root(s, h)
        step = rf"{move}\frac{{\eta\, g_{{{k}}}}}{{{root}}} = {before} - \frac{{{tex(h['lr'])} \cdot ({g})}}{{{root}}}"
        return [average, rf"{step} = {after}"]
    if name == "momentum" and not h.get("nesterov"):
        v = tex(state["v"][k])
        velocity = rf"v_{{1}} = g_{{1}} = {v}"
        if k > 1:
            velocity = (
                rf"v_{{{k}}} = \beta v_{{{k - 1}}} + (1-\tau) g_{{{k}}} = "
                rf"{tex(h['beta'])} \cdot ({tex(state['v'][k - 1])}) + {tex(1 - h['dampening'])} \cdot ({g}) = {v}"
            )
        return [velocity, rf"{move}\eta v_{{{k}}} = {before} - {tex(h['lr'])} \cdot ({v}) = {after}"]
    if name == "sgd":
        return [rf"{move}\eta g_{{{k}}} = {before} - {tex(h['lr'])} \cdot ({g}) = {after}"]
    if name == "rprop":
        step = tex(state["step_size"][k])
        rule = rf"{move}\operatorname{{sign}}(g_{{{k}}})\,\Delta_{{{k}}}"
        return [rf"{rule} \quad (g_{{{k}}} = {g},\ \Delta_{{{k}}} = {step}): \quad {before} \to {after}"]
    rate = tex(trajectory.effective_lr[k, coordinate])
    moved = rf"{x}_{{{k - 1}}} = {before} \to {x}_{{{k}}} = {after}"
    return [rf"{moved} \quad (g_{{{k}}} = {g},\ \text{{effective rate}} = {rate})"]


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
            "step": e.step,
            "quantity": e.quantity,
            "the source prints": e.printed,
            "this run": _six_decimals(run_value(runs[e.racer], e.step, e.quantity)),
            "why": e.why,
        }
        for e in errata
        if e.racer in runs and e.step < len(runs[e.racer].path)
    ]


def _six_decimals(value: float) -> str:
    """``value`` to six decimals with a true minus; a value that rounds to zero is 0.000000, unsigned."""
    text = f"{value:.6f}"
    return "0.000000" if float(text) == 0 else text.replace("-", "−")
