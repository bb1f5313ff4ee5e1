"""No tofu in the GIF: every letter it draws in any language (the step counter, every racer's label, the
ticks' numbers) is a glyph of its font, not the font's .notdef box (the glyph a font draws for a letter it
lacks: compared with a private-use letter no font has)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from rmsviz import figures, run
from rmsviz.figures.gif import FONT_SIZE, STEP_COUNTER, font
from rmsviz.i18n import LANGUAGES, translator
from rmsviz.optimizers import OPTIMIZERS
from rmsviz.surfaces import SURFACES

MISSING = "\U000f0000"  # a private-use letter: the font's .notdef


def drawn(face, letter: str) -> tuple:
    mask = face.getmask(letter)
    return mask.size, bytes(mask)


def words(lang: str) -> str:
    """Every letter the GIF may draw in ``lang``: its step counter, the racers' labels, numbers and signs."""
    labels = " ".join(f"{spec.title} #2" for spec in OPTIMIZERS.values())
    return translator(lang).gettext(STEP_COUNTER).format(step=12, steps=250) + labels + "0123456789.-−e+ηγβε"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_letter_the_gif_draws_is_in_its_font(lang):
    face = font(FONT_SIZE, lang)
    notdef = drawn(face, MISSING)
    missing = sorted({letter for letter in words(lang) if not letter.isspace() and drawn(face, letter) == notdef})
    assert not missing, f"{lang}: no glyph for {missing}"
    assert drawn(face, "步") != notdef and drawn(face, "단") != notdef  # the font can tell: it has both scripts


def test_the_step_counter_is_in_the_language_asked_for():
    runs = [run("rmsprop", "elliptic", start=(-5.0, -2.0), steps=5, lr=0.4, gamma=0.9)]
    styles = [figures.style("rmsprop", "RMSProp")]
    sizes = {lang: Image.open(io.BytesIO(figures.race_gif(SURFACES["elliptic"], runs, styles, lang=lang))).size
             for lang in LANGUAGES}  # fmt: skip
    assert len(set(sizes.values())) == 1  # the same picture, its words in each language
    assert translator("zh").gettext(STEP_COUNTER) != STEP_COUNTER != translator("ko").gettext(STEP_COUNTER)
