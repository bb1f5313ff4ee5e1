"""Your rule: an optimizer typed as a few assignments, parsed by an AST allowlist, run batched.

    state:   s = 0
    update:  s = gamma * s + (1 - gamma) * g**2
             x = x - lr * g / sqrt(s + eps)

``g`` is the gradient at the point, ``t`` the step (1, 2, ...), ``x`` the point, all per coordinate; the
state variables start at their given values (numbers, hyperparameters, x) and keep theirs between steps.
Any other name is a hyperparameter: the built-ins' names (lr, gamma, eps, beta1, ...) keep their
defaults, ranges and symbols, a new one gets 0.1 on [0, 1]. Functions: sqrt abs sign exp log min max,
and where(a < b, then, otherwise). The assignments run in order, each seeing the ones before it.

Nothing typed is executed: the text goes through ``ast.parse`` only, each statement must be an
assignment to x or a state variable, and each right-hand side is checked and turned into a tree by the
same allowlist as typed formulas (``surfaces.expression``), which also evaluates it, vectorized over
all runs on NumPy or torch. A rule that overflows is marked diverged by the engine like any optimizer.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
import textwrap
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from rmsviz import custom
from rmsviz.backend import namespace
from rmsviz.i18n import N_
from rmsviz.meaning import Meaning, Step, tex
from rmsviz.optimizers import OPTIMIZERS, Hyperparameter, OptimizerSpec
from rmsviz.surfaces import expression
from rmsviz.surfaces.expression import CONSTANTS, Bindings, ExpressionError, Grammar
from rmsviz.surfaces.symbolic import to_latex

MAX_LENGTH = 1000  # characters of the update, and of the state
MAX_STATEMENTS = 12
MAX_STATE = 6
MAX_HYPERPARAMETERS = 8
MAX_NAME = 20
FUNCTIONS = {"sqrt": 1, "abs": 1, "sign": 1, "exp": 1, "log": 1, "min": 2, "max": 2, "where": 3}
GIVEN = ("g", "t", "x")  # the gradient, the step number, the point
RESERVED = frozenset(GIVEN) | frozenset(FUNCTIONS) | frozenset(CONSTANTS)
# What a rule is told, where a sentence differs by what it names: whole sentences, one per case.
NOT_STATE = {
    "g": N_("g cannot be a state variable: it is the gradient"),
    "t": N_("t cannot be a state variable: it is the step number"),
    "x": N_("x cannot be a state variable: it is the point"),
    "function": N_("{name} cannot be a state variable: it is a function"),
    "constant": N_("{name} cannot be a state variable: it is a constant"),
}
NOT_ASSIGNED = {
    "g": N_("g is the gradient: it cannot be assigned; assign x or the state"),
    "t": N_("t is the step number: it cannot be assigned; assign x or the state"),
}
NOT_TEXT = {"state": N_("The state must be text"), "update": N_("The update must be text")}
TOO_LONG = {
    "state": N_("The state is too long: {length} characters (at most {limit})"),
    "update": N_("The update is too long: {length} characters (at most {limit})"),
}
NESTED = {
    "state": N_("The state is nested too deeply (at most {limit} levels)"),
    "update": N_("The update is nested too deeply (at most {limit} levels)"),
}
RULE_NESTED = N_("The rule is nested too deeply (at most {limit} levels)")
# The grammars of a rule's start values and of its update: what each may name.
START_GRAMMAR = dict(
    unknown=N_("Unknown name {name!r}: use x and the hyperparameters, pi, e and the functions"),
    not_allowed=N_("{kind} is not allowed: only numbers, names, + - * / ** and functions"),
)
UPDATE_GRAMMAR = dict(
    unknown=N_("Unknown name {name!r}: use g, t, x, the state and names, pi, e and the functions"),
    not_allowed=START_GRAMMAR["not_allowed"],
)
NAME = re.compile(rf"[A-Za-z][A-Za-z0-9_]{{0,{MAX_NAME - 1}}}")
AUGMENTED = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
# The built-ins' hyperparameters by name, RMSProp's first: its lr, γ and ε are the ones a rule copies most.
KNOWN: dict[str, Hyperparameter] = {}
for _spec in (OPTIMIZERS["rmsprop"], *OPTIMIZERS.values()):
    for _h in _spec.hyperparameters:
        KNOWN.setdefault(_h.name, _h)


class RuleError(ExpressionError):
    """A rule that cannot be used: a template (marked ``N_``) and its values, and the line and column (1-based)
    where known."""

    def __init__(self, template: str, line: int | None = None, column: int | None = None, **values):
        self.line = line
        super().__init__(template, column, **values)

    @classmethod
    def on_line(cls, error: ExpressionError, line: int) -> RuleError:
        """A formula's refusal (``error``) in a rule, on ``line``."""
        return cls(error.template, line, error.column, **error.values)

    def text(self, gettext: Callable[[str], str] = N_) -> str:
        message = gettext(self.template).format(**self.values)
        if self.line and self.column:
            return gettext("{message} (line {line}, column {column})").format(
                message=message, line=self.line, column=self.column
            )
        return gettext("{message} (line {line})").format(message=message, line=self.line) if self.line else message


