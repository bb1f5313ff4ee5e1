"""rmsviz.i18n: a browser's locale to the app's language, and the lookups of each language."""

import pytest

from rmsviz.i18n import ENGLISH, from_locale, translator


@pytest.mark.parametrize(
    ("locale", "lang"),
    [("zh-CN", "zh"), ("zh-TW", "zh"), ("zh", "zh"), ("ko-KR", "ko"), ("ko", "ko"), ("en-US", "en"),
     ("de-DE", "en"), ("", "en"), (None, "en"), ("ZH_cn", "zh")],
)  # fmt: skip
def test_a_browser_locale_gives_a_language(locale, lang):
    assert from_locale(locale) == lang


def test_english_is_the_message_ids_and_every_lookup_is_built_once():
    english = translator(ENGLISH)
    assert english.gettext("anything at all") == "anything at all"
    assert english.ngettext("one step", "{count} steps", 2) == "{count} steps"
    assert translator("zh") is translator("zh")
