import MixupKit
import Testing
import _MixupTestSupport

@Suite struct FMixStrategyTests {
    static let granularities: [LambdaGranularity] = [.perBatch, .perSample]

    @Test(arguments: [1, 3, 127], [UInt64(1), 2])
    func labelWeightsAreTheExactKeptPixelFraction(batch: Int, seed: UInt64) throws {
        for granularity in Self.granularities {
            let strategy = try FMixStrategy(distribution: .beta(alpha: 1), granularity: granularity)
            let plan = try drawPlan(strategy, batch: batch, sampleShape: [2, 8, 8], seed: seed)
            try expectValidTargets(plan)
            expectLabelWeightsMatchMask(plan)
            try expectLabelWeightsMatchData(strategy, plan, channels: 2)
            let x = randomBatch([batch, 2, 8, 8], seed: seed)
            expectSelfPairedRowsUnchanged(plan, input: x, output: try strategy.apply(plan, to: x))
        }
    }

    @Test(arguments: [0.0, 0.25, 0.5, 0.7, 1.0])
    func maskKeepsRoundLambdaTimesPixels(lambda: Double) throws {
        let strategy = try FMixStrategy(distribution: .fixed(lambda), pairing: .derangement)
        let plan = try drawPlan(strategy, batch: 2, sampleShape: [1, 8, 8], seed: 4)
        let expected = Float((lambda * 64).rounded()) / 64
        #expect(plan.labelWeights == [expected, expected])
        expectLabelWeightsMatchMask(plan)
    }

    @Test func masksAreLowFrequencyBlobs() throws {
        // With δ = 3 the kept region is spatially coherent: most kept pixels have a kept 4-neighbour.
        let strategy = try FMixStrategy(distribution: .fixed(0.5), decayPower: 3, pairing: .derangement)
        let plan = try drawPlan(strategy, batch: 2, sampleShape: [1, 16, 16], seed: 7)
        let (h, w, values) = try #require(maskOf(plan))
        var agreeing = 0
        for y in 0..<h {
            for x in 0..<(w - 1) where values[y * w + x] == values[y * w + x + 1] { agreeing += 1 }
        }
        #expect(Double(agreeing) / Double(h * (w - 1)) > 0.75)
    }

    @Test func lambdaOneGivesBackTheOriginalBatch() throws {
        let strategy = try FMixStrategy(distribution: .fixed(1), granularity: .perSample)
        let x = randomBatch([3, 2, 8, 8], seed: 2)
        let plan = try drawPlan(strategy, batch: 3, sampleShape: [2, 8, 8], seed: 3)
        #expect(plan.labelWeights.allSatisfy { $0 == 1 })
        #expect(try strategy.apply(plan, to: x).scalars == x.scalars)
    }

    @Test func batchOfOneIsUnchanged() throws {
        for granularity in Self.granularities {
            try expectSingleSampleUnchanged(
                FMixStrategy(distribution: .beta(alpha: 1), granularity: granularity), sampleShape: [3, 8, 8])
        }
    }

    @Test func sameSeedSamePlanDifferentSeedsDiffer() throws {
        for granularity in Self.granularities {
            try expectDeterministic(
                FMixStrategy(distribution: .beta(alpha: 1), granularity: granularity), sampleShape: [1, 8, 8])
        }
    }

    @Test func worksOnNonSquareImages() throws {
        let strategy = try FMixStrategy.fMix(alpha: 1)
        let plan = try drawPlan(strategy, batch: 4, sampleShape: [1, 5, 9], seed: 1)
        expectLabelWeightsMatchMask(plan)
        try expectLabelWeightsMatchData(strategy, plan, channels: 1)
    }

    @Test func applyGradientMatchesFiniteDifferences() throws {
        let strategy = try FMixStrategy(distribution: .fixed(0.5), granularity: .perSample, pairing: .derangement)
        let plan = try drawPlan(strategy, batch: 3, sampleShape: [1, 4, 4], seed: 1)
        let probe = randomBatch([3, 1, 4, 4], seed: 2)
        expectGradientsMatchFiniteDifferences(at: [randomBatch([3, 1, 4, 4], seed: 3)]) { inputs in
            ((try! strategy.apply(plan, to: inputs[0])) * probe).squared().sum()
        }
    }

    @Test func invalidSettingsThrowNamingTheValue() {
        expectMixingError(containing: "[6]") {
            _ = try drawPlan(FMixStrategy.fMix(alpha: 1), batch: 2, sampleShape: [6], seed: 0)
        }
        expectMixingError(containing: "0.0") { _ = try FMixStrategy.fMix(alpha: 0) }
        expectMixingError(containing: "-2") { _ = try FMixStrategy.fMix(alpha: 1, decayPower: -2) }
        expectMixingError(containing: "perPair") {
            _ = try FMixStrategy(distribution: .beta(alpha: 1), granularity: .perPair, pairing: .randomPairs)
        }
        expectMixingError(containing: "-1") { _ = try Regularizer.fMix(alpha: -1) }
    }
}
