"""rmsviz.rules: a typed rule parses by the allowlist, refuses everything else with line and column, and
the starter rules reproduce the built-ins they copy."""

import numpy as np
import pytest

import rmsviz
from rmsviz.backend import torch_installed
from rmsviz.inspector import step_formula
from rmsviz.rules import MAX_LENGTH, STARTERS, RuleError, parse_rule

BACKENDS = ["numpy", pytest.param("torch", marks=pytest.mark.skipif(not torch_installed(), reason="needs torch"))]
STARTS = np.array([[-5.0, -2.0], [3.3, 1.7], [-1.3, 2.9], [4.1, -3.3]])


def run_both(key, backend, surface="elliptic", steps=60, start=STARTS):
    starter = STARTERS[key]
    rule = parse_rule(starter.update, starter.state)
    twin, extra = starter.twin
    device = {} if backend == "numpy" else {"device": "cpu"}
    mine = rmsviz.run(rule.spec(), surface, start=start, steps=steps, backend=backend, **device, **starter.defaults)
    builtin = rmsviz.run(twin, surface, start=start, steps=steps, **{**starter.defaults, **extra})
    return mine, builtin


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("key", ["rmsprop", "adagrad", "adam", "momentum"])
@pytest.mark.parametrize("surface", ["elliptic", "rotated"])
def test_a_starter_reproduces_its_builtin(key, backend, surface):
    mine, builtin = run_both(key, backend, surface)
    # To 1e-12 over the first 30 steps. Later, RMSProp at η = 0.4 hovers at the edge of stability, where a
    # last-bit difference doubles every few steps: torch's CPU kernels fuse multiply-adds on some machines
    # (seen on an H100 host: 7e-5 apart by step 34 on the rotated bowl), NumPy's never do.
    np.testing.assert_allclose(mine.path[:31], builtin.path[:31], rtol=0, atol=1e-12)
    assert not mine.diverged.any()


@pytest.mark.parametrize("backend", BACKENDS)
def test_sign_descent_is_rmsprop_with_no_memory_and_no_epsilon(backend):
    # g/√(g²) rounds where sign(g) does not: from a start where no coordinate lands on 0, the two agree;
    # where one does (x₂ = −2 + 5·0.4), which side of 0 a rounding leaves it on decides the next sign.
    start = np.array([[-5.05, -2.03], [3.31, 1.77]])
    mine, builtin = run_both("sign", backend, start=start)
    np.testing.assert_allclose(mine.path, builtin.path, rtol=0, atol=1e-12)


def test_rmsprop_without_the_root_matches_its_formula_written_out():
    starter = STARTERS["noroot"]
    t = rmsviz.run(parse_rule(starter.update, starter.state).spec(), "elliptic", steps=40, **starter.defaults)
    lr, gamma, eps = starter.defaults["lr"], starter.defaults["gamma"], starter.defaults["eps"]
    x, s, surface = np.array([-5.0, -2.0]), np.zeros(2), rmsviz.SURFACES["elliptic"]
    for k in range(1, 41):
        g = surface.grad(x)
        s = gamma * s + (1 - gamma) * g * g
        x = x - lr * g / (s + eps)
        np.testing.assert_allclose(t.path[k], x, rtol=0, atol=1e-12)


def test_the_known_answer_of_the_chapter():
    starter = STARTERS["rmsprop"]
    t = rmsviz.run(parse_rule(starter.update, starter.state).spec(), "elliptic", start=(-5.0, -2.0), steps=20,
                   lr=0.4, gamma=0.9)  # fmt: skip
    assert f"{t.path[-1, 0]:.6f}" == "-0.010599" and f"{t.path[-1, 1]:.6f}" == "0.000000"


def test_hyperparameters_take_the_builtins_names_and_a_new_name_gets_a_slider():
    rule = parse_rule("v = mu * v + g\nx = x - lr * v / (abs(v) + c)", "v = 0")
    assert [h.name for h in rule.hyperparameters] == ["mu", "lr", "c"]
    lr, c = rule.hyperparameters[1], rule.hyperparameters[2]
    assert (lr.symbol, lr.default) == ("η", 0.01) and (c.default, c.low, c.high) == (0.1, 0.0, 1.0)
    t = rmsviz.run(rule.spec(), "elliptic", steps=10, mu=0.5, c=0.2, lr=np.array([0.1, 0.2]))
    assert t.path.shape == (11, 2, 2)


