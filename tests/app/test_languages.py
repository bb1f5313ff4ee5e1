"""The app in Chinese and Korean: every page renders in each language with its title and the words this
issue translated from the catalogs; the language comes from the link and stays from page to page, into
the links the app writes; an unknown ``lang`` gets a notice."""

from __future__ import annotations

import pytest
from helpers import go, new_app, open_page, tables

from rmsviz import engine
from rmsviz.i18n import translator
from rmsviz.studies.presets import PRESETS
from rmsviz.ui.language import KOREAN_LINES
from rmsviz.ui.links import LANG
from rmsviz.ui.pages import PAGES

TITLES = {"zh": "优化算法竞赛", "ko": "최적화 알고리즘 경주"}  # the race's title, as the glossary words it


def texts(at) -> str:
    """Every title, header, text, caption and notice on the page, and the sidebar's navigation."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning")
             for e in getattr(at, kind)]  # fmt: skip
    return "\n".join(map(str, parts))


@pytest.mark.parametrize("lang", ["zh", "ko"])
@pytest.mark.parametrize("page", [p.name for p in PAGES])
def test_every_page_renders_in_the_language_of_the_link(page, lang):
    at = open_page(page, lang=lang)
    assert not at.exception
    title = next(p.title for p in PAGES if p.name == page)
    assert at.title[0].value == translator(lang).gettext(title) != title
    assert at.query_params[LANG] == [lang] or at.query_params[LANG] == lang


def test_the_language_survives_a_page_switch_and_goes_into_the_links_the_app_writes():
    at = open_page("race", lang="ko")
    for page in ("decay", "noise", "race"):
        at.query_params.clear()  # a page switch drops the query string
        go(at, page)
        assert not at.exception
        assert at.title[0].value == translator("ko").gettext(next(p.title for p in PAGES if p.name == page))
    preset = PRESETS[0]
    at = open_page("race", lang="zh", preset=preset.key)
    assert not at.exception
    assert at.title[0].value == TITLES["zh"]
    assert f"{LANG}=zh" in texts(at)  # the preset's own link, in the note, keeps the language


def test_the_picker_changes_the_language_and_an_unknown_lang_gets_a_notice():
    at = open_page("race", lang="xx")
    assert not at.exception
    assert "lang=xx" in texts(at)
    assert at.title[0].value == "Optimizer race"  # no browser locale here: English
    at.selectbox(key="_lang").set_value("ko").run()
    assert at.title[0].value == TITLES["ko"]


@pytest.mark.parametrize(
    ("locale", "title"), [("zh-CN", TITLES["zh"]), ("ko-KR", TITLES["ko"]), ("fr-FR", "Optimizer race")]
)
def test_the_first_visit_without_a_lang_in_the_link_follows_the_browser(locale, title):
    at = new_app()
    at.context = {"locale": locale}
    go(at, "race")
    assert not at.exception
    assert at.title[0].value == title
    assert LANG not in at.query_params  # the browser chose: links stay as they were


def test_korean_lines_break_between_words_and_chinese_lines_anywhere():
    styles = {lang: [e.proto.body for e in open_page("race", lang=lang).get("html")] for lang in ("ko", "zh")}
    assert KOREAN_LINES in styles["ko"]
    assert KOREAN_LINES not in styles["zh"]


def test_a_language_change_recomputes_no_run(monkeypatch):
    """The runs are cached by settings alone; their words (the table, the messages, the notes) by language."""
    runs = []
    real = engine.run
    monkeypatch.setattr(engine, "run", lambda *args, **kwargs: runs.append(1) or real(*args, **kwargs))
    at = open_page("race", steps="37", lang="en")  # settings no other test races: their runs are made here
    made = len(runs)
    assert made and tables(at)[0].columns[0] == "optimizer"
    at.selectbox(key="_lang").set_value("zh").run()
    assert not at.exception
    assert len(runs) == made
    assert tables(at)[0].columns[0] == translator("zh").gettext("optimizer") != "optimizer"


def test_a_refused_formula_is_explained_in_the_language_of_the_page():
    """The formula box's error is the parser's template in Korean, its column too, and what stays in use."""
    at = open_page("race", lang="ko", surface="Your own formula", formula="x ^ 2")
    assert not at.exception
    assert any(e.value.startswith("거듭제곱에는 **를 쓰세요(Python에서 ^는 거듭제곱이 아닙니다)(1열). 여전히 f =")
               for e in at.error), [e.value for e in at.error]  # fmt: skip


def test_the_race_and_a_chart_are_told_in_words_in_the_language_of_the_page():
    """What a screen reader hears (the race's story, a chart's description) comes from the catalogs too."""
    at = open_page("race", lang="zh")
    assert not at.exception
    heard = " ".join(str(e.proto.body) for e in at.get("html"))
    assert "领先，损失为" in heard and "在最后一步第 50 步达到损失" in heard, heard[:300]
    at = open_page("noise", lang="ko")
    heard = " ".join(str(e.proto.body) for e in at.get("html"))
    assert "중앙값" in heard and "가장 낮은 값은" in heard, heard[:300]
