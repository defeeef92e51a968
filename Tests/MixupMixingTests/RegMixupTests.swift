import MixupKit
import MixupKitTestSupport
import Testing
import _MixupTestSupport

@Suite struct RegMixupTests {
    static func mlp(seed: UInt64) -> MixableSequential {
        var generator = SeededGenerator(seed: seed)
        return Models.mlp(inputSize: 6, hiddenSizes: [8, 8], classCount: 4, using: &generator)
    }

    static func batch(_ input: Tensor, labels: [Int]) -> TrainingBatch {
        TrainingBatch(
            inputs: input, labels: labels, classCount: 4, unlabelled: nil, epoch: 0, stepInEpoch: 0, globalStep: 0,
            totalSteps: 1)
    }

    @Test func theMixedCopyHoldsTheLibrarysMixerProperties() throws {
        let regularizer = try Regularizer.regMixup()
        let strategy = try #require(regularizer.strategy as? InterpolationStrategy)
        let checks = MixerChecks(strategy, sampleShape: [6])
        try checks.checkAll()
        let (model, point) = try MixerChecks<InterpolationStrategy>.tinyClassifier(sampleShape: [6], classes: 3)
        try checks.checkGradientsReachLayersBeforeMixPoint(model: model, point: point, classes: 3)
        try MixerChecks(InterpolationStrategy(distribution: .beta(alpha: 20), pairing: .derangement), sampleShape: [6])
            .checkNoSelfPairs()
        #expect(regularizer.name == "regmixup" && regularizer.mixedLossWeight == 1)
    }

    /// The batch the model sees is the clean batch, unchanged bit for bit, followed by the mixed copy; the outputs and
    /// targets of the clean half are those of the clean batch alone.
    @Test(arguments: [UInt64(1), 2, 3])
    func theBatchHoldsTheCleanHalfUnchanged(seed: UInt64) throws {
        let model = Self.mlp(seed: 3)
        let input = randomBatch([5, 6], seed: seed)
        let labels = randomOneHot(batch: 5, classes: 4, seed: seed + 10)
        let regularizer = try Regularizer.regMixup(alpha: 20, eta: 0.5)
        var generator = SeededGenerator(seed: seed)
        var context = ForwardContext.inference
        let forward = try regularizer.forward(
            model, input: input, labels: labels, epoch: 0, context: &context, using: &generator)
        let plan = try #require(forward.plan)
        let fed = try #require(forward.mixed)
        #expect(forward.cleanCount == 5 && fed.shape == [10, 6] && forward.output.shape == [10, 4])
        #expect(fed.slice(0..<5).scalars == input.scalars)
        #expect(fed.slice(5..<10).scalars == (try plan.mix(input)).scalars)
        var plain = ForwardContext.inference
        let cleanOutput = model(input, context: &plain)
        expectClose(forward.output.slice(0..<5), cleanOutput, tolerance: 1e-5)
        #expect(forward.targets.soft.slice(0..<5).scalars == labels.scalars)
        let mixedTargets = try InterpolatedLabels().targets(for: plan, labels: labels)
        #expect(forward.targets.soft.slice(5..<10).scalars == mixedTargets.soft.scalars)
        #expect(forward.cleanOrMixedOutput.shape == [5, 4])
        // The plan is Mixup's with the same seed: RegMixup adds the clean half, nothing else.
        var mixupGenerator = SeededGenerator(seed: seed)
        var mixupContext = ForwardContext.inference
        let mixup = try Regularizer.mixup(alpha: 20).forward(
            model, input: input, labels: labels, epoch: 0, context: &mixupContext, using: &mixupGenerator)
        #expect(mixup.plan == plan)
    }

    @Test func cleanHalfIsTheHiddenStateAtAHiddenMixPoint() throws {
        let model = Self.mlp(seed: 4)
        let input = randomBatch([3, 6], seed: 2)
        let regularizer = try Regularizer.regMixup().mixing(at: .fixed("hidden1"))
        var generator = SeededGenerator(seed: 8)
        var context = ForwardContext.inference
        let forward = try regularizer.forward(
            model, input: input, labels: randomOneHot(batch: 3, classes: 4, seed: 1), epoch: 0, context: &context,
            using: &generator)
        var plain = ForwardContext.inference
        let hidden = model.forward(input, from: .input, to: try model.mixPoint(named: "hidden1"), context: &plain)
        let fed = try #require(forward.mixed)
        #expect(fed.slice(0..<3).scalars == hidden.scalars)
        #expect(fed.slice(3..<6).scalars == (try #require(forward.plan).mix(hidden)).scalars)
    }

