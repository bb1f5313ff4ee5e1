"""AppTest for the noise page: the default view, a bad minibatch list, sliders at their ends, bad links."""

import pytest
from helpers import chart, open_page, sliders_at_one_end, values

from rmsviz.figures import COLORS
from rmsviz.ui import noise_links


def test_defaults_draw_the_minibatch_weights_and_the_bands():
    at = open_page("noise")
    assert not at.exception and not at.error and not at.warning
    weights = [t for t in chart(at, noise_links.MINIBATCH_CHART)["data"] if "xaxis" not in t]  # the full-scale panel
    assert [t["name"] for t in weights] == ["SGD", "Rprop", "RMSProp", "Adagrad", "Momentum"]
    assert [t["line"]["color"] for t in weights] == [
        COLORS[n] for n in ("sgd", "rprop", "rmsprop", "adagrad", "momentum")
    ]
    sgd, rprop = values(weights[0]["y"]), values(weights[1]["y"])
    assert len(sgd) == 101 and abs(sgd[100]) < 1e-12 and rprop[100] < -300
    assert any(m.value.startswith("After 100 steps Rprop moved the weight by −381") for m in at.markdown)
    bands = chart(at, noise_links.NOISY_CHART)
    fills = [t for t in bands["data"] if t.get("fill") == "toself"]
    medians = [t["name"] for t in bands["data"] if "fill" not in t]
    assert medians == ["RMSProp (median)", "Adagrad (median)", "SGD (median)"]
    assert len(fills) == 3 and bands["layout"]["yaxis"]["type"] == "log"


def test_a_bad_list_is_explained_and_the_last_good_one_kept():
    at = open_page("noise")
    at.text_input(key=noise_links.SEQUENCE).set_value("1, 1, -2").run()
    assert values(chart(at, noise_links.MINIBATCH_CHART)["data"][0]["y"])[3] == pytest.approx(0.0)  # SGD: 1 + 1 − 2
    at.text_input(key=noise_links.SEQUENCE).set_value("1, two, 3").run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Entry 2 is 'two', not a number (type numbers separated by commas). "
                                           "Still using 1, 1, -2."]  # fmt: skip
    assert values(chart(at, noise_links.MINIBATCH_CHART)["data"][0]["y"])[3] == pytest.approx(0.0)


@pytest.mark.parametrize("end", [0, 1], ids=["low", "high"])
def test_every_slider_at_either_end(end):
    at = sliders_at_one_end(open_page("noise"), end)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2


def test_a_surface_without_minimum_plots_f_on_a_linear_axis():
    at = open_page("noise")
    at.selectbox(key=noise_links.SURFACE).set_value("saddle").run()
    assert not at.exception
    assert chart(at, noise_links.NOISY_CHART)["layout"]["yaxis"]["type"] == "linear"


def test_no_optimizer_is_a_message():
    at = open_page("noise")
    at.multiselect(key=noise_links.OPTIMIZERS_KEY).set_value([]).run()
    assert not at.exception and any("Pick at least one" in i.value for i in at.info)


def test_garbage_link_gives_notices_and_a_working_page():
    at = open_page(
        "noise", sigma="lots", runs="-3", optimizers="Nope", bogus="1", sequence="0.1, x", **{"mb.rprop.lr": "abc"}
    )
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    for fragment in ("sigma=lots", "runs=-3", "optimizers=Nope", "mb.rprop.lr=abc", "bogus"):
        assert fragment in notices
    assert any("Entry 2 is 'x'" in e.value for e in at.error)
    assert len(at.get("plotly_chart")) == 2


def test_a_link_sets_the_view():
    at = open_page("noise", sigma="0.5", runs="20", optimizers=["Adam", "SGD"], sequence="0.2, -0.2")
    assert not at.exception and not at.warning and not at.error
    medians = [t["name"] for t in chart(at, noise_links.NOISY_CHART)["data"] if "fill" not in t]
    assert medians == ["Adam (median)", "SGD (median)"]
    assert values(chart(at, noise_links.MINIBATCH_CHART)["data"][0]["y"])[2] == pytest.approx(0.0)


def test_the_noisy_runs_say_where_adagrads_1_over_sqrt_t_holds():
    at = open_page("noise")
    claims = [m.value for m in at.markdown if "Does Adagrad's s grow linearly" in m.value]
    assert len(claims) == 1 and "The claim holds with noisy gradients" in claims[0]
    at = open_page("noise", optimizers=["RMSProp"])
    assert not [m for m in at.markdown if "Does Adagrad's s grow linearly" in m.value]
