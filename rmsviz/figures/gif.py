"""The race as an animated GIF for slides, drawn with Pillow: trajectories in, bytes out.

No browser, no Kaleido: Plotly's image export needs a Chrome of its own, which Streamlit Community Cloud
cannot install. The static picture (contour lines, minima, axes, legend text) is drawn once, twice as large
and shrunk for smooth edges, then reduced to a palette that also holds every racer's exact colour; each
frame adds only the paths' newest segments and the moving markers, drawn straight in those palette colours,
so the GIF encoder stores little more than what moved.

Its words (the step counter) are in the language asked for, and every glyph it draws is in its font: Noto
Sans CJK, from the pinned package manimgx-fonts-cjk (requirements.txt), which has the Latin, Greek (η, γ),
Chinese and Korean letters of every language the app speaks; Pillow's own font has no η nor −, let alone 步.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Iterable
from pathlib import Path

import manimgx_fonts_cjk
import numpy as np
from PIL import Image, ImageColor, ImageDraw, ImageFont

from rmsviz.figures.race import contour_lines, frame_steps
from rmsviz.figures.style import Style
from rmsviz.figures.theme import LIGHT, Theme
from rmsviz.i18n import ENGLISH, N_, translator
from rmsviz.surfaces import Surface
from rmsviz.trajectory import Trajectory

GIF_WIDTH = 640
GIF_FRAMES = 250  # more steps than this are sampled evenly; each frame still draws every step up to it
FRAME_MS = 40
LAST_FRAME_MS = 2000  # the finish stays up before the loop starts again
SUPERSAMPLE = 2  # the static picture is drawn this much larger, then shrunk: smooth lines and text
FONT_SIZE = 14
MARGIN = dict(left=48, right=14, bottom=30, top=8)
MAX_PLOT_HEIGHT = 640
PATH_WIDTH = 3
MARKER_RADIUS = 7  # the current point; the legend's sample symbol is smaller
WHITE, BLACK, GOLD = "#ffffff", "#000000", "#ffd700"  # the markers' ring, the star's outline and fill
STEP_COUNTER = N_("step {step} / {steps}")
CJK_FONT = Path(manimgx_fonts_cjk.__file__).with_name("NotoSansCJK-VF.otf.ttc")
# The collection's face for each language: Korean's for Korean, Simplified Chinese's for the others (their
# Latin and Greek are the same); the weight axis starts at Thin, the GIF's text is Regular.
CJK_FACES = {"ko": 1, "zh": 2, ENGLISH: 2}


class _Canvas:
    """Where the surface's domain lands in the picture: an equal scale on both axes, as in the app."""

    def __init__(self, surface: Surface, legend_height: int, width: int):
        (self.x0, self.x1), (self.y0, self.y1) = surface.domain
        plot_width = width - MARGIN["left"] - MARGIN["right"]
        scale = plot_width / (self.x1 - self.x0)
        if (self.y1 - self.y0) * scale > MAX_PLOT_HEIGHT:  # a tall surface: narrower, not taller than this
            scale = MAX_PLOT_HEIGHT / (self.y1 - self.y0)
        self.scale = scale
        self.plot_width, self.plot_height = round((self.x1 - self.x0) * scale), round((self.y1 - self.y0) * scale)
        self.left = MARGIN["left"] + (plot_width - self.plot_width) // 2
        self.top = MARGIN["top"] + legend_height
        self.width, self.height = width, self.top + self.plot_height + MARGIN["bottom"]

    def box(self) -> tuple[int, int, int, int]:
        """The plot's frame: left, top, right, bottom."""
        return self.left, self.top, self.left + self.plot_width, self.top + self.plot_height

    def pixels(self, xy: np.ndarray, factor: int = 1) -> np.ndarray:
        """Points (..., 2) to pixel positions, far-away points (a diverged run) pulled in to a drawable range."""
        px = self.left + (xy[..., 0] - self.x0) * self.scale
        py = self.top + (self.y1 - xy[..., 1]) * self.scale
        limit = 4 * max(self.width, self.height)
        out = np.stack([px, py], -1).clip(-limit, limit)
        return np.nan_to_num(out) * factor


