"""Each lecture preset shows what its caption says: the claims checked on the runs the race page draws, their
numbers recomputed here from those runs (not with the caption's own code)."""

import math

import numpy as np
import pytest

import rmsviz
from rmsviz import inspector, schedules, stability
from rmsviz.studies.captions import FIRST_RACE
from rmsviz.studies.claims import Scene
from rmsviz.studies.presets import ARTICLE_WHY_STEP_1, ARTICLE_WHY_STEP_2, ARTICLE_WHY_V_2, PRESETS
from rmsviz.studies.race import complete, race_defaults
from rmsviz.surfaces import SURFACES, Surface
from rmsviz.ui.race_settings import optimizer_of


def preset(key: str):
    return next(p for p in PRESETS if p.key == key)


def preset_surface(settings: dict) -> Surface:
    return SURFACES.get(settings["surface"]) or Surface.from_expression(settings["formula"])


def preset_runs(key: str) -> dict[str, rmsviz.Trajectory]:
    """The preset's racers as the race page runs them: its settings over the race's defaults, from its start."""
    settings = preset(key).settings
    surface = preset_surface(settings)
    start = (settings["x0"], settings["y0"]) if "x0" in settings else surface.starts[0]
    runs = {}
    for racer, own in settings["racers"].items():
        name, own = optimizer_of(racer), dict(own)
        scheduled = dict(own.pop("schedule", {"kind": "constant"}))
        runs[racer] = rmsviz.run(
            name, surface, start=start, steps=settings.get("steps", surface.steps), noise=settings.get("noise", 0.0),
            seed=settings.get("seed", 0), record="all", schedule=schedules.schedule(scheduled.pop("kind"), **scheduled),
            **{**race_defaults(name, surface), **own},
        )  # fmt: skip
    return runs


def shown(value: float, digits: int = 3) -> str:
    """A number as a caption writes it: ``digits`` significant digits, a minus sign for a minus."""
    return f"{value:.{digits}g}".replace("-", "−")


def note(key: str) -> str:
    """The preset's note as the race shows it beside the preset's own runs."""
    settings = preset(key).settings
    text = preset(key).note.text(Scene(complete(settings), preset_runs(key), preset_surface(settings)))
    assert text is not None, f"{key}'s note is not shown at its own settings"
    return text


def says(key: str, *numbers: str) -> None:
    """The preset's note states each of ``numbers`` (so a test below holds it to the run)."""
    text = note(key)
    for number in numbers:
        assert number in text, f"{key}'s note no longer says {number}"


def test_every_preset_is_checked_here():
    checked = {name.removeprefix("test_").replace("_", "-") for name in globals() if name.startswith("test_")}
    assert {p.key for p in PRESETS} <= checked


def test_d2l_rmsprop():
    """The first step moves x and y alike although g_y is 8 times g_x (20 is the curvatures' ratio)."""
    t = preset_runs("d2l-rmsprop")["rmsprop"]
    g = SURFACES["elliptic"].grad(t.path[0])
    hessian = np.diag(SURFACES["elliptic"].hessian(t.path[0]))
    says("d2l-rmsprop", f"{g[1] / g[0]:g} times", f"g = ({g[0]:g}, {g[1]:g})".replace("-", "−"))
    says("d2l-rmsprop", f"{hessian[1] / hessian[0]:g} is the ratio", f"{hessian[1]:g} against {hessian[0]:g}")
    step = t.path[1] - t.path[0]
    assert step[1] / step[0] == pytest.approx(1.0, abs=1e-4)


def test_d2l_printed_result_beside_the_run():
    """The chapter prints x1 −0.010599, x2 0.000000; the erratum rows show the run's own digits beside them."""
    rows = inspector.erratum_rows(preset_runs("d2l-rmsprop"), preset("d2l-rmsprop").errata)
    assert [(r["the source prints"], r["this run"]) for r in rows] == [("−0.010599", "−0.010599"), ("0.000000",) * 2]