def _new_hyperparameter(name: str) -> Hyperparameter:
    return Hyperparameter(name, 0.1, 0.0, 1.0, False, name, N_("a hyperparameter of your rule"), minimum=-math.inf)


@dataclass(frozen=True)
class Rule:
    """A parsed rule: its state with start trees, its assignments in order, its hyperparameters."""

    state_text: str
    update_text: str
    start: tuple[tuple[str, tuple], ...]  # state variable -> tree of its start value
    assignments: tuple[tuple[str, tuple], ...]  # target -> tree, in the order they run
    hyperparameters: tuple[Hyperparameter, ...]

    @property
    def state_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.start)

    @property
    def operations(self) -> int:
        """The operations of one step (its assignments' trees, each shared subtree once): studies.budget's unit."""
        return expression.size([tree for _, tree in self.assignments])

    @property
    def defaults(self) -> dict[str, float]:
        return {h.name: h.default for h in self.hyperparameters}

    def spec(self, name: str = "rule", title: str = "Your rule") -> OptimizerSpec:
        """The rule as an optimizer that rmsviz.run, the sweep and the figures take like a built-in. Of what
        it means only its step written out is known (its assignments with the run's numbers): no threshold."""
        spec = custom.optimizer(name, self._init, self._update, self.hyperparameters, title=title)
        return spec._replace(meaning=Meaning(write_step=self.write_step))

    def write_step(self, step: Step) -> list[str]:
        """LaTeX lines of one step of a single recorded run (record="all") for one coordinate: each assignment
        as typed, then with the run's numbers, then its value. The numbers are the run's; only the arithmetic
        of each line is done again, in NumPy's float64 as the run did."""
        k = step.k
        values = {name: step.state[name][k - 1] for name in self.state_names}
        values.update({h.name: step.settings[h.name] for h in self.hyperparameters})
        values.update(x=step.before, t=k, g=step.g)
        values = {name: np.float64(value) for name, value in values.items()}  # IEEE division: 1/0 is inf
        changing = {"x", *self.state_names}
        lines, assigned = [], set()
        for target, tree in self.assignments:
            symbols = {name: _symbol(name, k, changing, assigned) for name in values}
            numbers = {name: f"({tex(v)})" if v < 0 else tex(v) for name, v in values.items()}
            with np.errstate(all="ignore"):
                result = np.float64(expression.evaluate([tree], Bindings(values, values["g"]))[0])
            assigned.add(target)
            symbolic = to_latex(_substitute(tree, symbols))
            with_numbers = to_latex(_substitute(tree, numbers))
            lines.append(rf"{_symbol(target, k, changing, assigned)} = {symbolic} = {with_numbers} = {tex(result)}")
            values[target] = result
        return lines

    # x, g and state are positional-only: a rule's hyperparameter may be called state (or self).
    def _init(self, x, /, **hyperparameters) -> dict:
        values = {"x": x, **_columns(hyperparameters, x)}
        state = {"x": x}
        for name, tree in self.start:
            state[name] = _full(expression.evaluate([tree], Bindings(values, x))[0], x)
        return {**state, "t": 0}

    def _update(self, g, state: dict, /, **hyperparameters):
        """One step. The point the rule keeps is always x + updates, as the engine computes it, so the two
        never part by a rounding; a rule that sets x once as x ∓ E returns ∓E itself, as a built-in does."""
        t = state["t"] + 1
        values = {**state, **_columns(hyperparameters, g), "g": g, "t": _scalar(float(t), g)}
        single_x = sum(target == "x" for target, _ in self.assignments) == 1
        updates = None
        for target, tree in self.assignments:
            if target == "x" and single_x and tree[0] in ("+", "-") and tree[1] == ("var", "x"):
                step = _full(expression.evaluate([tree[2]], Bindings(values, g))[0], g)
                updates = step if tree[0] == "+" else -step
                values["x"] = state["x"] + updates
            else:
                values[target] = expression.evaluate([tree], Bindings(values, g))[0]
        if updates is None:
            updates = _full(values["x"], g) - state["x"]
            values["x"] = state["x"] + updates
        new_state = {"x": values["x"], **{n: _full(values[n], g) for n in self.state_names}, "t": t}
        return updates, new_state


