"""Formulas typed by a user, f(x, y), parsed by an AST allowlist and differentiated exactly.

Nothing a user types is ever executed: the text goes through ``ast.parse`` only,
every node is checked against a short allowlist (numbers, x, y, pi, e, + − * / **,
unary minus, a fixed table of functions) and turned into a small tree of tuples.
f, its gradient and its Hessian are evaluated by walking that tree on NumPy or
torch; the derivatives are trees too, built by symbolic differentiation. A
derivative reuses the subtrees of what it differentiates (d sin(u) = cos(u)·du
holds u itself), so both walks remember what they have done per subtree: the
work grows with the number of distinct subtrees, not with the unfolded tree.

The derivatives and the LaTeX of a tree are in ``symbolic``; ``formula.parse_formula`` puts it all
together as a plain ``Formula``, from which ``Surface.from_expression`` builds a Surface. This module
imports nothing of rmsviz but the backend and ``i18n`` (its refusals are templates, translated where shown).

``^`` is refused with a hint to write ``**``: in Python it is a bitwise XOR, and
quietly reading it as a power would teach the wrong thing.
"""

from __future__ import annotations

import ast
import math
import operator
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from rmsviz.backend import namespace
from rmsviz.i18n import N_, Refusal

MAX_LENGTH = 500
MAX_PARENTHESES = 50  # nesting of ( ... )
# Every tree a later stage walks has at most MAX_DEPTH levels: a typed formula's or rule's, and a formula's
# gradient and Hessian (built when it is parsed, and up to 8 levels deeper per level of the formula). Each
# walk recurses once per level of its tree; of Python's default limit of 1000 frames, the hungriest walk
# (LaTeX, which joins a function's arguments) takes 3 a level and the others (building the derivatives,
# evaluating f, the gradient and the Hessian on NumPy or torch, a rule's steps, the step inspector) 2, as
# benchmarks/bench_depth.py measures on CPython 3.11 (3.12 counts fewer). The app calls them from about 30
# frames deep (the race page); leaving CALLER_FRAMES to the callers, (1000 - 200) / 3 = 266 levels,
# rounded down to 250.
CALLER_FRAMES = 200
MAX_DEPTH = 250
MAX_EXPONENT = 100.0
DEFAULT_DOMAIN = ((-5.0, 5.0), (-5.0, 5.0))
MAX_COORDINATE = 1e6  # a domain beyond it has no picture worth drawing, and its grid arithmetic would overflow
FUNCTIONS = {  # name -> number of arguments
    "sin": 1, "cos": 1, "tan": 1, "exp": 1, "log": 1, "sqrt": 1, "abs": 1,
    "tanh": 1, "sinh": 1, "cosh": 1, "arctan": 1, "min": 2, "max": 2,
}  # fmt: skip
CONSTANTS = {"pi": math.pi, "e": math.e}
OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
# where(a < b, then, otherwise): each comparison as a where_le tree (a <= b picks then), its branches in order
COMPARISONS = {ast.LtE: (False, False), ast.GtE: (True, False), ast.Lt: (True, True), ast.Gt: (False, True)}


@dataclass(frozen=True)
class Grammar:
    """What a typed expression may name: its variables and its functions (name -> number of arguments).
    Typed formulas use FORMULA; a typed optimizer rule (rmsviz.rules) has a grammar of its own."""

    variables: frozenset[str] = frozenset({"x", "y"})
    functions: dict[str, int] = field(default_factory=lambda: FUNCTIONS)
    # What a name that is none of them is told, and a construct outside the allowlist: whole sentences, each
    # grammar listing its own names (``{name}``, ``{kind}`` filled in).
    unknown: str = N_("Unknown name {name!r}: use x and y, pi, e and the functions")
    not_allowed: str = N_("{kind} is not allowed: only numbers, x, y, + - * / ** and functions")


FORMULA = Grammar()
NO_VALUE = N_("This part of the formula has no finite value")
TOO_DEEP = N_("Nested too deeply: at most {limit} levels of operations may sit inside one another")


class ExpressionError(Refusal):
    """A formula that cannot be used: a template for a student (marked ``N_``), its named values, and the column
    (1-based) when known."""

    def __init__(self, template: str, column: int | None = None, **values):
        self.column = column
        super().__init__(template, **values)

    def text(self, gettext: Callable[[str], str] = N_) -> str:
        message = super().text(gettext)
        if not self.column:
            return message
        return gettext("{message} (at column {column})").format(message=message, column=self.column)


