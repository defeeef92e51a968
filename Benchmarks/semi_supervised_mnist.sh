#!/usr/bin/env bash
# The semi-supervised MNIST table of issue 6: each pipeline × labels × seeds, one JSON summary line per run.
# Usage: Benchmarks/semi_supervised_mnist.sh [EPOCHS] [LABELS...]   (defaults: 3 epochs, 100 and 1000 labels)
# Results are appended to runs/ssl-mnist.jsonl; per-epoch metrics are in each run's output folder.
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-3}
shift || true
labels=${*:-100 1000}
swift build -c release --product mixup >/dev/null
mkdir -p runs
for n in $labels; do
    for seed in 0 1 2; do
        for recipe in mnist-supervised mnist-ict mnist-mixmatch mnist-pseudolabel mnist-meanteacher; do
            e=$epochs
            # The baseline sees only the N labelled images: one step per epoch, so it gets many more epochs.
            [ "$recipe" = mnist-supervised ] && e=300
            .build/release/mixup run "$recipe" --labels "$n" --seed "$seed" --epochs "$e" --quiet \
                --out "runs/ssl/$recipe-$n-seed$seed" | tail -n 1 >> runs/ssl-mnist.jsonl
        done
    done
done
