"""What a run records: the Trajectory it returns, and the preallocated arrays its chunks of runs write into."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from rmsviz.backend import Backend


class DivergedBy(IntEnum):
    """What a diverged run met first at the step it diverged, checked in this order: its POINT overflowed past
    1e12 or turned non-finite, its LOSS turned non-finite (the surface has no value there: log(x) at x < 0),
    or its optimizer STATE did (a typed rule's s = log(-1)). NOTHING for a run that has not diverged."""

    NOTHING = 0
    POINT = 1
    LOSS = 2
    STATE = 3


@dataclass
class Trajectory:
    """What a run recorded. Index k of every per-step array belongs to step k; 0 is the start.

    path: (steps+1, 2), or (steps+1, B, 2) for a batch; (2, B, 2) with record="final".
    loss: (steps+1,) or (steps+1, B).
    diverged, diverged_at: per run; diverged_at is the step whose point, loss
        or state was non-finite or whose point overflowed past 1e12 (the run
        stays frozen at the point before it; 0 where the start's loss or
        state already was), or -1.
    diverged_by: per run, which of those it was (a DivergedBy; for a batch,
        an int8 array of DivergedBy values).
    With record="all" also grads (the gradient each step used, NaN at 0),
    state (each optimizer state array by name) and effective_lr (the
    per-coordinate rate each step applied, NaN at 0).
    reached_at: with run(target=...), the first step whose loss was at or below the target, or -1.
    """

    optimizer: str
    surface: str
    path: np.ndarray
    loss: np.ndarray
    diverged: bool | np.ndarray
    diverged_at: int | np.ndarray
    hyperparameters: dict = field(default_factory=dict)  # the optimizer's, and its options, by name: nothing else
    schedule: object = None  # the η schedule it ran with (an rmsviz.schedules.Schedule), or None
    grads: np.ndarray | None = None
    state: dict[str, np.ndarray] = field(default_factory=dict)
    effective_lr: np.ndarray | None = None
    reached_at: int | np.ndarray | None = None
    diverged_by: DivergedBy | np.ndarray = DivergedBy.NOTHING


def state_arrays(state) -> dict:
    return {k: v for k, v in state._asdict().items() if v is not None and not isinstance(v, int)}


class Recorder:
    """Preallocated outputs for all runs, optimizer state included; each chunk writes its own slice."""

    def __init__(self, backend: Backend, record: str, kept: int, runs: int, state_names: tuple[str, ...]):
        self.backend, self.record = backend, record
        self.path = backend.empty((kept, runs, 2))
        self.loss = backend.empty((kept, runs))
        self.diverged_at = np.full(runs, -1, dtype=np.int64)
        self.diverged_by = np.zeros(runs, dtype=np.int8)  # DivergedBy values
        self.reached_at = np.full(runs, -1, dtype=np.int64)
        self.grads = self.effective_lr = None
        self.state = {name: backend.empty((kept, runs, 2)) for name in state_names}
        if record == "all":
            self.grads = backend.empty((kept, runs, 2))
            self.effective_lr = backend.empty((kept, runs, 2))
            self.grads[0] = self.effective_lr[0] = float("nan")

    def view(self, lo: int, hi: int) -> ChunkWriter:
        return ChunkWriter(self, lo, hi)

    def trajectory(self, optimizer: str, surface: str, hyperparameters: dict, single: bool) -> Trajectory:
        to_numpy = self.backend.to_numpy
        pick = (lambda a: a[:, 0]) if single else (lambda a: a)
        diverged_at = self.diverged_at[0] if single else self.diverged_at
        return Trajectory(
            optimizer=optimizer,
            surface=surface,
            path=pick(to_numpy(self.path)),
            loss=pick(to_numpy(self.loss)),
            diverged=bool(diverged_at >= 0) if single else diverged_at >= 0,
            diverged_at=int(diverged_at) if single else diverged_at,
            hyperparameters=hyperparameters,
            grads=None if self.grads is None else pick(to_numpy(self.grads)),
            state={k: pick(to_numpy(v)) for k, v in self.state.items()},
            effective_lr=None if self.effective_lr is None else pick(to_numpy(self.effective_lr)),
            diverged_by=DivergedBy(self.diverged_by[0]) if single else self.diverged_by,
        )


class ChunkWriter:
    """The slice of a Recorder that one chunk of runs writes."""

    def __init__(self, recorder: Recorder, lo: int, hi: int):
        self.recorder, self.runs = recorder, slice(lo, hi)
        self.backend = recorder.backend
        self.every_step = recorder.record != "final"

    def write(self, index, x, loss, state, g, effective_lr) -> None:
        r = self.recorder
        r.path[index, self.runs] = x
        r.loss[index, self.runs] = loss
        if r.record != "all":
            return
        for name, value in state_arrays(state).items():
            r.state[name][index, self.runs] = value
        if g is not None:
            r.grads[index, self.runs] = g
            r.effective_lr[index, self.runs] = effective_lr(state)

    def diverge(self, causes, t: int) -> None:
        """Mark diverged at step ``t`` the runs whose ``causes`` (a DivergedBy value per run, on the backend)
        are not NOTHING: one read-back from the device."""
        causes = self.backend.to_numpy(causes)
        newly = causes != DivergedBy.NOTHING
        self.recorder.diverged_at[self.runs][newly] = t
        self.recorder.diverged_by[self.runs][newly] = causes[newly]

    def mark(self, newly, t, steps: np.ndarray) -> None:
        """Write step ``t`` into ``steps`` (reached_at) for the runs where ``newly`` holds."""
        steps[self.runs][self.backend.to_numpy(newly)] = t
