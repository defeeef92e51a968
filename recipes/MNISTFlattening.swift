import Foundation
import MixupRunner

extension Recipe {
    /// The flattening experiment of Verma et al. (2019), §3.2 and App. G: the 12-unit bottleneck MLP (784 → 3×1024
    /// LeakyReLU → 12 → 4×1024 → 10) trained with ERM and with Manifold Mixup at the bottleneck only (α = 2); the
    /// report measures the singular values of each class's bottleneck representations on the test set and writes
    /// `flattening.json`. 5,000 training images are held out as a validation split (used by `mixup analyze` to fit
    /// the temperature of temperature scaling).
    public static var mnistFlattening: Recipe {
        Recipe(
            name: "mnist-flattening",
            summary: "MNIST, 12-unit bottleneck MLP (App. G): ERM vs Manifold Mixup at the bottleneck; flattening.json",
            data: BuiltinData.mnistWithValidation,
            model: { generator in Models.appendixGBottleneck(using: &generator) },
            regularizer: .erm,
            comparison: [.erm, .builtin { try .manifoldMixup(alpha: 2, mixPoints: ["bottleneck"]) }],
            optimizer: .adam(learningRate: 1e-3, weightDecay: 0, decoupled: false),
            schedule: .cosine, epochs: 10, batchSize: 128,
            report: { report in
                guard let test = report.data.test else { return }
                var entries: [String: FlatteningReport] = [:]
                var lines: [String] = []
                for run in report.runs {
                    let point = try run.model.mixPoint(named: "bottleneck")
                    let flattening = try FlatteningReport.measure(model: run.model, at: point, on: test)
                    entries[run.regularizer.name] = flattening
                    lines.append(
                        String(
                            format:
                                "%@: largest singular value %.2f, sum of the others %.2f (mean over classes, %d test samples per class or fewer)",
                            run.regularizer.name, flattening.meanLargest, flattening.meanSumOfRest,
                            flattening.perClass.map(\.sampleCount).max() ?? 0))
                }
                try BuiltinData.writeJSON(
                    entries, named: "flattening.json", in: report.outputDirectory, reporter: report.reporter)
                for line in lines { report.reporter.diagnostic(line) }
            })
    }
}

extension BuiltinData {
    /// MNIST with `min(5000, 10%)` training images held out (seeded by the run's seed) as a validation split.
    static func mnistWithValidation(_ request: DataRequest) throws -> RecipeData {
        let full = try mnist(request)
        var generator = SeededGenerator(seed: 5000 &+ request.seed)
        let held = min(5000, full.train.count / 10)
        let parts = full.train.split(
            fraction: Double(full.train.count - held) / Double(full.train.count), using: &generator)
        return RecipeData(train: parts.training, test: full.test, validation: parts.validation)
    }

    /// Writes `value` as pretty-printed JSON with sorted keys to `directory/name`.
    static func writeJSON(
        _ value: some Encodable, named name: String, in directory: String, reporter: any RunReporter
    ) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let path = (directory as NSString).appendingPathComponent(name)
        try encoder.encode(value).write(to: URL(fileURLWithPath: path), options: .atomic)
        reporter.diagnostic("wrote \(path)")
    }
}
