#!/usr/bin/env bash
# Run the frame-time benchmarks once on a lent GPU machine (EGL, no display), writing results to
# $OUT (or benchmarks/results when OUT is unset). Expects the EGL loader debs in .gl/ and the
# Python wheels the machine lacks in .whl/ (see benchmarks/README.md).
set -euo pipefail
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
export __EGL_VENDOR_LIBRARY_FILENAMES=${__EGL_VENDOR_LIBRARY_FILENAMES:-/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json}
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
dest=${OUT:-benchmarks/results}
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || true
python3 -m renderer bench --size 1920x1080 --frames 30 --warmup 3 \
    --json "$dest/bench-gpu-all-1920x1080.json" --plot "$dest/bench-gpu-all-1920x1080.png"
python3 benchmarks/shading_cost.py --size 1920x1080 --frames 3 --out "$dest"
python3 benchmarks/march_steps.py --scene mia --size 1920x1080 --frames 10 --out "$dest"
python3 benchmarks/nexus_blending.py --size 1920x1080 --frames 5 --out "$dest"
