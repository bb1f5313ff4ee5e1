"""Lecture presets for the race page: one click (or one link) each, with what to look at.

A preset is plain data: the race settings it sets (the surface, the racers with their own settings, the steps:
the form rmsviz.ui.race_links documents and turns into the race's widgets and link), a caption, and the
errata of the source it follows (what the source prints at a step of the run, beside what the run computes,
and why they differ). What it leaves out keeps its default; a preset without ``x0``/``y0`` starts at its
surface's start. Every number a caption states is held to the run by tests/test_presets.py.
"""

from __future__ import annotations

from typing import NamedTuple


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
    caption: str
    settings: dict
    errata: tuple[Erratum, ...] = ()


# The hyperparameter-strategies article (sources/001): J(θ) = θ², θ0 = 10, α = 0.1, ρ = 0.9, ε = 1e-8.
ARTICLE_WHY_STEP_1 = (
    "8 is plain gradient descent, 10 − 0.1·20. RMSProp first updates v₁ = 0.9·0 + 0.1·20² = 40 and then "
    "steps 10 − 0.1·20/√(40 + 10⁻⁸); the article's own line with v₀ = 0 would give 10 − 0.1·20/√(10⁻⁸) = −19 990."
)
ARTICLE_WHY_STEP_2 = (
    "The article goes on from its 8 (g = 16, v = 25.6), and 8 − 0.1·16/√25.6 is 7.68, not 6.25. From RMSProp's "
    "θ₁ the gradient is 2θ₁ and v₂ = 0.9·40 + 0.1·g²."
)


