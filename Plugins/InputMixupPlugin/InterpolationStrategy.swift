import MixupMixing
import MixupTensor

/// Linear interpolation of samples: x̃ = λ·x + (1 − λ)·x_partner — input Mixup (Zhang et al. 2018, "mixup: Beyond
/// Empirical Risk Minimization") when applied at the input, Manifold Mixup (Verma et al. 2019) at hidden layers.
///
/// Built only on MixupKit's public API. λ is the weight of the original sample.
public struct InterpolationStrategy: MixingStrategy {
    /// The distribution of λ.
    public let distribution: MixWeightDistribution
    /// How many λ values a batch draws.
    public let granularity: LambdaGranularity
    /// How partners are chosen.
    public let pairing: Pairing

    /// Creates the strategy.
    ///
    /// - Throws: ``MixingError`` if `granularity` is `.perPair` with a pairing that is not symmetric.
    public init(
        distribution: MixWeightDistribution, granularity: LambdaGranularity = .perBatch, pairing: Pairing = .permutation
    ) throws(MixingError) {
        if granularity == .perPair && !pairing.isSymmetric {
            throw .incompatibleOptions(
                "per-pair λ needs a symmetric pairing (.randomPairs or .reversed), got \(pairing)")
        }
        self.distribution = distribution
        self.granularity = granularity
        self.pairing = pairing
    }

    public var name: String { "mixup" }

    public func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError)
        -> MixPlan
    {
        try MixingValidation.checkNonEmpty(batchSize: batchSize)
        let partners = pairing.partners(batchSize: batchSize, using: &generator)
        var lambdas = [Float](repeating: 0, count: batchSize)
        switch granularity {
        case .perBatch:
            let lambda = Float(distribution.sample(using: &generator))
            for i in 0..<batchSize { lambdas[i] = lambda }
        case .perSample:
            for i in 0..<batchSize { lambdas[i] = Float(distribution.sample(using: &generator)) }
        case .perPair:
            var drawn = [Bool](repeating: false, count: batchSize)
            for i in 0..<batchSize where !drawn[i] {
                let lambda = Float(distribution.sample(using: &generator))
                lambdas[i] = lambda
                lambdas[partners[i]] = lambda
                drawn[i] = true
                drawn[partners[i]] = true
            }
        }
        // A sample paired with itself is unchanged whatever λ says; its realised own weight is 1. Use 1 as its mixing
        // weight too, so that λ·x + (1 − λ)·x cannot drift from x by float rounding.
        let realised = (0..<batchSize).map { partners[$0] == $0 ? Float(1) : lambdas[$0] }
        return try MixPlan(partners: partners, weights: .perSample(realised), labelWeights: realised)
    }
}

extension MixingStrategy where Self == InterpolationStrategy {
    /// Mixup's interpolation with λ ~ Beta(α, α).
    ///
    /// - Throws: ``MixingError`` if α ≤ 0.
    public static func mixup(
        alpha: Double, granularity: LambdaGranularity = .perBatch, pairing: Pairing = .permutation
    ) throws(MixingError) -> InterpolationStrategy {
        try InterpolationStrategy(distribution: .beta(alpha: alpha), granularity: granularity, pairing: pairing)
    }
}

extension Regularizer {
    /// Input Mixup (Zhang et al. 2018): interpolate inputs and one-hot targets with λ ~ Beta(α, α).
    ///
    /// - Throws: ``MixingError`` if α ≤ 0.
    public static func mixup(
        alpha: Double = 1, granularity: LambdaGranularity = .perBatch, pairing: Pairing = .permutation
    ) throws(MixingError) -> Regularizer {
        try Regularizer(
            name: "mixup",
            strategy: InterpolationStrategy.mixup(alpha: alpha, granularity: granularity, pairing: pairing),
            selector: InputSelector())
    }
}
