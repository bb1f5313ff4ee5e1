"""The conventions page: each framework's RMSProp named and placed, raced from one start, and translated."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from rmsviz import figures
from rmsviz.figures.style import nth_style
from rmsviz.studies import conventions
from rmsviz.surfaces import SURFACES
from rmsviz.ui import conventions_links
from rmsviz.ui.widgets import UrlGuard, url_select_slider, url_selectbox, url_slider

DECAY_NAMES = conventions.decay_names()
_OTHER_S0 = [c for c in conventions.CONVENTIONS if c.s0 != 0]
INTRO = (
    "Every framework computes $s \\leftarrow \\rho s + (1-\\rho) g^2$ and $x \\leftarrow x - \\eta g / D$, but the "
    f"decay has {len(DECAY_NAMES)} names ({', '.join(f'`{n}`' for n in DECAY_NAMES)}: PyTorch's `alpha` is d2l's "
    "γ and Keras's `rho`; an article that calls the learning rate α clashes with PyTorch), the defaults differ, "
    "ε sits inside the root, $D = \\sqrt{s + \\varepsilon}$, "
    "or outside it, $D = \\sqrt{s} + \\varepsilon$ (in some frameworks that changes with momentum or centering), "
    f"{' and '.join(f'{c.framework} starts $s$ at {c.s0:g}' for c in _OTHER_S0)} instead of 0, and momentum "
    "keeps η inside its buffer or outside it. Each row was read from the framework's own source, cited in its "
    "last column."
)
LEARNING_RATES = [0.001, 0.01, 0.05, 0.1, 0.2, 0.4, 1.0]


def table() -> list[dict]:
    rows = [
        {
            "framework": c.framework,
            "call": c.call,
            "decay is called": c.decay,
            "η default": "none" if c.lr is None else f"{c.lr:g}",
            "decay default": f"{c.rho:g}",
            "ε default": f"{c.eps:g}",
            "ε sits": "inside √(s + ε)" if c.eps_in_sqrt else "outside √s + ε",
            "s starts at": f"{c.s0:g}",
            "momentum": c.momentum,
            "centered": conventions.centered_form(c),
            "read from": c.source,
        }
        for c in conventions.CONVENTIONS
    ]
    return rows


def race_inputs(guard: UrlGuard) -> tuple[float, int]:
    left, right = st.columns(2)
    lr = url_select_slider("Learning rate η, the same for every framework", LEARNING_RATES, 0.4, conventions_links.LR,
                           guard, where=left)  # fmt: skip
    steps = url_slider("Steps", 5, 200, 40, conventions_links.STEPS, guard, where=right)
    return float(lr), int(steps)


def _chart(runs: list, optimizer: str) -> go.Figure:
    """The race of (convention, trajectory) pairs on d2l's bowl, one look (colour, symbol, dash) each."""
    styles = [nth_style(i, f"{optimizer} as {c.framework} ships it") for i, (c, _) in enumerate(runs)]
    return figures.race_figure(SURFACES[conventions.RACE_SURFACE], [t for _, t in runs], styles)


def _ended(t) -> dict:
    return {"final loss": f"{t.loss[-1]:.3g}", "diverged": "yes" if t.diverged else "no"}


@st.cache_resource(max_entries=32, show_spinner="Racing the frameworks…")
def race(lr: float, steps: int) -> tuple[go.Figure, list[dict]]:
    """The chart of every framework's RMSProp from one start, and a table of where each ended."""
    runs = conventions.race(lr, steps)
    rows = [
        {"framework": c.framework, "decay": f"{c.rho:g}", "ε": f"{c.eps:g}",
         "ε sits": "inside" if c.eps_in_sqrt else "outside", "s starts at": f"{c.s0:g}", **_ended(t)}
        for c, t in runs
    ]  # fmt: skip
    return _chart(runs, "RMSProp"), rows


@st.cache_resource(max_entries=32, show_spinner="Racing the frameworks' forms…")
def form_race(lr: float, steps: int) -> list[dict]:
    """Where each framework's momentum and centered forms end, at one η from one start."""
    return [
        {"framework": c.framework, "form": form.call, "μ": f"{form.momentum:g}", "centered": "yes" if form.centered
         else "no", "ε sits": "inside" if form.eps_in_sqrt else "outside", **_ended(t)}
        for c, form, t in conventions.form_race(lr, steps)
    ]  # fmt: skip


def adagrad_table() -> list[dict]:
    return [
        {
            "framework": c.framework,
            "call": c.call,
            "η default": "none" if c.lr is None else f"{c.lr:g}",
            "s starts at": f"{c.s0:g}",
            "ε default": f"{c.eps:g}" if c.eps else "none",
            "ε sits": "no ε" if not c.eps else "inside √(s + ε)" if c.eps_in_sqrt else "outside √s + ε",
            "notes": c.notes,
            "read from": c.source,
        }
        for c in conventions.ADAGRAD_CONVENTIONS
    ]


@st.cache_resource(max_entries=32, show_spinner="Racing the frameworks…")
def adagrad_race(lr: float, steps: int) -> tuple[go.Figure, list[dict], list[str]]:
    """Every raceable framework's Adagrad from one start: the chart, where each ended, and who is left out."""
    runs = conventions.adagrad_race(lr, steps)
    rows = [
        {"framework": c.framework, "s starts at": f"{c.s0:g}", "ε": f"{c.eps:g}" if c.eps else "none", **_ended(t)}
        for c, t in runs
    ]
    left_out = [f"{c.framework} is not raced: {c.unraceable}." for c in conventions.ADAGRAD_CONVENTIONS if c.unraceable]
    return _chart(runs, "Adagrad"), rows, left_out


def translator(guard: UrlGuard) -> list[dict]:
    """Settings written in one framework's terms, as every framework spells them."""
    names = [c.framework for c in conventions.CONVENTIONS]
    left, middle, right = st.columns(3)
    name = url_selectbox("Written for", names, conventions_links.FROM, guard, where=left)
    c = conventions.convention(name)
    rho = url_slider(f"{c.decay}", 0.0, 0.999, c.rho, conventions_links.RHO, guard, 0.001, where=middle)
    eps = url_select_slider("ε", [1e-10, 1e-8, 1e-7, 1e-6, 1e-4], c.eps, conventions_links.EPS, guard, where=right)
    return conventions.translate(c, float(rho), float(eps))
