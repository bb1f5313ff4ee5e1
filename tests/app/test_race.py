"""AppTest for the race page: defaults, edge values, the chart spec, links that reproduce a view, bad links."""

import numpy as np
import pytest
from helpers import chart, link_query, open_page, sliders_at_one_end, values

import rmsviz
from rmsviz.stability import crossing, stability
from rmsviz.studies.presets import PRESETS
from rmsviz.studies.race import RACE_DEFAULTS
from rmsviz.surfaces import SURFACES
from rmsviz.surfaces.expression import MAX_DEPTH
from rmsviz.ui import race_links
from rmsviz.ui.presets import preset_link
from rmsviz.ui.race_controls import VIEWS
from rmsviz.ui.race_settings import racer_label


def racer_paths(spec: dict) -> list[dict]:
    return [t for t in spec["data"] if t.get("mode") == "lines+markers"]


def test_defaults_draw_four_racers_with_frames():
    at = open_page()
    assert not at.exception and not at.error
    spec = chart(at)
    assert [t["name"] for t in racer_paths(spec)] == ["RMSProp", "Adagrad", "Momentum", "Rprop"]
    assert len(spec["frames"]) == 51  # steps 0..50
    markers = spec["frames"][0]["traces"]
    assert len(markers) == 4 and all(spec["data"][i]["mode"] == "markers" for i in markers)
    assert len(at.get("plotly_chart")) == 3  # the race, loss, distance
    at.button_group(key=race_links.DETAILS).set_value("rate").run()
    rate = chart(at, 1)
    assert [t["name"] for t in rate["data"] if t["showlegend"]] == [
        "RMSProp", "RMSProp: ceiling η/√ε = 400", "Adagrad", "Adagrad: ceiling η/√ε = 400", "Momentum", "Rprop",
    ]  # fmt: skip
    at.button_group(key=race_links.VIEW).set_value("panels").run()
    panels = chart(at)
    assert {t.get("xaxis") for t in racer_paths(panels)} == {"x", "x2", "x3", "x4"}
    assert [a["text"] for a in panels["layout"]["annotations"]] == ["RMSProp", "Adagrad", "Momentum", "Rprop"]
    assert panels["frames"][0]["traces"] == sorted(panels["frames"][0]["traces"]) and len(panels["frames"]) == 51


@pytest.mark.parametrize("end", [0, 1], ids=["low", "high"])
def test_every_slider_at_either_end_reruns_without_exception(end):
    at = sliders_at_one_end(open_page(), end)
    assert not at.exception
    assert racer_paths(chart(at))


@pytest.mark.parametrize(("x0", "y0"), [(1e9, 0.0), (-5.0, -1e9), (0.0, 0.0)])
def test_typed_start_far_away_is_a_message_next_to_the_control(x0, y0):
    at = open_page()
    at.number_input(key=race_links.X0).set_value(x0)
    at.number_input(key=race_links.Y0).set_value(y0).run()
    assert not at.exception
    far = abs(x0) > 100 or abs(y0) > 100
    assert any("far outside the plot" in e.value for e in at.sidebar.error) == far
    start = values(racer_paths(chart(at))[0]["x"])[0]
    assert start == (-5.0 if far else x0)


def test_gamma_one_is_explained_in_words():
    at = open_page(**{"rmsprop.gamma": "1.0", "steps": "100"})
    assert not at.exception
    assert any("RMSProp diverged at step" in e.value and "γ = 1" in e.value for e in at.error)
    assert any("400 times the gradient" in e.value for e in at.error)  # η/√ε at η = 0.4, ε = 1e-6


def test_stability_panel_explains_the_bounce_with_the_runs_numbers():
    at = open_page(details="Stability")
    assert not at.exception
    t = rmsviz.run("rmsprop", "elliptic", steps=50, record="all", **RACE_DEFAULTS["rmsprop"])
    result = stability(t, SURFACES["elliptic"])
    k = crossing(result.sharpness, 2.0, int(np.argmin(t.loss)) + 1)
    notes = [m.value for m in at.markdown]
    bounce = next(n for n in notes if n.startswith("**RMSProp**"))
    assert f"At step {k} it went past its stability threshold 2 in y" in bounce
    assert f"is {result.sharpness[k]:.3g}." in bounce
    assert any("Rprop has no stability threshold" in n for n in notes)
    panel = chart(at, 1)
    lines = [tr for tr in panel["data"] if tr.get("showlegend")]
    assert [tr["name"] for tr in lines] == ["RMSProp", "Adagrad", "Momentum"]  # Rprop has no threshold
    np.testing.assert_allclose(values(lines[0]["y"]), result.sharpness[1:])
    assert sum(tr.get("fill") == "tonexty" for tr in panel["data"]) == 3