def test_adagrad_stalls():
    """The rate only falls (0.4 to 0.11 along x), but not like 1/√t: s levels off on this noise-free run."""
    runs = preset_runs("adagrad-stalls")
    adagrad, rmsprop = runs["adagrad"], runs["rmsprop"]
    assert (np.diff(adagrad.effective_lr[1:], axis=0) < 0).all()  # Adagrad's rate only falls
    rate, s = adagrad.effective_lr[:, 0], adagrad.state["s"][:, 1]
    says("adagrad-stalls", f"from {shown(rate[1], 2)} to {shown(rate[50], 2)} in 50 steps")
    says("adagrad-stalls", f"s_y is {s[20]:.0f} at step 20 and {s[50]:.0f} at step 50")
    # RMSProp bounces within the preset's own 50 steps (not only "run longer"): lowest at 37, then up again
    best = int(np.argmin(rmsprop.loss))
    assert best < 50 and rmsprop.loss[50] > 1e10 * rmsprop.loss[best]
    says("adagrad-stalls", f"lowest at step {best} ({shown(rmsprop.loss[best], 2)}) and {shown(rmsprop.loss[50], 2)}")
    assert "Run it longer" not in note("adagrad-stalls")
    # 1/√t would divide the rates by √(50/20) = 1.58 between steps 20 and 50: here x's by 1.18, y's by 1.00
    fell = adagrad.effective_lr[20] / adagrad.effective_lr[50]
    assert fell.max() < 1.2 < 1.5 < math.sqrt(50 / 20) and fell[1] < 1.01
    assert adagrad.loss[-1] > 1000 * rmsprop.loss[-1]


def test_gamma_one():
    """Every step is η·g/√ε: the factor the caption states is the one the run applies (η/ε outside the root)."""
    runs = preset_runs("gamma-one")
    t = runs["rmsprop"]
    assert t.diverged and t.diverged_at <= 5
    assert not runs["rmsprop2"].diverged
    h = t.hyperparameters
    factor = stability.rate_ceiling("rmsprop", h)
    assert factor == pytest.approx(t.effective_lr[1, 0]) == pytest.approx(h["lr"] / math.sqrt(h["eps"]))
    outside = stability.rate_ceiling("rmsprop", {**h, "eps_in_sqrt": False})
    says("gamma-one", f"η = {h['lr']:g}", f"{factor:.0f} times", f"{outside:,.0f} times".replace(",", " "))


def test_rotated():
    """Per-coordinate scaling helps much less: x and y see the same mix of the two curvatures, so RMSProp's two
    rates stay within 1.2 times of each other; no zig-zag, and RMSProp still ahead at the chapter's settings.
    The surface is the elliptic bowl's shape twice as steep (curvatures 0.4 and 8), not "the same bowl", and
    the note no longer holds it against the elliptic bowl's run (an unfair comparison, true only at step 1)."""
    runs = preset_runs("rotated")
    rmsprop = runs["rmsprop"]
    ratio = rmsprop.effective_lr[1:, 0] / rmsprop.effective_lr[1:, 1]
    spread = max(ratio.max(), 1 / ratio.min())
    says("rotated", f"within {spread:.2g} times", f"loss {shown(rmsprop.loss[-1])} after twenty steps")
    says("rotated", f"η = {rmsprop.hyperparameters['lr']:g}", "twice as steep (curvatures 0.4 and 8)")
    curvatures = np.linalg.eigvalsh(SURFACES["rotated"].hessian(np.zeros(2)))
    elliptic = np.diag(SURFACES["elliptic"].hessian(np.zeros(2)))
    np.testing.assert_allclose(curvatures, [0.4, 8.0]) and np.testing.assert_allclose(curvatures, 2 * elliptic)
    assert "The same bowl" not in note("rotated") and "elliptic bowl" not in note("rotated")
    assert len(rmsprop.path) - 1 == 20 and spread < 1.25
    moves = np.sign(np.diff(rmsprop.path, axis=0))
    assert (moves[1:] != moves[:-1]).sum() <= 2  # it does not zig-zag
    assert rmsprop.loss[-1] == min(t.loss[-1] for t in runs.values())  # still ahead


