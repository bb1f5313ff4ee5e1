"""The race in words, for those who cannot see its charts: who reached what loss at which step, who diverged
and when, and who is ahead at each step an animation shows. Every number is taken from the runs.

Each sentence is one whole template with named placeholders (the message catalogs translate templates, never
pieces glued together); numbers are written with ``number`` before they are put in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from rmsviz.i18n import N_
from rmsviz.trajectory import Trajectory

# Marked for the catalogs; each function writes them in the language of its ``gettext`` (English by default).
REACHED = N_("{racer} reached loss {loss} at step {step}, its last.")
DIVERGED = N_("{racer} diverged at step {step}; its loss was {loss} at step {before}, the step before.")
DIVERGED_AT_START = N_("{racer} diverged at its first step.")
AHEAD = N_("Step {step} of {last}: {leader} is ahead, at loss {loss}.")
AHEAD_TIED = N_("Step {step} of {last}: {racers} are level, at loss {loss}.")
ALL_DIVERGED = N_("Step {step} of {last}: every racer has diverged.")
RACE_ALT = N_("The paths of {racers} on {surface}, {steps} steps from ({x}, {y}).")


def number(value: float) -> str:
    """A loss or a coordinate as the words write it: three significant digits."""
    return f"{value:.3g}"


def still_running(t: Trajectory, step: int) -> bool:
    """Whether ``t`` had not yet diverged at ``step`` (a diverged run stays frozen, so its later losses are
    not its own)."""
    return not t.diverged or step < t.diverged_at


def ending(label: str, t: Trajectory, gettext: Callable[[str], str] = N_) -> str:
    """Where one racer ended: its last loss and step, or the step where it diverged."""
    if not t.diverged:
        last = len(t.loss) - 1
        return gettext(REACHED).format(racer=label, loss=number(t.loss[last]), step=last)
    if t.diverged_at <= 1:
        return gettext(DIVERGED_AT_START).format(racer=label)
    before = t.diverged_at - 1
    return gettext(DIVERGED).format(racer=label, step=t.diverged_at, loss=number(t.loss[before]), before=before)


def ahead(
    labels: Sequence[str], trajectories: Sequence[Trajectory], step: int, gettext: Callable[[str], str] = N_
) -> str:
    """Who is ahead at ``step`` (the lowest loss among those still running); those level with the leader to
    the three digits the words show are named with it."""
    last = len(trajectories[0].loss) - 1
    running = [(float(t.loss[step]), label) for label, t in zip(labels, trajectories, strict=True)
               if still_running(t, step)]  # fmt: skip
    if not running:
        return gettext(ALL_DIVERGED).format(step=step, last=last)
    low = min(loss for loss, _ in running)
    level = [label for loss, label in running if number(loss) == number(low)]
    if len(level) == 1:
        return gettext(AHEAD).format(step=step, last=last, leader=level[0], loss=number(low))
    return gettext(AHEAD_TIED).format(step=step, last=last, racers=", ".join(level), loss=number(low))


def race_story(
    labels: Sequence[str], trajectories: Sequence[Trajectory], gettext: Callable[[str], str] = N_
) -> tuple[str, ...]:
    """The race told in sentences: who is ahead at the last step, then how each racer ended."""
    if not trajectories:
        return ()
    last = len(trajectories[0].loss) - 1
    endings = (ending(label, t, gettext) for label, t in zip(labels, trajectories, strict=True))
    return (ahead(labels, trajectories, last, gettext), *endings)


def steps_in_words(
    labels: Sequence[str], trajectories: Sequence[Trajectory], steps: np.ndarray, gettext: Callable[[str], str] = N_
) -> tuple[str, ...]:
    """``ahead`` at each of ``steps`` (the steps an animation shows), in their order."""
    return tuple(ahead(labels, trajectories, int(step), gettext) for step in steps)


def race_alt(
    surface: str, labels: Sequence[str], start: tuple[float, float], steps: int, gettext: Callable[[str], str] = N_
) -> str:
    """The race chart's short description (its accessible name)."""
    return gettext(RACE_ALT).format(
        surface=surface, racers=", ".join(labels), steps=steps, x=number(start[0]), y=number(start[1])
    )