def test_a_racers_schedule_comes_from_the_link_and_shows_in_the_rate_chart():
    link = {"racers": ["RMSProp", "RMSProp #2"], "rmsprop2.schedule": "exponential", "rmsprop2.schedule_gamma": "0.9"}
    at = open_page(details="Effective learning rate", code="true", **link)
    assert not at.exception and not at.warning
    rate = chart(at, 1)
    eta = next(tr for tr in rate["data"] if tr["name"] == "RMSProp #2: η_t")
    np.testing.assert_allclose(values(eta["y"])[:3], [0.4, 0.36, 0.324])
    code = at.code[0].value
    assert 'schedule=rmsviz.schedules.schedule("exponential", gamma=0.9)' in code
    namespace = {}
    exec(compile(code.replace(".show()", ""), "<show code>", "exec"), namespace)  # noqa: S102 - our own generated code
    np.testing.assert_allclose(namespace["runs"][1].path[:, 0], values(racer_paths(chart(at))[1]["x"]))


def test_a_multistep_schedule_takes_its_milestones_from_the_link():
    link = {"racers": ["RMSProp"], "rmsprop.schedule": "multistep", "rmsprop.milestones": "2, 4"}
    at = open_page(details="Effective learning rate", code="true", **link)
    assert not at.exception and not at.warning and not at.error
    rate = chart(at, 1)
    eta = next(tr for tr in rate["data"] if tr["name"] == "RMSProp: η_t")
    np.testing.assert_allclose(values(eta["y"])[:6], [0.4, 0.4, 0.2, 0.2, 0.1, 0.1])  # steps 1 … 6
    assert 'schedule=rmsviz.schedules.schedule("multistep", gamma=0.5, milestones=(2, 4))' in at.code[0].value
    at.text_input(key=race_links.schedule_key("rmsprop", "milestones")).set_value("4, 2").run()
    assert not at.exception
    assert any("must be increasing" in e.value and "Still cutting after steps 2, 4" in e.value for e in at.error)


def test_no_racer_is_a_message_not_a_crash():
    at = open_page()
    at.multiselect(key=race_links.RACERS_KEY).set_value([]).run()
    assert not at.exception and any("Pick at least one" in i.value for i in at.info)


def test_a_link_reproduces_the_view():
    at = open_page()
    at.selectbox(key=race_links.SURFACE).set_value("rotated").run()
    at.multiselect(key=race_links.RACERS_KEY).set_value(["rmsprop", "rmsprop2", "sgd"]).run()
    at.select_slider(key=race_links.racer_key("rmsprop2", "lr")).set_value(0.05).run()
    at.slider(key=race_links.STEPS).set_value(80).run()
    # AppTest does not show the URL the bound widgets write, so the link is spelled out: it holds
    # exactly the values that differ from the defaults, as Streamlit's binding writes them
    # (select boxes write the label they show).
    link = {"surface": "Rotated bowl", "racers": ["RMSProp", "RMSProp #2", "SGD"], "rmsprop2.lr": "0.05", "steps": "80"}
    again = open_page(**link)
    assert not again.exception and not again.warning
    assert chart(again) == chart(at)
    assert [t["name"] for t in racer_paths(chart(again))] == ["RMSProp", "RMSProp #2", "SGD"]
    assert len(values(racer_paths(chart(again))[0]["x"])) == 81


def test_garbage_link_gives_a_notice_and_a_working_page():
    at = open_page(steps="-5", **{"rmsprop.lr": "abc"}, surface="nope", bogus="1")
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    for fragment in ("steps=-5", "rmsprop.lr=abc", "surface=nope", "bogus"):
        assert fragment in notices
    assert len(racer_paths(chart(at))) == 4


def test_show_code_runs_the_same_view():
    assert not open_page().code  # off until asked for
    at = open_page(code="true")
    code = at.code[0].value
    assert 'rmsviz.run("rmsprop", surface, start=(-5, -2), steps=50' in code
    namespace = {}
    exec(compile(code.replace(".show()", ""), "<show code>", "exec"), namespace)  # noqa: S102 - our own generated code
    assert len(namespace["runs"]) == 4


AVAILABLE_PRESETS = [p for p in PRESETS if p.settings["surface"] in (*SURFACES, "custom")]


@pytest.mark.parametrize("preset", AVAILABLE_PRESETS, ids=lambda p: p.key)
def test_preset_button_and_link_give_the_same_view(preset):
    at = open_page()
    at.button(key=f"preset-{preset.key}").click().run()
    assert not at.exception
    assert bool(at.error) == (preset.key == "gamma-one")  # only γ = 1 diverges, and says so
    paths = [t for t in racer_paths(chart(at)) if t.get("showlegend", True)]  # the race's, not a twin panel's
    assert [t["name"] for t in paths] == [racer_label(r) for r in preset.settings["racers"]]
    assert any(preset.title in i.value for i in at.info)
    layout = chart(at)["layout"]
    for path in paths:  # every start is on the plot (the article's θ0 = 10 on a plot to 5)
        x, y = values(path["x"])[0], values(path["y"])[0]
        assert min(layout["xaxis"]["range"]) <= x <= max(layout["xaxis"]["range"]), (path["name"], x)
        assert min(layout["yaxis"]["range"]) <= y <= max(layout["yaxis"]["range"]), (path["name"], y)
    again = open_page(**link_query(preset_link(preset)))
    assert not again.exception and not again.warning
    assert chart(again) == chart(at)


