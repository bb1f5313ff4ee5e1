"""axe-core, the standard accessibility checker, on every page, light and dark, and on the race in projector
mode and at a phone's width: no serious or critical violation that rmsviz causes.

axe-core comes pinned inside the ``axe-playwright-python`` wheel (requirements-test.txt; no network here
beyond the package index) and is injected into each page. What Streamlit draws itself and rmsviz cannot
change is told apart (``streamlit_own``) and written, with every other finding, to
artifacts/screenshots/axe.txt: a caption's grey text (3.9:1 on white), a disabled button's label, a table's
scrolling box that takes no focus.
"""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python
import pytest
import test_browser  # beside this file, on the path by pyproject's pytest pythonpath

from rmsviz.ui.pages import BY_NAME, PAGES

server, browser, SHOTS = test_browser.server, test_browser.browser, test_browser.SHOTS  # the app served, Chromium

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")
GRAVE = ("serious", "critical")
# Each failing element with what it sits in: a Streamlit caption, a disabled control, a table's scroller,
# or something rmsviz made (its race buttons, its words for screen readers).
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.flatMap(v => v.nodes.map(n => {
    const el = document.querySelector(n.target[0]);
    const inside = (selector) => Boolean(el && el.closest(selector));
    const label = el && el.closest('[data-testid=stWidgetLabel]');  // a widget's label, faded when it is disabled
    const off = label && label.parentElement.querySelector(':disabled, [aria-disabled=true]');
    return {rule: v.id, impact: v.impact, target: n.target.join(' '), why: (n.failureSummary || '').split('\\n')[1],
            caption: inside('[data-testid=stCaptionContainer]'),
            disabled: inside('button:disabled, [aria-disabled=true]') || Boolean(off),
            table: inside('.stTable'), rmsviz: inside('[data-rmsviz-race-keys], .rmsviz-unseen')};
  }));
}"""
VIEWS = [(page.name, "light", page.path, None) for page in PAGES] + [
    (page.name, "dark", page.path, None) for page in PAGES
] + [
    ("race-projector", "dark", BY_NAME["race"].path + "?projector=true", None),
    ("race-phone", "light", BY_NAME["race"].path, {"width": 390, "height": 844}),
]  # fmt: skip


def streamlit_own(finding: dict) -> bool:
    """Whether a finding is in what Streamlit draws itself, which no setting of the app changes."""
    if finding["rmsviz"]:
        return False
    if finding["rule"] == "color-contrast":  # the caption's grey; a disabled control's label (WCAG exempts it)
        return finding["caption"] or finding["disabled"]
    return finding["rule"] == "scrollable-region-focusable" and finding["table"]


@pytest.fixture(scope="module")
def report():
    lines = []
    yield lines
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "axe.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(("name", "scheme", "path", "viewport"), VIEWS, ids=[f"{v[0]}-{v[1]}" for v in VIEWS])
def test_no_serious_violation_of_ours(server, browser, report, name, scheme, path, viewport):
    page = browser.new_page(viewport=viewport or {"width": 1400, "height": 1000}, color_scheme=scheme)
    page.goto(server + path)
    page.wait_for_selector(".js-plotly-plot", state="attached", timeout=90_000)
    page.wait_for_timeout(1500)
    page.add_script_tag(path=str(AXE))
    findings = [f for f in page.evaluate(RUN_AXE) if f["impact"] in GRAVE]
    page.close()
    for f in findings:
        whose = "streamlit" if streamlit_own(f) else "RMSVIZ"
        report.append(f"{name} {scheme} {whose} {f['rule']} ({f['impact']}) {f['target']}: {f['why']}")
    ours = [f for f in findings if not streamlit_own(f)]
    assert not ours, "\n".join(f"{f['rule']} {f['target']}: {f['why']}" for f in ours)
