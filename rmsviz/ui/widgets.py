"""URL-bound widgets shared by the pages, and the notices for link values they could not use.

Streamlit drops a URL value it cannot use; ``UrlGuard`` notices that (by Streamlit's reading of a link,
ui.links.same) and says so on the page. A widget's key comes from its page's codec (ui.race_links,
ui.decay_links, …; ui.keys lists them).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cached_property

import numpy as np
import streamlit as st

from rmsviz.backend import available_backends, available_devices
from rmsviz.optimizers import OPTIMIZERS, Hyperparameter
from rmsviz.studies.race import within_reach
from rmsviz.surfaces import Surface
from rmsviz.ui import keys, language
from rmsviz.ui.language import gettext as _
from rmsviz.ui.links import BACKEND, DEVICE, dotted, quoted, same

LOG_MANTISSAS = (1, 1.5, 2, 3, 4, 5, 7)
SETTINGS_PANEL = "settings"  # an optimizer's settings panel (optimizer_settings), in its panel_key


class UrlGuard:
    """Remembers the link a session opened with and reports the values the widgets could not use."""

    def __init__(self, page: keys.PageKeys, unused: Callable[[str], str | None] = lambda key: None):
        """``unused(key)``: why a setting of this page that the link gives is not used with the link's other
        settings (its control is not drawn: the racer is not chosen, the switch is off), in words; None for
        the general reason. The page's codec knows why (race_links.unused)."""
        if "_opened_with" not in st.session_state:
            st.session_state["_opened_with"] = {k: st.query_params.get_all(k) for k in st.query_params}
        self.opened_with: dict[str, list[str]] = st.session_state["_opened_with"]
        self.page = page
        self.unused = unused
        self.notices: list[str] = language.take_notices()

    @cached_property
    def given(self) -> frozenset[str]:
        """The keys in the link or the session when the run first asks: listing the session's keys builds its
        whole state (0.2 ms), which each of the race's lazy panels did once per run of every session."""
        return frozenset((*st.query_params, *st.session_state))

    def check(self, key: str, value, allowed: str, shown=None) -> None:
        """Note a URL value for ``key`` that the widget did not take. ``shown`` is the widget's
        format_func: Streamlit writes the formatted option into the URL."""
        raw = self.opened_with.pop(key, None)  # each URL value is judged once, on the first run
        if shown is not None:
            value = [shown(v) for v in value] if isinstance(value, (list, tuple)) else shown(value)
        if raw is None or same(raw, value):
            return
        if len(raw) > 1 and not isinstance(value, (list, tuple)) and same(raw[-1:], value):
            notice = _("`{key}` is in the link {count} times; using the last, {value}.")
            self.notices.append(notice.format(key=key, count=len(raw), value=plain(value)))
        else:
            notice = _("Ignored `{key}={value}` from the link ({allowed}); using {used}.")
            self.notices.append(notice.format(key=key, value=quoted(raw), allowed=allowed, used=plain(value)))

    def show(self, where) -> None:
        """Write the notices; call it once every URL-bound widget of the page has been drawn."""
        elsewhere: dict[str, list[str]] = {}
        for key, raw in self.opened_with.items():
            page = keys.owner(key)
            if page is self.page:  # no widget took it: the link's other settings do not draw its control
                why = self.unused(key) or _("its control is not on the page with the link's other settings")
                notice = _("`{key}={value}` from the link is not used: {why}.")
                self.notices.append(notice.format(key=quoted([key]), value=quoted(raw), why=why))
            elif key not in keys.LINK_KEYS:
                elsewhere.setdefault(page.title if page else "", []).append(f"`{quoted([key])}`")
        self.opened_with.clear()
        for title, names in sorted(elsewhere.items()):
            if title:
                notice = _("Ignored {keys} from the link: settings of the {page} page, not this one.")
            else:
                notice = _("Ignored {keys} from the link: not settings of this app.")
            self.notices.append(notice.format(keys=", ".join(sorted(names)), page=_(title) if title else ""))
        for notice in self.notices:
            where.warning(notice, icon=":material/link:")


