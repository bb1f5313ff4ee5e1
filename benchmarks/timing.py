"""The timing helpers the benchmarks share (each runs as a script, so this folder is on sys.path)."""

from __future__ import annotations

import time
from collections.abc import Callable


def fastest_and_result(work: Callable[[], object], repeats: int = 3) -> tuple[float, object]:
    """The fastest of ``repeats`` timings of ``work()`` in seconds (the run least disturbed by the rest of
    the machine), and what the last call returned."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def fastest(work: Callable[[], object], repeats: int = 3) -> float:
    return fastest_and_result(work, repeats)[0]
