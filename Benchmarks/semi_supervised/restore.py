#!/usr/bin/env python3
"""Rebuild a sweep folder from the committed results, so new cells can be added to the published table.

Usage: restore.py ARCHIVE OUT
  (ARCHIVE e.g. Benchmarks/results/semi-supervised: its summaries.jsonl and <method>-<labels>-seed<S>.metrics.jsonl)

Every line of ARCHIVE/summaries.jsonl is the JSON summary a `mixup run` cell printed; its "output" names the cell's
folder as <sweep>/<method>/<cell>/seed<S>. This script recreates OUT/<method>/<cell>/seed<S>/ with that summary as
stdout.log and the archived per-epoch curve as metrics.jsonl — what Benchmarks/semi_supervised/report.py reads — so
that `run.sh … --out OUT` adds new cells beside the published ones and report.py regenerates the whole table.
A cell folder that already exists in OUT (a real run) is left alone. Only the standard library is used.
"""
import json
import os
import shutil
import sys


def cell_path(output):
    """The <method>/<cell>/seed<S> tail of a summary's output folder."""
    parts = output.rstrip("/").split("/")
    if len(parts) < 3 or not parts[-1].startswith("seed"):
        raise ValueError(f"summary output {output!r} is not a sweep cell folder (…/<method>/<cell>/seed<S>)")
    return parts[-3], os.path.join(*parts[-3:])


def main(archive, out):
    restored = skipped = 0
    with open(os.path.join(archive, "summaries.jsonl")) as handle:
        for number, line in enumerate(handle, start=1):
            line = line.strip()
            if not line:
                continue
            try:
                summary = json.loads(line)
                method, tail = cell_path(summary["output"])
                labels, seed = summary["labels"], summary["seed"]
            except (json.JSONDecodeError, KeyError, ValueError) as error:
                sys.exit(f"{archive}/summaries.jsonl line {number}: {error}")
            folder = os.path.join(out, tail)
            if os.path.exists(folder):
                skipped += 1
                continue
            os.makedirs(folder)
            with open(os.path.join(folder, "stdout.log"), "w") as log:
                log.write(line + "\n")
            curve = os.path.join(archive, f"{method}-{labels}-seed{seed}.metrics.jsonl")
            if os.path.exists(curve):
                shutil.copyfile(curve, os.path.join(folder, "metrics.jsonl"))
            else:
                print(f"note: no curve {curve} for {tail}", file=sys.stderr)
            restored += 1
    print(f"restored {restored} cells into {out}, left {skipped} existing ones alone")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
