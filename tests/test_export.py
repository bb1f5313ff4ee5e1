"""The race's exports (rmsviz.figures.export) opened as a user would: the GIF's frames decoded with Pillow,
the HTML page's script and frames read, the CSV read back and compared bit for bit with rmsviz.run, the
notebook run top to bottom; projector mode and the toolbar settings; the race page's download buttons
(AppTest). The HTML page in Chromium with the network cut, and the phone, embed and projector
screenshots, are in tests/e2e/test_present.py."""

from __future__ import annotations

import io
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from PIL import Image, ImageSequence
from streamlit.testing.v1 import AppTest

import rmsviz
from rmsviz import figures
from rmsviz.figures import export
from rmsviz.figures.style import COLORS, PROJECTOR_FONT, PROJECTOR_LINE, PROJECTOR_MARKER, SLIDE
from rmsviz.ui import export as ui_export
from rmsviz.ui.race_controls import RaceConfig, Racer

APP = str(Path(__file__).resolve().parents[1] / "app.py")
ELLIPTIC = rmsviz.SURFACES["elliptic"]
# Four racers, one of them a second RMSProp (dashed), as the race page runs them: record="all".
RACERS = (
    ("rmsprop", "RMSProp", 0, {"lr": 0.4, "gamma": 0.9}),
    ("adagrad", "Adagrad", 0, {"lr": 0.4}),
    ("momentum", "Momentum", 0, {"lr": 0.1, "beta": 0.5}),
    ("rmsprop", "RMSProp #2", 1, {"lr": 0.1, "gamma": 0.99}),
)


def race(steps: int = 200, surface=ELLIPTIC, start=(-5.0, -2.0)):
    runs = [rmsviz.run(o, surface, start=start, steps=steps, record="all", **h) for o, _, _, h in RACERS]
    styles = [figures.style(o, label, copy) for o, label, copy, _ in RACERS]
    return runs, styles


@pytest.fixture(scope="module")
def gif() -> Image.Image:
    runs, styles = race()
    return Image.open(io.BytesIO(figures.race_gif(ELLIPTIC, runs, styles)))


def rgb_frames(image: Image.Image) -> list[np.ndarray]:
    return [np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(image)]


def present(frame: np.ndarray, color: str) -> int:
    rgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
    return int((frame == rgb).all(-1).sum())


def test_gif_is_wide_enough_has_a_frame_per_step_and_loops(gif):
    assert gif.format == "GIF" and gif.width >= 480 and gif.height >= 300
    assert gif.n_frames == 201  # steps 0 … 200
    assert gif.info.get("loop") == 0


def test_gif_draws_every_racer_in_the_apps_colour_and_the_contour_lines(gif):
    frames = rgb_frames(gif)
    first, last = frames[0], frames[-1]
    for color in (COLORS["rmsprop"], COLORS["adagrad"], COLORS["momentum"]):
        assert present(first, color) > 0, f"{color} is missing from the first frame (legend and markers)"
        assert present(last, color) > present(first, color), f"{color}: no path drawn by the last frame"
    viridis_dark = np.array([68, 1, 84])  # the lowest contour level
    assert (np.abs(last.astype(int) - viridis_dark).sum(-1) < 60).sum() > 50, "no contour lines"
    assert not (first == last).all()


def test_gif_frames_move_the_markers(gif):
    frames = rgb_frames(gif)
    differences = [int((a != b).any(-1).sum()) for a, b in itertools.pairwise(frames[:6])]
    assert all(d > 0 for d in differences)  # every step moves something, and the counter changes


def test_gif_samples_long_runs_and_keeps_a_dashed_second_copy():
    runs, styles = race(steps=1000)
    image = Image.open(io.BytesIO(figures.race_gif(ELLIPTIC, runs, styles)))
    assert image.n_frames <= export.GIF_FRAMES
    pieces = list(export._dashes(np.array([[0.0, 0.0], [100.0, 0.0]]), 0.0))
    assert len(pieces) == 6 and pieces[0] == ((0.0, 0.0), (9.0, 0.0))  # dash, gap, dash, …


