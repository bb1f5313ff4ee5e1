"""AppTest for the conventions page: the table cites its sources, the racers race, the intro counts from the
table, a bad link is refused."""

import re

from helpers import chart, open_page, tables

from rmsviz.studies import conventions


def test_table_race_and_translator():
    at = open_page("conventions")
    assert not at.exception and not at.warning
    table = tables(at)[0].to_csv()
    for c in conventions.CONVENTIONS:
        assert c.framework in table and c.source in table
    raced = tables(at)[1]
    assert list(raced["framework"]) == [c.framework for c in conventions.CONVENTIONS]  # every row races
    spec = chart(at)
    names = {trace.get("name") for trace in spec["data"]}
    assert {f"RMSProp as {c.framework} ships it" for c in conventions.CONVENTIONS} <= names
    runs = dict((c.framework, t) for c, t in conventions.race(0.4, 40))  # the page's defaults
    assert list(raced["final loss"]) == [f"{runs[c.framework].loss[-1]:.3g}" for c in conventions.CONVENTIONS]
    forms = tables(at)[2]
    raced_forms = conventions.form_race(0.4, 40)
    assert list(forms["form"]) == [f.call for _, f, _ in raced_forms]
    assert list(forms["final loss"]) == [f"{t.loss[-1]:.3g}" for _, _, t in raced_forms]
    adagrad = tables(at)[3].to_csv()
    for c in conventions.ADAGRAD_CONVENTIONS:
        assert c.framework in adagrad and c.source in adagrad
    ends = dict((c.framework, t) for c, t in conventions.adagrad_race(0.4, 40))
    assert list(tables(at)[4]["final loss"]) == [f"{t.loss[-1]:.3g}" for t in ends.values()]
    assert any("JAX example_libraries is not raced: its default momentum" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 2
    translated = tables(at)[5]
    assert list(translated["framework"]) == [c.framework for c in conventions.CONVENTIONS]
    assert {"exact", "momentum", "centered"} <= set(translated.columns)


def test_intro_counts_the_decays_names_from_the_table():
    """Issue 22: "the decay has 5 names" beside a table that showed a sixth (MXNet 1.x's gamma1)."""
    at = open_page("conventions")
    names = set(tables(at)[0]["decay is called"])
    intro = next(m.value for m in at.markdown if "names (" in m.value)
    count = re.search(r"the decay has (\d+) names \(([^:]*):", intro)
    assert int(count[1]) == len(names) and set(re.findall(r"`(\w+)`", count[2])) == names
    starts = tables(at)[0].set_index("framework")["s starts at"]
    for framework, s0 in starts.items():  # every framework that does not start s at 0 is named in the intro
        assert (f"{framework} starts $s$ at {s0}" in intro) == (s0 != "0")


def test_bad_link_values_are_refused():
    at = open_page("conventions", conv_lr="7", conv_steps="-1", conv_from="Nope")
    assert not at.exception
    assert at.warning
