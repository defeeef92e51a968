import MixupKit
import Testing
import _MixupTestSupport

@Suite struct CutMixStrategyTests {
    static let granularities: [LambdaGranularity] = [.perBatch, .perSample]

    @Test(arguments: [1, 3, 127], [UInt64(1), 2, 3])
    func labelWeightsAreTheExactKeptPixelFraction(batch: Int, seed: UInt64) throws {
        for granularity in Self.granularities {
            let strategy = try CutMixStrategy.cutMix(alpha: 1, granularity: granularity)
            let plan = try drawPlan(strategy, batch: batch, sampleShape: [2, 7, 9], seed: seed)
            try expectValidTargets(plan)
            expectLabelWeightsMatchMask(plan)
            try expectLabelWeightsMatchData(strategy, plan, channels: 2)
            let x = randomBatch([batch, 2, 7, 9], seed: seed)
            expectSelfPairedRowsUnchanged(plan, input: x, output: try strategy.apply(plan, to: x))
        }
    }

    @Test func theCutIsOneRectangle() throws {
        let strategy = try CutMixStrategy.cutMix(alpha: 1, granularity: .perSample)
        for seed: UInt64 in 0..<20 {
            let plan = try drawPlan(strategy, batch: 4, sampleShape: [1, 8, 8], seed: seed)
            let (h, w, values) = try #require(maskOf(plan))
            for i in 0..<4 {
                let cut = (0..<(h * w)).filter { values[i * h * w + $0] == 0 }
                guard !cut.isEmpty else { continue }
                let rows = Set(cut.map { $0 / w }), columns = Set(cut.map { $0 % w })
                #expect(cut.count == rows.count * columns.count, "cut of sample \(i) is not a rectangle")
                #expect(rows.max()! - rows.min()! + 1 == rows.count)
                #expect(columns.max()! - columns.min()! + 1 == columns.count)
            }
        }
    }

    @Test func perBatchBoxIsSharedBySamplesThatMix() throws {
        let strategy = try CutMixStrategy(distribution: .beta(alpha: 1), pairing: .derangement)
        let plan = try drawPlan(strategy, batch: 6, sampleShape: [1, 8, 8], seed: 3)
        let (h, w, values) = try #require(maskOf(plan))
        for i in 1..<6 { #expect(values[(i * h * w)..<((i + 1) * h * w)] == values[0..<(h * w)]) }
        #expect(Set(plan.labelWeights).count == 1)
    }

    @Test(arguments: [1, 3, 127])
    func lambdaOneGivesBackTheOriginalBatch(batch: Int) throws {
        let strategy = try CutMixStrategy(distribution: .fixed(1), granularity: .perSample)
        let x = randomBatch([batch, 3, 6, 6], seed: 2)
        let plan = try drawPlan(strategy, batch: batch, sampleShape: [3, 6, 6], seed: 3)
        #expect(plan.labelWeights.allSatisfy { $0 == 1 })
        #expect(try strategy.apply(plan, to: x).scalars == x.scalars)
    }

    @Test func batchOfOneIsUnchanged() throws {
        for granularity in Self.granularities {
            try expectSingleSampleUnchanged(
                CutMixStrategy.cutMix(alpha: 1, granularity: granularity), sampleShape: [3, 8, 8])
        }
    }

    @Test func sameSeedSamePlanDifferentSeedsDiffer() throws {
        for granularity in Self.granularities {
            try expectDeterministic(CutMixStrategy.cutMix(alpha: 1, granularity: granularity), sampleShape: [2, 8, 8])
        }
    }

    @Test func boxFractionRangeBoundsTheBoxSides() throws {
        let strategy = try CutMixStrategy(
            distribution: .beta(alpha: 1), boxFractionRange: 0.5...0.5, pairing: .derangement)
        for seed: UInt64 in 0..<10 {
            let plan = try drawPlan(strategy, batch: 3, sampleShape: [1, 8, 8], seed: seed)
            expectLabelWeightsMatchMask(plan)
            // Sides of 4 pixels (clipped at the border): at most 16 of 64 pixels are cut.
            #expect(plan.labelWeights.allSatisfy { $0 >= 0.75 })
        }
    }

    @Test func worksOnAHiddenFeatureMap() throws {
        var generator = SeededGenerator(seed: 1)
        let model = try Models.cnn(inputChannels: 1, imageSize: 8, classCount: 3, widths: (4, 6), using: &generator)
        let regularizer = try Regularizer.cutMix(alpha: 1).mixing(at: FixedLayerSelector("block1"))
        var context = ForwardContext(isTraining: true)
        let out = try regularizer.forward(
            model, input: randomBatch([5, 1, 8, 8], seed: 2), labels: randomOneHot(batch: 5, classes: 3, seed: 3),
            epoch: 0,
            context: &context, using: &generator)
        #expect(out.point?.name == "block1")
        #expect(out.output.shape == [5, 3])
        let plan = try #require(out.plan)
        let mask = try #require(maskOf(plan))
        #expect(mask.height == 4 && mask.width == 4)
        expectLabelWeightsMatchMask(plan)
        try expectValidTargets(plan)
        #expect(out.targets.weights == plan.labelWeights)
    }

    @Test func applyGradientMatchesFiniteDifferences() throws {
        let strategy = try CutMixStrategy(distribution: .fixed(0.5), granularity: .perSample, pairing: .derangement)
        let plan = try drawPlan(strategy, batch: 3, sampleShape: [2, 4, 4], seed: 1)
        let probe = randomBatch([3, 2, 4, 4], seed: 2)
        expectGradientsMatchFiniteDifferences(at: [randomBatch([3, 2, 4, 4], seed: 3)]) { inputs in
            ((try! strategy.apply(plan, to: inputs[0])) * probe).squared().sum()
        }
    }

    @Test func invalidSettingsThrowNamingTheValue() {
        expectMixingError(containing: "[5]") {
            _ = try drawPlan(CutMixStrategy.cutMix(alpha: 1), batch: 4, sampleShape: [5], seed: 0)
        }
        expectMixingError(containing: "0.0") { _ = try CutMixStrategy.cutMix(alpha: 0) }
        expectMixingError(containing: "-1") { _ = try Regularizer.cutMix(alpha: -1) }
        expectMixingError(containing: "1.5") {
            _ = try CutMixStrategy(distribution: .beta(alpha: 1), boxFractionRange: 0.2...1.5)
        }
        expectMixingError(containing: "empty") {
            _ = try drawPlan(CutMixStrategy.cutMix(alpha: 1), batch: 0, sampleShape: [1, 4, 4], seed: 0)
        }
    }

    @Test func cutMixOnANonSpatialModelThrows() throws {
        var generator = SeededGenerator(seed: 1)
        let model = Models.mlp(inputSize: 5, hiddenSizes: [4], classCount: 2, using: &generator)
        var context = ForwardContext(isTraining: true)
        expectMixingError(containing: "[5]") {
            _ = try Regularizer.cutMix().forward(
                model, input: randomBatch([3, 5], seed: 2), labels: randomOneHot(batch: 3, classes: 2, seed: 3),
                epoch: 0,
                context: &context, using: &generator)
        }
    }
}
