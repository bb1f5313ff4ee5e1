"""rmsviz: optimizers racing on 2-D loss surfaces, exact and batched, on NumPy or torch."""

from rmsviz.backend import Backend, available_backends, available_devices, get_backend
from rmsviz.engine import MAX_STEPS, run
from rmsviz.optimizers import OPTIMIZERS, Hyperparameter, Optimizer, OptimizerSpec
from rmsviz.studies.sweep import SweepResult, grid_values  # rmsviz.studies.sweep.sweep(...) runs one
from rmsviz.surfaces import SURFACES, Surface
from rmsviz.surfaces.expression import ExpressionError
from rmsviz.trajectory import Trajectory

__all__ = [
    "MAX_STEPS",
    "OPTIMIZERS",
    "SURFACES",
    "Backend",
    "ExpressionError",
    "Hyperparameter",
    "Optimizer",
    "OptimizerSpec",
    "Surface",
    "SweepResult",
    "Trajectory",
    "available_backends",
    "available_devices",
    "get_backend",
    "grid_values",
    "run",
]
