#!/usr/bin/env python3
"""MixMatch on permutation-invariant MNIST in plain PyTorch, on exactly the split a MixupKit run uses.

A reference for `mixup run mnist-mixmatch`, written from issue 10's description of the setup (not from MixupKit's
code): the Ladder MLP 784-1000-500-250-250-250-10 (Linear → BatchNorm → ReLU), Gaussian pixel noise σ = 0.3 as the
only augmentation, Adam 2e-3 constant then linear decay to 0 over the last 30 % of steps, labelled batch 100,
unlabelled batch 128 × K = 2 views, T = 0.5, λ ~ Beta(0.75, 0.75) with λ′ = max(λ, 1 − λ), squared error on
probabilities (mean over batch × classes) weighted 75 and ramped exp(−5(1 − t)²) over the first 30 %, evaluation of
an EMA copy (decay 0.999) whose BatchNorm statistics are re-estimated on 10,000 clean training images.

The labelled and validation images come from `swift run -c release splitdump --seed S --labels L --out PREFIX`
(PREFIX-labelled.bin and PREFIX-validation.bin: per image one label byte and 784 pixel bytes); they are found in the
MNIST training file by content, and the unlabelled set is every other training image, as in MixupKit's recipe.

Usage: python mixmatch_reference.py --split PREFIX --mnist ../shared/data/mnist [--steps 16000] [--seed 0]
       [--threads 2]
Prints one JSON line: test and validation error of the final EMA weights, seconds, steps, and the test confusion
matrix (rows: true class, columns: predicted).
"""
import argparse
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path) as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * dims).reshape(shape)


def read_split(path):
    raw = np.fromfile(path, np.uint8)
    if raw.size % 785:
        sys.exit(f"{path}: {raw.size} bytes is not a whole number of 785-byte records")
    raw = raw.reshape(-1, 785)
    return raw[:, 1:], raw[:, 0].astype(np.int64)


def locate(train_images, train_labels, images, labels, what):
    """Indices of `images` in the training file (by content); every image must be found with its label."""
    where = {}
    for i, image in enumerate(train_images.reshape(len(train_images), -1)):
        where.setdefault(image.tobytes(), []).append(i)
    found = []
    for image, label in zip(images, labels):
        matches = [i for i in where.get(image.tobytes(), []) if train_labels[i] == label]
        if not matches:
            sys.exit(f"a {what} image (label {label}) is not in the MNIST training file")
        found.append(matches[0])
    return found


def ladder_mlp():
    widths = [784, 1000, 500, 250, 250, 250]
    layers = []
    for a, b in zip(widths, widths[1:]):
        layers += [nn.Linear(a, b), nn.BatchNorm1d(b), nn.ReLU()]
    return nn.Sequential(*layers, nn.Linear(widths[-1], 10))


def predict(model, x):
    """Predicted classes of `x` in evaluation mode, in batches of 1,000."""
    model.eval()
    with torch.no_grad():
        return torch.cat([model(x[i : i + 1000]).argmax(1) for i in range(0, len(x), 1000)])


def error(model, x, y):
    return (predict(model, x) != y).sum().item() / len(x)


def confusion(y, predicted):
    """Counts[true][predicted]."""
    counts = torch.zeros(10, 10, dtype=torch.long)
    counts.index_put_((y, predicted), torch.ones_like(y), accumulate=True)
    return counts.tolist()


