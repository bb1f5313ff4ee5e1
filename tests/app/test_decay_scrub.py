"""Scrub mode on the decay page (issue 25): both charts hold the run's γ at every value its slider offers, each
curve what a direct computation at that value gives, to the last bit; the switch is in the link."""

import numpy as np
from helpers import chart, open_page
from test_race_scrub import scrub_slider, scrubbed_frame

import rmsviz
from rmsviz.ui import decay_links
from rmsviz.ui.decay import D2L_RUN


def scrubbed(spec: dict, gamma: float) -> list[dict]:
    """The traces the scrub slider's step at ``gamma`` draws."""
    return scrubbed_frame(spec, gamma)["data"]


def test_scrubbed_curves_are_a_direct_computation_bit_for_bit():
    horizon, steps, k = 30, 25, 12
    at = open_page("decay", scrub_gamma="true", horizon=str(horizon), k=str(k), **{"run.steps": str(steps)})
    assert not at.exception and not at.error
    weights, state = chart(at, decay_links.WEIGHTS_CHART), chart(at, decay_links.STATE_CHART)
    offered = [float(s["value"]) for s in scrub_slider(state)["steps"]]
    assert offered == [float(s["value"]) for s in scrub_slider(weights)["steps"]]
    assert len(offered) == 51 and offered[0] == 0.0 and offered[-1] == 1.0  # the γ slider's stops, 0.02 apart
    assert scrub_slider(state)["active"] == offered.index(D2L_RUN["gamma"])
    for gamma in (0.3, 0.9, 0.98):
        curve = scrubbed(weights, gamma)[0]  # the run's γ: the weights chart's last curve
        assert curve["name"] == f"γ = {gamma:g}"
        assert np.array_equal(curve["y"], (1 - gamma) * gamma ** np.arange(horizon))
        run = rmsviz.run(
            "rmsprop", D2L_RUN["surface"], start=(D2L_RUN["x0"], D2L_RUN["y0"]), steps=steps, lr=D2L_RUN["lr"],
            gamma=gamma, eps=D2L_RUN["eps"], record="all",
        )  # fmt: skip
        bars = [t for t in scrubbed(state, gamma) if t["type"] == "bar"]
        for i, bar in enumerate(bars):  # g_j² of each step j = 1 … k, per coordinate
            assert np.array_equal(bar["y"], run.grads[1 : k + 1, i] ** 2)
        lines = [t for t in scrubbed(state, gamma) if t.get("legendgroup") == "w"]
        for line in lines:  # the weight (1 − γ)γ^{k − j} of step j in s_k
            assert np.array_equal(line["y"], (1 - gamma) * gamma ** (k - np.arange(1, k + 1)))


def test_the_switch_is_in_the_link_and_off_by_default():
    off = open_page("decay")
    assert "sliders" not in chart(off, decay_links.STATE_CHART)["layout"]
    assert decay_links.query({decay_links.SCRUB: True}) == {decay_links.SCRUB: "true"}
