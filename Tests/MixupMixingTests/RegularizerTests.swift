import MixupKit
import Testing

@Suite struct RegularizerTests {
    static func mlp(seed: UInt64 = 1) -> MixableSequential {
        var generator = SeededGenerator(seed: seed)
        return Models.mlp(inputSize: 6, hiddenSizes: [8, 8, 8], classCount: 4, using: &generator)
    }

    static func run(
        _ regularizer: Regularizer, model: MixableSequential, batch: Int = 5, epoch: Int = 0, seed: UInt64 = 2,
        generator: inout SeededGenerator
    ) throws -> MixedForward {
        var context = ForwardContext(isTraining: true)
        return try regularizer.forward(
            model, input: randomBatch([batch, 6], seed: seed),
            labels: randomOneHot(batch: batch, classes: 4, seed: seed + 1),
            epoch: epoch, context: &context, using: &generator)
    }

    @Test func ermNeverMixesAndReturnsTheLabels() throws {
        let model = Self.mlp()
        let labels = randomOneHot(batch: 5, classes: 4, seed: 3)
        let input = randomBatch([5, 6], seed: 2)
        var generator = SeededGenerator(seed: 1)
        var context = ForwardContext(isTraining: false)
        let out = try Regularizer.erm.forward(
            model, input: input, labels: labels, epoch: 0, context: &context, using: &generator)
        #expect(out.point == nil)
        #expect(out.plan == nil)
        #expect(out.targets.soft.scalars == labels.scalars)
        #expect(out.targets.original.scalars == labels.scalars)
        #expect(out.targets.weights == [1, 1, 1, 1, 1])
        var context2 = ForwardContext(isTraining: false)
        #expect(out.output.scalars == model(input, context: &context2).scalars)
        #expect(Regularizer.erm.name == "erm")
    }

    @Test func probabilityZeroNeverMixes() throws {
        let regularizer = try Regularizer.mixup(alpha: 1).applied(withProbability: 0)
        #expect(regularizer.probability == 0)
        var generator = SeededGenerator(seed: 1)
        let model = Self.mlp()
        for _ in 0..<20 {
            let out = try Self.run(regularizer, model: model, generator: &generator)
            #expect(out.point == nil)
            #expect(out.plan == nil)
        }
    }

    @Test func probabilityIsTheFrequencyOfMixing() throws {
        let regularizer = try Regularizer.mixup(alpha: 1).applied(withProbability: 0.3)
        var generator = SeededGenerator(seed: 4)
        let model = Self.mlp()
        var mixed = 0
        for _ in 0..<400 where try Self.run(regularizer, model: model, batch: 2, generator: &generator).point != nil {
            mixed += 1
        }
        #expect(abs(Double(mixed) / 400 - 0.3) < 0.1, "mixed \(mixed) of 400 batches")
    }

    @Test func disabledAfterEpochStopsMixing() throws {
        let regularizer = try Regularizer.mixup(alpha: 1).disabled(afterEpoch: 2)
        #expect(regularizer.lastMixingEpoch == 2)
        var generator = SeededGenerator(seed: 1)
        let model = Self.mlp()
        for epoch in 0...2 {
            #expect(try Self.run(regularizer, model: model, epoch: epoch, generator: &generator).point == .input)
        }
        for epoch in 3...4 {
            let out = try Self.run(regularizer, model: model, epoch: epoch, generator: &generator)
            #expect(out.point == nil)
            #expect(out.plan == nil)
        }
    }

    @Test func gradientsReachLayersBeforeTheMixingPoint() throws {
        let model = Self.mlp(seed: 7)
        let regularizer = try Regularizer.mixup(alpha: 1).mixing(at: FixedLayerSelector("hidden2"))
        var generator = SeededGenerator(seed: 8)
        let out = try Self.run(regularizer, model: model, batch: 6, generator: &generator)
        #expect(out.point?.name == "hidden2")
        let plan = try #require(out.plan)
        #expect(plan.labelWeights.contains { $0 < 1 }, "the batch should really be mixed")
        let loss = softmaxCrossEntropy(logits: out.output, softTargets: out.targets.soft)
        #expect(loss.scalar.isFinite)
        loss.backward()
        let firstBlock = try #require(model.body.layers[0] as? Sequential)
        let firstLinear = try #require(firstBlock.layers.compactMap { $0 as? Linear }.first)
        let gradient = try #require(firstLinear.weight.gradient)
        #expect(gradient.shape == firstLinear.weight.value.shape)
        #expect(gradient.scalars.allSatisfy { $0.isFinite })
        #expect(gradient.scalars.contains { $0 != 0 })
        // Every parameter of the network (before and after the mix point) receives a gradient.
        for (name, parameter) in model.namedParameters() {
            #expect(parameter.gradient != nil, "\(name) has no gradient")
        }
    }

