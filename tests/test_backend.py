"""Backend selection: torch is imported lazily, devices are picked cuda, then mps, then cpu."""

import subprocess
import sys

import numpy as np
import pytest

from rmsviz import backend


def test_importing_rmsviz_does_not_import_torch():
    code = "import sys, rmsviz; rmsviz.run('sgd', 'elliptic', steps=3); print('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_numpy_backend():
    b = backend.get_backend("numpy")
    assert b.dtype == np.float64 and b.asarray([1, 2]).dtype == np.float64
    with pytest.raises(ValueError, match="Invalid device for the numpy backend: 'cuda'"):
        backend.get_backend("numpy", "cuda")


torch = pytest.importorskip("torch", reason="device selection is about torch")


@pytest.mark.parametrize(
    ("cuda", "mps", "expected"),
    [(True, True, ("cuda", "mps", "cpu")), (False, True, ("mps", "cpu")), (False, False, ("cpu",))],
)
def test_devices_are_preferred_cuda_then_mps_then_cpu(monkeypatch, cuda, mps, expected):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)
    assert backend.available_devices() == expected
    assert backend.get_backend("torch").device == expected[0]


def test_float64_except_on_mps():
    assert backend.Backend("torch", "cpu").dtype == torch.float64
    assert backend.Backend("torch", "mps").dtype == torch.float32  # MPS has no float64


def test_unavailable_device_is_a_clear_error():
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA, so asking for it is not an error")
    with pytest.raises(ValueError, match="Invalid device: 'cuda' \\(available here: "):
        backend.get_backend("torch", "cuda")


def test_torch_arrays_round_trip():
    b = backend.get_backend("torch", "cpu")
    x = b.asarray(np.array([[1.5, -2.0]]))
    assert x.dtype == torch.float64 and backend.namespace(x).sqrt is torch.sqrt
    np.testing.assert_array_equal(b.to_numpy(x), [[1.5, -2.0]])
