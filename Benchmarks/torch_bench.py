#!/usr/bin/env python3
"""The PyTorch side of the side-by-side benchmark: the same workloads as `mixbench`, one JSON line per invocation.

    torch_bench.py gemm   --size N --threads T [--repeats R]           (numpy's BLAS, as the GEMM reference)
    torch_bench.py train  --workload mlp|cnn|resnet --variant erm|mixup|manifold|cutmix --threads T [--steps S]
                          [--batch B] [--warmup W]
    torch_bench.py infer  --workload mlp|cnn|resnet --threads T [--batch B] [--steps S] [--warmup W]
    torch_bench.py ladder --threads T [--labelled L] [--unlabelled U] [--steps S] [--warmup W]

The models, mixing variants, optimizer (SGD, lr 0.01, momentum 0.9), batch sizes and defaults mirror
Benchmarks/mixbench/main.swift; `side_by_side.py` runs both and prints the ratio table. Threads are fixed before any
work (intra-op threads = T, inter-op threads = 1).
"""

import argparse
import json
import os
import resource
import sys
import time


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median(values):
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def run_gemm(args):
    # numpy's BLAS reads its thread count from the environment at import time.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(args.threads)
    import numpy as np

    n = args.size
    rng = np.random.default_rng(1)
    a = (rng.random((n, n), dtype=np.float32) - 0.5).astype(np.float32)
    b = (rng.random((n, n), dtype=np.float32) - 0.5).astype(np.float32)
    c = np.empty((n, n), dtype=np.float32)
    np.matmul(a, b, out=c)
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        np.matmul(a, b, out=c)
        times.append(time.perf_counter() - start)
    flops = 2.0 * n * n * n
    config = np.show_config(mode="dicts") if hasattr(np, "show_config") else {}
    blas = config.get("Build Dependencies", {}).get("blas", {}).get("name", "unknown") if config else "unknown"
    print(json.dumps({
        "op": "gemm", "size": n, "threads": args.threads, "gflops": round(flops / min(times) / 1e9, 2),
        "gflops_median": round(flops / median(times) / 1e9, 2), "repeats": args.repeats,
        "kernel": f"numpy {np.__version__} {blas}",
    }))


def build(workload, torch, nn):
    """Returns (blocks, mix_points): the model as a list of blocks; mix point k mixes the input of block k."""
    if workload == "mlp":
        blocks = [
            nn.Sequential(nn.Flatten(), nn.Linear(784, 1024), nn.ReLU()),
            nn.Sequential(nn.Linear(1024, 1024), nn.ReLU()),
            nn.Linear(1024, 10),
        ]
        return blocks, [0, 1, 2]
    if workload == "cnn":
        def conv_block(cin, cout):
            return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]

        blocks = [
            nn.Sequential(*conv_block(1, 32), *conv_block(32, 32), nn.MaxPool2d(2)),
            nn.Sequential(*conv_block(32, 64), *conv_block(64, 64), nn.MaxPool2d(2)),
            nn.Sequential(nn.Flatten(), nn.Linear(64 * 7 * 7, 256), nn.ReLU(), nn.Linear(256, 10)),
        ]
        return blocks, [0, 1, 2]

    class PreActBlock(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.bn1 = nn.BatchNorm2d(cin)
            self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
            self.shortcut = (
                nn.Conv2d(cin, cout, 1, stride=stride, bias=False) if stride != 1 or cin != cout else None)

        def forward(self, x):
            activated = torch.relu(self.bn1(x))
            identity = self.shortcut(activated) if self.shortcut is not None else x
            out = self.conv1(activated)
            out = self.conv2(torch.relu(self.bn2(out)))
            return out + identity

    blocks = [nn.Conv2d(3, 16, 3, padding=1, bias=False)]
    channels = 16
    for stage, width in enumerate((16, 32, 64)):
        layers = []
        for index in range(3):
            layers.append(PreActBlock(channels, width, 2 if stage > 0 and index == 0 else 1))
            channels = width
        blocks.append(nn.Sequential(*layers))
    blocks.append(nn.Sequential(
        nn.BatchNorm2d(channels), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, 10)))
    # MixupKit's points: the input and every stage boundary (after blocks 1, 2, 3 of [stem, s1, s2, s3, head]).
    return blocks, [0, 2, 3, 4]


