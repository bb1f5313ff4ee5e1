"""rmsviz: optimizers racing on 2-D loss surfaces, exact and batched, on NumPy or torch."""

from rmsviz.backend import Backend, available_backends, available_devices, get_backend, namespace
from rmsviz.custom import CustomOptimizerError, optimizer, trace
from rmsviz.engine import MAX_STEPS, run
from rmsviz.optimizers import OPTIMIZERS, Hyperparameter, Optimizer, OptimizerSpec
from rmsviz.rules import Rule, RuleError, parse_rule
from rmsviz.surfaces import SURFACES, Surface
from rmsviz.surfaces.expression import ExpressionError
from rmsviz.trajectory import Trajectory

__all__ = [
    "MAX_STEPS",
    "OPTIMIZERS",
    "SURFACES",
    "Backend",
    "CustomOptimizerError",
    "ExpressionError",
    "Hyperparameter",
    "Optimizer",
    "OptimizerSpec",
    "Rule",
    "RuleError",
    "Surface",
    "Trajectory",
    "available_backends",
    "available_devices",
    "get_backend",
    "namespace",
    "optimizer",
    "parse_rule",
    "run",
    "trace",
]
