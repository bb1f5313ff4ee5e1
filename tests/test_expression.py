"""Typed formulas: exact values and derivatives, and a hostile corpus that only ever gets ExpressionError."""

import ast
import dataclasses
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rmsviz
from rmsviz.backend import torch_installed
from rmsviz.inspector import step_formula
from rmsviz.rules import RuleError, parse_rule
from rmsviz.surfaces.expression import CALLER_FRAMES, DEFAULT_DOMAIN, MAX_DEPTH, ExpressionError, comma_list, parse
from rmsviz.surfaces.formula import Formula, parse_formula
from rmsviz.surfaces.symbolic import to_latex

# formula -> (f, gradient) written by hand in NumPy
KNOWN = {
    "x**2 + 10*sin(y) + exp(-(x-1)**2)": (
        lambda x, y: x**2 + 10 * np.sin(y) + np.exp(-((x - 1) ** 2)),
        lambda x, y: (2 * x - 2 * (x - 1) * np.exp(-((x - 1) ** 2)), 10 * np.cos(y)),
    ),
    "0.1*x**2 + 2*y**2": (lambda x, y: 0.1 * x**2 + 2 * y**2, lambda x, y: (0.2 * x, 4 * y)),
    "x*y/(1 + x**2 + y**2)": (
        lambda x, y: x * y / (1 + x**2 + y**2),
        lambda x, y: (y * (1 - x**2 + y**2) / (1 + x**2 + y**2) ** 2, x * (1 + x**2 - y**2) / (1 + x**2 + y**2) ** 2),
    ),
    "tanh(x) * cosh(y) - arctan(x*y) + sqrt(x**2 + y**2 + 1)": (
        lambda x, y: np.tanh(x) * np.cosh(y) - np.arctan(x * y) + np.sqrt(x**2 + y**2 + 1),
        lambda x, y: (
            (1 - np.tanh(x) ** 2) * np.cosh(y) - y / (1 + (x * y) ** 2) + x / np.sqrt(x**2 + y**2 + 1),
            np.tanh(x) * np.sinh(y) - x / (1 + (x * y) ** 2) + y / np.sqrt(x**2 + y**2 + 1),
        ),
    ),
    "log(1 + x**2) + abs(y) * pi - e**x + min(x, y) + max(x*x, 2)": (
        lambda x, y: np.log(1 + x**2) + np.abs(y) * np.pi - np.e**x + np.minimum(x, y) + np.maximum(x * x, 2),
        lambda x, y: (
            2 * x / (1 + x**2) - np.e**x * np.log(np.e) + (x <= y) + np.where(x * x <= 2, 0, 2 * x),
            np.sign(y) * np.pi + (x > y),
        ),
    ),
    "tan(x/4) + sinh(y/3) - cos(x*y)": (
        lambda x, y: np.tan(x / 4) + np.sinh(y / 3) - np.cos(x * y),
        lambda x, y: (1 / (4 * np.cos(x / 4) ** 2) + y * np.sin(x * y), np.cosh(y / 3) / 3 + x * np.sin(x * y)),
    ),
}


