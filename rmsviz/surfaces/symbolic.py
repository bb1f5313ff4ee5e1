"""Exact derivatives and LaTeX of a checked expression tree (see ``expression`` for the trees).

A derivative is a tree too, built by the rules of differentiation and folded as it is built (0·u = 0,
1·u = u), so the gradient and the Hessian are evaluated by the same walk as f. A derivative reuses the
subtrees of what it differentiates, and ``memo`` remembers each subtree's derivative: the work grows with
the number of distinct subtrees, not with the unfolded tree.
"""

from __future__ import annotations

import math

from rmsviz.surfaces.expression import BINARY, fold

# --- exact derivatives ----------------------------------------------------------------------------

ZERO, ONE = ("num", 0.0), ("num", 1.0)


def _add(a, b):
    return b if a == ZERO else a if b == ZERO else fold(("+", a, b))


def _sub(a, b):
    return a if b == ZERO else _neg(b) if a == ZERO else fold(("-", a, b))


def _mul(a, b):
    if ZERO in (a, b):
        return ZERO
    return b if a == ONE else a if b == ONE else fold(("*", a, b))


def _div(a, b):
    return ZERO if a == ZERO else a if b == ONE else fold(("/", a, b))


def _neg(a):
    return ZERO if a == ZERO else fold(("neg", a))


def _power(a, exponent: float):
    return ONE if exponent == 0 else a if exponent == 1 else fold(("**", a, ("num", exponent)))


def derivative(tree: tuple, var: str, memo: dict) -> tuple:
    """∂tree/∂var as a tree, by the rules of calculus (never a finite difference).

    ``memo`` maps id(subtree) -> (subtree, derivative) for this ``var``; pass the same one to differentiate
    several trees that share subtrees (the gradient's entries, to get the Hessian).
    """
    if id(tree) not in memo:
        memo[id(tree)] = (tree, _derivative(tree, var, memo))
    return memo[id(tree)][1]


def _derivative(tree: tuple, var: str, memo: dict) -> tuple:
    kind, parts = tree[0], tree[1:]
    if kind == "num":
        return ZERO
    if kind == "var":
        return ONE if parts[0] == var else ZERO
    if kind == "where_le":
        a, b, then, otherwise = parts
        return fold(("where_le", a, b, derivative(then, var, memo), derivative(otherwise, var, memo)))
    a, da = parts[0], derivative(parts[0], var, memo)
    if kind in BINARY:
        b, db = parts[1], derivative(parts[1], var, memo)
        if kind in ("+", "-"):
            return _add(da, db) if kind == "+" else _sub(da, db)
        if kind == "*":
            return _add(_mul(da, b), _mul(a, db))
        if kind == "/":
            return _div(_sub(_mul(da, b), _mul(a, db)), _mul(b, b))
        if b[0] == "num":  # a**c: c a**(c-1) da
            return _mul(_mul(b, _power(a, b[1] - 1)), da)
        return _mul(tree, _add(_mul(db, ("log", a)), _div(_mul(b, da), a)))  # a**b = exp(b log a)
    if kind in ("min", "max"):
        b, db = parts[1], derivative(parts[1], var, memo)
        return fold(("where_le", a, b, da, db) if kind == "min" else ("where_le", a, b, db, da))
    outer = {
        "neg": lambda: ("num", -1.0),
        "sin": lambda: ("cos", a),
        "cos": lambda: _neg(("sin", a)),
        "tan": lambda: _div(ONE, _mul(("cos", a), ("cos", a))),
        "exp": lambda: tree,
        "log": lambda: _div(ONE, a),
        "sqrt": lambda: _div(ONE, _mul(("num", 2.0), tree)),
        "abs": lambda: ("sign", a),
        "sign": lambda: ZERO,
        "tanh": lambda: _sub(ONE, _mul(tree, tree)),
        "sinh": lambda: ("cosh", a),
        "cosh": lambda: ("sinh", a),
        "arctan": lambda: _div(ONE, _add(ONE, _mul(a, a))),
    }[kind]()
    return _mul(outer, da)


# --- LaTeX ---------------------------------------------------------------------------------------------

PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "**": 4}
LATEX_FUNCTIONS = {"arctan": r"\arctan", "min": r"\min", "max": r"\max"}


def to_latex(tree: tuple) -> str:
    """The formula as LaTeX for st.latex: fractions, powers and function names typeset."""
    kind, parts = tree[0], tree[1:]
    if kind == "num":
        return {math.pi: r"\pi", math.e: "e"}.get(parts[0], f"{parts[0]:g}")
    if kind == "var":
        return parts[0]

    def wrapped(part, level):
        text = to_latex(part)
        return rf"\left({text}\right)" if PRECEDENCE.get(part[0], 9) < level else text

    if kind in ("+", "-"):
        return f"{to_latex(parts[0])} {kind} {wrapped(parts[1], 2 if kind == '-' else 1)}"
    if kind == "*":
        return rf"{wrapped(parts[0], 2)} \cdot {wrapped(parts[1], 3)}"
    if kind == "/":
        return rf"\frac{{{to_latex(parts[0])}}}{{{to_latex(parts[1])}}}"
    if kind == "**":
        return f"{{{wrapped(parts[0], 5)}}}^{{{to_latex(parts[1])}}}"
    if kind == "neg":
        return f"-{wrapped(parts[0], 3)}"
    if kind == "sqrt":
        return rf"\sqrt{{{to_latex(parts[0])}}}"
    if kind == "abs":
        return rf"\left|{to_latex(parts[0])}\right|"
    name = LATEX_FUNCTIONS.get(kind, rf"\{kind}")
    return rf"{name}\left({', '.join(to_latex(p) for p in parts)}\right)"
