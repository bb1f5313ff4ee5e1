"""Numbers the app reports about runs: gaps, distances, steps to a tolerance. Arrays in, arrays out."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rmsviz.i18n import N_
from rmsviz.surfaces import Surface
from rmsviz.trajectory import Trajectory

# The race table's columns: templates marked for the catalogs, translated where the table is shown.
SUMMARY_HEADERS = (
    N_("optimizer"),
    N_("final loss"),
    N_("steps to gap ≤ {tolerance}"),
    N_("final distance to minimum"),
    N_("diverged at step"),
)


def best_known_value(surface: Surface) -> float | None:
    """The lowest value at the surface's listed minima, or None when it lists none (a saddle)."""
    if not surface.minima:
        return None
    return float(np.min(surface.f(np.asarray(surface.minima, dtype=np.float64))))


def distance_to_nearest_minimum(path: np.ndarray, surface: Surface) -> np.ndarray | None:
    """‖x − x*‖ to the closest listed minimum, per step (and run); None without minima."""
    if not surface.minima:
        return None
    minima = np.asarray(surface.minima, dtype=np.float64)
    return np.linalg.norm(path[..., None, :] - minima, axis=-1).min(axis=-1)


def steps_to_tolerance(values: np.ndarray, tolerance: float) -> int | None:
    """The first step at which ``values`` (per step) falls to ``tolerance`` or below; None if never."""
    below = np.flatnonzero(values <= tolerance)
    return int(below[0]) if below.size else None


def summary_row(label: str, trajectory: Trajectory, surface: Surface, tolerance: float) -> dict:
    """One line of the race table for a single run."""
    best = best_known_value(surface)
    gap = trajectory.loss - best if best is not None else None
    values = (
        label,
        float(trajectory.loss[-1]),
        None if gap is None else steps_to_tolerance(gap, tolerance),
        None if best is None else float(distance_to_nearest_minimum(trajectory.path[-1], surface)),
        trajectory.diverged_at if trajectory.diverged else None,
    )
    return dict(zip(summary_headers(tolerance), values, strict=True))


def summary_headers(tolerance: float, gettext: Callable[[str], str] = str) -> list[str]:
    """The race table's headers, in the language of ``gettext`` (the templates as they are by default)."""
    return [gettext(header).format(tolerance=f"{tolerance:g}") for header in SUMMARY_HEADERS]
