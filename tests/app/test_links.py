"""Every page's links and keys: what a page resets stays its own, every key is declared by its page, and no
link value, however hostile, crashes a page or is dropped without a notice."""

import pytest
from helpers import charts, go, link_query, open_page, widgets
from streamlit.testing.v1 import AppTest

from rmsviz.optimizers import OPTIMIZERS
from rmsviz.studies import sweep
from rmsviz.studies.presets import PRESETS
from rmsviz.ui import decay_links, keys, noise_links, race_links, sweep_links, train_links
from rmsviz.ui import sweep as sweep_ui
from rmsviz.ui.links import same
from rmsviz.ui.presets import preset_link


def bound_keys(at: AppTest) -> list[str]:
    """The keys of the URL-bound widgets on the page (their protos name their query parameter)."""
    return sorted(k for k, w in widgets(at).items() if getattr(w.proto, "query_param_key", ""))


@pytest.mark.parametrize("page", keys.PAGES)
def test_every_widget_key_is_declared_by_its_page(page):
    at = open_page(page)
    assert not at.exception
    found = widgets(at)
    assert len(found) > 3
    for key in found:
        declared = keys.PAGES[page].owns(key) or keys.SHARED.owns(key) or keys.EVERY_PAGE.owns(key)
        assert declared, f"{page} draws {key}, which it does not declare"
    for other, page_keys in keys.PAGES.items():
        if other != page:
            assert not [k for k in found if page_keys.owns(k)], f"{page} draws keys {other} owns"


# One setting per page, changed away from its default: (page, key, new value).
SETTINGS = [
    ("race", race_links.racer_key("rmsprop", "gamma"), 0.5),
    ("decay", decay_links.HORIZON, 77),
    ("noise", noise_links.minibatch_key("rmsprop", "lr"), 0.001),
    ("noise", noise_links.noisy_key("rmsprop", "lr"), 0.001),
    ("train", train_links.optimizer_key("rmsprop", "lr"), 0.001),
    ("sweep", sweep_links.cells_key(sweep_links.X), 12),
]


def reset_everything_on(at: AppTest, page: str) -> None:
    """On ``page``, change every surface, optimizer and preset that resets settings there."""
    go(at, page)
    if page == "race":
        at.selectbox(key=race_links.SURFACE).set_value("saddle").run()
        at.button(key=race_links.preset_button(PRESETS[0].key)).click().run()
    elif page == "decay":
        at.selectbox(key=decay_links.run_key("surface")).set_value("saddle").run()
    elif page == "noise":
        at.selectbox(key=noise_links.SURFACE).set_value("saddle").run()
    elif page == "sweep":
        at.selectbox(key=sweep_links.OPTIMIZER).set_value("momentum").run()
    assert not at.exception


@pytest.mark.parametrize(("owner", "key", "value"), SETTINGS, ids=[key for _, key, _ in SETTINGS])
def test_a_page_keeps_its_settings_when_other_pages_reset_theirs(owner, key, value):
    at = open_page(owner)
    widgets(at)[key].set_value(value)
    at.run()
    for page in keys.PAGES:
        # the decay page takes the race's RMSProp by design (it dissects the run you raced)
        if page != owner and not (owner == "decay" and page == "race"):
            reset_everything_on(at, page)
    go(at, owner)
    assert not at.exception
    assert widgets(at)[key].value == pytest.approx(value), f"{owner}'s {key} was reset by another page"


HOSTILE = {
    "inf": "inf",
    "-inf": "-inf",
    "Infinity": "Infinity",
    "huge": "1e400",
    "400 digits": "9" * 400,
    "nan": "nan",
    "empty": "",
    "word": "bogus",
    "repeated": ["5", "7"],
    "reversed": ["0.9", "0.1"],
    "other-script digits": "０.５",
    "oversized": "1" * 10_000,
}


def taken(widget, raw) -> bool:
    """Whether the widget shows the link's value (the last one, where a key is repeated), as Streamlit reads
    a link (ui.links.same)."""
    texts = raw if isinstance(raw, list) else [raw]
    if isinstance(widget.value, (list, tuple)):  # a multiselect or a range: every value counts
        return same(texts, widget.value)
    return same(texts[-1:], widget.value)  # a single value: Streamlit takes the last


