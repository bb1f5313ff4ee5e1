"""A class opening one link at once: every session's first draw of the race view, on threads of their own
under cleared caches, finds the view and each chart built once, the same objects for all, drawn the same."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import plotly.io as pio
from helpers import open_page

from rmsviz.ui import charts, race

SESSIONS = 16


def race_config(monkeypatch) -> race.RaceConfig:
    """The config the race page's default link builds, as the page hands it to ``race_view``."""
    seen = []
    view = race.race_view

    def record(config):
        seen.append(config)
        return view(config)

    monkeypatch.setattr(race, "race_view", record)
    at = open_page()
    assert not at.exception
    monkeypatch.undo()
    return seen[-1]


def counted(counts: dict, name, build, pause: float = 0.02):
    """``build``, counting its calls under ``name``; it lingers a little, so that every session is waiting
    on it while it runs."""

    def run(*args):
        counts[name] = counts.get(name, 0) + 1
        time.sleep(pause)
        return build(*args)

    return run


def test_sessions_drawing_one_view_at_once_build_each_chart_once_and_share_it(monkeypatch):
    config = race_config(monkeypatch)
    counts = {}
    monkeypatch.setattr(race, "race_surface", counted(counts, "view", race.race_surface))
    for name, build in list(race.CHART_BUILDERS.items()):
        monkeypatch.setitem(race.CHART_BUILDERS, name, counted(counts, name, build))

    class Drawn(charts._Drawn):
        def __init__(self, figure, projected, theme, lang):
            counted(counts, ("drawn", id(figure), projected), lambda: None, pause=0)()
            super().__init__(figure, projected, theme, lang)

    monkeypatch.setattr(charts, "_Drawn", Drawn)
    for cached in (race.race_view, race._chart, charts._drawn):
        cached.clear()
    start = threading.Barrier(SESSIONS)

    def first_draw(session: int) -> dict:
        """What a session's run draws: the view, then every chart (in an order of its own) as the page sends it."""
        start.wait()
        view = race.race_view(config)
        names = list(race.CHART_BUILDERS)
        names = names[session % len(names) :] + names[: session % len(names)]
        drawn = {name: charts._drawn(view.chart(name), False, "light", "en") for name in names}
        return {"view": view, **{name: (d, pio.to_json(d.to_dict(), validate=False)) for name, d in drawn.items()}}

    with ThreadPoolExecutor(SESSIONS) as pool:
        sessions = list(pool.map(first_draw, range(SESSIONS)))

    assert counts.pop("view") == 1
    assert counts == {
        **{name: 1 for name in race.CHART_BUILDERS},
        **{("drawn", id(sessions[0]["view"].chart(name)), False): 1 for name in race.CHART_BUILDERS},
    }
    first = sessions[0]
    for session in sessions[1:]:
        assert session["view"] is first["view"]
        for name in race.CHART_BUILDERS:
            assert session[name][0] is first[name][0] and session[name][1] == first[name][1]
