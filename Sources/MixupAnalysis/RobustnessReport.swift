import MixupData
import MixupNN
import MixupTensor

/// Test error under a white-box attack for a grid of ε (Verma et al. 2019, Table 7: FGSM; Zhang et al. 2018,
/// Table 3: FGSM and I-FGSM).
public struct RobustnessReport: Codable, Sendable, Equatable {
    /// The error at one radius.
    public struct Point: Codable, Sendable, Equatable {
        /// The L∞ radius.
        public let epsilon: Double
        /// Fraction of attacked samples misclassified.
        public let error: Double
    }

    /// The attack's name, e.g. `"fgsm"`.
    public let attack: String
    /// Samples attacked (the first ones of the dataset).
    public let sampleCount: Int
    /// The valid input range the adversarial inputs were clipped to.
    public let validRange: [Double]
    /// Error by ε, in the order given.
    public let points: [Point]

    /// Attacks the first `sampleLimit` samples of `dataset` at each ε with the attack `makeAttack(ε)` returns.
    ///
    /// - Parameters:
    ///   - model: the trained network (white-box: its input gradients drive the attack).
    ///   - dataset: labelled test samples.
    ///   - epsilons: the L∞ radii, in the order they are reported.
    ///   - sampleLimit: attack at most this many samples (the first ones), `nil` for all.
    ///   - batchSize: samples per forward and backward pass.
    ///   - validRange: the range inputs are clipped to (e.g. 0...1 for MNIST pixels).
    ///   - generator: for attacks with a random start (PGD).
    ///   - makeAttack: builds the attack for one radius (e.g. `{ try FGSMAttack(epsilon: $0) }`).
    /// - Throws: ``AnalysisError`` for an unlabelled or empty dataset, or from `makeAttack`.
    public static func measure(
        model: any Layer, on dataset: Dataset, epsilons: [Float], sampleLimit: Int? = nil, batchSize: Int = 250,
        validRange: ClosedRange<Float>, using generator: inout some RandomNumberGenerator,
        attack makeAttack: (Float) throws(AnalysisError) -> any AdversarialAttack
    ) throws(AnalysisError) -> RobustnessReport {
        guard let labels = dataset.labels, dataset.count > 0 else {
            throw .invalidData("\(dataset.name): an attack needs a labelled, non-empty dataset")
        }
        let count = min(dataset.count, sampleLimit ?? dataset.count)
        var points: [Point] = []
        var name = ""
        for epsilon in epsilons {
            let attack = try makeAttack(epsilon)
            name = attack.name
            var wrong = 0
            var start = 0
            while start < count {
                let indices = Array(start..<min(start + max(batchSize, 1), count))
                let batchLabels = indices.map { labels[$0] }
                let adversarial = attack.perturb(
                    dataset.inputs(at: indices), labels: batchLabels, model: model, validRange: validRange,
                    using: &generator)
                let predictions = model.inferring(adversarial).argmax(alongAxis: 1)
                wrong += zip(predictions, batchLabels).filter { $0 != $1 }.count
                start += indices.count
            }
            points.append(Point(epsilon: Double(epsilon), error: Double(wrong) / Double(count)))
        }
        return RobustnessReport(
            attack: name, sampleCount: count,
            validRange: [Double(validRange.lowerBound), Double(validRange.upperBound)], points: points)
    }
}
