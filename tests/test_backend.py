"""Backend selection: torch is imported lazily, devices are picked cuda, then mps, then cpu.

The selection logic runs everywhere against a stand-in for torch; the few tests that need the
real torch skip one by one where it is not installed.
"""

import subprocess
import sys
import types

import numpy as np
import pytest

from rmsviz import backend

needs_torch = pytest.mark.skipif(
    not backend.torch_installed(), reason="torch is optional (pip install -r requirements-torch.txt)"
)


def fake_torch(monkeypatch, *, cuda: bool, mps: bool | None):
    """Make rmsviz.backend see an installed torch with these devices (mps=None: a build without torch.backends.mps)."""
    backends = types.SimpleNamespace() if mps is None else types.SimpleNamespace(mps=_available(mps))
    torch = types.SimpleNamespace(cuda=_available(cuda), backends=backends)
    monkeypatch.setattr(backend, "torch_installed", lambda: True)
    monkeypatch.setattr(backend, "_torch", lambda: torch)


def _available(answer: bool) -> types.SimpleNamespace:
    return types.SimpleNamespace(is_available=lambda: answer)


def test_importing_rmsviz_does_not_import_torch():
    code = "import sys, rmsviz; rmsviz.run('sgd', 'elliptic', steps=3); print('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_numpy_backend():
    b = backend.get_backend("numpy")
    assert b.dtype == np.float64 and b.asarray([1, 2]).dtype == np.float64
    with pytest.raises(ValueError, match="Invalid device for the numpy backend: 'cuda'"):
        backend.get_backend("numpy", "cuda")


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(ValueError, match="Invalid backend: 'jax' \\(must be one of \\('numpy'"):
        backend.get_backend("jax")


def test_without_torch_only_numpy_and_an_install_hint(monkeypatch):
    monkeypatch.setattr(backend, "torch_installed", lambda: False)
    assert backend.available_devices() == ()
    assert backend.available_backends() == ("numpy",)
    with pytest.raises(ValueError, match=r"The torch backend needs PyTorch: pip install -r requirements-torch\.txt"):
        backend.get_backend("torch")


@pytest.mark.parametrize(
    ("cuda", "mps", "expected"),
    [
        (True, True, ("cuda", "mps", "cpu")),
        (False, True, ("mps", "cpu")),
        (True, False, ("cuda", "cpu")),
        (False, False, ("cpu",)),
        (True, None, ("cuda", "cpu")),
        (False, None, ("cpu",)),
    ],
)
def test_devices_are_preferred_cuda_then_mps_then_cpu(monkeypatch, cuda, mps, expected):
    fake_torch(monkeypatch, cuda=cuda, mps=mps)
    assert backend.available_devices() == expected
    assert backend.available_backends() == ("numpy", "torch")
    assert backend.get_backend("torch").device == expected[0]
    assert backend.get_backend("torch", "cpu").device == "cpu"


def test_unavailable_device_is_a_clear_error(monkeypatch):
    fake_torch(monkeypatch, cuda=False, mps=True)
    with pytest.raises(ValueError, match="Invalid device: 'cuda' \\(available here: mps, cpu\\)"):
        backend.get_backend("torch", "cuda")


@needs_torch
def test_device_selection_asks_torch_itself(monkeypatch):
    # The stand-in above has the shape of these two functions of the real torch.
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert backend.available_devices() == ("cuda", "cpu")


@needs_torch
def test_float64_except_on_mps():
    import torch

    assert backend.Backend("torch", "cpu").dtype == torch.float64
    assert backend.Backend("torch", "mps").dtype == torch.float32  # MPS has no float64


@needs_torch
def test_torch_arrays_round_trip():
    import torch

    b = backend.get_backend("torch", "cpu")
    x = b.asarray(np.array([[1.5, -2.0]]))
    assert x.dtype == torch.float64 and backend.namespace(x).sqrt is torch.sqrt
    np.testing.assert_array_equal(b.to_numpy(x), [[1.5, -2.0]])
