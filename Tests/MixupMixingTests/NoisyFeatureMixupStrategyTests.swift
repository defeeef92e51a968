import MixupKit
import MixupKitTestSupport
import Testing

@Suite struct NoisyFeatureMixupStrategyTests {
    static func mlp(seed: UInt64) -> MixableSequential {
        var generator = SeededGenerator(seed: seed)
        return Models.mlp(inputSize: 6, hiddenSizes: [8, 8], classCount: 4, using: &generator)
    }

    @Test func holdsTheLibrarysMixerProperties() throws {
        // Noise changes every element (a single sample too), so the linear and unchanged-sample checks run with the
        // noise off; the label, determinism and gradient checks run with the paper's noise.
        try MixerChecks(
            try NoisyFeatureMixupStrategy.noisyFeatureMixup(additiveNoise: 0, multiplicativeNoise: 0),
            sampleShape: [6]
        ).checkAll()
        let noisy = try NoisyFeatureMixupStrategy.noisyFeatureMixup()
        let checks = MixerChecks(noisy, sampleShape: [2, 8, 8])
        for seed: UInt64 in [1, 2, 3] {
            try checks.checkLabelWeightsSumToOne(try checks.drawPlan(batch: 7, seed: seed))
        }
        try checks.checkSameSeedSamePlan()
        let (model, point) = try MixerChecks<NoisyFeatureMixupStrategy>.tinyClassifier(
            sampleShape: [2, 8, 8], classes: 3)
        try checks.checkGradientsReachLayersBeforeMixPoint(model: model, point: point, classes: 3)
        let deranged = try NoisyFeatureMixupStrategy(
            interpolation: InterpolationStrategy(distribution: .beta(alpha: 1), pairing: .derangement))
        try MixerChecks(deranged, sampleShape: [5]).checkNoSelfPairs()
        // Odd and single-sample batches keep their shape and valid labels with the noise on.
        for batch in [1, 3, 5] {
            let plan = try drawPlan(noisy, batch: batch, sampleShape: [4], seed: 9)
            let x = randomBatch([batch, 4], seed: 10)
            #expect(try noisy.apply(plan, to: x).shape == x.shape)
            try checks.checkLabelWeightsSumToOne(plan)
        }
    }

