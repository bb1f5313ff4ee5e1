"""Nothing a link or a box gives is dropped in silence (issue 27, cause 5): a link value whose control these
settings do not draw is refused with a notice that says why, a number typed into a list that would read as 0
is refused, and a message quotes at most a few dozen characters of what was typed."""

import pytest
from helpers import open_page

from rmsviz.studies import noise
from rmsviz.ui import decay_links, noise_links, race_links, sweep_links


def notices(at) -> list[str]:
    return [w.value for w in at.warning]


def notice_for(at, key: str) -> str:
    """The one notice about the link's ``key``."""
    found = [text for text in notices(at) if f"`{key}" in text]
    assert len(found) == 1, (key, notices(at))
    return found[0]


@pytest.mark.parametrize(
    ("page", "query", "key", "why"),
    [
        ("race", {race_links.FORMULA: "x**2"}, race_links.FORMULA, "Your own formula"),
        ("race", {race_links.RULE: "x = x - lr*g"}, race_links.RULE, "rule_on=true"),
        ("race", {race_links.RULE_STATE: "s = 0"}, race_links.RULE_STATE, "rule_on=true"),
        ("race", {race_links.rule_key("lr"): "0.1"}, race_links.rule_key("lr"), "rule_on=true"),
        ("race", {"rmsprop.schedule_gamma": "0.5"}, "rmsprop.schedule_gamma", "η schedule"),
        ("race", {"rmsprop.milestones": "10, 20"}, "rmsprop.milestones", "η schedule"),
        ("race", {"sgd.lr": "0.1"}, "sgd.lr", "not among the racers"),
        ("race", {"rotated.theta": "10"}, "rotated.theta", "not the one raced"),
        ("race", {race_links.INSPECT: "RMSProp"}, race_links.INSPECT, "does not take a value from a link"),
        ("race", {race_links.SEEN: "RMSProp"}, race_links.SEEN, "does not take a value from a link"),
        ("race", {"race_3d": "x"}, "race_3d", "does not take a value from a link"),
        ("decay", {"decay_weights": "x"}, "decay_weights", "not on the page"),
        ("sweep", {sweep_links.EDITOR.update: "x = x - lr*g"}, sweep_links.EDITOR.update, "optimizer=Your rule"),
        ("sweep", {"sweep.schedule_gamma": "0.5"}, "sweep.schedule_gamma", "η schedule"),
        ("sweep", {"range_beta1": ["0.1", "0.5"]}, "range_beta1", "neither axis"),
    ],
)
def test_a_link_value_whose_control_is_not_drawn_gets_a_notice(page, query, key, why):
    at = open_page(page, **query)
    assert not at.exception
    text = notice_for(at, key)
    assert "is not used" in text and why in text


def test_a_value_a_control_takes_gets_no_such_notice():
    at = open_page("race", surface="Your own formula", formula="x**2 + y**2", rule_on="true", rule="x = x - lr*g")
    assert not at.exception
    assert not [text for text in notices(at) if "is not used" in text], notices(at)


def test_a_gamma_that_underflows_is_refused():
    at = open_page("decay", **{decay_links.GAMMAS: "0.9, 1e-400"})
    assert not at.exception
    (error,) = [e.value for e in at.error if "1e-400" in e.value]
    assert "would read as 0" in error


def test_a_minibatch_gradient_that_underflows_is_refused():
    at = open_page("noise", **{noise_links.SEQUENCE: "0.1, 1e-400, -0.9"})
    assert not at.exception
    (error,) = [e.value for e in at.error if "1e-400" in e.value]
    assert "Entry 2" in error and "would read as 0" in error


def test_too_many_entries_quotes_a_few_dozen_characters_at_most():
    good = ", ".join(["0.1234"] * noise.MAX_SEQUENCE)  # 8 kB, the most the box takes
    at = open_page("noise", **{noise_links.SEQUENCE: good})
    assert not at.error
    at.text_input(key=noise_links.SEQUENCE).set_value(good + ", 0.1").run()
    (error,) = [e.value for e in at.error]
    assert "Too many entries" in error and len(error) < 200, error


@pytest.mark.parametrize("page", ["race", "decay", "noise", "train", "sweep", "conventions"])
def test_an_unknown_preset_gets_a_notice_on_every_page(page):
    at = open_page(page, preset="no-such-preset")
    assert not at.exception
    assert notice_for(at, "preset")


def test_a_fractional_seed_is_said_to_be_cut_not_ignored():
    at = open_page("race", noise="0.5", seed="1.5", code="true")
    assert "Used the integer part of `seed=1.5`" in notice_for(at, "seed")
    assert "seed=1)" in at.code[0].value  # what runs


def test_a_reversed_sweep_range_is_swapped_with_a_notice():
    at = open_page("sweep", optimizer="Momentum", range_beta=["0.99", "0.0"])
    assert "sweeping 0 … 0.99" in notice_for(at, "range_beta")
