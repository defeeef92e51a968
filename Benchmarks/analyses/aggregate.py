#!/usr/bin/env python3
"""Mean ± std over seeds of every measurement written by Benchmarks/analyses/run.sh.

    Benchmarks/analyses/aggregate.py runs/analyses

Reads OUT/flattening-seed*/<strategy>/analysis.json (mixup analyze), OUT/label-noise-seed*/label_noise.json and
OUT/bottleneck2d[-20epochs]-seed*/bottleneck2d.json and OUT/spirals-panel-seed*/panel.json, and prints one markdown table per experiment: a row per measurement, a
column per strategy, each cell "mean ± sample std (n seeds)". Standard library only.
"""
import glob
import json
import os
import re
import statistics
import sys


def seed_of(path):
    match = re.search(r"seed(\d+)", path)
    return int(match.group(1)) if match else -1


def cell(values, scale=1.0, digits=2):
    values = [v * scale for v in values if v is not None and v == v]
    if not values:
        return "—"
    mean = statistics.fmean(values)
    if len(values) == 1:
        return f"{mean:.{digits}f} (1 seed)"
    return f"{mean:.{digits}f} ± {statistics.stdev(values):.{digits}f} ({len(values)} seeds)"


def table(title, rows, strategies):
    """rows: list of (label, {strategy: [values]}, scale, digits)."""
    print(f"\n### {title}\n")
    print("| measurement | " + " | ".join(strategies) + " |")
    print("|---|" + "---|" * len(strategies))
    for label, by_strategy, scale, digits in rows:
        print(f"| {label} | " + " | ".join(cell(by_strategy.get(s, []), scale, digits) for s in strategies) + " |")


def flattening_tables(out):
    analyses = {}  # strategy -> [analysis per seed]
    for path in sorted(glob.glob(os.path.join(out, "flattening-seed*", "*", "analysis.json")), key=seed_of):
        strategy = os.path.basename(os.path.dirname(path))
        with open(path) as f:
            analyses.setdefault(strategy, []).append(json.load(f))
    if not analyses:
        return
    strategies = sorted(analyses, key=lambda s: (s != "erm", s))
    rows = []

    def add(label, getter, scale=1.0, digits=2):
        by = {}
        for strategy, items in analyses.items():
            values = []
            for item in items:
                try:
                    values.append(getter(item))
                except (KeyError, IndexError, TypeError):
                    pass
            by[strategy] = values
        rows.append((label, by, scale, digits))

    add("test error % (all test images)", lambda a: 1 - a["calibration"]["before"]["accuracy"], 100)
    add("test NLL", lambda a: a["calibration"]["before"]["negativeLogLikelihood"], 1, 3)
    add("ECE % (15 bins)", lambda a: a["calibration"]["before"]["expectedCalibrationError"], 100)
    add("mean confidence", lambda a: a["calibration"]["before"]["meanConfidence"], 1, 3)
    add("fitted temperature", lambda a: a["calibration"]["temperature"], 1, 2)
    add("NLL after temperature scaling", lambda a: a["calibration"]["after"]["negativeLogLikelihood"], 1, 3)
    add("ECE % after temperature scaling", lambda a: a["calibration"]["after"]["expectedCalibrationError"], 100)
    first = next(iter(analyses.values()))[0]
    for attack in ("fgsm", "pgd"):
        for index, point in enumerate(first.get(attack, {}).get("points", [])):
            add(f"{attack.upper()} error % at ε = {point['epsilon']:g}", lambda a, k=attack, i=index: a[k]["points"][i]["error"], 100)
    add("flattening: largest singular value (mean over classes)", lambda a: a["flattening"]["meanLargest"])
    add("flattening: sum of the others (mean over classes)", lambda a: a["flattening"]["meanSumOfRest"])
    deformations = first.get("deformations", {})
    add("deformations: clean error % (same samples)", lambda a: a["deformations"]["cleanError"], 100)
    for index, entry in enumerate(deformations.get("entries", [])):
        add(f"deformations: {entry['deformation']} error %", lambda a, i=index: a["deformations"]["entries"][i]["error"], 100)
    for index, point in enumerate(first.get("betweenPoints", {}).get("points", [])):
        lam = point["lambda"]
        add(f"between points λ = {lam:g}: miss rate %", lambda a, i=index: a["betweenPoints"]["points"][i]["missRate"], 100)
        add(f"between points λ = {lam:g}: ‖∇ₓ loss‖", lambda a, i=index: a["betweenPoints"]["points"][i]["gradientNorm"])
    table("mnist-flattening + mixup analyze", rows, strategies)


def simple_tables(out, pattern, title, fields):
    by_strategy = {}
    for path in sorted(glob.glob(os.path.join(out, pattern)), key=seed_of):
        with open(path) as f:
            for row in json.load(f):
                by_strategy.setdefault(row["strategy"], []).append(row)
    if not by_strategy:
        return
    strategies = list(by_strategy)
    rows = []
    for label, key, scale, digits in fields:
        rows.append((label, {s: [r.get(key) for r in items] for s, items in by_strategy.items()}, scale, digits))
    table(title, rows, strategies)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "runs/analyses"
    flattening_tables(out)
    simple_tables(
        out, "label-noise-seed*/label_noise.json", "mnist-label-noise --noise 0.5",
        [
            ("test error % best epoch", "bestTestError", 100, 2),
            ("best epoch", "bestEpoch", 1, 1),
            ("test error % last epoch", "lastTestError", 100, 2),
            ("train error % clean subset", "cleanTrainingError", 100, 2),
            ("train error % corrupted subset vs its wrong label (low = memorised)", "corruptedTrainingError", 100, 2),
            ("train error % corrupted subset vs its true label", "corruptedTrueLabelError", 100, 2),
        ])
    for folder, title in (("bottleneck2d", "mnist-bottleneck2d, 5 epochs"),
                          ("bottleneck2d-20epochs", "mnist-bottleneck2d, 20 epochs")):
        simple_tables(
            out, f"{folder}-seed*/bottleneck2d.json", title,
            [
                ("test error %", "testError", 100, 2),
                ("within-class share of the bottleneck variance", "withinClassVarianceShare", 1, 3),
            ])
    panels = {}
    for path in sorted(glob.glob(os.path.join(out, "spirals-panel-seed*", "panel.json")), key=seed_of):
        with open(path) as f:
            for title, error in json.load(f).items():
                panels.setdefault(title, []).append(error)
    if panels:
        table("spirals-panel: test error %", [(t, {"test error %": v}, 100, 2) for t, v in panels.items()],
              ["test error %"])
    times = os.path.join(out, "times.txt")
    if os.path.exists(times):
        print("\n### Wall and CPU time per run\n")
        with open(times) as f:
            for line in f:
                if line.strip() and not line.startswith("Command"):
                    print("    " + line.rstrip())


if __name__ == "__main__":
    main()
