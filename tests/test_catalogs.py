"""The message catalogs against the code: Babel extracts every message from the code as the README says
(babel.cfg), and each language's catalog translates every one of them, none fuzzy, with the same named
placeholders as the English; the committed template (rmsviz.pot) holds exactly the extracted messages."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from rmsviz.i18n import ENGLISH, LANGUAGES, LOCALE_DIR, LOCALES, po_path, translator

ROOT = Path(__file__).resolve().parents[1]
OTHERS = [lang for lang in LANGUAGES if lang != ENGLISH]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages in the code now, by id (a plural message's id is its (singular, plural) pair)."""
    pot = tmp_path_factory.mktemp("pot") / "rmsviz.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(pot),
                                "--no-location", str(ROOT)])  # fmt: skip
    with pot.open("rb") as f:
        return {m.id: m for m in read_po(f) if m.id}


def _catalog(path: Path, **kwargs):
    with path.open("rb") as f:
        return read_po(f, **kwargs)


def fields(text: str) -> set[str]:
    """The named placeholders of a template: ``{loss}`` and ``{loss:.3g}`` are both ``loss``."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_code_marks_messages_and_the_template_is_current(extracted):
    assert len(extracted) > 5
    committed = {m.id for m in _catalog(LOCALE_DIR / "rmsviz.pot") if m.id}
    assert committed == set(extracted), "run the extraction and update the catalogs (README: Languages)"


@pytest.mark.parametrize("lang", OTHERS)
def test_every_message_is_translated_with_the_same_placeholders(extracted, lang):
    catalog = _catalog(po_path(lang), locale=LOCALES[lang])
    assert catalog.plural_forms == "nplurals=1; plural=0;"  # Chinese and Korean: one form for every number
    untranslated, fuzzy, placeholders = [], [], []
    for message_id, source in extracted.items():
        message = catalog.get(message_id)
        strings = [] if message is None else list(message.string) if message.pluralizable else [message.string]
        if not strings or not all(strings):
            untranslated.append(message_id)
            continue
        if message.fuzzy:
            fuzzy.append(message_id)
        english = fields("".join(source.id) if source.pluralizable else source.id)
        placeholders += [(message_id, s) for s in strings if fields(s) != english]
    assert not untranslated, f"{len(untranslated)} untranslated in {lang}: {untranslated[:5]}"
    assert not fuzzy, f"fuzzy in {lang}: {fuzzy[:5]}"
    assert not placeholders, f"placeholders differ in {lang}: {placeholders[:5]}"
    assert not [error for _, errors in catalog.check() for error in errors]  # Babel's own checks


@pytest.mark.parametrize("lang", OTHERS)
def test_a_catalog_is_read_at_run_time_from_its_po_file(lang):
    t = translator(lang)
    title = t.gettext("Optimizer race")
    assert title != "Optimizer race"
    assert translator(ENGLISH).gettext("Optimizer race") == "Optimizer race"
