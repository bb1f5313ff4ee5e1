"""Every page's links and keys: what a page resets stays its own, every key is declared by its page, and no
link value, however hostile, crashes a page or is dropped without a notice."""

import math
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rmsviz.ui import keys

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = {name: f"views/{name}.py" for name in keys.PAGES}


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    return at.switch_page(PAGES[page]).run()  # a link straight to the page


def go(at: AppTest, page: str) -> AppTest:
    return at.switch_page(PAGES[page]).run()


def widgets(at: AppTest) -> dict[str, object]:
    """Every keyed widget on the page, by key (sidebar and main, inside expanders too)."""
    found = {}

    def walk(node):
        key = getattr(node, "key", None)
        if key is not None and hasattr(node, "value"):
            found[key] = node
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def bound_keys(at: AppTest) -> list[str]:
    """The keys of the URL-bound widgets on the page (their protos name their query parameter)."""
    return sorted(k for k, w in widgets(at).items() if getattr(w.proto, "query_param_key", ""))


@pytest.mark.parametrize("page", keys.PAGES)
def test_every_widget_key_is_declared_by_its_page(page):
    at = open_page(page)
    assert not at.exception
    found = widgets(at)
    assert len(found) > 3
    for key in found:
        assert keys.PAGES[page].owns(key) or keys.SHARED.owns(key), f"{page} draws {key}, which it does not declare"
    for other, page_keys in keys.PAGES.items():
        if other != page:
            assert not [k for k in found if page_keys.owns(k)], f"{page} draws keys {other} owns"


# One setting per page, changed away from its default: (page, key, new value).
SETTINGS = [
    ("race", "rmsprop.gamma", 0.5),
    ("decay", "horizon", 77),
    ("noise", "mb.rmsprop.lr", 0.001),
    ("noise", "noisy.rmsprop.lr", 0.001),
    ("train", "train.rmsprop.lr", 0.001),
    ("sweep", "x_cells", 12),
]


def reset_everything_on(at: AppTest, page: str) -> None:
    """On ``page``, change every surface, optimizer and preset that resets settings there."""
    go(at, page)
    if page == "race":
        at.selectbox(key="surface").set_value("saddle").run()
        next(b for b in at.button if b.key.startswith("preset-")).click().run()
    elif page == "decay":
        at.selectbox(key="run.surface").set_value("saddle").run()
    elif page == "noise":
        at.selectbox(key="noisy_surface").set_value("saddle").run()
    elif page == "sweep":
        at.selectbox(key="optimizer").set_value("momentum").run()
    assert not at.exception


@pytest.mark.parametrize(("owner", "key", "value"), SETTINGS, ids=[key for _, key, _ in SETTINGS])
def test_a_page_keeps_its_settings_when_other_pages_reset_theirs(owner, key, value):
    at = open_page(owner)
    widgets(at)[key].set_value(value)
    at.run()
    for page in keys.PAGES:
        # the decay page takes the race's RMSProp by design (it dissects the run you raced)
        if page != owner and not (owner == "decay" and page == "race"):
            reset_everything_on(at, page)
    go(at, owner)
    assert not at.exception
    assert widgets(at)[key].value == pytest.approx(value), f"{owner}'s {key} was reset by another page"


HOSTILE = {
    "inf": "inf",
    "-inf": "-inf",
    "Infinity": "Infinity",
    "huge": "1e400",
    "400 digits": "9" * 400,
    "nan": "nan",
    "empty": "",
    "word": "bogus",
    "repeated": ["5", "7"],
}


def taken(widget, raw) -> bool:
    """Whether the widget shows the link's value (the last one, where a key is repeated)."""
    texts = [t for t in (raw if isinstance(raw, list) else [raw]) if t]
    value = widget.value
    if isinstance(value, (list, tuple)):  # a multiselect or a range: every value counts
        return len(value) == len(texts) and all(map(same, texts, value))
    return same(texts[-1] if texts else "", value)  # a single value: Streamlit takes the last


def same(text: str, value) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value) == text
    try:
        return math.isclose(float(text), value)
    except ValueError:
        return False


@pytest.mark.parametrize("page", keys.PAGES)
@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_link_values_never_crash_and_are_taken_or_noticed(page, kind):
    """Every URL-bound key of the page at once gets the same hostile value: the page draws, and each value
    is either what its widget shows or named in a notice."""
    names = bound_keys(open_page(page))
    raw = HOSTILE[kind]
    at = open_page(page, **dict.fromkeys(names, raw))
    assert not at.exception, [e.message for e in at.exception]
    notices = " ".join(w.value for w in at.warning)
    found = widgets(at)
    for name in names:
        if name in found:  # a hostile value may hide a widget (backend=bogus hides the device)
            assert taken(found[name], raw) or f"`{name}" in notices, f"{page}: {name}={raw!r} silently dropped"
    assert all(len(w.value) < 1000 for w in at.warning), "a notice quotes the link at length"


def test_a_key_of_another_page_is_named_with_its_page():
    at = open_page("race", sigma="2", nonsense="1")
    notices = " ".join(w.value for w in at.warning)
    assert "`sigma`" in notices and "Noisy gradients" in notices
    assert "`nonsense`" in notices and "not settings of this app" in notices
