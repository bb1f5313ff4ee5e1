"""The minibatch example's numbers from the update rules, the noisy batch's percentile bands, the sequence parser."""

import math

import numpy as np
import pytest

import rmsviz
from rmsviz.figures import COLORS, style
from rmsviz.figures.noise import BAND_OPACITY, minibatch_figure, noisy_figure
from rmsviz.figures.style import rgba
from rmsviz.studies import noise
from rmsviz.studies.race import race_defaults

LR = 0.01
STEPS = 100


@pytest.fixture(scope="module")
def weights() -> dict[str, np.ndarray]:
    return noise.minibatch_weights(noise.DEFAULT_SEQUENCE, STEPS, {n: {"lr": LR} for n in noise.MINIBATCH_OPTIMIZERS})


def test_sgd_is_back_at_the_start_every_period(weights):
    # w_t = −η Σ_{k≤t} g_k, and the ten gradients of a period sum to 9·0.1 − 0.9 = 0.
    np.testing.assert_allclose(weights["sgd"][::10], 0.0, atol=1e-15)
    assert np.abs(weights["sgd"]).max() == pytest.approx(9 * LR * 0.1)  # the furthest: just before the −0.9


def test_rprop_drifts_by_its_closed_form(weights):
    # iRprop− with Δ₀ = η, η₊ = 1.2, η₋ = 0.5. In each period: the first 0.1 follows a skipped step (the stored
    # gradient is 0), so Δ stays; the next eight grow it by 1.2 each; the −0.9 flips the sign, halves Δ and is
    # skipped. So a period moves the weight by −Δ(1 + 1.2 + … + 1.2⁸) = −Δ(1.2⁹ − 1)/0.2 and hands the next
    # period Δ·1.2⁸·0.5 ≈ 2.15 Δ. Δ stays below Δmax = 50 (it peaks at 0.01·2.15⁹·1.2⁸ ≈ 42).
    ratio = 1.2**8 * 0.5
    expected = -LR * (1.2**9 - 1) / 0.2 * sum(ratio**k for k in range(STEPS // 10))
    assert weights["rprop"][-1] == pytest.approx(expected, rel=1e-12)
    assert expected < -380


def test_averaging_methods_stay_near_the_start(weights):
    # RMSProp: s ≥ (1 − γ) g² after the update, so every step |η g / √(s + ε)| ≤ η / √(1 − γ) = 0.0316;
    # 100 steps cannot move the weight by more than 3.16, less than a hundredth of Rprop's drift.
    bound = STEPS * LR / math.sqrt(1 - 0.9)
    assert abs(weights["rmsprop"][-1]) < bound < abs(weights["rprop"][-1]) / 100
    # Adagrad: s ≥ g², so every step is at most η; momentum is linear in g and the period's sum is 0.
    assert abs(weights["adagrad"][-1]) < STEPS * LR
    for name in ("sgd", "rmsprop", "adagrad", "momentum"):
        assert abs(weights[name][-1]) < 0.25


def test_sentence_has_the_numbers(weights):
    text = noise.minibatch_sentence(weights, noise.DEFAULT_SEQUENCE)
    assert text.startswith(f"After {STEPS} steps Rprop moved the weight by −381")
    assert "SGD moved it by 0" in text and "9 gradients of one sign and 1 of the other" in text
    assert "of its 100 steps 90 went down, 0 up and 10 were skipped" in text  # iRprop−: no step against the sign
    assert "sum to 0" in text
    assert "drifts by −η·1" in noise.minibatch_sentence({"sgd": weights["sgd"]}, (1.0,))


def test_minibatch_figure_has_one_coloured_line_per_optimizer(weights):
    styles = [style(n, n) for n in weights]
    data = minibatch_figure(weights, styles).data
    full = [t for t in data if t.xaxis is None]
    zoomed = [t.name for t in data if t.xaxis == "x2"]
    assert [t.line.color for t in full] == [COLORS[n] for n in weights]
    assert all(len(t.y) == STEPS + 1 for t in data)
    assert zoomed == ["sgd", "rmsprop", "adagrad", "momentum"]  # Rprop's drift would flatten the others


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.1, -0.9", (0.1, -0.9)), (" 1e-3 ,2", (0.001, 2.0)), ("-0", (0.0,)), ("7", (7.0,))],
)
def test_parse_sequence(text, expected):
    assert noise.parse_sequence(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("0.1,,0.2", "Entry 2 is empty"),
        ("0.1, abc", "Entry 2 is 'abc', not a number"),
        ("__import__('os')", "Entry 1 is '__import__('os')'"),
        ("1, nan", "finite"),
        ("inf", "finite"),
        ("1e300", "within"),
        (",".join(["1"] * 1001), "Too many entries"),
    ],
)
def test_parse_sequence_rejects_with_a_clear_message(text, message):
    with pytest.raises(ValueError) as error:
        noise.parse_sequence(text)
    assert message in str(error.value)


