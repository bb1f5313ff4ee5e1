"""A pseudo-locale run: the app in a language whose every message is wrapped and accented (``⟦Ŕàçé {n}⟧``), every
page rendered in it, and the race in each of its views and details, with a typed rule and with every preset.

Text on the page outside the wrappers bypassed the catalogs (a string the code never marked, or one glued
together around a translated piece), unless it is a name, code or a formula (``ALLOWED``), an option label
that a link spells (``LINK_BOUND``), or a gap the allowlist names with its reason (``GAPS``: what is not
translated yet, listed so that it stays visible; a gap that is gone must leave the list). A message the app
looks up that the catalogs do not hold (marked nowhere, so never extracted) fails too.
"""

from __future__ import annotations

import re
import sys

import pytest
import streamlit as st
from babel.messages.pofile import read_po
from helpers import charts, is_table, open_page, tables

from rmsviz import i18n, schedules
from rmsviz.i18n import NAMES, Translator, po_path
from rmsviz.optimizers import OPTIMIZERS
from rmsviz.rules import STARTERS
from rmsviz.studies.conventions import CONVENTIONS
from rmsviz.studies.presets import PRESETS
from rmsviz.studies.train import ACTIVATIONS
from rmsviz.surfaces import SURFACES
from rmsviz.ui.pages import PAGES
from rmsviz.ui.race_links import racer_key
from rmsviz.ui.race_schedule import TITLES as SCHEDULES
from rmsviz.ui.race_settings import DETAILS, RACERS, RULE_TITLE, SCRUB_OFF, SCRUBBED_NAMES, VIEWS, scrub_label
from rmsviz.ui.train_links import batch_label

PSEUDO = "zh"  # the language whose lookups the pseudo-locale replaces (any language other than English would do)
ACCENTS = str.maketrans("aeiouyAEIOUYcnszCNSZ", "àéïöüÿÀÉÏÖÜŸçñšžÇÑŠŽ")
FIELD = re.compile(r"(\{[^{}]*\})")  # a template's placeholders stay as they are: .format fills them
WRAPPED = re.compile(r"⟦[^⟦⟧]*⟧")
PLOTLY = re.compile(r"%\{[^}]*\}|<[^>]*>")  # a hover's value (%{y:.3g}) and markup (<br>, <sub>)
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")  # a word of two letters or more (x, y, g, k are symbols)

# Names, code and formulas stay as they are in every language (issue 23): the optimizers', frameworks' and
# languages' names, what a hyperparameter, option, schedule or surface parameter, activation or backend is called
# in code (its label says what it is, translated), and the words of a formula.
ALLOWED = {
    *(word for spec in OPTIMIZERS.values() for word in WORD.findall(spec.title)),
    *(word for c in CONVENTIONS for word in WORD.findall(c.framework)), *NAMES.values(), *ACTIVATIONS, "numpy",
    *(name for surface in SURFACES.values() for name in surface.params),
    *(word for spec in OPTIMIZERS.values() for h in spec.hyperparameters for word in WORD.findall(h.name)),
    *(word for spec in OPTIMIZERS.values() for option in spec.options for word in WORD.findall(option)),
    *(word for kind in schedules.PARAMETERS.values() for h in kind for word in WORD.findall(h.name)),
    *(c.decay for c in CONVENTIONS),  # what each framework calls the decay, the translator's slider
    "rmsviz", "torch", "PyTorch", "factor",  # factor: the schedule's η_t = η · factor(t)
}  # fmt: skip
# Options whose label a link spells (Streamlit writes a bound widget's formatted option into the link): they stay
# English so that every link already shared keeps working.
LINK_BOUND = {
    *VIEWS.values(), *DETAILS.values(), *SCHEDULES, *(s.title for s in SURFACES.values()), "Your own formula",
    batch_label(0),  # the training's batch size slider: "full batch"
    RULE_TITLE,  # the sweep's optimizer box: a typed rule, beside the optimizers' titles
    *(s.title for s in STARTERS.values()), scrub_label(SCRUB_OFF), *map(scrub_label, SCRUBBED_NAMES),
    *(scrub_label(racer_key(racer, name)) for racer in RACERS for name in SCRUBBED_NAMES),
}  # fmt: skip
# What is not translated yet, by page: (the start of) each text, and why.
GAPS: dict[str, list[str]] = {}
# Pages whose charts (titles, axes, legends, hover) are not translated yet: their figures take no gettext yet.
CHART_GAPS: dict[str, str] = {}
# The race, in every state that draws words of its own.
RACE_STATES = [
    {},
    *({"details": label} for label in DETAILS.values()),
    *({"view": label} for label in VIEWS.values()),
    {"rule_on": "true"},
    {"surface": "Saddle", "racers": ["SGD", "Adam"], "sgd.lr": "2.0", "steps": "300"},  # a divergence message
    *({"preset": preset.key} for preset in PRESETS),
]
WIDGETS = ("selectbox", "multiselect", "slider", "select_slider", "number_input", "text_input", "text_area",
           "checkbox", "toggle", "button", "radio", "expander", "tabs")  # fmt: skip


def pseudo(message: str) -> str:
    """``message`` wrapped and accented, its placeholders kept."""
    return "⟦" + "".join(p if FIELD.fullmatch(p) else p.translate(ACCENTS) for p in FIELD.split(message)) + "⟧"


