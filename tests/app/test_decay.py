"""AppTest for the γ decay page: d2l's figure, bad γ lists, γ = 1, garbage links."""

from helpers import chart, go, new_app, open_page, widgets
from streamlit.testing.v1 import AppTest

from rmsviz.ui import decay_links, race_links


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
    at.text_input(key=decay_links.GAMMAS).set_value("0.9, 1.2, abc").run()
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


def run(at: AppTest, *fields: str) -> tuple:
    """The values the run's widgets show, for ``fields`` (decay_links.RUN_FIELDS)."""
    return tuple(widgets(at)[decay_links.run_key(field)].value for field in fields)


def test_the_run_is_d2ls_without_a_race():
    at = open_page("decay")
    assert run(at, "surface", "x0", "y0", "lr", "gamma", "steps") == ("elliptic", -5.0, -2.0, 0.4, 0.9, 20)


def test_the_run_follows_the_race_page():
    at = open_page("race")
    at.selectbox(key=race_links.SURFACE).set_value("rotated").run()
    at.slider(key=race_links.racer_key("rmsprop", "gamma")).set_value(0.99).run()
    go(at, "decay")
    assert not at.exception
    assert run(at, "surface", "x0", "y0", "gamma", "steps") == ("rotated", -4.0, -1.0, 0.99, 100)
    assert any("Rotated bowl" in c.value and "γ = 0.99" in c.value for c in at.caption)
    # a change made here stays while the race is unchanged
    at.slider(key=decay_links.run_key("gamma")).set_value(0.5).run()
    assert run(at, "gamma") == (0.5,)


def test_a_new_surface_starts_from_its_own_start():
    at = open_page("decay")
    at.selectbox(key=decay_links.run_key("surface")).set_value("rosenbrock").run()
    assert not at.exception
    assert run(at, "x0", "y0", "lr") == (-1.5, 2.0, 0.01)


def test_race_values_left_at_their_defaults_come_from_the_races_surface():
    # In a browser Streamlit keeps another page's URL-bound values only where they differ from the default.
    at = new_app()
    at.session_state[race_links.SURFACE] = "rosenbrock"
    at.session_state[race_links.racer_key("rmsprop", "gamma")] = 0.99
    go(at, "decay")
    assert not at.exception
    assert run(at, "surface", "x0", "y0", "lr", "steps", "gamma") == ("rosenbrock", -1.5, 2.0, 0.01, 500, 0.99)
