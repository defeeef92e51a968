// mixbench — the release-only benchmark of MixupKit's engine. One JSON line on stdout per invocation.
//
//   mixbench gemm  --size N --threads T [--repeats R]
//   mixbench train --workload mlp|cnn|resnet --variant erm|mixup|manifold|cutmix --threads T [--steps S] [--batch B]
//                  [--warmup W] [--seed S] [--profile] [--release-memory]
//   mixbench infer --workload mlp|cnn|resnet --threads T [--batch B] [--steps S] [--warmup W] [--release-memory]
//   mixbench ladder --threads T [--labelled L] [--unlabelled U] [--steps S] [--warmup W] [--release-memory]
//   mixbench conv  --channels C --out-channels K --size S --threads T [--batch B] [--repeats R]
//
// `conv` times one 3×3, stride-1, padding-1 convolution layer (forward, and backward: input and filter gradients);
// MIXUP_WINOGRAD=0 or 1 in the environment turns its Winograd path off or on for every channel count.
//
// Freed tensor memory is kept for reuse (ComputeMemory.retainFreedMemory(), as the `mixup` tool does);
// --release-memory measures the allocator's defaults instead (--retain-memory, the former opt-in, is the default).
//
// Build and run with `swift run -c release mixbench ...`. Diagnostics go to stderr; `--profile` (train) also prints a
// phase breakdown (forward, backward, optimizer) to stderr (the JSON line stays the only thing on stdout).
import CMixupKernels
import Foundation
import MixupKit

// MARK: - Command line

struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

let usage = """
    usage:
      mixbench gemm  --size N --threads T [--repeats R]
      mixbench train --workload mlp|cnn|resnet --variant erm|mixup|manifold|cutmix --threads T [--steps S] [--batch B] [--warmup W] [--seed S] [--profile] [--release-memory]
      mixbench infer --workload mlp|cnn|resnet --threads T [--batch B] [--steps S] [--warmup W] [--release-memory]
      mixbench ladder --threads T [--labelled L] [--unlabelled U] [--steps S] [--warmup W] [--release-memory]
      mixbench conv  --channels C --out-channels K --size S --threads T [--batch B] [--repeats R]
    """

/// Hand-rolled flag parsing: `--name value` pairs plus boolean switches, every flag checked against `allowed`.
struct Flags {
    var values: [String: String] = [:]
    var switches: Set<String> = []

    init(_ arguments: ArraySlice<String>, allowed: Set<String>, switches allowedSwitches: Set<String> = []) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard flag.hasPrefix("--") else { throw UsageError("unexpected argument '\(flag)' (flags start with --)") }
            let name = String(flag.dropFirst(2))
            if allowedSwitches.contains(name) {
                switches.insert(name)
                continue
            }
            guard allowed.contains(name) else {
                let known = (allowed.union(allowedSwitches)).sorted().map { "--\($0)" }.joined(separator: ", ")
                throw UsageError("unknown flag '\(flag)'; expected one of \(known)")
            }
            guard let value = rest.popFirst(), !value.hasPrefix("--") else {
                throw UsageError("flag '\(flag)' needs a value")
            }
            guard values[name] == nil else { throw UsageError("flag '\(flag)' given twice") }
            values[name] = value
        }
    }

    func int(_ name: String, default fallback: Int? = nil, minimum: Int = 1) throws -> Int {
        guard let text = values[name] else {
            if let fallback { return fallback }
            throw UsageError("missing required flag --\(name)")
        }
        guard let value = Int(text) else { throw UsageError("--\(name) expects an integer, got '\(text)'") }
        guard value >= minimum else { throw UsageError("--\(name) must be at least \(minimum), got \(value)") }
        return value
    }

    func choice(_ name: String, _ options: [String], default fallback: String? = nil) throws -> String {
        guard let text = values[name] ?? fallback else {
            throw UsageError("missing required flag --\(name) (one of \(options.joined(separator: "|")))")
        }
        guard options.contains(text) else {
            throw UsageError("--\(name) must be one of \(options.joined(separator: "|")), got '\(text)'")
        }
        return text
    }
}

// MARK: - Measurement helpers

@inline(__always)
func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func median(_ values: [Double]) -> Double {
    precondition(!values.isEmpty)
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/// Current resident set size in MiB (VmRSS).
func currentRSSMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        if let kb = line.split(separator: " ").compactMap({ Double($0) }).first { return kb / 1024 }
    }
    return .nan
}