def test_saddle():
    runs = preset_runs("saddle")
    start = runs["sgd"].path[0]
    says("saddle", f"from ({start[0]:g}, {start[1]:g})".replace("-", "−"))
    escaped = {name: abs(t.path[10, 1]) for name, t in runs.items()}
    says(
        "saddle", f"after 10 steps it is {shown(escaped['sgd'])} off the ridge (momentum {shown(escaped['momentum'])})"
    )
    says("saddle", f"{shown(escaped['rmsprop'])} off the ridge after 10 steps")
    assert escaped["rmsprop"] > 100 * escaped["sgd"]  # RMSProp is off the ridge while SGD lingers


def test_valley():
    """Momentum sloshes across the valley (y − 0.2x + 1 is the distance across it, up to scale), RMSProp does
    not, and yet momentum is ahead after 150 steps."""
    runs = preset_runs("valley")
    across = {name: t.path[:, 1] - 0.2 * t.path[:, 0] + 1 for name, t in runs.items()}
    momentum, rmsprop = across["momentum"], across["rmsprop"]
    says("valley", f"{momentum[4]:.2f} at step 4".replace("-", "−"), f"still {momentum[33]:.2f} at step 33")
    assert np.argmin(momentum) == 4 and np.abs(momentum[33:]).max() == abs(momentum[33])
    uncrossed = int(np.flatnonzero(rmsprop <= 0)[0]) - 1  # steps before RMSProp first reaches the floor
    says("valley", f"without crossing the floor ({uncrossed} steps)")
    assert np.abs(rmsprop[30:101]).max() < 0.1 and np.abs(momentum[30:101]).max() > 4 * np.abs(rmsprop[30:101]).max()
    loss = {name: t.loss[-1] for name, t in runs.items()}
    assert loss["momentum"] < loss["rmsprop"]
    says("valley", f"loss {shown(loss['momentum'], 2)} against RMSProp's {shown(loss['rmsprop'])}")


def test_plateau():
    runs = preset_runs("plateau")
    sgd = runs["sgd"]
    says("plateau", f"after {len(sgd.loss) - 1} steps its loss is still {shown(sgd.loss[-1])}")
    assert sgd.loss[-1] > 0.99  # still on the plateau, where f is almost 1
    below = {name: int(np.flatnonzero(runs[name].loss < 1e-3)[0]) for name in ("rprop", "rmsprop")}
    says("plateau", f"first below 0.001 at step {below['rprop']} (Rprop) and step {below['rmsprop']} (RMSProp)")


