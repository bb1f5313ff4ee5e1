"""The app's Streamlit side: the only package of rmsviz that imports streamlit.

Every control is keyed and bound to the URL (``bind="query-params"``), so a
copied link reopens the same view. The runs and figures of a view are cached
across sessions (``st.cache_resource``): a class opening the same link costs one
computation, and a session keeps only its widget values. One module per page,
on top of the shared pieces:

- ``widgets``: ``UrlGuard`` (notices for link values the widgets dropped) and the URL-bound inputs
  several pages use: hyperparameter sliders, optimizer settings, segmented pickers, the backend.
- ``race_settings``: the race's vocabulary other pages link to: racer names and labels, the settings
  a race starts with, the query string that opens a race.
- ``race_controls``: the race page's sidebar (``RaceConfig``) and its chart and details pickers.
- ``race``: the race computed once per config (``RaceView``), its messages, code and step inspector.
- ``presets``: the race page's lecture presets.
- ``noise``, ``train``, ``decay``, ``sweep``: the inputs and cached computations of those pages.

Pages import the module they need: ``from rmsviz.ui import race, widgets``.
"""