def sample_shape(workload):
    return (3, 32, 32) if workload == "resnet" else (1, 28, 28)


def setup_threads(torch, threads):
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass


def run_train(args):
    import numpy as np
    import torch
    from torch import nn
    import torch.nn.functional as F

    setup_threads(torch, args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    blocks, points = build(args.workload, torch, nn)
    model = nn.Sequential(*blocks)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    batch = args.batch
    x = torch.randn((batch,) + sample_shape(args.workload))
    labels = torch.randint(0, 10, (batch,))
    targets = F.one_hot(labels, 10).float()
    steps = args.steps if args.steps else (30 if args.workload == "mlp" else 12)

    def forward_step():
        if args.variant == "erm":
            return model(x), targets
        perm = torch.from_numpy(rng.permutation(batch))
        if args.variant == "cutmix":
            lam = rng.beta(1.0, 1.0)
            _, h, w = sample_shape(args.workload)
            cut = np.sqrt(1 - lam)
            ch, cw = int(h * cut), int(w * cut)
            cy, cx = rng.integers(h), rng.integers(w)
            y0, y1 = np.clip(cy - ch // 2, 0, h), np.clip(cy + ch // 2, 0, h)
            x0, x1 = np.clip(cx - cw // 2, 0, w), np.clip(cx + cw // 2, 0, w)
            mixed = x.clone()
            mixed[:, :, y0:y1, x0:x1] = x[perm][:, :, y0:y1, x0:x1]
            realised = 1 - (y1 - y0) * (x1 - x0) / (h * w)
            return model(mixed), realised * targets + (1 - realised) * targets[perm]
        alpha = 1.0 if args.variant == "mixup" else 2.0
        lam = float(rng.beta(alpha, alpha))
        point = 0 if args.variant == "mixup" else points[rng.integers(len(points))]
        h = x
        for index, block in enumerate(blocks):
            if index == point:
                h = lam * h + (1 - lam) * h[perm]
            h = block(h)
        return h, lam * targets + (1 - lam) * targets[perm]

    times = []
    loss = None
    for step in range(args.warmup + steps):
        if step == args.warmup:
            cpu_start, wall_start = cpu_seconds(), time.perf_counter()
        start = time.perf_counter()
        logits, soft = forward_step()
        loss = F.cross_entropy(logits, soft)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        value = loss.item()
        if step >= args.warmup:
            times.append(time.perf_counter() - start)
    util = (cpu_seconds() - cpu_start) / (time.perf_counter() - wall_start)
    step_time = median(times)
    print(json.dumps({
        "op": "train", "workload": args.workload, "variant": args.variant, "threads": args.threads, "batch": batch,
        "samples_per_s": round(batch / step_time, 1), "step_ms_median": round(step_time * 1000, 3),
        "step_ms_min": round(min(times) * 1000, 3), "steps": steps, "warmup": args.warmup,
        "peak_rss_mb": round(peak_rss_mb(), 1), "cpu_util": round(util, 2),
        "parameters": sum(p.numel() for p in model.parameters()), "loss": round(value, 4),
        "kernel": f"torch {torch.__version__}",
    }))


def run_infer(args):
    import torch
    from torch import nn

    setup_threads(torch, args.threads)
    torch.manual_seed(0)
    blocks, _ = build(args.workload, torch, nn)
    model = nn.Sequential(*blocks).eval()
    batch = args.batch
    x = torch.randn((batch,) + sample_shape(args.workload))
    steps = args.steps if args.steps else (30 if args.workload == "mlp" else 10)
    warmup = args.warmup if args.warmup is not None else 2
    times = []
    with torch.inference_mode():
        for step in range(warmup + steps):
            if step == warmup:
                cpu_start, wall_start = cpu_seconds(), time.perf_counter()
            start = time.perf_counter()
            out = model(x)
            checksum = float(out[0, 0])
            if step >= warmup:
                times.append(time.perf_counter() - start)
    util = (cpu_seconds() - cpu_start) / (time.perf_counter() - wall_start)
    step_time = median(times)
    print(json.dumps({
        "op": "infer", "workload": args.workload, "threads": args.threads, "batch": batch,
        "samples_per_s": round(batch / step_time, 1), "step_ms_median": round(step_time * 1000, 3), "steps": steps,
        "peak_rss_mb": round(peak_rss_mb(), 1), "cpu_util": round(util, 2), "checksum": checksum,
        "kernel": f"torch {torch.__version__}",
    }))


def run_ladder(args):
    import torch
    from torch import nn
    import torch.nn.functional as F

    setup_threads(torch, args.threads)
    torch.manual_seed(0)
    layers = [nn.Flatten()]
    width = 784
    for size in (1000, 500, 250, 250, 250):
        layers += [nn.Linear(width, size), nn.BatchNorm1d(size), nn.ReLU()]
        width = size
    layers.append(nn.Linear(width, 10))
    model = nn.Sequential(*layers).train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    labelled = torch.randn(args.labelled, 784)
    labels = torch.randint(0, 10, (args.labelled,))
    unlabelled = torch.randn(args.unlabelled, 784)
    noisy = unlabelled + 0.3 * torch.randn(args.unlabelled, 784)
    steps = args.steps if args.steps else 30
    times = []
    for step in range(args.warmup + steps):
        if step == args.warmup:
            cpu_start, wall_start = cpu_seconds(), time.perf_counter()
        start = time.perf_counter()
        supervised = F.cross_entropy(model(labelled), labels)
        with torch.no_grad():
            target = torch.softmax(model(unlabelled), dim=1)
        prediction = torch.softmax(model(noisy), dim=1)
        loss = supervised + F.mse_loss(prediction, target)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        value = loss.item()
        if step >= args.warmup:
            times.append(time.perf_counter() - start)
    util = (cpu_seconds() - cpu_start) / (time.perf_counter() - wall_start)
    step_time = median(times)
    print(json.dumps({
        "op": "ladder", "threads": args.threads, "labelled": args.labelled, "unlabelled": args.unlabelled,
        "samples_per_s": round((args.labelled + args.unlabelled) / step_time, 1),
        "step_ms_median": round(step_time * 1000, 3), "steps": steps, "peak_rss_mb": round(peak_rss_mb(), 1),
        "cpu_util": round(util, 2), "loss": round(value, 4), "kernel": f"torch {torch.__version__}",
    }))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    gemm = commands.add_parser("gemm")
    gemm.add_argument("--size", type=int, required=True)
    gemm.add_argument("--threads", type=int, required=True)
    gemm.add_argument("--repeats", type=int, default=5)
    train = commands.add_parser("train")
    train.add_argument("--workload", choices=["mlp", "cnn", "resnet"], required=True)
    train.add_argument("--variant", choices=["erm", "mixup", "manifold", "cutmix"], required=True)
    train.add_argument("--threads", type=int, required=True)
    train.add_argument("--steps", type=int, default=0)
    train.add_argument("--batch", type=int, default=128)
    train.add_argument("--warmup", type=int, default=3)
    train.add_argument("--seed", type=int, default=0)
    infer = commands.add_parser("infer")
    infer.add_argument("--workload", choices=["mlp", "cnn", "resnet"], required=True)
    infer.add_argument("--threads", type=int, required=True)
    infer.add_argument("--batch", type=int, default=512)
    infer.add_argument("--steps", type=int, default=0)
    infer.add_argument("--warmup", type=int, default=2)
    ladder = commands.add_parser("ladder")
    ladder.add_argument("--threads", type=int, required=True)
    ladder.add_argument("--labelled", type=int, default=100)
    ladder.add_argument("--unlabelled", type=int, default=256)
    ladder.add_argument("--steps", type=int, default=0)
    ladder.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args(argv)
    {"gemm": run_gemm, "train": run_train, "infer": run_infer, "ladder": run_ladder}[args.command](args)


if __name__ == "__main__":
    main(sys.argv[1:])