@pytest.mark.parametrize("text", sorted(KNOWN))
@settings(max_examples=30, deadline=None, derandomize=True)
@given(x=st.floats(-3, 3), y=st.floats(-3, 3))
def test_typed_formula_equals_the_same_formula_in_numpy(text, x, y):
    formula = parse_formula(text)
    f, gradient = KNOWN[text]
    xy = np.array([x, y])
    assert formula.f(xy) == pytest.approx(f(x, y), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(formula.grad(xy), gradient(x, y), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("text", sorted(KNOWN))
def test_hessian_matches_torch_autograd_and_both_backends_agree(text):
    torch = pytest.importorskip("torch", reason="autograd needs torch")
    surface = rmsviz.Surface.from_expression(text)
    for xy in np.random.default_rng(2).uniform(-2.5, 2.5, (6, 2)):
        point = torch.tensor(xy, requires_grad=True, dtype=torch.float64)
        (grad,) = torch.autograd.grad(surface.f(point), point, create_graph=True)
        hessian = torch.stack([torch.autograd.grad(grad[i], point, retain_graph=True)[0] for i in range(2)])
        np.testing.assert_allclose(surface.hessian(xy), hessian.detach().numpy(), rtol=1e-9, atol=1e-9)
    numpy_run = rmsviz.run("rmsprop", surface, steps=25, lr=0.05)
    torch_run = rmsviz.run("rmsprop", surface, steps=25, lr=0.05, backend="torch")
    np.testing.assert_allclose(numpy_run.path, torch_run.path, rtol=1e-12, atol=1e-12)


HOSTILE = [
    "__import__('os').system('true')",
    "().__class__.__bases__",
    "().__class__.__bases__[0].__subclasses__()",
    "open('/etc/passwd')",
    "open('x').read()",
    "exec('1')",
    "eval('1')",
    "compile('1', 'f', 'eval')",
    "globals()",
    "locals()",
    "vars()",
    "dir()",
    "getattr(x, 'real')",
    "setattr(x, 'a', 1)",
    "input()",
    "print(1)",
    "breakpoint()",
    "help()",
    "exit()",
    "quit()",
    "type(x)",
    "object()",
    "super()",
    "memoryview(b'')",
    "x.__class__",
    "x.real",
    "sin.__globals__",
    "sin.__code__",
    "(lambda: 1)()",
    "lambda x: x",
    "[x for x in range(9)]",
    "{x for x in y}",
    "{x: y}",
    "(x for x in y)",
    "[x, y]",
    "(x, y)",
    "{x, y}",
    "x[0]",
    "y[1:2]",
    "x if y else 1",
    "x and y",
    "x or y",
    "not x",
    "x < y",
    "x == y",
    "x is y",
    "x in y",
    "x @ y",
    "x // y",
    "x % y",
    "x << 2",
    "x >> 2",
    "x | y",
    "x & y",
    "~x",
    "x ^ 2",
    "x := 1",
    "(y := 2)",
    "f'{x}'",
    "'abc'",
    "b'abc'",
    "None",
    "True",
    "False",
    "...",
    "1j",
    "2 + 3j",
    "*x",
    "**x",
    "sin(*x)",
    "max(x, y, key=abs)",
    "sin(x=1)",
    "sin()",
    "sin(x, y)",
    "min(x)",
    "max(x, y, 1)",
    "z",
    "X",
    "Y",
    "xy",
    "sin",
    "import os",
    "x = 1",
    "del x",
    "assert x",
    "raise",
    "yield x",
    "await x",
    "async def f(): pass",
    "def f(): pass",
    "class A: pass",
    "x; y",
    "x\ny",
    "x\x00",
    "\x00",
    "x + \x07",
    "х + 1",
    "x + у",
    "ｘ + 1",
    "x\u200b + 1",
    "x + ①",
    "ℯ**x",
    "π*x",
    "9**9**9**9",
    "10**1000",
    "1e400",
    "2**1000",
    "exp(1000)",
    "x**200",
    "(x+1)**(9**9)",
    "1/0",
    "0**-1",
    "log(0)",
    "sqrt(-1)",
    "",
    "   ",
    "(",
    ")",
    "x +",
    "+",
    "sin(",
    "((((((((((x))))))))))" * 10,
    "(" * 200 + "x" + ")" * 200,
    "-" * 400 + "x",
    "x" * 501,
    "+".join(["x"] * 300),
    "log(-1 - x**2 - y**2)",
    "sqrt(-1 - x**2)",
    "0/0 + x",
]


@pytest.mark.timeout(10)  # nothing typed may hang the process; its 50 ms budget is in bench_expression.py
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_is_an_expression_error(text):
    with pytest.raises(ExpressionError) as error:
        rmsviz.Surface.from_expression(text)
    assert isinstance(error.value, ValueError) and str(error.value)


def test_the_corpus_is_big_enough():
    assert len(set(HOSTILE)) >= 100


def test_messages_name_the_problem_and_its_column():
    with pytest.raises(ExpressionError, match=r"Unknown name 'z'.*\(at column 5\)") as error:
        parse("x + z")
    assert error.value.column == 5
    with pytest.raises(ExpressionError, match=r"Use \*\* for powers"):
        parse("x^2")
    with pytest.raises(ExpressionError, match=r"The character 'х' is not allowed.*column 3"):
        parse("1+х")
    with pytest.raises(ExpressionError, match=r"control character '\\x00'.*column 2"):
        parse("x\x00")
    with pytest.raises(ExpressionError, match=r"column 7") as error:
        parse("  x + z")  # leading blanks count: the column is the one the student sees
    assert error.value.column == 7
    with pytest.raises(ExpressionError, match=r"Too many nested parentheses.*column 51"):
        parse("(" * 60 + "x" + ")" * 60)


@pytest.mark.parametrize(
    "domain",
    [((-1e308, 1e308), (-1, 1)), ((0, 1), (5, 5)), ((0, float("nan")), (0, 1)), "ab", ((0, 1),), ((2, 1), (0, 1))],
)
def test_bad_domains_are_expression_errors(domain):
    with pytest.raises(ExpressionError, match="domain"):
        parse_formula("x**2 + y", domain=domain)


def test_a_domain_moves_the_start_inside_it():
    formula = parse_formula("log(x) + y**2", domain=((1, 3), (-2, 2)))
    x, y = formula.start
    assert 1 <= x <= 3 and -2 <= y <= 2 and formula.domain == ((1.0, 3.0), (-2.0, 2.0))


def test_a_formula_is_plain_data_over_both_backends():
    formula = parse_formula("  x**2 - 3*y  ")
    assert isinstance(formula, Formula) and formula.text == "x**2 - 3*y"
    assert formula.latex == "{x}^{2} - 3 \\cdot y" and formula.domain == DEFAULT_DOMAIN
    assert formula.start == pytest.approx((-4.0, -3.0), abs=0.1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        formula.text = "y"
    xy = np.random.default_rng(4).normal(size=(3, 4, 2))
    x, y = xy[..., 0], xy[..., 1]
    np.testing.assert_array_equal(formula.f(xy), x**2 - 3 * y)
    np.testing.assert_array_equal(formula.grad(xy), np.stack([2 * x, np.full_like(x, -3.0)], -1))
    np.testing.assert_array_equal(formula.hessian(xy), np.broadcast_to([[2.0, 0.0], [0.0, 0.0]], (3, 4, 2, 2)))
    torch = pytest.importorskip("torch", reason="the torch backend needs torch")
    points = torch.tensor(xy)
    for function in (formula.f, formula.grad, formula.hessian):
        result = function(points)
        assert isinstance(result, torch.Tensor) and result.dtype == torch.float64
        np.testing.assert_array_equal(result.numpy(), function(xy))


def test_the_parser_imports_nothing_of_rmsviz_but_the_backend_and_i18n():
    """Surfaces build on formulas, never the other way round: no import cycle (i18n, whose Refusal the parser's
    errors are, imports nothing of rmsviz)."""
    tree = ast.parse((Path(rmsviz.__file__).parent / "surfaces" / "expression.py").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {"." * node.level + (node.module or "") for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    ours = {name for name in imported if name.startswith((".", "rmsviz"))}
    assert ours == {"rmsviz.backend", "rmsviz.i18n"}


def test_long_flat_formulas_are_not_too_deep():
    """Only nesting is limited: 70 terms side by side are fine, 60 nested parentheses are not."""
    formula = parse_formula("+".join(f"{k % 9}*x*y" for k in range(70)))
    assert formula.grad(np.array([0.3, -0.2]))[0] == pytest.approx(-0.2 * sum(k % 9 for k in range(70)), rel=1e-12)


@pytest.mark.parametrize("text", ["sin(" * 40 + "x*y" + ")" * 40, "x**" * 30 + "y", "tanh(" * 45 + "x-y" + ")" * 45])
def test_deep_compositions_have_exact_derivatives(text):
    """A derivative shares the subtrees of its formula; each is computed once and the result is still exact."""
    torch = pytest.importorskip("torch", reason="autograd needs torch")
    formula = parse_formula(text, domain=((0.5, 1.5), (0.5, 1.5)))
    for xy in np.random.default_rng(3).uniform(0.6, 1.4, (4, 2)):
        point = torch.tensor(xy, requires_grad=True, dtype=torch.float64)
        (grad,) = torch.autograd.grad(formula.f(point), point, create_graph=True)
        hessian = torch.stack([torch.autograd.grad(grad[i], point, retain_graph=True)[0] for i in range(2)])
        np.testing.assert_allclose(formula.grad(xy), grad.detach().numpy(), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(formula.hessian(xy), hessian.numpy(), rtol=1e-9, atol=1e-12)


def under_callers(work):
    """work() with only the frames MAX_DEPTH is derived for: Python's default limit of 1000, less the
    CALLER_FRAMES it leaves to the app's own frames above a walk."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        return _called_at(CALLER_FRAMES, work)
    finally:
        sys.setrecursionlimit(limit)


def _called_at(depth: int, work):
    frame, here = sys._getframe(), 0
    while frame is not None:
        frame, here = frame.f_back, here + 1
    return work() if here >= depth else _called_at(depth, work)


def deepest(make) -> int:
    """The largest n for which the formula ``make(n)`` is accepted, where make(n + 1) is refused as too deep."""
    low, high = 1, 300
    while low < high:
        middle = (low + high + 1) // 2
        try:
            parse_formula(make(middle))
            low = middle
        except ExpressionError:
            high = middle - 1
    with pytest.raises(ExpressionError, match=rf"Nested too deeply.* {MAX_DEPTH}"):
        parse_formula(make(low + 1))
    return low


def test_the_83_division_formula_is_refused_for_its_second_derivatives():
    """It parsed, then the Hessian the divergence message evaluates raised RecursionError on the race page."""
    text = "x" + "/x" * 82 + "/y"
    message = rf"Nested too deeply for its second derivatives \(the Hessian\): they would have \d+ levels .*{MAX_DEPTH}"
    with pytest.raises(ExpressionError, match=message):
        rmsviz.Surface.from_expression(text)


def test_a_formula_one_level_too_deep_is_refused_at_its_column():
    assert parse("-" * (MAX_DEPTH - 1) + "x") == fold_negations(MAX_DEPTH - 1)
    with pytest.raises(ExpressionError, match=rf"at most {MAX_DEPTH} levels .*\(at column {MAX_DEPTH + 1}\)") as error:
        parse("-" * MAX_DEPTH + "x")
    assert error.value.column == MAX_DEPTH + 1


def fold_negations(n: int) -> tuple:
    tree = ("var", "x")
    for _ in range(n):
        tree = ("neg", tree)
    return tree


DEEPEST = {  # formulas as deep as the limit lets them be, each bound by a different tree
    "divisions (the Hessian)": lambda n: "x" + "/x" * n + "/y",
    "powers of powers (the Hessian)": lambda n: "(" * n + "x" + ")**y" * n,
    "powers in the exponent (the gradient)": lambda n: "x**" * n + "y",
    "negations (the formula itself)": lambda n: "-" * n + "x*x*y",
}


@pytest.mark.parametrize("make", DEEPEST.values(), ids=DEEPEST)
def test_a_formula_at_the_depth_limit_goes_through_every_stage(make):
    """Parse (derivatives included), f, the gradient, the Hessian on both backends and the LaTeX, each with
    the app's frames above it: no RecursionError anywhere at the limit."""
    text = make(deepest(make))
    points = np.array([[0.7, 1.3], [1.1, 0.9]])
    with np.errstate(all="ignore"):
        formula = under_callers(lambda: parse_formula(text))
        for function in (formula.f, formula.grad, formula.hessian):
            under_callers(lambda function=function: function(points))
        under_callers(lambda: to_latex(parse(text)))
        if torch_installed():
            import torch

            under_callers(lambda: formula.hessian(torch.tensor(points)))


def test_a_rule_at_the_depth_limit_runs_and_is_written_out():
    """A typed rule shares the limit: at it, its steps run on both backends and the step inspector writes
    one out, with the app's frames above them."""
    text = "x = x - lr*" + "-" * (MAX_DEPTH - 3) + "g"  # x - (lr * (-(-(... g)))): MAX_DEPTH levels
    spec = parse_rule(text).spec()
    with pytest.raises(RuleError, match=rf"at most {MAX_DEPTH} levels .*\(line 1, column {MAX_DEPTH + 10}\)"):
        parse_rule("x = x - lr*" + "-" * (MAX_DEPTH - 2) + "g")  # its g, at column 11 + MAX_DEPTH - 1, one too deep
    for backend in ("numpy", "torch") if torch_installed() else ("numpy",):
        run = under_callers(
            lambda backend=backend: rmsviz.run(spec, "elliptic", steps=3, record="all", backend=backend)
        )
        assert not run.diverged
    lines = under_callers(lambda: step_formula(rmsviz.run(spec, "elliptic", steps=3, record="all"), 2, 0, spec))
    assert lines and lines[0].startswith("x_{2} = x_{1} - ")


ALPHABET = "xy0123456789.+-*/() ,eipsncoqrtabhmlg_[]'\"^%<=>!&|~@:;{}\\\n\t"


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=60) | st.text(max_size=40))
def test_any_text_gives_a_surface_or_an_expression_error(text):
    try:
        surface = rmsviz.Surface.from_expression(text)
    except ExpressionError:
        return
    with np.errstate(all="ignore"):
        value = surface.f(np.array(surface.starts[0]))
    assert math.isfinite(float(value))


def test_comma_list_strips_entries_drops_blanks_and_says_what_is_wrong():
    """The one splitter behind the γ, minibatch and milestone boxes (their own messages: their tests)."""
    assert comma_list(" 1 ,2,, ", 3, empty="none", too_many="") == ["1", "2"]
    assert comma_list("1,,2", 3, empty="none", too_many="", keep_blanks=True) == ["1", "", "2"]
    with pytest.raises(ValueError, match=r"^none$"):
        comma_list(" , ", 3, empty="none", too_many="")
    with pytest.raises(ValueError, match=r"^4 entries, at most 3$"):
        comma_list("1,2,3,4", 3, empty="none", too_many="{count} entries, at most {limit}")
    with pytest.raises(ExpressionError, match="not allowed"):
        comma_list("1,\u0662", 3, empty="none", too_many="")  # an Arabic-Indic digit: plain ASCII only
