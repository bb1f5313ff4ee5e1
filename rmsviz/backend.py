"""One array namespace over NumPy and torch.

NumPy is always there. torch is optional and imported only when the torch
backend is asked for: importing it costs a second and Streamlit's file
watcher can trip over it (streamlit#10992), so nothing imports it eagerly.

Formulas elsewhere are written once against the small namespace returned by
``namespace(array)``: NumPy itself, or a shim exposing torch's functions under
NumPy's names. Element-wise arithmetic uses the operators, reductions use the
methods both array types share (``a.all(-1)``, ``a.any()``).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import types
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike  # noqa: F401  (re-exported: a torch tensor is one too, through __array__)


def torch_installed() -> bool:
    """True when torch can be imported, without importing it."""
    return importlib.util.find_spec("torch") is not None


def _torch():
    if not torch_installed():
        raise ValueError("The torch backend needs PyTorch: pip install -r requirements-torch.txt")
    import torch

    return torch


def available_devices() -> tuple[str, ...]:
    """The torch devices usable here, best first; empty without torch."""
    if not torch_installed():
        return ()
    torch = _torch()
    found = []
    if torch.cuda.is_available():
        found.append("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        found.append("mps")
    found.append("cpu")
    return tuple(found)


def available_backends() -> tuple[str, ...]:
    return ("numpy", "torch") if torch_installed() else ("numpy",)


@dataclass(frozen=True)
class Backend:
    """Where arrays live: ``name`` is "numpy" or "torch"; ``device`` is the torch device."""

    name: str = "numpy"
    device: str = "cpu"

    @property
    def dtype(self):
        """float64 wherever the device has it (MPS has no float64)."""
        if self.name == "numpy":
            return np.float64
        torch = _torch()
        return torch.float32 if self.device == "mps" else torch.float64

    def asarray(self, value):
        if self.name == "numpy":
            return np.asarray(value, dtype=np.float64)
        torch = _torch()
        if isinstance(value, torch.Tensor):
            return value.to(device=self.device, dtype=self.dtype)
        return torch.tensor(np.asarray(value, dtype=np.float64), dtype=self.dtype, device=self.device)

    def to_numpy(self, value) -> np.ndarray:
        if isinstance(value, np.ndarray):
            return value
        if self.name == "torch" and isinstance(value, _torch().Tensor):
            return value.detach().to("cpu").numpy()
        return np.asarray(value)

    def no_autograd(self):
        """A context in which torch records nothing for autograd (fewer checks per operation); none for NumPy."""
        return _torch().inference_mode() if self.name == "torch" else contextlib.nullcontext()

    def empty(self, shape):
        if self.name == "numpy":
            return np.empty(shape, dtype=np.float64)
        return _torch().empty(shape, dtype=self.dtype, device=self.device)


def get_backend(name: str = "numpy", device: str | None = None) -> Backend:
    """The backend called ``name``; for torch, ``device`` defaults to cuda, then mps, then cpu."""
    if isinstance(name, Backend):
        return name
    if name == "numpy":
        if device not in (None, "cpu"):
            raise ValueError(f"Invalid device for the numpy backend: {device!r} (must be 'cpu')")
        return Backend("numpy", "cpu")
    if name != "torch":
        raise ValueError(f"Invalid backend: {name!r} (must be one of {available_backends()})")
    devices = available_devices()
    if not devices:
        _torch()  # raises the install hint
    if device is None:
        device = devices[0]
    if device not in devices:
        raise ValueError(f"Invalid device: {device!r} (available here: {', '.join(devices)})")
    return Backend("torch", device)


@functools.cache
def _torch_namespace() -> types.SimpleNamespace:
    torch = _torch()
    names = [
        "sqrt",
        "abs",
        "sign",
        "exp",
        "expm1",
        "log",
        "sin",
        "cos",
        "tan",
        "tanh",
        "sinh",
        "cosh",
        "arctan",
        "where",
        "isfinite",
        "zeros_like",
        "ones_like",
        "full_like",
        "stack",
        "maximum",
        "minimum",
        "clip",
    ]
    ops = {name: getattr(torch, name) for name in names}
    ops["pi"] = float(np.pi)
    ops["e"] = float(np.e)
    return types.SimpleNamespace(**ops)


def namespace(array):
    """The functions for ``array``'s kind: NumPy itself, or torch's under NumPy's names."""
    if isinstance(array, (np.ndarray, np.generic, float, int)):
        return np
    return _torch_namespace()
