#!/bin/sh
# Times the 3×3 stride-1 convolution layers of the cnn and resnet workloads (batch 128) with Winograd F(2×2, 3×3) off
# (MIXUP_WINOGRAD=0: the direct kernels) and on (MIXUP_WINOGRAD=1, whatever the channel count), alternately, and prints
# one line per layer and setting: the medians of the forward pass and of the backward pass (input + filter gradient).
#
#   Benchmarks/winograd_layers.sh [--threads T] [--rounds R]
#
# MIXBENCH=/path/to/mixbench skips the build. Used to choose MK_WINOGRAD_MIN_CHANNELS (Sources/CMixupKernels/winograd.c).
set -eu
threads=1
rounds=2
while [ $# -gt 0 ]; do
    case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    *) echo "usage: $0 [--threads T] [--rounds R]" >&2; exit 2 ;;
    esac
done
if [ -z "${MIXBENCH:-}" ]; then
    swift build -c release --product mixbench >&2
    MIXBENCH="$(swift build -c release --show-bin-path)/mixbench"
fi
echo "layer (in→out, size)  winograd  forward ms  backward ms  (threads $threads, batch 128)"
# resnet: 16→16 on 32×32, 32→32 on 16×16, 64→64 on 8×8; cnn: 32→32 on 28×28, 32→64 and 64→64 on 14×14.
for layer in "16 16 32" "32 32 16" "64 64 8" "32 32 28" "32 64 14" "64 64 14"; do
    set -- $layer
    round=0
    while [ "$round" -lt "$rounds" ]; do
        for setting in 0 1; do
            MIXUP_WINOGRAD=$setting "$MIXBENCH" conv --channels "$1" --out-channels "$2" --size "$3" \
                --threads "$threads" --repeats 8 |
                sed -e 's/.*"forward_ms_median":\([0-9.]*\),"backward_ms_median":\([0-9.]*\).*/\1 \2/' |
                { read -r forward backward; echo "$1→$2, $3×$3  $setting  $forward  $backward"; }
        done
        round=$((round + 1))
    done
done
