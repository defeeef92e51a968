import MixupKit
import Testing

@Suite struct MixMatchObjectiveTests {
    static func batch(seed: UInt64) -> TrainingBatch {
        var generator = SeededGenerator(seed: seed)
        return TrainingBatch(
            inputs: Tensor.normal([6, 4], using: &generator), labels: [0, 1, 2, 0, 1, 2], classCount: 3,
            unlabelled: Tensor.normal([5, 4], using: &generator), epoch: 0, stepInEpoch: 0, globalStep: 0,
            totalSteps: 10)
    }

    static func objective() throws -> MixMatchObjective {
        try MixMatchObjective(
            mixing: try Regularizer(
                name: "mixup",
                strategy: InterpolationStrategy(distribution: .beta(alpha: 0.75).keepingOriginalDominant())),
            augmentationCount: 2, temperature: 0.5, unlabelledWeight: SigmoidRampUp(maximum: 10, length: 5),
            augmentation: { x, g in ImageAugmentation(noiseStandardDeviation: 0.1).apply(to: x, using: &g) })
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func mixedWeightsKeepTheOriginalDominant(seed: UInt64) throws {
        var generator = SeededGenerator(seed: 10)
        let model = Models.mlp(inputSize: 4, hiddenSizes: [8], classCount: 3, using: &generator)
        var context = ForwardContext(isTraining: true)
        var stream = SeededGenerator(seed: seed)
        let result = try Self.objective().loss(
            model: model, batch: Self.batch(seed: seed), context: &context, using: &stream)
        #expect(result.targets.weights.count == 6)
        #expect(
            result.targets.weights.allSatisfy { $0 >= 0.5 }, "λ′ = max(λ, 1 − λ) ≥ 0.5, got \(result.targets.weights)")
        #expect(result.loss.scalar.isFinite)
        result.loss.backward()
        #expect(model.allParameters.allSatisfy { $0.gradient != nil })
    }

    @Test func labelGuessesAreSharpenedAveragesWithoutGradients() throws {
        var generator = SeededGenerator(seed: 4)
        let model = Models.mlp(inputSize: 4, hiddenSizes: [8], classCount: 3, using: &generator)
        let views = [
            Parameter(Tensor.normal([5, 4], using: &generator)).tracked, Tensor.normal([5, 4], using: &generator),
        ]
        var context = ForwardContext(isTraining: true)
        let guesses = try Self.objective().guessLabels(model: model, views: views, context: &context)
        #expect(!guesses.requiresGradient)
        #expect(guesses.shape == [5, 3])
        for row in 0..<5 { #expect(abs(guesses.scalars[(row * 3)..<(row * 3 + 3)].reduce(0, +) - 1) < 1e-5) }
    }

    @Test func invalidSettingsNameTheValue() {
        let mixing = Regularizer.erm
        let noise: @Sendable (Tensor, inout SeededGenerator) -> Tensor = { x, _ in x }
        #expect(throws: TrainingError.self) {
            try MixMatchObjective(
                mixing: mixing, augmentationCount: 0, unlabelledWeight: SigmoidRampUp(maximum: 1, length: 1),
                augmentation: noise)
        }
        do {
            _ = try MixMatchObjective(
                mixing: mixing, temperature: -1, unlabelledWeight: SigmoidRampUp(maximum: 1, length: 1),
                augmentation: noise)
            Issue.record("a negative temperature was accepted")
        } catch {
            #expect(error.description.contains("-1"))
        }
    }

    /// λ′ = max(λ, 1 − λ) is an explicit option applied to interpolating strategies (plain or manifold mixup),
    /// whatever the regularizer is called; other strategies are used as given.
    @Test func originalDominantIsAnExplicitOption() throws {
        let noise: @Sendable (Tensor, inout SeededGenerator) -> Tensor = { x, _ in x }
        func distribution(_ objective: MixMatchObjective) -> MixWeightDistribution? {
            (objective.mixing.strategy as? InterpolationStrategy)?.distribution
        }
        let ramp = RampUp(maximum: 1, length: 1)
        for regularizer in [try Regularizer.mixup(alpha: 0.75), try .manifoldMixup(alpha: 0.75)] {
            var renamed = regularizer
            renamed.name = "my-interpolation"
            let on = try MixMatchObjective(mixing: renamed, unlabelledWeight: ramp, augmentation: noise)
            #expect(on.originalDominant && distribution(on)?.keepsOriginalDominant == true)
            #expect(on.mixing.selector is InputSelector == regularizer.selector is InputSelector, "selector kept")
            let off = try MixMatchObjective(
                mixing: renamed, unlabelledWeight: ramp, originalDominant: false, augmentation: noise)
            #expect(distribution(off)?.keepsOriginalDominant == false)
        }
        let cutMix = try MixMatchObjective(mixing: try .cutMix(alpha: 1), unlabelledWeight: ramp, augmentation: noise)
        #expect(cutMix.mixing.strategy is CutMixStrategy)
    }

    /// Labelled inputs get their own augmentation; views are drawn from the clean unlabelled batch.
    @Test func labelledAugmentationIsApplied() throws {
        var generator = SeededGenerator(seed: 12)
        let model = Models.mlp(inputSize: 4, hiddenSizes: [8], classCount: 3, using: &generator)
        let shift: @Sendable (Tensor, inout SeededGenerator) -> Tensor = { x, _ in x + Tensor.filled(x.shape, with: 100)
        }
        let identity: @Sendable (Tensor, inout SeededGenerator) -> Tensor = { x, _ in x }
        func loss(_ labelled: (@Sendable (Tensor, inout SeededGenerator) -> Tensor)?) throws -> Float {
            let objective = try MixMatchObjective(
                mixing: .erm, unlabelledWeight: RampUp(maximum: 1, length: 1), augmentation: identity,
                labelledAugmentation: labelled)
            var context = ForwardContext(isTraining: false)
            var stream = SeededGenerator(seed: 3)
            return try objective.loss(model: model, batch: Self.batch(seed: 3), context: &context, using: &stream)
                .loss.scalar
        }
        #expect(try loss(nil) != loss(shift))
        #expect(try loss(nil) == loss(identity))
    }
}
