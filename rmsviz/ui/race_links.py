"""The race page's link codec: the one place that spells the race's widget keys, and turns a race's settings
into those widgets' values and a link, and a link back into settings.

The race's links are the ones people share most, so its keys are bare names (``surface``, ``steps``), a
racer's settings are keyed by the racer (``rmsprop.lr``, ``rmsprop2.schedule_gamma``), a surface's
parameters by the surface (``rotated.theta``), and the typed rule's by ``rule`` (``rule.lr``).

Settings are plain data, as a preset (rmsviz.studies.presets) or another page that opens a race writes them::

    {"surface": "elliptic", "x0": -5.0, "y0": -2.0, "steps": 20, "noise": 0.0, "seed": 0,
     "formula": "x**2",                      # with surface "custom" (race_settings.CUSTOM)
     "surface_values": {"theta": 30.0},      # the surface's own parameters
     "racers": {"rmsprop": {"lr": 0.4, "schedule": {"kind": "plateau", "factor": 0.5}}, "rmsprop2": {}},
     "rule": {"on": True, "starter": "adam", "state": "m = 0", "update": "…", "settings": {"lr": 0.1}},
     "view": "panels", "details": "inspector", "code": True, "scrub": "rmsprop.lr"}

Every entry may be left out: the widget keeps its default. A schedule holds its ``kind``, its parameters,
``warmup`` and ``milestones`` (race_schedule).
"""

from __future__ import annotations

from collections.abc import Mapping

from rmsviz.studies.presets import PRESETS
from rmsviz.surfaces import SURFACES
from rmsviz.ui import race_settings
from rmsviz.ui.language import gettext as _
from rmsviz.ui.links import (
    LANG,
    SCHEDULE_FIELDS,
    Labels,
    LinkFormat,
    PageKeys,
    Query,
    dotted,
    is_schedule_key,
    query_string,
    schedule_key,
)
from rmsviz.ui.pages import BY_NAME
from rmsviz.ui.race_settings import CUSTOM, RACERS, STARTER_LABELS, racer_label, surface_title

# The race's settings, each keyed by its own name.
SURFACE, FORMULA, X0, Y0, STEPS, NOISE, SEED = "surface", "formula", "x0", "y0", "steps", "noise", "seed"
VIEW, DETAILS, CODE = "view", "details", "code"  # what the page shows of the race
SCRUB = "scrub"  # the setting scrubbed on the race chart (ui.race_scrub): rmsprop.lr, lr (every racer's), off
SCALARS = (SURFACE, FORMULA, X0, Y0, STEPS, NOISE, SEED, VIEW, DETAILS, CODE, SCRUB)
RACERS_KEY = "racers"
SURFACE_VALUES = "surface_values"  # a setting, not a key: the surface's parameters are each keyed by surface_key
RULE = "rule"  # the typed rule: its racer's key, its update text's key, and its settings' prefix (rule.lr)
RULE_ON, RULE_STARTER, RULE_STATE = "rule_on", "rule_starter", "rule_state"
RULE_FIELDS = {"on": RULE_ON, "starter": RULE_STARTER, "state": RULE_STATE, "update": RULE}
PRESET = "preset"  # the lecture preset a link opens (ui.presets)
TEXTS = (FORMULA, RULE_STATE, RULE)  # typed texts, taken from a link as they are
# Widgets of the race page that are not in its link.
INSPECT, INSPECT_K = "inspect", "inspect_k"  # the step inspector's racer and step
SEEN = "seen"  # the racer whose coordinates the "What it sees" view shows (ui.race_twin)
CHARTS = ("race", "panels", "3d", "twin", "loss", "distance", "rate", "stability", "condition")
DOWNLOADS = ("gif", "html", "csv", "ipynb")


def racer_key(racer: str, name: str) -> str:
    """The key of a racer's hyperparameter or option: ``rmsprop.lr``, ``rmsprop2.eps_in_sqrt``."""
    return dotted(racer, name)


def surface_key(surface: str, name: str) -> str:
    """The key of a surface's own parameter: ``rotated.theta``."""
    return dotted(surface, name)


def rule_key(name: str) -> str:
    """The key of a hyperparameter the typed rule names: ``rule.lr``."""
    return dotted(RULE, name)


def grouped(key: str) -> bool:
    """Whether ``key`` is a setting of a group: a racer's, a surface's parameter, the rule's."""
    return "." in key


def preset_button(preset: str) -> str:
    return f"preset-{preset}"


def chart_key(chart: str) -> str:
    """The key of one of the race's ``CHARTS``: the race itself is ``race_chart`` (its clicks pick the start)."""
    return "race_chart" if chart == "race" else f"race_{chart}"


def download_key(suffix: str) -> str:
    return f"download_{suffix}"


# The race's widgets whose values a link does not carry: a link that names one is told so.
NOT_IN_LINKS = frozenset({INSPECT, INSPECT_K, SEEN, *(preset_button(preset.key) for preset in PRESETS),
                          *map(chart_key, CHARTS), *map(download_key, DOWNLOADS)})  # fmt: skip
PAGE = PageKeys(
    BY_NAME["race"].title,
    frozenset({*SCALARS, RACERS_KEY, *RULE_FIELDS.values(), PRESET, INSPECT, INSPECT_K, SEEN,
               *(preset_button(preset.key) for preset in PRESETS), *map(chart_key, CHARTS),
               *map(download_key, DOWNLOADS)}),
    prefixes=(*RACERS, *SURFACES, RULE),
)  # fmt: skip


# --- settings -> widget values and link -------------------------------------------------------------------


