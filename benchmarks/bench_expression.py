"""Time to parse and check a typed formula: the hostile corpus of tests/test_expression.py and the
formulas the tests know the answers of, against Python's own ast.parse of the same text (the floor).

Target: every input answered (a Surface or an ExpressionError) in under 50 ms. Prints; asserts nothing.
Usage: .venv/bin/python benchmarks/bench_expression.py
"""

import ast
import contextlib
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_expression import HOSTILE, KNOWN  # the corpus lives with its tests
from timing import fastest

import rmsviz
from rmsviz.surfaces.expression import ExpressionError

BUDGET = 0.050


def answer(text: str) -> None:
    with contextlib.suppress(ExpressionError):
        rmsviz.Surface.from_expression(text)


def python_parse(text: str) -> None:
    with contextlib.suppress(SyntaxError, ValueError, RecursionError, MemoryError):
        ast.parse(text, mode="eval")


def main() -> None:
    for name, corpus in (("hostile", HOSTILE), ("known formulas", list(KNOWN))):
        ours = [fastest(lambda t=text: answer(t)) for text in corpus]
        floor = [fastest(lambda t=text: python_parse(t)) for text in corpus]
        worst = max(range(len(corpus)), key=ours.__getitem__)
        print(
            f"{name:>15}: {len(corpus)} inputs, median {statistics.median(ours) * 1e3:.2f} ms "
            f"({statistics.median(ours) / statistics.median(floor):.0f}x ast.parse), "
            f"slowest {ours[worst] * 1e3:.2f} ms ({ours[worst] / BUDGET:.2f} of the 50 ms budget): "
            f"{corpus[worst][:40]!r}"
        )


if __name__ == "__main__":
    main()
