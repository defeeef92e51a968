#!/usr/bin/env bash
# Manifold Mixup sensitivity on the MNIST MLP (README, "Ablation sweeps"): mix-point sets {input}, {input, hidden1},
# {hidden1, hidden2}, all × α ∈ {0.5, 1, 2} × seeds 0-2, as ONE `mixup sweep`. Shortened to fit a shared 2-core
# machine: 3 epochs on the first 5,000 training and the first 5,000 test images. Every cell is compared with
# the paper's default (all points, α = 2) on the test set — a sensitivity table, not a hyper-parameter choice.
# Rerunning resumes; the committed tables and charts are copied to Benchmarks/results/manifold-sensitivity/.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product mixup >/dev/null
.build/release/mixup sweep mnist-mlp --strategy manifold --alpha 0.5,1,2 \
    --mix-points input,input:hidden1,hidden1:hidden2,input:hidden1:hidden2 --seeds 0-2 \
    --epochs 3 --limit 5000 --jobs 2 --baseline 'strategy=manifold_alpha=2_mix-points=input+hidden1+hidden2' \
    --out sweeps/manifold-sensitivity
mkdir -p Benchmarks/results/manifold-sensitivity
cp sweeps/manifold-sensitivity/{results.md,results.csv,chart_test_error.svg,curves_test_error.svg} \
    Benchmarks/results/manifold-sensitivity/
