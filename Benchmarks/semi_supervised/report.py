#!/usr/bin/env python3
"""Summarise the semi-supervised PI-MNIST sweep written by Benchmarks/semi_supervised/run.sh.

Usage: report.py OUT   (OUT holds one folder per method, each a `mixup sweep` folder of cells)

Writes OUT/table.md — per method and label count: the FINAL test error (mean ± sample std over seeds, no ± for a
single seed, and each seed's), the validation error on the 1,000 held-out training images, and the wall time per
run, and, for every method beside supervised-only, its paired difference from supervised-only on the same seeds (each
seed draws the same labelled subset for every method): the mean difference in points with a 95% t-interval over the
shared seeds and on how many of them the method was lower — and OUT/error_vs_time.svg: test error against
wall-clock seconds, one curve per method (mean over seeds, band ± std), one panel per label count; a method whose
runs kept no per-epoch curve is one marker at its mean final error and wall time ("final only").
Only the standard library is used.
"""
import json
import math
import os
import statistics
import sys

METHOD_ORDER = ["supervised", "mean-teacher", "ict", "ict-manifold", "mixmatch", "pseudo-label", "vat",
                "ict+vat+entropy"]
COLORS = ["#444444", "#1f77b4", "#ff7f0e", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


def cells(method_dir):
    """Yields (summary, curve) for every finished cell under a method's sweep folder."""
    for root, _, files in sorted(os.walk(method_dir)):
        if "stdout.log" not in files:
            continue
        summary = None
        with open(os.path.join(root, "stdout.log")) as handle:
            for line in handle:
                line = line.strip()
                if line.startswith("{"):
                    try:
                        summary = json.loads(line)
                    except json.JSONDecodeError:
                        pass
        if summary is None or "test_error" not in summary:
            continue
        curve = []
        metrics = os.path.join(root, "metrics.jsonl")
        if os.path.exists(metrics):
            with open(metrics) as handle:
                for line in handle:
                    entry = json.loads(line)
                    if "test_error" in entry:
                        curve.append((entry["elapsed_seconds"], entry["test_error"]))
        yield summary, curve


def mean_std(values):
    if not values:
        return None
    mean = statistics.fmean(values)
    std = statistics.stdev(values) if len(values) > 1 else None  # one seed has no spread to report
    return mean, std


# Two-sided 95% critical values of Student's t by degrees of freedom (1–10); normal beyond.
T_95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228]


def paired(runs, baseline):
    """The paired difference of `runs` from `baseline` runs (lists of summaries) over the seeds both have, as text."""
    reference = {s["seed"]: s["test_error"] for s in baseline}
    differences = [100 * (s["test_error"] - reference[s["seed"]]) for s in runs if s["seed"] in reference]
    if not differences:
        return "—"
    mean = statistics.fmean(differences)
    lower = sum(1 for d in differences if d < 0)
    text = f"{mean:+.2f}"
    if len(differences) > 1:
        half = (T_95[len(differences) - 2] if len(differences) - 1 <= len(T_95) else 1.96) * statistics.stdev(
            differences) / math.sqrt(len(differences))
        text += f" [{mean - half:+.2f}, {mean + half:+.2f}]"
    return text + f", lower on {lower}/{len(differences)}"


def percent(pair):
    if pair is None:
        return "—"
    return f"{100 * pair[0]:.2f}" + ("" if pair[1] is None else f" ± {100 * pair[1]:.2f}")


def main(out):
    methods = [m for m in METHOD_ORDER if os.path.isdir(os.path.join(out, m))]
    methods += sorted(m for m in os.listdir(out) if os.path.isdir(os.path.join(out, m)) and m not in methods)
    results = {}
    for method in methods:
        for summary, curve in cells(os.path.join(out, method)):
            key = (method, summary.get("labels"))
            results.setdefault(key, []).append((summary, curve))
    label_counts = sorted({labels for (_, labels) in results if labels is not None})
    lines = ["| method | labels | test error % (final) | validation error % | wall time per run (s) | seeds | "
             "test error % per seed | vs supervised, same seeds (points, 95% CI) | weights |",
             "|---|---|---|---|---|---|---|---|---|"]
    for method in methods:
        for labels in label_counts:
            runs = sorted(results.get((method, labels), []), key=lambda run: run[0]["seed"])
            if not runs:
                continue
            per_seed = ", ".join(f"{100 * s['test_error']:.2f}" for s, _ in runs)
            test = mean_std([s["test_error"] for s, _ in runs])
            validation = mean_std([s["validation_error"] for s, _ in runs if "validation_error" in s])
            seconds = mean_std([s["seconds"] for s, _ in runs])
            seeds = ",".join(str(s["seed"]) for s, _ in runs)
            weights = runs[0][0].get("evaluated_weights", "final")
            wall = "—" if seconds is None else f"{seconds[0]:.0f}" + ("" if seconds[1] is None else f" ± {seconds[1]:.0f}")
            baseline = [s for s, _ in results.get(("supervised", labels), [])]
            versus = "—" if method == "supervised" else paired([s for s, _ in runs], baseline)
            lines.append(f"| {method} | {labels} | {percent(test)} | {percent(validation)} | {wall} | {seeds} | "
                         f"{per_seed} | {versus} | {weights} |")
    with open(os.path.join(out, "table.md"), "w") as handle:
        handle.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    write_svg(os.path.join(out, "error_vs_time.svg"), methods, label_counts, results)


