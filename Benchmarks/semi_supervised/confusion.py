#!/usr/bin/env python3
"""Test-set confusion matrix of a semi-supervised PI-MNIST checkpoint (the Ladder MLP of the mnist-* recipes).

    python3 Benchmarks/semi_supervised/confusion.py RUN/checkpoint.safetensors [--data ../shared/data/mnist] [--raw]

Reads the checkpoint's EMA weights (`objective.ema.*`; `--raw` for the trained weights `model.*`) with their
BatchNorm running statistics, runs the 784-1000-500-250-250-250-10 network (Linear → BatchNorm → ReLU; with or
without the `--top-bn` BatchNorm on the logits) on the 10,000 test images in numpy, and prints the error and the
confusion matrix (rows: true class, columns: predicted). Its error equals the run summary's `test_error`, which is
how this re-implementation is checked. Needs only numpy.
"""
import argparse
import gzip
import json
import os
import struct

import numpy as np


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    base = 8 + length
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise SystemExit(f"{path}: tensor {name} has dtype {info['dtype']}, expected F32")
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[base + start : base + end], dtype=np.float32).reshape(info["shape"])
    return tensors


def load_idx(path):
    data = gzip.open(path).read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4 : 4 + 4 * dims])
    return np.frombuffer(data[4 + 4 * dims :], dtype=np.uint8).reshape(shape)


def logits(weights, prefix, hidden, mean=None, var=None):
    """The top layer: Linear, then (with `--top-bn`, checkpoint names `5.0.*` / `5.1.*`) a BatchNorm — with the
    running statistics unless `mean` and `var` are given."""
    if prefix + "5.weight" in weights:
        return hidden @ weights[prefix + "5.weight"].T + weights[prefix + "5.bias"]
    out = hidden @ weights[prefix + "5.0.weight"].T + weights[prefix + "5.0.bias"]
    if mean is None:
        mean, var = weights[prefix + "5.1.running_mean"], weights[prefix + "5.1.running_var"]
    return (out - mean) / np.sqrt(var + 1e-5) * weights[prefix + "5.1.weight"] + weights[prefix + "5.1.bias"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint")
    parser.add_argument("--data", default=os.path.join("..", "shared", "data", "mnist"))
    parser.add_argument("--raw", action="store_true", help="the trained weights instead of the EMA copy")
    args = parser.parse_args()
    weights = load_safetensors(args.checkpoint)
    prefix = "model." if args.raw else "objective.ema."
    images = load_idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255
    labels = load_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz"))
    hidden = images
    for linear, norm in [("0.1", "0.2"), ("1.0", "1.1"), ("2.0", "2.1"), ("3.0", "3.1"), ("4.0", "4.1")]:
        hidden = hidden @ weights[prefix + linear + ".weight"].T + weights[prefix + linear + ".bias"]
        mean, var = weights[prefix + norm + ".running_mean"], weights[prefix + norm + ".running_var"]
        hidden = (hidden - mean) / np.sqrt(var + 1e-5) * weights[prefix + norm + ".weight"] + weights[prefix + norm + ".bias"]
        hidden = np.maximum(hidden, 0)
    predicted = logits(weights, prefix, hidden).argmax(axis=1)
    print(f"test error {np.mean(predicted != labels):.4f} ({'trained' if args.raw else 'EMA'} weights)")
    matrix = np.zeros((10, 10), dtype=int)
    np.add.at(matrix, (labels, predicted), 1)
    print("rows: true class 0-9, columns: predicted class 0-9")
    for row in matrix:
        print(" ".join(f"{v:5d}" for v in row))
    print("predicted counts", " ".join(str(v) for v in matrix.sum(axis=0)))


if __name__ == "__main__":
    main()
