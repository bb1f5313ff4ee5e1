"""How the palette looks to every eye: colour-vision-deficiency simulation, CIELAB colour difference and WCAG
contrast, in NumPy. The palette's test and benchmark measure rmsviz's line colours with these.

- Simulation: Machado, Oliveira & Fernandes, "A Physiologically-based Model for Simulation of Color Vision
  Deficiency", IEEE TVCG 15(6), 2009, the matrices of its supplementary table at severity 1.0
  (https://www.inf.ufrgs.br/~oliveira/pubs_files/CVD_Simulation/CVD_Simulation.html), applied to linear sRGB.
- Colour difference: CIE76 ΔE, the distance in CIELAB (sRGB's D65 white).
- Contrast: WCAG 2.x relative luminance and contrast ratio (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio);
  WCAG 1.4.11 asks 3:1 for the lines of a chart.
"""

from __future__ import annotations

import itertools

import numpy as np

# Machado et al. 2009, severity 1.0: linear sRGB in, linear sRGB as the dichromat sees it out.
MACHADO = {
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
VISIONS = ("normal", *MACHADO)

# sRGB (linear) to CIE XYZ, and the D65 white (IEC 61966-2-1)
SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
D65 = SRGB_TO_XYZ.sum(axis=1)


def rgb(color: str) -> np.ndarray:
    """A "#rrggbb" colour as sRGB values in [0, 1]."""
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)]) / 255


def to_linear(srgb: np.ndarray) -> np.ndarray:
    """sRGB values in [0, 1] (any shape ending in 3) to linear light."""
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def to_srgb(linear: np.ndarray) -> np.ndarray:
    """Linear light to sRGB values, clipped to [0, 1]."""
    linear = np.clip(linear, 0, 1)
    return np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)


def simulate(linear: np.ndarray, vision: str) -> np.ndarray:
    """Linear sRGB (any shape ending in 3) as seen with ``vision``: "normal" or one of MACHADO's dichromacies;
    clipped to the displayable range, as a screen would show the simulated picture."""
    if vision == "normal":
        return linear
    return np.clip(linear @ MACHADO[vision].T, 0, 1)


def lab(linear: np.ndarray) -> np.ndarray:
    """Linear sRGB to CIELAB (L*, a*, b*) under D65."""
    t = (linear @ SRGB_TO_XYZ.T) / D65
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1)


def delta_e(a: str, b: str, vision: str = "normal") -> float:
    """CIE76 ΔE between two "#rrggbb" colours as seen with ``vision``."""
    seen = [lab(simulate(to_linear(rgb(color)), vision)) for color in (a, b)]
    return float(np.linalg.norm(seen[0] - seen[1]))


def luminance(color: str) -> float:
    """WCAG 2.x relative luminance of a "#rrggbb" colour (its sRGB linearisation, Rec. 709 weights)."""
    return float(to_linear(rgb(color)) @ [0.2126, 0.7152, 0.0722])


def contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def closest_pair(colors: dict[str, str], vision: str) -> tuple[float, tuple[str, str]]:
    """The smallest ΔE between two of ``colors`` (name -> "#rrggbb") seen with ``vision``, and that pair."""
    return min((delta_e(colors[a], colors[b], vision), (a, b)) for a, b in itertools.combinations(colors, 2))


def weakest_line(colors: dict[str, str], background: str) -> tuple[float, str]:
    """The lowest contrast of one of ``colors`` against ``background``, and whose it is."""
    return min((contrast(color, background), name) for name, color in colors.items())
