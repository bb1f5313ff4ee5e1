"""Everything a page imports during its run, imported once, before any page code runs.

Why: a class of 200 opening the link on a fresh server starts 200 script threads at once. When
one of them imports a module for the first time (pandas, on the way into ``st.table``), the
module sits in ``sys.modules`` half-initialized until its import ends, and code in the other
threads that peeks at ``sys.modules`` without taking the import lock sees it that way: plotly's
``is_homogeneous_array`` does ``sys.modules.get("pandas")`` and then ``pd.Series``, which raised
``AttributeError: partially initialized module 'pandas' has no attribute 'Series'`` for up to a
third of the class (plotly/plotly.py#2433; narwhals peeks the same way at pandas and pyarrow).
Python also hands out a half-initialized module by design when two threads import into each
other's modules (its deadlock avoidance: "concurrent circular import").

How: ``app.py`` imports this module before ``st.navigation``, so in every session's thread.
The first thread imports it; every other thread blocks on this module's import lock until it is
fully initialized, and only then goes on to run a page. Those waiting threads hold no other import
lock (``app.py`` is executed, not imported, and this is its first import of anything not loaded
at server start), so no cycle of waiting threads can form and the deadlock avoidance never hands
out this module half-done. Once it is loaded, a page's run imports nothing new, so there is no
first import left to race on. ``tests/e2e/test_class_load.py`` checks both: 250 sessions at once
on a fresh server, and that no page run imports a module this one did not.

What: every rmsviz module (a page's own imports: plotly, contourpy, the studies and figure builders),
and what the libraries import lazily inside a page's first run, found by diffing ``sys.modules``
around one run of each page (the test prints what is missing here).

When: a server that just woke up (Community Cloud's sleeping app) serves its first visitor after this module's
import, so it imports only what the pages need and nothing a page does not: no page imports scikit-learn (1 s of
imports on a 2-core machine, and pandas with it): the train page reads the digits' file itself
(``studies.train.digits``), and no page draws through pandas (``ui.tables``).
"""

import gc
import importlib
import pkgutil
from pathlib import Path

PACKAGE = Path(__file__).parents[1]  # rmsviz/, walked by its folder: no module of it imports the public API

LAZY = (
    # st.plotly_chart: figure to dict to JSON, and the classes plotly loads when a figure first uses them.
    "plotly.io",
    "plotly.io._json",
    "narwhals._interchange.dataframe",  # plotly's to_dict asks narwhals whether an array is a dataframe
    "orjson",  # plotly's JSON engine when installed (requirements.txt): imported on a chart's first draw
    "plotly.tools",
    "plotly.offline",
    "plotly.animation",
    "plotly.graph_objs._deprecations",
    "plotly.graph_objs._figure",
    "plotly.graph_objs._frame",
    "plotly.graph_objs._bar",
    "plotly.graph_objs._scattergl",
    "plotly.graph_objs.layout._xaxis",
    "plotly.graph_objs.layout._yaxis",
    "plotly.graph_objs.layout.xaxis._title",
    "plotly.graph_objs.layout.yaxis._title",
    "plotly.graph_objs.layout.yaxis._tickfont",
    "plotly.graph_objs.layout.yaxis.title._font",
    # figures.words reads a chart's title and a heatmap's colour bar (the words for screen readers).
    "plotly.graph_objs.layout._title",
    "plotly.graph_objs.heatmap",
    "plotly.graph_objs.heatmap._colorbar",
    "plotly.graph_objs.heatmap.colorbar",
    "plotly.graph_objs.heatmap.colorbar._title",
    # Icons and emoji checked when a widget or page shows one.
    "streamlit.emojis",
    "streamlit.material_icon_names",
    # i18n.list_of: Babel's format_list imports its number formatting on first use.
    "babel.numbers",
    # numpy's masked arrays (the race's contours) and random generators (the noise page): pandas imported them.
    "numpy.ma",
    "numpy.random",
)

# A full garbage collection walks every object the imports below create (plotly's classes above all): 83 ms each
# time on this 2-core machine. Streamlit's default makes one after every run of every session
# (runner.postScriptGC, which .streamlit/config.toml turns off) and Python's own collector makes them too. Those
# objects live as long as the server, so they go to the collector's permanent generation, which collections skip
# (gc.freeze); the sessions' own garbage is collected as before.
for name in (*LAZY, *(m.name for m in pkgutil.walk_packages([str(PACKAGE)], "rmsviz.") if m.name != __name__)):
    importlib.import_module(name)
gc.freeze()
