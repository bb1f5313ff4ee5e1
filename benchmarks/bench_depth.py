"""How many of Python's frames each walk of an expression tree takes per level of the tree it walks: the
numbers behind surfaces.expression.MAX_DEPTH, measured by finding the lowest recursion limit under which
the walk still succeeds, on trees of two depths (the slope is the frames a level).

Each walk is timed on the tree shapes that make it deepest: chains of divisions and of powers (whose
second derivatives grow fastest), nested min (whose LaTeX joins its arguments), unary minus chains.
Prints, per walk, the worst frames a level, and the frames a tree of MAX_DEPTH levels takes against the
1000 - CALLER_FRAMES that MAX_DEPTH leaves it. Asserts nothing.
Usage: .venv/bin/python benchmarks/bench_depth.py
"""

from __future__ import annotations

import sys

import numpy as np

import rmsviz
from rmsviz import inspector
from rmsviz.backend import torch_installed
from rmsviz.rules import parse_rule
from rmsviz.surfaces.expression import CALLER_FRAMES, MAX_DEPTH, levels, parse
from rmsviz.surfaces.formula import parse_formula
from rmsviz.surfaces.symbolic import derivative, to_latex

FORMULAS = {  # n -> a formula whose trees grow with n
    "x/x/.../y": lambda n: "x" + "/x" * n + "/y",
    "((x**y)**y)...": lambda n: "(" * n + "x" + ")**y" * n,
    "min(x, min(x, ...))": lambda n: "min(x*y, " * n + "x*x*y" + ")" * n,
    "- - ... x*x*y": lambda n: "-" * n + "x*x*y",
}
RULES = {
    "x = x - lr*(- - ... g)": lambda n: "x = x - lr*" + "-" * n + "g",
    "where(g < 0, g, where(...))": lambda n: "x = x - lr*" + "where(g < 0, g, " * n + "g" + ")" * n,
}
POINTS = np.array([[0.7, 1.3], [1.1, 0.9]])


def stack_depth() -> int:
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    return depth


def frames(work) -> int:
    """The fewest frames ``work()`` needs below the caller."""
    base, limit = stack_depth(), sys.getrecursionlimit()
    low, high = base + 2, base + 20_000
    try:
        while low < high:
            middle = (low + high) // 2
            sys.setrecursionlimit(middle)
            try:
                work()
                high = middle
            except Exception as error:  # a RecursionError, or a wrapper's error caused by one
                if not isinstance(error.__cause__ or error, RecursionError):
                    raise
                low = middle + 1
    finally:
        sys.setrecursionlimit(limit)
    return low - base


def formula_walks(text: str) -> dict[str, tuple[int, object]]:
    """Each walk of a formula: (levels of the tree it walks, the walk)."""
    tree = parse(text)

    def differentiate(trees):
        return [derivative(t, var, {}) for t in trees for var in "xy"]

    gradient = differentiate([tree])
    formula = parse_formula(text, ((0.5, 1.5), (0.5, 1.5)))
    hessian_levels = max(levels(differentiate(gradient)).values())
    walks = {
        "parse": (max(levels([tree]).values()), lambda: parse(text)),
        "derivatives": (max(levels(gradient).values()), lambda: differentiate(differentiate([tree]))),
        "LaTeX": (max(levels([tree]).values()), lambda: to_latex(tree)),
        "f": (max(levels([tree]).values()), lambda: formula.f(POINTS)),
        "gradient": (max(levels(gradient).values()), lambda: formula.grad(POINTS)),
        "Hessian": (hessian_levels, lambda: formula.hessian(POINTS)),
    }
    if torch_installed():
        import torch

        points = torch.tensor(POINTS)
        walks["Hessian, torch"] = (hessian_levels, lambda: formula.hessian(points))
    return walks


def rule_walks(text: str) -> dict[str, tuple[int, object]]:
    rule = parse_rule(text)
    depth = max(levels([tree for _, tree in rule.assignments]).values())
    spec = rule.spec()
    run = rmsviz.run(spec, "elliptic", steps=2, record="all")
    return {
        "rule run": (depth, lambda: rmsviz.run(spec, "elliptic", steps=2)),
        "step inspector": (depth, lambda: inspector.step_formula(run, 1, 0, spec)),
    }


def slopes(shapes: dict, walks_of, sizes: tuple[int, int]) -> dict[str, list[tuple[float, int, str]]]:
    """walk -> [(frames a level, frames at MAX_DEPTH levels, shape)] over the shapes."""
    found: dict[str, list] = {}
    with np.errstate(all="ignore"):
        for shape, make in shapes.items():
            small, large = (walks_of(make(n)) for n in sizes)
            for walk, (levels_small, work_small) in small.items():
                levels_large, work_large = large[walk]
                needed_small, needed_large = frames(work_small), frames(work_large)
                slope = (needed_large - needed_small) / (levels_large - levels_small)
                at_limit = round(needed_large + slope * (MAX_DEPTH - levels_large))
                found.setdefault(walk, []).append((slope, at_limit, shape))
    return found


def main() -> None:
    budget = 1000 - CALLER_FRAMES
    print(
        f"MAX_DEPTH = {MAX_DEPTH} levels; a walk of a tree that deep may take {budget} frames (1000 - {CALLER_FRAMES})"
    )
    print(f"{'walk':>16} {'frames/level':>13} {'at MAX_DEPTH':>13} {'of budget':>10}  worst shape")
    found = slopes(FORMULAS, formula_walks, (8, 16)) | slopes(RULES, rule_walks, (8, 16))
    for walk, results in found.items():
        slope, at_limit, shape = max(results)
        print(f"{walk:>16} {slope:>13.2f} {at_limit:>13} {at_limit / budget:>10.2f}  {shape}")


if __name__ == "__main__":
    main()
