"""What every page's link codec shares: the keys a page owns, and Streamlit's link format.

A URL-bound widget's key is also its name in the link, so a page's keys are its link vocabulary and do
not change lightly: a renamed key breaks every link a lecturer has shared. Each page's codec declares
its keys as a ``PageKeys`` (ui.keys lists them all, by page); a setting that belongs to a group (a
racer's ``lr``) is keyed ``group.name``, spelled by ``dotted``.

Streamlit writes a bound widget's value into the link as text (``spelled``) and reads it back by the
rules of ``same``; a codec spells its links, and ``UrlGuard`` judges a link's values, by these two.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
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


def dotted(group: str, name: str) -> str:
    """The key of the setting ``name`` of ``group``: ``rmsprop.lr``, ``rotated.theta``, ``mb.rmsprop``."""
    return f"{group}.{name}"


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
