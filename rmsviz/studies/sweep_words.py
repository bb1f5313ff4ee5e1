"""A sweep's heatmap in words, for those who cannot see it: the best cell and its value, and how many cells
diverged or never reached the tolerance. Every number is taken from the sweep's result; each sentence is one
whole template with named placeholders."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rmsviz.i18n import N_
from rmsviz.studies.race_words import number
from rmsviz.studies.sweep import OUTCOMES, Outcome, SweepResult

BEST = N_("The best cell is {x_label} = {x}, {y_label} = {y}: its {outcome} is {value}.")
NO_BEST = N_("No cell has a {outcome}.")
DIVERGED = N_("{cells} of {total} cells diverged (at least half their starts).")
NEVER = N_("{cells} of {total} cells never reached f − f* ≤ {tolerance}.")
FINAL_LOSS = N_("final loss")  # the gap's name where the surface lists no minimum: the values are the final f


def sweep_story(result: SweepResult, outcome: Outcome, gettext: Callable[[str], str] = N_) -> tuple[str, ...]:
    """The best cell of ``outcome`` with its value, then the cells that diverged and those that never got
    within the tolerance (each only where there are some), in the language of ``gettext`` (English by default)."""
    named = FINAL_LOSS if outcome.name == "gap" and result.best_value is None else OUTCOMES[outcome.name]
    name = gettext(named)
    total = result.gap.size
    if outcome.best is None:
        sentences = [gettext(NO_BEST).format(outcome=name)]
    else:
        row, column = outcome.best
        (x_label, y_label), value = result.labels, outcome.values[row, column]
        sentences = [
            gettext(BEST).format(
                x_label=x_label, x=number(result.x_values[column]), y_label=y_label, y=number(result.y_values[row]),
                outcome=name, value=f"{value:.0%}" if outcome.name == "diverged" else number(value),
            )
        ]  # fmt: skip
    diverged = int(np.count_nonzero(result.diverged))
    if diverged:
        sentences.append(gettext(DIVERGED).format(cells=diverged, total=total))
    if result.steps_to_tolerance is not None:
        never = int(np.count_nonzero(np.isnan(result.steps_to_tolerance) & ~result.diverged))
        if never:
            sentences.append(gettext(NEVER).format(cells=never, total=total, tolerance=f"{result.tolerance:g}"))
    return tuple(sentences)