/// Peak resident set size in MiB (VmHWM from /proc/self/status; getrusage as a fallback).
func peakRSSMegabytes() -> Double {
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.split(separator: " ").compactMap { Double($0) }
            if let kb = digits.first { return kb / 1024 }
        }
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// The memory switches every training/inference command accepts (`--retain-memory`, the former opt-in, is the
/// default and accepted for old command lines).
let memorySwitches: Set<String> = ["release-memory", "retain-memory"]

/// Keeps freed tensor memory for reuse, as the `mixup` tool does (see ComputeMemory), unless `--release-memory`
/// asks for the allocator's defaults. Returns whether memory is retained (for the JSON line).
func applyMemorySetting(_ flags: Flags) -> Bool {
    !flags.switches.contains("release-memory") && ComputeMemory.retainFreedMemory()
}

/// CPU time (user + system) consumed by the process so far, in seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}

/// A JSON object printed on one line with keys in insertion order.
struct JSONLine {
    private var fields: [String] = []
    mutating func add(_ key: String, _ value: String) { fields.append("\"\(key)\":\"\(value)\"") }
    mutating func add(_ key: String, _ value: Int) { fields.append("\"\(key)\":\(value)") }
    mutating func add(_ key: String, _ value: Double, digits: Int = 2) {
        fields.append("\"\(key)\":" + (value.isFinite ? String(format: "%.\(digits)f", value) : "null"))
    }
    mutating func add(_ key: String, _ value: Bool) { fields.append("\"\(key)\":\(value)") }
    var text: String { "{" + fields.joined(separator: ",") + "}" }
}

// MARK: - gemm

func runGEMM(_ flags: Flags) throws {
    let size = try flags.int("size")
    let threads = try flags.int("threads")
    let repeats = try flags.int("repeats", default: 5)
    ComputeThreads.set(threads)
    var generator = SeededGenerator(seed: 1)
    let a = (0..<(size * size)).map { _ in generator.nextUnitFloat() - 0.5 }
    let b = (0..<(size * size)).map { _ in generator.nextUnitFloat() - 0.5 }
    var c = [Float](repeating: 0, count: size * size)
    let n = size
    func once() -> Double {
        let start = now()
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    mk_sgemm(0, 0, n, n, n, 1, pa.baseAddress, n, pb.baseAddress, n, 0, pc.baseAddress, n)
                }
            }
        }
        return Double(now() - start) / 1e9
    }
    _ = once()  // warm-up: thread pool start, packing buffers
    var times: [Double] = []
    for _ in 0..<repeats { times.append(once()) }
    let flops = 2 * Double(size) * Double(size) * Double(size)
    var json = JSONLine()
    json.add("op", "gemm")
    json.add("size", size)
    json.add("threads", threads)
    json.add("gflops", flops / times.min()! / 1e9)
    json.add("gflops_median", flops / median(times) / 1e9)
    json.add("repeats", repeats)
    json.add("kernel", ComputeThreads.kernelName)
    print(json.text)
}

// MARK: - Workloads

enum Workload: String {
    case mlp, cnn, resnet

    /// The per-sample input shape.
    var sampleShape: [Int] {
        switch self {
        case .mlp, .cnn: [1, 28, 28]
        case .resnet: [3, 32, 32]
        }
    }

    func makeModel(using generator: inout SeededGenerator) throws -> MixableSequential {
        switch self {
        case .mlp: Models.mlp(inputSize: 784, hiddenSizes: [1024, 1024], classCount: 10, using: &generator)
        case .cnn: try Models.cnn(using: &generator)
        case .resnet: Models.preActResNet20(using: &generator)
        }
    }
}

func makeRegularizer(_ variant: String) throws -> Regularizer {
    switch variant {
    case "erm": return .erm
    case "mixup": return try .mixup(alpha: 1)
    case "manifold": return try .manifoldMixup(alpha: 2)
    case "cutmix": return try .cutMix(alpha: 1)
    default: throw UsageError("unknown variant '\(variant)'")
    }
}

// MARK: - train

