"""The conventions page: each framework's RMSProp named and placed, raced from one start, and translated."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from rmsviz import figures
from rmsviz.figures.style import nth_style
from rmsviz.i18n import N_, list_of, translator
from rmsviz.studies import conventions
from rmsviz.surfaces import SURFACES
from rmsviz.ui import conventions_links, language
from rmsviz.ui.language import gettext as _
from rmsviz.ui.widgets import UrlGuard, url_select_slider, url_selectbox, url_slider

DECAY_NAMES = conventions.decay_names()
_OTHER_S0 = [c for c in conventions.CONVENTIONS if c.s0 != 0]
INTRO = N_(
    "Every framework computes $s \\leftarrow \\rho s + (1-\\rho) g^2$ and $x \\leftarrow x - \\eta g / D$, but the "
    "decay has {count} names ({names}: PyTorch's `alpha` is d2l's γ and Keras's `rho`; an article that calls the "
    "learning rate α clashes with PyTorch), the defaults differ, ε sits inside the root, "
    "$D = \\sqrt{{s + \\varepsilon}}$, or outside it, $D = \\sqrt{{s}} + \\varepsilon$ (in some frameworks that "
    "changes with momentum or centering), {starts} instead of 0, and momentum keeps η inside its buffer or outside "
    "it. Each row was read from the framework's own source, cited in its last column."
)
LEARNING_RATES = [0.001, 0.01, 0.05, 0.1, 0.2, 0.4, 1.0]


def intro() -> str:
    """The page's opening paragraph, with the table's names and numbers, in the session's language."""
    starts = [_("{framework} starts $s$ at {s0}").format(framework=c.framework, s0=f"{c.s0:g}") for c in _OTHER_S0]
    names = ", ".join(f"`{n}`" for n in DECAY_NAMES)  # code, listed as code
    return _(INTRO).format(count=len(DECAY_NAMES), names=names, starts=list_of(starts, language.current()))


def _where_eps(inside: bool, gettext: Callable[[str], str]) -> str:
    return gettext("inside √(s + ε)") if inside else gettext("outside √s + ε")


def _yes_no(value: bool, gettext: Callable[[str], str]) -> str:
    return gettext("yes") if value else gettext("no")


def table() -> list[dict]:
    """Every framework's RMSProp: its names, defaults and forms, in the session's language."""
    return [
        {
            _("framework"): c.framework,
            _("call"): c.call,
            _("decay is called"): c.decay,
            _("η default"): _("none") if c.lr is None else f"{c.lr:g}",
            _("decay default"): f"{c.rho:g}",
            _("ε default"): f"{c.eps:g}",
            _("ε sits"): _where_eps(c.eps_in_sqrt, _),
            _("s starts at"): f"{c.s0:g}",
            _("momentum"): _(c.momentum),
            _("centered"): conventions.centered_form(c, _),
            _("read from"): c.source,
        }
        for c in conventions.CONVENTIONS
    ]


def race_inputs(guard: UrlGuard) -> tuple[float, int]:
    left, right = st.columns(2)
    lr = url_select_slider(_("Learning rate η, the same for every framework"), LEARNING_RATES, 0.4,
                           conventions_links.LR, guard, where=left)  # fmt: skip
    steps = url_slider(_("Steps"), 5, 200, 40, conventions_links.STEPS, guard, where=right)
    return float(lr), int(steps)


def _chart(runs: list, optimizer: str, gettext: Callable[[str], str]) -> go.Figure:
    """The race of (convention, trajectory) pairs on d2l's bowl, one look (colour, symbol, dash) each."""
    shipped = gettext("{optimizer} as {framework} ships it")
    styles = [
        nth_style(i, shipped.format(optimizer=optimizer, framework=c.framework)) for i, (c, _t) in enumerate(runs)
    ]
    return figures.race_figure(SURFACES[conventions.RACE_SURFACE], [t for _c, t in runs], styles, gettext=gettext)


def _ended(t, gettext: Callable[[str], str]) -> dict:
    return {gettext("final loss"): f"{t.loss[-1]:.3g}", gettext("diverged"): _yes_no(t.diverged, gettext)}


@st.cache_resource(max_entries=96, show_spinner=False)
def _runs(study: str, lr: float, steps: int) -> list:
    """``conventions.race``, ``form_race`` or ``adagrad_race`` at these settings, shared by every language."""
    return getattr(conventions, study)(lr, steps)