def test_augmented_assignments_and_where_and_t():
    rule = parse_rule("x -= lr * where(g > 0, 1, -1) / sqrt(t)")
    t = rmsviz.run(rule.spec(), "elliptic", start=(-5.0, -2.0), steps=3, lr=0.5)
    np.testing.assert_allclose(t.path[3] - t.path[0], [0.5 * (1 + 2**-0.5 + 3**-0.5)] * 2, rtol=1e-14)


def test_the_state_starts_where_it_says():
    rule = parse_rule("s = s + g**2\nx = x - lr * g / sqrt(s)", "s = s0")
    builtin = rmsviz.run("adagrad", "elliptic", steps=10, lr=0.3, eps=0.0, initial_accumulator=0.5)
    t = rmsviz.run(rule.spec(), "elliptic", steps=10, lr=0.3, s0=0.5)
    np.testing.assert_allclose(t.path, builtin.path, rtol=0, atol=1e-12)


def test_a_rule_that_overflows_is_marked_diverged():
    rule = parse_rule("x = x - lr * exp(exp(g**2))")
    t = rmsviz.run(rule.spec(), "elliptic", start=STARTS, steps=5, lr=0.1)
    assert t.diverged.all() and (t.diverged_at == 1).all()
    divide = parse_rule("x = x - g / c")  # c = 0: arrays give inf, never ZeroDivisionError
    assert rmsviz.run(divide.spec(), "elliptic", steps=3, c=0.0).diverged


def test_the_step_inspector_writes_a_rules_step_with_the_runs_numbers():
    starter = STARTERS["rmsprop"]
    rule = parse_rule(starter.update, starter.state)
    spec = rule.spec()
    t = rmsviz.run(spec, "elliptic", start=(-5.0, -2.0), steps=5, record="all", lr=0.4, gamma=0.9)
    lines = step_formula(t, 2, 1, spec)
    assert len(lines) == 2
    assert lines[0].startswith(r"s_{2} = \gamma \cdot s_{1}") and lines[0].endswith(f"= {t.state['s'][2, 1]:.6g}")
    assert lines[1].startswith("x_{2} = x_{1} - ") and lines[1].endswith(f"= {t.path[2, 1]:.6g}")
    assert f"{t.grads[2, 1]:.6g}" in lines[1]
    with pytest.raises(ValueError, match="Invalid step"):
        step_formula(t, 6, 0, spec)


def _nodes(tree: tuple) -> int:
    return 1 + sum(_nodes(part) for part in tree[1:] if isinstance(part, tuple))


def _visits_to_write(monkeypatch, rule) -> int:
    """How many times writing out step 1 of ``rule`` visits a node, substituting or typesetting it."""
    from rmsviz import rules
    from rmsviz.surfaces import symbolic

    visits = 0

    def counted(function):
        def visit(*args):
            nonlocal visits
            visits += 1
            return function(*args)

        return visit

    latex = counted(symbolic.to_latex)
    monkeypatch.setattr(symbolic, "to_latex", latex)  # its own recursion goes through this name
    monkeypatch.setattr(rules, "to_latex", latex)
    monkeypatch.setattr(rules, "_substitute", counted(rules._substitute))
    t = rmsviz.run(rule.spec(), "elliptic", steps=1, record="all")
    assert len(step_formula(t, 1, 0, rule.spec())) == len(rule.assignments)
    return visits


# As large as the parser takes: twelve assignments, close to 1 000 nodes in 1 000 characters.
LARGEST_STATE = "s = 0; m = 0; v = 0; w = 0; u = 0; q = 0"
LARGEST = "".join(f"{target}=g{'+-g' * 28}\n" for target in "smvwuqsmvwu") + "x=x-s-m-v-w-u-q"


