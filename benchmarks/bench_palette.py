"""The palette's figures for every eye: the smallest CIE76 ΔE between two racers' colours in normal vision and
under simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009, severity 1.0), for the default
race's four racers and for all seven optimizers; and the lowest WCAG contrast of a line on Streamlit's light
(#ffffff) and dark (#0e1117) backgrounds. For rmsviz's palette and, as the reference, the Tableau palette it
replaced (issue 24), in the same run.

Goal (issue 24): ΔE >= 15 between any two default racers in every vision, every line >= 3:1. Prints; asserts
nothing (tests/test_palette.py holds the figures).
Usage: .venv/bin/python benchmarks/bench_palette.py
"""

from rmsviz.figures.colour_vision import VISIONS, closest_pair, weakest_line
from rmsviz.figures.style import COLORS
from rmsviz.ui.race_controls import DEFAULT_RACERS

# The palette before issue 24: Tableau's (matplotlib's and Plotly's "D3" ten), one per optimizer.
TABLEAU = {
    "rmsprop": "#d62728",
    "adagrad": "#1f77b4",
    "momentum": "#2ca02c",
    "rprop": "#9467bd",
    "sgd": "#7f7f7f",
    "adam": "#ff7f0e",
    "adadelta": "#8c564b",
}
BACKGROUNDS = {"light #ffffff": "#ffffff", "dark #0e1117": "#0e1117"}


def report(name: str, colors: dict[str, str]) -> None:
    print(f"\n{name}")
    for racers, chosen in (("default racers", DEFAULT_RACERS), ("all seven", tuple(colors))):
        for vision in VISIONS:
            distance, pair = closest_pair({k: colors[k] for k in chosen}, vision)
            print(f"  {racers:15} {vision:13} smallest ΔE {distance:5.1f}  ({' and '.join(pair)})")
    for label, background in BACKGROUNDS.items():
        ratio, weakest = weakest_line(colors, background)
        print(f"  contrast on {label:14} lowest {ratio:4.2f}:1  ({weakest})")


def main() -> None:
    report("rmsviz's palette (figures.style.LOOKS)", COLORS)
    report("reference: Tableau, the palette before issue 24", TABLEAU)


if __name__ == "__main__":
    main()
