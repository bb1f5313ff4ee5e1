"""URL-bound widgets shared by the pages, and the notices for link values they could not use.

Streamlit drops a URL value it cannot use; ``UrlGuard`` notices that and says so on the page.
"""

from __future__ import annotations

import math

import streamlit as st

from rmsviz.backend import available_backends, available_devices
from rmsviz.optimizers import OPTIMIZERS, Hyperparameter

LOG_MANTISSAS = (1, 1.5, 2, 3, 4, 5, 7)


class UrlGuard:
    """Remembers the link a session opened with and reports the values the widgets could not use."""

    def __init__(self):
        if "_opened_with" not in st.session_state:
            st.session_state["_opened_with"] = {k: st.query_params.get_all(k) for k in st.query_params}
        self.opened_with: dict[str, list[str]] = st.session_state["_opened_with"]
        self.notices: list[str] = []

    def check(self, key: str, value, allowed: str, shown=None) -> None:
        """Note a URL value for ``key`` that the widget did not take. ``shown`` is the widget's
        format_func: Streamlit writes the formatted option into the URL."""
        raw = self.opened_with.pop(key, None)  # each URL value is judged once, on the first run
        if shown is not None:
            value = [shown(v) for v in value] if isinstance(value, (list, tuple)) else shown(value)
        if raw is not None and not _same(raw, value):
            shown = ", ".join(raw)
            self.notices.append(f"Ignored `{key}={shown}` from the link ({allowed}); using {plain(value)}.")

    def show(self, where) -> None:
        unknown = [k for k in self.opened_with if k not in ("embed", "preset")]
        if unknown:
            self.notices.append(f"Ignored unknown link parameters: {', '.join(sorted(unknown))}.")
            self.opened_with.clear()
        for notice in self.notices:
            where.warning(notice, icon=":material/link:")


def plain(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "nothing"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _same(raw: list[str], value) -> bool:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if len(raw) != len(values):
        return False
    for text, v in zip(raw, values, strict=True):
        if isinstance(v, bool):
            if text.lower() != str(v).lower():
                return False
        elif isinstance(v, (int, float)):
            try:
                if not math.isclose(float(text), v, rel_tol=1e-9):
                    return False
            except ValueError:
                return False
        elif text != str(v):
            return False
    return True


def log_options(low: float, high: float, default: float) -> list[float]:
    """1, 1.5, 2, 3, 4, 5, 7 per decade between low and high, plus the default itself."""
    options = {
        float(f"{m * 10.0**d:.6g}")
        for d in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
        for m in LOG_MANTISSAS
    }
    return sorted(v for v in options | {default} if low <= v <= high)


def hyperparameter_input(h: Hyperparameter, key: str, default: float, guard: UrlGuard) -> float:
    """A slider for one hyperparameter: log-spaced values where the spec says log."""
    label = f"{h.symbol} ({h.name}): {h.doc}"
    if h.log:
        options = log_options(h.low, h.high, default)
        value = st.select_slider(label, options, value=default, key=key, bind="query-params", format_func=plain)
        guard.check(key, value, f"one of {plain(options[0])} … {plain(options[-1])}")
        return value
    step = slider_step(h)
    digits = max(0, -math.floor(math.log10(step)))
    value = st.slider(
        label, float(h.low), float(h.high), float(default), step, format=f"%.{digits}f", key=key, bind="query-params"
    )
    guard.check(key, value, f"a number in [{h.low:g}, {h.high:g}]")
    return value


def slider_step(h: Hyperparameter) -> float:
    """The step of a linear hyperparameter's slider: about a hundredth of its range, a power of ten."""
    return 10.0 ** math.floor(math.log10((h.high - h.low) / 100))


def url_slider(label: str, low, high, default, key: str, guard: UrlGuard, step=None, where=st):
    """A URL-bound slider whose rejected link values become a notice; ints stay ints."""
    value = where.slider(label, low, high, default, step, key=key, bind="query-params")
    guard.check(key, value, f"a number in [{low:g}, {high:g}]")
    return value


def optimizer_settings(
    name: str, key: str, defaults: dict, guard: UrlGuard, title: str | None = None
) -> tuple[tuple[str, float | bool], ...]:
    """An expander ("``title`` settings", the optimizer's title by default) of URL-bound inputs for one
    optimizer's hyperparameters and options, keyed ``key.hyperparameter``; ``defaults`` override the
    optimizer's own. Returns hashable settings."""
    spec = OPTIMIZERS[name]
    defaults = {**spec.defaults, **spec.options, **defaults}
    with st.expander(f"{title or spec.title} settings", expanded=False):
        settings = {
            h.name: hyperparameter_input(h, f"{key}.{h.name}", defaults[h.name], guard) for h in spec.hyperparameters
        }
        for option in spec.options:
            settings[option] = st.checkbox(option, defaults[option], key=f"{key}.{option}", bind="query-params")
            guard.check(f"{key}.{option}", settings[option], "true or false")
    return tuple(settings.items())


def forget_settings(prefix: str) -> None:
    """on_change: drop the widget values under ``prefix.`` so the next run shows the new defaults."""
    for key in [k for k in st.session_state if k.startswith(prefix + ".")]:
        del st.session_state[key]


def segments(key: str, choices: dict[str, str], guard: UrlGuard) -> str:
    """A URL-bound segmented control over ``choices`` (name -> label); returns the chosen name.

    Only the chosen part of the page is drawn: every Plotly chart on a page delays the first one.
    """
    first = next(iter(choices))
    chosen = st.segmented_control(
        key, list(choices), default=first, format_func=choices.get, key=key, bind="query-params",
        label_visibility="collapsed",
    )  # fmt: skip
    guard.check(key, chosen, " or ".join(choices.values()), shown=choices.get)
    return chosen or first  # a click on the chosen segment deselects it: keep showing the first


def backend_inputs(guard: UrlGuard) -> tuple[str, str]:
    backends = available_backends()
    backend = st.selectbox("Backend", backends, key="backend", bind="query-params")
    guard.check("backend", backend, " or ".join(backends))
    if backend == "numpy":
        if len(backends) == 1:
            st.caption("Install torch (requirements-torch.txt) for the torch backend.")
        return "numpy", "cpu"
    devices = available_devices()
    device = st.selectbox("Device", devices, key="device", bind="query-params")
    guard.check("device", device, " or ".join(devices))
    return backend, device


def optimizer_title(name: str) -> str:
    return OPTIMIZERS[name].title


def readable(value, digits: int = 3) -> str:
    """A table cell: floats to a few significant digits (losses span many decades), a dash for nothing."""
    if value is None:
        return "—"
    return f"{value:.{digits}g}" if isinstance(value, float) else str(value)


def show_formula(latex: str) -> None:
    """A surface's formula in the sidebar: inline math, which wraps at its operators where display math
    (st.latex) would be cut off at the sidebar's edge."""
    st.markdown(f"${latex}$")