func runTrain(_ flags: Flags) throws {
    let workload = Workload(rawValue: try flags.choice("workload", ["mlp", "cnn", "resnet"]))!
    let variant = try flags.choice("variant", ["erm", "mixup", "manifold", "cutmix"])
    let threads = try flags.int("threads")
    let batch = try flags.int("batch", default: 128)
    let steps = try flags.int("steps", default: workload == .mlp ? 30 : 12)
    let warmup = try flags.int("warmup", default: 3, minimum: 0)
    let seed = try flags.int("seed", default: 0, minimum: 0)
    let profile = flags.switches.contains("profile")
    let retainMemory = applyMemorySetting(flags)
    ComputeThreads.set(threads)  // before anything is built

    var generator = SeededGenerator(seed: UInt64(seed))
    let model = try workload.makeModel(using: &generator)
    let optimizer = SGD(parameters: model.allParameters, learningRate: 0.01, momentum: 0.9)
    let regularizer = try makeRegularizer(variant)
    let classCount = 10
    let input = Tensor.normal([batch] + workload.sampleShape, using: &generator)
    let labels = (0..<batch).map { _ in generator.nextIndex(below: classCount) }
    let targets = Tensor.oneHot(labels, classCount: classCount)
    var context = ForwardContext(isTraining: true, generator: generator.split())

    let rssBeforeTraining = currentRSSMegabytes()
    var rssAfterForward = 0.0
    var times: [Double] = []
    var phases: [[Double]] = [[], [], []]
    var lastLoss: Float = .nan
    var cpuStart = processCPUSeconds(), wallStart = now()
    var rssAfterWarmup = currentRSSMegabytes()
    for step in 0..<(warmup + steps) {
        if step == warmup {
            (cpuStart, wallStart, rssAfterWarmup) = (processCPUSeconds(), now(), currentRSSMegabytes())
        }
        let start = now()
        let mixed = try regularizer.forward(
            model, input: input, labels: targets, epoch: 0, context: &context, using: &generator)
        let loss = softmaxCrossEntropy(logits: mixed.output, softTargets: mixed.targets.soft)
        let forwardEnd = now()
        if profile { rssAfterForward = max(rssAfterForward, currentRSSMegabytes()) }
        loss.backward()
        let backwardEnd = now()
        optimizer.step()
        optimizer.zeroGradients()
        let end = now()
        lastLoss = loss.scalar
        if step >= warmup {
            times.append(Double(end - start) / 1e9)
            phases[0].append(Double(forwardEnd - start) / 1e6)
            phases[1].append(Double(backwardEnd - forwardEnd) / 1e6)
            phases[2].append(Double(end - backwardEnd) / 1e6)
        }
    }
    let cpuUtilization = (processCPUSeconds() - cpuStart) / (Double(now() - wallStart) / 1e9)
    if profile {
        let text = String(
            format: "mixbench: median phases (ms): forward+loss %.2f, backward %.2f, optimizer %.2f; RSS (MiB): "
                + "model+data built %.1f, after forward (graph alive) %.1f, peak %.1f; parameters %.2f MiB\n",
            median(phases[0]), median(phases[1]), median(phases[2]), rssBeforeTraining, rssAfterForward,
            peakRSSMegabytes(), Double(model.parameterCount * 4) / 1048576)
        FileHandle.standardError.write(Data(text.utf8))
    }
    guard lastLoss.isFinite else { throw UsageError("training diverged (loss \(lastLoss))") }
    let stepTime = median(times)
    var json = JSONLine()
    json.add("op", "train")
    json.add("workload", workload.rawValue)
    json.add("variant", variant)
    json.add("threads", threads)
    json.add("batch", batch)
    json.add("samples_per_s", Double(batch) / stepTime, digits: 1)
    json.add("step_ms_median", stepTime * 1000, digits: 3)
    json.add("step_ms_min", times.min()! * 1000, digits: 3)
    json.add("steps", steps)
    json.add("warmup", warmup)
    json.add("peak_rss_mb", peakRSSMegabytes(), digits: 1)
    // RSS growth over the timed steps: stays near 0 when memory is reused from step to step.
    json.add("rss_growth_mb", currentRSSMegabytes() - rssAfterWarmup, digits: 1)
    json.add("cpu_util", cpuUtilization)
    json.add("retain_memory", retainMemory)
    json.add("parameters", model.parameterCount)
    json.add("loss", Double(lastLoss), digits: 4)
    json.add("kernel", ComputeThreads.kernelName)
    print(json.text)
}

// MARK: - infer

