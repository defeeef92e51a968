// splitdump — writes the labelled and validation images of a MNIST semi-supervised recipe's split, so that a
// reference implementation outside MixupKit (Benchmarks/semi_supervised/mixmatch_reference.py) trains on exactly the
// images a `mixup run` of the same seed and label count uses.
//
//   splitdump --seed S --labels L --out PREFIX [--recipe mnist-mixmatch] [--data DIR]
//
// Writes PREFIX-labelled.bin and PREFIX-validation.bin: per image one label byte, then its 784 pixels as bytes
// (the recipe's [0, 1] values × 255, rounded). The unlabelled set is every other training image. Prints one JSON line
// with the three counts. Build and run with `swift run -c release splitdump ...`.
import Foundation
import MixupRecipes

/// A bad command line or a split that cannot be written, with the value at fault.
enum SplitDumpError: Error, CustomStringConvertible {
    case usage(String)
    case notSemiSupervised(recipe: String)
    case cannotWrite(path: String, reason: String)

    var description: String {
        switch self {
        case .usage(let message):
            "\(message)\nusage: splitdump --seed S --labels L --out PREFIX [--recipe NAME] [--data DIR]"
        case .notSemiSupervised(let recipe):
            "recipe '\(recipe)' has no labelled/unlabelled/validation split (use an MNIST semi-supervised recipe)"
        case .cannotWrite(let path, let reason):
            "cannot write '\(path)': \(reason)"
        }
    }
}

/// `--name value` pairs, every name checked against the known ones.
func parse(_ arguments: [String]) throws -> [String: String] {
    let known: Set = ["--seed", "--labels", "--out", "--recipe", "--data"]
    var values: [String: String] = [:]
    var rest = arguments[...]
    while let name = rest.popFirst() {
        guard known.contains(name) else { throw SplitDumpError.usage("unknown flag '\(name)'") }
        guard let value = rest.popFirst() else { throw SplitDumpError.usage("\(name) needs a value") }
        values[name] = value
    }
    return values
}

/// One label byte and the sample's values × 255 as bytes, per sample.
func records(_ dataset: Dataset) -> Data {
    var bytes = [UInt8]()
    bytes.reserveCapacity(dataset.count * (dataset.sampleSize + 1))
    for index in 0..<dataset.count {
        bytes.append(UInt8(clamping: dataset.labels?[index] ?? 255))
        for value in dataset.samples[(index * dataset.sampleSize)..<((index + 1) * dataset.sampleSize)] {
            bytes.append(UInt8(clamping: Int((value * 255).rounded())))
        }
    }
    return Data(bytes)
}

do {
    let flags = try parse(Array(CommandLine.arguments.dropFirst()))
    guard let seedText = flags["--seed"], let seed = UInt64(seedText) else {
        throw SplitDumpError.usage("--seed needs a non-negative integer, got '\(flags["--seed"] ?? "nothing")'")
    }
    guard let labelsText = flags["--labels"], let labels = Int(labelsText), labels > 0 else {
        throw SplitDumpError.usage("--labels needs a positive integer, got '\(flags["--labels"] ?? "nothing")'")
    }
    guard let prefix = flags["--out"] else { throw SplitDumpError.usage("--out PREFIX is required") }
    let name = flags["--recipe"] ?? "mnist-mixmatch"
    guard let recipe = BuiltinRecipes.all.first(where: { $0.name == name }) else {
        throw SplitDumpError.usage("unknown recipe '\(name)'")
    }
    let data = try recipe.data(DataRequest(path: flags["--data"], seed: seed, labels: labels))
    guard let unlabelled = data.unlabelled, let validation = data.validation else {
        throw SplitDumpError.notSemiSupervised(recipe: name)
    }
    for (dataset, suffix) in [(data.train, "-labelled.bin"), (validation, "-validation.bin")] {
        let path = prefix + suffix
        do {
            try records(dataset).write(to: URL(fileURLWithPath: path))
        } catch {
            throw SplitDumpError.cannotWrite(path: path, reason: (error as NSError).localizedDescription)
        }
    }
    print(
        #"{"recipe":"\#(name)","seed":\#(seed),"labelled":\#(data.train.count),"#
            + #""validation":\#(validation.count),"unlabelled":\#(unlabelled.count)}"#)
} catch {
    FileHandle.standardError.write(Data("splitdump: \(error)\n".utf8))
    exit(1)
}
