import Foundation
import MixupMixing
import MixupTensor

/// C-Mixup (Yao, Wang, Zhang, Xie, Jiang, Zou & Finn, NeurIPS 2022, "C-Mixup: Improving Generalization in
/// Regression"): Mixup whose partners are drawn by label similarity — sample j is the partner of sample i with
/// probability ∝ exp(−‖yᵢ − yⱼ‖² / (2σ²)), a Gaussian kernel of bandwidth σ on the label distance — so that samples
/// with close targets are mixed and interpolated targets stay plausible.
///
/// Partners are drawn within the batch, never the sample itself (unless the batch has one sample); labels are the
/// rows of ``MixingBatch/labels`` (regression targets `[batch, outputs]`, or one-hot classes, for which the kernel
/// prefers same-class partners). One λ ~ Beta(α, α) per batch interpolates inputs and targets
/// (``InterpolatedLabels``, i.e. λ·yᵢ + (1 − λ)·yⱼ for regression targets). Kernel weights are computed relative to
/// the nearest other sample, so a batch of far-apart targets never underflows to all-zero probabilities.
public struct CMixupStrategy: MixingStrategy {
    /// The distribution of λ.
    public let distribution: MixWeightDistribution
    /// The kernel bandwidth σ > 0 on the label distance.
    public let bandwidth: Double

    /// Creates the strategy.
    ///
    /// - Throws: ``MixingError/invalidParameter(name:value:requirement:)`` naming a bandwidth that is not positive
    ///   and finite.
    public init(distribution: MixWeightDistribution, bandwidth: Double = 1) throws(MixingError) {
        guard bandwidth > 0 && bandwidth.isFinite else {
            throw .invalidParameter(
                name: "C-Mixup's kernel bandwidth σ", value: "\(bandwidth)", requirement: "be positive and finite")
        }
        self.distribution = distribution
        self.bandwidth = bandwidth
    }

    public var name: String { "cmixup" }

    /// C-Mixup needs the batch's labels.
    ///
    /// - Throws: always ``MixingError/needsBatchData(strategy:)``; draw plans with ``plan(for:using:)``.
    public func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError)
        -> MixPlan
    { throw .needsBatchData(strategy: "C-Mixup") }

    /// The probability that each sample of the batch is the partner of sample `i`, from `labels` `[batch, outputs]`.
    ///
    /// - Precondition: `labels` has rank 2 and `i` is a row of it.
    public func partnerProbabilities(of i: Int, labels: Tensor) -> [Double] {
        let (count, outputs) = (labels.shape[0], labels.shape[1])
        guard count > 1 else { return [1] }
        let rows = labels.scalars
        var squared = [Double](repeating: 0, count: count)
        for j in 0..<count {
            var sum = 0.0
            for k in 0..<outputs {
                let difference = Double(rows[i * outputs + k]) - Double(rows[j * outputs + k])
                sum += difference * difference
            }
            squared[j] = sum
        }
        let nearest = (0..<count).filter { $0 != i }.map { squared[$0] }.min() ?? 0
        var weights = (0..<count).map { j in
            j == i ? 0 : Foundation.exp(-(squared[j] - nearest) / (2 * bandwidth * bandwidth))
        }
        let total = weights.reduce(0, +)
        for j in 0..<count { weights[j] /= total }
        return weights
    }

    /// Draws each sample's partner from the kernel on label distance and one λ for the batch.
    ///
    /// - Throws: ``MixingError/needsBatchData(strategy:)`` without labels; ``MixingError/shapeMismatch(what:shape:expected:)``
    ///   for labels that are not `[batch, outputs]`; ``MixingError/invalidParameter(name:value:requirement:)`` naming a
    ///   NaN or infinite label.
    public func plan(for batch: MixingBatch, using generator: inout some RandomNumberGenerator) throws(MixingError)
        -> MixPlan
    {
        let count = batch.batchSize
        try MixingValidation.checkNonEmpty(batchSize: count)
        guard let labels = batch.labels else { throw .needsBatchData(strategy: "C-Mixup") }
        guard labels.rank == 2, labels.shape[0] == count, labels.shape[1] > 0 else {
            throw .shapeMismatch(what: "C-Mixup's labels", shape: labels.shape, expected: "[\(count), outputs]")
        }
        if let bad = labels.scalars.first(where: { !$0.isFinite }) {
            throw .invalidParameter(name: "a C-Mixup label", value: "\(bad)", requirement: "be finite")
        }
        var partners = Array(0..<count)
        for i in 0..<count where count > 1 {
            let probabilities = partnerProbabilities(of: i, labels: labels)
            let u = generator.nextUnitDouble()
            var cumulative = 0.0
            var chosen = probabilities.lastIndex { $0 > 0 } ?? i
            for (j, p) in probabilities.enumerated() where p > 0 {
                cumulative += p
                if u < cumulative {
                    chosen = j
                    break
                }
            }
            partners[i] = chosen
        }
        let lambda = Float(distribution.sample(using: &generator))
        let realised = (0..<count).map { partners[$0] == $0 ? Float(1) : lambda }
        return try MixPlan(partners: partners, weights: .perSample(realised), labelWeights: realised)
    }
}

extension MixingStrategy where Self == CMixupStrategy {
    /// C-Mixup with λ ~ Beta(α, α) and kernel bandwidth σ.
    ///
    /// - Throws: ``MixingError`` naming α if α ≤ 0, or σ if σ ≤ 0.
    public static func cMixup(alpha: Double = 2, bandwidth: Double = 1) throws(MixingError) -> CMixupStrategy {
        try CMixupStrategy(distribution: .beta(alpha: alpha), bandwidth: bandwidth)
    }
}

extension Regularizer {
    /// C-Mixup at the input (Yao et al. 2022): partners drawn by a Gaussian kernel of bandwidth σ on label distance,
    /// λ ~ Beta(α, α), targets interpolated.
    ///
    /// - Throws: ``MixingError`` naming α if α ≤ 0, or σ if σ ≤ 0.
    public static func cMixup(alpha: Double = 2, bandwidth: Double = 1) throws(MixingError) -> Regularizer {
        try Regularizer(name: "cmixup", strategy: CMixupStrategy.cMixup(alpha: alpha, bandwidth: bandwidth))
    }
}
