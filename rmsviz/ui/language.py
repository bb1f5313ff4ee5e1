"""The language of this session, and the lookups every ui module translates its words with.

The first run decides: the link's ``?lang=zh|ko|en`` if it has one, else the browser's language
(``st.context.locale``); an unknown ``lang`` gets a notice (``UrlGuard`` shows it with the page's others)
and the browser decides. The sidebar's picker changes it. A language from the link or the picker is
written back into the link on every run, so it stays there from page to page (a page switch drops the
query string) and in every link the app writes (``carried``).

Words are looked up when shown, never cached with a run: changing the language recomputes no run. What a
cached function returns in words is cached per language (its ``lang`` argument).
"""

from __future__ import annotations

import streamlit as st

from rmsviz.i18n import LANGUAGES, N_, NAMES, Refusal, Translator, from_locale, translator
from rmsviz.ui.links import LANG, Query, quoted

STATE = "_lang"  # the session's language, which the picker (keyed so) changes
FROM_LINK = "_lang_from_link"  # whether the link or the picker chose it (then the link keeps saying so)
NOTICES = "_lang_notices"  # a refused ``lang`` from the link, for the page's UrlGuard
# Korean is written in words with spaces between them, but a browser breaks its lines between any two syllables,
# as it does Chinese: keep-all breaks them at the spaces only (a word too long for its line still wraps: Streamlit's
# own overflow-wrap). Streamlit's markdown and headings set their own word-break, so the rule reaches every element,
# not only the app's root (on the root alone the title still broke inside 경주 at 400 px, seen in Chromium).
KOREAN_LINES = "<style>.stApp, .stApp * {word-break: keep-all !important}</style>"

__all__ = ["N_", "carried", "current", "explained", "gettext", "linked", "ngettext", "picker", "take_notices", "words"]


def current() -> str:
    """The session's language: one of ``rmsviz.i18n.LANGUAGES``."""
    lang = st.session_state.get(STATE)  # one lookup: every message of every run asks (``in`` then [] made two)
    if lang is None:
        _first_run()
        lang = st.session_state[STATE]
    return lang


def _first_run() -> None:
    linked = st.query_params.get_all(LANG)
    chosen = linked[-1].lower() if linked else None
    refused = chosen is not None and chosen not in LANGUAGES
    lang = from_locale(st.context.locale) if chosen is None or refused else chosen
    st.session_state[FROM_LINK] = not refused and chosen is not None
    st.session_state[STATE] = lang
    if refused:
        notice = gettext("Ignored `{key}={value}` from the link ({allowed}); using {language}.")
        allowed = " or ".join(LANGUAGES)
        notice = notice.format(key=LANG, value=quoted(linked), allowed=allowed, language=NAMES[lang])
        st.session_state[NOTICES] = [notice]


def words(lang: str | None = None) -> Translator:
    """The lookups of ``lang``, the session's language by default: what a figure or a study takes to write its
    words in (they import no streamlit)."""
    return translator(lang or current())


def gettext(message: str) -> str:
    """``message`` in the session's language; modules import it as ``_``, the name Babel extracts."""
    return translator(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` in the session's language (Chinese and Korean have one form)."""
    return translator(current()).ngettext(singular, plural, n)


def explained(error: Exception) -> str:
    """What ``error`` says, in the session's language: a Refusal (a typed formula, rule or list that cannot be
    used) from its template; any other error as it reads (a check no student's typing reaches)."""
    return error.text(gettext) if isinstance(error, Refusal) else str(error)


def _picked() -> None:
    st.session_state[FROM_LINK] = True


def picker() -> str:
    """The sidebar's language picker, on every page (app.py draws it before the page), and Korean's line breaks;
    returns the language.
    Not a URL-bound widget: a bound picker would write its label (简体中文) into the link, not ``zh``."""
    current()
    st.sidebar.selectbox(gettext("Language"), LANGUAGES, format_func=NAMES.get, key=STATE, on_change=_picked)
    lang = st.session_state[STATE]
    if st.session_state[FROM_LINK] and st.query_params.get(LANG) != lang:
        st.query_params[LANG] = lang
    if lang == "ko":
        st.html(KOREAN_LINES)  # a style alone takes no room on the page
    return lang


def linked() -> str | None:
    """The session's language when the link or the picker chose it (None when the browser did): what a link the
    app writes (a preset's, a sweep cell's race) carries, to open in the language it was written in."""
    return current() if st.session_state.get(FROM_LINK) else None


def carried(query: Query) -> Query:
    """``query`` with the session's language, as ``linked`` says."""
    lang = linked()
    return {**query, LANG: lang} if lang else dict(query)


def take_notices() -> list[str]:
    """The notice for a refused ``lang`` from the link, once (the first page's UrlGuard shows it)."""
    return st.session_state.pop(NOTICES, [])