def widget_values(settings: Mapping) -> dict:
    """The race's widget values, by key, that show ``settings``."""
    values = {key: settings[key] for key in SCALARS if key in settings}
    if SURFACE_VALUES in settings:
        values.update(_group_values(settings[SURFACE], settings[SURFACE_VALUES]))
    racers = settings.get(RACERS_KEY, {})
    if RACERS_KEY in settings:
        values[RACERS_KEY] = list(racers)
    for racer, own in racers.items():
        values.update(_group_values(racer, own))
    rule = settings.get(RULE, {})
    values.update({RULE_FIELDS[field]: value for field, value in rule.items() if field in RULE_FIELDS})
    values.update({dotted(RULE, name): value for name, value in rule.get("settings", {}).items()})
    return values


def _group_values(group: str, own: Mapping) -> dict:
    """The keyed values of the settings of ``group`` (a racer, a surface): the inverse of ``_group``."""
    values = {dotted(group, name): value for name, value in own.items() if name != "schedule"}
    values.update({schedule_key(group, field): value for field, value in own.get("schedule", {}).items()})
    return values


def query(settings: Mapping) -> Query:
    """The link's values that open ``settings``, spelled as the bound widgets write them: the surface's title,
    the racers' labels, the pickers' labels, the rule starter's title."""
    return FORMAT.query(widget_values(settings))


def link(settings: Mapping, preset: str | None = None, lang: str | None = None) -> str:
    """``?…``: the link that opens ``settings`` (as the lecture preset ``preset``, in the language ``lang``, if
    given)."""
    return query_string({**({PRESET: preset} if preset else {}), **query(settings), **({LANG: lang} if lang else {})})


FORMAT = LinkFormat(
    PAGE,
    labels={
        SURFACE: Labels.of((*SURFACES, CUSTOM), surface_title),
        RACERS_KEY: Labels.of(RACERS, racer_label),
        RULE_STARTER: STARTER_LABELS,
        VIEW: Labels.of(race_settings.VIEWS, race_settings.VIEWS.get),
        DETAILS: Labels.of(race_settings.DETAILS, race_settings.DETAILS.get),
        SCRUB: Labels.of(race_settings.SCRUBBED, race_settings.scrub_label),
    },
    is_text=lambda key: key in TEXTS or (key.endswith((".schedule", ".milestones")) and not key.startswith(RULE + ".")),
    is_list=lambda key: key == RACERS_KEY,
    skipped=frozenset({PRESET}),
    backend=True,
)


# --- widget values and link -> settings -------------------------------------------------------------------


def settings(values: Mapping) -> dict:
    """The settings that the race's widget ``values`` (by key; any subset) show: the inverse of
    ``widget_values``. The chosen racers' settings are theirs; a value of a racer not chosen is no setting."""
    found = {key: values[key] for key in SCALARS if key in values}
    surface = SURFACES.get(values.get(SURFACE))
    if surface and (params := _group(values, surface.name)):
        found[SURFACE_VALUES] = params
    if RACERS_KEY in values:
        found[RACERS_KEY] = {racer: _group(values, racer) for racer in values[RACERS_KEY]}
    rule = {field: values[key] for field, key in RULE_FIELDS.items() if key in values}
    if own := _group(values, RULE, scheduled=False):
        rule["settings"] = own
    if rule:
        found[RULE] = rule
    return found


def _group(values: Mapping, group: str, scheduled: bool = True) -> dict:
    """The settings of ``group`` (a racer, a surface, the rule) among ``values``, its schedule nested. The
    rule has none (not ``scheduled``): its settings are its hyperparameters, whatever their names (schedule,
    warmup, schedule_p)."""
    own, schedule = {}, {}
    fields = {key: field for field, key in SCHEDULE_FIELDS.items()} if scheduled else {}
    for key, value in values.items():
        prefix, _, name = key.partition(".")
        if prefix != group or not name:
            continue
        if name in fields:
            schedule[fields[name]] = value
        elif scheduled and name.startswith("schedule_"):
            schedule[name.removeprefix("schedule_")] = value
        else:
            own[name] = value
    return {**own, "schedule": schedule} if schedule else own


def unused(key: str) -> str | None:
    """Why a link's value for the race's ``key`` is not used when no control took it (widgets.UrlGuard): its
    control is drawn only with other settings. None where the general reason says it."""
    group = key.partition(".")[0]
    if key in NOT_IN_LINKS:
        return _("its control does not take a value from a link")
    if key == FORMULA:
        return _("a formula is raced with the surface {surface} only").format(surface=_(surface_title(CUSTOM)))
    if key in (RULE, RULE_STATE, RULE_STARTER) or group == RULE:
        return _("your rule races only when {switch} is on ({key}=true)").format(
            switch=_("Race your own rule"), key=RULE_ON
        )
    if group in RACERS and is_schedule_key(group, key):
        return _(
            "it is a setting of an η schedule that {racer} does not run, or {racer} is not among the racers"
        ).format(racer=racer_label(group))
    if group in RACERS:
        return _("{racer} is not among the racers").format(racer=racer_label(group))
    if group in SURFACES:
        return _("it is a parameter of the surface {surface}, which is not the one raced").format(
            surface=_(surface_title(group))
        )
    return None


def decode(link_query: Mapping[str, str | list[str]]) -> tuple[dict, list[str]]:
    """A link's values (``?…`` parsed: by key, a text or a list of texts) -> the settings it opens, and a
    notice for every value refused (ui.links.LinkFormat.decode)."""
    values, notices = FORMAT.decode(link_query)
    return settings(values), notices
