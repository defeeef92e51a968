import Foundation
import MixupRunner

/// One row of the label-noise table (Zhang et al. 2018, Table 2).
struct LabelNoiseResult: Codable {
    /// The regularizer.
    var strategy: String
    /// The fraction of training labels replaced by wrong classes.
    var noise: Double
    /// The lowest test error over the evaluated epochs, and its epoch.
    var bestTestError: Double, bestEpoch: Int
    /// The test error after the last epoch.
    var lastTestError: Double
    /// Training error on the samples whose label was kept, against that label.
    var cleanTrainingError: Double
    /// Training error on the corrupted samples against the corrupted label (low = memorised).
    var corruptedTrainingError: Double
    /// Training error on the corrupted samples against their true label.
    var corruptedTrueLabelError: Double
}

extension Recipe {
    /// Memorisation of corrupted labels (Zhang et al. 2018, Table 2, on MNIST with the 784-1024-1024-10 MLP): exactly
    /// `--noise` (default 0.5) of the training labels are replaced by a different class (seeded); ERM, ERM + dropout
    /// (p = 0.5 after each hidden layer's ReLU, the same initial weights, named `erm-dropout0.5`) and Mixup (α = 8 and
    /// 32) are trained; the report gives the test error at the best and the last epoch and the training error on the
    /// clean and the corrupted subsets, in `label_noise.json`. The paper's dropout rows use p ∈ {0.7, 0.8, 0.9} on
    /// CIFAR-10 PreAct ResNets; p = 0.5 is the usual setting for an MLP.
    public static var mnistLabelNoise: Recipe {
        let dropout = Regularizer.renamedERM(LabelNoiseModels.dropoutName)
        var recipe = Recipe(
            name: "mnist-label-noise",
            summary:
                "MNIST MLP with --noise F of the training labels corrupted: ERM, ERM + dropout 0.5, Mixup α=8, 32 "
                + "(Zhang et al. Table 2)",
            data: { request in
                let full = try BuiltinData.mnist(request)
                var generator = SeededGenerator(seed: 4242 &+ request.seed)
                let corruption = try LabelCorruption(
                    full.train, fraction: try BuiltinData.noiseFraction(request.flags), using: &generator)
                return RecipeData(train: corruption.dataset, test: full.test)
            },
            model: { generator in LabelNoiseModels.mlp(dropout: 0, using: &generator) },
            regularizer: .erm,
            comparison: [.erm, dropout, mixup(alpha: 8), mixup(alpha: 32)],
            optimizer: .sgd(learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-4),
            schedule: .multiStep([0.5, 0.75]), epochs: 20, batchSize: 128,
            flags: [
                BuiltinData.noiseFlag
            ],
            report: { report in
                let noise = try BuiltinData.noiseFraction(report.options.recipeFlags)
                let clean = try BuiltinData.mnist(
                    DataRequest(path: report.options.dataPath, limit: report.options.limit))
                let trueLabels = clean.train.labels ?? []
                let noisyLabels = report.data.train.labels ?? []
                let corrupted = Set(trueLabels.indices.filter { trueLabels[$0] != noisyLabels[$0] })
                var rows: [LabelNoiseResult] = []
                for run in report.runs {
                    let predictions = try ModelPredictions.of(run.model, on: report.data.train)
                    var wrongClean = 0, wrongCorrupted = 0, wrongTrue = 0
                    for index in 0..<predictions.count {
                        let row = predictions.logits[(index * 10)..<((index + 1) * 10)]
                        let predicted = (row.indices.max { row[$0] < row[$1] } ?? row.startIndex) - row.startIndex
                        if corrupted.contains(index) {
                            if predicted != noisyLabels[index] { wrongCorrupted += 1 }
                            if predicted != trueLabels[index] { wrongTrue += 1 }
                        } else if predicted != trueLabels[index] {
                            wrongClean += 1
                        }
                    }
                    let tests = run.result.reports.compactMap { report in report.test.map { (report.epoch, $0.error) } }
                    let best = tests.min { $0.1 < $1.1 } ?? (0, .nan)
                    let cleanCount = max(predictions.count - corrupted.count, 1)
                    rows.append(
                        LabelNoiseResult(
                            strategy: run.regularizer.name, noise: noise, bestTestError: best.1, bestEpoch: best.0,
                            lastTestError: run.result.test?.error ?? .nan,
                            cleanTrainingError: Double(wrongClean) / Double(cleanCount),
                            corruptedTrainingError: Double(wrongCorrupted) / Double(max(corrupted.count, 1)),
                            corruptedTrueLabelError: Double(wrongTrue) / Double(max(corrupted.count, 1))))
                }
                try BuiltinData.writeJSON(
                    rows, named: "label_noise.json", in: report.outputDirectory, reporter: report.reporter)
                var table =
                    "strategy        test error best (epoch)  last    train error clean  corrupted (vs noisy label)\n"
                for row in rows {
                    table += String(
                        format: "%-15@ %6.2f%% (%d)            %6.2f%%  %6.2f%%            %6.2f%%\n",
                        row.strategy as NSString, 100 * row.bestTestError, row.bestEpoch, 100 * row.lastTestError,
                        100 * row.cleanTrainingError, 100 * row.corruptedTrainingError)
                }
                report.reporter.output(table)
            })
        recipe.variantModels[dropout.name] = { generator in
            LabelNoiseModels.mlp(dropout: LabelNoiseModels.dropoutProbability, using: &generator)
        }
        return recipe
    }
}

/// The networks of the label-noise recipe.
enum LabelNoiseModels {
    /// The dropout probability of the "ERM + dropout" row.
    static let dropoutProbability = 0.5
    /// The name of the "ERM + dropout" row.
    static let dropoutName = "erm-dropout0.5"

    /// The 784-1024-1024-10 ReLU MLP, with dropout `dropout` after each hidden layer (none for 0).
    static func mlp(dropout: Double, using generator: inout SeededGenerator) -> MixableSequential {
        Models.mlp(inputSize: 784, hiddenSizes: [1024, 1024], classCount: 10, dropout: dropout, using: &generator)
    }
}

extension Regularizer {
    /// ERM (no mixing) under another name, for a comparison row that changes the network instead (see
    /// ``Recipe/variantModels``).
    static func renamedERM(_ name: String) -> Regularizer {
        var regularizer = Regularizer.erm
        regularizer.name = name
        return regularizer
    }
}

extension Recipe {
    /// Mixup at `alpha`, named `mixup-alpha<α>` so that the runs of one comparison get their own output folders.
    fileprivate static func mixup(alpha: Double) -> Regularizer {
        var regularizer = Regularizer.builtin { try .mixup(alpha: alpha) }
        regularizer.name = "mixup-alpha\(Int(alpha))"
        return regularizer
    }
}

extension BuiltinData {
    /// The `--noise` fraction (default 0.5).
    static func noiseFraction(_ flags: [String: String]) throws -> Double {
        try noiseFlag.number(in: flags, default: 0.5, expected: "a fraction in [0, 1]") { (0...1).contains($0) }
    }

    /// `--noise F` of `mnist-label-noise`.
    static let noiseFlag = RecipeFlag(
        name: "noise", valueName: "F",
        help: "fraction of training labels replaced by a wrong class, in [0, 1] (default 0.5)")
}
