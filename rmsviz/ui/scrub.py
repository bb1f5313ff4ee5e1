"""What every page's scrub mode draws beside its charts (ui.race_scrub, ui.decay): the range box that keys drive
(a chart's own slider takes no keys), the value shown, and Keep, a link to the page with that value as the
setting. The page's script (scrub.js) moves every chart that holds a scrub slider (figures.scrub) with the box,
in the browser."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import streamlit as st

from rmsviz.ui.language import gettext as _
from rmsviz.ui.widgets import plain

SCRIPT = (Path(__file__).with_name("scrub.js")).read_text(encoding="utf-8")
STYLE = """<style>
.rmsviz-scrub {display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center}
.rmsviz-scrub input[type=range] {flex: 1 1 12rem; accent-color: #ba3300}
.rmsviz-scrub output {font-variant-numeric: tabular-nums; min-width: 7rem}
.rmsviz-scrub a {font-weight: 600}
</style>"""


def box(keys: tuple[str, ...], symbol: str, values: tuple[float, ...], active: int, label: str) -> None:
    """The range box over ``values`` at ``active`` (the kept value), named ``label`` for a screen reader; Keep
    sets the link's ``keys`` to the value shown, written ``symbol = value``."""
    keep = _("Keep {symbol} = {value}")
    st.html(
        f'{STYLE}<div class="rmsviz-scrub" data-rmsviz-scrub data-keys="{escape(json.dumps(keys))}" '
        f'data-keep="{escape(keep)}" data-symbol="{escape(symbol)}">'
        f'<input type="range" min="0" max="{len(values) - 1}" step="1" value="{active}" '
        f'aria-label="{escape(label)}" aria-valuetext="{symbol} = {plain(values[active])}">'
        f"<output>{symbol} = {plain(values[active])}</output>"
        f'<a data-keep-link target="_self" hidden></a></div><script>{SCRIPT}</script>',
        unsafe_allow_javascript=True,
    )
