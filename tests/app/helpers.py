"""What the app tests share: a page opened as a link opens it, its charts' specs and its widgets.

Import it as ``helpers``: pyproject's pytest ``pythonpath`` puts tests/app on the path, because under
``--import-mode=importlib`` neither a conftest's functions nor a module beside the tests is importable.
"""

from __future__ import annotations

import base64
import json
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from rmsviz.ui import presets
from rmsviz.ui import tables as tables_ui
from rmsviz.ui.pages import BY_NAME
from rmsviz.ui.race_schedule import SCHEDULE_PANEL
from rmsviz.ui.race_settings import RACERS
from rmsviz.ui.widgets import SETTINGS_PANEL, panel_key

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def new_app(timeout: float = 60, open_panels: bool = True) -> AppTest:
    """The app, not run yet: set its query parameters or session state, then ``go`` to a page. ``open_panels``:
    the presets panel and every racer's settings and schedule panels open, so that their widgets are drawn and a
    test reads every setting of the race and clicks a preset (ui.widgets.lazy_panel and ui.presets draw them only
    once needed: tests/app/test_race_panels.py opens the race with them closed)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if open_panels:
        for racer in RACERS:
            for panel in (SETTINGS_PANEL, SCHEDULE_PANEL):
                at.session_state[panel_key(racer, panel)] = True
        at.session_state[presets.PANEL] = True
    return at


def go(at: AppTest, page: str) -> AppTest:
    """Switch ``at`` to ``page`` (its name in rmsviz.ui.pages), as the sidebar's link does, and run it."""
    return at.switch_page(BY_NAME[page].script).run()


def open_page(page: str = "race", /, *, timeout: float = 60, open_panels: bool = True, **query) -> AppTest:
    """``page`` opened straight from a link with ``query``, run once. A list value repeats its key in the link
    (``racers=["RMSProp", "Adagrad"]``). ``open_panels``: as ``new_app``'s."""
    at = new_app(timeout, open_panels)
    for key, value in query.items():
        at.query_params[key] = value
    return go(at, page)


def link_query(link: str) -> dict[str, str | list[str]]:
    """A link's query string (``?a=1&b=2&b=3``, a path before it is ignored) as ``open_page``'s keywords."""
    query = parse_qs(link.partition("?")[2], keep_blank_values=True)
    return {key: values if len(values) > 1 else values[0] for key, values in query.items()}


def charts(at: AppTest) -> list[dict]:
    """The Plotly spec of every chart on the page, in the page's order."""
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def chart(at: AppTest, which: int | str = 0) -> dict:
    """The Plotly spec of the page's chart number ``which``, or of the chart whose key is ``which``."""
    charts = at.get("plotly_chart")
    if isinstance(which, int):
        return json.loads(charts[which].proto.spec)
    return next(json.loads(c.proto.spec) for c in charts if which in c.proto.id)


def values(array) -> np.ndarray:
    """A spec's array as NumPy: Plotly 6+ writes NumPy arrays as {"dtype", "bdata": base64, "shape"}."""
    if not isinstance(array, dict):
        return np.asarray(array, dtype=float)
    flat = np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
    return flat.reshape([int(n) for n in str(array["shape"]).split(",")]) if "shape" in array else flat


def unpacked(packed: dict) -> list[dict]:
    """figures.scrub.packed undone, number by number as scrub.js undoes it: the frames, each packed array a NumPy
    array again (its shape kept), its numbers' bits its prediction's plus the difference."""
    frames = json.loads(zlib.decompress(base64.urlsafe_b64decode(packed["frames"])))
    shuffled = np.frombuffer(zlib.decompress(base64.urlsafe_b64decode(packed["arrays"])), np.uint8)
    zigzag = [int(z) for z in shuffled.reshape(8, -1).T.copy().view("<u8").ravel()]
    across, decoded = packed["across"], []

    def take(spec: dict) -> np.ndarray:
        start = len(decoded)
        for i in range(start, start + spec["packed"]):
            step, place = (across, i // across) if across else (1, i - start)
            if place >= 2:
                guess = 2 * decoded[i - step] - decoded[i - 2 * step]
            else:
                guess = decoded[i - step] if place == 1 else 0.0
            guess = guess if np.isfinite(guess) else 0.0
            difference = (zigzag[i] >> 1) ^ -(zigzag[i] & 1)
            (bits,) = struct.unpack("<Q", struct.pack("<d", guess))
            decoded.append(struct.unpack("<d", struct.pack("<Q", (bits + difference) % 2**64))[0])
        array = np.array(decoded[start:], dtype=np.float64)
        return array.reshape([int(n) for n in spec["shape"].split(",")]) if "shape" in spec else array

    for frame in frames:
        for trace in frame["data"]:
            for key, value in trace.items():
                if isinstance(value, dict) and "packed" in value:
                    trace[key] = take(value)
    return frames


def sliders_at_one_end(at: AppTest, end: int) -> AppTest:
    """``at`` with every slider and select-slider moved to its low (``end`` 0) or high (1) end, run."""
    for w in at.slider:
        w.set_value((w.min, w.max)[end])
    for w in at.select_slider:
        w.set_value(float(w.options[-end]))  # options[0] or options[-1]
    return at.run()


def widgets(at: AppTest) -> dict[str, object]:
    """Every keyed widget the page draws, by key, in the sidebar and the main area, inside expanders too."""
    return {
        node.key: node
        for area in (at.main, at.sidebar)  # a Block iterates over itself and everything inside it
        for node in area
        if getattr(node, "key", None) is not None and hasattr(node, "value")
    }


# A typed rule's hyperparameters with the names rmsviz.run's keywords, the optimizers' wrappers (custom._call,
# Rule._update) and the race link's schedule fields also use, in groups a rule can hold (at most 8 names with
# lr). Each must stay the rule's own on every page; shared_names_rule is SGD in disguise, at a rate
# lr · (their sum) / 10.
SHARED_NAMES = (
    ("seed", "gradient_sequence", "steps", "noise", "target", "schedule", "backend"),
    ("schedule_p", "start", "device", "record", "on_progress", "hyperparameters", "optimizer"),
    ("state", "surface", "self", "name", "what", "step", "function"),
    ("warmup", "milestones", "schedule_gamma", "keywords", "values", "args", "kwargs"),
)


def shared_names_rule(names) -> str:
    return f"x = x - lr * g * ({' + '.join(names)}) / 10"


class _TableReader(HTMLParser):
    """The header and body cells of an HTML table, as ``ui.tables`` writes it."""

    def __init__(self):
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr" and self._cell is None:
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            text = "".join(self._cell)
            (self.headers if tag == "th" else self.rows[-1]).append(text)
            self._cell = None


def is_table(markdown: str) -> bool:
    """Whether a markdown element's body is a table of ``ui.tables`` (its words are read with ``tables``)."""
    return f'<table class="{tables_ui.CLASS}">' in markdown


def tables(at: AppTest) -> list[pd.DataFrame]:
    """The page's tables (``ui.tables``, drawn as HTML in markdown) in page order, each as a DataFrame of its
    cells' words, its columns the header cells."""
    found = []
    for element in at.markdown:
        if is_table(element.value):
            reader = _TableReader()
            reader.feed(element.value)
            found.append(pd.DataFrame([row for row in reader.rows if row], columns=reader.headers))
    return found
