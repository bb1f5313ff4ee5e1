"""A race's runs and code as files to take away: the numbers as CSV (and back, bit for bit), and a Jupyter
notebook that rebuilds the view. Not figures: they draw nothing, and need nothing of rmsviz but trajectories.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable

import nbformat
import numpy as np

from rmsviz.i18n import N_
from rmsviz.trajectory import Trajectory

FIRST_COLUMNS = ("racer", "optimizer", "surface", "diverged_at", "step", "x", "y", "loss", "grad_x", "grad_y",
                 "lr_x", "lr_y")  # fmt: skip


def race_csv(trajectories: list[Trajectory], labels: list[str]) -> str:
    """Every racer's run, one row per racer and step: the point, the loss, the gradient, the effective
    learning rate and each optimizer state array (``state name_x``, ``_y``; empty where a racer has no such
    state). Numbers are written in full (Python's repr), so ``read_race_csv`` gives back the same bits.
    Needs runs recorded with ``record="all"``."""
    trajectories = list(trajectories)
    for t, label in zip(trajectories, labels, strict=True):
        if t.grads is None or t.effective_lr is None:
            raise ValueError(f"{label}: the CSV holds gradients and state; run it with record='all'")
    state_names = list(dict.fromkeys(name for t in trajectories for name in t.state))
    columns = [*FIRST_COLUMNS, *(f"{name}_{axis}" for name in state_names for axis in "xy")]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for t, label in zip(trajectories, labels, strict=True):
        values = [t.path, t.loss[:, None], t.grads, t.effective_lr]
        values += [t.state[name] if name in t.state else np.full_like(t.path, np.nan) for name in state_names]
        numbers = np.concatenate(values, axis=1).tolist()  # Python floats: str() is the shortest exact repr
        missing = {i for i, name in enumerate(state_names) if name not in t.state}
        for step, row in enumerate(numbers):
            cells = [repr(v) for v in row]
            for i in missing:
                cells[7 + 2 * i] = cells[8 + 2 * i] = ""
            writer.writerow([label, t.optimizer, t.surface, int(t.diverged_at), step, *cells])
    return out.getvalue()


def read_race_csv(source: str | os.PathLike | io.TextIOBase) -> dict[str, Trajectory]:
    """A CSV written by ``race_csv`` (a path or an open text file) back into one Trajectory per racer,
    keyed by its label, with exactly the numbers it was written from."""
    if isinstance(source, str | os.PathLike):
        with open(source, newline="", encoding="utf-8") as file:
            return read_race_csv(file)
    reader = csv.reader(source)
    columns = next(reader)
    state_names = list(dict.fromkeys(c.rsplit("_", 1)[0] for c in columns[len(FIRST_COLUMNS) :]))
    rows: dict[str, list[list[str]]] = {}
    for row in reader:
        rows.setdefault(row[0], []).append(row)
    runs = {}
    for label, racer_rows in rows.items():
        _, optimizer, surface, diverged_at = racer_rows[0][:4]
        numbers = np.array([[float(c) if c else np.nan for c in row[5:]] for row in racer_rows])
        state = {
            name: numbers[:, 7 + 2 * i : 9 + 2 * i]
            for i, name in enumerate(state_names)
            if racer_rows[0][len(FIRST_COLUMNS) + 2 * i] != ""
        }
        runs[label] = Trajectory(
            optimizer=optimizer, surface=surface, path=numbers[:, 0:2], loss=numbers[:, 2],
            diverged=int(diverged_at) >= 0, diverged_at=int(diverged_at), grads=numbers[:, 3:5],
            effective_lr=numbers[:, 5:7], state=state,
        )  # fmt: skip
    return runs


def race_notebook(setup_code: str, heading: str, gettext: Callable[[str], str] = N_) -> str:
    """A Jupyter notebook (nbformat 4) that rebuilds a race view with rmsviz and saves its exports; its words in
    the language of ``gettext`` (rmsviz.i18n's, English by default), its code as it is.

    ``setup_code`` defines ``surface``, ``runs`` and ``styles`` (the race page's "Show code" lines).
    """
    introduction = gettext(
        "This notebook rebuilds the race view of **rmsviz** with its Python API. It needs rmsviz installed "
        "(`pip install -e .` in the rmsviz repository), then runs top to bottom."
    )
    cells = [
        nbformat.v4.new_markdown_cell(f"# {heading}\n\n{introduction}"),
        nbformat.v4.new_code_cell(setup_code),
        nbformat.v4.new_markdown_cell(
            gettext("The race: press ▶ Play. Every path is drawn once; the frames move the points.")
        ),
        nbformat.v4.new_code_cell("race = figures.race_figure(surface, runs, styles)\nrace"),
        nbformat.v4.new_code_cell("figures.loss_figure(surface, runs, styles)"),
        nbformat.v4.new_code_cell(
            'for style, run in zip(styles, runs):\n    print(f"{style.label:14} final loss {run.loss[-1]:.6g}'
            '  point ({run.path[-1, 0]:.6f}, {run.path[-1, 1]:.6f})")'
        ),
        nbformat.v4.new_markdown_cell(
            "## {heading}\n\n{text}".format(
                heading=gettext("For slides and course pages"),
                text=gettext("An animated GIF, and a page that plays offline."),
            )
        ),
        nbformat.v4.new_code_cell(
            "from pathlib import Path\n\n"
            'Path("race.gif").write_bytes(figures.race_gif(surface, runs, styles))\n'
            'Path("race.html").write_text(figures.race_html(surface, runs, styles), encoding="utf-8")\n'
            'print("wrote race.gif and race.html")'
        ),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.validate(notebook)
    return nbformat.writes(notebook)
