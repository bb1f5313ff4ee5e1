"""A phone that sleeps keeps its place: a session whose websocket drops and comes back within the
disconnected-session time (``server.disconnectedSessionTTL`` in .streamlit/config.toml, a lecture's length)
is the same session, with what it kept: here projector mode, which the first link asked for and the link it
comes back with no longer holds. Past that time the server has let it go, and the same return gets a new
session: the control that shows the test can fail. Spoken in Streamlit's websocket protocol
(streamlit_client.py), as the browser does when a phone wakes up."""

from __future__ import annotations

import asyncio
import json
import time
import tomllib
from pathlib import Path

import pytest
import streamlit_client  # beside this file, on the path by pyproject's pytest pythonpath

from rmsviz.figures.style import PLOTLY_FONT, PROJECTOR_FONT

ROOT = Path(__file__).resolve().parents[2]
LECTURE = 90 * 60
ASLEEP = 3.0  # seconds between the drop and the return: past the control server's 1 s

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


def visit(url: str, query: str = "", resume: str | None = None) -> streamlit_client.SessionResult:
    """Open (or resume) a session on the race, run it once, and drop the websocket."""
    result = asyncio.run(streamlit_client.open_session(url, "", query, resume=resume, keep_charts=True))
    assert result.ok, result
    return result


def projected(result: streamlit_client.SessionResult) -> bool:
    """Whether the session drew its charts in projector mode (their text at the projector's size)."""
    sizes = {json.loads(spec)["layout"].get("font", {}).get("size", PLOTLY_FONT) for spec in result.charts}
    assert len(sizes) == 1, sizes
    return sizes == {PLOTLY_FONT * PROJECTOR_FONT}


def sleep_and_return(url: str) -> tuple[streamlit_client.SessionResult, streamlit_client.SessionResult]:
    """Open the race in projector mode, let the websocket drop, come back later on the plain link."""
    first = visit(url, "projector=true")
    assert projected(first)
    time.sleep(ASLEEP)
    return first, visit(url, "", resume=first.session_id)


def test_the_app_keeps_a_dropped_session_for_a_lecture():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["disconnectedSessionTTL"] >= LECTURE


def test_a_session_that_comes_back_within_the_time_keeps_its_place():
    with streamlit_client.serve(ROOT / "app.py", ROOT) as server:
        first, back = sleep_and_return(server.url)
    assert back.session_id == first.session_id
    assert projected(back), "the session came back without what it kept"


def test_past_the_time_the_same_return_is_a_new_session():
    with streamlit_client.serve(ROOT / "app.py", ROOT, options=("--server.disconnectedSessionTTL=1",)) as server:
        first, back = sleep_and_return(server.url)
    assert back.session_id != first.session_id
    assert not projected(back)
