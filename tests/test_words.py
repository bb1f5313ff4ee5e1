"""The charts in words: every number a sentence states is recomputed here from the runs (or the figure's data),
without the code that wrote it, and found in the sentence."""

from __future__ import annotations

import re

import numpy as np
import pytest

import rmsviz
from rmsviz import figures
from rmsviz.figures.race import frame_steps
from rmsviz.figures.sweep import sweep_figure
from rmsviz.figures.words import describe
from rmsviz.studies import race_words, sweep, sweep_words
from rmsviz.studies.sweep_words import sweep_story

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?")
SURFACE = rmsviz.SURFACES["elliptic"]
# RMSProp converges, SGD at η = 1.2 diverges (4 · 1.2 > 2 on the steep axis), Adagrad crawls
RACERS = (("rmsprop", "RMSProp", {"lr": 0.4}), ("sgd", "SGD", {"lr": 1.2}), ("adagrad", "Adagrad", {"lr": 0.4}))
STEPS = 60


@pytest.fixture(scope="module")
def runs():
    return [rmsviz.run(o, SURFACE, start=(-5.0, -2.0), steps=STEPS, **h) for o, _, h in RACERS]


LABELS = [label for _, label, _ in RACERS]


def numbers(sentence: str) -> list[float]:
    return [float(n) for n in NUMBER.findall(sentence)]


def close(stated: float, value: float) -> bool:
    """Whether ``stated`` is ``value`` written to three significant digits."""
    return stated == pytest.approx(value, rel=5e-3, abs=1e-300)


def sgd_by_hand(lr: float, steps: int) -> tuple[np.ndarray, int]:
    """SGD on 0.1x² + 2y² from (-5, -2), written out: the losses, and the first step whose point passes 1e12."""
    point, losses = np.array([-5.0, -2.0]), []
    for k in range(steps + 1):
        if np.abs(point).max() > 1e12:
            return np.array(losses), k
        losses.append(0.1 * point[0] ** 2 + 2 * point[1] ** 2)
        point = point - lr * np.array([0.2 * point[0], 4 * point[1]])
    return np.array(losses), -1


def test_each_racer_ending_is_its_last_loss_or_where_it_diverged(runs):
    story = race_words.race_story(LABELS, runs)
    for label, t, sentence in zip(LABELS, runs, story[1:], strict=True):
        assert sentence.startswith(label)
        if label == "SGD":  # diverged: the step, and the loss of the step before
            losses, diverged_at = sgd_by_hand(1.2, STEPS)
            assert "diverged" in sentence
            assert numbers(sentence) == [diverged_at, pytest.approx(losses[-1], rel=5e-3), diverged_at - 1]
        else:
            loss, step = numbers(sentence)
            assert step == STEPS and close(loss, t.loss[STEPS])


def test_who_is_ahead_at_each_shown_step(runs):
    shown = frame_steps(STEPS)
    sentences = race_words.steps_in_words(LABELS, runs, shown)
    assert len(sentences) == len(shown)
    for k, sentence in zip(shown, sentences, strict=True):
        alive = {label: t.loss[k] for label, t in zip(LABELS, runs, strict=True) if not t.diverged or k < t.diverged_at}
        leader = min(alive, key=alive.get)
        step, last, *rest = numbers(sentence)
        assert (step, last) == (k, STEPS)
        assert leader in sentence and close(rest[-1], alive[leader])
        if "SGD" in sentence:
            assert k < runs[1].diverged_at  # a diverged racer is never ahead after it diverged
    at_start = sentences[0]
    assert "level" in at_start and all(label in at_start for label in LABELS)  # one start, one loss


def test_every_racer_diverged_says_so():
    t = rmsviz.run("sgd", SURFACE, start=(-5.0, -2.0), steps=40, lr=1.2)
    assert race_words.ahead(["SGD"], [t], 40) == race_words.ALL_DIVERGED.format(step=40, last=40)
    assert race_words.race_story([], []) == ()


def test_a_line_chart_in_words_recomputed_from_its_runs(runs):
    styles = [figures.style(o, label) for o, label, _ in RACERS]
    words = describe(figures.loss_figure(SURFACE, runs, styles))
    assert words.alt.startswith("Loss:") and all(label in words.alt for label in LABELS)
    for label, t, sentence in zip(LABELS, runs, words.sentences, strict=True):
        gap = t.loss[: t.diverged_at] if t.diverged else t.loss  # the curve stops where the run diverged
        first, x_first, last, x_last, low, x_low = numbers(sentence.split(":", 1)[1])
        assert sentence.startswith(label)
        assert close(first, gap[0]) and x_first == 0
        assert close(last, gap[-1]) and x_last == len(gap) - 1
        assert close(low, gap.min()) and x_low == int(np.argmin(gap))


def test_a_heatmap_in_words_and_one_that_shows_a_log_says_no_numbers():
    import plotly.graph_objects as go

    z = np.array([[3.0, 1.0], [np.nan, 7.0]])
    figure = go.Figure(
        dict(data=[dict(type="heatmap", x=[0.1, 0.2], y=[10, 20], z=z, colorbar=dict(title=dict(text="steps")))],
             layout=dict(title=dict(text="Steps"), xaxis=dict(title=dict(text="η")), yaxis=dict(title=dict(text="γ")))),
        _validate=False,
    )  # fmt: skip
    words = describe(figure)
    assert words.alt == "Steps: a heatmap of steps over η and γ."
    assert numbers(words.sentences[0]) == [1.0, 0.2, 10.0, 7.0, 0.2, 20.0]
    assert describe(sweep_figure(None)).sentences == ()


def test_a_sweep_in_words_recomputed_from_its_runs_one_by_one():
    """Momentum on the elliptic bowl over η × β: some cells diverge, some never get within the tolerance, and
    the best cell is the one whose own run ends lowest."""
    lrs, betas = [0.05, 0.2, 0.45, 0.8], [0.0, 0.5, 0.9]  # η·4 past 2(1 + β): the steep axis diverges
    result = sweep.sweep("momentum", "elliptic", "lr", lrs, "beta", betas, steps=40)
    runs = {(i, j): rmsviz.run("momentum", SURFACE, start=(-5.0, -2.0), steps=40, lr=lr, beta=beta)
            for i, beta in enumerate(betas) for j, lr in enumerate(lrs)}  # fmt: skip
    final = {cell: np.inf if t.diverged else t.loss[-1] for cell, t in runs.items()}
    best_row, best_column = min(final, key=final.get)
    diverged = sum(t.diverged for t in runs.values())
    never = sum(not t.diverged and not (t.loss <= 1e-4).any() for t in runs.values())
    story = sweep_story(result, sweep.outcome(result, "gap"))
    assert numbers(story[0]) == [
        lrs[best_column], betas[best_row], pytest.approx(final[best_row, best_column], rel=5e-3)
    ]  # fmt: skip
    assert 0 < diverged < len(runs) and never > 0
    assert story[1] == sweep_words.DIVERGED.format(cells=diverged, total=len(runs))
    assert story[2] == sweep_words.NEVER.format(cells=never, total=len(runs), tolerance="0.0001")