def test_gif_of_a_diverging_run_stays_in_its_frame():
    runs = [rmsviz.run("sgd", ELLIPTIC, start=(-5.0, -2.0), steps=60, lr=1.2, record="all")]
    assert runs[0].diverged
    image = Image.open(io.BytesIO(figures.race_gif(ELLIPTIC, runs, [figures.style("sgd", "SGD")])))
    assert image.n_frames == 61


def plotly_calls(html: str) -> tuple[list, dict, list]:
    """The data, layout and frames the page hands to Plotly.newPlot and Plotly.addFrames."""
    script = html[html.rindex("<script>") :]
    decoder = json.JSONDecoder()
    at = script.index("[", script.index("Plotly.newPlot("))
    data, end = decoder.raw_decode(script, at)
    layout, _ = decoder.raw_decode(script, script.index("{", end))
    frames, _ = decoder.raw_decode(script, script.index("[", script.index("Plotly.addFrames(")))
    return data, layout, frames


def test_html_plays_offline_with_frames_that_move_markers_only():
    runs, styles = race(steps=50)
    html = figures.race_html(ELLIPTIC, runs, styles)
    assert "<title>rmsviz: optimizers racing on Elliptical quadratic</title>" in html
    assert re.search(r"plotly\.js v\d", html), "the plotly.js bundle is not inside the page"
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html), "the page loads something from elsewhere"
    data, layout, frames = plotly_calls(html)
    assert [t["name"] for t in data if t.get("mode") == "lines+markers"] == [label for _, label, _, _ in RACERS]
    assert layout["updatemenus"][0]["buttons"][0]["label"] == "▶ Play"
    assert len(frames) == 51
    for frame in frames:
        assert len(frame["traces"]) == 4
        assert all(data[i]["mode"] == "markers" for i in frame["traces"])
        assert all(len(d["x"]) == 1 and set(d) <= {"type", "x", "y"} for d in frame["data"])


def test_csv_reads_back_into_exactly_what_run_gave():
    runs, styles = race()
    runs.append(rmsviz.run("sgd", ELLIPTIC, start=(-5.0, -2.0), steps=200, lr=1.2, record="all"))  # diverges
    styles.append(figures.style("sgd", "SGD"))
    text = figures.race_csv(runs, [s.label for s in styles])
    back = figures.read_race_csv(io.StringIO(text))
    assert list(back) == [s.label for s in styles]
    for run, s in zip(runs, styles, strict=True):
        read = back[s.label]
        assert (read.optimizer, read.surface, read.diverged, read.diverged_at) == (
            run.optimizer, run.surface, run.diverged, run.diverged_at,
        )  # fmt: skip
        pairs = [("path", run.path, read.path), ("loss", run.loss, read.loss), ("grads", run.grads, read.grads),
                 ("effective_lr", run.effective_lr, read.effective_lr)]  # fmt: skip
        assert set(read.state) == set(run.state)
        pairs += [(f"state {name}", run.state[name], read.state[name]) for name in run.state]
        for name, written, got in pairs:
            assert got.shape == written.shape, name
            same_bits = written.view(np.uint64) == got.view(np.uint64)
            both_nan = np.isnan(written) & np.isnan(got)
            assert (same_bits | both_nan).all(), f"{s.label}: {name} differs after the round trip"


def test_csv_file_has_the_documented_columns(tmp_path):
    runs, styles = race(steps=5)
    path = tmp_path / "race.csv"
    path.write_text(figures.race_csv(runs, [s.label for s in styles]), encoding="utf-8")
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:12] == list(export.FIRST_COLUMNS)
    assert {"s_x", "s_y", "v_x", "v_y"} <= set(header)  # RMSProp's and Adagrad's s, momentum's v
    assert len(figures.read_race_csv(path)["Momentum"].path) == 6
    with pytest.raises(ValueError, match="record='all'"):
        figures.race_csv([rmsviz.run("sgd", ELLIPTIC, start=(-5.0, -2.0), steps=3)], ["SGD"])


