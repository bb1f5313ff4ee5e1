#!/usr/bin/env bash
# The GPU check, for a session lent a device machine: the torch-backend tests with the torch backend
# on cuda (get_backend's default there), then bench_core and bench_rules with rmsviz's torch backend and
# the reference (torch.optim, the built-in) on cuda. That machine's python3 has torch, numpy, pytest,
# pytest-timeout and hypothesis but no streamlit or plotly, so only the core's tests run.
# Usage: bash benchmarks/device_check.sh
set -uo pipefail
export PYTHONPATH=$PWD
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
python3 -c 'import torch, numpy; print("torch", torch.__version__, "numpy", numpy.__version__, "cuda", torch.cuda.is_available())'
python3 -c 'import rmsviz; print("torch backend device:", rmsviz.get_backend("torch").device)'
# -k torch: on cuda every hypothesis example pays kernel launches and syncs; the whole selection took more
# than 300 s there (2026-11-26), the torch-backend cases alone are what this machine adds.
timeout 240 python3 -m pytest -q -p no:cacheprovider -o addopts="--import-mode=importlib" --timeout 40 \
    --durations 12 -k "torch or backend" tests/test_torch_parity.py tests/test_backend.py tests/test_optimizers.py tests/test_rules.py \
    tests/test_schedules.py tests/test_schedules_torch.py tests/test_stability.py tests/test_rprop_variants.py \
    tests/test_surfaces.py tests/test_inspector.py tests/test_engine.py 2>&1 | grep -v "^\.*\s*\[" | tail -40
timeout 90 python3 benchmarks/bench_core.py --device cuda
timeout 90 python3 benchmarks/bench_rules.py --device cuda | tail -8
