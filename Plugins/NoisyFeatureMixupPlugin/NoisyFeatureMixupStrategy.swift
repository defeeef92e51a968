import InputMixupPlugin
import MixupMixing
import MixupTensor

/// Noisy Feature Mixup (Lim, Erichson, Utrera, Xu & Mahoney, ICLR 2022, "Noisy Feature Mixup"): Manifold Mixup's
/// interpolation followed by multiplicative and additive noise on the mixed features,
/// x̃ = (1 + m·b_m·u) ⊙ (λ·x + (1 − λ)·x_partner) + a·b_a·ε, with u ~ U(−1, 1) and ε ~ N(0, 1) per element and
/// b_m, b_a ~ Beta(2, 5) once per batch, as the authors' code draws them (a = ``additiveNoise``,
/// m = ``multiplicativeNoise``).
///
/// The interpolation is ``InterpolationStrategy``'s, drawn first with the same generator, so with both noise levels 0
/// the plan, the mixed batch and the labels equal (Manifold) Mixup's bit for bit for the same seed. The noise lives in
/// the plan's payload (``FeatureNoise``), drawn for the shape at the mix point; labels follow λ only (noise does not
/// change the mixed fraction). Noise is a training-time perturbation: it exists only in plans a ``Regularizer`` draws
/// during training, never in evaluation, which runs the model without a regularizer.
public struct NoisyFeatureMixupStrategy: MixingStrategy {
    /// The noise of one plan, `[batch] + sampleShape` row-major each.
    public struct FeatureNoise: MixPayload {
        /// The factor multiplying each mixed element, 1 + m·b_m·u.
        public let multiplicative: [Float]
        /// The term added to each element after the multiplication, a·b_a·ε.
        public let additive: [Float]
        /// The per-sample shape the noise was drawn for.
        public let sampleShape: [Int]

        /// Creates the noise of a plan.
        public init(multiplicative: [Float], additive: [Float], sampleShape: [Int]) {
            self.multiplicative = multiplicative
            self.additive = additive
            self.sampleShape = sampleShape
        }
    }

    /// The interpolation (partners and λ) the noise is added to.
    public let interpolation: InterpolationStrategy
    /// The additive noise level a ≥ 0 (the paper's default 0.4).
    public let additiveNoise: Double
    /// The multiplicative noise level m ≥ 0 (the paper's default 0.2).
    public let multiplicativeNoise: Double

    /// Creates the strategy.
    ///
    /// - Throws: ``MixingError/invalidParameter(name:value:requirement:)`` naming a negative or non-finite noise
    ///   level.
    public init(interpolation: InterpolationStrategy, additiveNoise: Double = 0.4, multiplicativeNoise: Double = 0.2)
        throws(MixingError)
    {
        for (name, level) in [
            ("additive noise level", additiveNoise), ("multiplicative noise level", multiplicativeNoise),
        ]
        where !(level >= 0 && level.isFinite) {
            throw .invalidParameter(
                name: "Noisy Feature Mixup's \(name)", value: "\(level)", requirement: "be non-negative and finite")
        }
        self.interpolation = interpolation
        self.additiveNoise = additiveNoise
        self.multiplicativeNoise = multiplicativeNoise
    }

    public var name: String { "nfm" }

    public func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError)
        -> MixPlan
    {
        var plan = try interpolation.plan(batchSize: batchSize, sampleShape: sampleShape, using: &generator)
        guard additiveNoise > 0 || multiplicativeNoise > 0 else { return plan }
        let count = batchSize * sampleShape.reduce(1, *)
        var multiplicative = [Float](repeating: 1, count: count)
        var additive = [Float](repeating: 0, count: count)
        if additiveNoise > 0 {
            let scale = additiveNoise * generator.nextBeta(2, 5)
            for k in 0..<count { additive[k] = Float(scale * generator.nextNormal()) }
        }
        if multiplicativeNoise > 0 {
            let scale = multiplicativeNoise * generator.nextBeta(2, 5)
            for k in 0..<count { multiplicative[k] = Float(1 + scale * generator.nextUniform(-1, 1)) }
        }
        plan.payload = FeatureNoise(multiplicative: multiplicative, additive: additive, sampleShape: sampleShape)
        return plan
    }

    /// Interpolates `x` by the plan, then applies the plan's noise (none when both levels are 0).
    ///
    /// - Throws: ``MixingError/planMismatch(strategy:reason:)`` when the plan's noise was drawn for another shape.
    public func apply(_ plan: MixPlan, to x: Tensor) throws(MixingError) -> Tensor {
        let mixed = try plan.mix(x)
        guard let noise = plan.payload(as: FeatureNoise.self) else {
            guard additiveNoise == 0 && multiplicativeNoise == 0 else {
                throw .planMismatch(strategy: name, reason: "the plan carries no FeatureNoise payload")
            }
            return mixed
        }
        guard [plan.batchSize] + noise.sampleShape == x.shape else {
            throw .planMismatch(
                strategy: name,
                reason: "its noise was drawn for \([plan.batchSize] + noise.sampleShape), the tensor is \(x.shape)")
        }
        return mixed * Tensor(shape: x.shape, scalars: noise.multiplicative)
            + Tensor(shape: x.shape, scalars: noise.additive)
    }
}

extension MixingStrategy where Self == NoisyFeatureMixupStrategy {
    /// Noisy Feature Mixup's mix: λ ~ Beta(α, α), then multiplicative and additive feature noise.
    ///
    /// - Throws: ``MixingError`` if α ≤ 0 or a noise level is negative.
    public static func noisyFeatureMixup(
        alpha: Double = 1, additiveNoise: Double = 0.4, multiplicativeNoise: Double = 0.2
    )
        throws(MixingError) -> NoisyFeatureMixupStrategy
    {
        try NoisyFeatureMixupStrategy(
            interpolation: .mixup(alpha: alpha), additiveNoise: additiveNoise, multiplicativeNoise: multiplicativeNoise)
    }
}

extension Regularizer {
    /// Noisy Feature Mixup (Lim et al., ICLR 2022): Manifold Mixup over the model's mix points (the input included;
    /// `mixPoints` restricts them) with λ ~ Beta(α, α), followed by multiplicative (m) and additive (a) noise.
    ///
    /// - Parameters:
    ///   - alpha: the Beta concentration (the paper's default 1).
    ///   - additiveNoise: the additive level a (default 0.4).
    ///   - multiplicativeNoise: the multiplicative level m (default 0.2).
    ///   - mixPoints: names of the candidate points (`nil`: all of the model's points).
    /// - Throws: ``MixingError`` if α ≤ 0, a noise level is negative or `mixPoints` is empty.
    public static func noisyFeatureMixup(
        alpha: Double = 1, additiveNoise: Double = 0.4, multiplicativeNoise: Double = 0.2, mixPoints: [String]? = nil
    ) throws(MixingError) -> Regularizer {
        try Regularizer(
            name: "nfm",
            strategy: NoisyFeatureMixupStrategy.noisyFeatureMixup(
                alpha: alpha, additiveNoise: additiveNoise, multiplicativeNoise: multiplicativeNoise),
            selector: RandomLayerSelector(among: mixPoints))
    }
}