    /// With both noise levels 0, NFM is Manifold Mixup bit for bit: plan, point, logits, targets and the randomness
    /// consumed.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func withZeroNoiseEqualsManifoldMixupBitForBit(seed: UInt64) throws {
        let model = Self.mlp(seed: 10)
        let input = randomBatch([9, 6], seed: 11)
        let labels = randomOneHot(batch: 9, classes: 4, seed: 12)
        let nfm = try Regularizer.noisyFeatureMixup(alpha: 1, additiveNoise: 0, multiplicativeNoise: 0)
        let manifold = try Regularizer.manifoldMixup(alpha: 1)
        var g1 = SeededGenerator(seed: seed)
        var c1 = ForwardContext(isTraining: true)
        let a = try nfm.forward(model, input: input, labels: labels, epoch: 0, context: &c1, using: &g1)
        var g2 = SeededGenerator(seed: seed)
        var c2 = ForwardContext(isTraining: true)
        let b = try manifold.forward(model, input: input, labels: labels, epoch: 0, context: &c2, using: &g2)
        #expect(a.point == b.point)
        #expect(a.plan == b.plan)
        #expect(a.output.scalars == b.output.scalars)
        #expect(a.targets.soft.scalars == b.targets.soft.scalars)
        #expect(g1 == g2)
    }

    /// The noise is the paper's: x̃ = mult ⊙ mix + add with |mult − 1| ≤ m and additive noise of scale a·Beta(2, 5).
    @Test func noiseIsMultiplicativeThenAdditiveWithinTheLevels() throws {
        let strategy = try NoisyFeatureMixupStrategy.noisyFeatureMixup(
            alpha: 1, additiveNoise: 0.4, multiplicativeNoise: 0.2)
        let x = randomBatch([6, 3, 4, 4], seed: 3)
        let plan = try drawPlan(strategy, batch: 6, sampleShape: [3, 4, 4], seed: 4)
        let noise = try #require(plan.payload(as: NoisyFeatureMixupStrategy.FeatureNoise.self))
        #expect(noise.multiplicative.allSatisfy { abs($0 - 1) <= 0.2 + 1e-6 })
        #expect(noise.multiplicative.contains { $0 != 1 } && noise.additive.contains { $0 != 0 })
        let mean = noise.additive.reduce(0, +) / Float(noise.additive.count)
        #expect(abs(mean) < 0.1, "additive noise should be centred, mean \(mean)")
        let clean = try plan.mix(x)
        let noisy = try strategy.apply(plan, to: x)
        for k in 0..<x.count {
            let expected = clean.scalars[k] * noise.multiplicative[k] + noise.additive[k]
            #expect(abs(noisy.scalars[k] - expected) <= 1e-6)
        }
        // Only one level on: the other noise stays neutral.
        let additiveOnly = try drawPlan(
            NoisyFeatureMixupStrategy.noisyFeatureMixup(multiplicativeNoise: 0), batch: 4, sampleShape: [5], seed: 2)
        let payload = try #require(additiveOnly.payload(as: NoisyFeatureMixupStrategy.FeatureNoise.self))
        #expect(payload.multiplicative.allSatisfy { $0 == 1 } && payload.additive.contains { $0 != 0 })
    }

    /// Noise is a training-time perturbation: evaluation runs the plain model, so a model's evaluation outputs do not
    /// depend on NFM, while training forwards with the same model differ by seed through the noise.
    @Test func noiseIsTrainOnly() throws {
        let model = Self.mlp(seed: 4)
        let input = randomBatch([5, 6], seed: 5)
        let labels = randomOneHot(batch: 5, classes: 4, seed: 6)
        var evaluation = ForwardContext.inference
        let before = model(input, context: &evaluation).scalars
        let nfm = try Regularizer.noisyFeatureMixup(mixPoints: ["hidden1"])
        var outputs: [[Float]] = []
        for seed: UInt64 in [1, 2] {
            var generator = SeededGenerator(seed: seed)
            var context = ForwardContext(isTraining: true)
            let forward = try nfm.forward(
                model, input: input, labels: labels, epoch: 0, context: &context, using: &generator)
            #expect(forward.plan?.payload(as: NoisyFeatureMixupStrategy.FeatureNoise.self) != nil)
            outputs.append(forward.output.scalars)
        }
        #expect(outputs[0] != outputs[1])
        #expect(model(input, context: &evaluation).scalars == before)
        // At the mix point, the noise is all NFM adds to the plan's interpolation.
        let plan = try drawPlan(nfm.strategy, batch: 5, sampleShape: [8], seed: 1)
        let hidden = randomBatch([5, 8], seed: 2)
        #expect(try nfm.strategy.apply(plan, to: hidden).scalars != plan.mix(hidden).scalars)
    }

    @Test func invalidSettingsThrowNamingTheValue() throws {
        expectMixingError(containing: "-0.5") { _ = try Regularizer.noisyFeatureMixup(additiveNoise: -0.5) }
        expectMixingError(containing: "-0.25") { _ = try Regularizer.noisyFeatureMixup(multiplicativeNoise: -0.25) }
        expectMixingError(containing: "nan") { _ = try Regularizer.noisyFeatureMixup(multiplicativeNoise: .nan) }
        expectMixingError(containing: "0.0") { _ = try Regularizer.noisyFeatureMixup(alpha: 0) }
        expectMixingError(containing: "-2.0") { _ = try Regularizer.noisyFeatureMixup(alpha: -2) }
        expectMixingError(matching: { if case .planMismatch = $0 { true } else { false } }) {
            let strategy = try NoisyFeatureMixupStrategy.noisyFeatureMixup()
            let plan = try drawPlan(strategy, batch: 2, sampleShape: [3], seed: 1)
            _ = try strategy.apply(plan, to: randomBatch([2, 4], seed: 1))
        }
    }
}
