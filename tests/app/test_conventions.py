"""AppTest for the conventions page: the table cites its sources, the racers race, a bad link is refused."""

from helpers import chart, open_page

from rmsviz.studies import conventions


def test_table_race_and_translator():
    at = open_page("conventions")
    assert not at.exception and not at.warning
    table = at.table[0].value.to_csv()
    for c in conventions.CONVENTIONS:
        assert c.framework in table and c.source in table
    raced = at.table[1].value
    assert list(raced["framework"]) == [c.framework for c in conventions.CONVENTIONS]  # every row races
    spec = chart(at)
    names = {trace.get("name") for trace in spec["data"]}
    assert {f"RMSProp as {c.framework} ships it" for c in conventions.CONVENTIONS} <= names
    runs = dict((c.framework, t) for c, t in conventions.race(0.4, 40))  # the page's defaults
    assert list(raced["final loss"]) == [f"{runs[c.framework].loss[-1]:.3g}" for c in conventions.CONVENTIONS]
    adagrad = at.table[2].value.to_csv()
    for c in conventions.ADAGRAD_CONVENTIONS:
        assert c.framework in adagrad and c.source in adagrad
    ends = dict((c.framework, t) for c, t in conventions.adagrad_race(0.4, 40))
    assert list(at.table[3].value["final loss"]) == [f"{t.loss[-1]:.3g}" for t in ends.values()]
    assert any("JAX example_libraries is not raced: its default momentum" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 2


def test_bad_link_values_are_refused():
    at = open_page("conventions", conv_lr="7", conv_steps="-1", conv_from="Nope")
    assert not at.exception
    assert at.warning
