"""Every sentence the race page shows about its runs agrees with the runs, at settings the widgets and links can
reach (issue 22). The race is opened from a link written by its codec; the runs are then rebuilt here from the
values the page's own widgets hold, and every number a shown sentence states is recomputed from those runs."""

import re

import numpy as np
from helpers import link_query, open_page, tables, widgets
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

import rmsviz
from rmsviz import schedules
from rmsviz.optimizers import OPTIMIZERS
from rmsviz.studies.captions import FIRST_RACE
from rmsviz.studies.presets import PRESETS
from rmsviz.surfaces import SURFACES
from rmsviz.ui import race_links
from rmsviz.ui.race_settings import RACERS, optimizer_of, racer_label
from rmsviz.ui.widgets import log_options

LABELS = {racer_label(racer): racer for racer in RACERS}
SURFACE_NAMES = ("elliptic", "rotated", "quadratic", "saddle", "valley", "plateau", "rastrigin", "monkey")


def reachable(low: float, default: float, high: float, log: bool) -> st.SearchStrategy:
    """A value a slider offers: its ends and its default, and on a log slider any of its options."""
    return st.sampled_from(log_options(low, high, default) if log else sorted({low, default, high}))


@st.composite
def racer_settings(draw, racer: str) -> dict:
    spec = OPTIMIZERS[optimizer_of(racer)]
    own = {}
    for h in draw(st.lists(st.sampled_from(spec.hyperparameters), max_size=2, unique=True)):
        own[h.name] = draw(reachable(h.low, h.default, h.high, h.log))
    if draw(st.integers(0, 3)) == 0:  # a bold η: runs that bounce and diverge
        own["lr"] = spec.hyperparameter("lr").high
    # nesterov is left out: with β = 0 or a dampening the race stops with an exception (a bug of its own)
    options = sorted(set(spec.options) - {"nesterov"})
    if options and draw(st.booleans()):
        option = draw(st.sampled_from(options))
        own[option] = not spec.options[option]
    kind = draw(st.sampled_from(["constant", "constant", "plateau", "exponential", "step"]))
    if kind != "constant":
        own["schedule"] = {"kind": kind}
    return own


@st.composite
def race_settings(draw) -> dict:
    """Settings of a race as the codec writes them: a preset's, a preset's with one change, or any."""
    kind = draw(st.sampled_from(["preset", "changed", "any", "any"]))
    if kind != "any":
        preset = draw(st.sampled_from(PRESETS))
        found = {**preset.settings, "racers": dict(preset.settings["racers"])}
        if kind == "changed":
            racer = draw(st.sampled_from(sorted(found["racers"])))
            found["racers"][racer] = {**found["racers"][racer], **draw(racer_settings(racer))}
        return {**found, "details": "stability"}, preset.key
    surface = draw(st.sampled_from(SURFACE_NAMES))
    chosen = draw(st.lists(st.sampled_from(RACERS), min_size=1, max_size=3, unique=True))
    found = {
        "surface": surface,
        "racers": {racer: draw(racer_settings(racer)) for racer in chosen},
        "steps": draw(st.integers(1, 150)),
        "details": "stability",
    }
    params = SURFACES[surface].params
    if params:
        found["surface_values"] = {name: draw(reachable(p.low, p.default, p.high, p.log)) for name, p in params.items()}
    if draw(st.booleans()):
        found["noise"], found["seed"] = draw(st.sampled_from([0.5, 1.0, 2.0])), draw(st.integers(0, 5))
    return found, None


def runs_on_the_page(at: AppTest) -> dict[str, rmsviz.Trajectory]:
    """The page's runs, rebuilt from the values its widgets hold (not from the settings the link was made of)."""
    values = {key: w.value for key, w in widgets(at).items()}
    surface = SURFACES[values[race_links.SURFACE]]
    params = {name: values[race_links.surface_key(surface.name, name)] for name in surface.params}
    surface = surface.with_params(**params) if params else surface
    runs = {}
    for label in values[race_links.RACERS_KEY]:
        racer = LABELS.get(label, label)
        spec = OPTIMIZERS[optimizer_of(racer)]
        names = [h.name for h in spec.hyperparameters] + list(spec.options)
        own = {name: values[race_links.racer_key(racer, name)] for name in names}
        kind = values[race_links.schedule_key(racer, "kind")]
        schedule = None
        if kind != "constant":
            params = {h.name: values[race_links.schedule_key(racer, h.name)] for h in schedules.PARAMETERS[kind]}
            schedule = schedules.schedule(kind, warmup=values[race_links.schedule_key(racer, "warmup")], **params)
        noise = values[race_links.NOISE]
        runs[racer_label(racer)] = rmsviz.run(
            spec.name, surface, start=(values[race_links.X0], values[race_links.Y0]), steps=values[race_links.STEPS],
            noise=noise, seed=int(values[race_links.SEED]) if noise else 0, schedule=schedule, record="all", **own,
        )  # fmt: skip
    return runs


def shown(value: float, digits: int) -> str:
    return f"{value:.{digits}g}".replace("-", "−")


def same_number(text: str, value: float, digits: int) -> bool:
    return text.replace("-", "−") == shown(value, digits)