def notebook_for_default_view() -> str:
    config = RaceConfig("elliptic", (), "", tuple(Racer(o, o, tuple(h.items())) for o, _, c, h in RACERS[:3]),
                        (-5.0, -2.0), 30, 0.0, 0, "numpy", "cpu")  # fmt: skip
    return ui_export.race_notebook.__wrapped__(config)


def test_notebook_is_valid_and_runs_top_to_bottom(tmp_path):
    """Run without nbclient (not installed): its code cells, in order, as one script in a subprocess."""
    notebook = nbformat.reads(notebook_for_default_view(), as_version=4)
    nbformat.validate(notebook)
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert code[0].startswith("import rmsviz") and "figures.race_figure(" not in code[0]
    script = "\n\n".join(code) + '\nprint("ran", len(runs), "runs")\n'
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "ran 3 runs" in done.stdout and "RMSProp" in done.stdout
    gif = Image.open(tmp_path / "race.gif")
    assert gif.n_frames == 31 and "plotly.js" in (tmp_path / "race.html").read_text(encoding="utf-8")[:2000]


def test_projector_scales_fonts_lines_and_markers_and_leaves_the_figure_alone():
    runs, styles = race(steps=10)
    figure = figures.race_figure(ELLIPTIC, runs, styles)
    before = figure.to_plotly_json()
    big = figures.projector(figure).to_plotly_json()
    assert figure.to_plotly_json() == before
    assert big["layout"]["font"]["size"] == 12 * PROJECTOR_FONT
    assert big["layout"]["height"] > before["layout"]["height"]
    path = next(i for i, t in enumerate(before["data"]) if t.get("mode") == "lines+markers")
    assert big["data"][path]["line"]["width"] == before["data"][path]["line"]["width"] * PROJECTOR_LINE
    marker = before["frames"][0]["traces"][0]
    assert big["data"][marker]["marker"]["size"] == before["data"][marker]["marker"]["size"] * PROJECTOR_MARKER
    assert len(big["frames"]) == len(before["frames"])
    loss = figures.projector(figures.loss_figure(ELLIPTIC, runs, styles)).to_plotly_json()
    assert loss["layout"]["title"]["font"]["size"] == 15 * PROJECTOR_FONT


def test_chart_config_saves_svg_at_slide_size():
    config = figures.chart_config("rmsviz-sweep")
    assert config["toImageButtonOptions"] == {**SLIDE, "filename": "rmsviz-sweep"}
    assert SLIDE["format"] == "svg" and SLIDE["width"] >= 1280
    assert "toImageButtonOptions" not in figures.chart_config()


def test_one_colour_per_optimizer_and_a_dashed_second_copy():
    first, second = figures.style("rmsprop", "RMSProp"), figures.style("rmsprop", "RMSProp #2", 1)
    assert first.color == second.color == COLORS["rmsprop"]
    assert (first.dash, second.dash) == ("solid", "dash")
    assert len(set(COLORS.values())) == len(COLORS) == len(rmsviz.OPTIMIZERS)


# --- the race page (AppTest) ------------------------------------------------------------------------------


def test_race_page_offers_the_four_downloads_and_builds_none_of_them(monkeypatch):
    def not_now(*args, **kwargs):
        raise AssertionError("an export was built before its button was clicked")

    for builder in ("race_gif", "race_html", "race_csv", "race_notebook"):
        monkeypatch.setattr(figures, builder, not_now)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert set(buttons) == {"GIF", "HTML page", "CSV", "Notebook"}
    assert all(b.ignore_rerun for b in buttons.values())  # a click downloads; the page does not run again


def test_projector_link_enlarges_every_chart_and_is_no_unknown_setting():
    plain = AppTest.from_file(APP, default_timeout=60).run()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["projector"] = "true"
    at.run()
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    for small, big in zip(plain.get("plotly_chart"), at.get("plotly_chart"), strict=True):
        assert json.loads(big.proto.spec)["layout"]["font"]["size"] == 12 * PROJECTOR_FONT
        assert json.loads(small.proto.spec)["layout"].get("font", {}).get("size") != 12 * PROJECTOR_FONT
