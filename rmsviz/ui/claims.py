"""The race page's claims (rmsviz.studies.claims) read of the race on screen: its settings, written out whole
in the race's settings form, and its runs by racer."""

from __future__ import annotations

from rmsviz.studies.captions import FIRST_RACE
from rmsviz.studies.claims import Scene, sentences
from rmsviz.studies.race import complete
from rmsviz.surfaces import Surface
from rmsviz.ui import language
from rmsviz.ui.race import RaceView
from rmsviz.ui.race_controls import RaceConfig


def config_settings(config: RaceConfig) -> dict:
    """Every setting of ``config`` that changes its runs, in the race's settings form (``complete``'s)."""
    racers = {}
    for racer in config.racers:
        own = dict(racer.settings)
        if racer.schedule:
            kind, values, warmup, milestones = racer.schedule
            own["schedule"] = {"kind": kind, **dict(values), "warmup": warmup, "milestones": milestones}
        racers[racer.key] = own
    settings = {
        "surface": config.surface, "formula": config.formula, "surface_values": dict(config.surface_values),
        "x0": config.start[0], "y0": config.start[1], "steps": config.steps, "noise": config.noise,
        "seed": config.seed, "racers": racers,
    }  # fmt: skip
    if config.rule is not None:
        settings["rule"] = {"state": config.rule.state, "update": config.rule.update}
    return settings


def scene(view: RaceView) -> Scene:
    """What a claim beside ``view`` may read."""
    runs = {racer.key: t for racer, t in zip(view.racers, view.trajectories, strict=True)}
    return Scene(complete(config_settings(view.config), view.surface), runs, view.surface)


def caption(surface: Surface, scene: Scene) -> str:
    """The surface's caption over the race: what it teaches at any setting, then what this race shows of it
    where the race is one its claims were written for; in the session's language."""
    gettext = language.gettext
    said = gettext(surface.teaches) if surface.teaches else surface.title
    return " ".join([said, *sentences(FIRST_RACE.get(surface.name, ()), scene, gettext)])
