import MixupKit

/// The property checks MixupKit holds its own mixers to, for any ``MixingStrategy`` — yours included.
///
/// Each check draws plans with ``SeededGenerator``s, applies them, and throws a ``MixerCheckFailure`` naming the
/// seed, sample and values when the property does not hold. The checks use only MixupKit's public API and no test
/// framework, so they work from Swift Testing, XCTest or a plain executable:
///
/// ```swift
/// @Test func myMixerHoldsTheProperties() throws {
///     let checks = MixerChecks(MyMixer(), sampleShape: [10])
///     try checks.checkAll()
///     let (model, point) = try MixerChecks<MyMixer>.tinyClassifier(sampleShape: [10], classes: 3)
///     try checks.checkGradientsReachLayersBeforeMixPoint(model: model, point: point, classes: 3)
/// }
/// ```
///
/// The realised-fraction check relies on the mix being linear in the batch (every blend, box paste and resized paste
/// is); a strategy that adds noise should check that part with its noise off.
public struct MixerChecks<Strategy: MixingStrategy> {
    /// The strategy under test.
    public let strategy: Strategy
    /// The per-sample shape plans are drawn for, e.g. `[features]` or `[channels, height, width]`.
    public let sampleShape: [Int]
    /// The batch size of most checks (odd and size-1 batches are checked too).
    public let batchSize: Int
    /// The seeds plans are drawn with.
    public let seeds: [UInt64]
    /// The tolerance for "sums to 1" and "equals the mixed fraction".
    public let tolerance: Float

    /// Creates the checks.
    public init(
        _ strategy: Strategy, sampleShape: [Int], batchSize: Int = 8, seeds: [UInt64] = [1, 2, 3, 4],
        tolerance: Float = 1e-4
    ) {
        self.strategy = strategy
        self.sampleShape = sampleShape
        self.batchSize = batchSize
        self.seeds = seeds
        self.tolerance = tolerance
    }

    /// Draws a plan for `batch` samples with `SeededGenerator(seed:)`, via ``MixingStrategy/plan(for:using:)`` on a
    /// reproducible random batch whose labels are one-hot classes i mod 3 (so data-aware strategies, label-aware ones
    /// included, are checked too).
    public func drawPlan(batch: Int, seed: UInt64) throws(MixerCheckFailure) -> MixPlan {
        var generator = SeededGenerator(seed: seed)
        do {
            return try strategy.plan(
                for: MixingBatch(
                    values: Self.randomBatch([batch] + sampleShape, seed: seed &+ 1000),
                    labels: Tensor.oneHot((0..<batch).map { $0 % 3 }, classCount: 3)),
                using: &generator)
        } catch {
            throw failure(
                "plan", "\(strategy.name) could not draw a plan for \(batch) samples (seed \(seed)): \(error)")
        }
    }

    /// Runs every check that needs no model: label weights sum to 1, realised weights equal the mixed fraction,
    /// same seed ⇒ same plan, odd and size-1 batches, self-paired samples unchanged.
    ///
    /// - Throws: the first ``MixerCheckFailure``.
    public func checkAll() throws(MixerCheckFailure) {
        for seed in seeds {
            let plan = try drawPlan(batch: batchSize, seed: seed)
            try checkLabelWeightsSumToOne(plan)
            try checkRealisedWeightsMatchMixedFraction(plan)
            try checkSelfPairedSamplesUnchanged(plan)
        }
        try checkSameSeedSamePlan()
        try checkOddAndSingleSampleBatches()
    }

