#!/usr/bin/env python3
"""Test error and predicted-class counts of a semi-supervised PI-MNIST checkpoint under three BatchNorm modes.

    python3 Benchmarks/semi_supervised/bn_modes.py RUN/checkpoint.safetensors [--data ../shared/data/mnist]

For the trained (`model.`) and EMA (`objective.ema.`) weights of the Ladder MLP: the checkpoint's running statistics,
the batch statistics of each block of 1,000 test images, and statistics re-estimated on the first 10,000 training
images. Separates "the running statistics are wrong" from "the weights are wrong". Needs numpy and `confusion.py`
(beside this file).
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confusion  # noqa: E402

LAYERS = [("0.1", "0.2"), ("1.0", "1.1"), ("2.0", "2.1"), ("3.0", "3.1"), ("4.0", "4.1")]


def predict(weights, prefix, images, mode, train):
    hidden, reference = images, train
    for linear, norm in LAYERS:
        w, b = weights[prefix + linear + ".weight"], weights[prefix + linear + ".bias"]
        hidden = hidden @ w.T + b
        if mode == "running":
            mean, var = weights[prefix + norm + ".running_mean"], weights[prefix + norm + ".running_var"]
        elif mode == "re-estimated":
            reference = reference @ w.T + b
            mean, var = reference.mean(0), reference.var(0)
        else:  # batch statistics of each block of 1,000 images
            blocks = hidden.reshape(-1, 1000, hidden.shape[1])
            mean = np.repeat(blocks.mean(1), 1000, axis=0)
            var = np.repeat(blocks.var(1), 1000, axis=0)
        gamma, beta = weights[prefix + norm + ".weight"], weights[prefix + norm + ".bias"]
        hidden = np.maximum((hidden - mean) / np.sqrt(var + 1e-5) * gamma + beta, 0)
        if mode == "re-estimated":
            reference = np.maximum((reference - mean) / np.sqrt(var + 1e-5) * gamma + beta, 0)
    if prefix + "5.weight" in weights or mode == "running":
        return confusion.logits(weights, prefix, hidden).argmax(axis=1)
    # --top-bn: the BatchNorm on the logits in the same mode as the hidden ones.
    top = hidden @ weights[prefix + "5.0.weight"].T + weights[prefix + "5.0.bias"]
    if mode == "re-estimated":
        reference = reference @ weights[prefix + "5.0.weight"].T + weights[prefix + "5.0.bias"]
        mean, var = reference.mean(0), reference.var(0)
    else:
        blocks = top.reshape(-1, 1000, top.shape[1])
        mean, var = np.repeat(blocks.mean(1), 1000, axis=0), np.repeat(blocks.var(1), 1000, axis=0)
    return confusion.logits(weights, prefix, hidden, mean, var).argmax(axis=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint")
    parser.add_argument("--data", default=os.path.join("..", "shared", "data", "mnist"))
    args = parser.parse_args()
    weights = confusion.load_safetensors(args.checkpoint)

    def images(name):
        return confusion.load_idx(os.path.join(args.data, name)).reshape(-1, 784).astype(np.float32) / 255

    test = images("t10k-images-idx3-ubyte.gz")
    labels = confusion.load_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz"))
    train = images("train-images-idx3-ubyte.gz")[:10000]
    for prefix in ["model.", "objective.ema."]:
        for mode in ["running", "batch-1000", "re-estimated"]:
            predicted = predict(weights, prefix, test, mode, train)
            counts = " ".join(str(v) for v in np.bincount(predicted, minlength=10))
            print(f"{prefix:15s} {mode:13s} test error {np.mean(predicted != labels):.4f}  predicted counts {counts}")


if __name__ == "__main__":
    main()
