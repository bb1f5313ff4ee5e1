"""Lecture presets for the race page: one click (or one link) each, with what to look at.

A preset is plain data: the race settings it sets (the surface, the racers with their own settings, the steps:
the form rmsviz.ui.race_links documents and turns into the race's widgets and link), a caption, and the
errata of the source it follows (what the source prints at a step of the run, beside what the run computes,
and why they differ). What it leaves out keeps its default; a preset without ``x0``/``y0`` starts at its
surface's start. Its caption is a claim (rmsviz.studies.claims) bound to those settings, every default
written out, and to its racers alone: it is shown only while the race runs exactly that. Where a caption's
numbers come from the run, ``numbers`` computes them from the race's own runs (a template's ``{name}``);
tests/test_presets.py recomputes every number a caption states.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

import numpy as np

from rmsviz import stability
from rmsviz.i18n import N_
from rmsviz.studies.claims import Claim, Scene


class Erratum(NamedTuple):
    """What a source prints for one quantity at one step of the preset's run, and why the run differs.

    ``quantity`` is "x" or "y" (the point after ``step``) or a state name such as "s" (its x entry).
    """

    racer: str
    step: int
    quantity: str
    printed: str
    why: str


class Preset(NamedTuple):
    key: str
    title: str
    caption: str  # a template: its {names} are what ``numbers`` computes from the race's runs
    settings: dict
    errata: tuple[Erratum, ...] = ()
    numbers: Callable[[Scene], Mapping] | None = None

    @property
    def note(self) -> Claim:
        """The caption as a claim: shown only while the race runs exactly the preset's settings."""
        return Claim(self.caption, self.numbers, self.settings, alone=True)


def _lowest(loss: np.ndarray) -> tuple[int, float]:
    """The step of a run's lowest loss, and that loss."""
    step = int(np.nanargmin(loss))
    return step, float(loss[step])


def _settles(scene: Scene) -> dict:
    """#1's lowest loss, where it crossed its threshold and where it ends; #2's cuts, peak and end."""
    constant, decaying = scene.runs["rmsprop"], scene.runs["rmsprop2"]
    low_step, low = _lowest(constant.loss)
    result = stability.stability(constant, scene.surface)
    eta = stability.lr_per_step(decaying)
    first_cut = int(np.flatnonzero(eta[1:] < eta[1])[0]) + 1
    peak_step = low_step + int(np.argmax(decaying.loss[low_step:]))
    return {
        "crossed": stability.crossing(result.sharpness, float(result.threshold), low_step + 1),
        "low": low, "low_step": low_step, "end": constant.loss[-1], "steps": len(constant.loss) - 1,
        "first_cut": first_cut, "peak": decaying.loss[peak_step], "peak_step": peak_step,
        "eta_end": eta[-1], "end2": decaying.loss[-1],
    }  # fmt: skip


def _stalls(scene: Scene) -> dict:
    """Adagrad's rate along x and its s_y; RMSProp's lowest loss and its last."""
    adagrad, rmsprop = scene.runs["adagrad"], scene.runs["rmsprop"]
    steps = len(adagrad.loss) - 1
    low_step, low = _lowest(rmsprop.loss)
    return {
        "rate_first": adagrad.effective_lr[1, 0], "rate_last": adagrad.effective_lr[-1, 0], "steps": steps,
        "s_20": adagrad.state["s"][20, 1], "s_last": adagrad.state["s"][-1, 1],
        "low": low, "low_step": low_step, "end": rmsprop.loss[-1],
    }  # fmt: skip


def _rotated(scene: Scene) -> dict:
    """How far apart RMSProp's two rates get, and its loss at the end."""
    rmsprop = scene.runs["rmsprop"]
    ratio = rmsprop.effective_lr[1:, 0] / rmsprop.effective_lr[1:, 1]
    return {"spread": max(ratio.max(), 1 / ratio.min()), "loss": rmsprop.loss[-1]}


def _valley(scene: Scene) -> dict:
    """The distance across the floor, y − 0.2x + 1, of each run; who is ahead at the end."""
    momentum, rmsprop = scene.runs["momentum"], scene.runs["rmsprop"]
    across = {name: t.path[:, 1] - 0.2 * t.path[:, 0] + 1 for name, t in scene.runs.items()}
    return {
        "swing": across["momentum"][4], "still": across["momentum"][33],
        "uncrossed": int(np.flatnonzero(across["rmsprop"] <= 0)[0]) - 1,
        "momentum": momentum.loss[-1], "rmsprop": rmsprop.loss[-1], "steps": len(momentum.loss) - 1,
    }  # fmt: skip


