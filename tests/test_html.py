"""The race's standalone HTML page (rmsviz.figures.html) read as Plotly reads it: its script, data,
layout and frames. The page in Chromium with the network cut is in tests/e2e/test_present.py."""

from __future__ import annotations

import json
import re

import rmsviz
from rmsviz import figures

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