# --- parsing: text -> tree -----------------------------------------------------------------------
# A tree is ("num", value) | ("var", "x" or "y") | (op, left, right) for + - * / ** |
# ("neg", a) | (function, *arguments) | ("where_le", a, b, then, otherwise) (derivatives of min/max)


def parse(text: str) -> tuple:
    """The checked tree of ``text``; ExpressionError for anything outside the allowlist."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(N_("Type a formula in x and y, for example x**2 + 10*sin(y)"))
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            N_("The formula is too long: {length} characters (at most {limit})"), length=len(text), limit=MAX_LENGTH
        )
    check_characters(text)
    check_parentheses(text)
    lead = len(text) - len(text.lstrip())  # ast.parse refuses leading blanks; columns count them
    try:
        with warnings.catch_warnings():  # e.g. "invalid escape sequence": the error below says it better
            warnings.simplefilter("ignore")
            body = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as error:
        column = error.offset and error.offset + lead
        raise ExpressionError(N_("This is not a formula: {python}"), column, python=error.msg) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError(TOO_DEEP, limit=MAX_DEPTH) from None
    return _convert(body, 0, lead)


def check_characters(text: str) -> None:
    """The one rule for every box a user types into: plain printable ASCII on one line. A look-alike such
    as Cyrillic 'х' would otherwise be an "unknown name", and a full-width '０.５' a number Python's float()
    reads although nothing on the page says it may."""
    for column, char in enumerate(text, 1):
        if not char.isascii():
            raise ExpressionError(
                N_("The character {char!r} is not allowed: type plain ASCII letters and signs"), column, char=char
            )
        if not (char.isprintable() or char in " \t"):
            raise ExpressionError(
                N_("The control character {char!r} is not allowed: write it on one line"), column, char=char
            )


def excerpt(text: str, length: int = 40) -> str:
    """At most ``length`` characters of what a user typed, for a message that quotes it."""
    return text if len(text) <= length else text[:length] + "…"


def comma_list(text: str, limit: int, *, empty: str, too_many: str, keep_blanks: bool = False) -> list[str]:
    """The entries of a list typed with commas between them (γ values, a minibatch sequence, milestones), each
    stripped, after ``check_characters``. A Refusal ``empty`` when there is none, and ``too_many`` (its
    ``{count}`` and ``{limit}`` filled in) past ``limit`` entries (both templates marked ``N_`` by the caller).
    Blank entries are dropped ("0.5," is one entry) unless ``keep_blanks``: then the caller names them by position
    ("Entry 2 is empty")."""
    check_characters(text)
    entries = [entry.strip() for entry in text.split(",")]
    if not keep_blanks:
        entries = [entry for entry in entries if entry]
    if entries in ([], [""]):
        raise Refusal(empty)
    if len(entries) > limit:
        raise Refusal(too_many, count=len(entries), limit=limit)
    return entries


def underflows(text: str, value: float) -> bool:
    """Whether a typed number ``text``, read by float() as ``value``, is 0 although its digits are not all zeros
    (``1e-400``): a list of numbers refuses it rather than take it as 0 without a word."""
    return value == 0 and any(digit in "123456789" for digit in text.lower().partition("e")[0])


def checked_tree(node: ast.AST, grammar: Grammar, lead: int = 0) -> tuple:
    """The checked tree of an expression already parsed by ``ast.parse`` (the right-hand side of a typed
    rule's assignment), under ``grammar``; ``lead`` counts blanks cut off before parsing, for the columns."""
    return _convert(node, 0, lead, grammar)


def check_depth(trees: list[tuple], refusal: str) -> None:
    """Refuse trees built from a checked one (a formula's derivatives) that have more than MAX_DEPTH levels,
    before any stage walks them, with ``refusal`` (a template marked ``N_``: its ``{depth}`` and ``{limit}``)."""
    deepest = max(levels(trees).values())
    if deepest > MAX_DEPTH:
        raise ExpressionError(refusal, depth=deepest, limit=MAX_DEPTH)


def levels(trees: list[tuple]) -> dict[int, int]:
    """id(subtree) -> its number of levels (a leaf has 1) for every subtree of ``trees``, each shared subtree
    measured once. Without recursion: these are the trees that may be too deep to walk."""
    found: dict[int, int] = {}
    pending = list(trees)
    while pending:
        tree = pending[-1]
        parts = [part for part in tree[1:] if isinstance(part, tuple) and id(part) not in found]
        if parts:
            pending.extend(parts)
            continue
        pending.pop()
        found[id(tree)] = 1 + max((found[id(part)] for part in tree[1:] if isinstance(part, tuple)), default=0)
    return found


def check_parentheses(text: str) -> None:
    """Refuse deep nesting before ast.parse sees it (the parser itself recurses on it)."""
    depth = 0
    for column, char in enumerate(text, 1):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth > MAX_PARENTHESES:
            raise ExpressionError(
                N_("Too many nested parentheses (at most {limit} levels)"), column, limit=MAX_PARENTHESES
            )


def _convert(node: ast.AST, depth: int, lead: int, grammar: Grammar = FORMULA) -> tuple:
    column = node.col_offset + 1 + lead
    if depth >= MAX_DEPTH:  # depth counts from 0: this node would be level MAX_DEPTH + 1
        raise ExpressionError(TOO_DEEP, column, limit=MAX_DEPTH)
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ExpressionError(N_("Only numbers are allowed as constants, not {value!r}"), column, value=node.value)
        try:
            value = float(node.value)
        except OverflowError:
            value = math.inf
        if not math.isfinite(value):  # 1e999 reads as inf
            raise ExpressionError(N_("This number is too large"), column)
        return ("num", value)
    if isinstance(node, ast.Name):
        if node.id in grammar.variables:
            return ("var", node.id)
        if node.id in CONSTANTS:
            return ("num", CONSTANTS[node.id])
        if node.id in grammar.functions:
            raise ExpressionError(N_("{name} is a function: write {name}(...)"), column, name=node.id)
        raise ExpressionError(grammar.unknown, column, name=node.id)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _convert(node.operand, depth + 1, lead, grammar)
        return fold(("neg", operand)) if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.BitXor):
            raise ExpressionError(N_("Use ** for powers (^ is not a power in Python)"), column)
        if type(node.op) not in OPERATORS:
            raise ExpressionError(N_("Only + - * / and ** are allowed"), column)
        left, right = (_convert(part, depth + 1, lead, grammar) for part in (node.left, node.right))
        tree = (OPERATORS[type(node.op)], left, right)
        if tree[0] == "**" and tree[2][0] == "num" and abs(tree[2][1]) > MAX_EXPONENT:
            exponent, limit = f"{tree[2][1]:g}", f"{MAX_EXPONENT:g}"
            raise ExpressionError(
                N_("The exponent {exponent} is too large (at most {limit})"), column, exponent=exponent, limit=limit
            )
        if tree[0] == "/" and tree[2] == ("num", 0.0):
            raise ExpressionError(N_("Division by zero"), column)
        return fold(tree, column)
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in grammar.functions:
            allowed = ", ".join(grammar.functions)
            raise ExpressionError(N_("Only these functions can be called: {allowed}"), column, allowed=allowed)
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise ExpressionError(N_("{name}() takes plain arguments only"), column, name=name)
        if len(node.args) != grammar.functions[name]:
            raise ExpressionError(
                N_("{name}() takes {count} argument(s), not {given}"), column,
                name=name, count=grammar.functions[name], given=len(node.args),
            )  # fmt: skip
        if name == "where":
            return _where(node.args, depth, lead, grammar, column)
        return fold((name, *(_convert(a, depth + 1, lead, grammar) for a in node.args)), column)
    raise ExpressionError(grammar.not_allowed, column, kind=type(node).__name__)


