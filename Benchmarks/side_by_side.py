#!/usr/bin/env python3
"""Runs `mixbench` and `torch_bench.py` on the same workloads, interleaved, and prints the ratio table.

Usually started through `Benchmarks/side_by_side.sh`, which builds mixbench and prepares the PyTorch venv. For every
case (workload, variant, threads) the two programs run alternately — MixupKit then PyTorch, then PyTorch then
MixupKit, … — for `--rounds` rounds, so slow drift of the machine's load hits both sides alike. Each run reports the
median step time over its own steps; the table shows the median over rounds, the ratio MixupKit / PyTorch
(> 1: MixupKit is faster), each side's `cpu_util` (CPU seconds per wall second over the timed steps: about equal to
the thread count on an idle machine, lower when other processes take the cores) and peak RSS.
Every raw JSON line is also appended to `--log` so the table can be checked.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr}\n")
        return None
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else None


def cases(args):
    threads = [int(t) for t in args.threads.split(",")]
    workloads = args.workloads.split(",")
    variants = args.variants.split(",")
    result = []
    for t in threads:
        if "gemm" in args.ops:
            result.append(("gemm", ["gemm", "--size", "1024", "--threads", str(t), "--repeats", "10"], "gemm 1024³", t))
    for workload in workloads:
        for t in threads:
            if "train" in args.ops:
                for variant in variants:
                    extra = ["--steps", str(args.steps)] if args.steps else []
                    result.append((
                        "train", ["train", "--workload", workload, "--variant", variant, "--threads", str(t)] + extra,
                        f"train {workload} {variant}", t))
            if "infer" in args.ops:
                result.append(("infer", ["infer", "--workload", workload, "--threads", str(t)], f"infer {workload}", t))
    for t in threads:
        if "ladder" in args.ops:
            result.append(("ladder", ["ladder", "--threads", str(t)], "ladder 100+256", t))
    return result


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mixbench", required=True, help="path of the release mixbench binary")
    parser.add_argument("--python", default=sys.executable, help="the python with torch installed")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--workloads", default="mlp,cnn,resnet")
    parser.add_argument("--variants", default="erm,mixup,manifold,cutmix")
    parser.add_argument("--ops", default="gemm,train,infer,ladder")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved runs per side and case")
    parser.add_argument("--steps", type=int, default=0, help="training steps per run (0: the programs' defaults)")
    parser.add_argument("--mixbench-flags", default="", help="extra flags for mixbench train/infer/ladder")
    parser.add_argument("--log", default="side_by_side.jsonl")
    args = parser.parse_args(argv)
    torch_script = __file__.rsplit("/", 1)[0] + "/torch_bench.py" if "/" in __file__ else "torch_bench.py"
    extra = args.mixbench_flags.split() if args.mixbench_flags else []

    rows = []
    with open(args.log, "a") as log:
        log.write(json.dumps({"started": time.strftime("%Y-%m-%d %H:%M:%S"), "argv": argv}) + "\n")
        for op, command, label, threads in cases(args):
            ours, theirs = [], []
            for round_index in range(args.rounds):
                mk = [args.mixbench] + command + (extra if op != "gemm" else [])
                pt = [args.python, torch_script] + command
                order = [(mk, ours), (pt, theirs)]
                if round_index % 2:
                    order.reverse()
                for cmd, sink in order:
                    line = run(cmd)
                    if line is not None:
                        line["side"] = "mixupkit" if cmd is mk else "pytorch"
                        log.write(json.dumps(line) + "\n")
                        log.flush()
                        sink.append(line)
            key = "gflops_median" if op == "gemm" else "samples_per_s"

            def summary(lines):
                if not lines:
                    return None, None, None
                value = statistics.median(line[key] for line in lines)
                util = statistics.median(line.get("cpu_util", float("nan")) for line in lines)
                rss = max(line.get("peak_rss_mb", float("nan")) for line in lines)
                return value, util, rss

            rows.append((label, threads, summary(ours), summary(theirs)))
            print_row(rows[-1])
            sys.stdout.flush()

    print()
    print_table(rows)


def fmt(value, digits=1):
    if value is None or value != value:
        return "—"
    return f"{value:,.{digits}f}"


def print_row(row):
    label, threads, (a, ua, ra), (b, ub, rb) = row
    ratio = a / b if a and b else None
    sys.stderr.write(f"  {label} t={threads}: mixupkit {fmt(a)} (util {fmt(ua, 2)}), pytorch {fmt(b)} "
                     f"(util {fmt(ub, 2)}), ratio {fmt(ratio, 2)}\n")


def print_table(rows):
    print("| case | threads | MixupKit | PyTorch | ratio | cpu_util MK / PT | peak RSS MiB MK / PT | mixing overhead MK |")
    print("|---|---|---|---|---|---|---|---|")
    erm = {}
    for label, threads, (a, _, _), _ in rows:
        if label.startswith("train") and label.endswith(" erm"):
            erm[(label.rsplit(" ", 1)[0], threads)] = a
    for label, threads, (a, ua, ra), (b, ub, rb) in rows:
        ratio = a / b if a and b else None
        overhead = "—"
        if label.startswith("train") and not label.endswith(" erm"):
            base = erm.get((label.rsplit(" ", 1)[0], threads))
            if base and a:
                overhead = f"{(base / a - 1) * 100:+.1f}%"
        unit = " GFLOP/s" if label.startswith("gemm") else ""
        print(f"| {label}{unit} | {threads} | {fmt(a)} | {fmt(b)} | **{fmt(ratio, 2)}** | {fmt(ua, 2)} / {fmt(ub, 2)} "
              f"| {fmt(ra, 0)} / {fmt(rb, 0)} | {overhead} |")


if __name__ == "__main__":
    main(sys.argv[1:])
