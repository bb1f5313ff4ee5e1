"""Typed rules: parse time per rule (the hostile corpus and the starters) against ast.parse of the same text
in the same run (budget 50 ms each), and a batched rule at B = 1e6 against the built-in it copies (target ≤ 2×).

    .venv/bin/python benchmarks/bench_rules.py [--device cuda]

The batched comparison runs on NumPy and, where torch is installed, on the torch backend (its default
device, or --device).
"""

from __future__ import annotations

import ast
import contextlib
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_rules import HOSTILE, STATE  # the hostile corpus lives with its test
from timing import fastest

import rmsviz
from rmsviz.rules import STARTERS, RuleError, parse_rule

BUDGET = 0.050
RUNS, STEPS = 1_000_000, 20


def parse_or_refuse(text: str, state: str) -> None:
    with contextlib.suppress(RuleError):
        parse_rule(text, state)


def python_parse(text: str) -> None:
    with contextlib.suppress(SyntaxError, ValueError, RecursionError, MemoryError):
        ast.parse(text)


def race(optimizer, starts, settings, backend="numpy", device=None) -> None:
    rmsviz.run(optimizer, "elliptic", start=starts, steps=STEPS, record="final", backend=backend, device=device,
               **settings)  # fmt: skip
    if device == "cuda":
        import torch

        torch.cuda.synchronize()


def main() -> None:
    texts = {f"hostile: {k}": (v, STATE) for k, v in HOSTILE.items()}
    texts |= {f"starter: {k}": (s.update, s.state) for k, s in STARTERS.items()}
    rows = []
    for name, (text, state) in texts.items():
        ours = fastest(lambda text=text, state=state: parse_or_refuse(text, state), 5)
        reference = fastest(lambda text=text: python_parse(text), 5)
        rows.append((ours, reference, name))
    rows.sort(reverse=True)
    print(f"parse: {len(rows)} rules; slowest five (ms, rule / ast.parse of the same text):")
    for ours, reference, name in rows[:5]:
        print(f"  {ours * 1e3:8.3f} ms  {ours / reference:7.2f}×  {name}")
    over = [name for ours, _, name in rows if ours > BUDGET]
    print(f"  over the {BUDGET * 1e3:.0f} ms budget: {len(over)} {over or ''}")

    starts = np.random.default_rng(0).uniform(-5, 5, (RUNS, 2))
    device = sys.argv[sys.argv.index("--device") + 1] if "--device" in sys.argv else None
    for backend in rmsviz.available_backends():
        where = backend if backend == "numpy" else f"torch on {rmsviz.get_backend('torch', device).device}"
        print(f"batched: B = {RUNS:.0e} runs × {STEPS} steps, record='final', {where}, best of 3")
        on = {"backend": backend, "device": None if backend == "numpy" else device}
        for key in ("rmsprop", "adagrad", "adam"):
            starter = STARTERS[key]
            spec = parse_rule(starter.update, starter.state).spec()
            twin, extra = starter.twin
            settings = {**starter.defaults, **extra}
            race(spec, starts[:10], starter.defaults, **on)  # warm-up: imports, kernels
            builtin = fastest(lambda twin=twin, settings=settings, on=on: race(twin, starts, settings, **on), 3)
            rule = fastest(lambda spec=spec, settings=starter.defaults, on=on: race(spec, starts, settings, **on), 3)
            print(f"  {key:8s} built-in {builtin:6.2f} s   rule {rule:6.2f} s   ratio {rule / builtin:5.2f}× "
                  "(target ≤ 2)")  # fmt: skip


if __name__ == "__main__":
    main()