def _noisy(scene: Scene) -> dict:
    """Rprop's sign flips and the cuts of its step size they made; how far it moved, and RMSProp's hovering."""
    rprop, rmsprop = scene.runs["rprop"], scene.runs["rmsprop"]
    flipped = rprop.grads[2:] * rprop.grads[1:-1] < 0
    size = rprop.state["step_size"]
    cut = flipped & (size[2:] < size[1:-1])
    moves = np.linalg.norm(np.diff(rprop.path, axis=0), axis=-1)
    return {
        "flip_rate": flipped.mean(), "flips": int(flipped.sum()), "cut": int(cut.sum()),
        "frozen": int(np.flatnonzero(size.max(-1) >= 1e-3)[-1]) + 1, "moved": moves[-50:].sum(),
        "distance": float(np.linalg.norm(rprop.path[-1])), "steps": len(rprop.loss) - 1,
        "hovering": float(np.median(np.linalg.norm(rmsprop.path[75:], axis=-1))),
    }  # fmt: skip


def _adadelta(scene: Scene) -> dict:
    """AdaDelta's first step beside RMSProp's, its rate along x at the first and last step, both runs' last loss."""
    adadelta, rmsprop = scene.runs["adadelta"], scene.runs["rmsprop"]
    first = {name: abs(t.path[1, 0] - t.path[0, 0]) for name, t in scene.runs.items()}
    return {
        "first": first["adadelta"], "first_rmsprop": first["rmsprop"], "times": first["rmsprop"] / first["adadelta"],
        "rate_first": adadelta.effective_lr[1, 0], "rate_last": adadelta.effective_lr[-1, 0],
        "start": adadelta.loss[0], "end": adadelta.loss[-1], "end_rmsprop": rmsprop.loss[-1],
        "steps": len(adadelta.loss) - 1,
    }  # fmt: skip


# The hyperparameter-strategies article (sources/001): J(θ) = θ², θ0 = 10, α = 0.1, ρ = 0.9, ε = 1e-8.
ARTICLE_WHY_STEP_1 = N_(
    "8 is plain gradient descent, 10 − 0.1·20. RMSProp first updates v₁ = 0.9·0 + 0.1·20² = 40 and then "
    "steps 10 − 0.1·20/√(40 + 10⁻⁸); the article's own line with v₀ = 0 would give 10 − 0.1·20/√(10⁻⁸) = −19 990."
)
ARTICLE_WHY_STEP_2 = N_(
    "The article goes on from its 8 (g = 16, v = 25.6), and 8 − 0.1·16/√25.6 is 7.68, not 6.25. From RMSProp's "
    "θ₁ the gradient is 2θ₁ and v₂ = 0.9·40 + 0.1·g²."
)
ARTICLE_WHY_V_2 = N_(
    "The article's v₂ = 0.1·16² = 25.6 differs from RMSProp's twice over: its gradient 16 is taken at its own "
    "θ1 = 8, and it drops 0.9·v₁, the average RMSProp keeps (v₂ = 0.9·40 + 0.1·(2θ₁)²)."
)