func runInfer(_ flags: Flags) throws {
    let workload = Workload(rawValue: try flags.choice("workload", ["mlp", "cnn", "resnet"]))!
    let threads = try flags.int("threads")
    let batch = try flags.int("batch", default: 512)
    let steps = try flags.int("steps", default: workload == .mlp ? 30 : 10)
    let warmup = try flags.int("warmup", default: 2, minimum: 0)
    let retainMemory = applyMemorySetting(flags)
    ComputeThreads.set(threads)

    var generator = SeededGenerator(seed: 0)
    let model = try workload.makeModel(using: &generator)
    let input = Tensor.normal([batch] + workload.sampleShape, using: &generator)
    var times: [Double] = []
    var checksum: Float = 0
    var cpuStart = processCPUSeconds(), wallStart = now()
    for step in 0..<(warmup + steps) {
        if step == warmup { (cpuStart, wallStart) = (processCPUSeconds(), now()) }
        let start = now()
        let output = model.inferring(input)
        let elapsed = Double(now() - start) / 1e9
        checksum = output.scalars[0]
        if step >= warmup { times.append(elapsed) }
    }
    let cpuUtilization = (processCPUSeconds() - cpuStart) / (Double(now() - wallStart) / 1e9)
    guard checksum.isFinite else { throw UsageError("inference produced a non-finite output") }
    let stepTime = median(times)
    var json = JSONLine()
    json.add("op", "infer")
    json.add("workload", workload.rawValue)
    json.add("threads", threads)
    json.add("batch", batch)
    json.add("samples_per_s", Double(batch) / stepTime, digits: 1)
    json.add("step_ms_median", stepTime * 1000, digits: 3)
    json.add("steps", steps)
    json.add("peak_rss_mb", peakRSSMegabytes(), digits: 1)
    json.add("cpu_util", cpuUtilization)
    json.add("retain_memory", retainMemory)
    json.add("kernel", ComputeThreads.kernelName)
    print(json.text)
}

// MARK: - ladder

/// One semi-supervised step on the Ladder-style MLP 784-1000-500-250-250-250-10 with BatchNorm after every hidden
/// Linear: cross-entropy on `labelled` samples plus a consistency term (mean squared error between the softmax of a
/// noisy unlabelled batch and the gradient-free softmax of the clean one), then backward and an SGD update.
/// `Benchmarks/torch_bench.py ladder` runs the same step in PyTorch.
func runLadder(_ flags: Flags) throws {
    let threads = try flags.int("threads")
    let labelledCount = try flags.int("labelled", default: 100)
    let unlabelledCount = try flags.int("unlabelled", default: 256)
    let steps = try flags.int("steps", default: 30)
    let warmup = try flags.int("warmup", default: 3, minimum: 0)
    let retainMemory = applyMemorySetting(flags)
    ComputeThreads.set(threads)

    var generator = SeededGenerator(seed: 0)
    let model = Models.mlp(
        inputSize: 784, hiddenSizes: [1000, 500, 250, 250, 250], classCount: 10, batchNorm: true, using: &generator)
    let optimizer = SGD(parameters: model.allParameters, learningRate: 0.01, momentum: 0.9)
    let labelled = Tensor.normal([labelledCount, 784], using: &generator)
    let labels = (0..<labelledCount).map { _ in generator.nextIndex(below: 10) }
    let unlabelled = Tensor.normal([unlabelledCount, 784], using: &generator)
    let noisy = unlabelled + Tensor.normal([unlabelledCount, 784], using: &generator) * 0.3
    var context = ForwardContext(isTraining: true, generator: generator.split())

    var times: [Double] = []
    var lastLoss: Float = .nan
    var cpuStart = processCPUSeconds(), wallStart = now()
    for step in 0..<(warmup + steps) {
        if step == warmup { (cpuStart, wallStart) = (processCPUSeconds(), now()) }
        let start = now()
        let supervised = softmaxCrossEntropy(logits: model(labelled, context: &context), labels: labels)
        let target = withoutGradients { model(unlabelled, context: &context).softmax() }
        let prediction = model(noisy, context: &context).softmax()
        let loss = supervised + meanSquaredError(predictions: prediction, targets: target)
        loss.backward()
        optimizer.step()
        optimizer.zeroGradients()
        lastLoss = loss.scalar
        if step >= warmup { times.append(Double(now() - start) / 1e9) }
    }
    let cpuUtilization = (processCPUSeconds() - cpuStart) / (Double(now() - wallStart) / 1e9)
    guard lastLoss.isFinite else { throw UsageError("training diverged (loss \(lastLoss))") }
    let stepTime = median(times)
    var json = JSONLine()
    json.add("op", "ladder")
    json.add("threads", threads)
    json.add("labelled", labelledCount)
    json.add("unlabelled", unlabelledCount)
    json.add("samples_per_s", Double(labelledCount + unlabelledCount) / stepTime, digits: 1)
    json.add("step_ms_median", stepTime * 1000, digits: 3)
    json.add("steps", steps)
    json.add("peak_rss_mb", peakRSSMegabytes(), digits: 1)
    json.add("cpu_util", cpuUtilization)
    json.add("retain_memory", retainMemory)
    json.add("loss", Double(lastLoss), digits: 4)
    json.add("kernel", ComputeThreads.kernelName)
    print(json.text)
}

