/// Where λ (the weight of the original sample) comes from.
public struct MixWeightDistribution: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case beta(Double, Double)
        case fixed(Double)
        case uniform(Double, Double)
    }

    let kind: Kind
    /// Whether draws are replaced by max(λ, 1 − λ), so the original sample dominates (MixMatch, Berthelot et al. 2019).
    public let keepsOriginalDominant: Bool

    /// λ ~ Beta(α, α), the Mixup family's distribution (Zhang et al. 2018).
    ///
    /// - Throws: ``MixingError`` if α ≤ 0 or not finite.
    public static func beta(alpha: Double) throws(MixingError) -> MixWeightDistribution {
        try MixingValidation.checkConcentration(alpha)
        return MixWeightDistribution(kind: .beta(alpha, alpha), keepsOriginalDominant: false)
    }

    /// λ ~ Beta(α, β).
    public static func beta(alpha: Double, beta: Double) throws(MixingError) -> MixWeightDistribution {
        try MixingValidation.checkConcentration(alpha)
        try MixingValidation.checkConcentration(beta, "beta")
        return MixWeightDistribution(kind: .beta(alpha, beta), keepsOriginalDominant: false)
    }

    /// λ is always `value`.
    ///
    /// - Throws: ``MixingError`` if `value` is not in [0, 1].
    public static func fixed(_ value: Double) throws(MixingError) -> MixWeightDistribution {
        guard value >= 0 && value <= 1 else {
            throw .invalidParameter(name: "fixed λ", value: "\(value)", requirement: "be in [0, 1]")
        }
        return MixWeightDistribution(kind: .fixed(value), keepsOriginalDominant: false)
    }

    /// λ ~ Uniform(lower, upper) within [0, 1].
    public static func uniform(_ lower: Double, _ upper: Double) throws(MixingError) -> MixWeightDistribution {
        guard lower >= 0, upper <= 1, lower <= upper else {
            throw .invalidParameter(
                name: "uniform λ range", value: "[\(lower), \(upper)]", requirement: "satisfy 0 ≤ lower ≤ upper ≤ 1")
        }
        return MixWeightDistribution(kind: .uniform(lower, upper), keepsOriginalDominant: false)
    }

    /// The same distribution with draws replaced by max(λ, 1 − λ) (MixMatch's λ′ ≥ 0.5).
    public func keepingOriginalDominant() -> MixWeightDistribution {
        MixWeightDistribution(kind: kind, keepsOriginalDominant: true)
    }

    /// One draw of λ in [0, 1].
    public func sample(using generator: inout some RandomNumberGenerator) -> Double {
        var lambda: Double
        switch kind {
        case .beta(let a, let b): lambda = generator.nextBeta(a, b)
        case .fixed(let v): lambda = v
        case .uniform(let lower, let upper): lambda = generator.nextUniform(lower, upper)
        }
        lambda = min(max(lambda, 0), 1)
        return keepsOriginalDominant ? max(lambda, 1 - lambda) : lambda
    }
}
