// A user's strategies on the general mixing plan — a per-feature mask for `[batch, features]` data, k partners with
// Dirichlet weights, per-channel masks — held to MixupKit's own property checks. Public API only, no @testable.
import MixupKit
import MixupKitTestSupport
import Testing

/// Swaps a random subset of features with the partner: round((1 − λ)·features) of them, λ ~ U(0.3, 0.7). Works on
/// `[batch, features]` inputs and MLP hidden layers directly, with a per-feature mask.
struct FeatureSwapStrategy: MixingStrategy {
    var pairing: Pairing = .derangement
    var name: String { "feature-swap" }

    func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError) -> MixPlan
    {
        guard sampleShape.count == 1, let features = sampleShape.first, features > 0 else {
            throw .unsupportedSampleShape(strategy: name, sampleShape: sampleShape, expected: "[features]")
        }
        let partners = pairing.partners(batchSize: batchSize, using: &generator)
        var mask = [Float](repeating: 1, count: batchSize * features)
        var kept = [Float](repeating: 1, count: batchSize)
        for i in 0..<batchSize where partners[i] != i {
            let swapped = Int(((1 - generator.nextUniform(0.3, 0.7)) * Double(features)).rounded())
            for feature in generator.nextPermutation(features).prefix(swapped) { mask[i * features + feature] = 0 }
            kept[i] = Float(features - swapped) / Float(features)
        }
        return try MixPlan(
            partners: partners, weights: .perFeature(features: features, values: mask), labelWeights: kept)
    }
}

/// k-sample Mixup: every sample mixed with k − 1 random others, weights ~ Dirichlet(α, …, α) (one draw per sample).
struct DirichletMixup: MixingStrategy {
    var k = 3
    var alpha = 1.0
    var name: String { "dirichlet-mixup" }

    func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError) -> MixPlan
    {
        try MixingValidation.checkNonEmpty(batchSize: batchSize)
        let partnerSets = (1..<k).map { _ in Pairing.permutation.partners(batchSize: batchSize, using: &generator) }
        var weights = [[Float]](repeating: [Float](repeating: 0, count: batchSize), count: k)
        for i in 0..<batchSize {
            // A sample whose every partner is itself stays unchanged (weight 1), with no float drift.
            guard partnerSets.contains(where: { $0[i] != i }) else {
                weights[0][i] = 1
                continue
            }
            let draws = (0..<k).map { _ in generator.nextGamma(shape: alpha) }
            let total = draws.reduce(0, +)
            // The original's weight is 1 − the partners', so the weights sum to 1 exactly in Float.
            var partnerTotal: Float = 0
            for s in 1..<k {
                weights[s][i] = Float(draws[s] / total)
                partnerTotal += weights[s][i]
            }
            weights[0][i] = max(0, 1 - partnerTotal)
        }
        return try MixPlan(
            original: .perSample(weights[0]), labelWeights: weights[0],
            partners: (1..<k).map { s in
                MixPlan.Source(indices: partnerSets[s - 1], weights: .perSample(weights[s]), labelWeights: weights[s])
            })
    }
}

/// Takes a random subset of channels from the partner (at least one kept, at least one taken).
struct ChannelSwapStrategy: MixingStrategy {
    var name: String { "channel-swap" }

    func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError) -> MixPlan
    {
        try MixingValidation.checkSpatial(sampleShape, strategy: name)
        let channels = sampleShape[0]
        let partners = Pairing.derangement.partners(batchSize: batchSize, using: &generator)
        var mask = [Float](repeating: 1, count: batchSize * channels)
        var kept = [Float](repeating: 1, count: batchSize)
        for i in 0..<batchSize where partners[i] != i && channels > 1 {
            let swapped = 1 + generator.nextIndex(below: channels - 1)
            for c in generator.nextPermutation(channels).prefix(swapped) { mask[i * channels + c] = 0 }
            kept[i] = Float(channels - swapped) / Float(channels)
        }
        return try MixPlan(
            partners: partners, weights: .perChannel(channels: channels, values: mask), labelWeights: kept)
    }
}

@Suite struct UserPlanLayoutTests {
    @Test func featureSwapHoldsTheLibrarysProperties() throws {
        let checks = MixerChecks(FeatureSwapStrategy(), sampleShape: [10])
        try checks.checkAll()
        try checks.checkNoSelfPairs()
        let (model, point) = try MixerChecks<FeatureSwapStrategy>.tinyClassifier(sampleShape: [10], classes: 3)
        try checks.checkGradientsReachLayersBeforeMixPoint(model: model, point: point, classes: 3)
    }

    @Test func featureSwapRealisedWeightIsTheKeptFeatureFraction() throws {
        var generator = SeededGenerator(seed: 8)
        let plan = try FeatureSwapStrategy().plan(batchSize: 6, sampleShape: [10], using: &generator)
        // Sample i is the constant i + 1: counting its own values gives the kept fraction.
        let x = Tensor(shape: [6, 10], scalars: (0..<6).flatMap { [Float](repeating: Float($0 + 1), count: 10) })
        let mixed = try FeatureSwapStrategy().apply(plan, to: x)
        for i in 0..<6 {
            let own = mixed.scalars[(i * 10)..<((i + 1) * 10)].filter { $0 == Float(i + 1) }.count
            #expect(Float(own) / 10 == plan.labelWeights[i])
            #expect(plan.labelWeights[i] >= 0.3 && plan.labelWeights[i] <= 0.7)
        }
    }

