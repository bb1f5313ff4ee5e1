"""A class opens the link at once: a fresh server, 50 sessions on every page's default link together.

Each page's first run on a fresh server is where the first-load race happens: many script threads
importing the same modules at the same moment, one of them seeing another's half-initialized
module: before app.py imported rmsviz.ui.preload, 11 to 64 of these 250 sessions got
``AttributeError: partially initialized module 'pandas' has no attribute 'Series'`` in each of five
runs on this 2-core machine, most on /noise. All the sessions go to one fresh server
at the same moment, so every page's 50 arrive before that page has ever run and while the other
pages' first runs import too. Sessions speak Streamlit's websocket protocol (streamlit_client.py);
no browser needed.

A second check says why it passes: after ``rmsviz.ui.preload``, a run of any page imports no
module that was not already loaded, so there is no first import left to race on.
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import streamlit_client  # beside this file, on the path by pyproject's pytest pythonpath

from rmsviz.ui.pages import PAGES

ROOT = Path(__file__).resolve().parents[2]
PATHS = [page.path.removeprefix("/") for page in PAGES]  # as streamlit_client takes them: "" is the default page
SESSIONS_PER_PAGE = 50

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


def summary(results: list[streamlit_client.SessionResult]) -> str:
    """Per page: how many sessions failed, and the distinct ways they failed."""
    lines = []
    for page in PATHS:
        bad = [r for r in results if r.page == page and not r.ok]
        ways = collections.Counter(
            r.failure or "; ".join(r.exceptions + r.errors) or ("page not found" if r.page_not_found else r.status)
            for r in bad
        )
        lines.append(f"/{page}: {len(bad)} of {SESSIONS_PER_PAGE} failed " + repr(dict(ways.most_common(3))))
    return "\n".join(lines)


def test_a_class_opening_every_page_at_once_on_a_fresh_server_gets_no_error():
    with streamlit_client.serve(ROOT / "app.py", ROOT) as server:
        sessions = [page for page in PATHS for _ in range(SESSIONS_PER_PAGE)]
        results = streamlit_client.open_sessions(server.url, sessions, timeout=150)
        log = server.log(2000)
    assert all(r.ok for r in results), f"{summary(results)}\nthe server's log ends:\n{log}"


PAGE_RUNS = """
import json, sys
from streamlit.testing.v1 import AppTest

AppTest.from_string("import streamlit as st\\nst.write('warm')").run()  # AppTest's own imports
from rmsviz.ui import preload
from rmsviz.ui.pages import PAGES
new = {}
for page in PAGES:
    before = set(sys.modules)
    at = AppTest.from_file("app.py", default_timeout=120)
    at.switch_page(page.script)
    at.run()
    assert not at.exception, (page.name, [e.message for e in at.exception])
    new[page.name] = sorted(set(sys.modules) - before)
print(json.dumps(new))
"""


def test_no_page_run_imports_a_module_after_the_preload():
    """Every page, the race (the default) first, on what the preload imported."""
    done = subprocess.run(
        [sys.executable, "-c", PAGE_RUNS], cwd=ROOT, capture_output=True, text=True, timeout=240, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    imported = {view: modules for view, modules in json.loads(done.stdout.splitlines()[-1]).items() if modules}
    assert not imported, f"imported during a page's run; add them to rmsviz/ui/preload.py: {imported}"


def test_a_run_does_not_pay_for_a_full_collection_of_the_imports():
    """Streamlit's default is a full gc.collect(2) after every run of every session; over the imports'
    objects and every open session's, it took most of a session's server CPU with a class connected
    (benchmarks/bench_load.py). The app's config turns it off, and the preload freezes what it imported,
    so that Python's own full collections skip those objects too."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False
    counts = subprocess.run(
        [sys.executable, "-c", "import gc, rmsviz.ui.preload; print(gc.get_freeze_count(), len(gc.get_objects()))"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    frozen, collected = map(int, counts.stdout.split())
    assert frozen > 50_000 and collected < frozen / 10, (frozen, collected)  # about 100 000 objects: plotly, numpy


def test_no_page_imports_scikit_learn_or_pandas():
    """What a woken server imports before its first page (the preload) leaves out scikit-learn (a second of imports
    on a 2-core machine) and pandas, which no page uses: the train page reads the digits' file itself."""
    script = (
        "import sys\nfrom streamlit.testing.v1 import AppTest\nfrom rmsviz.ui.pages import PAGES\n"
        "for page in PAGES:\n    at = AppTest.from_file('app.py', default_timeout=120)\n"
        "    at.switch_page(page.script)\n    at.run()\n    assert not at.exception, page.name\n"
        "print(sorted(name for name in ('sklearn', 'pandas', 'pyarrow') if name in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.stdout.split()[-1:] == ["[]"], done.stderr[-3000:]
