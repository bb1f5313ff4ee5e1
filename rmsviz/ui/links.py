"""What every page's link codec shares: the keys a page owns, and Streamlit's link format.

A URL-bound widget's key is also its name in the link, so a page's keys are its link vocabulary and do
not change lightly: a renamed key breaks every link a lecturer has shared. Each page's codec declares
its keys as a ``PageKeys`` (ui.keys lists them all, by page); a setting that belongs to a group (a
racer's ``lr``) is keyed ``group.name``, spelled by ``dotted``.

Streamlit writes a bound widget's value into the link as text (``spelled``), an option by its label
(``Labels``), and reads it back by the rules of ``same``; ``UrlGuard`` judges a link's values by these.
A page's ``LinkFormat`` says which of its keys hold labels, texts, lists and ranges, and so writes its
widget values as a link and reads a link back, with a notice for every value it refuses.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

QUOTED = 40  # characters of a refused link value quoted in its notice
Query = dict[str, str | list[str]]  # a link's values by key, as ``st.query_params`` and AppTest take them


@dataclass(frozen=True)
class PageKeys:
    """The keys one page owns: exact names, and prefixes followed by a dot (``mb.rmsprop.lr``)."""

    title: str
    names: frozenset[str]
    prefixes: tuple[str, ...] = ()

    def owns(self, key: str) -> bool:
        return key in self.names or ("." in key and key.split(".", 1)[0] in self.prefixes)


# The backend and device are the session's, whichever page sets them (the race's and the sweep's pickers).
BACKEND, DEVICE = "backend", "device"
SHARED = PageKeys("every page with a backend", frozenset({BACKEND, DEVICE}))
# The session's language (``?lang=zh``), on every page and in every link the app writes: ui.language reads it.
LANG = "lang"


def dotted(group: str, name: str) -> str:
    """The key of the setting ``name`` of ``group``: ``rmsprop.lr``, ``rotated.theta``, ``mb.rmsprop``."""
    return f"{group}.{name}"


def optimizer_key(group: str, optimizer: str, name: str = "") -> str:
    """The key of an optimizer's setting ``name`` in ``group`` (the noise page's ``mb.rmsprop.lr``); without
    ``name``, the prefix of all its settings there (``mb.rmsprop``, as widgets.optimizer_settings takes it)."""
    return dotted(dotted(group, optimizer), name) if name else dotted(group, optimizer)


# A schedule's fields whose keys are not ``schedule_<name>`` (a schedule's parameters are).
SCHEDULE_FIELDS = {"kind": "schedule", "warmup": "warmup", "milestones": "milestones"}


def schedule_key(group: str, field: str) -> str:
    """The key of a field of the η schedule of ``group`` (a racer; the sweep's is ``sweep``): ``kind`` is
    ``rmsprop.schedule``, a parameter ``rmsprop.schedule_gamma``, and ``rmsprop.warmup``, ``rmsprop.milestones``."""
    return dotted(group, SCHEDULE_FIELDS.get(field, f"schedule_{field}"))


def is_schedule_key(group: str, key: str) -> bool:
    """Whether ``key`` is a field of the η schedule of ``group`` (the inverse of ``schedule_key``)."""
    prefix, _dot, name = key.partition(".")
    return prefix == group and (name in SCHEDULE_FIELDS.values() or name.startswith("schedule_"))


@dataclass(frozen=True)
class EditorKeys:
    """The keys of the "your rule" editor (ui.rules) on one page: the race's and the sweep's codecs each name
    their own."""

    starter: str
    state: str
    update: str
    settings: str  # the prefix of its hyperparameters' keys (rule.lr), cleared when the starter changes


@dataclass(frozen=True)
class Labels:
    """The labels a widget shows for its options (its format_func): Streamlit writes the label into the link."""

    label: Callable[[object], str]  # an option -> its label
    value: Callable[[str], object]  # a label -> its option; KeyError or ValueError for a label no option has

    @classmethod
    def of(cls, options: Iterable, title: Callable[[object], str] = str) -> Labels:
        """The labels ``title(option)`` of ``options``."""
        shown = {option: title(option) for option in options}
        by_label = {label: option for option, label in shown.items()}
        return cls(shown.__getitem__, by_label.__getitem__)


def _never(key: str) -> bool:
    return False


@dataclass(frozen=True)
class LinkFormat:
    """How one page's widget values are written into a link and read back: every key the page owns holds a
    number or a boolean, unless it is said here to hold an option's label, a typed text, a list of choices
    (a multiselect) or the two ends of a range (a range slider)."""

    page: PageKeys
    labels: Mapping[str, Labels] = field(default_factory=dict)  # by key
    is_text: Callable[[str], bool] = _never
    is_list: Callable[[str], bool] = _never
    is_range: Callable[[str], bool] = _never
    skipped: frozenset[str] = frozenset()  # keys a link may hold that are no widget's (the race's preset)
    backend: bool = False  # whether the page has the backend's pickers (SHARED's keys, texts)

    def query(self, values: Mapping) -> Query:
        """The link's values that open the widget ``values`` (by key), spelled as the bound widgets write them."""
        return {key: self._spelled(key, value) for key, value in values.items()}

    def link(self, values: Mapping) -> str:
        """``?…``: the link that opens the widget ``values``."""
        return query_string(self.query(values))

    def _spelled(self, key: str, value) -> str | list[str]:
        labels = self.labels.get(key)
        if labels is None:
            return spelled(value)
        return [labels.label(v) for v in value] if isinstance(value, list) else labels.label(value)

    def decode(self, link_query: Mapping[str, str | list[str]]) -> tuple[dict, list[str]]:
        """A link's values (``?…`` parsed: by key, a text or a list of texts) -> the widget values it opens, by
        key, and a notice for every value refused: a key that is not the page's, a label no widget offers, a text
        that is not a number. Whether a number is within its widget's range is the widget's to say (ui.widgets)."""
        values, notices = {}, []
        for key, raw in link_query.items():
            texts = [raw] if isinstance(raw, str) else list(raw)
            if key in self.skipped or key == LANG:  # the language is ui.language's to read and judge
                continue
            if not (self.page.owns(key) or (self.backend and SHARED.owns(key))):
                notices.append(f"Ignored `{quoted([key])}` from the link: not a setting of the {self.page.title} page.")
                continue
            try:
                values[key] = self._read(key, texts)
            except (KeyError, IndexError, ValueError):
                notices.append(f"Ignored `{key}={quoted(texts)}` from the link: not a value its control offers.")
        return values, notices

    def _read(self, key: str, texts: list[str]):
        """A link's texts for ``key`` as its widget's value: the inverse of ``_spelled``."""
        labels = self.labels.get(key)
        read = labels.value if labels else str if self.is_text(key) or SHARED.owns(key) else number
        if self.is_list(key):
            return [read(text) for text in texts if text]  # `racers=` is an empty selection
        if self.is_range(key):
            low, high = map(read, texts)  # ValueError unless two
            return low, high
        return read(texts[-1])  # Streamlit takes the last of a repeated key


def number(text: str) -> int | float | bool:
    """A link's text as the number or boolean a widget takes: an integer where it is one."""
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        return int(text)
    except ValueError:
        return float(text)


def spelled(value) -> str | list[str]:
    """A widget value as a link holds it: text, one entry per item of a list, a boolean as true or false."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return str(value).lower() if isinstance(value, bool) else str(value)


def query_string(query: Mapping[str, str | list[str]]) -> str:
    """``?key=value&…``, a key repeated once per item of a list (``racers=RMSProp&racers=Adam``)."""
    return "?" + urlencode(query, doseq=True)


def quoted(raw: list[str]) -> str:
    """A link's texts as a notice quotes them: at most QUOTED characters."""
    text = ", ".join(raw)
    return text if len(text) <= QUOTED else text[:QUOTED] + "…"


def same(raw: list[str], value) -> bool:
    """Whether the link's texts ``raw`` for a key say ``value``, as Streamlit reads them: numbers by value,
    booleans in any case, and an empty text as an empty selection."""
    if isinstance(value, (list, tuple)):
        values, raw = list(value), [text for text in raw if text]  # `racers=` is an empty selection
    else:
        values = [value]
    if len(raw) != len(values):
        return False
    return all(map(_same_one, raw, values))


def _same_one(text: str, value) -> bool:
    if isinstance(value, bool):
        return text.lower() == str(value).lower()
    if isinstance(value, (int, float)):
        try:
            return math.isclose(float(text), value, rel_tol=1e-9)
        except ValueError:
            return False
    return text == str(value)