def test_noisy():
    """Sign flips shrink Rprop's steps to almost nothing: it freezes away from the minimum. RMSProp hovers near it.
    Not every flip halves the step: iRprop− forgets the sign after a flip, so the flip that follows halves nothing;
    what it travels over the last 50 steps is the sum of its steps' lengths, not the net displacement."""
    runs = preset_runs("noisy")
    rprop, rmsprop = runs["rprop"], runs["rmsprop"]
    g, size = rprop.grads[1:], rprop.state["step_size"][1:]  # step k's gradient, and the step size it left
    flips = g[1:] * g[:-1] < 0  # per coordinate, step against step
    counted = np.zeros_like(flips)  # the flips iRprop− sees: not one right after a flip (it forgot that sign)
    for k in range(len(flips)):
        counted[k] = flips[k] & ~(counted[k - 1] if k else False)
    step_min = rprop.hyperparameters["step_min"]
    cut = flips & np.isclose(size[1:], np.maximum(0.5 * size[:-1], step_min)) & (size[:-1] > step_min)
    assert (cut == (counted & (size[:-1] > step_min))).all() and (counted < flips).any()
    assert (counted & (size[:-1] == step_min)).any()  # a flip at Δmin cuts nothing either
    says("noisy", f"at {flips.mean():.0%} of steps", f"{cut.sum()} of its {flips.sum()} flips cut the step size")
    assert (
        rprop.hyperparameters["eta_minus"] == 0.5
        and complete(preset("noisy").settings)["racers"]["rprop"]["skip_on_flip"]
    )
    frozen = int(np.flatnonzero(rprop.state["step_size"].max(-1) >= 1e-3)[-1]) + 1  # all below from here
    travelled = sum(
        np.hypot(*(rprop.path[k + 1] - rprop.path[k])) for k in range(len(rprop.path) - 51, len(rprop.path) - 1)
    )
    net = np.linalg.norm(rprop.path[-1] - rprop.path[-51])
    distance = np.linalg.norm(rprop.path[-1])
    says("noisy", f"From step {frozen} on all its steps are below 0.001 (it travels {shown(travelled, 2)} in all")
    assert shown(net, 2) != shown(travelled, 2) and "each flip halves" not in note("noisy")
    says("noisy", f"{shown(distance)} from the minimum at step 150")
    hovering = np.median(np.linalg.norm(rmsprop.path[75:], axis=-1))
    says("noisy", f"over steps 75 to 150 is {shown(hovering)}")
    assert distance > 3 * hovering


def test_article_theta():
    """The article's worked example: the run gives 9.683772 and 9.457880 (v = 40, 73.5102) where it prints 8 and
    6.25; its 8 is plain gradient descent; its v₀ = 0 line gives −19 990; ε inside or outside agree here."""
    runs = preset_runs("article-theta")
    inside, outside = runs["rmsprop"], runs["rmsprop2"]
    theta, v = inside.path[:, 0], inside.state["s"][:, 0]
    says("article-theta", f"{theta[1]:.6f} and {theta[2]:.6f}", f"v = {v[1]:g} and {v[2]:.6g}")
    np.testing.assert_allclose(outside.path, inside.path, atol=5e-7)  # the code's ε outside: same six decimals
    lr, eps, g0 = 0.1, 1e-8, 2 * theta[0]
    assert f"{theta[0] - lr * g0:g} is plain gradient descent" in ARTICLE_WHY_STEP_1
    assert f"{theta[0] - lr * g0 / math.sqrt(0 + eps):,.0f}".replace(",", " ").replace("-", "−") in ARTICLE_WHY_STEP_1
    assert f"{8 - lr * 16 / math.sqrt(25.6):.3g}, not 6.25" in ARTICLE_WHY_STEP_2
    # the article's v₂ is 0.1·16² alone: the gradient at its own θ1 = 8, and no 0.9·v₁
    assert pytest.approx(25.6) == 0.1 * (2 * 8) ** 2 and "drops 0.9·v₁" in ARTICLE_WHY_V_2
    assert 0.9 * v[1] + 0.1 * (2 * theta[1]) ** 2 == pytest.approx(v[2])
    says("article-theta", "as Adam's paper does, which clashes with PyTorch's `RMSprop(alpha=…)`")
    rows = inspector.erratum_rows(runs, preset("article-theta").errata)
    assert [r["this run"] for r in rows] == [f"{theta[1]:.6f}", f"{v[1]:.6f}", f"{theta[2]:.6f}", f"{v[2]:.6f}"]
    assert [r["the source prints"] for r in rows][::2] == ["8", "6.25"]


