"""rmsviz.i18n: a browser's locale to the app's language, the lookups of each language, refusals and lists."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from babel.messages.pofile import read_po as real_read_po

from rmsviz import i18n
from rmsviz.i18n import ENGLISH, from_locale, list_of, translator
from rmsviz.rules import RuleError, parse_rule
from rmsviz.studies.decay import parse_gammas
from rmsviz.surfaces.expression import ExpressionError, parse


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


def test_a_refusal_keeps_its_template_and_reads_in_every_language():
    """A typed formula's, rule's or list's refusal is one template and its values: English as str(), and the
    same sentence in Chinese and Korean, its location translated with it."""
    with pytest.raises(ExpressionError) as formula:
        parse("x ^ 2")
    assert str(formula.value) == "Use ** for powers (^ is not a power in Python) (at column 1)"
    assert formula.value.text(translator("zh").gettext) == "幂请用 **（在 Python 中 ^ 不是幂）（第 1 列）"
    with pytest.raises(RuleError) as rule:
        parse_rule("x = x - lr * g\ng = 0")
    assert str(rule.value) == "g is the gradient: it cannot be assigned; assign x or the state (line 2, column 1)"
    assert rule.value.text(translator("ko").gettext).endswith("(2행, 1열)")
    with pytest.raises(ValueError) as gammas:
        parse_gammas("0.9, 2")
    assert str(gammas.value) == "Invalid gamma: 2 (must be in [0, 1])"
    assert gammas.value.text(translator("zh").gettext) == "无效的 γ：2（必须在 [0, 1] 内）"


def test_a_list_takes_the_form_of_its_language():
    assert list_of(["a", "b", "c"], "en") == "a, b and c"  # the app's English: no comma before "and"
    assert list_of(["a", "b", "c"], "zh") == "a、b和c"
    assert list_of(["a", "b"], "ko") == "a 및 b"


def test_a_class_opening_a_fresh_server_reads_each_catalog_once(monkeypatch):
    """Every session of a class asks for the lookups at once: the catalog is read once, not once per session."""
    monkeypatch.setattr(i18n, "_built", {})
    reads = []
    monkeypatch.setattr(i18n, "read_po", lambda *args, **kwargs: reads.append(1) or real_read_po(*args, **kwargs))
    start = threading.Barrier(20)

    def session():
        start.wait()
        return i18n.translator("ko")

    with ThreadPoolExecutor(20) as pool:
        found = list(pool.map(lambda _: session(), range(20)))
    assert len(reads) == 1 and all(t is found[0] for t in found)