@pytest.mark.parametrize(
    "update",
    [
        "x = x - lr * (" + " + ".join(["g"] * 20) + ")",  # took 13 s: each level walked its parts twice
        "x = x - lr * " + "sign(" * 40 + "g" + ")" * 40,
        "x = x - lr * " + "where(g < 0, " * 30 + "g" + ", -g)" * 30,
        LARGEST,
    ],
    ids=["twenty terms", "nested sign", "nested where", "largest"],
)
def test_writing_a_step_out_is_linear_in_the_rules_size(monkeypatch, update):
    """Every node is substituted and typeset a bounded number of times, however the tree nests: the step
    inspector writes out any rule the parser takes at once (it was exponential in the depth)."""
    rule = parse_rule(update, LARGEST_STATE if update == LARGEST else "")
    nodes = sum(_nodes(tree) for _, tree in rule.assignments)
    assert nodes > (900 if update == LARGEST else 40)
    # twice (the names, the numbers), each time substituted once and typeset once
    assert _visits_to_write(monkeypatch, rule) <= 2 * 2 * 2 * nodes


# --- the hostile corpus: each refused with a message, none run ------------------------------------------

STATE = "s = 0"
HOSTILE = {
    # code injection
    "import": "import os",
    "from import": "from os import system",
    "__import__": "x = __import__('os').system('ls')",
    "eval": "x = eval('1')",
    "exec": "exec('x = 1')",
    "open": "x = open('/etc/passwd')",
    "compile": "x = compile('1', 'f', 'eval')",
    "getattr": "x = getattr(g, 'real')",
    "globals": "x = globals()",
    "locals": "x = locals()",
    "vars": "x = vars()",
    "print": "print(g)",
    "input": "x = input()",
    "breakpoint": "breakpoint()",
    "call expression": "sqrt(g)",
    "bare expression": "g",
    "def": "def f(): pass",
    "class": "class A: pass",
    "lambda": "x = (lambda: 1)()",
    "lambda value": "x = lambda g: g",
    "for": "for i in range(9): x = x - g",
    "while": "while True: x = x",
    "if": "if g > 0: x = x - g",
    "with": "with open('f') as h: x = x",
    "try": "try:\n    x = x\nexcept: pass",
    "list comprehension": "x = [g for g in g]",
    "generator": "x = sum(g for g in g)",
    "set comprehension": "x = {g for g in g}",
    "dict": "x = {'a': g}",
    "list": "x = [g, g]",
    "tuple": "x = (g, g)",
    "tuple target": "x, s = g, g",
    "chained target": "x = s = g",
    "walrus": "x = (y := g)",
    "subscript": "x = g[0]",
    "subscript target": "x[0] = 1",
    "slice": "x = g[::-1]",
    "attribute": "x = g.real",
    "attribute chain": "x = g.__class__.__mro__[1].__subclasses__()",
    "attribute target": "x.real = 1",
    "dunder name": "x = __builtins__",
    "dunder class": "x = __class__",
    "string": "x = 'rm -rf /'",
    "bytes": "x = b'abc'",
    "f-string": "x = f'{g}'",
    "ellipsis": "x = ...",
    "None": "x = None",
    "True": "x = True",
    "complex": "x = 1j",
    "global": "global x",
    "nonlocal": "nonlocal x",
    "del": "del x",
    "assert": "assert False",
    "raise": "raise SystemExit",
    "return": "return g",
    "yield": "x = (yield g)",
    "await": "x = await g",
    "async": "async def f(): pass",
    "pass": "pass",
    "starred": "x = sqrt(*g)",
    "keyword": "x = sqrt(g=1)",
    "unknown function": "x = sin(g)",
    "unknown call on a name": "x = lr(g)",
    "call of a call": "x = sqrt(g)(g)",
    "function without call": "x = x - sqrt",
    "wrong arity": "x = sqrt(g, g)",
    "where without comparison": "x = where(g, 1, 2)",
    "chained comparison": "x = where(0 < g < 1, 1, 2)",
    "equality": "x = where(g == 0, 1, 2)",
    "bare comparison": "x = g > 0",
    "boolean": "x = g and s",
    "not": "x = not g",
    "bitwise xor": "x = g ^ 2",
    "bitwise and": "x = g & 1",
    "shift": "x = g << 2",
    "floor division": "x = g // 2",
    "modulo": "x = g % 2",
    "matmul": "x = g @ g",
    "invert": "x = ~g",
    "ternary": "x = g if g else s",
    "annotated": "x: float = 1",
    "augmented floor": "x //= 2",
    "huge exponent": "x = x - g ** 1e6",
    "tower": "x = 10 ** 10 ** 10",
    "big literal power": "x = x - 9 ** 999",
    "infinite literal": "x = x - 1e999 * g",
    "zero division constant": "x = x - g / 0",
    "log of zero constant": "x = x - log(0) * g",
    "deep nesting": "x = " + "(" * 200 + "g" + ")" * 200,
    "deep functions": "x = " + "sqrt(" * 120 + "g" + ")" * 120,
    "deep unary": "x = " + "-" * 500 + "g",
    "million-term sum": "x = " + "+".join(["g"] * 1_000_000),
    "long sum": "x = " + "+".join(["g"] * 400),
    "100 kB": "x = x - g  # " + "a" * 100_000,
    "too many lines": "\n".join(["s = s + g"] * 13 + ["x = x - g"]),
    "NUL": "x = x - g\x00",
    "NUL inside": "x = x\x00 - g",
    "escape": "x = x - g\x1b[31m",
    "bell": "x = x\x07",
    "form feed": "x = x - g\x0c",
    "cyrillic x": "х = x - g",
    "cyrillic a in name": "x = x - lr * gаmma",
    "greek": "x = x - η * g",
    "full-width digit": "x = x - ０.５ * g",
    "fullwidth letters": "x = ｘ - g",
    "zero-width space": "x = x -\u200b g",
    "right-to-left": "x = x - g\u202e",
    "non-breaking space": "x = x\u00a0- g",
    "assign g": "g = 0\nx = x - g",
    "assign t": "t = 1\nx = x - g",
    "assign a hyperparameter": "lr = 10\nx = x - lr * g",
    "assign an unknown name": "m = g\nx = x - m",
    "assign a function": "sqrt = 1\nx = x - g",
    "assign pi": "pi = 3\nx = x - g",
    "no x": "s = s + g",
    "empty": "   ",
    "comment only": "# nothing",
    "syntax error": "x = x - * g",
    "unclosed": "x = sqrt(g",
    "two lines in one statement": "x = (x -\n g)",
    "semicolon garbage": "x = x; import os",
    "underscore name": "x = x - _lr * g",
    "long name": "x = x - " + "a" * 40 + " * g",
    "too many hyperparameters": "x = x - (a + b + c + d + f + h + k + m + n) * g",
}
BAD_STATES = {
    "state import": "import os",
    "state named g": "g = 0",
    "state named x": "x = 1",
    "state named sqrt": "sqrt = 0",
    "state twice": "s = 0\ns = 1",
    "state from g": "s = g",
    "state from a state": "s = 0\nm = s",
    "state attribute": "s = x.real",
    "too many states": "\n".join(f"s{i} = 0" for i in range(7)),
    "state NUL": "s = 0\x00",
}