def test_article_theta_code_and_its_repair():
    """The note's repair of the article's PyTorch code runs and matches torch.optim.RMSprop(alpha=0.9, eps=1e-8);
    the code as printed fails at once: its first call comes before any backward pass, where grad is None."""
    torch = pytest.importorskip("torch")
    says("article-theta", "`param.grad` is None", "`addcmul_(grad, grad, value=1 - rho)`", "alpha=0.9")

    def article_rmsprop(params, lr=0.01, rho=0.9, eps=1e-8):  # the article's function, with the note's repair
        for param in params:
            state = getattr(param, "rms_prop", None)
            if state is None:
                state = torch.zeros_like(param.data)
                param.rms_prop = state
            grad = param.grad.data
            state.mul_(rho).addcmul_(grad, grad, value=1 - rho)
            param.data.addcdiv_(grad, state.sqrt().add_(eps), value=-lr)

    torch.manual_seed(0)
    model, reference = torch.nn.Linear(10, 1), torch.nn.Linear(10, 1)
    reference.load_state_dict(model.state_dict())
    with pytest.raises(AttributeError):
        article_rmsprop(model.parameters())  # as printed: `optimizer = RMSProp(model.parameters(), …)`
    params, optimizer = list(model.parameters()), torch.optim.RMSprop(reference.parameters(), lr=0.01, alpha=0.9)
    inputs, targets = torch.randn(32, 10), torch.randn(32, 1)
    for _ in range(20):
        model.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        article_rmsprop(params)
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(reference(inputs), targets).backward()
        optimizer.step()
    for mine, theirs in zip(params, reference.parameters(), strict=True):
        torch.testing.assert_close(mine, theirs)


def test_rmsprop_adadelta():
    """Both divide by the root of the same leaky average of g²; AdaDelta multiplies by √(Δ + ε) where RMSProp
    multiplies by η, and Δ starts at 0: its first step is η/√ε = 400 times smaller, and it stays slow. Both runs
    recomputed here from the formulas on 0.1x² + 2y² from (−5, −2)."""
    lr, rho, eps, steps = 0.4, 0.9, 1e-6, 50
    point = {"rmsprop": np.array([-5.0, -2.0]), "adadelta": np.array([-5.0, -2.0])}
    s = {name: np.zeros(2) for name in point}
    delta, first, rate = np.zeros(2), {}, []
    for step in range(1, steps + 1):
        for name, x in point.items():
            g = np.array([0.2 * x[0], 4 * x[1]])
            s[name] = rho * s[name] + (1 - rho) * g**2
            if name == "rmsprop":
                move = lr / np.sqrt(s[name] + eps) * g
            else:
                rate.append(np.sqrt(delta + eps) / np.sqrt(s[name] + eps))
                move = rate[-1] * g
                delta = rho * delta + (1 - rho) * move**2
            point[name] = x - move
            if step == 1:
                first[name] = abs(move[0])
    loss = {name: 0.1 * x[0] ** 2 + 2 * x[1] ** 2 for name, x in point.items()}
    assert first["rmsprop"] / first["adadelta"] == pytest.approx(lr / math.sqrt(eps))
    says(
        "rmsprop-adadelta",
        f"{first['adadelta']:.2g} along x, against RMSProp's {first['rmsprop']:.3g}, "
        f"{first['rmsprop'] / first['adadelta']:.0f} times smaller",
        f"{rate[0][0]:.2g} at step 1 and {rate[-1][0]:.2g} at step {steps}",
        f"from {0.1 * 25 + 2 * 4:.3g} only to {loss['adadelta']:.3g}, where RMSProp's is " + shown(loss["rmsprop"], 2),
    )
    assert loss["adadelta"] > 0.5 * 10.5 and loss["rmsprop"] < 1e-3


def surface_race(name: str, racers: list[str], steps: int | None = None) -> dict[str, rmsviz.Trajectory]:
    """The race's first picture on a surface: its start, its steps, the settings the race gives each racer."""
    surface = SURFACES[name]
    return {
        r: rmsviz.run(r, surface, steps=steps or surface.steps, record="all", **race_defaults(r, surface))
        for r in racers
    }


def first_race_text(name: str, racers: list[str]) -> str:
    """The surface's caption over its first race with ``racers``: what it teaches, then the claims that hold."""
    runs = surface_race(name, racers)
    scene = Scene(complete({"surface": name, "racers": {r: {} for r in racers}}), runs, SURFACES[name])
    shown_claims = [c.text(scene) for c in FIRST_RACE.get(name, ())]
    return " ".join([SURFACES[name].teaches, *filter(None, shown_claims)])


