#!/bin/sh
# MixupKit vs PyTorch on the same machine, same threads, same workloads, interleaved; prints the ratio table.
#
#   Benchmarks/side_by_side.sh [side_by_side.py flags, e.g. --rounds 3 --threads 2 --workloads resnet]
#
# Builds mixbench in release mode, creates a virtual environment (default .build/torch-venv, override with
# TORCH_VENV) that sees the system's numpy, and installs the CPU PyTorch wheel from the local wheel folder
# ($PIP_FIND_LINKS, default /opt/wheels) by path, without network access. The table goes to stdout, progress to
# stderr, every raw JSON line to side_by_side.jsonl (or --log FILE). MIXBENCH=/path/to/mixbench skips the build
# and times that binary instead.
set -eu
cd "$(dirname "$0")/.."
venv="${TORCH_VENV:-.build/torch-venv}"
wheels="${PIP_FIND_LINKS:-/opt/wheels}"
if ! "$venv/bin/python" -c "import torch" 2>/dev/null; then
    wheel=$(ls "$wheels"/torch-*cpu*.whl 2>/dev/null | head -n 1)
    [ -n "$wheel" ] || { echo "side_by_side.sh: no CPU torch wheel in $wheels" >&2; exit 1; }
    python3 -m venv --system-site-packages "$venv"
    "$venv/bin/pip" install --quiet --no-index --no-deps "$wheel"
fi
if [ -n "${MIXBENCH:-}" ]; then
    mixbench="$MIXBENCH"  # an already built binary, e.g. a copy of an older build for a before/after table
else
    swift build -c release --product mixbench >&2
    mixbench="$(swift build -c release --show-bin-path)/mixbench"
fi
{
    echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "versions: $(swift --version 2>&1 | head -n 1); $("$venv/bin/python" -c 'import torch, numpy; print("torch", torch.__version__, "numpy", numpy.__version__)')"
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} >&2
"$venv/bin/python" Benchmarks/side_by_side.py --mixbench "$mixbench" --python "$venv/bin/python" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