def _columns(hyperparameters: dict, like) -> dict:
    """Every hyperparameter as an array: a batched one is already a column (B, 1), a single one becomes a
    0-d array of the point's kind and device. Arithmetic on two bare floats would raise ZeroDivisionError
    or OverflowError where arrays give inf, and inf is how a run is seen to diverge; a 0-d array keeps
    the arithmetic of a scalar (one number per step, not one per run)."""
    return {k: _scalar(v, like) if isinstance(v, (int, float)) else v for k, v in hyperparameters.items()}


def _scalar(value: float, like):
    """``value`` as a 0-d array of ``like``'s kind, dtype and device."""
    if isinstance(like, np.ndarray):
        return np.float64(value)
    return like.new_tensor(value)


def _full(value, like):
    """``value`` broadcast to the point's shape (B, 2): the engine records and freezes state arrays whole."""
    return value if value.shape == like.shape else namespace(like).zeros_like(like) + value


# --- parsing ----------------------------------------------------------------------------------------------


def parse_rule(update: str, state: str = "", hyperparameters: tuple[Hyperparameter, ...] = ()) -> Rule:
    """The checked Rule for ``update`` (assignments, one per line) with the state declared in ``state``
    (``s = 0``, or ``m = 0; v = 0``). ``hyperparameters`` override the guessed ones by name.
    RuleError, naming line and column, for anything outside the allowlist."""
    start_statements = _statements(state, "state", allow_empty=True)
    state_names = []
    for line, column, target, _, _ in start_statements:
        if target in RESERVED:
            raise RuleError(NOT_STATE[_reserved(target)], line, column, name=target)
        if target in state_names:
            raise RuleError(N_("The state variable {name} is declared twice"), line, column, name=target)
        state_names.append(target)
    if len(state_names) > MAX_STATE:
        too_many = N_("Too many state variables: {count} (at most {limit})")
        raise RuleError(too_many, count=len(state_names), limit=MAX_STATE)

    update_statements = _statements(update, "update", allow_empty=False)
    for line, column, target, _, _ in update_statements:
        if target in ("g", "t"):
            raise RuleError(NOT_ASSIGNED[target], line, column)
        if target != "x" and target not in state_names:
            known = ", ".join(["x", *state_names])
            not_state = N_(
                "{name} is not a state variable: assign only {known}, or declare {name} with its start value"
            )
            raise RuleError(not_state, line, column, name=target, known=known)
    if all(statement.target != "x" for statement in update_statements):
        raise RuleError(N_("The rule must set x, the new point: for example x = x - lr * g"))

    names = _hyperparameter_names(start_statements + update_statements, set(state_names))
    given = {h.name: h for h in hyperparameters}
    specs = tuple(given.get(n) or KNOWN.get(n) or _new_hyperparameter(n) for n in names)

    start_grammar = Grammar(frozenset({"x", *names}), FUNCTIONS, **START_GRAMMAR)
    update_grammar = Grammar(frozenset({*GIVEN, *state_names, *names}), FUNCTIONS, **UPDATE_GRAMMAR)
    start = tuple((s.target, _tree(s.value, start_grammar, s.line, s.lead)) for s in start_statements)
    steps = tuple((s.target, _tree(s.value, update_grammar, s.line, s.lead)) for s in update_statements)
    return Rule(state.strip(), update.strip(), start, steps, specs)


def _reserved(name: str) -> str:
    """What a reserved ``name`` is: the key of its NOT_STATE sentence."""
    if name in GIVEN:
        return name
    return "function" if name in FUNCTIONS else "constant"


class Statement(NamedTuple):
    """One assignment as typed: where its target stands, the target, and the right-hand side."""

    line: int
    column: int  # the target's, 1-based, in the text as typed
    target: str
    value: ast.AST
    lead: int  # the columns a dedent took off every line


