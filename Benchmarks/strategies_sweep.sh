#!/usr/bin/env bash
# Every classification strategy the runner knows, on the MNIST CNN and the MNIST MLP, 3 seeds: test error, NLL and
# ECE (15 bins), mean ± std, paired differences against ERM. One `mixup sweep` per recipe:
#
#   Benchmarks/strategies_sweep.sh [--seeds 0-2] [--out sweeps/strategies] [extra `mixup run` flags…]
#
# Budget (chosen to fit the shared 2-core development machine in well under an hour, so these are short-budget
# results, not converged ones): mnist-cnn on a seeded random 2,000 training and 2,000 test images, 2 epochs, batch 32;
# mnist-mlp on a seeded random 10,000 / 10,000, 5 epochs, batch 128; each recipe's own optimizer and cosine schedule.
# Every strategy keeps its registered default α. The tables land in OUT/<recipe>/results.md (copied to
# Benchmarks/results/strategies/ by this script).
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=0-2
out=sweeps/strategies
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seeds) seeds=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) extra+=("$1"); shift ;;
    esac
done
swift build -c release --product mixup >/dev/null
mixup=${MIXUP:-.build/release/mixup}
strategies=erm,mixup,manifold,cutmix,fmix,resizemix,mixup-cutmix,gridmix,smoothmix,kmixup,mosaic,mixupio,saliencymix
strategies+=,nfm,regmixup,mixup-dm,cutmix-dm
for entry in "mnist-mlp --limit 10000 --epochs 5" "mnist-cnn --limit 2000 --epochs 2 --batch-size 32"; do
    read -r recipe budget <<<"$entry"
    # shellcheck disable=SC2086
    "$mixup" sweep "$recipe" --strategy "$strategies" --seeds "$seeds" $budget --jobs "${JOBS:-1}" \
        --baseline strategy=erm --out "$out/$recipe" ${extra[@]+"${extra[@]}"}
    mkdir -p "Benchmarks/results/strategies/$recipe"
    cp "$out/$recipe"/{results.md,results.csv,chart_test_error.svg} "Benchmarks/results/strategies/$recipe/"
done