PRESETS = (
    Preset(
        "rmsprop-settles",
        "A decaying η lets RMSProp settle",
        "Two RMSProps with η = 0.4 on 0.1x² + 2y². #1 keeps η constant: as the gradients shrink, s shrinks with "
        "them and η/√(s + ε) grows, until at step 25 y's rate times its curvature 4 passes 2 and each step "
        "overshoots y by more than it corrects: its loss falls to about 1e-22 by step 37, then climbs back. #2 "
        "(dashed) halves η whenever its loss has not improved for 5 steps (reduce on plateau): its loss keeps "
        "falling, below 1e-30 by step 100. Open the Stability panel to see #1 cross its threshold.",
        {
            "surface": "elliptic",
            "racers": {"rmsprop": {}, "rmsprop2": {"schedule": {"kind": "plateau", "factor": 0.5, "patience": 5}}},
            "steps": 100,
        },
    ),
    Preset(
        "d2l-rmsprop",
        "d2l's RMSProp figure",
        "RMSProp with η = 0.4, γ = 0.9 from (−5, −2) on 0.1x² + 2y², twenty steps, as in d2l. Look at the first "
        "step: both coordinates move by the same amount although the y gradient is 8 times the x gradient "
        "(g = (−1, −8) at the start; 20 is the ratio of the curvatures, 4 against 0.2), because each is divided "
        "by the root of its own leaky average of g². The step inspector puts the chapter's printed result "
        "beside this run's.",
        {"surface": "elliptic", "racers": {"rmsprop": {"lr": 0.4, "gamma": 0.9}}, "steps": 20, "details": "inspector"},
        (
            Erratum("rmsprop", 20, "x", "−0.010599", "d2l's figure: the same run, and the same digits."),
            Erratum("rmsprop", 20, "y", "0.000000", "d2l's figure: y is below 10⁻⁶ after twenty steps."),
        ),
    ),
    Preset(
        "adagrad-stalls",
        "Adagrad stalls",
        "Adagrad and RMSProp with the same η = 0.4. Adagrad's denominator is the root of the sum of every squared "
        "gradient so far, so its effective learning rate only falls (see the rate chart): along x from 0.4 to "
        "0.11 in 50 steps, and it crawls along x. It does not fall like 1/√t here: that takes gradients that "
        "stay about the same size (noise, see the noisy-gradients page); on this noise-free run the gradients "
        "shrink near the minimum and the sum levels off (s_y is 230 at step 20 and 232 at step 50). RMSProp "
        "forgets old gradients and keeps its pace. (Run it longer and RMSProp starts to bounce around the "
        "minimum: g/√s does not shrink with g, so a constant η needs a schedule to settle.)",
        {"surface": "elliptic", "racers": {"adagrad": {"lr": 0.4}, "rmsprop": {"lr": 0.4}}, "steps": 50},
    ),
    Preset(
        "gamma-one",
        "γ = 1 (d2l exercise 1)",
        "With γ = 1 the leaky average never takes in a gradient: s stays at its initial 0, so every step is η·g/√ε: "
        "at η = 0.4 and ε = 10⁻⁶ inside the root that is 400 times the gradient (with ε outside the root, η/ε: "
        "400 000 times), and the run leaves the plot at once. γ < 1 is what makes RMSProp an average.",
        {"surface": "elliptic", "racers": {"rmsprop": {"gamma": 1.0}, "rmsprop2": {"lr": 0.4}}, "steps": 30},
    ),
    Preset(
        "rotated",
        "The rotated bowl (d2l exercise 2)",
        "The same bowl turned by 45°: 0.1(x+y)² + 2(x−y)², with the chapter's settings (η = 0.4, γ = 0.9, twenty "
        "steps). The long axis is now diagonal, so no single coordinate owns the flat direction: the steep "
        "direction's large gradients fill both x's and y's average, and RMSProp's two rates stay within 1.2 times "
        "of each other (on the elliptic bowl from the same start, x's is 5 times y's). Both stay small, so it "
        "creeps along the diagonal: loss 0.157 after twenty steps, against 0.0326 on the elliptic bowl. It does "
        "not zig-zag, and it is still ahead of the others here, which are no better at a diagonal.",
        {
            "surface": "rotated",
            "racers": {"rmsprop": {"lr": 0.4}, "adagrad": {"lr": 0.4}, "momentum": {"lr": 0.02}, "sgd": {"lr": 0.05}},
            "steps": 20,
        },
    ),
    Preset(
        "saddle",
        "Escaping the saddle",
        "x² − y² from (−1.5, 0.001), a hair off the ridge y = 0. Plain gradient descent's y gradient is tiny "
        "there, so it lingers: after 10 steps it is 0.00259 off the ridge (momentum 0.00449). RMSProp divides "
        "the tiny gradient by its own small root and leaves at once: 1.14 off the ridge after 10 steps.",
        {
            "surface": "saddle",
            "racers": {"rmsprop": {"lr": 0.05}, "sgd": {"lr": 0.05}, "momentum": {"lr": 0.05}},
            "steps": 60,
        },
    ),
    Preset(
        "valley",
        "Momentum overshoots the long valley",
        "A long, narrow valley whose floor is the line y = 0.2x − 1. Momentum overshoots the floor and sloshes "
        "from wall to wall (y − 0.2x + 1 is −2.51 at step 4 and still 0.55 at step 33), while RMSProp damps the "
        "steep coordinate, slides down one wall without crossing the floor (38 steps) and stays within 0.1 of it "
        "from step 30 to step 100. Sloshing is not losing: along the floor momentum's speed pays, and after 150 "
        "steps it is ahead (loss 0.045 against RMSProp's 0.0546).",
        {"surface": "valley", "racers": {"momentum": {}, "rmsprop": {}}, "steps": 150},
    ),
    Preset(
        "plateau",
        "The plateau",
        "A flat region where the gradient is tiny. SGD's steps are as small as the gradient, so it stalls: after "
        "150 steps its loss is still 0.994. Rprop uses only the sign and RMSProp divides by the gradient's own "
        "size, so both keep moving: their losses are first below 0.001 at step 23 (Rprop) and step 62 (RMSProp).",
        {"surface": "plateau", "racers": {"sgd": {}, "rprop": {}, "rmsprop": {}}, "steps": 150},
    ),
    Preset(
        "noisy",
        "Rprop against RMSProp with noisy gradients",
        "The same noise (σ = 1) for both. Noise flips the sign of a gradient coordinate at 38% of steps and each "
        "flip halves Rprop's step there, so from step 100 on all its steps are below 0.001 (0.0027 in all over "
        "the last 50) and it freezes where it is: 3.78 from the minimum at step 150 (try other seeds: rarely "
        "near it). RMSProp divides by a leaky average "
        "of g², which the noise keeps from shrinking, so it keeps moving and hovers around the minimum: its median "
        "distance from it over steps 75 to 150 is 0.741.",
        {
            "surface": "elliptic",
            "racers": {"rprop": {"lr": 0.1}, "rmsprop": {"lr": 0.1}},
            "noise": 1.0,
            "seed": 2,
            "steps": 150,
        },
    ),
    Preset(
        "article-theta",
        "An article's worked example, corrected",
        "The hyperparameter-strategies article works RMSProp by hand on J(θ) = θ² from θ0 = 10 with α = 0.1, "
        "ρ = 0.9, ε = 10⁻⁸ and prints θ1 = 8, θ2 = 6.25; this run gives 9.683772 and 9.457880 (v = 40 and "
        "73.5102): the step inspector has both, and why. Two more slips there: the article calls the learning rate "
        "α, while PyTorch's `RMSprop(alpha=…)` is the decay (the article's ρ, d2l's γ); and its formula puts ε "
        "inside the root, √(v + ε), while its code adds it outside, √v + ε. RMSProp #2 runs the code's form: at "
        "ε = 10⁻⁸ the two agree to every digit shown.",
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
            Erratum("rmsprop", 1, "s", "0 (v₀ is used)", "RMSProp updates v before it steps: v₁ = 0.1·20² = 40."),
            Erratum("rmsprop", 2, "x", "6.25", ARTICLE_WHY_STEP_2),
            Erratum("rmsprop", 2, "s", "25.6", "The article's v comes from its θ1 = 8; RMSProp's from θ1 = 9.683772."),
        ),
    ),
)