def surface_says(name: str, racers: list[str], *numbers: str) -> None:
    text = first_race_text(name, racers)
    for number in numbers:
        assert number in text, f"{name}'s caption over its first race no longer says {number}"


def test_surface_captions_hold_on_their_first_race():
    """The captions of the elliptic bowl, the saddles, the valley, the plateau and Rastrigin, against the race
    each surface opens with (with the racers each sentence speaks of)."""
    elliptic = SURFACES["elliptic"]
    curvature = np.diag(elliptic.hessian(np.zeros(2)))
    surface_says("elliptic", ["rmsprop"], f"y's curvature is {curvature[1] / curvature[0]:g} times x's")

    saddle = surface_race("saddle", ["sgd", "rmsprop"])
    off = {k: abs(t.path[10, 1]) for k, t in saddle.items()}
    assert off["rmsprop"] > 100 * off["sgd"]  # lingers, leaves at once
    surface_says("saddle", ["sgd", "rmsprop"], f"({shown(off['sgd'], 2)} off the ridge after 10 steps)")
    surface_says("saddle", ["sgd", "rmsprop"], f"({shown(off['rmsprop'])} off the ridge after 10 steps)")

    monkey = surface_race("monkey", ["sgd", "rmsprop"])
    sgd, rmsprop = monkey["sgd"], monkey["rmsprop"]
    assert len(sgd.loss) - 1 == 60 and abs(SURFACES["monkey"].starts[0][1]) < 0.01
    where = f"at ({sgd.path[-1, 0]:.2f}, {sgd.path[-1, 1]:.2f}) after 60 steps, f = {sgd.loss[-1]:.3f}"
    surface_says("monkey", ["sgd", "rmsprop"], where.replace("-", "−"))
    surface_says("monkey", ["sgd", "rmsprop"], f"f = {rmsprop.loss[-1]:.1f} after 60 steps".replace("-", "−"))
    long = surface_race("monkey", ["sgd"], steps=200)["sgd"]
    assert long.diverged  # "downhill never ends here"

    valley = surface_race("valley", ["momentum", "rmsprop"])
    across = {k: t.path[:, 1] - 0.2 * t.path[:, 0] + 1 for k, t in valley.items()}
    momentum, steady = across["momentum"], across["rmsprop"]
    says_valley = ["momentum", "rmsprop"]
    surface_says("valley", says_valley, f"goes from {momentum[0]:g} to {momentum[4]:.2f} by step 4".replace("-", "−"))
    assert momentum.argmin() == 4
    reached = int(np.flatnonzero(steady <= 0)[0])
    assert (np.diff(steady[: reached + 1]) < 0).all() and steady[reached] > -0.25  # down to the floor, no overshoot
    surface_says("valley", says_valley, f"within {np.abs(steady[30:]).max():.2f} of it from step 30")
    surface_says("valley", says_valley, f"momentum still swings by {np.abs(momentum[30:]).max():.2f}")

    rastrigin = SURFACES["rastrigin"]
    x0, y0 = rastrigin.starts[0]
    racers = ["rmsprop", "adagrad", "momentum", "rprop"]  # the race's default racers
    ends = surface_race("rastrigin", racers)
    dimple = np.round([x0, y0])
    for t in ends.values():
        assert np.abs(t.path[-1] - dimple).max() < 0.1 and t.loss[-1] > 17
    best = min(t.loss[-1] for t in ends.values())
    trapped = f"From ({x0:g}, {y0:g}) every racer is trapped in the dimple nearest the start, around ({dimple[0]:g}, "
    surface_says("rastrigin", racers, trapped.replace("-", "−"), f"the best ends at f = {best:.1f}")

    plateau = SURFACES["plateau"]
    racers = ["sgd", "rprop", "rmsprop"]
    gradient = np.linalg.norm(plateau.grad(np.array(plateau.starts[0])))
    surface_says("plateau", racers, f"the gradient is about {gradient:.3f}")
    ends = {k: t.loss[-1] for k, t in surface_race("plateau", racers).items()}
    assert ends["sgd"] > 0.99 and ends["rprop"] < 1e-3 and ends["rmsprop"] < 1e-3
    surface_says("plateau", racers, f"(loss {shown(ends['sgd'])} after 150 steps)")