@pytest.mark.parametrize("page", keys.PAGES)
@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_link_values_never_crash_and_are_taken_or_noticed(page, kind):
    """Every URL-bound key of the page at once gets the same hostile value: the page draws, and each value
    is either what its widget shows or named in a notice."""
    names = bound_keys(open_page(page, timeout=120))
    raw = HOSTILE[kind]
    at = open_page(page, timeout=120, **dict.fromkeys(names, raw))
    assert not at.exception, [e.message for e in at.exception]
    notices = " ".join(w.value for w in at.warning)
    found = widgets(at)
    for name in names:
        if name in found:  # a hostile value may hide a widget (backend=bogus hides the device)
            assert taken(found[name], raw) or f"`{name}" in notices, f"{page}: {name}={raw!r} silently dropped"
    assert all(len(w.value) < 1000 for w in at.warning), "a notice quotes the link at length"


def test_a_key_of_another_page_is_named_with_its_page():
    at = open_page("race", sigma="2", nonsense="1")
    notices = " ".join(w.value for w in at.warning)
    assert "`sigma`" in notices and "Noisy gradients" in notices
    assert "`nonsense`" in notices and "not settings of this app" in notices


@pytest.mark.parametrize("preset", PRESETS, ids=[p.key for p in PRESETS])
def test_every_preset_link_opens_its_preset_without_a_notice(preset):
    at = open_page("race", **link_query(preset_link(preset)))
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    assert at.selectbox(key=race_links.SURFACE).value == preset.settings["surface"]
    assert any(preset.title in i.value for i in at.info), "the preset's note is missing"


def test_a_preset_named_alone_opens_it_and_a_bogus_one_is_refused():
    at = open_page("race", preset="saddle")
    assert not at.warning and at.selectbox(key=race_links.SURFACE).value == "saddle"
    assert any("saddle" in i.value.lower() for i in at.info)
    at = open_page("race", preset="bogus")
    assert "`preset=bogus`" in " ".join(w.value for w in at.warning)
    assert not at.info  # no preset's note over a race it does not describe


def test_a_preset_note_goes_once_its_settings_are_changed():
    preset = next(p for p in PRESETS if p.key == "d2l-rmsprop")
    at = open_page("race", **link_query(preset_link(preset)))
    at.slider(key=race_links.STEPS).set_value(33).run()
    assert not any(preset.title in i.value for i in at.info)
    assert any("Changed since the preset" in c.value for c in at.caption)


def test_a_shared_view_reopens_exactly_without_a_notice():
    """A view's link, spelled as the bound widgets write it (titles, labels), reopens it with no notice."""
    racers = {"rmsprop": {}, "adam": {}, "rmsprop2": {"gamma": 0.5}}
    view = {"surface": "rotated", "steps": 77, "racers": racers, "noise": 0.1, "seed": 7, "code": True}
    at = open_page("race", **race_links.query(view))
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    assert {key: widgets(at)[key].value for key in race_links.widget_values(view)} == {
        **race_links.widget_values(view),
        race_links.RACERS_KEY: list(racers),
    }


def test_the_race_codec_gives_a_notice_for_every_value_it_refuses():
    query = {"surface": "Bogus", "steps": "many", "sigma": "2", "racers": ["RMSProp", "Nope"], "seed": "3"}
    settings, notices = race_links.decode(query)
    assert settings == {"seed": 3}
    assert len(notices) == 4 and all(f"`{key}" in " ".join(notices) for key in query if key != "seed")


def test_a_rules_settings_keep_their_names_through_the_race_codec():
    """The rule has no schedule: its schedule, warmup, milestones and schedule_p are its hyperparameters, written
    to a link and read back as numbers (they were a schedule's fields, or dropped)."""
    rule = {"on": True, "update": "x = x - lr * g * (schedule + warmup + milestones + schedule_p)"}
    view = {"rule": {**rule, "settings": {"lr": 0.4, "schedule": 0.3, "warmup": 0.2, "milestones": 0.5,
                                          "schedule_p": 0.6}}}  # fmt: skip
    settings, notices = race_links.decode(race_links.query(view))
    assert settings["rule"]["settings"] == view["rule"]["settings"] and not notices


