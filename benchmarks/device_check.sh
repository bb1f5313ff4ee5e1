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
# -k torch: on cuda every hypothesis example pays kernel launches and syncs. The whole core selection took
# more than 300 s there, and test_engine's batch-equals-one-at-a-time cases more than 60 s each
# (2026-11-26), so the check runs the torch-backend cases of the files below: 53 tests, about 200 s.
timeout 240 python3 -m pytest -q -p no:cacheprovider -o addopts="--import-mode=importlib" --timeout 60 \
    --durations 8 -k "torch or backend" tests/test_torch_parity.py tests/test_backend.py tests/test_rules.py \
    tests/test_schedules_torch.py 2>&1 | tail -14
timeout 90 python3 benchmarks/bench_core.py --device cuda
timeout 90 python3 benchmarks/bench_rules.py --device cuda | tail -8