def test_surface_captions_say_no_outcome_of_a_race():
    """A surface's own caption is shown over any race on it: no run's numbers, and nothing about escaping
    Rastrigin's dimples with noise (at σ = 0.5, 1 and 2 no default racer leaves its dimple, whatever the seed)."""
    assert "Noise" not in SURFACES["rastrigin"].teaches and "σ" not in SURFACES["rastrigin"].teaches
    for surface in SURFACES.values():
        assert not any(f"after {n}" in surface.teaches for n in range(10)), surface.name
    racers = {r: race_defaults(r, SURFACES["rastrigin"]) for r in ["rmsprop", "adagrad", "momentum", "rprop"]}
    starts = np.repeat([SURFACES["rastrigin"].starts[0]], 5, axis=0)
    for sigma in (0.5, 1.0, 2.0):
        for name, settings in racers.items():
            t = rmsviz.run(name, "rastrigin", start=starts, steps=100, noise=sigma, seed=1, record="final", **settings)
            assert (np.abs(t.path[-1] - [-3.0, 3.0]).max(-1) < 0.5).all(), (name, sigma)


def test_rotated_surface_caption():
    """The rotated bowl's caption at any angle says no run's numbers; over its first race, RMSProp's two rates
    stay within the factor it states, and it names the angle 45° it holds at."""
    assert "1.6" not in SURFACES["rotated"].teaches and "d2l's exercise 2" in SURFACES["rotated"].teaches
    t = surface_race("rotated", ["rmsprop"])["rmsprop"]
    ratio = t.effective_lr[1:, 0] / t.effective_lr[1:, 1]
    spread = max(ratio.max(), 1 / ratio.min())
    assert spread < 1.6
    surface_says("rotated", ["rmsprop"], f"At 45°, RMSProp's two rates stay within a factor {spread:.2g} of each other")


def test_rmsprop_settles():
    """Constant η: past the threshold in y from step 25, lowest near 1e-22 at step 37, then back up. Reduce on
    plateau: the same run until its first cut, which comes once the loss has gone more than patience (5) steps
    without improving, at step 44; its loss rises until step 55 and only then do the cuts bring it down."""
    runs = preset_runs("rmsprop-settles")
    constant, decaying = runs["rmsprop"], runs["rmsprop2"]
    best = int(np.argmin(constant.loss))
    assert best == 37 and 1e-23 < constant.loss[best] < 1e-21 and constant.loss[-1] > 1e10 * constant.loss[best]
    # y's rate times its curvature 4, from the run's own s: past 2 from step 25 until the loss turned up
    rate_y = 0.4 / np.sqrt(constant.state["s"][1:, 1] + 1e-6)
    crossed = 1 + int(np.flatnonzero(4 * rate_y > 2)[0])
    assert crossed == 25 and (4 * rate_y[crossed - 1 : best] > 2).all()
    says("rmsprop-settles", f"at step {crossed} y's rate", f"falls to {shown(constant.loss[best], 2)} at step {best}")
    says("rmsprop-settles", f"to {shown(constant.loss[-1], 2)} at step 100")
    first_cut = int(np.flatnonzero((decaying.path != constant.path).any(-1))[0])
    assert first_cut == best + 5 + 2  # the lowest step, five more without improving, and then one more
    peak = best + int(np.argmax(decaying.loss[best:]))
    assert peak > first_cut and decaying.loss[peak] > 1e10 * decaying.loss[best]  # #2 turns up as well
    assert np.argmin(decaying.loss) == 100
    says("rmsprop-settles", "more than 5 steps", f"first cut at step {first_cut}")
    says("rmsprop-settles", f"rises to {shown(decaying.loss[peak], 2)} at step {peak}")
    says("rmsprop-settles", f"bring it to {shown(decaying.loss[-1], 2)} at step 100")
    assert "keeps falling" not in note("rmsprop-settles")


