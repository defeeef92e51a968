import MixupTensor

/// Chooses one of several strategies per batch with given probabilities — e.g. Mixup or CutMix, as timm's
/// `switch_prob` — and applies the chosen one. The choice is recorded in the plan's ``MixPlan/route``.
public struct SwitchingStrategy: MixingStrategy {
    /// The strategies and their probabilities (summing to 1).
    public let options: [(strategy: any MixingStrategy, probability: Double)]

    /// Creates the composite.
    ///
    /// - Throws: ``MixingError`` if there are no options, a probability is outside [0, 1], or they do not sum to 1.
    public init(_ options: [(strategy: any MixingStrategy, probability: Double)]) throws(MixingError) {
        guard !options.isEmpty else { throw MixingError("SwitchingStrategy needs at least one strategy") }
        for option in options {
            try MixingValidation.checkProbability(option.probability, "probability of \(option.strategy.name)")
        }
        let total = options.reduce(0) { $0 + $1.probability }
        guard abs(total - 1) < 1e-9 else {
            throw MixingError(
                "SwitchingStrategy probabilities must sum to 1, got \(total) (\(options.map(\.probability)))")
        }
        self.options = options
    }

    public var name: String {
        "switch(" + options.map { "\($0.strategy.name):\($0.probability)" }.joined(separator: ",") + ")"
    }

    public func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError)
        -> MixPlan
    {
        let u = generator.nextUnitDouble()
        var cumulative = 0.0
        // When rounding leaves the cumulative sum just below 1 and u falls in the gap, fall back to the last option
        // that can actually be picked, never to a trailing zero-probability one.
        var chosen = options.lastIndex { $0.probability > 0 } ?? options.count - 1
        for (index, option) in options.enumerated() {
            cumulative += option.probability
            if u < cumulative {
                chosen = index
                break
            }
        }
        var plan = try options[chosen].strategy.plan(batchSize: batchSize, sampleShape: sampleShape, using: &generator)
        plan.route.insert(chosen, at: 0)
        return plan
    }

    public func apply(_ plan: MixPlan, to x: Tensor) throws(MixingError) -> Tensor {
        guard let chosen = plan.route.first, chosen >= 0, chosen < options.count else {
            throw MixingError("plan route \(plan.route) was not drawn by this SwitchingStrategy")
        }
        var inner = plan
        inner.route.removeFirst()
        return try options[chosen].strategy.apply(inner, to: x)
    }
}

/// The strategy that never changes a batch: every plan is the identity (used by ERM).
public struct IdentityStrategy: MixingStrategy {
    /// Creates the strategy.
    public init() {}
    public var name: String { "none" }
    public func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError)
        -> MixPlan
    { .identity(batchSize: batchSize) }
}
