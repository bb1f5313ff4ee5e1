"""The race's table, the step inspector and the words beside the race's buttons follow the scrub (issue 25): what
the page holds for each scrubbed value is what a rerun of the page with that value kept (Keep's link) shows, word
for word and number for number."""

import base64
import html
import json
import re
import zlib

import pytest
from helpers import open_page

from rmsviz.ui import race_links
from rmsviz.ui.race_settings import scrub_label

STEP = 5
TABLE = 'class="rmsviz-table"'


def page(**query):
    """The race page with the step inspector at step ``STEP``, opened with ``query``."""
    at = open_page(details="Step inspector", steps="40", **query)
    at.slider(key=race_links.INSPECT_K).set_value(STEP).run()
    assert not at.exception  # a racer may diverge (a message): not an error of the page
    return at


def followed(at, part: str) -> dict[int, str]:
    """What the page holds of ``part`` ("table", "inspector") at each scrubbed value but the kept one, by the
    value's index among the scrub's values."""
    block = next(m.value for m in at.markdown if f'data-rmsviz-follow="{part}"' in m.value)
    chunks = block.split('<div data-rmsviz-follow-value="')[1:]
    chunks[-1] = re.sub(r"</div>\s*$", "", chunks[-1])  # the block's own end
    return {int(index): re.sub(r"</div>\s*$", "", words) for index, words in (c.split('">', 1) for c in chunks)}


def followed_steps(at) -> list[list[str]]:
    """Who is ahead at each step shown, at each scrubbed value (the followed table's data-steps, deflated)."""
    block = next(m.value for m in at.markdown if 'data-rmsviz-follow="table"' in m.value)
    return json.loads(zlib.decompress(base64.b64decode(re.search(r'data-steps="([^"]*)"', block).group(1))))


def steps(at) -> list[str]:
    """Who is ahead at each step shown, beside the race's buttons."""
    own = next(e.proto.body for e in at.get("html") if "data-rmsviz-race-keys" in e.proto.body)
    return json.loads(html.unescape(re.search(r'data-steps="([^"]*)"', own).group(1)))


def tables(at) -> list[str]:
    """The page's own tables (the race's, then the inspector's), as drawn."""
    return [m.value for m in at.markdown if TABLE in m.value and "data-rmsviz-follow" not in m.value]


def formulas(at) -> list[str]:
    return [e.value.strip("$\n") for e in at.get("latex")]


@pytest.mark.parametrize(("setting", "noise"), [("rmsprop.lr", "0.0"), ("rmsprop.lr", "0.3"), ("lr", "0.0")])
def test_each_value_shows_what_a_rerun_at_that_value_shows(setting, noise):
    at = page(scrub=scrub_label(setting), noise=noise)
    keys = [race_links.racer_key(r, "lr") for r in ("rmsprop", "adagrad", "momentum", "rprop")]
    keys = keys if setting == "lr" else keys[:1]
    options = [float(o) for o in at.select_slider(key=keys[0]).options]  # the scrub's values (test_race_scrub)
    table, inspector = followed(at, "table"), followed(at, "inspector")
    # RMSProp's η, 0.4, is kept; η of every racer: they ran with different η, so the box's 0.4 is held too
    kept_one = set() if setting == "lr" else {options.index(0.4)}
    assert set(table) == set(inspector) == set(range(len(options))) - kept_one
    said = next(c.value for c in at.caption if "is scrubbed" in c.value)  # the line that says what follows the hand
    # the rest of the page: at RMSProp's η = 0.4, or, η of every racer, at each racer's own (Rprop ran at 0.1)
    assert said.endswith("the value each racer ran with." if setting == "lr" else "the kept η = 0.4.")
    kept, words = formulas(at), followed_steps(at)
    for lr in (0.05, 0.7, 1.5) if kept_one else (0.05, 0.4, 1.5):
        i = options.index(lr)
        rerun = page(scrub=scrub_label(setting), noise=noise, **dict.fromkeys(keys, repr(lr)))  # Keep's link
        race_table, step_table = tables(rerun)
        assert "<table" in table[i] and race_table.endswith(table[i])  # less the tables' stylesheet, drawn once
        assert not tables(at)[0].endswith(table[i])  # the rerun's, not the kept value's
        lines = [html.unescape(line) for line in re.findall(r'data-tex="([^"]*)"', inspector[i])]
        assert len(lines) == 4 and formulas(rerun)[-4:] == lines  # the inspector draws last: the step's lines
        assert (lines == kept[-4:]) == (lr == 0.4)  # another value's step, but RMSProp's own η
        assert step_table.endswith(inspector[i][inspector[i].index("<table") :])
        assert words[i] == steps(rerun) != steps(at)  # the words beside the race's buttons


def test_the_formulas_typesetter_is_found_among_streamlits_files():
    """The followed formulas are typeset in the browser by Streamlit's own rehype-katex file, found by its name:
    a Streamlit that renamed it would leave them as raw LaTeX, so an upgrade must fail here first."""
    from rmsviz.ui.scrub_follow import KATEX

    assert KATEX is not None and KATEX.is_file()


def test_a_step_after_the_run_diverged_says_so_instead_of_a_formula():
    """RMSProp at γ = 1 overflows at step 4 and stops: step 5 moved nothing, and the page says so, kept or
    scrubbed, where the formula with the recorded gradient filled in would write an update that never happened."""
    at = page(**{"rmsprop.gamma": "1.0"})  # step STEP = 5
    said = "The run diverged at step 4 and stopped at the point before it, so step 5 moved nothing."
    assert said in [m.value for m in at.markdown] and formulas(at) == [] and len(tables(at)) == 1
    at = page(scrub=scrub_label("rmsprop.gamma"))  # γ = 0.9 kept; γ = 1 one of the values under the hand
    shown = followed(at, "inspector")  # by the value's index: γ = 1, the largest, is the last
    assert said in shown[max(shown)] and "data-tex" not in shown[max(shown)]
    assert len(formulas(at)) == 4 and "data-tex" in shown[min(shown)] and said not in shown[min(shown)]