def test_the_corpus_is_large():
    assert len(HOSTILE) + len(BAD_STATES) >= 100


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_rule_is_refused_with_a_message(text):
    with pytest.raises(RuleError) as error:
        parse_rule(text, STATE)
    message = str(error.value)
    assert 10 < len(message) < 300 and "Traceback" not in message


@pytest.mark.parametrize("text", BAD_STATES.values(), ids=BAD_STATES.keys())
def test_a_bad_state_is_refused(text):
    with pytest.raises(RuleError):
        parse_rule("x = x - lr * g", text)


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("s = s + g**2\nx = x - lr * g.real", "Attribute is not allowed", 2, 14),
        ("s = s + g**2\nx = x - sin(g)", "Only these functions can be called", 2, 9),
        ("s = s + g**2\nm = g", "m is not a state variable", 2, None),
        ("s = s + g\nx = x - g\x00", "control character", 2, 10),
        ("x = x - g\n  s = 1", "This is not an assignment: unexpected indent", 2, None),
        ("x = x - g ** 1000", "The exponent 1000 is too large", 1, 9),
        ("x = x - lr * gаmma", "The character 'а' is not allowed", 1, 15),
    ],
)
def test_a_message_names_line_and_column(text, message, line, column):
    with pytest.raises(RuleError, match=message) as error:
        parse_rule(text, STATE)
    assert error.value.line == line
    if column is not None:
        assert error.value.column == column
        assert f"(line {line}, column {column})" in str(error.value)


