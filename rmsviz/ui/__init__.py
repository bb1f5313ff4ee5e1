"""The app's Streamlit side: the only package of rmsviz that imports streamlit.

Every control is keyed and bound to the URL (``bind="query-params"``), so a
copied link reopens the same view. A session keeps only its widget values.

What sessions share, and the one rule for it: every cached function is an
``st.cache_resource`` (runs, views, figures, sentences, tables: a class opening
the same link costs one computation), and what it returns is never changed
after it is built, by anyone: frozen dataclasses, tuples, and figures only
drawn (``charts.draw`` keeps its dicts off the figure). Something made later
from a shared value (a chart picked on the page) is a cached function of its
own, keyed like the value, so the cache's per-key lock builds it once while
other sessions wait. ``st.cache_data`` is not used: it pickles its value on
every call, a copy per rerun that values nobody changes do not need. A
computation that moves a progress bar cannot be cached (the cache would replay
the bar's moves onto a page that lacks it): it goes to a ``SharedStore``.
One module per page, on top of the shared pieces:

- ``links``: what every page's link codec shares: ``PageKeys`` (the keys a page owns), the ``group.name``
  key of a grouped setting, and Streamlit's link format (how a value is spelled and read back).
- ``race_links``: the race's codec, the one place that spells its keys: settings (plain data, as a
  preset writes them) to widget values and a link, and a link back to settings with a notice for each
  value refused. Presets, the sweep's "race this cell", the decay page and the tests go through it.
- ``pages``: the app's pages in the sidebar's order (name, title, icon), which app.py navigates over
  and the tests open.
- ``keys``: every widget key, by the page that owns it (the race's from its codec); a page's reset
  clears only its own keys.
- ``widgets``: ``UrlGuard`` (notices for link values the widgets refused) and the URL-bound inputs, each
  one call that draws the widget and checks the link's value: sliders, boxes, pickers, the start, the
  backend, a text box that keeps its last good value.
- ``stores``: ``SharedStore``, the locked store of recent sweeps and training checkpoints.
- ``preload``: every module a page imports: the race's before any session runs a page, the other pages' libraries in a
  thread after the first run (a page other than the race waits for it).
- ``charts``: ``draw``, the one way every page draws a chart (the toolbar, projector mode, the viewer's
  theme, the chart in words for screen readers).
- ``theme``: the viewer's light or dark theme, and the page's one style rule that depends on it.
- ``race_settings``: the race's vocabulary other pages use: racer names and labels, the pickers' labels.
- ``race_controls``, ``race_schedule``, ``rules``: the race page's sidebar (``RaceConfig``), each
  racer's η schedule, and the "your rule" racer.
- ``race``: the race computed once per config (``RaceView``), its messages, code and step inspector.
- ``race_keys``: the race from the keyboard and a clicker (buttons Tab reaches, keys, in the browser), the
  step shown in words, and the race told in words.
- ``presets``, ``downloads``: the race page's lecture presets, and its GIF, HTML, CSV and notebook downloads.
- ``noise``, ``train``, ``decay``, ``sweep``, ``conventions``: the controls and cached computations of
  those pages.

Pages import the module they need: ``from rmsviz.ui import race, widgets``.
"""
