"""The step inspector, and what follows the race's scrub besides its chart (issue 25): while a setting is
scrubbed, the race's table, the words beside the race's buttons (who is ahead at the step shown) and the
inspector's step (when its racer is a scrubbed one) show the value under the hand, so that nothing on the page
contradicts the paths drawn.

Each value's words are written on the server, by the code that writes them on a rerun at that value, from the
runs at every value (one batched run per scrubbed racer, recorded in full and taken apart: race_scrub.racer_runs;
cached for every session like the chart's), and swapped in the browser by scrub_follow.js with no rerun. The kept
value's are the page's own, drawn as ever in a keyed container; the other values' are one markdown element, each
value's part hidden by a stylesheet until it is the value shown (hidden, a screen reader skips it too).

Formulas: 64 values × 4 lines drawn as ``st.latex`` cost the browser 2 to 3 s of KaTeX (measured: 3.4 to 4.1 s to
draw such a page against 1.1 to 1.4 s with one value's). So the other values' lines travel as LaTeX, and the
browser typesets a value's lines when it is first shown, with the module Streamlit's st.latex typesets with
(``KATEX``, rehype-katex: its file, found among Streamlit's own here, so that the script need not guess it; its
KaTeX is the one the page's stylesheet is for, where Streamlit's other KaTeX file, Mermaid's, is not).
"""

from __future__ import annotations

import base64
import json
import zlib
from contextlib import nullcontext
from html import escape
from pathlib import Path

import streamlit as st

from rmsviz import inspector
from rmsviz.i18n import translator
from rmsviz.optimizers import OptimizerSpec
from rmsviz.trajectory import Trajectory
from rmsviz.ui import language, race_links, tables
from rmsviz.ui.language import gettext as _
from rmsviz.ui.race import BY_REPR, RaceView, table_row, written_table
from rmsviz.ui.race_controls import RaceConfig
from rmsviz.ui.race_keys import step_words
from rmsviz.ui.race_scrub import Scrub, racer_runs
from rmsviz.ui.race_settings import scrub_label
from rmsviz.ui.widgets import plain, readable

SCRIPT = (Path(__file__).with_name("scrub_follow.js")).read_text(encoding="utf-8")
KATEX = next((Path(st.__file__).parent / "static" / "static" / "js").glob("rehype-katex.*.js"), None)
KEY = "rmsviz-follow"  # a part's kept value is in the container f"{KEY}-{part}-kept"
TABLE, INSPECTOR = "table", "inspector"  # the parts that follow
STYLE = (
    "<style>[data-rmsviz-follow-value] {display: none} "
    ".rmsviz-follow-caption {font-size: 0.875rem; opacity: 0.6; margin: 0.5rem 0 0} "
    "[data-tex] {margin-bottom: 1rem}</style>"  # st.latex's own, one element apart
)


def race_table(view: RaceView, table: list[dict], scrub: Scrub | None) -> None:
    """The race's ``table`` (race.said's), and while ``scrub`` is on, the table at each of its values (the
    scrubbed racers' rows at that value, the others' as they are) and who is ahead at each step shown (the words
    beside the race's buttons, race_keys)."""
    with _kept(TABLE, scrub):
        tables.table(table)
    if scrub is not None:
        lang = language.current()
        steps = _step_words(view.config, scrub.setting, lang, view, scrub)
        _others(TABLE, view, scrub, _tables(view.config, scrub.setting, lang, view, scrub), f' data-steps="{steps}"')
        st.html(f"<script>{SCRIPT}</script>", unsafe_allow_javascript=True)


@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs=BY_REPR)
def _tables(config: RaceConfig, setting: str, lang: str, _view: RaceView, _scrub: Scrub) -> tuple[str, ...]:
    """The race table at each of ``_scrub``'s values, in ``lang``, as HTML: once for every session."""
    gettext = translator(lang).gettext
    tables_at = []
    for runs in _races(config, setting, _view, _scrub):
        rows = [table_row(racer, run, _view.surface) for racer, run in zip(config.racers, runs, strict=True)]
        tables_at.append(_table(written_table(rows, gettext)))
    return tuple(tables_at)