def _where(args: list[ast.AST], depth: int, lead: int, grammar: Grammar, column: int) -> tuple:
    """where(a < b, then, otherwise) as ("where_le", ...): one comparison of two expressions, no chains."""
    test = args[0]
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in COMPARISONS):
        raise ExpressionError(
            N_("where() takes a comparison first: where(a < b, then, otherwise), with < <= > >="), column
        )
    swap_sides, swap_branches = COMPARISONS[type(test.ops[0])]
    a, b, then, otherwise = (_convert(p, depth + 1, lead, grammar) for p in (test.left, test.comparators[0], *args[1:]))
    a, b = (b, a) if swap_sides else (a, b)
    then, otherwise = (otherwise, then) if swap_branches else (then, otherwise)
    return fold(("where_le", a, b, then, otherwise), column)


def fold(tree: tuple, column: int | None = None) -> tuple:
    """Compute a subtree of numbers now, in floats (never Python's unbounded integer powers)."""
    if tree[0] in ("num", "var") or any(part[0] != "num" for part in tree[1:]):
        return tree
    try:
        with np.errstate(all="raise"):
            value = float(_evaluate(tree, None, {}))
    except (OverflowError, ZeroDivisionError, ValueError, TypeError, FloatingPointError):
        raise ExpressionError(NO_VALUE, column) from None
    if not math.isfinite(value):
        raise ExpressionError(NO_VALUE, column)
    return ("num", value)