CONFIG = noise.NoisyConfig(
    "elliptic", (("rmsprop", (("lr", 0.4), ("gamma", 0.9))), ("sgd", (("lr", 0.4),))), sigma=1.0, runs=64, steps=30,
    seed=3,
)  # fmt: skip


def test_noisy_bands_shapes_order_and_determinism():
    bands = noise.noisy_bands(CONFIG)
    again = noise.noisy_bands(CONFIG)
    for band, same in zip(bands, again, strict=True):
        for values, repeated in zip(band[:3], same[:3], strict=True):
            assert values.shape == (CONFIG.steps + 1,)
            np.testing.assert_array_equal(values, repeated)
        assert np.all(band.low <= band.median) and np.all(band.median <= band.high)
        assert band.low[0] == band.high[0] == pytest.approx(0.1 * 25 + 2 * 4)  # every run starts at (−5, −2)
    other_seed = noise.noisy_bands(noise.NoisyConfig(**{**CONFIG.__dict__, "seed": 4}))
    assert not np.array_equal(bands[0].median, other_seed[0].median)


def test_noisy_runs_in_one_batch_get_independent_noise():
    band = noise.noisy_band(rmsviz.SURFACES["elliptic"], "sgd", {"lr": 0.1}, 1.0, 64, 5, seed=0)
    assert band.high[5] > band.low[5]  # identical noise would give one value per step
    quiet = noise.noisy_band(rmsviz.SURFACES["elliptic"], "sgd", {"lr": 0.1}, 0.0, 64, 5, seed=0)
    np.testing.assert_array_equal(quiet.low, quiet.high)


def test_diverged_runs_count_as_infinite_and_become_gaps():
    band = noise.noisy_band(rmsviz.SURFACES["elliptic"], "sgd", {"lr": 5.0}, 1.0, 16, 40, seed=0)
    assert band.diverged == 16 and np.isinf(band.median[-1])
    figure = noisy_figure([band], [style("sgd", "SGD")], gap=True).to_dict()
    fill, median = figure["data"]
    assert fill["fill"] == "toself" and fill["fillcolor"] == rgba(COLORS["sgd"], BAND_OPACITY)
    assert median["y"][-1] is None and figure["layout"]["yaxis"]["type"] == "log"


def test_adagrads_s_grows_about_linearly_with_noise_and_levels_off_without():
    """On the elliptic bowl from its start: with σ = 1 s grows within 1.5× of t (so the rate falls about
    like 1/√t); without noise it levels off. Hand-checked against the runs' own s."""
    surface = rmsviz.SURFACES["elliptic"]
    settings = race_defaults("adagrad", surface)
    noisy = noise.adagrad_growth(surface, settings, 1.0, 200, 0)
    clean = noise.adagrad_growth(surface, settings, 0.0, 200, 0)
    assert (noisy.early, noisy.late) == (20, 200)
    assert noisy.linear and not clean.linear
    t = rmsviz.run("adagrad", surface, steps=200, record="all", **settings)
    assert clean.s_ratio == pytest.approx(t.state["s"][200, 0] / t.state["s"][20, 0])
    assert clean.rate_ratio == pytest.approx(t.effective_lr[20, 0] / t.effective_lr[200, 0])


def test_the_adagrad_claim_sentence_takes_its_numbers_from_the_runs():
    surface = rmsviz.SURFACES["elliptic"]
    settings = race_defaults("adagrad", surface)
    sentence = noise.adagrad_claim(surface, settings, 1.0, 200, 0)
    noisy = noise.adagrad_growth(surface, settings, 1.0, 200, 0)
    clean = noise.adagrad_growth(surface, settings, 0.0, 200, 0)
    for number in (noisy.s_ratio, noisy.rate_ratio, clean.s_ratio, clean.rate_ratio):
        assert f"{number:.3g}×" in sentence
    assert "with σ = 1, s grew" in sentence and "(about linearly)" in sentence and "(far from linearly)" in sentence
    assert "The claim holds with noisy gradients" in sentence
    rotated = rmsviz.SURFACES["rotated"]  # big first gradients dominate s there, noise or not
    assert "in neither case" in noise.adagrad_claim(rotated, race_defaults("adagrad", rotated), 1.0, 200, 0)