    /// Every source's realised label weights are in [0, 1] and sum to 1 per sample, and the interpolated targets of
    /// one-hot labels are rows of probabilities equal to Σₛ wₛ·y[indicesₛ].
    public func checkLabelWeightsSumToOne(_ plan: MixPlan) throws(MixerCheckFailure) {
        let check = "labelWeightsSumToOne"
        for i in 0..<plan.batchSize {
            let weights = plan.sources.map { $0.labelWeights[i] }
            guard weights.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
                throw failure(check, "sample \(i): label weights \(weights) are not all in [0, 1]")
            }
            let total = weights.reduce(0, +)
            guard abs(total - 1) <= tolerance else {
                throw failure(check, "sample \(i): label weights \(weights) sum to \(total), not 1")
            }
        }
        let classes = 3
        let labels = Tensor.oneHot((0..<plan.batchSize).map { $0 % classes }, classCount: classes)
        let targets: MixedTargets
        do { targets = try InterpolatedLabels().targets(for: plan, labels: labels) } catch {
            throw failure(check, "InterpolatedLabels rejected the plan: \(error)")
        }
        for i in 0..<plan.batchSize {
            let row = Array(targets.soft.scalars[(i * classes)..<((i + 1) * classes)])
            var expected = [Float](repeating: 0, count: classes)
            for source in plan.sources { expected[source.indices[i] % classes] += source.labelWeights[i] }
            guard zip(row, expected).allSatisfy({ abs($0 - $1) <= tolerance }) else {
                throw failure(check, "sample \(i): mixed targets \(row), expected \(expected)")
            }
        }
    }

    /// The realised label weight of each source equals the fraction of the mixed sample it actually contributes
    /// (pixel, feature, channel or area share): for every sample `j`, mixing a batch that is 1 on sample `j` and 0
    /// elsewhere gives, in mixed sample `i`, a mean equal to the label weights of the sources that take `j` into `i`.
    public func checkRealisedWeightsMatchMixedFraction(_ plan: MixPlan) throws(MixerCheckFailure) {
        let check = "realisedWeightsMatchMixedFraction"
        let perSample = sampleShape.reduce(1, *)
        guard perSample > 0 else { return }
        for j in 0..<plan.batchSize {
            var scalars = [Float](repeating: 0, count: plan.batchSize * perSample)
            for k in (j * perSample)..<((j + 1) * perSample) { scalars[k] = 1 }
            let indicator = Tensor(shape: [plan.batchSize] + sampleShape, scalars: scalars)
            let mixed: Tensor
            do { mixed = try strategy.apply(plan, to: indicator) } catch {
                throw failure(check, "\(strategy.name).apply failed: \(error)")
            }
            guard mixed.shape == indicator.shape else {
                throw failure(check, "apply returned shape \(mixed.shape) for an input of shape \(indicator.shape)")
            }
            for i in 0..<plan.batchSize {
                let share = mixed.scalars[(i * perSample)..<((i + 1) * perSample)].reduce(Double(0)) {
                    $0 + Double($1)
                }
                let measured = Float(share / Double(perSample))
                let expected = plan.sources.reduce(Float(0)) { $0 + ($1.indices[i] == j ? $1.labelWeights[i] : 0) }
                guard abs(measured - expected) <= tolerance else {
                    throw failure(
                        check,
                        "mixed sample \(i) is \(measured) sample \(j), but its label weights give \(j) a share of "
                            + "\(expected)")
                }
            }
        }
    }

    /// A sample whose every source is itself comes out unchanged, bit for bit, with label weight 1 in total.
    public func checkSelfPairedSamplesUnchanged(_ plan: MixPlan) throws(MixerCheckFailure) {
        let check = "selfPairedSamplesUnchanged"
        let x = Self.randomBatch([plan.batchSize] + sampleShape, seed: 77)
        let mixed: Tensor
        do { mixed = try strategy.apply(plan, to: x) } catch { throw failure(check, "apply failed: \(error)") }
        let perSample = sampleShape.reduce(1, *)
        for i in 0..<plan.batchSize where plan.sources.allSatisfy({ $0.indices[i] == i }) {
            guard
                Array(mixed.scalars[(i * perSample)..<((i + 1) * perSample)])
                    == Array(x.scalars[(i * perSample)..<((i + 1) * perSample)])
            else { throw failure(check, "sample \(i) is its own partner but changed") }
        }
    }

    /// The same seed gives the same plan (payload included) and the same mixed batch; different seeds do not all
    /// give the same plan.
    public func checkSameSeedSamePlan() throws(MixerCheckFailure) {
        let check = "sameSeedSamePlan"
        guard let seed = seeds.first else { return }
        let a = try drawPlan(batch: batchSize, seed: seed)
        let b = try drawPlan(batch: batchSize, seed: seed)
        guard a == b else { throw failure(check, "seed \(seed) drew two different plans") }
        let x = Self.randomBatch([batchSize] + sampleShape, seed: 5)
        do {
            guard try strategy.apply(a, to: x).scalars == strategy.apply(b, to: x).scalars else {
                throw failure(check, "the same plan mixed the same batch differently")
            }
        } catch let error as MixerCheckFailure { throw error } catch {
            throw failure(check, "apply failed: \(error)")
        }
        var allSame = true
        for other in seeds.dropFirst() where try drawPlan(batch: batchSize, seed: other) != a { allSame = false }
        guard !allSame || seeds.count < 2 else {
            throw failure(check, "seeds \(seeds) all drew the same plan: the generator is not used")
        }
    }

    /// Batches of 1, 3 and 5 work: plans are valid, the mixed batch keeps its shape, and a batch of one comes out
    /// unchanged with label weight 1.
    public func checkOddAndSingleSampleBatches() throws(MixerCheckFailure) {
        let check = "oddAndSingleSampleBatches"
        for batch in [1, 3, 5] {
            for seed in seeds {
                let plan = try drawPlan(batch: batch, seed: seed)
                guard plan.batchSize == batch else {
                    throw failure(check, "a plan for \(batch) samples has batch size \(plan.batchSize)")
                }
                try checkLabelWeightsSumToOne(plan)
                let x = Self.randomBatch([batch] + sampleShape, seed: seed)
                let mixed: Tensor
                do { mixed = try strategy.apply(plan, to: x) } catch {
                    throw failure(check, "apply failed for a batch of \(batch): \(error)")
                }
                guard mixed.shape == x.shape else {
                    throw failure(check, "a batch of shape \(x.shape) came out as \(mixed.shape)")
                }
                if batch == 1 {
                    guard plan.sources.allSatisfy({ $0.indices == [0] }) else {
                        throw failure(
                            check,
                            "a batch of one must mix only with itself, got sources \(plan.sources.map(\.indices))")
                    }
                    guard mixed.scalars == x.scalars else {
                        throw failure(check, "a batch of one changed (seed \(seed))")
                    }
                }
            }
        }
    }

    /// No sample is mixed with itself unless the batch has one sample (for strategies whose pairing promises it,
    /// e.g. ``Pairing/derangement``).
    public func checkNoSelfPairs(batchSizes: [Int] = [2, 3, 5, 8]) throws(MixerCheckFailure) {
        let check = "noSelfPairs"
        for batch in batchSizes where batch >= 2 {
            for seed in seeds {
                let plan = try drawPlan(batch: batch, seed: seed)
                for (s, source) in plan.partnerSources.enumerated() {
                    if let i = (0..<batch).first(where: { source.indices[$0] == $0 }) {
                        throw failure(
                            check,
                            "sample \(i) is its own partner in partner set \(s + 1) (batch \(batch), seed \(seed))")
                    }
                }
            }
        }
    }

    /// Gradients of a loss on the mixed batch reach every parameter that the hidden state at `point` depends on, when
    /// the strategy mixes there through ``Regularizer``: the strategy's `apply` keeps the gradient path.
    ///
    /// - Parameters:
    ///   - model: a small model with a hidden mix point named `point`.
    ///   - point: the name of a hidden mix point (not the input).
    ///   - input: `[batch, ...]` model inputs; a reproducible random batch of ``sampleShape`` when `nil`.
    ///   - classes: the model's number of classes.
    public func checkGradientsReachLayersBeforeMixPoint(
        model: any MixableModel, point: String, input: Tensor? = nil, classes: Int
    ) throws(MixerCheckFailure) {
        let check = "gradientsReachLayersBeforeMixPoint"
        let x = input ?? Self.randomBatch([batchSize] + sampleShape, seed: 31)
        let batch = x.shape.first ?? 0
        let labels = Tensor.oneHot((0..<batch).map { $0 % classes }, classCount: classes)
        let mixPoint: MixPoint
        do { mixPoint = try model.mixPoint(named: point) } catch { throw failure(check, "\(error)") }
        guard mixPoint != .input else { throw failure(check, "choose a hidden mix point, not the input") }
        for parameter in model.allParameters { parameter.zeroGradient() }
        // The parameters the hidden state depends on.
        var context = ForwardContext(isTraining: true)
        let hidden = model.forward(x, from: .input, to: mixPoint, context: &context)
        hidden.sum().backward()
        let before = model.allParameters.enumerated().filter { $0.element.gradient != nil }.map(\.offset)
        for parameter in model.allParameters { parameter.zeroGradient() }
        guard !before.isEmpty else { throw failure(check, "no parameter comes before mix point \(point)") }
        let regularizer: Regularizer
        let forward: MixedForward
        var generator = SeededGenerator(seed: seeds.first ?? 1)
        do {
            regularizer = try Regularizer(name: strategy.name, strategy: strategy, selector: FixedLayerSelector(point))
            var context = ForwardContext(isTraining: true)
            forward = try regularizer.forward(
                model, input: x, labels: labels, epoch: 0, context: &context, using: &generator)
        } catch { throw failure(check, "mixing at \(point) failed: \(error)") }
        softmaxCrossEntropy(logits: forward.output, softTargets: forward.targets.soft).backward()
        let parameters = model.allParameters
        defer { for parameter in parameters { parameter.zeroGradient() } }
        for index in before {
            let parameter = parameters[index]
            guard let gradient = parameter.gradient, gradient.scalars.contains(where: { $0 != 0 }) else {
                throw failure(
                    check,
                    "parameter \(index) (\(parameter.name.isEmpty ? "unnamed" : parameter.name)) before mix point "
                        + "\(point) got no gradient through \(strategy.name)")
            }
        }
    }

    /// A small classifier whose hidden mix point sees samples of `sampleShape`'s kind, for
    /// ``checkGradientsReachLayersBeforeMixPoint(model:point:input:classes:)``: an MLP (mix point `"hidden1"`,
    /// `[8]` features) for `[features]` samples, a CNN (mix point `"block1"`, `[4, h/2, w/2]`) for square
    /// `[channels, h, h]` images with h divisible by 4.
    ///
    /// - Throws: ``MixerCheckFailure`` for other shapes.
    public static func tinyClassifier(sampleShape: [Int], classes: Int, seed: UInt64 = 42) throws(MixerCheckFailure)
        -> (model: any MixableModel, point: String)
    {
        var generator = SeededGenerator(seed: seed)
        if sampleShape.count == 1, sampleShape[0] > 0 {
            let model = Models.mlp(
                inputSize: sampleShape[0], hiddenSizes: [8, 8], classCount: classes, using: &generator)
            return (model, "hidden1")
        }
        if sampleShape.count == 3, sampleShape[1] == sampleShape[2], sampleShape[1] % 4 == 0, sampleShape[1] > 0,
            sampleShape[0] > 0
        {
            do {
                let model = try Models.cnn(
                    inputChannels: sampleShape[0], imageSize: sampleShape[1], classCount: classes, widths: (4, 4),
                    using: &generator)
                return (model, "block1")
            } catch {
                throw MixerCheckFailure(check: "tinyClassifier", message: "\(error)")
            }
        }
        throw MixerCheckFailure(
            check: "tinyClassifier",
            message: "no built-in tiny model for samples of shape \(sampleShape); pass your own model")
    }

    func failure(_ check: String, _ message: String) -> MixerCheckFailure {
        MixerCheckFailure(check: check, message: "\(strategy.name): \(message)")
    }

    /// A `[shape]` batch of uniform values in [-1, 1), reproducible from `seed`.
    static func randomBatch(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor.uniform(shape, lower: -1, upper: 1, using: &generator)
    }
}
