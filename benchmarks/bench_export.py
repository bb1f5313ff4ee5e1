"""The race's GIF export: build time, size and width for 4 racers × 200 steps on the elliptic bowl, against
two references measured in the same run: building the animated Plotly race figure (what the page draws),
and Pillow saving the same frames as a GIF without drawing them (the encoder's share).

Targets (issue 15): at most 2 MB, at most 3 s to build, at least 480 px wide. Prints; asserts nothing.
Usage: .venv/bin/python benchmarks/bench_export.py
"""

import io

from PIL import Image
from timing import fastest_and_result as fastest

import rmsviz
from rmsviz import figures
from rmsviz.figures import gif

RACERS = (("rmsprop", "RMSProp", 0, 0.4), ("adagrad", "Adagrad", 0, 0.4), ("momentum", "Momentum", 0, 0.1),
          ("rmsprop", "RMSProp #2", 1, 0.1))  # fmt: skip
STEPS = 200
MAX_BYTES, MAX_SECONDS, MIN_WIDTH = 2 * 1024**2, 3.0, 480


def main() -> None:
    surface = rmsviz.SURFACES["elliptic"]
    runs = [rmsviz.run(o, surface, start=(-5.0, -2.0), steps=STEPS, lr=lr, record="all") for o, _, _, lr in RACERS]
    styles = [figures.style(o, label, copy) for o, label, copy, _ in RACERS]
    gif_time, drawn = fastest(lambda: figures.race_gif(surface, runs, styles))
    figure_time, _ = fastest(lambda: figures.race_figure(surface, runs, styles, click_grid=40))
    image = Image.open(io.BytesIO(drawn))
    pictures = gif.race_pictures(surface, runs, styles, gif.GIF_WIDTH, gif.GIF_FRAMES)
    save_time, _ = fastest(lambda: gif.gif_bytes(pictures))
    html_time, html = fastest(lambda: figures.race_html(surface, runs, styles))
    print(f"GIF of {len(RACERS)} racers × {STEPS} steps: {image.n_frames} frames, {image.width}×{image.height} px")
    print(f"  build {gif_time:7.2f} s    target ≤ {MAX_SECONDS:g} s     {'ok' if gif_time <= MAX_SECONDS else 'OVER'}")
    print(f"  size  {len(drawn) / 1024**2:7.2f} MB   target ≤ 2 MB      {'ok' if len(drawn) <= MAX_BYTES else 'OVER'}")
    print(f"  width {image.width:7d} px   target ≥ {MIN_WIDTH} px    {'ok' if image.width >= MIN_WIDTH else 'UNDER'}")
    print("References, same run (GIF build time over each):")
    print(f"  the Plotly race figure built, as the page does  {figure_time:6.3f} s  {gif_time / figure_time:5.1f}x")
    print(f"  Pillow saving the same frames, no drawing       {save_time:6.3f} s  {gif_time / save_time:5.1f}x")
    print(f"  (the standalone HTML page, plotly.js inlined   {html_time:6.3f} s,  {len(html) / 1024**2:.1f} MB)")


if __name__ == "__main__":
    main()