def font(size: int, lang: str = ENGLISH) -> ImageFont.FreeTypeFont:
    """The GIF's font at ``size`` pixels for the language ``lang``."""
    face = ImageFont.truetype(str(CJK_FONT), size, index=CJK_FACES[lang])
    face.set_variation_by_name("Regular")
    return face


def _legend_rows(styles: list[Style], width: int, font: ImageFont.FreeTypeFont) -> list[list[tuple[int, Style]]]:
    """The legend's entries, row by row, each with its x position: a line sample and the label."""
    rows, row, x = [], [], MARGIN["left"]
    for s in styles:
        entry = 34 + math.ceil(font.getlength(s.label)) + 18
        if row and x + entry > width - 150:  # room for the step counter on the first row
            rows.append(row)
            row, x = [], MARGIN["left"]
        row.append((x, s))
        x += entry
    return [*rows, row] if row else rows


def _nice_ticks(low: float, high: float, count: int = 6) -> np.ndarray:
    step = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(step))
    step = min((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= step), default=10 * magnitude)
    return np.arange(math.ceil(low / step) * step, high + step * 1e-9, step)


def _rgb(color: str) -> tuple[int, int, int]:
    return ImageColor.getrgb(color)[:3]


def _static_picture(surface: Surface, canvas: _Canvas, rows, theme: Theme, lang: str) -> Image.Image:
    """Contour lines, minima and saddles, the axes' frame and ticks, the legend's labels, in ``theme``'s
    colours: drawn large, shrunk."""
    k = SUPERSAMPLE
    image = Image.new("RGB", (canvas.width * k, canvas.height * k), theme.background)
    draw = ImageDraw.Draw(image)
    text_font = font(FONT_SIZE * k, lang)
    for _, color, pieces in contour_lines(surface, 160, theme):
        for piece in pieces:
            draw.line([tuple(p) for p in canvas.pixels(piece, k)], fill=_rgb(color), width=k)
    for points, symbol in ((surface.minima, "star"), (surface.saddles, "x")):
        for px, py in canvas.pixels(np.asarray(points, dtype=float).reshape(-1, 2), k):
            if symbol == "star":
                star = [
                    (px + r * math.sin(a), py - r * math.cos(a))
                    for i in range(10)
                    for a, r in [(i * math.pi / 5, (9 if i % 2 == 0 else 4) * k)]
                ]
                draw.polygon(star, fill=GOLD, outline=BLACK, width=k)
            else:
                for d in (1, -1):
                    draw.line([(px - 6 * k, py - 6 * d * k), (px + 6 * k, py + 6 * d * k)], fill=theme.ink, width=2 * k)
    left, top = canvas.left * k, canvas.top * k
    right, bottom = (canvas.left + canvas.plot_width) * k, (canvas.top + canvas.plot_height) * k
    draw.rectangle([left, top, right, bottom], outline=theme.frame, width=k)
    for value in _nice_ticks(canvas.x0, canvas.x1):
        x = canvas.pixels(np.array([value, canvas.y1]), k)[0]
        draw.line([(x, bottom), (x, bottom + 4 * k)], fill=theme.frame, width=k)
        draw.text((x, bottom + 6 * k), f"{value:g}", fill=theme.ink, font=text_font, anchor="mt")
    for value in _nice_ticks(canvas.y0, canvas.y1):
        y = canvas.pixels(np.array([canvas.x0, value]), k)[1]
        draw.line([(left - 4 * k, y), (left, y)], fill=theme.frame, width=k)
        draw.text((left - 6 * k, y), f"{value:g}", fill=theme.ink, font=text_font, anchor="rm")
    for row_index, row in enumerate(rows):
        for x, s in row:
            draw.text(((x + 34) * k, (MARGIN["top"] + 10 + 22 * row_index) * k), s.label, fill=theme.ink,
                      font=text_font, anchor="lm")  # fmt: skip
    return image.resize((canvas.width, canvas.height), Image.Resampling.LANCZOS)