def test_decay_page_half_life_erratum():
    """d2l's half-life γ⁻¹ (1.11 at γ = 0.9) beside ln ½ / ln γ (6.58): the words match the computation."""
    from rmsviz.studies.decay import half_life
    from rmsviz.ui import decay as decay_ui

    erratum = decay_ui.intro(lambda message: message)  # in English
    assert f"that is {1 / 0.9:.3g} steps" in erratum
    assert f"ln ½ / ln γ = {float(half_life(0.9)):.3g} steps" in erratum
    assert 0.9 ** float(half_life(0.9)) == pytest.approx(0.5) and f"{float(half_life(0.9)):.3g}" == "6.58"
    row = decay_ui.gamma_table((0.9,))[0]
    assert row["half-life ln ½ / ln γ"] == "6.58" and row["d2l's γ⁻¹ (wrong)"] == "1.11"


def test_what_rmsprop_sees():
    """d2l's exercise 2 in RMSProp's coordinates: the rotated bowl (the preset's race) and the elliptic bowl
    from its own start, with the same RMSProp; each κ from eigvalsh on the explicit matrix P^½HP^½, each p
    from the run's own s."""
    settings = preset("what-rmsprop-sees").settings
    assert settings["view"] == "twin" and set(settings["racers"]) == {"rmsprop"}
    runs = {"rotated": preset_runs("what-rmsprop-sees")["rmsprop"]}
    elliptic = SURFACES["elliptic"]
    runs["elliptic"] = rmsviz.run(
        "rmsprop", elliptic, start=elliptic.starts[0], steps=settings["steps"], record="all",
        **settings["racers"]["rmsprop"],
    )  # fmt: skip
    kappas, ratios = {}, {}
    for name, t in runs.items():
        s = t.state["s"][1:] + 1e-6
        p = 0.4 / np.sqrt(s)  # η/√(s + ε)
        h = SURFACES[name].hessian(t.path[:-1])
        plain = [np.abs(np.linalg.eigvalsh(m)) for m in h]
        roots = [np.diag(np.sqrt(q)) for q in p]
        seen = [np.abs(np.linalg.eigvalsh(root @ m @ root)) for root, m in zip(roots, h, strict=True)]
        assert all(f"{e.max() / e.min():.3g}" == "20" for e in plain)  # κ(H) = 20 on both bowls
        kappas[name] = np.array([e.max() / e.min() for e in seen])
        ratios[name] = p[:, 0] / p[:, 1]
        np.testing.assert_allclose(ratios[name], np.sqrt(s[:, 1] / s[:, 0]))
    assert {f"{k:.3g}" for k in kappas["rotated"]} == {"20.2"} and len(kappas["rotated"]) == 20
    says("what-rmsprop-sees", f"between {ratios['rotated'].min():.3g} and {ratios['rotated'].max():.3g} times")
    elliptic_kappa = kappas["elliptic"]
    settled = np.flatnonzero(np.abs(elliptic_kappa / elliptic_kappa[-1] - 1) > 0.05).max() + 2  # steps from 1
    says("what-rmsprop-sees", f"{elliptic_kappa[0]:.3g} at step 1", f"({ratios['elliptic'][-1]:.3g} at step 20)")
    says("what-rmsprop-sees", f"from step {settled} on keeps it at {elliptic_kappa[-1]:.3g}, give or take 5%")
    says("what-rmsprop-sees", "it would take 20")
    curvatures = np.diag(elliptic.hessian(np.zeros(2)))
    assert curvatures[1] / curvatures[0] == 20  # the p_x/p_y that makes P^½HP^½ a multiple of the identity