    /// loss = CE(clean) + η·CE(mixed), computed by hand from the same forward pass.
    @Test(arguments: [Float(0), 0.5, 2])
    func lossIsCleanCrossEntropyPlusEtaTimesMixed(eta: Float) throws {
        let model = Self.mlp(seed: 5)
        let input = randomBatch([6, 6], seed: 7)
        let labels = [0, 1, 2, 3, 1, 2]
        let regularizer = try Regularizer.regMixup(alpha: 20, eta: Double(eta))
        let objective = SupervisedObjective(regularizer: regularizer)
        var generator = SeededGenerator(seed: 3)
        var context = ForwardContext.inference
        let result = try objective.loss(
            model: model, batch: Self.batch(input, labels: labels), context: &context, using: &generator)
        var again = SeededGenerator(seed: 3)
        var context2 = ForwardContext.inference
        let forward = try regularizer.forward(
            model, input: input, labels: .oneHot(labels, classCount: 4), epoch: 0, context: &context2, using: &again)
        let clean = softmaxCrossEntropy(
            logits: forward.output.slice(0..<6), softTargets: forward.targets.soft.slice(0..<6)
        ).scalar
        let mixed = softmaxCrossEntropy(
            logits: forward.output.slice(6..<12), softTargets: forward.targets.soft.slice(6..<12)
        ).scalar
        #expect(abs(result.loss.scalar - (clean + eta * mixed)) <= 1e-5)
        #expect(clean != mixed)
        // Accuracy is measured on the clean half.
        #expect(
            result.logits.shape == [6, 4] && result.targets.soft.scalars == Tensor.oneHot(labels, classCount: 4).scalars
        )
    }

    /// A batch that is not mixed (probability 0) is fed clean alone and its loss is CE(clean).
    @Test func anUnmixedBatchIsFedCleanAlone() throws {
        let model = Self.mlp(seed: 6)
        let input = randomBatch([4, 6], seed: 1)
        let regularizer = try Regularizer.regMixup().applied(withProbability: 0)
        var generator = SeededGenerator(seed: 1)
        var context = ForwardContext.inference
        let result = try SupervisedObjective(regularizer: regularizer).loss(
            model: model, batch: Self.batch(input, labels: [0, 1, 2, 3]), context: &context, using: &generator)
        var plain = ForwardContext.inference
        let expected = softmaxCrossEntropy(logits: model(input, context: &plain), labels: [0, 1, 2, 3]).scalar
        #expect(abs(result.loss.scalar - expected) <= 1e-6)
    }

    @Test func gradientsReachLayersBeforeAHiddenMixPoint() throws {
        let model = Self.mlp(seed: 9)
        let regularizer = try Regularizer.regMixup().mixing(at: .fixed("hidden2"))
        var generator = SeededGenerator(seed: 2)
        var context = ForwardContext(isTraining: true)
        for parameter in model.allParameters { parameter.zeroGradient() }
        let result = try SupervisedObjective(regularizer: regularizer).loss(
            model: model, batch: Self.batch(randomBatch([5, 6], seed: 4), labels: [0, 1, 2, 3, 0]), context: &context,
            using: &generator)
        result.loss.backward()
        for parameter in model.allParameters {
            #expect(parameter.gradient?.scalars.contains { $0 != 0 } == true, "\(parameter.name) got no gradient")
        }
        for parameter in model.allParameters { parameter.zeroGradient() }
    }

    @Test func invalidSettingsThrowNamingTheValue() throws {
        expectMixingError(containing: "-0.5") { _ = try Regularizer.regMixup(eta: -0.5) }
        expectMixingError(containing: "inf") { _ = try Regularizer.regMixup(eta: .infinity) }
        expectMixingError(containing: "0.0") { _ = try Regularizer.regMixup(alpha: 0) }
        expectMixingError(containing: "-3.0") { _ = try Regularizer.mixup().keepingCleanBatch(mixedLossWeight: -3) }
    }

    /// Semi-supervised objectives that slice their combined batch refuse a clean-batch regularizer by name.
    @Test func objectivesThatSliceTheirBatchRefuseIt() throws {
        let model = Self.mlp(seed: 1)
        let objective = try PseudoLabelObjective(
            mixing: .regMixup(), unlabelledWeight: SigmoidRampUp(maximum: 1, length: 5))
        let batch = TrainingBatch(
            inputs: randomBatch([4, 6], seed: 1), labels: [0, 1, 2, 3], classCount: 4,
            unlabelled: randomBatch([4, 6], seed: 2), epoch: 0, stepInEpoch: 0, globalStep: 0, totalSteps: 10)
        var generator = SeededGenerator(seed: 1)
        var context = ForwardContext(isTraining: true)
        do {
            _ = try objective.loss(model: model, batch: batch, context: &context, using: &generator)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("regmixup"), "\(error)")
        }
    }
}