def _palette_picture(picture: Image.Image, exact: list[str]) -> tuple[Image.Image, dict[str, int]]:
    """``picture`` reduced to a palette whose first entries are the ``exact`` colours, and their indices."""
    exact = list(dict.fromkeys(exact))
    reduced = picture.quantize(colors=256 - len(exact), method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    adaptive = reduced.getpalette()[: 3 * (256 - len(exact))]
    indices = np.asarray(reduced, dtype=np.uint8) + len(exact)
    image = Image.fromarray(indices, mode="P")
    image.putpalette([channel for color in exact for channel in _rgb(color)] + adaptive)
    return image, {color: i for i, color in enumerate(exact)}


def dash_pattern(dash: str, width: int = PATH_WIDTH) -> tuple[int, ...]:
    """The on and off lengths, in pixels, of a Plotly dash on a line ``width`` wide, as plotly.js draws it
    (Drawing.dashStyle: a dot as long as the line is wide, at least 3 px); () for a solid line."""
    w = max(width, 3)
    patterns = {"solid": (), "dot": (w, w), "dash": (3 * w, 3 * w), "longdash": (5 * w, 5 * w),
                "dashdot": (3 * w, w, w, w), "longdashdot": (5 * w, 2 * w, w, 2 * w)}  # fmt: skip
    return patterns[dash]


def _dashes(points: np.ndarray, start: float, pattern: tuple[int, ...]) -> Iterable[tuple[tuple, tuple]]:
    """The drawn pieces of a dashed polyline whose first point lies ``start`` pixels along the whole path;
    ``pattern`` alternates drawn and skipped lengths."""
    ends = np.cumsum(pattern)
    along = start
    for a, b in itertools.pairwise(points):
        length = float(np.hypot(*(b - a)))
        position = 0.0
        while position < length:
            into = (along + position) % ends[-1]
            part = int(np.searchsorted(ends, into, side="right"))
            piece = min(ends[part] - into, length - position)
            if part % 2 == 0:
                p, q = a + (b - a) * (position / length), a + (b - a) * ((position + piece) / length)
                yield tuple(p), tuple(q)
            position += piece
        along += length


def race_gif(
    surface: Surface,
    trajectories: list[Trajectory],
    styles: list[Style],
    width: int = GIF_WIDTH,
    frames: int = GIF_FRAMES,
    theme: Theme = LIGHT,
    lang: str = ENGLISH,
) -> bytes:
    """The race as an animated GIF: contour lines, each path growing step by step, the current points,
    the legend and a step counter (in the language ``lang``), in the app's colours, symbols and dashes, on
    ``theme``'s background."""
    return gif_bytes(race_pictures(surface, trajectories, styles, width, frames, theme, lang))


def race_pictures(
    surface: Surface, trajectories: list[Trajectory], styles: list[Style], width: int, frames: int,
    theme: Theme = LIGHT, lang: str = ENGLISH,
) -> list[Image.Image]:  # fmt: skip
    """The GIF's frames: palette pictures sharing one palette, at most ``frames`` of them."""
    trajectories, styles = list(trajectories), list(styles)
    text_font, counter = font(FONT_SIZE, lang), translator(lang).gettext(STEP_COUNTER)
    rows = _legend_rows(styles, width, text_font)
    canvas = _Canvas(surface, max(len(rows), 1) * 22 + 6, width)
    exact = [theme.background, theme.ink, theme.frame, WHITE, *(s.color for s in styles)]
    base, index = _palette_picture(_static_picture(surface, canvas, rows, theme, lang), exact)
    draw = ImageDraw.Draw(base)
    everywhere, box = (0, 0, canvas.width, canvas.height), canvas.box()
    for row_index, row in enumerate(rows):  # the legend's samples, line and symbol, in the exact colours
        y = MARGIN["top"] + 10 + 22 * row_index
        for x, s in row:
            _draw_path(draw, np.array([[x + 2, y], [x + 28, y]], dtype=float), s, index[s.color], 0.0, everywhere)
            _draw_symbol(draw, s.symbol, x + 15, y, 5, index[s.color], index[WHITE])
    paths = [canvas.pixels(t.path) for t in trajectories]
    along = [np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(p, axis=0).T))]) for p in paths]
    steps = len(trajectories[0].path) - 1 if trajectories else 0
    pictures, shown = [], 0
    for k in frame_steps(steps, frames):
        for p, s, a in zip(paths, styles, along, strict=True):  # the paths' new segments, kept for later frames
            _draw_path(draw, p[shown : k + 1], s, index[s.color], a[shown], box)
            for x, y in p[shown + 1 if pictures else 0 : k + 1]:  # a dot on every step's point
                if _inside(x, y, box):
                    draw.ellipse([x - 2, y - 2, x + 2, y + 2], fill=index[s.color])
        shown = int(k)
        frame = base.copy()
        frame_draw = ImageDraw.Draw(frame)
        for p, s in zip(paths, styles, strict=True):
            x, y = p[k]
            if not _inside(x, y, box):  # off the plotted domain
                continue
            _draw_symbol(frame_draw, s.symbol, x, y, MARKER_RADIUS, index[s.color], index[WHITE])
        frame_draw.text((canvas.width - MARGIN["right"], MARGIN["top"] + 10), counter.format(step=k, steps=steps),
                        fill=index[theme.ink], font=text_font, anchor="rm")  # fmt: skip
        pictures.append(frame)
    return pictures


