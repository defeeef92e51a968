import Foundation
import MixupRunner
import Synchronization

/// The feature count of the CSV file the `tabular` recipe last loaded: its data builder runs before its model
/// builder (in `mixup run` and `mixup analyze`), and the model's input width depends on the file.
final class TabularShape: Sendable {
    static let shared = TabularShape()
    let featureCount = Mutex<Int?>(nil)
    let classCount = Mutex<Int?>(nil)
}

extension Recipe {
    /// ERM vs mixup on any numeric CSV file (Zhang et al. 2018, Table 4, UCI datasets): `--data file.csv`,
    /// `--label-column NAME|INDEX` (default: the last column), a seeded 80/20 train/test split, features standardised
    /// with the training split's mean and standard deviation, an MLP with two hidden layers of 128 units (the paper's
    /// setting), Adam.
    public static var tabular: Recipe {
        Recipe(
            name: "tabular",
            summary: "any CSV (--data file.csv --label-column NAME|INDEX): ERM vs mixup α=1 (Zhang et al. Table 4)",
            data: BuiltinData.tabular,
            model: { generator in
                let features = TabularShape.shared.featureCount.withLock { $0 } ?? 1
                let classes = TabularShape.shared.classCount.withLock { $0 } ?? 2
                return Models.mlp(inputSize: features, hiddenSizes: [128, 128], classCount: classes, using: &generator)
            },
            regularizer: .erm,
            comparison: [.erm, .builtin { try .mixup(alpha: 1) }],
            optimizer: .adam(learningRate: 1e-3, weightDecay: 0, decoupled: false),
            schedule: .cosine, epochs: 30, batchSize: 64,
            flags: [
                RecipeFlag(
                    name: "label-column", valueName: "NAME|INDEX",
                    help: "the label column of the CSV file, by header name or 0-based index (default: last)")
            ])
    }
}

extension BuiltinData {
    /// The CSV file of `--data`, split 80/20 (seeded) and standardised with the training statistics.
    static func tabular(_ request: DataRequest) throws -> RecipeData {
        guard let path = request.path else {
            throw RunnerError.missingData(
                "the tabular recipe needs --data file.csv (numeric features plus a label column)")
        }
        var options = CSVTable.Options()
        if let column = request.flags["label-column"] {
            if let index = Int(column) {
                guard index >= 0 else {
                    throw RunnerError.invalidValue(
                        flag: "--label-column", value: column, expected: "a header name or an index ≥ 0")
                }
                options.labelColumn = .index(index)
            } else {
                options.labelColumn = .name(column)
            }
        }
        let full = try DatasetLoaders.csv(path: path, options: options)
        guard full.count >= 2 else { throw RunnerError.invalidData("\(path) has \(full.count) rows; need at least 2") }
        var generator = SeededGenerator(seed: 31 &+ request.seed)
        let parts = full.split(fraction: 0.8, using: &generator)
        let width = full.sampleSize
        var mean = [Double](repeating: 0, count: width), variance = [Double](repeating: 0, count: width)
        let train = parts.training
        for row in 0..<train.count {
            for d in 0..<width { mean[d] += Double(train.samples[row * width + d]) / Double(train.count) }
        }
        for row in 0..<train.count {
            for d in 0..<width {
                let centred = Double(train.samples[row * width + d]) - mean[d]
                variance[d] += centred * centred / Double(train.count)
            }
        }
        func standardised(_ data: Dataset) throws -> Dataset {
            var values = data.samples
            for index in values.indices {
                let d = index % width
                let deviation = variance[d].squareRoot()
                values[index] = Float((Double(values[index]) - mean[d]) / (deviation > 0 ? deviation : 1))
            }
            return try Dataset(
                name: data.name, sampleShape: data.sampleShape, samples: values, labels: data.labels,
                classCount: data.classCount)
        }
        TabularShape.shared.featureCount.withLock { $0 = width }
        TabularShape.shared.classCount.withLock { $0 = full.classCount }
        return RecipeData(train: try standardised(parts.training), test: try standardised(parts.validation))
    }
}