def _statements(text: str, what: str, allow_empty: bool) -> list[Statement]:
    """Each assignment of ``text``; ``x -= e`` becomes x = x - (e)."""
    if not isinstance(text, str):
        raise RuleError(NOT_TEXT[what])
    text = text.replace("\r\n", "\n")
    if len(text) > MAX_LENGTH:
        raise RuleError(TOO_LONG[what], length=len(text), limit=MAX_LENGTH)
    _check_characters(text)
    if not text.strip():
        if allow_empty:
            return []
        raise RuleError(N_("Type the update, for example: x = x - lr * g"))
    dedented = textwrap.dedent(text)
    lead = len(text.splitlines()[_first_line(text)]) - len(dedented.splitlines()[_first_line(text)])
    try:
        with warnings.catch_warnings():  # e.g. "invalid escape sequence": the error below says it better
            warnings.simplefilter("ignore")
            body = ast.parse(dedented, mode="exec").body
    except SyntaxError as error:
        raise _syntax_error(error, dedented, lead) from None
    except (RecursionError, MemoryError, ValueError):
        raise RuleError(NESTED[what], limit=expression.MAX_DEPTH) from None
    if len(body) > MAX_STATEMENTS:
        too_many = N_("Too many assignments: {count} (at most {limit})")
        raise RuleError(too_many, body[MAX_STATEMENTS].lineno, count=len(body), limit=MAX_STATEMENTS)
    return [_assignment(node, lead) for node in body]


def _first_line(text: str) -> int:
    return next(i for i, line in enumerate(text.splitlines()) if line.strip())


def _check_characters(text: str) -> None:
    """The typed formula's rules (plain printable ASCII, parentheses at most expression.MAX_PARENTHESES
    deep) line by line, with the line in the message: a rule has several."""
    for line, content in enumerate(text.split("\n"), 1):
        try:
            expression.check_characters(content)
            expression.check_parentheses(content)
        except ExpressionError as error:
            raise RuleError.on_line(error, line) from None


def _syntax_error(error: SyntaxError, text: str, lead: int) -> RuleError:
    """Python's complaint in a rule's words; a keyword (``lambda = 0``, ``x = x - lr * for``) is named as such."""
    line, column = error.lineno, (error.offset or 0) + lead
    content = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
    for word in re.finditer(r"[A-Za-z_]\w*", content):
        if keyword.iskeyword(word[0]) and word[0] not in ("True", "False", "None"):
            keyword_used = N_("{word} is a Python keyword: a rule cannot use it, as an operation or as a name")
            return RuleError(keyword_used, line, word.start() + 1 + lead, word=word[0])
    return RuleError(N_("This is not an assignment: {python}"), line, column, python=error.msg)


def _assignment(node: ast.stmt, lead: int) -> Statement:
    line, column = node.lineno, node.col_offset + 1 + lead
    if node.end_lineno != node.lineno:
        raise RuleError(N_("Write each assignment on one line"), line, column)
    if isinstance(node, ast.AugAssign) and type(node.op) in AUGMENTED and isinstance(node.target, ast.Name):
        target = node.target
        value = ast.BinOp(ast.Name(target.id, ast.Load()), node.op, node.value)
        value = ast.copy_location(value, node.value)
        value.left = ast.copy_location(value.left, target)
        return Statement(line, column, _own_name(target.id, line, column), value, lead)
    if isinstance(node, ast.Assign):
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            raise RuleError(N_("Assign one name at a time: s = ..., then x = ..."), line, column)
        return Statement(line, column, _own_name(node.targets[0].id, line, column), node.value, lead)
    not_allowed = N_("{kind} is not allowed: only assignments such as s = ... and x = ... (or x -= ...)")
    raise RuleError(not_allowed, line, column, kind=type(node).__name__)


def _own_name(name: str, line: int, column: int) -> str:
    """``name``, if a rule may own it as a state variable or a hyperparameter: a letter, then at most
    MAX_NAME - 1 letters, digits and _ (no _private or __dunder__ name). What the rule owns lives in a
    namespace of its own: it may share a name with rmsviz.run's keywords (steps, target, …)."""
    if not NAME.fullmatch(name):
        invalid = N_(
            "Invalid name {name!r}: a state variable's or hyperparameter's name starts with a letter and has at most "
            "{limit} letters, digits and _"
        )
        raise RuleError(invalid, line, column, name=name[:MAX_NAME], limit=MAX_NAME)
    return name


def _hyperparameter_names(statements: list[Statement], state_names: set[str]) -> tuple[str, ...]:
    """The names a rule reads that are neither given nor state: its hyperparameters, in order of first use."""
    names: list[str] = []
    for statement in statements:
        called = {id(node.func) for node in ast.walk(statement.value) if isinstance(node, ast.Call)}
        for node in ast.walk(statement.value):
            if not isinstance(node, ast.Name) or id(node) in called or node.id in names:
                continue
            if node.id in RESERVED or node.id in state_names:
                continue
            names.append(_own_name(node.id, statement.line, node.col_offset + 1 + statement.lead))
    if len(names) > MAX_HYPERPARAMETERS:
        too_many = N_("Too many hyperparameters: {names} (at most {limit})")
        raise RuleError(too_many, names=", ".join(names), limit=MAX_HYPERPARAMETERS)
    return tuple(names)


