"""AppTest for the γ decay page: d2l's figure, bad γ lists, γ = 1, garbage links."""

from helpers import chart, go, new_app, open_page
from streamlit.testing.v1 import AppTest

from rmsviz.ui import race_links


def weight_names(at: AppTest) -> list[str]:
    spec = chart(at)
    return [t["name"] for t in spec["data"] if t.get("showlegend", True) and "γ" in t.get("name", "")]


def test_default_is_d2ls_figure_and_a_run():
    at = open_page("decay")
    assert not at.exception and not at.error
    assert weight_names(at) == ["γ = 0.95", "γ = 0.9", "γ = 0.8", "γ = 0.7"]
    assert len(at.get("plotly_chart")) == 2


def test_bad_gamma_list_keeps_the_last_good_one():
    at = open_page("decay")
    at.text_input(key="gammas").set_value("0.9, 1.2, abc").run()
    assert not at.exception
    assert any("Invalid gamma: 1.2" in e.value for e in at.error)
    assert weight_names(at) == ["γ = 0.95", "γ = 0.9", "γ = 0.8", "γ = 0.7"]


def test_gamma_one_is_explained_by_the_run():
    at = open_page("decay", **{"run.gamma": "1.0", "run.steps": "40"})
    assert not at.exception
    assert any("γ = 1" in w.value and "diverged at step" in w.value for w in at.warning)


def test_garbage_link_gives_notices_and_a_working_page():
    at = open_page("decay", horizon="-3", gammas="zzz", k="abc")
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    assert "horizon=-3" in notices and "k=abc" in notices
    assert any("'zzz' is not a number" in e.value for e in at.error)
    assert weight_names(at)


def test_the_run_is_d2ls_without_a_race():
    at = open_page("decay")
    assert at.selectbox(key="run.surface").value == "elliptic"
    assert (at.number_input(key="run.x0").value, at.number_input(key="run.y0").value) == (-5.0, -2.0)
    assert at.select_slider(key="run.lr").value == 0.4 and at.slider(key="run.gamma").value == 0.9
    assert at.slider(key="run.steps").value == 20


def test_the_run_follows_the_race_page():
    at = open_page("race")
    at.selectbox(key=race_links.SURFACE).set_value("rotated").run()
    at.slider(key=race_links.racer_key("rmsprop", "gamma")).set_value(0.99).run()
    go(at, "decay")
    assert not at.exception
    assert at.selectbox(key="run.surface").value == "rotated"
    assert (at.number_input(key="run.x0").value, at.number_input(key="run.y0").value) == (-4.0, -1.0)
    assert at.slider(key="run.gamma").value == 0.99 and at.slider(key="run.steps").value == 100
    assert any("Rotated bowl" in c.value and "γ = 0.99" in c.value for c in at.caption)
    at.slider(key="run.gamma").set_value(0.5).run()  # a change made here stays while the race is unchanged
    assert at.slider(key="run.gamma").value == 0.5


def test_a_new_surface_starts_from_its_own_start():
    at = open_page("decay")
    at.selectbox(key="run.surface").set_value("rosenbrock").run()
    assert not at.exception
    assert (at.number_input(key="run.x0").value, at.number_input(key="run.y0").value) == (-1.5, 2.0)
    assert at.select_slider(key="run.lr").value == 0.01


def test_race_values_left_at_their_defaults_come_from_the_races_surface():
    # In a browser Streamlit keeps another page's URL-bound values only where they differ from the default.
    at = new_app()
    at.session_state[race_links.SURFACE] = "rosenbrock"
    at.session_state[race_links.racer_key("rmsprop", "gamma")] = 0.99
    go(at, "decay")
    assert not at.exception
    assert at.selectbox(key="run.surface").value == "rosenbrock"
    assert (at.number_input(key="run.x0").value, at.number_input(key="run.y0").value) == (-1.5, 2.0)
    assert at.select_slider(key="run.lr").value == 0.01 and at.slider(key="run.steps").value == 500
    assert at.slider(key="run.gamma").value == 0.99
