"""The app's languages and their message catalogs, read with the standard gettext machinery (no streamlit).

Every word a student reads is an English message id in the code, marked for Babel's extraction with ``_``
(translated where it is used), ``N_`` (a constant marked now, translated later: a page's title) or
``ngettext`` (plural forms), and translated through the catalog of the session's language:
``rmsviz/locale/<locale>/LC_MESSAGES/rmsviz.po``. A sentence with numbers is one template with named
placeholders (``_("{name} reached {loss} at step {step}").format(...)``), never pieces glued together:
word order differs between the three languages.

The catalogs are read from their ``.po`` files when first asked for (Babel's ``read_po``, then its
``write_mo`` into memory for ``gettext.GNUTranslations``): nothing is compiled by a build step that a
deploy could skip, ``pip install -r requirements.txt`` is all the app needs. README.md says how to add a
language and how to update a catalog.
"""

from __future__ import annotations

import gettext
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "rmsviz"
LOCALE_DIR = Path(__file__).with_name("locale")
ENGLISH = "en"  # the language of the message ids, which needs no catalog
# A language's code in links (``?lang=zh``) -> its catalog's locale (Babel's name) and its own name for itself.
LOCALES = {ENGLISH: "en", "zh": "zh_Hans", "ko": "ko"}
NAMES = {ENGLISH: "English", "zh": "简体中文", "ko": "한국어"}
LANGUAGES = tuple(LOCALES)
# The locale whose list form a language's lists take: the app's English writes no comma before "and".
LIST_LOCALES = {**LOCALES, ENGLISH: "en_GB"}


def N_(message: str) -> str:
    """Marks ``message`` for extraction and returns it untranslated: a constant translated where it is shown."""
    return message


class Refusal(ValueError):
    """Something typed that cannot be used (a formula, a rule, a list of numbers), explained by one whole template
    marked ``N_`` where it is raised, and its named values. ``str()`` is the English; ``text(gettext)`` the same in
    another language, which the ui shows (``rmsviz.ui.language.explained``)."""

    def __init__(self, template: str, **values):
        self.template, self.values = template, values
        super().__init__(self.text())

    def text(self, gettext: Callable[[str], str] = N_) -> str:
        """The message in the language of ``gettext`` (English by default)."""
        return gettext(self.template).format(**self.values)


@dataclass(frozen=True)
class Translator:
    """One language's lookups: ``gettext`` (``_``) and ``ngettext`` as the catalog answers them."""

    lang: str
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]


def po_path(lang: str) -> Path:
    """The catalog of ``lang`` (not English, whose messages are the ids)."""
    return LOCALE_DIR / LOCALES[lang] / "LC_MESSAGES" / f"{DOMAIN}.po"


_built: dict[str, Translator] = {}
_building = threading.Lock()


def translator(lang: str) -> Translator:
    """The lookups of ``lang`` (one of LANGUAGES), built once per process and shared by every session. Built under
    a lock: a class opening a fresh server asks for them from every session at once, and each would otherwise
    read the catalog itself (50 sessions at once read it 50 times)."""
    found = _built.get(lang)
    if found is None:
        with _building:
            found = _built.get(lang) or _built.setdefault(lang, _read(lang))
    return found


def _read(lang: str) -> Translator:
    if lang == ENGLISH:
        found = gettext.NullTranslations()
    else:
        with po_path(lang).open("rb") as po:
            catalog = read_po(po, locale=LOCALES[lang], domain=DOMAIN)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)  # fuzzy messages are left out, as msgfmt leaves them
        compiled.seek(0)
        found = gettext.GNUTranslations(compiled)
    return Translator(lang, found.gettext, found.ngettext)


def from_locale(locale: str | None) -> str:
    """The language of a browser's locale (``zh-CN``, ``ko-KR``, ``en-US``; None when unknown): Chinese in any
    region is written here in Simplified characters, anything else the app does not speak gets English."""
    primary = (locale or "").replace("_", "-").split("-")[0].lower()
    return primary if primary in LOCALES else ENGLISH


def list_of(items: list[str], lang: str) -> str:
    """``items`` as one list in the form of ``lang`` (CLDR's, through Babel): "a, b and c", "a、b和c", "a, b 및 c".
    A sentence takes the whole list as one placeholder, never "and" glued between translated pieces."""
    return format_list(items, locale=LIST_LOCALES[lang])