@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs=BY_REPR)
def _step_words(config: RaceConfig, setting: str, lang: str, _view: RaceView, _scrub: Scrub) -> str:
    """Who is ahead at each step the animation shows (race_keys.step_words) at each of ``_scrub``'s values, in
    ``lang``: a JSON list, deflated, in base64 (64 values × 150 steps of words: 640 KB as they are, 23 KB so)."""
    labels, gettext = [r.label for r in config.racers], translator(lang).gettext
    words = [step_words(labels, runs, gettext) for runs in _races(config, setting, _view, _scrub)]
    return base64.b64encode(zlib.compress(json.dumps(words).encode(), 9)).decode()


def _races(config: RaceConfig, setting: str, view: RaceView, scrub: Scrub) -> list[list[Trajectory]]:
    """Every racer's run at each of ``scrub``'s values: a scrubbed racer's at that value, the others' as they are."""
    at = {i: racer_runs(config, setting, i, view, scrub.values) for i in scrub.racers}
    return [[at[i][v] if i in at else t for i, t in enumerate(view.trajectories)] for v in range(len(scrub.values))]


def step_inspector(view: RaceView, scrub: Scrub | None, errata=()) -> None:
    """Pick a racer and a step: the update rule with its numbers, and the per-coordinate table, at the value
    under the hand while the racer's setting is scrubbed (``scrub``); then the errata of the preset in view
    (``studies.presets.Erratum``): the source's value beside the run's."""
    st.subheader(_("Step inspector"))
    labels = [r.label for r in view.racers]
    left, right = st.columns([1, 2])
    label = left.selectbox(_("Optimizer"), labels, key=race_links.INSPECT)
    r = labels.index(label)
    trajectory, spec = view.trajectories[r], view.specs[r]
    steps = len(trajectory.path) - 1
    k = right.slider(_("Step k"), 1, steps, 1, key=race_links.INSPECT_K) if steps > 1 else 1
    scrubbed = scrub if scrub is not None and r in scrub.racers else None
    if scrubbed:
        if _one_kept_value(view, scrub):
            said = _("{setting} is scrubbed: this step, the race's table and the words beside the race's buttons "
                     "show the value under the hand (the box beside the chart); the rest of the page is at the kept "
                     "{symbol} = {value}.")  # fmt: skip
        else:  # η of every racer, which the racers ran with at values of their own
            said = _("{setting} is scrubbed: this step, the race's table and the words beside the race's buttons "
                     "show the value under the hand (the box beside the chart); the rest of the page is at the value "
                     "each racer ran with.")  # fmt: skip
        value = plain(scrub.values[scrub.active])
        st.caption(said.format(setting=scrub_label(scrub.setting), symbol=scrub.symbol, value=value))
    with _kept(INSPECTOR, scrubbed):
        stopped, lines, rows = _step(trajectory, k, spec, _)
        if stopped:
            st.markdown(stopped)
        else:
            for coordinate, its in zip(inspector.COORDINATES, lines, strict=True):
                st.caption(_("{coordinate} coordinate").format(coordinate=coordinate))
                for line in its:
                    st.latex(line)
            tables.table(rows)
    if scrubbed:
        _others(INSPECTOR, view, scrub, _steps(view.config, scrub.setting, r, k, language.current(), view, scrub))
    runs = {r.key: t for r, t in zip(view.racers, view.trajectories, strict=True)}
    errata = [erratum._replace(why=_(erratum.why)) for erratum in errata]  # its why is marked where it is written
    if rows := inspector.erratum_rows(runs, errata):
        st.markdown(_("**The source beside this run**: what it prints, what the run computes, and why."))
        tables.table([{_(key): value for key, value in row.items()} for row in rows])


