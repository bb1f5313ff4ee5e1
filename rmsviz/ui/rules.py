"""The "your rule" editor: a starter, the state and the update typed as assignments. A rule that does not
parse is explained under its box and the last good one is kept; the texts live in the link. The race's
racer adds a slider per hyperparameter the rule names; the sweep page sweeps them."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import streamlit as st

from rmsviz.i18n import N_
from rmsviz.optimizers import OptimizerSpec
from rmsviz.rules import STARTERS, Rule, parse_rule
from rmsviz.ui import keys, language
from rmsviz.ui import race_links as links
from rmsviz.ui.language import gettext as _
from rmsviz.ui.links import EditorKeys
from rmsviz.ui.race_links import RULE
from rmsviz.ui.race_settings import RULE_TITLE as TITLE
from rmsviz.ui.widgets import UrlGuard, hyperparameter_input, last_good_text, url_selectbox, url_switch

FIRST = "rmsprop"
HELP = N_(
    "Assignments, one per line, run in order at every step: g is the gradient, t the step, x the point "
    "(per coordinate). Any other name is a hyperparameter with its own slider. Functions: sqrt abs sign exp "
    "log min max, where(a < b, then, otherwise)."
)


RACE_EDITOR = EditorKeys(links.RULE_STARTER, links.RULE_STATE, RULE, RULE)  # RULE: the racer's key and optimizer


@dataclass(frozen=True)
class RuleText:
    """The rule as typed (hashable, for the race's cache): its state with start values, and its update."""

    state: str
    update: str

    def parse(self) -> Rule:
        """The parsed rule: once per text for every rerun and session that types it (a Rule never changes)."""
        return _parsed(self.update, self.state)

    def spec(self) -> OptimizerSpec:
        """The rule as the race's and the sweep's optimizer."""
        return self.parse().spec(RULE, TITLE)


@functools.lru_cache(maxsize=64)
def _parsed(update: str, state: str) -> Rule:
    return parse_rule(update, state)


def _on_starter_change(editor: EditorKeys, page: keys.PageKeys) -> None:
    """A new starter brings its own texts and settings."""
    starter = STARTERS[st.session_state[editor.starter]]
    st.session_state[editor.state], st.session_state[editor.update] = starter.state, starter.update
    keys.forget(page, only=lambda key: key.startswith(editor.settings + "."))


def rule_editor(editor: EditorKeys, page: keys.PageKeys, guard: UrlGuard, using: str) -> tuple[RuleText, str]:
    """The starter box and the two texts, in an expander; the rule typed and the starter (its key in
    STARTERS) it began from.
    ``using`` is the sentence under a bad update (``N_``-marked: "The last good rule keeps racing")."""
    with st.expander(_("{rule}: the update").format(rule=_(TITLE)), expanded=True):
        key = url_selectbox(
            _("Start from"), list(STARTERS), editor.starter, guard, format_func=lambda k: STARTERS[k].title,
            on_change=_on_starter_change, args=(editor, page),
        )  # fmt: skip
        starter = STARTERS[key]
        state = last_good_text(
            _("State, with start values"), starter.state, editor.state, guard, _checked_state,
            lambda good: _("Still using the state {state}").format(state=repr(good)),
            help=_("For example s = 0, or m = 0; v = 0. May be empty."),
        )  # fmt: skip
        try:
            text = last_good_text(
                _("Update"), starter.update, editor.update, guard, lambda update: _checked_update(state, update),
                lambda good: _(using), area=True, height=110, max_chars=1000, help=_(HELP),
            )  # fmt: skip
        except ValueError as error:  # the last good update does not fit this state either
            notice = _("{error}. Using the starter {starter} instead.")
            st.error(notice.format(error=language.explained(error), starter=starter.title))
            state, text = starter.state, starter.update
    return RuleText(state, text), key


def rule_racer(guard: UrlGuard) -> tuple[RuleText, tuple[tuple[str, float], ...]] | None:
    """The sidebar's "your rule" controls: None while the switch is off, else the rule's text and settings."""
    on = url_switch(
        _("Race your own rule"), links.RULE_ON, guard, toggle=True, help=_("Type an update rule; it races too.")
    )
    if not on:
        return None
    rule, starter = rule_editor(RACE_EDITOR, keys.RACE, guard, N_("The last good rule keeps racing"))
    return rule, _rule_settings(rule.parse(), STARTERS[starter].defaults, guard)


def _checked_update(state: str, update: str) -> str:
    RuleText(state, update).parse()  # RuleError (a ValueError) for a bad one
    return update


def _checked_state(text: str) -> str:
    parse_rule("x = x", text)  # the state alone: RuleError (a ValueError) for a bad one
    return text


def _rule_settings(rule: Rule, defaults: dict, guard: UrlGuard) -> tuple[tuple[str, float], ...]:
    if not rule.hyperparameters:
        return ()
    with st.expander(_("{optimizer} settings").format(optimizer=_(TITLE)), expanded=False):
        return tuple(
            (h.name, float(hyperparameter_input(h, links.rule_key(h.name), defaults.get(h.name, h.default), guard)))
            for h in rule.hyperparameters
        )
