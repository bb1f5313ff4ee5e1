"""AppTest for the γ decay page: d2l's figure, bad γ lists, γ = 1, garbage links."""

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_decay(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("views/decay.py")
    return at.run()


def weight_names(at: AppTest) -> list[str]:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return [t["name"] for t in spec["data"] if t.get("showlegend", True) and "γ" in t.get("name", "")]


def test_default_is_d2ls_figure_and_a_run():
    at = open_decay()
    assert not at.exception and not at.error
    assert weight_names(at) == ["γ = 0.95", "γ = 0.9", "γ = 0.8", "γ = 0.7"]
    assert len(at.get("plotly_chart")) == 2


def test_bad_gamma_list_keeps_the_last_good_one():
    at = open_decay()
    at.text_input(key="gammas").set_value("0.9, 1.2, abc").run()
    assert not at.exception
    assert any("Invalid gamma: 1.2" in e.value for e in at.error)
    assert weight_names(at) == ["γ = 0.95", "γ = 0.9", "γ = 0.8", "γ = 0.7"]


def test_gamma_one_is_explained_by_the_run():
    at = open_decay(**{"run.gamma": "1.0", "run.steps": "40"})
    assert not at.exception
    assert any("γ = 1" in w.value and "diverged at step" in w.value for w in at.warning)


def test_garbage_link_gives_notices_and_a_working_page():
    at = open_decay(horizon="-3", gammas="zzz", k="abc")
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    assert "horizon=-3" in notices and "k=abc" in notices
    assert any("'zzz' is not a number" in e.value for e in at.error)
    assert weight_names(at)
