import MixupKit
import MixupKitTestSupport
import Testing

/// The built-in plugins held to the public property checks users run on their own mixers, and the checks themselves
/// shown to catch broken mixers.
@Suite struct MixerChecksTests {
    @Test func inputMixupHoldsEveryProperty() throws {
        for shape in [[6], [2, 5, 5]] {
            try MixerChecks(InterpolationStrategy.mixup(alpha: 1), sampleShape: shape).checkAll()
            try MixerChecks(InterpolationStrategy.mixup(alpha: 1, granularity: .perSample), sampleShape: shape)
                .checkAll()
        }
        let deranged = try InterpolationStrategy(distribution: .beta(alpha: 1), pairing: .derangement)
        try MixerChecks(deranged, sampleShape: [4]).checkNoSelfPairs()
    }

    @Test(arguments: [[6], [3, 8, 8]])
    func interpolationGradientsReachLayersBeforeAHiddenMixPoint(sampleShape: [Int]) throws {
        let checks = MixerChecks(try InterpolationStrategy.mixup(alpha: 1), sampleShape: sampleShape)
        let (model, point) = try MixerChecks<InterpolationStrategy>.tinyClassifier(sampleShape: sampleShape, classes: 3)
        try checks.checkGradientsReachLayersBeforeMixPoint(model: model, point: point, classes: 3)
    }

    @Test func cutMixHoldsEveryProperty() throws {
        let checks = MixerChecks(try CutMixStrategy.cutMix(alpha: 1, granularity: .perSample), sampleShape: [2, 8, 8])
        try checks.checkAll()
        try MixerChecks(try CutMixStrategy.cutMix(alpha: 1), sampleShape: [1, 7, 5]).checkAll()
        let (model, point) = try MixerChecks<CutMixStrategy>.tinyClassifier(sampleShape: [2, 8, 8], classes: 3)
        try checks.checkGradientsReachLayersBeforeMixPoint(model: model, point: point, classes: 3)
        let deranged = try CutMixStrategy(distribution: .beta(alpha: 1), pairing: .derangement)
        try MixerChecks(deranged, sampleShape: [1, 6, 6]).checkNoSelfPairs()
    }

    @Test func fMixHoldsEveryProperty() throws {
        let checks = MixerChecks(try FMixStrategy.fMix(alpha: 1), sampleShape: [1, 8, 8], batchSize: 5)
        try checks.checkAll()
        let (model, point) = try MixerChecks<FMixStrategy>.tinyClassifier(sampleShape: [1, 8, 8], classes: 3)
        try checks.checkGradientsReachLayersBeforeMixPoint(model: model, point: point, classes: 3)
    }

    @Test func resizeMixHoldsEveryProperty() throws {
        let checks = MixerChecks(try ResizeMixStrategy(), sampleShape: [2, 8, 8], batchSize: 5)
        try checks.checkAll()
        let (model, point) = try MixerChecks<ResizeMixStrategy>.tinyClassifier(sampleShape: [2, 8, 8], classes: 3)
        try checks.checkGradientsReachLayersBeforeMixPoint(model: model, point: point, classes: 3)
        try MixerChecks(try ResizeMixStrategy(pairing: .derangement), sampleShape: [1, 8, 8]).checkNoSelfPairs()
    }

    @Test func switchingBetweenPluginsHoldsEveryProperty() throws {
        let strategy = try SwitchingStrategy([
            (InterpolationStrategy.mixup(alpha: 1), 0.4), (CutMixStrategy.cutMix(alpha: 1), 0.3),
            (ResizeMixStrategy(), 0.3),
        ])
        try MixerChecks(strategy, sampleShape: [1, 8, 8], seeds: [1, 2, 3, 4, 5, 6]).checkAll()
    }

    // MARK: - The checks catch broken mixers

    /// Claims λ as the label weight but mixes with 1 − λ.
    struct SwappedWeights: MixingStrategy {
        var name: String { "swapped" }
        func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
            throws(MixingError) -> MixPlan
        {
            let partners = Pairing.derangement.partners(batchSize: batchSize, using: &generator)
            let lambda = Float(generator.nextUniform(0.1, 0.3))
            let labels = partners.enumerated().map { $0.offset == $0.element ? Float(1) : lambda }
            let weights = partners.enumerated().map { $0.offset == $0.element ? Float(1) : 1 - lambda }
            return try MixPlan(partners: partners, weights: .perSample(weights), labelWeights: labels)
        }
    }

    /// Ignores its generator.
    struct Frozen: MixingStrategy {
        var name: String { "frozen" }
        func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
            throws(MixingError) -> MixPlan
        {
            let partners = (0..<batchSize).map { batchSize - 1 - $0 }
            let weights = partners.enumerated().map { $0.offset == $0.element ? Float(1) : 0.5 }
            return try MixPlan(partners: partners, weights: .perSample(weights), labelWeights: weights)
        }
    }

    /// Mixes a batch of one with a constant, and uses a permutation (self-pairs possible).
    struct NoisyOnSingles: MixingStrategy {
        var name: String { "noisy" }
        func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
            throws(MixingError) -> MixPlan
        {
            try InterpolationStrategy.mixup(alpha: 1).plan(
                batchSize: batchSize, sampleShape: sampleShape, using: &generator)
        }
        func apply(_ plan: MixPlan, to x: Tensor) throws(MixingError) -> Tensor {
            plan.batchSize == 1 ? x + 1 : try plan.mix(x)
        }
    }

    /// Computes on `scalars` and rewraps them.
    struct Rewrapping: MixingStrategy {
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

    static func failedCheck(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let failure as MixerCheckFailure {
            return failure.check
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func theChecksCatchBrokenMixers() throws {
        let swapped = MixerChecks(SwappedWeights(), sampleShape: [4])
        let plan = try swapped.drawPlan(batch: 4, seed: 1)
        #expect(
            Self.failedCheck { try swapped.checkRealisedWeightsMatchMixedFraction(plan) }
                == "realisedWeightsMatchMixedFraction")
        #expect(Self.failedCheck { try swapped.checkLabelWeightsSumToOne(plan) } == nil)
        #expect(
            Self.failedCheck { try MixerChecks(Frozen(), sampleShape: [4]).checkSameSeedSamePlan() }
                == "sameSeedSamePlan")
        #expect(
            Self.failedCheck { try MixerChecks(NoisyOnSingles(), sampleShape: [4]).checkOddAndSingleSampleBatches() }
                == "oddAndSingleSampleBatches")
        #expect(
            Self.failedCheck {
                try MixerChecks(NoisyOnSingles(), sampleShape: [4], batchSize: 8, seeds: Array(1...20))
                    .checkNoSelfPairs()
            }
                == "noSelfPairs")
        let rewrapping = MixerChecks(Rewrapping(), sampleShape: [4])
        let (model, point) = try MixerChecks<Rewrapping>.tinyClassifier(sampleShape: [4], classes: 2)
        #expect(
            Self.failedCheck {
                try rewrapping.checkGradientsReachLayersBeforeMixPoint(model: model, point: point, classes: 2)
            }
                == "gradientsReachLayersBeforeMixPoint")
        let message = try #require(
            (try? rewrapping.checkGradientsReachLayersBeforeMixPoint(model: model, point: "input", classes: 2)) == nil
                ? "threw" : nil)
        #expect(message == "threw")
    }
}