def _tree(value: ast.AST, grammar: Grammar, line: int, lead: int) -> tuple:
    """The checked tree of one right-hand side; the formula grammar's messages, with the line added."""
    try:
        return expression.checked_tree(value, grammar, lead)
    except ExpressionError as error:
        raise RuleError.on_line(error, line) from None
    except RecursionError:
        raise RuleError(RULE_NESTED, line, limit=expression.MAX_DEPTH) from None


# --- Rule.write_step: how its names are written ----------------------------------------------------------

SYMBOLS = {"lr": r"\eta", "gamma": r"\gamma", "eps": r"\varepsilon", "beta": r"\beta", "beta1": r"\beta_1",
           "beta2": r"\beta_2", "rho": r"\rho", "momentum": r"\mu"}  # fmt: skip


def _symbol(name: str, k: int, changing: set[str], assigned: set[str]) -> str:
    """How a name is written at step k: g_k, t, x and the state with the step they hold, a hyperparameter
    by its symbol."""
    if name == "t":
        return "t"
    if name == "g" or name in assigned:
        return rf"{_plain(name)}_{{{k}}}"
    if name in changing:
        return rf"{_plain(name)}_{{{k - 1}}}"
    return SYMBOLS.get(name, _plain(name))


def _plain(name: str) -> str:
    if len(name) == 1:
        return name
    escaped = name.replace("_", r"\_")
    return rf"\mathrm{{{escaped}}}"


def _substitute(tree: tuple, names: dict[str, str]) -> tuple:
    """The tree with each variable replaced by a LaTeX name (to_latex writes a variable as it is), and
    sign and where, which formulas do not have, written out the same way. Each node is visited once: the
    parts are substituted once and then either kept or written out, so the work is linear in the tree."""
    if tree[0] == "var":
        return ("var", names[tree[1]])
    if tree[0] == "num":
        return tree
    parts = tuple(_substitute(part, names) for part in tree[1:])
    if tree[0] == "sign":
        return ("var", rf"\operatorname{{sign}}\left({to_latex(parts[0])}\right)")
    if tree[0] == "where_le":
        a, b, then, otherwise = map(to_latex, parts)
        return ("var", rf"\begin{{cases}}{then} & {a} \le {b} \\ {otherwise} & \text{{else}}\end{{cases}}")
    return (tree[0], *parts)


# --- starter rules: each reproduces a built-in (tests hold them to 1e-12) -------------------------------


@dataclass(frozen=True)
class Starter:
    title: str
    state: str
    update: str
    defaults: dict  # the race's settings for it
    twin: tuple[str, dict]  # the built-in it reproduces, and that built-in's settings in terms of these


STARTERS = {
    "rmsprop": Starter(
        "RMSProp (d2l)", "s = 0", "s = gamma * s + (1 - gamma) * g * g\nx = x - lr * g / sqrt(s + eps)",
        {"lr": 0.4, "gamma": 0.9, "eps": 1e-6}, ("rmsprop", {}),
    ),
    "adagrad": Starter(
        "Adagrad", "s = 0", "s = s + g * g\nx = x - lr * g / sqrt(s + eps)",
        {"lr": 0.4, "eps": 1e-6}, ("adagrad", {}),
    ),
    "sign": Starter(
        "Sign descent", "", "x = x - lr * sign(g)", {"lr": 0.4}, ("rmsprop", {"gamma": 0.0, "eps": 0.0}),
    ),
    "noroot": Starter(
        "RMSProp without the root", "s = 0", "s = gamma * s + (1 - gamma) * g * g\nx = x - lr * g / (s + eps)",
        {"lr": 0.4, "gamma": 0.9, "eps": 1e-6}, ("", {}),
    ),
    "adam": Starter(
        "Adam", "m = 0\nv = 0",
        "m = m + (1 - beta1) * (g - m)\nv = beta2 * v + (1 - beta2) * g * g\n"
        "x = x - lr / (1 - beta1**t) * m / (sqrt(v) / (1 - beta2**t)**0.5 + eps)",
        {"lr": 0.4, "beta1": 0.9, "beta2": 0.999, "eps": 1e-6}, ("adam", {}),
    ),
    "momentum": Starter(
        "Momentum", "v = 0", "v = beta * v + g\nx = x - lr * v", {"lr": 0.4, "beta": 0.5}, ("momentum", {}),
    ),
}  # fmt: skip
