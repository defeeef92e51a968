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
    /// Expected calibration error with ``calibrationBinCount`` equal-width confidence bins (Guo et al. 2017): the
    /// sample-weighted mean over bins of |accuracy − mean confidence|, where a sample's confidence is its largest
    /// softmax probability and bin m holds confidences in ((m − 1)/M, m/M]. `nil` when decoded from a record written
    /// before the field existed.
    public let expectedCalibrationError: Double?
    /// 1 − accuracy.
    public var error: Double { 1 - accuracy }

    /// The number of equal-width bins of ``expectedCalibrationError`` (15, as in Guo et al. 2017 and
    /// `CalibrationReport` in MixupAnalysis).
    public static let calibrationBinCount = 15

    /// Creates an evaluation.
    public init(accuracy: Double, negativeLogLikelihood: Double, count: Int, expectedCalibrationError: Double? = nil) {
        self.accuracy = accuracy
        self.negativeLogLikelihood = negativeLogLikelihood
        self.count = count
        self.expectedCalibrationError = expectedCalibrationError
    }

    /// Evaluates `model` in inference mode (running BatchNorm statistics, no dropout, no gradients).
    ///
    /// - Precondition: `dataset` is labelled and not empty.
    public static func of(_ model: any Layer, on dataset: Dataset, batchSize: Int = 500) -> Evaluation {
        precondition(
            dataset.isLabelled && dataset.count > 0, "Evaluation: \(dataset.name) must be labelled and non-empty")
        var correct = 0
        var totalLoss = 0.0
        let bins = calibrationBinCount
        var binCounts = [Int](repeating: 0, count: bins)
        var binConfidence = [Double](repeating: 0, count: bins)
        var binCorrect = [Int](repeating: 0, count: bins)
        var context = ForwardContext.inference
        var start = 0
        while start < dataset.count {
            let indices = Array(start..<min(start + batchSize, dataset.count))
            let labels = dataset.labels(at: indices)
            let logits = withoutGradients { model(dataset.inputs(at: indices), context: &context) }
            let predictions = logits.argmax(alongAxis: 1)
            correct += zip(predictions, labels).filter { $0 == $1 }.count
            let classes = logits.shape[1]
            let probabilities = logits.softmax().scalars
            for (row, (prediction, label)) in zip(predictions, labels).enumerated() {
                let confidence = Double(probabilities[row * classes + prediction])
                // A NaN confidence (NaN logits) goes to the first bin instead of trapping in Int(_:); the ECE is
                // then NaN, as the NLL is.
                let scaled = (confidence * Double(bins)).rounded(.up)
                let bin = scaled.isFinite ? Swift.min(bins - 1, Swift.max(0, Int(scaled) - 1)) : 0
                binCounts[bin] += 1
                binConfidence[bin] += confidence
                binCorrect[bin] += prediction == label ? 1 : 0
            }
            totalLoss += Double(softmaxCrossEntropy(logits: logits, labels: labels).scalar) * Double(indices.count)
            start += batchSize
        }
        var calibrationError = 0.0
        for bin in 0..<bins where binCounts[bin] > 0 {
            let gap = Swift.abs(Double(binCorrect[bin]) - binConfidence[bin]) / Double(binCounts[bin])
            calibrationError += Double(binCounts[bin]) / Double(dataset.count) * gap
        }
        return Evaluation(
            accuracy: Double(correct) / Double(dataset.count), negativeLogLikelihood: totalLoss / Double(dataset.count),
            count: dataset.count, expectedCalibrationError: calibrationError)
    }
}
