"""The step inspector: what one optimizer step did, coordinate by coordinate, from a recorded run.

Every number is read from the Trajectory (``record="all"``); the formulas only
arrange them, so a worked example cannot get the arithmetic wrong.
"""

from __future__ import annotations

from rmsviz.engine import Trajectory

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


def _n(value: float) -> str:
    return f"{value:.6g}"


def _root(s: float, h: dict) -> str:
    """The denominator as the run computed it: √(s + ε), or √s + ε in torch.optim's form."""
    if h.get("eps_in_sqrt", True):
        return rf"\sqrt{{{_n(s)} + {_n(h['eps'])}}}"
    return rf"\left(\sqrt{{{_n(s)}}} + {_n(h['eps'])}\right)"


def step_formula(trajectory: Trajectory, k: int, coordinate: int) -> list[str]:
    """LaTeX lines of the update rule at step k for one coordinate, with the recorded numbers filled in.

    RMSProp and Adagrad (without centering, momentum or decay), momentum, SGD and Rprop get
    their rule written out; the other variants get the move and the effective rate.
    """
    h, name = trajectory.hyperparameters, trajectory.optimizer
    g = _n(trajectory.grads[k, coordinate])
    before, after = _n(trajectory.path[k - 1, coordinate]), _n(trajectory.path[k, coordinate])
    state = {key: values[:, coordinate] for key, values in trajectory.state.items()}
    move = rf"x_{{{k}}} = x_{{{k - 1}}} - "
    plain_rmsprop = name == "rmsprop" and not h.get("centered") and not h.get("momentum")
    if plain_rmsprop or (name == "adagrad" and not h.get("lr_decay")):
        s_prev, s = _n(state["s"][k - 1]), state["s"][k]
        average = (
            rf"s_{{{k}}} = \gamma s_{{{k - 1}}} + (1-\gamma) g_{{{k}}}^2 = {_n(h['gamma'])} \cdot {s_prev}"
            rf" + {_n(1 - h['gamma'])} \cdot ({g})^2 = {_n(s)}"
            if name == "rmsprop"
            else rf"s_{{{k}}} = s_{{{k - 1}}} + g_{{{k}}}^2 = {s_prev} + ({g})^2 = {_n(s)}"
        )
        root = _root(s, h)
        step = rf"{move}\frac{{\eta\, g_{{{k}}}}}{{{root}}} = {before} - \frac{{{_n(h['lr'])} \cdot ({g})}}{{{root}}}"
        return [average, rf"{step} = {after}"]
    if name == "momentum" and not h.get("nesterov"):
        v = _n(state["v"][k])
        velocity = rf"v_{{1}} = g_{{1}} = {v}"
        if k > 1:
            velocity = (
                rf"v_{{{k}}} = \beta v_{{{k - 1}}} + (1-\tau) g_{{{k}}} = "
                rf"{_n(h['beta'])} \cdot ({_n(state['v'][k - 1])}) + {_n(1 - h['dampening'])} \cdot ({g}) = {v}"
            )
        return [velocity, rf"{move}\eta v_{{{k}}} = {before} - {_n(h['lr'])} \cdot ({v}) = {after}"]
    if name == "sgd":
        return [rf"{move}\eta g_{{{k}}} = {before} - {_n(h['lr'])} \cdot ({g}) = {after}"]
    if name == "rprop":
        step = _n(state["step_size"][k])
        rule = rf"{move}\operatorname{{sign}}(g_{{{k}}})\,\Delta_{{{k}}}"
        return [rf"{rule} \quad (g_{{{k}}} = {g},\ \Delta_{{{k}}} = {step}): \quad {before} \to {after}"]
    rate = _n(trajectory.effective_lr[k, coordinate])
    return [
        rf"x_{{{k - 1}}} = {before} \to x_{{{k}}} = {after} \quad (g_{{{k}}} = {g},\ \text{{effective rate}} = {rate})"
    ]
