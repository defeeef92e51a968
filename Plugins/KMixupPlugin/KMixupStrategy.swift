import MixupMixing
import MixupTensor

/// k-sample Mixup: every sample is interpolated with k − 1 partners, the k weights drawn from a symmetric
/// Dirichlet(α, …, α) — the generalisation of Mixup to convex combinations of more than two samples that Zhang et al.
/// (ICLR 2018, "mixup: Beyond Empirical Risk Minimization", §3.1) discuss. (Not the optimal-transport matching of
/// Greenewald et al.'s "k-Mixup Regularization for Deep Learning via Optimal Transport", TMLR 2023.)
///
/// Partner set s (s = 1…k − 1) is an independent random permutation. The weights are per batch (the default) or per
/// sample; the original's weight is 1 minus the partners', so each sample's weights sum to 1. A sample whose every
/// partner is itself keeps weight 1 and is unchanged. Targets follow with the same weights: the realised label weight
/// of every source is its interpolation weight.
public struct KMixupStrategy: MixingStrategy {
    /// The number of samples per mixed sample, original included (k ≥ 2; k = 2 is Mixup with λ ~ Beta(α, α)).
    public let k: Int
    /// The Dirichlet concentration α.
    public let alpha: Double
    /// One weight vector for the batch (`.perBatch`) or one per sample (`.perSample`).
    public let granularity: LambdaGranularity

    /// Creates the strategy.
    ///
    /// - Throws: ``MixingError/invalidParameter(name:value:requirement:)`` if k < 2 or α ≤ 0;
    ///   ``MixingError/incompatibleOptions(_:)`` for `.perPair`.
    public init(k: Int = 3, alpha: Double = 1, granularity: LambdaGranularity = .perBatch) throws(MixingError) {
        guard k >= 2 else { throw .invalidParameter(name: "k-Mixup's k", value: "\(k)", requirement: "be at least 2") }
        try MixingValidation.checkConcentration(alpha)
        guard granularity != .perPair else {
            throw .incompatibleOptions("k-Mixup draws weights per batch or per sample, not per pair")
        }
        self.k = k
        self.alpha = alpha
        self.granularity = granularity
    }

    public var name: String { "kmixup" }

    /// One Dirichlet(α, …, α) draw of k weights, the first (the original's) being 1 minus the others.
    func drawWeights(using generator: inout some RandomNumberGenerator) -> [Float] {
        let gammas = (0..<k).map { _ in generator.nextGamma(shape: alpha) }
        let total = gammas.reduce(0, +)
        var weights = [Float](repeating: 0, count: k)
        guard total > 0 else {
            weights[0] = 1
            return weights
        }
        var partners: Float = 0
        for s in 1..<k {
            weights[s] = Float(gammas[s] / total)
            partners += weights[s]
        }
        weights[0] = max(0, 1 - partners)
        return weights
    }

    public func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError)
        -> MixPlan
    {
        try MixingValidation.checkNonEmpty(batchSize: batchSize)
        let partnerSets = (1..<k).map { _ in Pairing.permutation.partners(batchSize: batchSize, using: &generator) }
        let shared = granularity == .perBatch ? drawWeights(using: &generator) : nil
        var weights = [[Float]](repeating: [Float](repeating: 0, count: batchSize), count: k)
        for i in 0..<batchSize {
            let drawn = shared ?? drawWeights(using: &generator)
            if partnerSets.allSatisfy({ $0[i] == i }) {
                weights[0][i] = 1
                continue
            }
            for s in 0..<k { weights[s][i] = drawn[s] }
        }
        return try MixPlan(
            original: .perSample(weights[0]), labelWeights: weights[0],
            partners: (1..<k).map { s in
                MixPlan.Source(indices: partnerSets[s - 1], weights: .perSample(weights[s]), labelWeights: weights[s])
            })
    }
}

extension MixingStrategy where Self == KMixupStrategy {
    /// k-sample Mixup with Dirichlet(α, …, α) weights.
    ///
    /// - Throws: ``MixingError`` if k < 2 or α ≤ 0.
    public static func kMixup(k: Int = 3, alpha: Double = 1) throws(MixingError) -> KMixupStrategy {
        try KMixupStrategy(k: k, alpha: alpha)
    }
}

extension Regularizer {
    /// k-sample Mixup at the input: each sample a Dirichlet-weighted blend of itself and k − 1 partners.
    ///
    /// - Throws: ``MixingError`` if k < 2 or α ≤ 0.
    public static func kMixup(k: Int = 3, alpha: Double = 1) throws(MixingError) -> Regularizer {
        try Regularizer(name: "kmixup", strategy: KMixupStrategy.kMixup(k: k, alpha: alpha))
    }
}