def write_svg(path, methods, label_counts, results):
    width, height, margin = 460, 320, 56
    panels = max(len(label_counts), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * panels}" height="{height + 40}" '
             f'font-family="sans-serif" font-size="11">', '<rect width="100%" height="100%" fill="white"/>']
    for index, labels in enumerate(label_counts):
        x0 = index * width
        curves = {}
        final_only = set()
        for method in methods:
            runs = results.get((method, labels), [])
            by_epoch = {}
            for _, curve in runs:
                for epoch, (seconds, error) in enumerate(curve):
                    by_epoch.setdefault(epoch, []).append((seconds, error))
            points = []
            for epoch in sorted(by_epoch):
                values = by_epoch[epoch]
                if len(values) < len(runs):
                    continue
                t = statistics.fmean(v[0] for v in values)
                e = [v[1] for v in values]
                points.append((t, statistics.fmean(e), statistics.stdev(e) if len(e) > 1 else 0.0))
            if not points and runs and not any(curve for _, curve in runs):
                # No per-epoch curve was kept for these runs (see restore.py): one marker at the final error.
                finals = [summary["test_error"] for summary, _ in runs]
                points = [(statistics.fmean(summary["seconds"] for summary, _ in runs), statistics.fmean(finals),
                           statistics.stdev(finals) if len(finals) > 1 else 0.0)]
                final_only.add(method)
            if points:
                curves[method] = points
        all_t = [p[0] for c in curves.values() for p in c] or [1]
        all_e = [p[1] + p[2] for c in curves.values() for p in c] or [1]
        t_max = max(all_t) * 1.05
        e_max = min(max(all_e) * 1.1, 1.0)
        # Logarithmic error axis from 0.5 % to the largest error, so small errors stay readable.
        e_min = 0.005

        def sx(t):
            return x0 + margin + (width - 2 * margin) * t / t_max

        def sy(e):
            e = min(max(e, e_min), e_max)
            return margin / 2 + (height - margin) * (1 - math.log(e / e_min) / math.log(e_max / e_min))

        parts.append(f'<text x="{x0 + width / 2}" y="16" text-anchor="middle" font-weight="bold">'
                     f'PI-MNIST, {labels} labels: test error vs wall-clock time</text>')
        parts.append(f'<line x1="{sx(0)}" y1="{sy(e_min)}" x2="{sx(t_max)}" y2="{sy(e_min)}" stroke="black"/>')
        parts.append(f'<line x1="{sx(0)}" y1="{sy(e_min)}" x2="{sx(0)}" y2="{sy(e_max)}" stroke="black"/>')
        for tick in [0.01, 0.02, 0.05, 0.1, 0.2, 0.5]:
            if e_min <= tick <= e_max:
                parts.append(f'<text x="{sx(0) - 4}" y="{sy(tick) + 4}" text-anchor="end">{100 * tick:g}%</text>')
                parts.append(f'<line x1="{sx(0)}" y1="{sy(tick)}" x2="{sx(t_max)}" y2="{sy(tick)}" '
                             f'stroke="#dddddd"/>')
        for k in range(5):
            t = t_max * k / 4
            parts.append(f'<text x="{sx(t)}" y="{sy(e_min) + 14}" text-anchor="middle">{t / 60:.0f} min</text>')
        for position, (method, points) in enumerate(curves.items()):
            color = COLORS[methods.index(method) % len(COLORS)]
            band = [(sx(t), sy(m + s)) for t, m, s in points] + [(sx(t), sy(m - s)) for t, m, s in reversed(points)]
            parts.append('<polygon points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in band)
                         + f'" fill="{color}" fill-opacity="0.15" stroke="none"/>')
            parts.append('<polyline points="' + " ".join(f"{sx(t):.1f},{sy(m):.1f}" for t, m, _ in points)
                         + f'" fill="none" stroke="{color}" stroke-width="1.5"/>')
            if method in final_only:
                t, m, sd = points[0]
                parts.append(f'<line x1="{sx(t):.1f}" y1="{sy(m + sd):.1f}" x2="{sx(t):.1f}" y2="{sy(m - sd):.1f}" '
                             f'stroke="{color}"/>')
                parts.append(f'<circle cx="{sx(t):.1f}" cy="{sy(m):.1f}" r="3" fill="{color}"/>')
            label = f"{method} (final only)" if method in final_only else method
            parts.append(f'<text x="{x0 + width - margin - 100}" y="{40 + 13 * position}" fill="{color}">'
                         f'{label}</text>')
    parts.append("</svg>")
    with open(path, "w") as handle:
        handle.write("\n".join(parts) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
