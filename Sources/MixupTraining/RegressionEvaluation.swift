import Foundation
import MixupData
import MixupNN
import MixupTensor

/// Mean squared error and its root of a regression model on a dataset with numeric targets.
public struct RegressionEvaluation: Sendable, Equatable, Codable {
    /// Mean over samples and target columns of (prediction − target)².
    public let meanSquaredError: Double
    /// The number of samples evaluated.
    public let count: Int
    /// √``meanSquaredError``, in the targets' units.
    public var rootMeanSquaredError: Double { meanSquaredError.squareRoot() }

    /// Creates an evaluation.
    public init(meanSquaredError: Double, count: Int) {
        self.meanSquaredError = meanSquaredError
        self.count = count
    }

    /// Evaluates `model` in inference mode (running BatchNorm statistics, no dropout, no gradients).
    ///
    /// - Precondition: `dataset` has regression targets (``Dataset/isRegression``), is not empty, and the model's
    ///   outputs are `[batch, targetWidth]`.
    public static func of(_ model: any Layer, on dataset: Dataset, batchSize: Int = 500) -> RegressionEvaluation {
        precondition(
            dataset.isRegression && dataset.count > 0,
            "RegressionEvaluation: \(dataset.name) must have regression targets and not be empty")
        var total = 0.0
        var context = ForwardContext.inference
        var start = 0
        while start < dataset.count {
            let indices = Array(start..<min(start + batchSize, dataset.count))
            let targets = dataset.targets(at: indices)
            let outputs = withoutGradients { model(dataset.inputs(at: indices), context: &context) }
            precondition(
                outputs.shape == targets.shape,
                "RegressionEvaluation: outputs \(outputs.shape) and targets \(targets.shape) of \(dataset.name) differ")
            for (output, target) in zip(outputs.scalars, targets.scalars) {
                let difference = Double(output) - Double(target)
                total += difference * difference
            }
            start += batchSize
        }
        return RegressionEvaluation(
            meanSquaredError: total / Double(dataset.count * dataset.targetWidth), count: dataset.count)
    }
}