# --- evaluation -------------------------------------------------------------------------------------

LEAVES = ("num", "var")  # the subtrees that are no operation
BINARY = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "**": operator.pow}


class Bindings(NamedTuple):
    """What a tree's variables stand for, in place of the points (..., 2) a formula reads x and y from:
    a typed rule's g, x, state and hyperparameters, each an array that broadcasts to ``like``."""

    values: dict
    like: Any


def _reference(xy):
    """The array whose shape and kind a value takes: one coordinate of the points, or the bindings' own."""
    return xy.like if isinstance(xy, Bindings) else xy[..., 0]


def _like(value, xy):
    """``value`` as an array of xy's per-point shape: a bare float would lose the shape (and torch's dtype)."""
    if isinstance(value, (float, int, bool, np.generic)) and xy is not None:
        return namespace(_reference(xy)).full_like(_reference(xy), float(value))
    return value


def _evaluate(tree: tuple, xy, memo: dict, uses: dict | None = None):
    """The tree's value at the points ``xy`` (..., 2), or as a float when ``xy`` is None (constant folding).

    ``memo`` maps id(subtree) -> (subtree, value): a subtree shared by several parents is computed once.
    With ``uses`` (``_uses``: how many times each subtree is still to be read), only a shared subtree's value is
    kept, and only until its last reader has read it: a rule or formula of a thousand nodes, evaluated over a
    sweep's million runs, holds a few arrays at a time, not one per node.
    """
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "var":
        if isinstance(xy, Bindings):
            return xy.values[tree[1]]
        return xy[..., 0] if tree[1] == "x" else xy[..., 1]
    if id(tree) in memo:
        return memo[id(tree)][1]
    args = [_evaluate(part, xy, memo, uses) for part in tree[1:]]
    if uses is not None:
        for part in tree[1:]:
            if part[0] not in LEAVES:
                uses[id(part)] -= 1
                if not uses[id(part)]:
                    memo.pop(id(part), None)
    xp = np if xy is None else namespace(_reference(xy))
    if kind in BINARY:
        value = BINARY[kind](*args)
    elif kind == "neg":
        value = -args[0]
    elif kind in ("min", "max", "where_le"):
        a, b = args[:2]
        then, otherwise = args[2:] if kind == "where_le" else ((a, b) if kind == "min" else (b, a))
        value = xp.where(_like(a, xy) <= b, _like(then, xy), _like(otherwise, xy))
    else:
        value = getattr(xp, kind)(_like(args[0], xy))
    if uses is None or uses[id(tree)] > 1:
        memo[id(tree)] = (tree, value)  # holding the subtree keeps its id from being reused
    return value


def _uses(trees: list[tuple]) -> dict[int, int]:
    """id(subtree) -> how many times it is read, for every subtree that is an operation (not a number or a
    variable): once per argument of each distinct parent, once per root. Without recursion, each distinct
    subtree visited once."""
    uses: dict[int, int] = {}
    pending = [tree for tree in trees if tree[0] not in LEAVES]
    for tree in pending:
        uses[id(tree)] = uses.get(id(tree), 0) + 1
    seen: set[int] = set()
    while pending:
        tree = pending.pop()
        if id(tree) in seen:
            continue
        seen.add(id(tree))
        for part in tree[1:]:
            if part[0] not in LEAVES:
                uses[id(part)] = uses.get(id(part), 0) + 1
                pending.append(part)
    return uses


def size(trees: list[tuple]) -> int:
    """The operations one evaluation of ``trees`` does, each shared subtree counted once: the unit of
    ``studies.budget``'s cost model."""
    return len(_uses(trees))


def evaluate(trees: list[tuple], xy) -> list:
    """Each tree's value at every point of ``xy`` (..., 2), or for the ``Bindings`` of its variables,
    NumPy or torch, sharing common subtrees and freeing each value once nothing is left to read it."""
    memo: dict = {}
    uses = _uses(trees)
    return [_like(_evaluate(tree, xy, memo, uses), xy) for tree in trees]