PRESETS = (
    Preset(
        "rmsprop-settles",
        N_("A decaying η lets RMSProp settle"),
        N_(
            "Two RMSProps with η = 0.4 on 0.1x² + 2y². #1 keeps η constant: as the gradients shrink, s shrinks with "
            "them and η/√(s + ε) grows, until at step {crossed} y's rate times its curvature 4 passes 2 and each step "
            "overshoots y by more than it corrects: its loss falls to {low:.2g} at step {low_step}, then climbs back, "
            "to {end:.2g} at step {steps}. #2 (dashed) halves η once its loss has gone more than 5 steps without "
            "improving (reduce on plateau). It follows #1 down and turns up with it, until its first cut at step "
            "{first_cut}; its loss still rises to {peak:.2g} at step {peak_step} before the cuts, down to η = "
            "{eta_end:.2g}, bring it to {end2:.2g} at step {steps}. Open the Stability panel to see #1 cross its "
            "threshold."
        ),
        {
            "surface": "elliptic",
            "racers": {"rmsprop": {}, "rmsprop2": {"schedule": {"kind": "plateau", "factor": 0.5, "patience": 5}}},
            "steps": 100,
        },
        numbers=_settles,
    ),
    Preset(
        "d2l-rmsprop",
        N_("d2l's RMSProp figure"),
        N_(
            "RMSProp with η = 0.4, γ = 0.9 from (−5, −2) on 0.1x² + 2y², twenty steps, as in d2l. Look at the first "
            "step: both coordinates move by the same amount although the y gradient is 8 times the x gradient "
            "(g = (−1, −8) at the start; 20 is the ratio of the curvatures, 4 against 0.2), because each is divided "
            "by the root of its own leaky average of g². The step inspector puts the chapter's printed result "
            "beside this run's."
        ),
        {"surface": "elliptic", "racers": {"rmsprop": {"lr": 0.4, "gamma": 0.9}}, "steps": 20, "details": "inspector"},
        (
            Erratum("rmsprop", 20, "x", "−0.010599", N_("d2l's figure: the same run, and the same digits.")),
            Erratum("rmsprop", 20, "y", "0.000000", N_("d2l's figure: y is below 10⁻⁶ after twenty steps.")),
        ),
    ),
    Preset(
        "adagrad-stalls",
        N_("Adagrad stalls"),
        N_(
            "Adagrad and RMSProp with the same η = 0.4. Adagrad's denominator is the root of the sum of every squared "
            "gradient so far, so its effective learning rate only falls (see the rate chart): along x from "
            "{rate_first:.2g} to {rate_last:.2g} in {steps} steps, and it crawls along x. It does not fall like 1/√t "
            "here: that takes gradients that stay about the same size (noise, see the noisy-gradients page); on this "
            "noise-free run the gradients shrink near the minimum and the sum levels off (s_y is {s_20:.0f} at step "
            "20 and {s_last:.0f} at step {steps}). RMSProp forgets old gradients and keeps its pace, and already "
            "bounces around the minimum within these {steps} steps: its loss is lowest at step {low_step} "
            "({low:.2g}) and {end:.2g} at step {steps}. g/√s does not shrink with g, so a constant η needs a "
            "schedule to settle (the Stability panel shows where it tips over)."
        ),
        {"surface": "elliptic", "racers": {"adagrad": {"lr": 0.4}, "rmsprop": {"lr": 0.4}}, "steps": 50},
        numbers=_stalls,
    ),
    Preset(
        "gamma-one",
        N_("γ = 1 (d2l exercise 1)"),
        N_(
            "With γ = 1 the leaky average never takes in a gradient: s stays at its initial 0, so every step is "
            "η·g/√ε: at η = 0.4 and ε = 10⁻⁶ inside the root that is 400 times the gradient (with ε outside the root, "
            "η/ε: 400 000 times), and the run leaves the plot at once. γ < 1 is what makes RMSProp an average."
        ),
        {"surface": "elliptic", "racers": {"rmsprop": {"gamma": 1.0}, "rmsprop2": {"lr": 0.4}}, "steps": 30},
    ),
    Preset(
        "rotated",
        N_("The rotated bowl (d2l exercise 2)"),
        N_(
            "d2l's bowl made twice as steep (curvatures 0.4 and 8) and turned by 45°: 0.1(x+y)² + 2(x−y)², with the "
            "chapter's settings (η = 0.4, γ = 0.9, twenty steps). The long axis is now diagonal, so no single "
            "coordinate owns the flat direction: the steep direction's large gradients fill both x's and y's "
            "average, and RMSProp's two rates stay within {spread:.2g} times of each other. Both stay small, so it "
            "creeps along the diagonal: loss {loss:.3g} after twenty steps. It does not zig-zag, and it is still "
            "ahead of the others here, which are no better at a diagonal. Turn the bowl's angle θ to 0 to race the "
            "same bowl with its axes along x and y."
        ),
        {
            "surface": "rotated",
            "racers": {"rmsprop": {"lr": 0.4}, "adagrad": {"lr": 0.4}, "momentum": {"lr": 0.02}, "sgd": {"lr": 0.05}},
            "steps": 20,
        },
        numbers=_rotated,
    ),
    Preset(
        "what-rmsprop-sees",
        N_("What RMSProp sees (d2l exercise 2, answered)"),
        N_(
            "The rotated bowl in RMSProp's own coordinates, with the chapter's settings (η = 0.4, γ = 0.9, twenty "
            "steps). Its step sizes p = η/√(s + ε) make the coordinates z = (x/√p_x, y/√p_y), in which its step is "
            "plain gradient descent; the right panel draws the bowl in them at the step shown. Both bowls have κ(H) = "
            "20. On this one the steep direction's gradients fill both averages alike, so p_x stays between 0.823 and "
            "0.846 times p_y, no stretch of x or y undoes the tilt, and κ(P^½HP^½) is 20.2 at every one of the twenty "
            "steps. On the elliptic bowl, from its own start, the same RMSProp makes κ(P^½HP^½) 2.5 at step 1 and "
            "from step 7 on keeps it at 4.05, give or take 5%: rounder, not round, because p_x/p_y = √(s_y/s_x) is "
            "the ratio of the gradients' leaky root mean squares (4.94 at step 20), where it would take 20, the ratio "
            "of the curvatures, to round it. Pick the elliptic bowl to see its contours come out rounder."
        ),
        {"surface": "rotated", "racers": {"rmsprop": {"lr": 0.4, "gamma": 0.9}}, "steps": 20, "view": "twin"},
    ),
    Preset(
        "saddle",
        N_("Escaping the saddle"),
        N_(
            "x² − y² from (−1.5, 0.001), a hair off the ridge y = 0. Plain gradient descent's y gradient is tiny "
            "there, so it lingers: after 10 steps it is 0.00259 off the ridge (momentum 0.00449). RMSProp divides "
            "the tiny gradient by its own small root and leaves at once: 1.14 off the ridge after 10 steps."
        ),
        {
            "surface": "saddle",
            "racers": {"rmsprop": {"lr": 0.05}, "sgd": {"lr": 0.05}, "momentum": {"lr": 0.05}},
            "steps": 60,
        },
    ),
    Preset(
        "valley",
        N_("Momentum overshoots the long valley"),
        N_(
            "A long, narrow valley whose floor is the line y = 0.2x − 1. Momentum overshoots the floor and sloshes "
            "from wall to wall (y − 0.2x + 1 is {swing:.2f} at step 4 and still {still:.2f} at step 33), while "
            "RMSProp damps the steep coordinate, slides down one wall without crossing the floor ({uncrossed} steps) "
            "and stays within 0.1 of it from step 30 to step 100. Sloshing is not losing: along the floor momentum's "
            "speed pays, and after {steps} steps it is ahead (loss {momentum:.2g} against RMSProp's {rmsprop:.3g})."
        ),
        {"surface": "valley", "racers": {"momentum": {}, "rmsprop": {}}, "steps": 150},
        numbers=_valley,
    ),
    Preset(
        "plateau",
        N_("The plateau"),
        N_(
            "A flat region where the gradient is tiny. SGD's steps are as small as the gradient, so it stalls: after "
            "150 steps its loss is still 0.994. Rprop uses only the sign and RMSProp divides by the gradient's own "
            "size, so both keep moving: their losses are first below 0.001 at step 23 (Rprop) and step 62 (RMSProp)."
        ),
        {"surface": "plateau", "racers": {"sgd": {}, "rprop": {}, "rmsprop": {}}, "steps": 150},
    ),
    Preset(
        "noisy",
        N_("Rprop against RMSProp with noisy gradients"),
        N_(
            "The same noise (σ = 1) for both. Noise flips the sign of a gradient coordinate at {flip_rate:.0%} of "
            "steps. rmsviz's Rprop is torch.optim's iRprop−: at a flip it halves its step size there, skips the step "
            "and forgets the sign, so a flip right after a flip cuts nothing, and no cut goes below the smallest step "
            "size Δmin ({cut} of its {flips} flips cut the step size). From step {frozen} on all its steps are below "
            "0.001 (it travels {moved:.2g} in all over the last 50) and it freezes where it is: {distance:.3g} from "
            "the minimum at step {steps} (try other seeds: rarely near it). RMSProp divides by a leaky average of g², "
            "which the noise keeps from shrinking, so it keeps moving and hovers around the minimum: its median "
            "distance from it over steps 75 to {steps} is {hovering:.3g}."
        ),
        {
            "surface": "elliptic",
            "racers": {"rprop": {"lr": 0.1}, "rmsprop": {"lr": 0.1}},
            "noise": 1.0,
            "seed": 2,
            "steps": 150,
        },
        numbers=_noisy,
    ),
    Preset(
        "article-theta",
        N_("An article's worked example, corrected"),
        N_(
            "The hyperparameter-strategies article works RMSProp by hand on J(θ) = θ² from θ0 = 10 with α = 0.1, "
            "ρ = 0.9, ε = 10⁻⁸ and prints θ1 = 8, θ2 = 6.25; this run gives 9.683772 and 9.457880 (v = 40 and "
            "73.5102): the step inspector has both, and why. Two more things to watch there: the article calls the "
            "learning rate α, as Adam's paper does, which clashes with PyTorch's `RMSprop(alpha=…)`, the decay (the "
            "article's ρ, d2l's γ); and its formula puts ε inside the root, √(v + ε), while its code adds it "
            "outside, √v + ε. RMSProp #2 runs the code's form: at ε = 10⁻⁸ the two agree to every digit shown. "
            "That PyTorch code does not run as printed: `optimizer = RMSProp(model.parameters(), …)` calls the update "
            "once, before any `loss.backward()`, where `param.grad` is None, so `param.grad.data` fails; and were it "
            "to return, it returns None, which has no `zero_grad()` or `step()`. Its `addcmul_(1 - rho, grad, grad)` "
            "and `addcdiv_(-lr, …)` use a signature PyTorch deprecates (it warns). What works: call `RMSProp(params, "
            "…)` in the loop after `loss.backward()`, with `params = list(model.parameters())` and "
            "`model.zero_grad()` before the backward pass, writing `addcmul_(grad, grad, value=1 - rho)` and "
            "`addcdiv_(grad, …, value=-lr)`; or use `torch.optim.RMSprop(model.parameters(), lr=0.01, alpha=0.9, "
            "eps=1e-8)`, which adds ε outside the root as this code does."
        ),
        {
            "surface": "custom",
            "formula": "x**2",
            "x0": 10.0,
            "y0": 0.0,
            "racers": {
                "rmsprop": {"lr": 0.1, "gamma": 0.9, "eps": 1e-8},
                "rmsprop2": {"lr": 0.1, "gamma": 0.9, "eps": 1e-8, "eps_in_sqrt": False},
            },
            "steps": 2,
            "details": "inspector",
        },
        (
            Erratum("rmsprop", 1, "x", "8", ARTICLE_WHY_STEP_1),
            Erratum("rmsprop", 1, "s", "0 (v₀ is used)", N_("RMSProp updates v before it steps: v₁ = 0.1·20² = 40.")),
            Erratum("rmsprop", 2, "x", "6.25", ARTICLE_WHY_STEP_2),
            Erratum("rmsprop", 2, "s", "25.6", ARTICLE_WHY_V_2),
        ),
    ),
    Preset(
        "rmsprop-adadelta",
        N_("RMSProp against AdaDelta"),
        N_(
            "Source 000 says RMSProp “is in fact AdaDelta”, with one difference: AdaDelta drops the global learning "
            "rate. What they share: each divides g by the root of the same leaky average of g², s ← ρs + (1 − ρ)g² "
            "(ρ = γ = 0.9 here). What the difference does: where RMSProp multiplies by η, AdaDelta multiplies by "
            "√(Δ + ε), the root of a leaky average of its own past squared steps, Δ ← ρΔ + (1 − ρ)·step² (rmsviz's "
            "AdaDelta, like torch.optim.Adadelta, then scales the step by lr = 1). Δ starts at 0, so AdaDelta's "
            "first step is √ε/√(s₁ + ε)·g: {first:.2g} along x, against RMSProp's {first_rmsprop:.3g}, {times:.0f} "
            "times smaller (η/√ε, with η = 0.4 and ε = 10⁻⁶). Its steps grow only as they feed Δ: its rate along x "
            "is {rate_first:.2g} at step 1 and {rate_last:.2g} at step {steps}, and its loss falls from {start:.3g} "
            "only to {end:.3g}, where RMSProp's is {end_rmsprop:.2g}. Its ε, not a learning rate, sets the size of "
            "its first steps."
        ),
        {
            "surface": "elliptic",
            "racers": {"rmsprop": {"lr": 0.4, "gamma": 0.9}, "adadelta": {"rho": 0.9}},
            "steps": 50,
        },
        numbers=_adadelta,
    ),
)