def race(lr: float, steps: int) -> tuple[go.Figure, list[dict]]:
    """The chart of every framework's RMSProp from one start, and a table of where each ended, in the session's
    language."""
    with st.spinner(_("Racing the frameworks…")):
        return _race_view(lr, steps, language.current())


@st.cache_resource(max_entries=32, show_spinner=False)
def _race_view(lr: float, steps: int, lang: str) -> tuple[go.Figure, list[dict]]:
    """Cached per language, the runs by their settings alone (``_runs``)."""
    runs, gettext = _runs("race", lr, steps), translator(lang).gettext
    rows = [
        {gettext("framework"): c.framework, gettext("decay"): f"{c.rho:g}", "ε": f"{c.eps:g}",
         gettext("ε sits"): gettext("inside") if c.eps_in_sqrt else gettext("outside"),
         gettext("s starts at"): f"{c.s0:g}", **_ended(t, gettext)}
        for c, t in runs
    ]  # fmt: skip
    return _chart(runs, "RMSProp", gettext), rows


def form_race(lr: float, steps: int) -> list[dict]:
    """Where each framework's momentum and centered forms end, at one η from one start, in the session's
    language (the forms' calls are code, as the frameworks spell them)."""
    with st.spinner(_("Racing the frameworks' forms…")):
        runs = _runs("form_race", lr, steps)
    return [
        {_("framework"): c.framework, _("form"): form.call, "μ": f"{form.momentum:g}",
         _("centered"): _yes_no(form.centered, _), _("ε sits"): _("inside") if form.eps_in_sqrt else _("outside"),
         **_ended(t, _)}
        for c, form, t in runs
    ]  # fmt: skip


def adagrad_table() -> list[dict]:
    """Every framework's Adagrad, in the session's language."""
    return [
        {
            _("framework"): c.framework,
            _("call"): c.call,
            _("η default"): _("none") if c.lr is None else f"{c.lr:g}",
            _("s starts at"): f"{c.s0:g}",
            _("ε default"): f"{c.eps:g}" if c.eps else _("none"),
            _("ε sits"): _where_eps(c.eps_in_sqrt, _) if c.eps else _("no ε"),
            _("notes"): _(c.notes),
            _("read from"): c.source,
        }
        for c in conventions.ADAGRAD_CONVENTIONS
    ]


def adagrad_race(lr: float, steps: int) -> tuple[go.Figure, list[dict], list[str]]:
    """Every raceable framework's Adagrad from one start: the chart, where each ended, and who is left out, in the
    session's language."""
    with st.spinner(_("Racing the frameworks…")):
        return _adagrad_race_view(lr, steps, language.current())


@st.cache_resource(max_entries=32, show_spinner=False)
def _adagrad_race_view(lr: float, steps: int, lang: str) -> tuple[go.Figure, list[dict], list[str]]:
    """Cached per language, the runs by their settings alone (``_runs``)."""
    runs, gettext = _runs("adagrad_race", lr, steps), translator(lang).gettext
    rows = [
        {gettext("framework"): c.framework, gettext("s starts at"): f"{c.s0:g}",
         "ε": f"{c.eps:g}" if c.eps else gettext("none"), **_ended(t, gettext)}
        for c, t in runs
    ]  # fmt: skip
    not_raced = gettext("{framework} is not raced: {reason}.")
    left_out = [
        not_raced.format(framework=c.framework, reason=gettext(c.unraceable))
        for c in conventions.ADAGRAD_CONVENTIONS
        if c.unraceable
    ]
    return _chart(runs, "Adagrad", gettext), rows, left_out


def translator_table(guard: UrlGuard) -> list[dict]:
    """Settings written in one framework's terms, as every framework spells them, in the session's language."""
    names = [c.framework for c in conventions.CONVENTIONS]
    left, middle, right = st.columns(3)
    name = url_selectbox(_("Written for"), names, conventions_links.FROM, guard, where=left)
    c = conventions.convention(name)
    rho = url_slider(f"{c.decay}", 0.0, 0.999, c.rho, conventions_links.RHO, guard, 0.001, where=middle)
    eps = url_select_slider("ε", [1e-10, 1e-8, 1e-7, 1e-6, 1e-4], c.eps, conventions_links.EPS, guard, where=right)
    rows = conventions.translate(c, float(rho), float(eps), language.words())
    return [{_(key): value for key, value in row.items()} for row in rows]