def test_a_decay_start_far_outside_the_plot_is_refused():
    at = open_page("decay", **{"run.x0": "1e308"})
    assert not at.exception
    assert any("far outside the plot" in e.value for e in at.error)


@pytest.mark.parametrize(("page", "key", "text"), [("decay", "gammas", "０.５"), ("noise", "sequence", "０.１, -0.1")])
def test_typed_lists_take_plain_ascii_only(page, key, text):
    at = open_page(page, **{key: text})
    assert not at.exception
    assert any("is not allowed: type plain ASCII" in e.value for e in at.error)


@pytest.mark.parametrize(("optimizer", "axes"), [("rmsprop", ("lr", "gamma")), ("momentum", ("lr", "beta"))])
def test_race_this_cell_links_open_without_a_notice(optimizer, axes, config_of):
    """A sweep cell's race link, opened as a shared link, gives the race exactly the cell's (raced) values."""
    spec = OPTIMIZERS[optimizer]
    grids = [sweep.grid_values(spec.hyperparameter(name), 3) for name in axes]
    result = sweep.sweep(optimizer, "rotated", axes[0], grids[0], axes[1], grids[1], steps=5)
    for row, column in [(0, 0), (2, 1)]:
        _, query = sweep_ui.cell_race_link(config_of(result), result, row, column)
        at = open_page("race", **query)
        assert not at.exception and not at.warning, [w.value for w in at.warning]
        raced, _ = race_links.decode(query)
        for name in axes:
            key = race_links.racer_key(optimizer, name)
            assert widgets(at)[key].value == pytest.approx(raced["racers"][optimizer][name])


def test_sweep_axes_from_a_link_are_taken_without_a_notice():
    """The axes' boxes show "γ (gamma)" and write that into the link: the same text must be taken as it is."""
    at = open_page("sweep", x="γ (gamma)", y="η (lr)", x_cells="5", y_cells="5", sweep_steps="5")
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    assert at.selectbox(key=sweep_links.X).value == "gamma" and at.selectbox(key=sweep_links.Y).value == "lr"


@pytest.mark.parametrize("written", ["7.0", "0.40", "7"])
def test_a_log_slider_takes_its_option_written_another_way(written):
    """``sgd.lr=7.0`` names the option 7 as ``sgd.lr=7`` does; the link format writes whole floats so."""
    at = open_page(racers=["SGD"], **{race_links.racer_key("sgd", "lr"): written})
    lr = next(s for s in at.select_slider if s.key == race_links.racer_key("sgd", "lr"))
    assert lr.value == pytest.approx(float(written)) and not at.warning, [w.value for w in at.warning]


def test_a_value_between_a_log_sliders_options_is_refused_with_a_notice():
    at = open_page(racers=["SGD"], **{race_links.racer_key("sgd", "lr"): "0.4000001"})
    assert [w.value for w in at.warning if "sgd.lr=0.4000001" in w.value]


@pytest.mark.parametrize("setting", [{"beta": "0"}, {"dampening": "0.5"}])
def test_options_that_exclude_each_other_are_refused_beside_the_racer(setting):
    query = {race_links.racer_key("momentum", name): value for name, value in {"nesterov": "true", **setting}.items()}
    at = open_page(racers=["Momentum"], **query)
    assert not at.exception
    assert [e.value for e in at.error if "Nesterov momentum requires" in e.value]
    assert charts(at)  # the race is drawn, with Nesterov off


def test_an_optimizers_refusal_beside_its_racer_is_in_the_sessions_language():
    query = {race_links.racer_key("momentum", "nesterov"): "true", race_links.racer_key("momentum", "beta"): "0"}
    at = open_page(racers=["Momentum"], lang="ko", **query)
    assert [e.value for e in at.error if "Nesterov 모멘텀 방법에는" in e.value]