def _step(trajectory: Trajectory, k: int, spec: OptimizerSpec, gettext) -> tuple[str, list[list[str]], list[dict]]:
    """Step ``k`` of ``trajectory``: why it has no update to show (a step at or after the run diverged: no
    formulas then, whose arithmetic would not hold), or "" with its LaTeX lines for each coordinate and its table's
    rows."""
    if (diverged := inspector.stopped_before(trajectory, k)) is not None:
        stopped = gettext(
            "The run diverged at step {step} and stopped at the point before it, so step {k} moved nothing."
        ).format(step=diverged, k=k)
        return stopped, [], []
    lines = [inspector.step_formula(trajectory, k, i, spec) for i in range(len(inspector.COORDINATES))]
    rows = [
        {gettext(key): readable(value, 6) for key, value in row.items()} for row in inspector.step_rows(trajectory, k)
    ]
    return "", lines, rows


@st.cache_resource(max_entries=256, show_spinner=False, hash_funcs=BY_REPR)
def _steps(
    config: RaceConfig, setting: str, r: int, k: int, lang: str, _view: RaceView, _scrub: Scrub
) -> tuple[str, ...]:
    """Step ``k`` of racer ``r`` at each of ``_scrub``'s values, in ``lang``, as HTML whose formulas the browser
    typesets (``data-tex``): once for every session."""
    gettext = translator(lang).gettext
    parts = []
    for run in racer_runs(config, setting, r, _view, _scrub.values):
        stopped, lines, rows = _step(run, k, _view.specs[r], gettext)
        if stopped:
            parts.append(f"<p>{escape(stopped)}</p>")
            continue
        words = "".join(
            f'<p class="rmsviz-follow-caption">{escape(gettext("{coordinate} coordinate").format(coordinate=c))}</p>'
            + "".join(f'<div data-tex="{escape(line)}"></div>' for line in its)
            for c, its in zip(inspector.COORDINATES, lines, strict=True)
        )
        parts.append(words + _table(rows))
    return tuple(parts)


def _table(rows: list[dict]) -> str:
    """``rows`` as an HTML table, less the tables' stylesheet: the kept value's table, drawn (hidden or not) beside
    every other value's, carries it once."""
    return tables.html(rows).removeprefix(tables.STYLE)


def _kept(part: str, scrub: Scrub | None):
    """Where ``part`` draws the kept value's words: a keyed container the script hides while another value is
    shown, or the page itself when nothing is scrubbed."""
    return st.container(key=f"{KEY}-{part}-kept") if scrub is not None else nullcontext()


def _one_kept_value(view: RaceView, scrub: Scrub) -> bool:
    """Whether every scrubbed racer ran with the same value (the box's starting one); η of every racer need not."""
    kept = scrub.values[scrub.active]
    return all(dict(view.racers[i].settings)[scrub.name] == kept for i in scrub.racers)


def _others(part: str, view: RaceView, scrub: Scrub, words: tuple[str, ...], data: str = "") -> None:
    """The words of ``part`` at every value of ``scrub`` (on ``view``) but the kept one, each hidden until it is
    shown; ``data``: more attributes for the script. Where the scrubbed racers ran with different values (η of
    every racer), the page's own words are no value's: they show until the first move (the chart draws the race as
    it ran until then), and the value the box starts at comes too."""
    own = scrub.active if _one_kept_value(view, scrub) else -1
    values = "".join(  # a line each: Streamlit dedents what it draws, which one long line makes slow (13 ms)
        f'\n<div data-rmsviz-follow-value="{i}">{html}</div>' for i, html in enumerate(words) if i != own
    )
    katex = KATEX.name if KATEX else ""
    st.markdown(
        f'{STYLE}<div data-rmsviz-follow="{part}" data-kept="{own}" data-active="{scrub.active}" '
        f'data-katex="{escape(katex)}"{data}>{values}</div>',
        unsafe_allow_html=True,
    )