@pytest.fixture(scope="module")
def looked_up():
    """The pseudo-locale in place of the Chinese catalog for every module that looks a language up; yields the
    messages looked up that the catalogs do not hold."""
    with po_path(PSEUDO).open("rb") as po:
        known = {form for m in read_po(po) if m.id for form in (m.id if m.pluralizable else (m.id,))}
    missing: set[str] = set()

    def lookup(message: str) -> str:
        if message not in known and not _a_name(message):
            missing.add(message)
        return pseudo(message)

    fake = Translator(PSEUDO, lookup, lambda singular, plural, n: lookup(singular if n == 1 else plural))
    real = i18n.translator

    def faked(lang: str) -> Translator:
        return fake if lang == PSEUDO else real(lang)

    _swap(real, faked)
    st.cache_resource.clear()  # words cached per language (the race's, its charts) by the real Chinese, and back
    yield missing
    _swap(faked, real)  # a module first imported by a page meanwhile took the fake from i18n: it gets the real too
    st.cache_resource.clear()


def _swap(old, new) -> None:
    """``new`` for ``old`` as ``translator`` in every module of rmsviz that holds it."""
    for name, module in list(sys.modules.items()):
        if name.startswith("rmsviz") and getattr(module, "translator", None) is old:
            module.translator = new


def _a_name(message: str) -> bool:
    """Code looked up with the words around it: a state's name that the step inspector's table looks up with its
    headers (s, step_size, denominator), a format's (GIF, CSV)."""
    return message.isidentifier() and (message.islower() or message.isupper())


def shown(at) -> list[tuple[str, str]]:
    """(kind, text) of everything a student reads: text elements, widget labels and help, table headers."""
    found = [(kind, str(e.value)) for kind in ("title", "header", "subheader", "markdown", "caption", "info",
             "warning", "error", "success") for e in getattr(at, kind) if not is_table(str(e.value))]  # fmt: skip
    for kind in WIDGETS:
        for element in at.get(kind):
            found.append((kind, str(getattr(element, "label", None) or element.proto.label)))
            if getattr(element.proto, "help", ""):
                found.append((f"{kind} help", element.proto.help))
            found += [(f"{kind} option", str(option)) for option in getattr(element, "options", ())]
    found += [("table", " | ".join(map(str, table.columns))) for table in tables(at)]
    return found + [("chart", text) for spec in charts(at) for text in chart_words(spec)]


def chart_words(spec: dict) -> list[str]:
    """A chart's words: its titles, axes, notes, buttons, slider, legend and hover (Plotly's %{…} and tags
    taken out)."""
    layout, texts = spec.get("layout", {}), []
    for key, value in layout.items():
        if key == "title" or key.startswith(("xaxis", "yaxis")):
            title = value.get("title") if key != "title" else value
            texts.append(title.get("text", "") if isinstance(title, dict) else title or "")
    texts += [note.get("text", "") for note in layout.get("annotations", ())]
    texts += [button.get("label", "") for menu in layout.get("updatemenus", ()) for button in menu.get("buttons", ())]
    texts += [slider.get("currentvalue", {}).get("prefix", "") for slider in layout.get("sliders", ())]
    for trace in spec.get("data", ()):
        texts += [trace.get("name") or "", trace.get("hovertemplate") or ""]
        texts += [trace["text"]] if isinstance(trace.get("text"), str) else list(trace.get("text") or ())
    return [PLOTLY.sub(" ", str(text)) for text in texts if text]


def bypassed(text: str) -> list[str]:
    """The words of ``text`` outside every wrapper (a wrapper may hold another: its values are translated too)."""
    while (unwrapped := WRAPPED.sub(" ", text)) != text:
        text = unwrapped
    return [word for word in WORD.findall(text) if word not in ALLOWED]


def leaks(at, page: str, seen_gaps: set[str]) -> list[str]:
    out = []
    for kind, text in shown(at):
        if text in LINK_BOUND or not bypassed(text) or (kind == "chart" and page in CHART_GAPS):
            continue
        gap = next((g for g in GAPS.get(page, ()) if text.startswith(g)), None)
        if gap is not None:
            seen_gaps.add(gap)
        else:
            out.append(f"{page} {kind}: {text[:100]!r} {bypassed(text)[:5]}")
    return out


@pytest.fixture(scope="module")
def seen_gaps():
    return set()


@pytest.mark.parametrize("page", [p.name for p in PAGES if p.name != "race"])
def test_every_page_speaks_only_through_the_catalogs(page, looked_up, seen_gaps):
    at = open_page(page, lang=PSEUDO)
    assert not at.exception
    assert not leaks(at, page, seen_gaps)


@pytest.mark.parametrize("query", RACE_STATES, ids=lambda q: "-".join(map(str, q.values())) or "default")
def test_the_race_speaks_only_through_the_catalogs(query, looked_up, seen_gaps):
    at = open_page("race", lang=PSEUDO, **query)
    assert not at.exception
    assert not leaks(at, "race", seen_gaps)


def test_every_message_looked_up_is_in_the_catalogs_and_every_gap_is_still_one(looked_up, seen_gaps):
    """Runs after the pages (pytest keeps the file's order): what they looked up, and the gaps they showed."""
    assert not looked_up, f"looked up but in no catalog (mark it for extraction): {sorted(looked_up)[:5]}"
    listed = {gap for gaps in GAPS.values() for gap in gaps}
    assert not listed - seen_gaps, f"translated now: remove from GAPS {sorted(listed - seen_gaps)}"