@pytest.mark.parametrize(
    ("update", "state", "message", "line", "column"),
    [
        ("x = x - lr * g", "_s = 0", "Invalid name '_s'", 1, 1),
        ("x = x - lr * g", "s = 0\n__class__ = 0", "Invalid name '__class__'", 2, 1),
        ("x = x - lr * g\n_s = 1", "s = 0", "Invalid name '_s'", 2, 1),
        ("x = x - lr * g", "s = 0\npi = 0", "pi cannot be a state variable: it is a constant", 2, 1),
        ("x = x - lr * g", "s = 0; sqrt = 1", "sqrt cannot be a state variable: it is a function", 1, 8),
        ("x = x - __class__ * g", "", "Invalid name '__class__'", 1, 9),
        ("x = x - lr * g", "lambda = 0", "lambda is a Python keyword", 1, 1),
        ("s = s + g\nx = x - lr * for", "s = 0", "for is a Python keyword", 2, 14),
        ("t = 1\nx = x - g", "", "t is the step number: it cannot be assigned", 1, 1),
    ],
)
def test_a_name_the_rule_cannot_own_is_refused_where_it_stands(update, state, message, line, column):
    """State names follow the hyperparameters' name rules (``_s`` and ``__class__`` parsed, then failed at run
    time); a keyword is named as one; every such message has its line and column."""
    with pytest.raises(RuleError, match=message) as error:
        parse_rule(update, state)
    assert (error.value.line, error.value.column) == (line, column)
    assert f"(line {line}, column {column})" in str(error.value)


@pytest.mark.parametrize("name", ["steps", "target", "noise", "schedule", "on_progress", "state", "self", "name",
                                  "step", "function", "hyperparameters", "keywords", "schedule_p"])  # fmt: skip
def test_a_name_rmsviz_run_has_too_is_the_rules_own(name):
    """In ``hyperparameters`` a rule's name never reaches run()'s parameters or the wrappers' own: the rule
    x = x - name * g is SGD at η = name. A state variable may be called so too."""
    spec = parse_rule(f"x = x - {name} * g").spec()
    t = rmsviz.run(spec, "elliptic", steps=20, record="all", hyperparameters={name: 0.3})
    sgd = rmsviz.run("sgd", "elliptic", steps=20, lr=0.3)
    np.testing.assert_array_equal(t.path, sgd.path)
    assert t.hyperparameters == {name: 0.3} and t.reached_at is None and t.schedule is None
    assert step_formula(t, 1, 0, spec)[0].startswith(r"x_{1} = x_{0} - \mathrm{" + name.replace("_", r"\_"))
    momentum = parse_rule(f"{name} = {name} + g\nx = x - 0.1 * {name}", f"{name} = 0").spec()
    assert not rmsviz.run(momentum, "elliptic", steps=5).diverged


def test_a_hostile_rule_never_runs_anything(monkeypatch):
    import builtins

    def refuse(*args, **kwargs):
        raise AssertionError("user text reached eval or exec")

    for name in ("eval", "exec"):  # not compile: ast.parse is compile(..., PyCF_ONLY_AST), which runs nothing
        monkeypatch.setattr(builtins, name, refuse)
    for text in list(HOSTILE.values())[:40]:
        with pytest.raises(RuleError):
            parse_rule(text, STATE)


def test_the_length_limit_is_the_documented_one():
    with pytest.raises(RuleError, match=f"at most {MAX_LENGTH}"):
        parse_rule("x = x - g" + " " * MAX_LENGTH)
