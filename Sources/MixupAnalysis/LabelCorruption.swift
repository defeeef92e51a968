import MixupData
import MixupTensor

/// Training labels with an exact fraction replaced by wrong classes — the memorisation experiment of Zhang et al.
/// (2018), Table 2 (after Zhang et al. 2017, "Understanding deep learning requires rethinking generalization").
///
/// Exactly round(fraction × count) samples, chosen uniformly at random, get a label drawn uniformly from the *other*
/// classes, so every one of them is wrong and the corrupted fraction is exact.
public struct LabelCorruption: Sendable {
    /// The dataset with corrupted labels.
    public let dataset: Dataset
    /// The indices whose label was replaced, ascending.
    public let corruptedIndices: [Int]
    /// The original labels.
    public let originalLabels: [Int]

    /// Corrupts `dataset`'s labels.
    ///
    /// - Throws: ``AnalysisError`` for a fraction outside [0, 1], an unlabelled dataset or fewer than two classes.
    public init(_ dataset: Dataset, fraction: Double, using generator: inout some RandomNumberGenerator)
        throws(AnalysisError)
    {
        guard fraction >= 0 && fraction <= 1 else {
            throw .invalidSetting(name: "label noise fraction", value: "\(fraction)", expected: "a number in [0, 1]")
        }
        guard let labels = dataset.labels else {
            throw .invalidData("\(dataset.name): cannot corrupt the labels of an unlabelled dataset")
        }
        guard dataset.classCount >= 2 else {
            throw .invalidData("\(dataset.name): label corruption needs at least 2 classes, got \(dataset.classCount)")
        }
        let corruptCount = Int((fraction * Double(dataset.count)).rounded())
        let chosen = Array(generator.nextPermutation(dataset.count).prefix(corruptCount)).sorted()
        var noisy = labels
        for index in chosen {
            let offset = Int.random(in: 1..<dataset.classCount, using: &generator)
            noisy[index] = (labels[index] + offset) % dataset.classCount
        }
        do {
            self.dataset = try Dataset(
                name: "\(dataset.name)-noise\(fraction)", sampleShape: dataset.sampleShape, samples: dataset.samples,
                labels: noisy, classCount: dataset.classCount)
        } catch {
            throw .invalidData(error.description)
        }
        corruptedIndices = chosen
        originalLabels = labels
    }

    /// The realised fraction of wrong labels.
    public var fraction: Double { Double(corruptedIndices.count) / Double(max(originalLabels.count, 1)) }
}
