"""Surfaces: loss functions of two variables with exact gradients and Hessians.

``surface`` holds ``Surface`` and its parameters (and the quadratics surfaces are built from),
``catalog`` every named surface with its teaching text (``SURFACES``); typed formulas in three steps:
``expression`` parses by an AST allowlist (never executed) and evaluates the checked tree, ``symbolic``
differentiates it and writes its LaTeX, ``formula`` puts them together as a ``Formula``.
"""

from rmsviz.surfaces.catalog import SURFACES, conditioned, rotated
from rmsviz.surfaces.expression import ExpressionError
from rmsviz.surfaces.surface import Param, Surface, quadratic, squares

__all__ = ["SURFACES", "ExpressionError", "Param", "Surface", "conditioned", "quadratic", "rotated", "squares"]