DIVERGED = re.compile(r"\*\*(.+?) diverged at step (\d+)\*\*")
ROSE = re.compile(r"\*\*(.+?)\*\* reached its lowest loss, (\S+), at step (\d+) and then rose to (\S+) by step (\d+)")
NOTE_DIVERGED = re.compile(r"\*\*(.+?)\*\* diverged at step (\d+)")


def check_claims(at: AppTest, preset_key: str | None) -> None:
    runs = runs_on_the_page(at)
    for message in at.error:
        for label, step in DIVERGED.findall(message.value):
            assert runs[label].diverged and runs[label].diverged_at == int(step), message.value
    for note in at.markdown:
        for label, low, low_step, end, end_step in ROSE.findall(note.value):
            loss = runs[label].loss
            assert int(np.nanargmin(loss)) == int(low_step) and same_number(low, np.nanmin(loss), 2), note.value
            assert same_number(end, loss[int(end_step)], 2) and int(end_step) == len(loss) - 1, note.value
        for label, step in NOTE_DIVERGED.findall(note.value):
            assert runs[label].diverged_at == int(step), note.value
    table = tables(at)[0]
    for _, row in table.iterrows():
        t = runs[row["optimizer"]]
        assert row["final loss"] == shown(float(t.loss[-1]), 3).replace("−", "-")
        assert row["diverged at step"] == (str(t.diverged_at) if t.diverged else "—")
    caption = " ".join(c.value for c in at.caption)
    surface = widgets(at)[race_links.SURFACE].value
    for claim in FIRST_RACE.get(surface, ()):
        if claim.template.partition("{")[0] in caption:  # shown: beside the surface's first race with its racers
            first = {"surface": surface, "racers": {racer: {} for racer in claim.racers}}
            same_runs(runs, runs_on_the_page(open_page(**link_query(race_links.link(first)))))
    notes = [i.value for i in at.info]
    if notes:  # a preset's note: only beside the preset's own runs, whose numbers tests/test_presets.py checks
        preset = next(p for p in PRESETS if p.key == preset_key)
        assert any(preset.title in note for note in notes)
        opened = runs_on_the_page(open_page(**link_query(race_links.link(preset.settings))))
        assert opened.keys() == runs.keys()
        same_runs(runs, opened)


def same_runs(runs: dict, first: dict) -> None:
    """The runs of ``first``'s racers are the same on the page as where a claim was written for them."""
    for label, t in first.items():
        np.testing.assert_array_equal(runs[label].path, t.path)


def preset_example(key: str, **changes) -> tuple[dict, str]:
    preset = next(p for p in PRESETS if p.key == key)
    return {**preset.settings, "details": "stability", **changes}, key


@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(race_settings())
@example(preset_example("gamma-one"))  # a divergence: the race's message and the Stability panel's
@example(preset_example("valley", steps=40))
@example(
    (
        {
            "surface": "elliptic",
            "racers": {"sgd": {"lr": 1.5}, "adam": {"lr": 0.7}},
            "steps": 300,
            "details": "stability",
        },
        None,
    )
)
def test_every_shown_claim_agrees_with_the_runs(drawn):
    found, preset_key = drawn
    at = open_page(**link_query(race_links.link(found, preset=preset_key)))
    assert not at.exception, at.exception
    check_claims(at, preset_key)


def test_a_preset_note_hides_beside_a_setting_it_does_not_set():
    """The valley's note says momentum is ahead; at β = 0.5 it ends at 0.50 against RMSProp's 0.055."""
    valley = next(p for p in PRESETS if p.key == "valley")
    changed = {**valley.settings, "racers": {"momentum": {"beta": 0.5}, "rmsprop": {}}}
    at = open_page(**link_query(race_links.link(changed, preset="valley")))
    assert not any(valley.title in i.value for i in at.info)
    runs = runs_on_the_page(at)
    assert runs["Momentum"].loss[-1] > runs["RMSProp"].loss[-1]


def test_the_plateau_stability_note_gives_the_lowest_loss_not_zero():
    """1 − exp(−r²/4) rounded RMSProp's lowest loss to 0 (the panel said "its lowest loss, 0")."""
    plateau = next(p for p in PRESETS if p.key == "plateau")
    at = open_page(**link_query(race_links.link({**plateau.settings, "details": "stability"}, preset="plateau")))
    text = " ".join(m.value for m in at.markdown)
    low = runs_on_the_page(at)["RMSProp"].loss.min()
    assert 0 < low < 1e-20 and f"its lowest loss, {low:.2g}," in text and "lowest loss, 0," not in text
    assert "0" not in list(tables(at)[0]["final loss"])


def test_the_decay_page_says_what_its_weights_add_up_to():
    """With s₀ = 0 the weights of s_k add up to 1 − γ^k (0.878 at γ = 0.9, k = 20), not 1: a weighted sum, an
    average only once γ^k is small."""
    at = open_page("decay")
    caption = next(c.value for c in at.caption if "weighted" in c.value)
    k = int(re.search(r"\$s_\{(\d+)\}", caption).group(1))
    gamma = float(re.search(r"γ = ([\d.]+) on", caption).group(1))
    assert "weighted average" not in caption
    assert f"$1 - \\gamma^{{{k}}}$ = {1 - gamma**k:.3g}" in caption
    intro = at.markdown[0].value  # the intro's unrolled weights add up to 1 only over an endless past
    assert "$: the weights add up to 1," not in intro and "after $k$ steps they add up to $1 - \\gamma^k$" in intro
