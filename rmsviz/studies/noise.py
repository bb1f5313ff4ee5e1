"""Stochastic gradients: Hinton's repeating minibatch example and Gaussian gradient noise on a surface.

Both go through ``engine.run``: the minibatch example runs on a flat surface
(f = 0, ∇f = 0) whose whole gradient is the repeating ``gradient_sequence``;
the noisy runs repeat one start B times, so one call gives B independent noise draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from rmsviz.engine import run
from rmsviz.i18n import ENGLISH, N_, Refusal, Translator, list_of, translator
from rmsviz.metrics import best_known_value
from rmsviz.optimizers import OPTIMIZERS
from rmsviz.surfaces import SURFACES, Surface
from rmsviz.surfaces.expression import comma_list, excerpt, underflows

# Nine minibatches with gradient 0.1 and one with −0.9: the full-batch gradient is 0, yet Rprop drifts.
DEFAULT_SEQUENCE = (0.1,) * 9 + (-0.9,)
MINIBATCH_OPTIMIZERS = ("sgd", "rprop", "rmsprop", "adagrad", "momentum")
MAX_SEQUENCE = 1000
MAX_GRADIENT = 1e6
BAND = (10, 50, 90)  # percentiles over the runs: low edge, median, high edge

FLAT = Surface(
    name="flat",
    title="Flat (the gradient is the minibatch sequence)",
    formula=r"f(w) = 0,\quad \nabla f = g_t \text{ from the sequence}",
    f=lambda xy: xy[..., 0] * 0,
    grad=lambda xy: xy * 0,
    hessian=lambda xy: xy[..., None] * xy[..., None, :] * 0,
    domain=((-1.0, 1.0), (-1.0, 1.0)),
    starts=((0.0, 0.0),),
)


def format_sequence(sequence) -> str:
    return ", ".join(f"{g:g}" for g in sequence)


def parse_sequence(text: str) -> tuple[float, ...]:
    """Comma-separated numbers -> a tuple of floats; a Refusal (a ValueError) saying which entry is wrong and why.

    Each entry goes through ``float`` alone: nothing typed is ever evaluated.
    """
    empty = N_("The sequence is empty: type numbers separated by commas, e.g. 0.1, 0.1, -0.9")
    too_many = N_("Too many entries: {count} (at most {limit})")
    entries = comma_list(text, MAX_SEQUENCE, empty=empty, too_many=too_many, keep_blanks=True)
    values = []
    for i, entry in enumerate(entries, start=1):
        try:
            value = float(entry)
        except ValueError:
            if not entry:
                raise Refusal(N_("Entry {i} is empty, not a number (type numbers separated by commas)"), i=i) from None
            not_a_number = N_("Entry {i} is '{entry}', not a number (type numbers separated by commas)")
            raise Refusal(not_a_number, i=i, entry=excerpt(entry)) from None
        if underflows(entry, value):
            raise Refusal(
                N_("Entry {i} is {entry}: below the smallest number a float64 holds (about 5e-324), it would read "
                   "as 0; write 0 if you mean 0"), i=i, entry=excerpt(entry),
            )  # fmt: skip
        if not math.isfinite(value) or abs(value) > MAX_GRADIENT:
            raise Refusal(
                N_("Entry {i} is {entry}: each gradient must be a finite number within ±{limit}"),
                i=i, entry=excerpt(entry), limit=f"{MAX_GRADIENT:g}",
            )  # fmt: skip
        values.append(value)
    return tuple(values)


def minibatch_weights(sequence, steps: int, settings: dict[str, dict]) -> dict[str, np.ndarray]:
    """The single weight w_t, t = 0..steps, for each optimizer: w starts at 0, g_t is sequence[(t − 1) mod T].

    ``settings`` maps an optimizer name to its hyperparameters. The engine's point is 2-D: both
    coordinates get the same sequence, so the first coordinate is the weight.
    """
    return {
        name: run(name, FLAT, start=(0.0, 0.0), steps=steps, gradient_sequence=sequence, **hp).path[:, 0]
        for name, hp in settings.items()
    }


def _change(name: str, weights: dict[str, np.ndarray]) -> str:
    return f"{weights[name][-1] - weights[name][0]:.3g}".replace("-", "−")


def minibatch_sentence(weights: dict[str, np.ndarray], sequence, words: Translator | None = None) -> str:
    """Why the weights end where they do, with this run's numbers, in the language of ``words`` (English by
    default): whole sentences with named numbers, the optimizers' moves a list in that language's form."""
    words = words or translator(ENGLISH)
    _, ngettext = words.gettext, words.ngettext
    steps = len(next(iter(weights.values()))) - 1 if weights else 0
    if not steps:
        return ""
    first, *others = sorted(weights, key=lambda name: name != "rprop")  # Rprop first: it is the one that drifts
    moved = dict(steps=steps, name=OPTIMIZERS[first].title, change=_change(first, weights))
    if others:
        items = [
            _("{name} moved it by {change}").format(
                name=OPTIMIZERS[others[0]].title, change=_change(others[0], weights)
            )
        ]
        items += [
            _("{name} by {change}").format(name=OPTIMIZERS[n].title, change=_change(n, weights)) for n in others[1:]
        ]
        others_moved = list_of(items, words.lang)
        text = [
            _("After {steps} steps {name} moved the weight by {change}, while {others}.").format(
                others=others_moved, **moved
            )
        ]
    else:
        text = [_("After {steps} steps {name} moved the weight by {change}.").format(**moved)]
    total, period = math.fsum(sequence), len(sequence)
    if abs(total) <= 1e-12 * max(map(abs, sequence)):
        text.append(
            ngettext(
                "Over each period of {period} minibatch the gradients sum to 0: SGD's updates −η·Σg cancel, so it is "
                "back at the start every {period} steps.",
                "Over each period of {period} minibatches the gradients sum to 0: SGD's updates −η·Σg cancel, so it is "
                "back at the start every {period} steps.",
                period,
            ).format(period=period)
        )
        if "rmsprop" in weights and steps >= period:
            text.append(_rmsprop_drift(weights["rmsprop"], period, _))
    else:
        text.append(
            ngettext(
                "Over each period of {period} minibatch the gradients sum to {total}: SGD drifts by −η·{total}.",
                "Over each period of {period} minibatches the gradients sum to {total}: SGD drifts by −η·{total}.",
                period,
            ).format(period=period, total=f"{total:g}")
        )
    if "rprop" in weights:
        down, up, skipped = step_directions(weights["rprop"])
        positive, negative = sum(g > 0 for g in sequence), sum(g < 0 for g in sequence)
        text.append(
            ngettext(
                "Rprop looks only at the sign: each period has {positive} gradient of one sign and {negative} of the "
                "other, and of its {steps} steps {down} went down, {up} up and {skipped} were skipped; each moves "
                "by the step size Δ whatever |g| is, Δ grows by η₊ while the sign holds, so a gradient's size barely "
                "counts. The table below runs both kinds of Rprop.",
                "Rprop looks only at the sign: each period has {positive} gradients of one sign and {negative} of the "
                "other, and of its {steps} steps {down} went down, {up} up and {skipped} were skipped; each moves "
                "by the step size Δ whatever |g| is, Δ grows by η₊ while the sign holds, so a gradient's size barely "
                "counts. The table below runs both kinds of Rprop.",
                positive,
            ).format(positive=positive, negative=negative, steps=steps, down=down, up=up, skipped=skipped)
        )
    return " ".join(text)


def _rmsprop_drift(w: np.ndarray, period: int, gettext: Callable[[str], str]) -> str:
    """How far RMSProp's weight moved over the last period and in all: its leaky average of g² rises after a
    large gradient and decays over small ones, so its scaled steps need not cancel over a period."""
    last, total = (f"{change:.3g}".replace("-", "−") for change in (w[-1] - w[-1 - period], w[-1] - w[0]))
    return gettext(
        "RMSProp divides every g by the root of a leaky average of g², which rises after a large gradient and "
        "decays over small ones, so its scaled steps need not cancel: it moved by {last} over the last period, "
        "{total} in all."
    ).format(last=last, total=total)


def step_directions(w: np.ndarray) -> tuple[int, int, int]:
    """How many steps of the weight path ``w`` went down, went up, and did not move."""
    moves = np.diff(w)
    return int(np.count_nonzero(moves < 0)), int(np.count_nonzero(moves > 0)), int(np.count_nonzero(moves == 0))


# skip_on_flip of each kind of Rprop: torch.optim's iRprop− skips the step where the sign flips; the sign-based
# Rprop of the sources (Hinton's lecture 6e, sources/002) takes it with the shrunk step size.
RPROP_VARIANTS = {N_("iRprop− (torch.optim, rmsviz's default)"): True, N_("Rprop as the sources describe it"): False}
# The table's columns (rprop_variants' rows' keys), translated where the table is shown.
RPROP_COLUMNS = (N_("Rprop"), N_("steps down"), N_("steps up"), N_("skipped"), N_("Δ shrank"),
                 N_("step size Δ at the end"), N_("weight at the end"))  # fmt: skip


def rprop_variants(sequence, steps: int, settings: dict) -> list[dict]:
    """Both kinds of Rprop on the minibatch sequence with ``settings`` (Rprop's, its switch overridden):
    one row each, with how many steps went down, up or were skipped, the step size Δ and the weight at the end."""
    rows = []
    for variant, skip in RPROP_VARIANTS.items():
        hp = {**settings, "skip_on_flip": skip}
        t = run("rprop", FLAT, start=(0.0, 0.0), steps=steps, gradient_sequence=sequence, record="all", **hp)
        down, up, skipped = step_directions(t.path[:, 0])
        rows.append(
            {
                "Rprop": variant,
                "steps down": down,
                "steps up": up,
                "skipped": skipped,
                "Δ shrank": int(np.count_nonzero(np.diff(t.state["step_size"][1:, 0]) < 0)),
                "step size Δ at the end": float(t.state["step_size"][-1, 0]),
                "weight at the end": float(t.path[-1, 0]),
            }
        )
    return rows


def rprop_variants_sentence(rows: list[dict], gettext: Callable[[str], str] = N_) -> str:
    """How and why the two kinds of Rprop drift apart, with the numbers of ``rows`` (``rprop_variants``), in the
    language of ``gettext`` (English by default)."""
    skipping, simple = rows
    if skipping["skipped"] == 0:
        return gettext("No gradient here flips its sign, so both kinds of Rprop take the same steps.")
    ends = dict(
        irprop=_signed(skipping["weight at the end"]), irprop_step=f"{skipping['step size Δ at the end']:.3g}",
        simple=_signed(simple["weight at the end"]), simple_step=f"{simple['step size Δ at the end']:.3g}",
    )  # fmt: skip
    if abs(skipping["weight at the end"]) > abs(simple["weight at the end"]):
        where = gettext(
            "iRprop− ends at {irprop} with Δ = {irprop_step}, the sources' Rprop at {simple} with Δ = {simple_step}: "
            "iRprop− drifts further."
        )
    else:
        where = gettext(
            "iRprop− ends at {irprop} with Δ = {irprop_step}, the sources' Rprop at {simple} with Δ = {simple_step}: "
            "the sources' Rprop drifts further."
        )
    why = gettext(
        "Where the sign flips, iRprop− shrinks Δ, skips the step ({skipped} skipped) and forgets the sign, so the "
        "gradient after it never counts as a flip: Δ shrank {irprop_shrank} times. The sources' Rprop takes the "
        "step against the sign ({up} steps up) and remembers it, so the sign flipping back shrinks Δ again: "
        "{simple_shrank} times. That is how the two drift apart although both follow the same signs."
    )
    why = why.format(skipped=skipping["skipped"], irprop_shrank=skipping["Δ shrank"], up=simple["steps up"],
                     simple_shrank=simple["Δ shrank"])  # fmt: skip
    return where.format(**ends) + " " + why


def _signed(value: float) -> str:
    return f"{value:.3g}".replace("-", "−")


@dataclass(frozen=True)
class NoisyConfig:
    """One noisy comparison: hashable, so its view is cached across sessions."""

    surface: str
    racers: tuple[tuple[str, tuple[tuple[str, float | bool], ...]], ...]  # (optimizer, settings)
    sigma: float
    runs: int
    steps: int
    seed: int


class Band(NamedTuple):
    """Per step, over the runs: the 10th percentile, the median and the 90th percentile."""

    low: np.ndarray
    median: np.ndarray
    high: np.ndarray
    diverged: int  # how many runs diverged


def noisy_band(
    surface: Surface, optimizer: str, settings: dict, sigma: float, runs: int, steps: int, seed: int
) -> Band:
    """``runs`` noisy runs from the surface's start as one batch; percentiles of the gap f − f* (or f).

    A diverged run counts as an infinite loss from the step it diverged on (the engine freezes it,
    which would read as convergence). The percentiles are order statistics (no interpolation), so
    they are values some run actually had, and infinite once more than that share of runs diverged.
    """
    start = np.tile(np.asarray(surface.starts[0], dtype=np.float64), (runs, 1))
    t = run(optimizer, surface, start=start, steps=steps, noise=sigma, seed=seed, **settings)
    best = best_known_value(surface)
    loss = t.loss - best if best is not None else t.loss.copy()
    step = np.arange(steps + 1)[:, None]
    loss[t.diverged & (step >= t.diverged_at)] = np.inf
    low, median, high = np.percentile(loss, BAND, axis=1, method="inverted_cdf")
    return Band(low, median, high, int(np.count_nonzero(t.diverged)))


def noisy_bands(config: NoisyConfig) -> list[Band]:
    surface = SURFACES[config.surface]
    return [
        noisy_band(surface, name, dict(settings), config.sigma, config.runs, config.steps, config.seed)
        for name, settings in config.racers
    ]


# --- where "s grows linearly, the rate falls like 1/√t" holds ---------------------------------------------

CLAIM_RUNS = 64  # seeds the claim is checked on: a median needs no more, and record="all" keeps every step
CLAIM_TOLERANCE = 1.5  # a growth within 1.5× of t's counts as "about linear"


class Growth(NamedTuple):
    """Adagrad on the x coordinate, median over the runs, from step ``early`` to step ``late``."""

    early: int
    late: int
    s_ratio: float  # s_late / s_early
    rate_ratio: float  # rate_early / rate_late: how much the effective learning rate fell

    @property
    def linear(self) -> bool:
        """Whether s grew about as t did (and so the rate fell about like 1/√t)."""
        return abs(math.log(self.s_ratio / (self.late / self.early))) <= math.log(CLAIM_TOLERANCE)


def adagrad_growth(surface: Surface, settings: dict, sigma: float, steps: int, seed: int) -> Growth:
    """How Adagrad's accumulator and rate grew and fell over the last nine tenths of ``steps``."""
    runs = CLAIM_RUNS if sigma > 0 else 1  # without noise every run is the same run
    start = np.tile(np.asarray(surface.starts[0], dtype=np.float64), (runs, 1))
    t = run("adagrad", surface, start=start, steps=steps, noise=sigma, seed=seed, record="all", **settings)
    early, late = max(1, steps // 10), steps
    s, rate = t.state["s"][:, :, 0], t.effective_lr[:, :, 0]
    return Growth(early, late, float(np.median(s[late] / s[early])), float(np.median(rate[early] / rate[late])))


# How s grew against t, in parentheses after its ratio (a word of its own, translated where the claim is written).
VERDICTS = {True: N_("about linearly"), False: N_("far from linearly")}


def adagrad_claim(
    surface: Surface, settings: dict, sigma: float, steps: int, seed: int, gettext: Callable[[str], str] = N_
) -> str:
    """Where the textbook's "s grows about linearly, the rate falls like 1/√t" holds on this page's runs:
    with the noise, and without it (the same runs, σ = 0). Every number is from the runs; the sentences in the
    language of ``gettext`` (English by default)."""
    return adagrad_sentence(*adagrad_growths(surface, settings, sigma, steps, seed), sigma, gettext)


def adagrad_growths(surface: Surface, settings: dict, sigma: float, steps: int, seed: int) -> tuple[Growth, Growth]:
    """Adagrad's growth with the noise and without it (the same runs, σ = 0): what ``adagrad_sentence`` reads."""
    noisy = adagrad_growth(surface, settings, sigma, steps, seed)
    return noisy, adagrad_growth(surface, settings, 0.0, steps, seed) if sigma > 0 else noisy


def adagrad_sentence(noisy: Growth, clean: Growth, sigma: float, gettext: Callable[[str], str] = N_) -> str:
    """``adagrad_claim``'s sentences from its runs' growths, in the language of ``gettext``."""
    t_ratio = noisy.late / noisy.early
    question = gettext("**Does Adagrad's s grow linearly, and its rate fall like 1/√t?**")
    measured = gettext(
        "From step {early} to step {late} t grows {t_ratio}×, so 1/√t falls {root}×. On x, median over {runs} runs: "
        "with σ = {sigma}, s grew {s_ratio}× ({verdict}) and the rate fell {rate_ratio}×; without noise, s grew "
        "{clean_s_ratio}× ({clean_verdict}) and the rate fell {clean_rate_ratio}×."
    ).format(
        early=noisy.early, late=noisy.late, t_ratio=f"{t_ratio:.3g}", root=f"{math.sqrt(t_ratio):.3g}",
        runs=CLAIM_RUNS, sigma=f"{sigma:g}", s_ratio=f"{noisy.s_ratio:.3g}", verdict=gettext(VERDICTS[noisy.linear]),
        rate_ratio=f"{noisy.rate_ratio:.3g}", clean_s_ratio=f"{clean.s_ratio:.3g}",
        clean_verdict=gettext(VERDICTS[clean.linear]), clean_rate_ratio=f"{clean.rate_ratio:.3g}",
    )  # fmt: skip
    if noisy.linear and not clean.linear:
        holds = gettext(
            "The claim holds with noisy gradients, whose squares keep adding about σ² a step; without noise the "
            "gradients shrink as the run converges and s levels off."
        )
    elif noisy.linear:
        holds = gettext("Here the claim holds in both cases.")
    elif clean.linear:
        holds = gettext("Here the claim holds without noise only.")
    else:
        holds = gettext("Here the claim holds in neither case.")
    return f"{question} {measured} {holds}"
