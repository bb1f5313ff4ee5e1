"""Claims: the sentences that state a number, a ranking or an outcome about a race, kept true of the race
they are shown beside, whatever the student changes (DESIGN.md, "Words on the page").

A claim is a whole sentence, a template with named placeholders (``{loss:.3g}``), never glued from pieces,
marked for the message catalogs (``N_``) where it is written and translated when it is shown.
It is kept true in one of two ways, or both:

- computed: ``numbers`` reads the race's own runs and returns the template's values, or None where the
  sentence would not hold of them (a claim that something is ahead, of a run where it is not);
- bound: ``settings`` are the settings it was written for, in the race's settings form (rmsviz.ui.race_links;
  what they leave out is the race's default, ``studies.race.complete``). It is shown only while the race's
  runs it speaks of have exactly those settings: the surface and its parameters, the start, the steps, the
  noise and seed, and every setting and the schedule of each racer in ``settings``. With ``alone``, the race
  must race those racers and no other (a sentence about "the others").

A claim about a racer not on screen is not shown: ``racers`` names those it speaks of (a bound claim's are
its settings' racers).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from numbers import Real
from typing import NamedTuple

from rmsviz.i18n import N_
from rmsviz.studies.race import complete, same
from rmsviz.surfaces import Surface
from rmsviz.trajectory import Trajectory

RUN_SETTINGS = ("surface", "formula", "surface_values", "x0", "y0", "steps", "noise", "seed", "rule")


class Scene(NamedTuple):
    """What a claim may read: the race's settings, whole (``complete``), its runs by racer, its surface."""

    settings: Mapping
    runs: Mapping[str, Trajectory]
    surface: Surface


class _Words(string.Formatter):
    """Formats a template's numbers as the page writes them: a minus sign, not a hyphen."""

    def format_field(self, value, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        return text.replace("-", "−") if isinstance(value, Real) and not isinstance(value, bool) else text


WORDS = _Words()


@dataclass(frozen=True)
class Claim:
    """A sentence about a race, shown only while it is true of it (the module's docstring)."""

    template: str
    numbers: Callable[[Scene], Mapping | None] | None = None
    settings: Mapping | None = None
    alone: bool = False
    about: tuple[str, ...] = ()  # racers a computed claim speaks of (a bound claim's are its settings')

    @cached_property
    def whole(self) -> Mapping | None:
        """The settings it was written for, every default written out."""
        return None if self.settings is None else complete(self.settings)

    @property
    def racers(self) -> tuple[str, ...]:
        return tuple(self.whole["racers"]) if self.whole is not None else self.about

    def bound_to(self, settings: Mapping) -> bool:
        """Whether the race's whole ``settings`` are the ones the claim was written for (true if it has none)."""
        if self.whole is None:
            return True
        mine, theirs = self.whole, settings
        if not all(same(mine.get(key), theirs.get(key)) for key in RUN_SETTINGS):
            return False
        if self.alone and set(mine["racers"]) != set(theirs["racers"]):
            return False
        return all(same(own, theirs["racers"].get(racer)) for racer, own in mine["racers"].items())

    def text(self, scene: Scene, gettext: Callable[[str], str] = N_) -> str | None:
        """The sentence as it reads of ``scene``, in the language of ``gettext`` (its template is marked for the
        catalogs where it is written; English by default); None where it is not shown there."""
        if not set(self.racers) <= set(scene.runs) or not self.bound_to(scene.settings):
            return None
        values = {} if self.numbers is None else self.numbers(scene)
        return None if values is None else WORDS.format(gettext(self.template), **values)


def sentences(claims, scene: Scene, gettext: Callable[[str], str] = N_) -> list[str]:
    """The claims that hold of ``scene``, as they read there (in the language of ``gettext``)."""
    return [text for claim in claims if (text := claim.text(scene, gettext)) is not None]
