"""Scrub mode on the race (issue 25): the chart holds the paths of a setting's values, each the very run a rerun at
that value makes, to the last bit; the values are the slider's own options; the pick is in the link."""

import numpy as np
import pytest
from helpers import chart, open_page, unpacked

import rmsviz
from rmsviz.figures.scrub import SCRUB
from rmsviz.surfaces import SURFACES
from rmsviz.ui import race_links
from rmsviz.ui.race_settings import scrub_label


def scrub_slider(spec: dict) -> dict:
    return next(s for s in spec["layout"]["sliders"] if s.get("name") == SCRUB)


def scrubbed_frame(spec: dict, value: float) -> dict:
    """The frame the scrub shows at ``value``, unpacked from the figure (figures.scrub.packed) as the page does."""
    index = next(i for i, s in enumerate(scrub_slider(spec)["steps"]) if float(s["value"]) == value)
    return unpacked(spec["layout"]["meta"][SCRUB])[index]


def scrubbed_path(spec: dict, value: float, racer: int = 0) -> np.ndarray:
    """Racer ``racer``'s path (among the scrubbed ones) at ``value`` as the figure carries it."""
    path = scrubbed_frame(spec, value)["data"][racer]
    return np.stack([path["x"], path["y"]], -1)


@pytest.mark.parametrize("noise", [0.0, 0.3])
def test_a_scrubbed_path_is_the_run_at_that_value_bit_for_bit(noise):
    at = open_page(scrub=scrub_label("rmsprop.lr"), steps="40", noise=str(noise))
    assert not at.exception and not at.error
    spec = chart(at)
    options = [float(s["value"]) for s in scrub_slider(spec)["steps"]]
    assert options == [float(o) for o in at.select_slider(key=race_links.racer_key("rmsprop", "lr")).options]
    assert scrub_slider(spec)["active"] == options.index(0.4)  # the value the race runs with
    surface = SURFACES["elliptic"]
    for lr in (0.05, 0.4, 1.5):
        run = rmsviz.run("rmsprop", surface, start=surface.starts[0], steps=40, noise=noise, seed=0, lr=lr, gamma=0.9)
        assert np.array_equal(scrubbed_path(spec, lr), run.path)


def test_every_racer_at_once_and_the_link():
    at = open_page(scrub=scrub_label("lr"), steps="20")
    spec = chart(at)
    assert len(scrubbed_frame(spec, 0.4)["traces"]) == 4  # every racer's path is swapped
    assert at.selectbox(key=race_links.SCRUB).value == "lr"
    assert race_links.decode({race_links.SCRUB: "η of every racer"}) == ({race_links.SCRUB: "lr"}, [])
    assert race_links.query({race_links.SCRUB: "rmsprop2.gamma"}) == {race_links.SCRUB: "γ of RMSProp #2"}
    off = open_page(steps="20")
    assert len(chart(off)["layout"]["sliders"]) == 1  # no scrub: the race's own step slider alone
