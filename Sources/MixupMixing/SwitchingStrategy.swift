import MixupTensor

/// Chooses one of several strategies per batch with given probabilities — e.g. Mixup or CutMix, as timm's
/// `switch_prob` — and applies the chosen one. The choice travels in the plan's payload as a
/// ``SwitchingStrategy/Choice`` wrapping the chosen strategy's own payload.
public struct SwitchingStrategy: MixingStrategy {
    /// The payload of a plan drawn by a switch: which option drew it, and that option's own payload.
    public struct Choice: MixPayload {
        /// The index of the chosen option in ``SwitchingStrategy/options``.
        public let option: Int
        /// The chosen strategy's payload, if it had one.
        public let inner: (any MixPayload)?

        /// Creates a choice.
        public init(option: Int, inner: (any MixPayload)?) {
            self.option = option
            self.inner = inner
        }

        public static func == (lhs: Choice, rhs: Choice) -> Bool {
            lhs.option == rhs.option && payloadsEqual(lhs.inner, rhs.inner)
        }
    }

    /// The strategies and their probabilities (summing to 1).
    public let options: [(strategy: any MixingStrategy, probability: Double)]

    /// Creates the composite.
    ///
    /// - Throws: ``MixingError/invalidParameter(name:value:requirement:)`` if there are no options, a probability is
    ///   outside [0, 1], or they do not sum to 1.
    public init(_ options: [(strategy: any MixingStrategy, probability: Double)]) throws(MixingError) {
        guard !options.isEmpty else {
            throw .invalidParameter(name: "SwitchingStrategy options", value: "[]", requirement: "not be empty")
        }
        for option in options {
            try MixingValidation.checkProbability(option.probability, "probability of \(option.strategy.name)")
        }
        let total = options.reduce(0) { $0 + $1.probability }
        guard abs(total - 1) < 1e-9 else {
            throw .invalidParameter(
                name: "SwitchingStrategy probabilities", value: "\(total) (\(options.map(\.probability)))",
                requirement: "sum to 1")
        }
        self.options = options
    }

    public var name: String {
        "switch(" + options.map { "\($0.strategy.name):\($0.probability)" }.joined(separator: ",") + ")"
    }

    /// Draws the option for this batch (one uniform draw).
    func choose(using generator: inout some RandomNumberGenerator) -> Int {
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
        return chosen
    }

    static func wrap(_ plan: MixPlan, option: Int) -> MixPlan {
        var plan = plan
        plan.payload = Choice(option: option, inner: plan.payload)
        return plan
    }

    public func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError)
        -> MixPlan
    {
        let chosen = choose(using: &generator)
        let plan = try options[chosen].strategy.plan(batchSize: batchSize, sampleShape: sampleShape, using: &generator)
        return Self.wrap(plan, option: chosen)
    }

    /// Chooses an option and lets it see the batch (so data-aware options work inside a switch).
    public func plan(for batch: MixingBatch, using generator: inout some RandomNumberGenerator) throws(MixingError)
        -> MixPlan
    {
        let chosen = choose(using: &generator)
        return Self.wrap(try options[chosen].strategy.plan(for: batch, using: &generator), option: chosen)
    }

    public func apply(_ plan: MixPlan, to x: Tensor) throws(MixingError) -> Tensor {
        guard let choice = plan.payload(as: Choice.self) else {
            throw .planMismatch(strategy: name, reason: "its payload is not a SwitchingStrategy.Choice")
        }
        guard choice.option >= 0, choice.option < options.count else {
            throw .planMismatch(strategy: name, reason: "option \(choice.option) is not in 0..<\(options.count)")
        }
        var inner = plan
        inner.payload = choice.inner
        return try options[choice.option].strategy.apply(inner, to: x)
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
