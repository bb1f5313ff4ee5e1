"""The race's "your rule" racer: a starter, the state and the update typed as assignments, a slider per
hyperparameter the rule names. A rule that does not parse is explained under its box and the last good
one keeps racing; the texts live in the link."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from rmsviz.rules import STARTERS, Rule, parse_rule
from rmsviz.ui import keys
from rmsviz.ui.widgets import UrlGuard, hyperparameter_input, last_good_text, url_selectbox, url_switch

RULE = "rule"  # the racer's key and its optimizer's name
TITLE = "Your rule"
FIRST = "rmsprop"
HELP = (
    "Assignments, one per line, run in order at every step: g is the gradient, t the step, x the point "
    "(per coordinate). Any other name is a hyperparameter with its own slider. Functions: sqrt abs sign exp "
    "log min max, where(a < b, then, otherwise)."
)


@dataclass(frozen=True)
class RuleText:
    """The rule as typed (hashable, for the race's cache): its state with start values, and its update."""

    state: str
    update: str

    def parse(self) -> Rule:
        return parse_rule(self.update, self.state)


def _on_starter_change() -> None:
    """A new starter brings its own texts and settings."""
    starter = STARTERS[st.session_state["rule_starter"]]
    st.session_state["rule_state"], st.session_state["rule"] = starter.state, starter.update
    keys.forget(keys.RACE, only=lambda key: key.startswith(RULE + "."))


def rule_racer(guard: UrlGuard) -> tuple[RuleText, tuple[tuple[str, float], ...]] | None:
    """The sidebar's "your rule" controls: None while the switch is off, else the rule's text and settings."""
    if not url_switch("Race your own rule", "rule_on", guard, toggle=True, help="Type an update rule; it races too."):
        return None
    with st.expander(f"{TITLE}: the update", expanded=True):
        key = url_selectbox(
            "Start from", list(STARTERS), "rule_starter", guard, format_func=lambda k: STARTERS[k].title,
            on_change=_on_starter_change,
        )  # fmt: skip
        starter = STARTERS[key]
        state = last_good_text(
            "State, with start values", starter.state, "rule_state", guard, _checked_state,
            lambda good: f"Still using the state {good!r}", help="For example s = 0, or m = 0; v = 0. May be empty.",
        )  # fmt: skip
        try:
            text = last_good_text(
                "Update", starter.update, RULE, guard, lambda update: _checked_update(state, update),
                lambda good: "The last good rule keeps racing", area=True, height=110, max_chars=1000, help=HELP,
            )  # fmt: skip
        except ValueError as error:  # the last good update does not fit this state either
            st.error(f"{error}. Racing the starter {starter.title} instead.")
            state, text = starter.state, starter.update
        rule = RuleText(state, text)
    settings = _rule_settings(rule.parse(), starter.defaults, guard)
    return rule, settings


def _checked_update(state: str, update: str) -> str:
    RuleText(state, update).parse()  # RuleError (a ValueError) for a bad one
    return update


def _checked_state(text: str) -> str:
    parse_rule("x = x", text)  # the state alone: RuleError (a ValueError) for a bad one
    return text


def _rule_settings(rule: Rule, defaults: dict, guard: UrlGuard) -> tuple[tuple[str, float], ...]:
    if not rule.hyperparameters:
        return ()
    with st.expander(f"{TITLE} settings", expanded=False):
        return tuple(
            (h.name, float(hyperparameter_input(h, f"{RULE}.{h.name}", defaults.get(h.name, h.default), guard)))
            for h in rule.hyperparameters
        )
