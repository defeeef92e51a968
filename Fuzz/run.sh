#!/usr/bin/env bash
# Builds the libFuzzer harnesses in Fuzz/Harnesses over the MixupFormats sources (AddressSanitizer, -O) and runs each
# for a given time, one after another, starting from the committed seeds in Fuzz/Corpus/<harness>.
#
#   Fuzz/run.sh [SECONDS] [HARNESS ...]      SECONDS per harness (default 60); harnesses: inflate gzip idx csv
#                                            safetensors cifar (default: all)
#   FUZZ_RUNS=N Fuzz/run.sh 0 csv            run N inputs instead of a time (SECONDS is then ignored)
#
# Not part of `swift build` / `swift test`. Needs the Swift toolchain's swiftc and clang (libFuzzer ships with them)
# and, for the differential inflate harness only, zlib's header and library (skipped if missing). Work files go to
# .build/fuzz: the growing corpus per harness, logs, crash artifacts (crash-<harness>-*). Exit status 1 if any
# harness found a crash. A crash reproduces with `.build/fuzz/fuzz-<harness> .build/fuzz/crash-<harness>-…`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/.build/fuzz"
seconds=${1:-60}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(inflate gzip idx csv safetensors cifar)
swiftc=${SWIFTC:-swiftc}
clang=${CLANG:-clang}
flags=(-O -g -sanitize=fuzzer,address -parse-as-library)
mkdir -p "$out"

# The reader sources once, as a static library with coverage instrumentation (testable: harnesses reach internals).
library="$out/libMixupFormats.a"
newest=$(ls -t "$root"/Sources/MixupFormats/*.swift | head -1)
if [ ! -f "$library" ] || [ "$newest" -nt "$library" ]; then
    echo "building MixupFormats for fuzzing"
    "$swiftc" "${flags[@]}" -enable-testing -module-name MixupFormats -emit-module \
        -emit-module-path "$out/MixupFormats.swiftmodule" -emit-library -static -o "$library" \
        "$root"/Sources/MixupFormats/*.swift
fi

failed=0
summary=()
for name in "${harnesses[@]}"; do
    source="$root/Fuzz/Harnesses/$name.swift"
    [ -f "$source" ] || { echo "no harness $name" >&2; exit 2; }
    extra=()
    if [ "$name" = inflate ]; then
        if ! echo '#include <zlib.h>' | "$clang" -E -x c - >/dev/null 2>&1; then
            echo "inflate: zlib.h not found, skipped"; summary+=("inflate: skipped (no zlib)"); continue
        fi
        "$clang" -O1 -g -fsanitize=address -c "$root/Fuzz/zlib_shim.c" -o "$out/zlib_shim.o"
        extra=("$out/zlib_shim.o" -lz)
    fi
    binary="$out/fuzz-$name"
    if [ ! -f "$binary" ] || [ "$source" -nt "$binary" ] || [ "$library" -nt "$binary" ]; then
        echo "building $binary"
        "$swiftc" "${flags[@]}" -I "$out" "$source" "$library" "${extra[@]}" -o "$binary"
    fi
    corpus="$out/corpus-$name"
    mkdir -p "$corpus"
    if [ -n "${FUZZ_RUNS:-}" ]; then limit=(-runs="$FUZZ_RUNS"); else limit=(-max_total_time="$seconds"); fi
    echo "fuzzing $name (${limit[*]})"
    status=0
    "$binary" "$corpus" "$root/Fuzz/Corpus/$name" "${limit[@]}" -max_len=8192 -rss_limit_mb=2048 -timeout=20 \
        -print_final_stats=1 -artifact_prefix="$out/crash-$name-" >"$out/$name.log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/$name.log")
    line="$name: ${runs:-?} executions, ${speed:-?} exec/s, corpus $(ls "$corpus" | wc -l) files"
    if [ $status -ne 0 ]; then
        failed=1
        line="$line — FAILED (exit $status), see $out/$name.log"
    fi
    echo "$line"
    summary+=("$line")
done
echo "--- summary"
printf '%s\n' "${summary[@]}"
exit $failed
