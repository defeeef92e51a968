import MixupTensor

/// How targets follow a mix.
///
/// Given the realised plan and the batch's targets (`[batch, classes]` rows of probabilities: one-hot labels, smoothed
/// labels or a teacher's guesses), a label mixer returns the targets of the mixed batch. Label mixers use
/// ``MixPlan/labelWeights`` — the weight actually realised after clipping and rounding — never the drawn λ.
public protocol LabelMixer: Sendable {
    /// A short name for logs.
    var name: String { get }

    /// The targets for the batch mixed by `plan`.
    ///
    /// - Throws: ``MixingError`` when `labels` is not `[plan.batchSize, classes]`.
    func targets(for plan: MixPlan, labels: Tensor) throws(MixingError) -> MixedTargets
}

/// Mixes targets with the plan's realised weights: t_i = Σₛ wₛ,ᵢ·y[indicesₛ[i]] over the plan's sources
/// (t_i = w_i·y_i + (1 − w_i)·y_partner(i) for a two-sample mix).
public struct InterpolatedLabels: LabelMixer {
    /// Creates the mixer.
    public init() {}
    public var name: String { "interpolated" }
    public func targets(for plan: MixPlan, labels: Tensor) throws(MixingError) -> MixedTargets {
        guard labels.rank == 2, labels.shape[0] == plan.batchSize else {
            throw .shapeMismatch(
                what: "labels", shape: labels.shape, expected: "[\(plan.batchSize), classes] (the plan's batch)")
        }
        let plain = labels.detached()
        return try MixedTargets(
            sources: plan.sources.map { plain.gathering(rows: $0.indices) }, weights: plan.sourceLabelWeights)
    }
}

/// Label smoothing (Szegedy et al. 2016) composed with another label mixer: targets become (1 − ε)·y + ε/classes
/// before they are mixed. Smoothing is never baked into strategies.
public struct SmoothedLabels<Base: LabelMixer>: LabelMixer {
    /// The mixer applied after smoothing.
    public let base: Base
    /// The smoothing ε ∈ [0, 1].
    public let epsilon: Float

    /// Creates the mixer.
    ///
    /// - Throws: ``MixingError`` if ε is outside [0, 1].
    public init(_ base: Base, epsilon: Float) throws(MixingError) {
        guard epsilon >= 0 && epsilon <= 1 else {
            throw .invalidParameter(name: "label smoothing ε", value: "\(epsilon)", requirement: "be in [0, 1]")
        }
        self.base = base
        self.epsilon = epsilon
    }

    public var name: String { "\(base.name)+smoothing(\(epsilon))" }

    public func targets(for plan: MixPlan, labels: Tensor) throws(MixingError) -> MixedTargets {
        guard labels.rank == 2, labels.shape[1] > 0 else {
            throw .shapeMismatch(what: "labels", shape: labels.shape, expected: "[batch, classes]")
        }
        let classes = Float(labels.shape[1])
        let smoothed = withoutGradients { labels.detached() * (1 - epsilon) + epsilon / classes }
        return try base.targets(for: plan, labels: smoothed)
    }
}

extension LabelMixer where Self == InterpolatedLabels {
    /// Mix targets by the realised weights.
    public static var interpolated: InterpolatedLabels { InterpolatedLabels() }
}

extension LabelMixer {
    /// This mixer with label smoothing ε applied first.
    public func smoothed(_ epsilon: Float) throws(MixingError) -> SmoothedLabels<Self> {
        try SmoothedLabels(self, epsilon: epsilon)
    }
}
