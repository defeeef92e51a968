import Foundation
import MixupRunner

/// One network of the MNIST 2-D bottleneck figure.
struct Bottleneck2DResult: Codable {
    /// The regularizer.
    var strategy: String
    /// The test error of the final checkpoint.
    var testError: Double
    /// The share of the test images' bottleneck variance that lies within classes (lower = tighter, better separated
    /// class clusters; see ``BottleneckScatter/withinClassVarianceShare(points:labels:)``).
    var withinClassVarianceShare: Double
    /// How many test images are plotted.
    var sampleCount: Int
}

extension Recipe {
    /// The MNIST 2-D bottleneck visualisation of Verma et al. (2019), App. B, Fig. 5: an MLP with a 2-unit linear
    /// bottleneck (784 → 2×512 LeakyReLU → 2 → 512 → 10) trained with ERM and with Manifold Mixup at the bottleneck
    /// only (α = 2). The report writes `bottleneck2d.svg` (the test images' bottleneck coordinates, coloured by class,
    /// one panel per network) and `bottleneck2d.json` (test error and the within-class share of the bottleneck
    /// variance). The paper's claim: Manifold Mixup gives tighter class clusters with more room between them.
    public static var mnistBottleneck2D: Recipe {
        Recipe(
            name: "mnist-bottleneck2d",
            summary:
                "MNIST MLP with a 2-D bottleneck: ERM vs Manifold Mixup there (Verma et al. Fig. 5); bottleneck2d.svg",
            data: BuiltinData.mnist,
            model: { generator in Bottleneck2DFigure.model(using: &generator) },
            regularizer: .erm,
            comparison: [.erm, .builtin { try .manifoldMixup(alpha: 2, mixPoints: ["bottleneck"]) }],
            optimizer: .adam(learningRate: 1e-3, weightDecay: 0, decoupled: false),
            schedule: .cosine, epochs: 10, batchSize: 128,
            report: { report in
                guard let test = report.data.test else { return }
                let figure = try Bottleneck2DFigure.measure(
                    report.runs.map { ($0.regularizer.name, $0.model, $0.result.test?.error ?? .nan) }, on: test)
                try BuiltinData.writeJSON(
                    figure.results, named: "bottleneck2d.json", in: report.outputDirectory, reporter: report.reporter)
                try FileManager.default.createDirectory(
                    atPath: report.outputDirectory, withIntermediateDirectories: true)
                let path = (report.outputDirectory as NSString).appendingPathComponent("bottleneck2d.svg")
                try figure.svg.write(toFile: path, atomically: true, encoding: .utf8)
                report.reporter.diagnostic("wrote \(path)")
                for result in figure.results {
                    report.reporter.diagnostic(
                        String(
                            format: "%@: test error %.2f%%, within-class share of the bottleneck variance %.3f",
                            result.strategy, 100 * result.testError, result.withinClassVarianceShare))
                }
            })
    }
}

/// The network and the figure of the MNIST 2-D bottleneck recipe.
enum Bottleneck2DFigure {
    /// 784 → 2×512 LeakyReLU → 2 (linear, mix point `"bottleneck"`) → 512 LeakyReLU → 10.
    static func model(using generator: inout SeededGenerator) -> MixableSequential {
        Models.bottleneckMLP(
            inputSize: 784, before: [512, 512], bottleneck: 2, after: [512], classCount: 10, activation: .leakyRelu,
            using: &generator)
    }

    /// The bottleneck coordinates of every sample of `data` under each named model (which must have a 2-unit
    /// `"bottleneck"` mix point), the side-by-side scatter plot and the per-model results.
    /// - Throws: ``RunnerError`` when a model has no such mix point or its width there is not 2, or `data` has no
    ///   labels.
    static func measure(_ runs: [(name: String, model: any MixableModel, testError: Double)], on data: Dataset)
        throws -> (svg: String, results: [Bottleneck2DResult])
    {
        guard let labels = data.labels else {
            throw RunnerError.missingData("the 2-D bottleneck figure needs labelled test data")
        }
        var panels: [BottleneckScatter.Panel] = []
        var results: [Bottleneck2DResult] = []
        for run in runs {
            let point = try run.model.mixPoint(named: "bottleneck")
            var coordinates: [Float] = []
            var start = 0
            while start < data.count {
                let indices = Array(start..<min(start + 1000, data.count))
                var context = ForwardContext.inference
                let hidden = withoutGradients {
                    run.model.forward(data.inputs(at: indices), from: .input, to: point, context: &context)
                }
                guard hidden.shape == [indices.count, 2] else {
                    throw RunnerError.invalidValue(
                        flag: "model", value: "bottleneck shape \(hidden.shape)",
                        expected: "[\(indices.count), 2]: a 2-unit bottleneck")
                }
                coordinates += hidden.scalars
                start += indices.count
            }
            let points = (0..<data.count).map { (x: Double(coordinates[2 * $0]), y: Double(coordinates[2 * $0 + 1])) }
            let share = BottleneckScatter.withinClassVarianceShare(points: points, labels: labels)
            panels.append(
                BottleneckScatter.Panel(
                    title: String(format: "%@ (test error %.1f%%)", run.name, 100 * run.testError), points: points,
                    labels: labels))
            results.append(
                Bottleneck2DResult(
                    strategy: run.name, testError: run.testError, withinClassVarianceShare: share,
                    sampleCount: data.count))
        }
        return (BottleneckScatter().render(panels, classCount: data.classCount), results)
    }
}