def reestimate_batchnorm(model, x):
    """Cumulative-average BatchNorm statistics over `x` in batches of 500 (the weights are untouched)."""
    norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm1d)]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None
    model.train()
    with torch.no_grad():
        for i in range(0, len(x), 500):
            model(x[i : i + 500])
    for m in norms:
        m.momentum = 0.1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", required=True)
    parser.add_argument("--mnist", required=True)
    parser.add_argument("--steps", type=int, default=16000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--log-every", type=int, default=2000)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    train_images = read_idx(os.path.join(args.mnist, "train-images-idx3-ubyte.gz")).reshape(-1, 784)
    train_labels = read_idx(os.path.join(args.mnist, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    test_images = read_idx(os.path.join(args.mnist, "t10k-images-idx3-ubyte.gz")).reshape(-1, 784)
    test_labels = read_idx(os.path.join(args.mnist, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
    labelled_images, labelled_labels = read_split(args.split + "-labelled.bin")
    validation_images, validation_labels = read_split(args.split + "-validation.bin")
    labelled = locate(train_images, train_labels, labelled_images, labelled_labels, "labelled")
    validation = locate(train_images, train_labels, validation_images, validation_labels, "validation")
    unlabelled = np.setdiff1d(np.arange(len(train_images)), np.array(labelled + validation))

    def tensor(images):
        return torch.from_numpy(images.astype(np.float32) / 255)

    x_all = tensor(train_images)
    x_labelled, y_labelled = x_all[labelled], torch.from_numpy(train_labels[labelled])
    x_unlabelled = x_all[unlabelled]
    x_validation, y_validation = x_all[validation], torch.from_numpy(train_labels[validation])
    x_test, y_test = tensor(test_images), torch.from_numpy(test_labels)
    clean = x_all[np.concatenate([np.array(labelled), unlabelled])]
    clean = clean[torch.from_numpy(rng.permutation(len(clean))[:10000])]

    model = ladder_mlp()
    teacher = ladder_mlp()
    teacher.load_state_dict(model.state_dict())
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    decay_start = int(0.7 * args.steps)
    ramp_steps = 0.3 * args.steps
    one_hot = F.one_hot(y_labelled, 10).float()
    order, cursor = rng.permutation(len(x_unlabelled)), 0
    start = time.time()
    for step in range(args.steps):
        lr = 2e-3 if step < decay_start else 2e-3 * (args.steps - step) / (args.steps - decay_start)
        for group in optimizer.param_groups:
            group["lr"] = lr
        if cursor + 128 > len(order):
            order, cursor = rng.permutation(len(x_unlabelled)), 0
        u = x_unlabelled[torch.from_numpy(order[cursor : cursor + 128])]
        cursor += 128
        pick = torch.from_numpy(rng.permutation(len(x_labelled))[:100])
        x, p = x_labelled[pick], one_hot[pick]
        x = x + 0.3 * torch.randn_like(x)
        views = [u + 0.3 * torch.randn_like(u) for _ in range(2)]
        model.train()
        with torch.no_grad():
            guess = sum(F.softmax(model(v), 1) for v in views) / 2
            guess = guess ** (1 / 0.5)
            guess = guess / guess.sum(1, keepdim=True)
        inputs = torch.cat([x] + views)
        targets = torch.cat([p, guess, guess])
        lam = rng.beta(0.75, 0.75)
        lam = max(lam, 1 - lam)
        shuffle = torch.from_numpy(rng.permutation(len(inputs)))
        mixed = lam * inputs + (1 - lam) * inputs[shuffle]
        mixed_targets = lam * targets + (1 - lam) * targets[shuffle]
        logits = model(mixed)
        n = len(x)
        supervised = -(mixed_targets[:n] * F.log_softmax(logits[:n], 1)).sum(1).mean()
        consistency = ((F.softmax(logits[n:], 1) - mixed_targets[n:]) ** 2).mean()
        ramp = math.exp(-5 * (1 - step / ramp_steps) ** 2) if step < ramp_steps else 1.0
        loss = supervised + 75 * ramp * consistency
        if not torch.isfinite(loss):
            sys.exit(f"step {step}: the loss is {loss.item()}")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            for t, s in zip(teacher.parameters(), model.parameters()):
                t.mul_(0.999).add_(s, alpha=0.001)
            for t, s in zip(teacher.buffers(), model.buffers()):
                t.copy_(s)
        if args.log_every and (step + 1) % args.log_every == 0:
            print(json.dumps({"step": step + 1, "seconds": round(time.time() - start, 1), "loss": round(loss.item(), 4),
                              "ema_test_error": error(teacher, x_test, y_test)}), flush=True)
    reestimate_batchnorm(teacher, clean)
    predicted = predict(teacher, x_test)
    print(json.dumps({"split": args.split, "steps": args.steps, "seed": args.seed, "threads": args.threads,
                      "seconds": round(time.time() - start, 1), "test_error": (predicted != y_test).sum().item() / len(y_test),
                      "validation_error": error(teacher, x_validation, y_validation), "torch": torch.__version__,
                      "test_confusion": confusion(y_test, predicted)}))


if __name__ == "__main__":
    main()
