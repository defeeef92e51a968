import Foundation
import MixupData
import MixupMixing
import MixupNN
import MixupTensor

/// Accuracy, error and negative log-likelihood of a model on a labelled dataset.
public struct Evaluation: Sendable, Equatable, Codable {
    /// Fraction classified correctly, in [0, 1].
    public let accuracy: Double
    /// Mean negative log-likelihood (softmax cross-entropy) per sample.
    public let negativeLogLikelihood: Double
    /// The number of samples evaluated.
    public let count: Int
    /// 1 − accuracy.
    public var error: Double { 1 - accuracy }

    /// Creates an evaluation.
    public init(accuracy: Double, negativeLogLikelihood: Double, count: Int) {
        self.accuracy = accuracy
        self.negativeLogLikelihood = negativeLogLikelihood
        self.count = count
    }

    /// Evaluates `model` in inference mode (running BatchNorm statistics, no dropout, no gradients).
    ///
    /// - Precondition: `dataset` is labelled and not empty.
    public static func of(_ model: any Layer, on dataset: Dataset, batchSize: Int = 500) -> Evaluation {
        precondition(
            dataset.isLabelled && dataset.count > 0, "Evaluation: \(dataset.name) must be labelled and non-empty")
        var correct = 0
        var totalLoss = 0.0
        var context = ForwardContext.inference
        var start = 0
        while start < dataset.count {
            let indices = Array(start..<min(start + batchSize, dataset.count))
            let labels = dataset.labels(at: indices)
            let logits = withoutGradients { model(dataset.inputs(at: indices), context: &context) }
            let predictions = logits.argmax(alongAxis: 1)
            correct += zip(predictions, labels).filter { $0 == $1 }.count
            totalLoss += Double(softmaxCrossEntropy(logits: logits, labels: labels).scalar) * Double(indices.count)
            start += batchSize
        }
        return Evaluation(
            accuracy: Double(correct) / Double(dataset.count), negativeLogLikelihood: totalLoss / Double(dataset.count),
            count: dataset.count)
    }
}
