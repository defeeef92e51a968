import Foundation
import MixupData
import MixupNN
import MixupTensor

/// The logits of a model on a labelled dataset, computed once in inference mode and reused by the calibration
/// measurements and temperature scaling.
public struct ModelPredictions: Sendable, Equatable {
    /// Logits, `count × classCount` row-major.
    public let logits: [Float]
    /// The true class of each sample.
    public let labels: [Int]
    /// The number of classes (the width of a logit row).
    public let classCount: Int

    /// Wraps logits and labels.
    ///
    /// - Throws: ``AnalysisError/invalidData(_:)`` when the logits do not form `labels.count` rows of `classCount`,
    ///   a label is outside `0..<classCount`, or there are no samples.
    public init(logits: [Float], labels: [Int], classCount: Int) throws(AnalysisError) {
        guard classCount >= 2, !labels.isEmpty, logits.count == labels.count * classCount else {
            throw .invalidData(
                "predictions: \(logits.count) logits do not form \(labels.count) rows of \(classCount) classes "
                    + "(need at least one sample and two classes)")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
            throw .invalidData("predictions: label \(labels[bad]) at index \(bad) is not in 0..<\(classCount)")
        }
        self.logits = logits
        self.labels = labels
        self.classCount = classCount
    }

    /// The number of samples.
    public var count: Int { labels.count }

    /// Runs `model` in inference mode (running BatchNorm statistics, no dropout, no gradients) over `dataset`.
    ///
    /// - Throws: ``AnalysisError/invalidData(_:)`` if the dataset is unlabelled or empty, or the model's output is
    ///   not `[batch, dataset.classCount]`.
    public static func of(_ model: any Layer, on dataset: Dataset, batchSize: Int = 500) throws(AnalysisError)
        -> ModelPredictions
    {
        guard let labels = dataset.labels, dataset.count > 0 else {
            throw .invalidData("\(dataset.name): predictions need a labelled, non-empty dataset")
        }
        var logits: [Float] = []
        logits.reserveCapacity(dataset.count * dataset.classCount)
        var start = 0
        while start < dataset.count {
            let indices = Array(start..<min(start + max(batchSize, 1), dataset.count))
            let output = model.inferring(dataset.inputs(at: indices))
            guard output.shape == [indices.count, dataset.classCount] else {
                throw .invalidData(
                    "\(dataset.name): the model outputs shape \(output.shape), expected "
                        + "[\(indices.count), \(dataset.classCount)]")
            }
            logits += output.scalars
            start += indices.count
        }
        return try ModelPredictions(logits: logits, labels: labels, classCount: dataset.classCount)
    }

    /// The log-probabilities of row `index` after dividing the logits by `temperature` (a stable log-softmax in
    /// double precision).
    public func logProbabilities(row index: Int, temperature: Double = 1) -> [Double] {
        let row = (0..<classCount).map { Double(logits[index * classCount + $0]) / temperature }
        let top = row.max() ?? 0
        let logNormalizer = top + Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - top) })
        return row.map { $0 - logNormalizer }
    }

    /// The mean negative log-likelihood of the true labels at `temperature`.
    public func negativeLogLikelihood(temperature: Double = 1) -> Double {
        var total = 0.0
        for index in 0..<count { total -= logProbabilities(row: index, temperature: temperature)[labels[index]] }
        return total / Double(count)
    }
}