// MARK: - conv

func runConv(_ flags: Flags) throws {
    let channels = try flags.int("channels"), outChannels = try flags.int("out-channels")
    let size = try flags.int("size"), threads = try flags.int("threads")
    let batch = try flags.int("batch", default: 128), repeats = try flags.int("repeats", default: 10)
    ComputeThreads.set(threads)
    _ = ComputeMemory.retainFreedMemory()
    var generator = SeededGenerator(seed: 1)
    let input = Parameter(Tensor.uniform([batch, channels, size, size], lower: -1, upper: 1, using: &generator))
    let filter = Parameter(Tensor.uniform([outChannels, channels, 3, 3], lower: -0.1, upper: 0.1, using: &generator))
    let upstream = Tensor.uniform([batch, outChannels, size, size], lower: -1, upper: 1, using: &generator)
    var forward: [Double] = [], backward: [Double] = []
    for repeat_ in 0...repeats {
        input.gradient = nil
        filter.gradient = nil
        let start = now()
        let output = Tensor.conv2d(input.tracked, filter: filter.tracked, padding: 1)
        let middle = now()
        (output * upstream).sum().backward()
        let end = now()
        if repeat_ > 0 {  // the first is a warm-up
            forward.append(Double(middle - start) / 1e6)
            backward.append(Double(end - middle) / 1e6)
        }
    }
    let macs = Double(batch * outChannels * channels * 9 * size * size)
    var json = JSONLine()
    json.add("op", "conv")
    json.add("channels", channels)
    json.add("out_channels", outChannels)
    json.add("size", size)
    json.add("batch", batch)
    json.add("threads", threads)
    json.add("forward_ms_median", median(forward), digits: 3)
    json.add("backward_ms_median", median(backward), digits: 3)
    json.add("forward_gflops", 2 * macs / median(forward) / 1e6, digits: 1)
    json.add("winograd", mk_winograd_f2x3_applies(channels, outChannels) == 1)
    json.add("kernel", ComputeThreads.kernelName)
    print(json.text)
}

// MARK: - main

let arguments = CommandLine.arguments
do {
    guard arguments.count >= 2 else { throw UsageError("missing command") }
    let rest = arguments.dropFirst(2)
    switch arguments[1] {
    case "gemm": try runGEMM(Flags(rest, allowed: ["size", "threads", "repeats"]))
    case "train":
        try runTrain(
            Flags(
                rest, allowed: ["workload", "variant", "threads", "steps", "batch", "warmup", "seed"],
                switches: memorySwitches.union(["profile"])))
    case "infer":
        try runInfer(
            Flags(
                rest, allowed: ["workload", "threads", "batch", "steps", "warmup"],
                switches: memorySwitches))
    case "ladder":
        try runLadder(
            Flags(
                rest, allowed: ["threads", "labelled", "unlabelled", "steps", "warmup"],
                switches: memorySwitches))
    case "conv":
        try runConv(Flags(rest, allowed: ["channels", "out-channels", "size", "threads", "batch", "repeats"]))
    case "-h", "--help", "help":
        print(usage)
    default: throw UsageError("unknown command '\(arguments[1])'")
    }
} catch let error as UsageError {
    FileHandle.standardError.write(Data("mixbench: \(error.description)\n\(usage)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("mixbench: \(error)\n".utf8))
    exit(1)
}