def plain(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or _("nothing")
    return f"{value:g}" if isinstance(value, float) else str(value)


# --- URL-bound widgets: each draws its widget and checks the link's value for it, in one call --------


def bound(widget: Callable, key: str, guard: UrlGuard, allowed: str, *args, shown=None, **kwargs):
    """Draw ``widget(*args, **kwargs)`` bound to the URL under ``key``; a link value it did not take
    becomes a notice saying what is ``allowed``. ``shown`` is the widget's format_func, if any."""
    value = widget(*args, key=key, bind="query-params", **kwargs)
    guard.check(key, value, allowed, shown)
    return value


def one_of(options, format_func=str, word: str = "one") -> str:
    """What a notice says is allowed: "A or B", or "one of A, B, C, …, Z" for a long list."""
    labels = [str(format_func(option)) for option in options]
    if len(labels) > 4:
        labels = [*labels[:3], "…", labels[-1]]
    elif word == "one":
        return _(" or ").join(labels)
    return (_("one of {options}") if word == "one" else _("any of {options}")).format(options=", ".join(labels))


def url_slider(label: str, low, high, default, key: str, guard: UrlGuard, step=None, where=st, **kwargs):
    """A slider; ints stay ints."""
    if isinstance(default, tuple):  # a range
        allowed = _("two numbers in [{low}, {high}]")
    elif isinstance(default, int) and isinstance(low, int):
        allowed = _("an integer in [{low}, {high}]")
    else:
        allowed = _("a number in [{low}, {high}]")
    allowed = allowed.format(low=f"{low:g}", high=f"{high:g}")
    return bound(where.slider, key, guard, allowed, label, low, high, default, step, **kwargs)


def url_select_slider(label: str, options, default, key: str, guard: UrlGuard, where=st, format_func=plain):
    count = "two" if isinstance(default, tuple) else "one"  # a range, or one value
    allowed = f"{count} of {format_func(options[0])} … {format_func(options[-1])}"
    if key not in st.session_state:  # the link is read on the session's first draw of the widget
        _take_as_option(key, options, format_func, guard, isinstance(default, tuple))
    return bound(where.select_slider, key, guard, allowed, label, options, value=default, format_func=format_func,
                 shown=format_func)  # fmt: skip


def _take_as_option(key: str, options, format_func, guard: UrlGuard, ends: bool) -> None:
    """A link may write an option's number another way (``lr=0.40``, ``lr=7.0``). Streamlit matches a select
    slider's link value to the options' texts exactly and would refuse it, so such a value is given to the
    widget as the option it names: two for a range (``ends``), else the last. Any other value (one number for a
    range, digits of another script, which float() reads) is left for the widget to refuse, with its notice."""
    texts = linked = st.query_params.get_all(key)
    if not ends:
        texts = texts[-1:]  # Streamlit takes the last of a repeated key
    elif len(texts) != 2:
        return
    numbers = [v for v in options if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not numbers or all(text in {format_func(v) for v in numbers} for text in texts):
        return  # no link value, or one the widget reads as it is
    taken = []
    for text in texts:
        try:
            value = float(text) if text.isascii() else math.nan
        except ValueError:
            return
        match = next((v for v in numbers if math.isclose(v, value, rel_tol=1e-9)), None)
        if match is None:
            return
        taken.append(match)
    st.session_state[key] = tuple(taken) if len(taken) > 1 else taken[0]
    # the guard judges the option it was taken as (the last of a repeated key, which it names)
    guard.opened_with[key] = [*linked[: len(linked) - len(taken)], *map(format_func, taken)]


def url_selectbox(label: str, options, key: str, guard: UrlGuard, where=st, format_func=str, allowed=None, **kwargs):
    allowed = allowed or one_of(options, format_func)
    return bound(where.selectbox, key, guard, allowed, label, options, format_func=format_func, shown=format_func,
                 **kwargs)  # fmt: skip


def url_multiselect(label: str, options, default, key: str, guard: UrlGuard, where=st, format_func=str, **kwargs):
    allowed = one_of(options, format_func, word="any")
    return bound(where.multiselect, key, guard, allowed, label, options, default=default, format_func=format_func,
                 shown=format_func, **kwargs)  # fmt: skip


def url_number(label: str, default: float, key: str, guard: UrlGuard, low=None, high=None, where=st, **kwargs):
    """A number box. An integer box (int ``default``) is a float box that shows no decimals: Streamlit
    converts an int box's link value with int() before its range check, and ``?seed=inf`` raised there."""
    integer, from_link = isinstance(default, int), key in guard.opened_with
    if integer:
        kwargs = {"step": 1.0, "format": "%.0f", **kwargs}
    low, high = (None if v is None else float(v) for v in (low, high))
    if low is None:
        allowed = _("a number")
    elif integer:
        allowed = _("an integer in [{low}, {high}]").format(low=f"{low:.0f}", high=f"{high:.0f}")
    else:
        allowed = _("a number in [{low}, {high}]").format(low=f"{low:g}", high=f"{high:g}")
    value = bound(where.number_input, key, guard, allowed, label, low, high, float(default), **kwargs)
    if integer and from_link and value != int(value):  # a fractional link value, which the box took as it is
        notice = _("Used the integer part of `{key}={value}` from the link.")
        guard.notices.append(notice.format(key=key, value=f"{value:g}"))
    return int(value) if integer else value


def url_text(label: str, default: str, key: str, guard: UrlGuard, allowed: str, where=st, area=False, **kwargs) -> str:
    """A text box; ``area`` gives a box of several lines (a typed rule's assignments)."""
    return bound(where.text_area if area else where.text_input, key, guard, allowed, label, default, **kwargs)


def url_switch(label: str, key: str, guard: UrlGuard, default: bool = False, toggle: bool = False, where=st, **kwargs):
    """A checkbox, or a toggle switch."""
    widget = where.toggle if toggle else where.checkbox
    return bound(widget, key, guard, _("true or false"), label, default, **kwargs)


def start_inputs(surface: Surface, keys_xy: tuple[str, str], default, guard: UrlGuard, where_xy) -> tuple[float, float]:
    """The start's two boxes (in the containers ``where_xy``). A start beyond ``within_reach`` is refused
    with a message beside the boxes, and the surface's own start used."""
    x0, y0 = (url_number(label, value, key, guard, where=where, format="%.3f")
              for label, value, key, where in zip(("x₀", "y₀"), default, keys_xy, where_xy, strict=True))  # fmt: skip
    if within_reach(surface, (x0, y0)):
        return float(x0), float(y0)
    start = tuple(map(float, surface.starts[0]))
    notice = _("The start ({x}, {y}) is far outside the plot; using the surface's start {start}.")
    where_xy[0].error(notice.format(x=f"{x0:g}", y=f"{y0:g}", start=start))
    return start


def last_good_text(
    label: str,
    default: str,
    key: str,
    guard: UrlGuard,
    parse: Callable,
    still: Callable[[str], str],
    where=st,
    **kwargs,
):
    """A URL-bound text box whose text ``parse`` turns into a value. A text that does not parse is
    explained under the box (``still(good_text)`` says what stays in use, quoting at most ui.links.QUOTED
    characters of it) and the last good text is parsed again: the session keeps the text, never the parsed value."""
    text = url_text(label, default, key, guard, _("text"), where=where, **kwargs)
    try:
        value = parse(text)
    except ValueError as error:
        good = st.session_state.get(f"_good_{key}", default)
        where.error(_("{error}. {still}.").format(error=language.explained(error), still=still(quoted([good]))))
        return parse(good)
    st.session_state[f"_good_{key}"] = text
    return value


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
    label = f"{h.symbol} ({h.name}): {_(h.doc)}"  # the docs are marked N_ where they are defined
    if h.log:
        return url_select_slider(label, log_options(h.low, h.high, default), default, key, guard)
    step = slider_step(h)
    digits = max(0, -math.floor(math.log10(step)))
    return url_slider(label, float(h.low), float(h.high), float(default), key, guard, step, format=f"%.{digits}f")


def offered_value(h: Hyperparameter, value: float, default: float) -> float:
    """The value nearest to ``value`` that ``hyperparameter_input(h, …, default, …)`` offers: a link with any
    other value would be ignored there."""
    if h.log:
        options = np.asarray(log_options(h.low, h.high, default))
        return float(options[np.argmin(np.abs(np.log(options) - np.log(value)))])
    step = slider_step(h)
    return round(min(max(h.low + round((value - h.low) / step) * step, h.low), h.high), 12)


def slider_options(h: Hyperparameter, default: float, most: int = 51) -> list[float]:
    """Values that ``hyperparameter_input(h, …, default, …)`` offers, each exactly as it sets it: every option
    of a log slider, and at most about ``most`` evenly spread stops of a linear one (its ends included)."""
    if h.log:
        return log_options(h.low, h.high, default)
    step = slider_step(h)
    stops = round((h.high - h.low) / step)
    every = max(1, math.ceil(stops / (most - 1)))
    return sorted({offered_value(h, h.low + k * step, default) for k in (*range(0, stops, every), stops)})


def slider_step(h: Hyperparameter) -> float:
    """The step of a linear hyperparameter's slider: about a hundredth of its range, a power of ten."""
    return 10.0 ** math.floor(math.log10((h.high - h.low) / 100))


def panel_key(key: str, panel: str) -> str:
    """The key of the open state of ``key``'s panel ``panel`` (``_panel.rmsprop.settings``): no page's setting
    (ui.keys: no page owns it, so no reset closes it) and not in a link."""
    return f"_panel.{key}.{panel}"


def lazy_panel(label: str, key: str, takes: Callable[[str], bool], guard: UrlGuard):
    """An expander whose widgets need not exist before it is opened: ``(expander, draw)``, where ``draw`` says
    whether to draw them. They are drawn once the panel is open or a value of theirs is given (``takes(key)``
    of a key in the link or the session as the run found them, ``guard.given``: a link, a preset, an earlier
    draw); until then their values are their defaults, which is what they would show. Opening it reruns the
    page (``on_change="rerun"``).

    Drawn once, its widgets are drawn on every later run, open or closed: Streamlit takes the value of a bound
    widget that is no longer drawn out of the link (query_params.remove_stale_bindings), and a drawn widget's
    key stays in the session. So every link keeps its values, and a link that sets one draws the panel."""
    given = any(map(takes, guard.given))
    expander = st.expander(label, key=key, on_change="rerun")
    return expander, given or bool(expander.open)


def optimizer_settings(
    name: str, key: str, defaults: dict, guard: UrlGuard, title: str | None = None, lazy: bool = False
) -> tuple[tuple[str, float | bool], ...]:
    """An expander ("``title`` settings", the optimizer's title by default) of URL-bound inputs for one
    optimizer's hyperparameters and options, keyed ``key.hyperparameter`` (ui.links.dotted); ``defaults``
    override the optimizer's own. Returns hashable settings. ``lazy``: the inputs are drawn only once needed
    (``lazy_panel``), else the settings are the defaults."""
    spec = OPTIMIZERS[name]
    defaults = {**spec.defaults, **spec.options, **defaults}
    label = _("{optimizer} settings").format(optimizer=title or spec.title)
    if lazy:
        expander, draw = lazy_panel(
            label, panel_key(key, SETTINGS_PANEL), {dotted(key, n) for n in defaults}.__contains__, guard
        )
    else:
        expander, draw = st.expander(label, expanded=False), True
    settings = {h.name: defaults[h.name] for h in spec.hyperparameters} | {o: defaults[o] for o in spec.options}
    if draw:
        with expander:
            settings = {
                h.name: hyperparameter_input(h, dotted(key, h.name), defaults[h.name], guard)
                for h in spec.hyperparameters
            }
            for option in spec.options:
                settings[option] = url_switch(option, dotted(key, option), guard, defaults[option])
    try:
        spec.factory(**settings)  # the optimizer's own checks: options that exclude each other (Nesterov, β = 0)
    except ValueError as error:
        settings.update({option: spec.options[option] for option in spec.options})
        notice = _("{optimizer}: {error}. Running it with its options at their defaults.")
        st.error(notice.format(optimizer=title or spec.title, error=language.explained(error)))
    return tuple(settings.items())


def segments(key: str, choices: dict[str, str], guard: UrlGuard) -> str:
    """A URL-bound segmented control over ``choices`` (name -> label); returns the chosen name.

    Only the chosen part of the page is drawn: every Plotly chart on a page delays the first one.
    """
    first = next(iter(choices))
    chosen = bound(
        st.segmented_control, key, guard, _(" or ").join(choices.values()), key, list(choices), default=first,
        format_func=choices.get, label_visibility="collapsed", shown=choices.get,
    )  # fmt: skip
    return chosen or first  # a click on the chosen segment deselects it: keep showing the first


def backend_inputs(guard: UrlGuard) -> tuple[str, str]:
    backends = available_backends()
    backend = url_selectbox(_("Backend"), backends, BACKEND, guard)
    if backend == "numpy":
        if len(backends) == 1:
            st.caption(_("Install torch (requirements-torch.txt) for the torch backend."))
        return "numpy", "cpu"
    return backend, url_selectbox(_("Device"), available_devices(), DEVICE, guard)


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