    @Test func featureSwapTrainsAnMLPOnFeatureData() throws {
        var generator = SeededGenerator(seed: 12)
        let data = SyntheticData.gaussianBlobs(
            pointsPerClass: 32, classCount: 3, dimension: 6, spread: 0.3, using: &generator)
        let model = Models.mlp(inputSize: 6, hiddenSizes: [16, 16], classCount: 3, using: &generator)
        let regularizer = try Regularizer(
            name: "feature-swap", strategy: FeatureSwapStrategy(), selector: .random(among: ["input", "hidden1"]))
        let optimizer = SGD(parameters: model.allParameters, learningRate: 0.1, momentum: 0.9)
        let all = Array(0..<data.count)
        let (input, labels) = (data.inputs(at: all), Tensor.oneHot(data.labels(at: all), classCount: 3))
        func cleanLoss() -> Float {
            var context = ForwardContext(isTraining: false)
            return withoutGradients {
                softmaxCrossEntropy(logits: model(input, context: &context), softTargets: labels)
            }
            .scalar
        }
        let before = cleanLoss()
        var points = Set<String>()
        for _ in 0..<40 {
            let batch = (0..<32).map { _ in generator.nextIndex(below: data.count) }
            var context = ForwardContext(isTraining: true)
            let out = try regularizer.forward(
                model, input: data.inputs(at: batch), labels: .oneHot(data.labels(at: batch), classCount: 3), epoch: 0,
                context: &context, using: &generator)
            points.insert(try #require(out.point).name)
            if case .broadcast(let shape, _) = try #require(out.plan).weights {
                #expect(shape == [out.point?.name == "input" ? 6 : 16])
            } else {
                Issue.record("expected a per-feature plan")
            }
            softmaxCrossEntropy(logits: out.output, softTargets: out.targets.soft).backward()
            optimizer.step()
            optimizer.zeroGradients()
        }
        let after = cleanLoss()
        #expect(points == ["input", "hidden1"])
        #expect(after < 0.5 * before, "clean loss went from \(before) to \(after)")
    }

    @Test(arguments: [2, 3, 4])
    func kPartnerTargetsSumToOneAndEqualTheMixedFractions(k: Int) throws {
        let strategy = DirichletMixup(k: k, alpha: 0.7)
        try MixerChecks(strategy, sampleShape: [5]).checkAll()
        try MixerChecks(strategy, sampleShape: [2, 3, 3], batchSize: 7).checkAll()
        var generator = SeededGenerator(seed: 2)
        let plan = try strategy.plan(batchSize: 9, sampleShape: [4], using: &generator)
        #expect(plan.sources.count == k)
        let labels = Tensor.oneHot((0..<9).map { $0 % 4 }, classCount: 4)
        let targets = try InterpolatedLabels().targets(for: plan, labels: labels)
        #expect(targets.sources.count == k)
        for i in 0..<9 {
            let row = targets.soft.scalars[(i * 4)..<((i + 1) * 4)]
            #expect(abs(row.reduce(0, +) - 1) <= 1e-5)
            #expect(abs(targets.sourceWeights.reduce(0) { $0 + $1[i] } - 1) <= 1e-5)
        }
        // Label smoothing composes with k-partner targets.
        let smoothed = try InterpolatedLabels().smoothed(0.1).targets(for: plan, labels: labels)
        #expect(smoothed.sources.count == k)
    }

    @Test func kPartnerMixTrainsThroughAHiddenLayer() throws {
        var generator = SeededGenerator(seed: 3)
        let model = Models.mlp(inputSize: 4, hiddenSizes: [8, 8], classCount: 2, using: &generator)
        let regularizer = try Regularizer(
            name: "dirichlet", strategy: DirichletMixup(k: 3), selector: FixedLayerSelector("hidden1"))
        var context = ForwardContext(isTraining: true)
        let out = try regularizer.forward(
            model, input: Tensor.uniform([6, 4], lower: -1, upper: 1, using: &generator),
            labels: .oneHot([0, 1, 0, 1, 0, 1], classCount: 2), epoch: 0, context: &context, using: &generator)
        out.targets.weightedLoss { targets in
            -(targets * out.output.logSoftmax()).sum(alongAxes: [1])
        }.backward()
        #expect(model.allParameters.allSatisfy { $0.gradient != nil })
    }

    @Test func perChannelRealisedWeightsEqualTheMixedChannelFraction() throws {
        let checks = MixerChecks(ChannelSwapStrategy(), sampleShape: [4, 3, 3])
        try checks.checkAll()
        try checks.checkNoSelfPairs()
        var generator = SeededGenerator(seed: 4)
        let plan = try ChannelSwapStrategy().plan(batchSize: 5, sampleShape: [4, 3, 3], using: &generator)
        let x = Tensor(shape: [5, 4, 3, 3], scalars: (0..<5).flatMap { [Float](repeating: Float($0 + 1), count: 36) })
        let mixed = try ChannelSwapStrategy().apply(plan, to: x)
        for i in 0..<5 {
            // Whole channels move: each channel of the result is all one sample's value.
            for c in 0..<4 {
                let channel = mixed.scalars[(i * 36 + c * 9)..<(i * 36 + (c + 1) * 9)]
                #expect(Set(channel).count == 1)
            }
            let own = mixed.scalars[(i * 36)..<((i + 1) * 36)].filter { $0 == Float(i + 1) }.count
            #expect(Float(own) / 36 == plan.labelWeights[i])
            #expect(plan.labelWeights[i] < 1)
        }
    }
}
