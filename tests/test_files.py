"""A race's files (rmsviz.files): the CSV read back and compared bit for bit with rmsviz.run, the notebook
run top to bottom."""

from __future__ import annotations

import io
import subprocess
import sys

import nbformat
import numpy as np
import pytest
from PIL import Image

import rmsviz
from rmsviz import figures, files
from rmsviz.i18n import translator
from rmsviz.ui import downloads
from rmsviz.ui.race_controls import RaceConfig, Racer

ELLIPTIC = rmsviz.SURFACES["elliptic"]


def test_csv_reads_back_into_exactly_what_run_gave(race):
    runs, styles = race()
    runs.append(rmsviz.run("sgd", ELLIPTIC, start=(-5.0, -2.0), steps=200, lr=1.2, record="all"))  # diverges
    styles.append(figures.style("sgd", "SGD"))
    text = files.race_csv(runs, [s.label for s in styles])
    back = files.read_race_csv(io.StringIO(text))
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


def test_csv_file_has_the_documented_columns(race, tmp_path):
    runs, styles = race(steps=5)
    path = tmp_path / "race.csv"
    path.write_text(files.race_csv(runs, [s.label for s in styles]), encoding="utf-8")
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:12] == list(files.FIRST_COLUMNS)
    assert {"s_x", "s_y", "v_x", "v_y"} <= set(header)  # RMSProp's and Adagrad's s, momentum's v
    assert len(files.read_race_csv(path)["Momentum"].path) == 6
    with pytest.raises(ValueError, match="record='all'"):
        files.race_csv([rmsviz.run("sgd", ELLIPTIC, start=(-5.0, -2.0), steps=3)], ["SGD"])


def notebook_for_default_view(lang: str = "en") -> str:
    racers = (Racer("rmsprop", "rmsprop", (("lr", 0.4), ("gamma", 0.9))), Racer("adagrad", "adagrad", (("lr", 0.4),)),
              Racer("momentum", "momentum", (("lr", 0.1), ("beta", 0.5))))  # fmt: skip
    config = RaceConfig("elliptic", (), "", racers, (-5.0, -2.0), 30, 0.0, 0, "numpy", "cpu")
    return downloads.race_notebook.__wrapped__(config, lang)


def test_the_notebook_speaks_the_language_of_its_download_and_its_code_stays_as_it_is():
    english, korean = (nbformat.reads(notebook_for_default_view(lang), as_version=4) for lang in ("en", "ko"))
    words = translator("ko").gettext
    assert korean.cells[0].source.startswith(
        "# " + words("Optimizer race: {surface}").format(surface="Elliptical quadratic")
    )
    assert (
        words("The race: press ▶ Play. Every path is drawn once; the frames move the points.") in korean.cells[2].source
    )
    assert [c.source for c in korean.cells if c.cell_type == "code"] == [
        c.source for c in english.cells if c.cell_type == "code"
    ]


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
