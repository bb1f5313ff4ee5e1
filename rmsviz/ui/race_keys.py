"""The race from the keyboard, a presenter's clicker and a screen reader: buttons under the chart that Tab
reaches (restart, step back, play and pause, step forward), the keys that drive them from anywhere on the
page, the step shown written out as text, and the race told in words.

The buttons and keys run in the browser (``race_keys.js``, injected with ``st.html``): a step is one
``Plotly.animate`` to that step's frame, with no round trip to the server.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import NamedTuple

import streamlit as st

from rmsviz.figures.race import frame_steps
from rmsviz.figures.words import ChartWords
from rmsviz.i18n import N_, translator
from rmsviz.studies import race_words
from rmsviz.ui import language
from rmsviz.ui.language import gettext as _
from rmsviz.ui.race import BY_REPR, RaceView
from rmsviz.ui.race_controls import RaceConfig

SCRIPT = (Path(__file__).with_name("race_keys.js")).read_text(encoding="utf-8")
KEYS = N_(
    "Keys: → or Page Down steps forward, ← or Page Up steps back, Space or K plays and pauses, "
    "Home restarts, End jumps to the last step (a presenter's clicker sends Page Down and Page Up)."
)
GROUP = N_("Race controls")
# Each button: the action race_keys.js takes, and its face: a symbol (hidden from screen readers) and a word,
# which is the button's name. The toggle has two faces, shown as the race plays or rests.
BUTTONS = (
    ("restart", (("", "↺", N_("Restart")),)),
    ("back", (("", "←", N_("Step back")),)),  # the arrows of the keys that do the same
    ("toggle", (("paused", "▶", N_("Play")), ("playing", "❚❚", N_("Pause")))),
    ("forward", (("", "→", N_("Step forward")),)),
)
STYLE = """<style>
.rmsviz-race-keys {display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center}
.rmsviz-race-keys button {font: inherit; padding: 0.35rem 0.8rem; border-radius: 0.5rem; cursor: pointer;
  border: 1px solid currentColor; background: transparent; color: inherit}
.rmsviz-race-keys button:focus-visible {outline: 3px solid #ba3300; outline-offset: 2px}
.rmsviz-race-keys [data-status] {font-variant-numeric: tabular-nums}
.rmsviz-race-keys [data-live] {position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap}
</style>"""


class RaceWords(NamedTuple):
    chart: ChartWords  # the race chart's accessible name and its story
    steps: tuple[str, ...]  # who is ahead, at each step the animation shows


def words(view: RaceView) -> RaceWords:
    """The race in words, in the session's language, written once per config and language for every session."""
    return _words(view.config, language.current(), view)


@st.cache_resource(max_entries=128, show_spinner=False, hash_funcs=BY_REPR)
def _words(config: RaceConfig, lang: str, _view: RaceView) -> RaceWords:
    labels, gettext = [r.label for r in config.racers], translator(lang).gettext
    runs = _view.trajectories
    alt = race_words.race_alt(_view.surface.title, labels, config.start, config.steps, gettext)
    return RaceWords(ChartWords(alt, race_words.race_story(labels, runs, gettext)), step_words(labels, runs, gettext))


def step_words(labels: list[str], runs, gettext) -> tuple[str, ...]:
    """Who is ahead at each step the animation shows, in the language of ``gettext``: the words beside the buttons
    (and, while a setting is scrubbed, at each of its values: ui.scrub_follow)."""
    return race_words.steps_in_words(labels, runs, frame_steps(len(runs[0].path) - 1) if runs else (), gettext)


def controls(view: RaceView) -> None:
    """The buttons, the step shown in words, and the keys that drive them, under the race's chart."""
    said = words(view).steps
    steps = escape(json.dumps(said), quote=True)
    buttons = "".join(
        f'<button type="button" data-action="{action}">{"".join(_face(*face) for face in faces)}</button>'
        for action, faces in BUTTONS
    )
    first = escape(said[0]) if said else ""
    st.html(
        f'{STYLE}<div class="rmsviz-race-keys" data-rmsviz-race-keys data-steps="{steps}" role="group" '
        f'aria-label="{escape(_(GROUP))}">{buttons}<span data-status>{first}</span>'
        f'<span data-live aria-live="polite"></span></div><script>{SCRIPT}</script>',
        unsafe_allow_javascript=True,
    )
    st.caption(_(KEYS))


def _face(when: str, symbol: str, word: str) -> str:
    """One face of a button: its symbol for the eye, its word for everyone; a toggle's second face hidden."""
    state = f' data-when="{when}"' + (" hidden" if when == "playing" else "") if when else ""
    return f'<span{state}><span aria-hidden="true">{symbol}</span> {escape(_(word))}</span>'