def gif_bytes(pictures: list[Image.Image]) -> bytes:
    """Palette pictures as a looping GIF, the last one held a while."""
    buffer = io.BytesIO()
    durations = [FRAME_MS] * (len(pictures) - 1) + [LAST_FRAME_MS]
    pictures[0].save(buffer, format="GIF", save_all=True, append_images=pictures[1:], duration=durations, loop=0)
    return buffer.getvalue()


def _draw_path(draw: ImageDraw.ImageDraw, points: np.ndarray, s: Style, color: int, start: float, box) -> None:
    """A piece of a path in its dash, cut off at the plot's frame (a run can leave the plotted domain)."""
    if len(points) < 2:
        return
    pattern = dash_pattern(s.dash)
    pieces = _dashes(points, start, pattern) if pattern else itertools.pairwise(map(tuple, points))
    for p, q in pieces:
        clipped = _clip(p, q, box)
        if clipped:
            draw.line(clipped, fill=color, width=PATH_WIDTH)


def _symbol_outline(symbol: str) -> list[tuple[float, float]]:
    """The corners of a Plotly marker symbol around (0, 0), radius about 1, y pointing down; [] for a circle."""

    def regular(sides: int, turn: float = 0.0) -> list[tuple[float, float]]:
        angles = turn + 2 * math.pi * np.arange(sides) / sides
        return list(zip(np.sin(angles), -np.cos(angles), strict=True))

    arm = 0.35  # half the width of the cross's bars
    cross = [(arm, -1), (arm, -arm), (1, -arm), (1, arm), (arm, arm), (arm, 1)]
    shapes = {
        "square": regular(4, math.pi / 4),
        "diamond": regular(4),
        "triangle-up": regular(3),
        "triangle-down": regular(3, math.pi),
        "pentagon": regular(5),
        "hexagon": regular(6),
        "cross": cross + [(-x, -y) for x, y in cross],
    }
    return shapes.get(symbol, [])


def _draw_symbol(draw: ImageDraw.ImageDraw, symbol: str, x: float, y: float, radius: float, fill: int,
                 outline: int) -> None:  # fmt: skip
    """A racer's marker symbol at (x, y), filled in its colour and ringed in white like the app's."""
    corners = _symbol_outline(symbol)
    if not corners:
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=fill, outline=outline, width=2)
        return
    draw.polygon([(x + radius * u, y + radius * v) for u, v in corners], fill=fill, outline=outline, width=2)


def _clip(p: tuple, q: tuple, box: tuple) -> list[tuple] | None:
    """The part of segment pq inside ``box`` (left, top, right, bottom), or None (Liang–Barsky)."""
    (x0, y0), (x1, y1) = p, q
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for step, room in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if step == 0:
            if room < 0:
                return None
            continue
        t = room / step
        if step < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return None
    return [(x0 + low * dx, y0 + low * dy), (x0 + high * dx, y0 + high * dy)]


def _inside(x: float, y: float, box: tuple) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]