    @Test func labelSmoothingComposesWithAnyRegularizer() throws {
        let regularizer = try Regularizer.erm.labels(InterpolatedLabels().smoothed(0.2))
        var generator = SeededGenerator(seed: 1)
        let out = try Self.run(regularizer, model: Self.mlp(), generator: &generator)
        // Unmixed batches are smoothed too: (1 − ε)·y + ε/C.
        #expect(out.plan == nil)
        let labels = randomOneHot(batch: 5, classes: 4, seed: 3)
        let expected = labels.scalars.map { 0.8 * $0 + 0.05 }
        #expect(zip(out.targets.soft.scalars, expected).allSatisfy { abs($0 - $1) <= 1e-6 }, "\(out.targets.soft)")
        // Also when a batch is skipped by probability or epoch.
        let skipped = try Self.run(
            Regularizer.mixup().labels(InterpolatedLabels().smoothed(0.2)).disabled(afterEpoch: 0), model: Self.mlp(),
            epoch: 1, generator: &generator)
        #expect(skipped.plan == nil)
        #expect(zip(skipped.targets.soft.scalars, expected).allSatisfy { abs($0 - $1) <= 1e-6 })
        let mixup = try Regularizer.mixup(alpha: 1).labels(InterpolatedLabels().smoothed(0.2))
        let mixed = try Self.run(mixup, model: Self.mlp(), generator: &generator)
        let soft = mixed.targets.soft.scalars
        for i in 0..<5 { #expect(abs(soft[(i * 4)..<(i * 4 + 4)].reduce(0, +) - 1) <= 1e-5) }
        #expect(soft.allSatisfy { $0 >= 0.05 - 1e-6 })
    }

    @Test func customComposition() throws {
        let regularizer = try Regularizer(
            name: "custom", strategy: InterpolationStrategy.mixup(alpha: 1),
            selector: RandomLayerSelector(among: ["hidden3"]),
            labelMixer: InterpolatedLabels(), probability: 1, lastMixingEpoch: 5)
        var generator = SeededGenerator(seed: 2)
        #expect(try Self.run(regularizer, model: Self.mlp(), generator: &generator).point?.name == "hidden3")
        #expect(regularizer.name == "custom")
    }

    @Test func labelsMustMatchTheBatch() throws {
        var generator = SeededGenerator(seed: 1)
        var context = ForwardContext(isTraining: true)
        expectMixingError(containing: "[4, 4]") {
            _ = try Regularizer.mixup().forward(
                Self.mlp(), input: randomBatch([5, 6], seed: 1), labels: randomOneHot(batch: 4, classes: 4, seed: 1),
                epoch: 0,
                context: &context, using: &generator)
        }
    }

    @Test func invalidSettingsThrowNamingTheValue() throws {
        expectMixingError(containing: "0.0") { _ = try Regularizer.mixup(alpha: 0) }
        expectMixingError(containing: "-1") { _ = try Regularizer.mixup(alpha: -1) }
        expectMixingError(containing: "2.0") { _ = try Regularizer.mixup().applied(withProbability: 2) }
        expectMixingError(containing: "-0.5") { _ = try Regularizer.mixup().applied(withProbability: -0.5) }
        expectMixingError(containing: "-3") { _ = try Regularizer.mixup().disabled(afterEpoch: -3) }
        expectMixingError(containing: "1.5") {
            _ = try Regularizer(name: "x", strategy: IdentityStrategy(), probability: 1.5)
        }
        expectMixingError(containing: "-1") {
            _ = try Regularizer(name: "x", strategy: IdentityStrategy(), lastMixingEpoch: -1)
        }
        expectMixingError(containing: "1.5") { _ = try MixWeightDistribution.fixed(1.5) }
        expectMixingError(containing: "2.0") { _ = try InterpolatedLabels().smoothed(2) }
        expectMixingError(containing: "0.75") {
            _ = try SwitchingStrategy([
                (InterpolationStrategy.mixup(alpha: 1), 0.5), (CutMixStrategy.cutMix(alpha: 1), 0.25),
            ])
        }
    }

    @Test func identityStrategyDrawsIdentityPlans() throws {
        let plan = try drawPlan(IdentityStrategy(), batch: 3, sampleShape: [2], seed: 0)
        #expect(plan == .identity(batchSize: 3))
    }

    /// A strategy that computes its mix on `scalars` and rewraps them: the result has no gradient path.
    struct RewrappingStrategy: MixingStrategy {
        var name: String { "rewrapping" }
        func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
            throws(MixingError) -> MixPlan
        {
            try InterpolationStrategy.mixup(alpha: 1).plan(
                batchSize: batchSize, sampleShape: sampleShape, using: &generator)
        }
        func apply(_ plan: MixPlan, to x: Tensor) throws(MixingError) -> Tensor {
            let mixed = try plan.mix(x)
            return Tensor(shape: mixed.shape, scalars: mixed.scalars)
        }
    }

    @Test func anApplyThatCutsTheGradientPathIsATypedError() throws {
        let regularizer = try Regularizer(
            name: "rewrapping", strategy: RewrappingStrategy(), selector: FixedLayerSelector("hidden2"))
        var generator = SeededGenerator(seed: 3)
        expectMixingError(matching: { $0 == .noGradientPath(strategy: "rewrapping", point: "hidden2") }) {
            _ = try Self.run(regularizer, model: Self.mlp(), generator: &generator)
        }
        // At the input the data carries no gradient, so there is no path to lose and the batch is mixed.
        let atInput = try Regularizer(name: "rewrapping", strategy: RewrappingStrategy())
        #expect(try Self.run(atInput, model: Self.mlp(), generator: &generator).plan != nil)
        // The same strategy built from tensor ops passes at the hidden point.
        let fine = try Regularizer(
            name: "mixup", strategy: InterpolationStrategy.mixup(alpha: 1), selector: FixedLayerSelector("hidden2"))
        #expect(try Self.run(fine, model: Self.mlp(), generator: &generator).plan != nil)
    }

    /// A data-aware strategy: the partner of every sample is the sample whose first feature is largest.
    struct PartnerWithTheLargestFirstFeature: MixingStrategy {
        var name: String { "largest-first-feature" }
        func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
            throws(MixingError) -> MixPlan
        { throw .needsBatchData(strategy: name) }
        func plan(for batch: MixingBatch, using generator: inout some RandomNumberGenerator) throws(MixingError)
            -> MixPlan
        {
            let n = batch.batchSize
            let width = batch.values.count / max(n, 1)
            let first = (0..<n).map { batch.values.scalars[$0 * width] }
            let best = first.indices.max { first[$0] < first[$1] } ?? 0
            let partners = (0..<n).map { $0 == best ? $0 : best }
            let weights = partners.enumerated().map { $0.offset == $0.element ? Float(1) : 0.5 }
            return try MixPlan(partners: partners, weights: .perSample(weights), labelWeights: weights)
        }
    }

    @Test func dataAwareStrategiesSeeTheHiddenStateTheyMix() throws {
        let model = Self.mlp()
        let regularizer = try Regularizer(
            name: "largest", strategy: PartnerWithTheLargestFirstFeature(), selector: FixedLayerSelector("hidden1"))
        var generator = SeededGenerator(seed: 4)
        let out = try Self.run(regularizer, model: model, generator: &generator)
        let plan = try #require(out.plan)
        var context = ForwardContext(isTraining: true)
        let hidden = model.forward(
            randomBatch([5, 6], seed: 2), from: .input, to: try model.mixPoint(named: "hidden1"), context: &context)
        let first = (0..<5).map { hidden.scalars[$0 * 8] }
        let best = first.indices.max { first[$0] < first[$1] } ?? -1
        #expect(plan.partners.allSatisfy { $0 == best })
        // The shape-only entry point says the strategy needs the data.
        expectMixingError(matching: { $0 == .needsBatchData(strategy: "largest-first-feature") }) {
            _ = try drawPlan(PartnerWithTheLargestFirstFeature(), batch: 2, sampleShape: [3], seed: 0)
        }
        // Inside a switch it still sees the data.
        let switched = try Regularizer(
            name: "switched", strategy: SwitchingStrategy([(PartnerWithTheLargestFirstFeature(), 1)]),
            selector: FixedLayerSelector("hidden1"))
        let switchedPlan = try #require(try Self.run(switched, model: model, generator: &generator).plan)
        #expect(switchedPlan.partners.allSatisfy { $0 == best })
    }
}