def test_step_inspector_follows_the_chosen_racer_and_step():
    at = open_page(details="Step inspector")
    at.selectbox(key=race_links.INSPECT).set_value("Adagrad").run()
    at.slider(key=race_links.INSPECT_K).set_value(3).run()
    assert not at.exception
    formulas = [e.value.strip("$\n") for e in at.get("latex")]
    assert any(f.startswith("s_{3} = s_{2} + g_{3}^2") for f in formulas)


@pytest.mark.parametrize("chosen", ["panels", "3d"])
def test_other_views_come_from_the_link(chosen):
    at = open_page(view=VIEWS[chosen])
    assert not at.exception and not at.warning
    kinds = {t["type"] for t in chart(at)["data"]}
    assert ("surface" in kinds) == (chosen == "3d")


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_every_surface_races_from_its_own_first_picture(name):
    at = open_page()
    at.selectbox(key=race_links.SURFACE).set_value(name).run()
    assert not at.exception
    surface = SURFACES[name]
    paths = racer_paths(chart(at))
    assert len(values(paths[0]["x"])) == surface.steps + 1
    assert values(paths[0]["x"])[0] == surface.starts[0][0]
    lr = at.select_slider(key=race_links.racer_key("rmsprop", "lr")).value
    assert lr == surface.defaults.get("rmsprop", {}).get("lr", RACE_DEFAULTS["rmsprop"]["lr"])


def test_surface_parameters_change_the_race_and_the_code():
    at = open_page(surface="Rotated bowl", code="true")
    at.slider(key=race_links.surface_key("rotated", "theta")).set_value(0.0).run()
    assert not at.exception
    assert any("0.2u^2 + 4v^2" in m.value for m in at.sidebar.markdown)
    assert 'rmsviz.SURFACES["rotated"].with_params(theta=0)' in at.code[0].value
    kappa = open_page(surface="Quadratic ½xᵀAx", **{"quadratic.kappa": "1000"})
    assert not kappa.exception and not kappa.warning


def test_typed_formula_races_and_bad_formulas_keep_the_last_good_one():
    at = open_page(surface="Your own formula", formula="x**2 + 3*y**2", code="true")
    assert not at.exception and not at.error
    assert any("{x}^{2} + 3" in m.value for m in at.sidebar.markdown)
    good = chart(at)
    at.text_input(key=race_links.FORMULA).set_value("x**2 + __import__('os').system('true')").run()
    assert not at.exception
    assert any("Only these functions can be called" in e.value for e in at.sidebar.error)
    assert chart(at) == good  # the last good formula is still racing
    assert 'rmsviz.Surface.from_expression("x**2 + 3*y**2")' in at.code[0].value.replace("'", '"')


def test_a_formula_too_deep_for_any_stage_is_refused_next_to_its_box():
    """The 83 divisions parsed and then raised RecursionError in the divergence message's Hessian; one level
    past the depth limit, typed or in a link, is said next to the box while the last good formula races."""
    at = open_page(surface="Your own formula", formula="x" + "/x" * 82 + "/y")
    assert not at.exception and racer_paths(chart(at))
    assert any("Nested too deeply for its second derivatives" in e.value for e in at.sidebar.error)
    at.text_input(key=race_links.FORMULA).set_value("-" * MAX_DEPTH + "x").run()
    assert not at.exception
    assert any(
        f"at most {MAX_DEPTH} levels" in e.value and f"column {MAX_DEPTH + 1}" in e.value for e in at.sidebar.error
    )


def test_a_start_without_a_finite_loss_and_a_rule_whose_state_breaks_say_why_they_diverged():
    at = open_page(surface="Your own formula", formula="log(x) + y**2", x0="-1", y0="0")
    assert not at.exception
    assert "**RMSProp diverged at step 0**: the loss is not a finite number at its start: f(-1, 0) = nan" in [
        e.value.split("; start elsewhere")[0] for e in at.error
    ]
    at = open_page(rule_on="true", rule_state="s = 0", rule="s = log(-1 + 0*g)\nx = x - lr*g")
    assert not at.exception
    assert any(
        e.value.startswith("**Your rule diverged at step 1**: its optimizer state turned non-finite") for e in at.error
    )


@pytest.mark.parametrize("formula", ["9**9**9**9", "open('/etc/passwd')", "x" * 600, "().__class__.__bases__", "z"])
def test_hostile_formulas_in_a_link_are_messages(formula):
    at = open_page(surface="Your own formula", formula=formula)
    assert not at.exception and at.sidebar.error
    assert racer_paths(chart(at))
