"""The race itself: every racer run once per ``RaceConfig`` for every session (``RaceView``, each chart
built once, on demand), the summary table, the divergence messages and the code that rebuilds the view. The
step inspector is ui.scrub_follow's: it follows a scrubbed setting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import plotly.graph_objects as go
import streamlit as st

from rmsviz import engine, figures, metrics, stability
from rmsviz.figures.stability import stability_figure
from rmsviz.i18n import translator
from rmsviz.optimizers import OPTIMIZERS, OptimizerSpec
from rmsviz.surfaces import Surface
from rmsviz.trajectory import DivergedBy, Trajectory
from rmsviz.ui import language
from rmsviz.ui.race_controls import RaceConfig, Racer, race_surface
from rmsviz.ui.race_schedule import build as build_schedule
from rmsviz.ui.race_schedule import code as schedule_code
from rmsviz.ui.race_settings import CUSTOM
from rmsviz.ui.rules import RULE, TITLE
from rmsviz.ui.widgets import readable

TOLERANCE = 1e-4


# How each chart of the race page is drawn from a RaceView, its words in the language of a gettext; built on
# first use by ``RaceView.chart``.
CHART_BUILDERS = {
    "race": lambda v, g: figures.race_figure(v.surface, v.trajectories, v.styles, click_grid=40, gettext=g),
    "panels": lambda v, g: figures.race_figure(v.surface, v.trajectories, v.styles, panels=True, gettext=g),
    "3d": lambda v, g: figures.surface_3d_figure(v.surface, v.trajectories, v.styles),  # x, y, f: no words
    "loss": lambda v, g: figures.loss_figure(v.surface, v.trajectories, v.styles, g),
    "distance": lambda v, g: figures.distance_figure(v.surface, v.trajectories, v.styles, g),
    "rate": lambda v, g: figures.effective_lr_figure(
        v.trajectories, v.styles, list(map(stability.rate_limits, v.trajectories)), g
    ),
    "stability": lambda v, g: stability_figure(list(v.stabilities), v.styles, g),
}


# A RaceConfig keys the race's caches by its repr: strings, numbers and tuples of them, each written out
# exactly (a float's repr reads back as the same float), so equal configs have one key and different ones
# two. Streamlit's own hashing of a dataclass (dataclasses.asdict, then every field) costs about ten times
# as much, on every rerun.
BY_REPR = {RaceConfig: repr}


@dataclass(frozen=True)
class RaceView:
    """The runs of one ``RaceConfig`` and what every rerun shows of them, shared by every session that asks for
    the same config and never changed once built; a chart, drawn only when picked, is cached on its own."""

    config: RaceConfig
    surface: Surface
    trajectories: tuple[Trajectory, ...]
    styles: tuple[figures.Style, ...]
    table: tuple[dict, ...]  # its headers are the templates: ``said`` writes them in a language
    stabilities: tuple[stability.Stability | None, ...]
    specs: tuple[OptimizerSpec, ...]  # what each racer ran: the step inspector writes its step out

    @property
    def racers(self) -> tuple[Racer, ...]:
        return self.config.racers

    def chart(self, name: str, lang: str | None = None) -> go.Figure:
        """The named chart in ``lang`` (the session's language by default), built the first time any session asks
        for it in that language: the runs are the view's, whatever the language."""
        return _chart(self.config, name, lang or language.current(), self)


class Said(NamedTuple):
    """What the page writes of a view in one language, from its runs: the table, one message per diverged racer
    (who, when and the likely cause) and the stability panel's notes (why a racer bounced or diverged)."""

    table: list[dict]
    divergence_messages: tuple[str, ...]
    stability_notes: tuple[str, ...]


def said(view: RaceView) -> Said:
    """The view's words in the session's language: once per view and language for every session (a language
    change writes them again, and recomputes no run)."""
    return _said(view.config, language.current(), view)


@st.cache_resource(max_entries=256, show_spinner=False, hash_funcs=BY_REPR)
def _said(config: RaceConfig, lang: str, _view: RaceView) -> Said:
    gettext = translator(lang).gettext
    table = written_table(_view.table, gettext)
    messages = tuple(
        _divergence_message(racer, t, result, gettext)
        for racer, t, result in zip(config.racers, _view.trajectories, _view.stabilities, strict=True)
        if t.diverged
    )
    labels = [r.label for r in config.racers]
    notes = tuple(stability.notes(list(_view.trajectories), labels, _view.surface, gettext))
    return Said(table, messages, notes)


@st.cache_resource(max_entries=256, show_spinner=False, hash_funcs=BY_REPR)
def _chart(config: RaceConfig, name: str, lang: str, _view: RaceView) -> go.Figure:
    """Chart ``name`` of ``_view``, the view of ``config`` (not part of the key), in ``lang``: once per config,
    chart and language for every session, under the cache's per-key lock."""
    return CHART_BUILDERS[name](_view, translator(lang).gettext)


def _styles(racers: tuple[Racer, ...]) -> list[figures.Style]:
    return [figures.style(r.optimizer, r.label, _occurrence(r)) for r in racers]


def _occurrence(racer: Racer) -> int:
    """1 for an optimizer's second copy (its own dash), 0 for the first."""
    return int(racer.key != racer.optimizer)


@st.cache_resource(max_entries=128, show_spinner=False, hash_funcs=BY_REPR)
def race_view(config: RaceConfig) -> RaceView:
    """Run every racer once for every session that asks for the same view; charts come on demand. Shows no
    spinner: the page wraps it in one with the session's words ("Racing…")."""
    surface = race_surface(config.surface, config.surface_values, config.formula).covering(config.start)
    specs = tuple(config.rule.spec() if r.key == RULE else OPTIMIZERS[r.optimizer] for r in config.racers)
    trajectories = [
        run_racer(config, surface, spec, r, dict(r.settings)) for r, spec in zip(config.racers, specs, strict=True)
    ]
    table = tuple(table_row(r, t, surface) for r, t in zip(config.racers, trajectories, strict=True))
    stabilities = tuple(stability.stability(t, surface) for t in trajectories)
    return RaceView(config, surface, tuple(trajectories), tuple(_styles(config.racers)), table, stabilities, specs)


def table_row(racer: Racer, trajectory: Trajectory, surface: Surface) -> dict:
    """``racer``'s row of the race table from its run, its headers the templates (``written_table`` writes them)."""
    return {
        key: readable(value) for key, value in metrics.summary_row(racer.label, trajectory, surface, TOLERANCE).items()
    }


def written_table(rows, gettext) -> list[dict]:
    """The race table's ``rows`` (``table_row``'s) with their headers in the language of ``gettext``."""
    headers = metrics.summary_headers(TOLERANCE, gettext)
    return [dict(zip(headers, row.values(), strict=True)) for row in rows]


def run_racer(
    config: RaceConfig, surface: Surface, spec: OptimizerSpec, racer: Racer, settings: dict, record: str = "all"
) -> Trajectory:
    """``racer``'s run in the race of ``config`` on ``surface`` with ``settings`` (its own, or a batch of them:
    any setting an array of shape (B,)); the race's runs and a scrub's (ui.race_scrub) are made here alike."""
    return engine.run(
        spec, surface, start=config.start, steps=config.steps, noise=config.noise, seed=config.seed,
        backend=config.backend, device=config.device, record=record, schedule=build_schedule(racer.schedule),
        hyperparameters=settings,
    )  # fmt: skip


def _divergence_message(
    racer: Racer, t: Trajectory, result: stability.Stability | None, gettext: stability.Gettext
) -> str:
    settings = dict(racer.settings)
    past = None if result is None else stability.crossing(result.sharpness, float(result.threshold), 1)
    if t.diverged_by in (DivergedBy.LOSS, DivergedBy.STATE):
        cause = _non_finite_words(t, gettext)
    elif still := stability.still_average(racer.optimizer, settings, gettext):
        cause = still
    elif past is not None:
        cause = gettext(
            "from step {step} its preconditioned sharpness λ_max(P·H) ({sharpness} there) was past its threshold "
            "{threshold}, so each step overshot by more than it corrected (the Stability panel has the numbers)"
        ).format(step=past, sharpness=f"{result.sharpness[past]:.3g}", threshold=stability.threshold_words(result))
    elif "lr" in settings:
        cause = gettext("the steps grew without bound (η = {lr}); try a smaller η").format(lr=f"{settings['lr']:g}")
    else:
        cause = gettext("the steps grew without bound; try a smaller η")
    message = gettext("**{label} diverged at step {step}**: {cause}. Its path stops there.")
    return message.format(label=racer.label, step=t.diverged_at, cause=cause)


def _non_finite_words(t: Trajectory, gettext: stability.Gettext) -> str:
    """Why a run whose loss or state turned non-finite (a DivergedBy LOSS or STATE) stopped, from its numbers."""
    k = t.diverged_at
    x, y = t.path[max(k - 1, 0)]  # where it stands: its start, or the point step k started from
    numbers = {"x": f"{x:.3g}", "y": f"{y:.3g}"}
    loss = t.diverged_by == DivergedBy.LOSS
    if k == 0 and loss:
        sentence = gettext("the loss is not a finite number at its start: f({x}, {y}) = {loss}; start elsewhere")
        return sentence.format(**numbers, loss=f"{t.loss[0]:g}")
    if k == 0:
        sentence = gettext(
            "its optimizer state turned non-finite (NaN or ±inf) at its start, with the point still finite: the "
            "arithmetic broke down there (a log or a root of a negative number, a division by zero, or a number past "
            "1.8e308)"
        )
    elif loss:
        sentence = gettext(
            "the loss turned non-finite (NaN or ±inf) in the step from ({x}, {y}), with the point still finite: the "
            "arithmetic broke down there (a log or a root of a negative number, a division by zero, or a number past "
            "1.8e308)"
        )
    else:
        sentence = gettext(
            "its optimizer state turned non-finite (NaN or ±inf) in the step from ({x}, {y}), with the point still "
            "finite: the arithmetic broke down there (a log or a root of a negative number, a division by zero, or a "
            "number past 1.8e308)"
        )
    return sentence.format(**numbers)


def code_for(config: RaceConfig, draw: bool = True) -> str:
    """The few lines of public API that reproduce the current view in a notebook; without ``draw``, the runs
    only (the notebook download draws them in a cell of its own)."""
    surface = f'rmsviz.SURFACES["{config.surface}"]'
    if config.surface == CUSTOM:
        surface = f"rmsviz.Surface.from_expression({config.formula!r})"
    if config.surface_values:
        surface += f".with_params({', '.join(f'{k}={v:g}' for k, v in config.surface_values)})"
    lines = ["import rmsviz", "from rmsviz import figures", "", f"surface = {surface}"]
    lines.append("runs, styles = [], []")
    extra = (f", noise={config.noise:g}, seed={config.seed}" if config.noise else "") + (
        f', backend="{config.backend}"' if config.backend != "numpy" else ""
    )
    if config.rule:
        lines.append(f"rule = rmsviz.parse_rule({config.rule.update!r}, {config.rule.state!r})")
    for racer in config.racers:
        settings = ", ".join(f"{k}={v!r}" for k, v in racer.settings)
        if racer.key == RULE:  # a rule's names are its own, whatever they are (steps, target, …): never run()'s
            settings = f"hyperparameters={dict(racer.settings)!r}"
        start = f"({config.start[0]:g}, {config.start[1]:g})"
        optimizer = f'rule.spec("{RULE}", "{TITLE}")' if racer.key == RULE else f'"{racer.optimizer}"'
        lines.append(
            f"runs.append(rmsviz.run({optimizer}, surface, start={start}, steps={config.steps}, "
            f"{settings}{schedule_code(racer.schedule)}{extra}))"
        )
        lines.append(f'styles.append(figures.style("{racer.optimizer}", "{racer.label}", {_occurrence(racer)}))')
    if draw:
        lines.append("figures.race_figure(surface, runs, styles).show()")
    return "\n".join(lines)
