"""The race's standalone HTML page (rmsviz.figures.html) read as Plotly reads it: its script, data,
layout and frames. The page in Chromium with the network cut is in tests/e2e/test_present.py."""

from __future__ import annotations

import json
import re

import rmsviz
from rmsviz import figures
from rmsviz.i18n import translator

ELLIPTIC = rmsviz.SURFACES["elliptic"]


def plotly_calls(html: str) -> tuple[list, dict, list]:
    """The data, layout and frames the page hands to Plotly.newPlot and Plotly.addFrames."""
    script = html[html.rindex("<script>") :]
    decoder = json.JSONDecoder()
    at = script.index("[", script.index("Plotly.newPlot("))
    data, end = decoder.raw_decode(script, at)
    layout, _ = decoder.raw_decode(script, script.index("{", end))
    frames, _ = decoder.raw_decode(script, script.index("[", script.index("Plotly.addFrames(")))
    return data, layout, frames


def test_html_plays_offline_with_frames_that_move_markers_only(race):
    runs, styles = race(steps=50)
    html = figures.race_html(ELLIPTIC, runs, styles)
    assert "<title>rmsviz: optimizers racing on Elliptical quadratic</title>" in html
    assert re.search(r"plotly\.js v\d", html), "the plotly.js bundle is not inside the page"
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html), "the page loads something from elsewhere"
    data, layout, frames = plotly_calls(html)
    assert [t["name"] for t in data if t.get("mode") == "lines+markers"] == [s.label for s in styles]
    assert layout["updatemenus"][0]["buttons"][0]["label"] == "▶ Play"
    assert len(frames) == 51
    for frame in frames:
        assert len(frame["traces"]) == 4
        assert all(data[i]["mode"] == "markers" for i in frame["traces"])
        assert all(len(d["x"]) == 1 and set(d) <= {"type", "x", "y"} for d in frame["data"])


def test_the_page_speaks_the_language_it_is_asked_for(race):
    """Its title, the chart's buttons, slider and hover in the language of its gettext (the download's)."""
    runs, styles = race(steps=5)
    words = translator("zh").gettext
    html = figures.race_html(ELLIPTIC, runs, styles, gettext=words)
    title = words("rmsviz: optimizers racing on {surface}").format(surface=ELLIPTIC.title)
    assert f"<title>{title}</title>" in html and title.startswith("rmsviz：")
    _, layout, _ = plotly_calls(html)
    assert [b["label"] for b in layout["updatemenus"][0]["buttons"]] == [words("▶ Play"), "▶▶ 快速", words("❚❚ Pause")]
    assert layout["sliders"][0]["currentvalue"]["prefix"] == words("step ") != "step "
