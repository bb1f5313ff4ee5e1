"""AppTest for the race's "your rule" racer: it races from a link, a bad rule is explained and the last
good one keeps racing, the step inspector writes out the rule's step with the run's numbers."""

import inspect
from itertools import chain

import pytest
from helpers import SHARED_NAMES, chart, open_page, shared_names_rule, tables
from streamlit.testing.v1 import AppTest

import rmsviz
from rmsviz.rules import STARTERS
from rmsviz.ui import race_links
from rmsviz.ui.rules import TITLE

NO_ROOT = "s = gamma * s + (1 - gamma) * g * g\nx = x - lr * g / (s + eps)"


def race_names(at: AppTest) -> set[str]:
    return {t.get("name") for t in chart(at)["data"]}


def test_a_rule_from_the_link_races_beside_the_builtins():
    at = open_page(rule_on="true", rule=NO_ROOT, rule_state="s = 0", racers=["RMSProp"], steps="20")
    assert not at.exception
    assert not at.sidebar.error, [e.value for e in at.sidebar.error]
    table = tables(at)[0]
    assert list(table["optimizer"]) == ["RMSProp", TITLE]
    builtin_loss = rmsviz.run("rmsprop", "elliptic", start=(-5.0, -2.0), steps=20, lr=0.4, gamma=0.9).loss[-1]
    assert table["final loss"].iloc[0] == f"{builtin_loss:.3g}"
    rule = rmsviz.parse_rule(NO_ROOT, "s = 0")
    mine = rmsviz.run(rule.spec(), "elliptic", start=(-5.0, -2.0), steps=20, lr=0.4, gamma=0.9, eps=1e-6)
    assert table["final loss"].iloc[1] == f"{mine.loss[-1]:.3g}"
    assert at.text_area(key=race_links.RULE).value == NO_ROOT
    assert TITLE in race_names(at)


def test_a_bad_rule_is_explained_and_the_last_good_one_keeps_racing():
    at = open_page(rule_on="true", racers=["Adagrad"], steps="20")
    before = tables(at)[0]["final loss"].iloc[1]
    at.text_area(key=race_links.RULE).set_value("x = x - lr * g.__class__").run()
    assert not at.exception
    errors = [e.value for e in at.sidebar.error]
    assert any("Attribute is not allowed" in e and "line 1, column 14" in e and "keeps racing" in e for e in errors)
    assert tables(at)[0]["final loss"].iloc[1] == before


def test_the_starter_picker_and_the_rules_sliders():
    at = open_page(rule_on="true", racers=["Adam"], steps="30")
    at.selectbox(key=race_links.RULE_STARTER).set_value("adam").run()
    assert at.text_area(key=race_links.RULE).value == STARTERS["adam"].update
    sliders = {s.key for s in at.sidebar.select_slider} | {s.key for s in at.sidebar.slider}
    assert {"rule.lr", "rule.beta1", "rule.beta2", "rule.eps"} <= sliders
    table = tables(at)[0]
    assert table["final loss"].iloc[0] == table["final loss"].iloc[1]  # the starter is Adam to 1e-12


def test_the_step_inspector_writes_out_the_rules_step():
    at = open_page(rule_on="true", racers=["RMSProp"], steps="10", details="Step inspector")
    at.selectbox(key=race_links.INSPECT).set_value(TITLE).run()
    assert not at.exception
    latex = [m.value.strip("$\n") for m in at.latex]  # st.latex wraps its body in $$ lines
    assert any(line.startswith(r"s_{1} = \gamma \cdot s_{0}") for line in latex)
    rule = rmsviz.parse_rule(STARTERS["rmsprop"].update, "s = 0")
    t = rmsviz.run(rule.spec(), "elliptic", start=(-5.0, -2.0), steps=10, record="all", lr=0.4, gamma=0.9)
    assert any(line.endswith(f"= {t.state['s'][1, 0]:.6g}") for line in latex)


def test_the_shared_names_hold_every_keyword_of_run():
    assert set(inspect.signature(rmsviz.run).parameters) <= set(chain(*SHARED_NAMES))


@pytest.mark.parametrize("names", SHARED_NAMES, ids=lambda names: names[0])
def test_a_rules_names_are_its_own_though_run_has_them_too(names):
    """A rule's steps, target, noise, schedule, state, self … are its hyperparameters, set by their sliders and
    the link, never run()'s parameters (they crashed the page, or target set run's target and the rule kept
    its default); the step inspector writes them out."""
    given = {name: round(0.2 + 0.1 * i, 1) for i, name in enumerate(names)}
    links = {race_links.rule_key(name): str(value) for name, value in given.items()}
    at = open_page(rule_on="true", rule=shared_names_rule(names), rule_state="", racers=["RMSProp"], steps="20",
                   details="Step inspector", **links)  # fmt: skip
    assert not at.exception, [e.message for e in at.exception]
    assert not at.sidebar.error and not at.error, [e.value for e in (*at.sidebar.error, *at.error)]
    assert {name: at.slider(key=race_links.rule_key(name)).value for name in names} == given
    sgd = rmsviz.run("sgd", "elliptic", start=(-5.0, -2.0), steps=20, lr=0.4 * sum(given.values()) / 10)
    assert tables(at)[0]["final loss"].iloc[1] == f"{sgd.loss[-1]:.3g}"
    at.selectbox(key=race_links.INSPECT).set_value(TITLE).run()
    assert not at.exception, [e.message for e in at.exception]
    latex = [m.value.strip("$\n") for m in at.latex]
    assert any(r"\mathrm{" + names[1].replace("_", r"\_") + "}" in line for line in latex)
