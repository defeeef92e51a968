import Foundation
import MixupRunner
import Synchronization

/// The feature count of the data the `regression` recipe last built: its data builder runs before its model builder,
/// and the model's input width depends on the CSV file.
final class RegressionShape: Sendable {
    static let shared = RegressionShape()
    let featureCount = Mutex<Int?>(nil)
}

extension Recipe {
    /// Regression with a mean squared error (``RegressionObjective``): ERM vs input Mixup vs C-Mixup (Yao et al.,
    /// NeurIPS 2022, partners drawn by a Gaussian kernel on the target distance) on a seeded synthetic problem,
    /// y = sin(3x) + 𝒩(0, 0.1²) with x ~ U(−1, 1) (256 training and 512 test points), or on a CSV file with a numeric
    /// target (`--data file.csv --target-column NAME|INDEX`, default the last column; a seeded 80/20 split). Features
    /// and targets are standardised with the training split's mean and standard deviation, so C-Mixup's bandwidth
    /// σ = 1 is one target standard deviation and a test MSE of 1 is about what predicting the mean scores. An MLP with
    /// two hidden layers of 64 units, Adam.
    public static var regression: Recipe {
        Recipe(
            name: "regression",
            summary: "y = sin(3x) + noise, or a CSV with a numeric target (--data, --target-column): ERM vs mixup vs "
                + "C-Mixup, MSE",
            data: BuiltinData.regression,
            model: { generator in
                let features = RegressionShape.shared.featureCount.withLock { $0 } ?? 1
                return Models.mlp(inputSize: features, hiddenSizes: [64, 64], classCount: 1, using: &generator)
            },
            regularizer: .erm,
            comparison: [.erm, .builtin { try .mixup(alpha: 1) }, .builtin { try .cMixup(alpha: 2, bandwidth: 1) }],
            objective: { regularizer, _ in RegressionObjective(regularizer: regularizer) },
            optimizer: .adam(learningRate: 3e-3, weightDecay: 0, decoupled: false),
            schedule: .cosine, epochs: 40, batchSize: 32,
            flags: [
                RecipeFlag(
                    name: "target-column", valueName: "NAME|INDEX",
                    help: "the numeric target column of the --data CSV file, by header name or 0-based index "
                        + "(default: last)")
            ])
    }
}

extension BuiltinData {
    /// The synthetic problem, or the CSV file of `--data` with a numeric target column; split (CSV: 80/20, seeded),
    /// features and targets standardised with the training statistics.
    static func regression(_ request: DataRequest) throws -> RecipeData {
        let train: Dataset
        let test: Dataset
        if let path = request.path {
            var options = CSVTable.Options(labelKind: .numeric)
            if let column = request.flags["target-column"] {
                if let index = Int(column) {
                    guard index >= 0 else {
                        throw RunnerError.invalidValue(
                            flag: "--target-column", value: column, expected: "a header name or an index ≥ 0")
                    }
                    options.labelColumn = .index(index)
                } else {
                    options.labelColumn = .name(column)
                }
            }
            let full = try DatasetLoaders.csv(path: path, options: options)
            guard full.count >= 2 else {
                throw RunnerError.invalidData("\(path) has \(full.count) rows; need at least 2")
            }
            var generator = SeededGenerator(seed: 37 &+ request.seed)
            (train, test) = full.split(fraction: 0.8, using: &generator)
        } else {
            if let column = request.flags["target-column"] {
                throw RunnerError.flagDoesNotApply(
                    flag: "--target-column",
                    reason: "it names a column of --data file.csv, got \(column) without --data")
            }
            var generator = SeededGenerator(seed: request.seed)
            train = try sineWave(count: 256, name: "sine-train", using: &generator)
            test = try sineWave(count: 512, name: "sine-test", using: &generator)
        }
        RegressionShape.shared.featureCount.withLock { $0 = train.sampleSize }
        let features = Standardisation(values: train.samples, width: train.sampleSize)
        let targets = Standardisation(values: train.targets ?? [], width: train.targetWidth)
        func standardised(_ data: Dataset) throws -> Dataset {
            try Dataset(
                name: data.name, sampleShape: data.sampleShape, samples: features.apply(data.samples),
                targets: targets.apply(data.targets ?? []), targetWidth: data.targetWidth)
        }
        return RecipeData(train: try standardised(train), test: try standardised(test))
    }

    /// `count` points x ~ U(−1, 1), y = sin(3x) + 𝒩(0, 0.1²).
    static func sineWave(count: Int, name: String, using generator: inout SeededGenerator) throws -> Dataset {
        let x = (0..<count).map { _ in Float(generator.nextUniform(-1, 1)) }
        let y = x.map { Float(Foundation.sin(3 * Double($0)) + 0.1 * generator.nextNormal()) }
        return try Dataset(name: name, sampleShape: [1], samples: x, targets: y)
    }
}

/// Per-column mean and standard deviation of row-major values, `width` per row (a constant column keeps scale 1).
struct Standardisation {
    let mean: [Double]
    let deviation: [Double]

    init(values: [Float], width: Int) {
        let rows = width > 0 ? values.count / width : 0
        var mean = [Double](repeating: 0, count: width)
        var variance = [Double](repeating: 0, count: width)
        for (index, value) in values.enumerated() { mean[index % width] += Double(value) / Double(max(rows, 1)) }
        for (index, value) in values.enumerated() {
            let centred = Double(value) - mean[index % width]
            variance[index % width] += centred * centred / Double(max(rows, 1))
        }
        self.mean = mean
        self.deviation = variance.map { $0 > 0 ? $0.squareRoot() : 1 }
    }

    func apply(_ values: [Float]) -> [Float] {
        values.enumerated().map { index, value in
            let column = index % mean.count
            return Float((Double(value) - mean[column]) / deviation[column])
        }
    }
}
