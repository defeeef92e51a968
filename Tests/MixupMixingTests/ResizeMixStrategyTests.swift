import MixupKit
import Testing
import _MixupTestSupport

@Suite struct ResizeMixStrategyTests {
    @Test(arguments: [1, 3, 127], [UInt64(1), 2, 3])
    func labelWeightsAreTheExactKeptPixelFraction(batch: Int, seed: UInt64) throws {
        let strategy = try ResizeMixStrategy()
        let plan = try drawPlan(strategy, batch: batch, sampleShape: [2, 8, 8], seed: seed)
        try expectValidTargets(plan)
        expectLabelWeightsMatchMask(plan)
        try expectLabelWeightsMatchData(strategy, plan, channels: 2)
        let x = randomBatch([batch, 2, 8, 8], seed: seed)
        expectSelfPairedRowsUnchanged(plan, input: x, output: try strategy.apply(plan, to: x))
    }

    @Test func pastedRegionIsTheWholePartnerShrunk() throws {
        // τ = 0.5 on 8×8: a 4×4 box holding the partner downsampled by 2, i.e. the average of each 2×2 block
        // (bilinear with half-pixel centres).
        let strategy = try ResizeMixStrategy(scaleRange: 0.5...0.5, pairing: .reversed)
        let plan = try drawPlan(strategy, batch: 2, sampleShape: [1, 8, 8], seed: 3)
        #expect(plan.labelWeights == [0.75, 0.75])
        let x = randomBatch([2, 1, 8, 8], seed: 4)
        let mixed = try strategy.apply(plan, to: x)
        let (_, _, mask) = try #require(maskOf(plan))
        let cut = (0..<64).filter { mask[$0] == 0 }
        let top = cut.map { $0 / 8 }.min()!, left = cut.map { $0 % 8 }.min()!
        for i in 0..<2 {
            let partner = 1 - i
            for by in 0..<4 {
                for bx in 0..<4 {
                    var average: Float = 0
                    for dy in 0..<2 {
                        for dx in 0..<2 { average += x[partner, 0, 2 * by + dy, 2 * bx + dx] / 4 }
                    }
                    #expect(abs(mixed[i, 0, top + by, left + bx] - average) <= 1e-5)
                }
            }
        }
    }

    @Test func fullScaleBoxPastesThePartnerUnchanged() throws {
        let strategy = try ResizeMixStrategy(scaleRange: 1...1, pairing: .derangement)
        let plan = try drawPlan(strategy, batch: 3, sampleShape: [2, 5, 5], seed: 1)
        #expect(plan.labelWeights == [0, 0, 0])
        let x = randomBatch([3, 2, 5, 5], seed: 2)
        expectClose(try strategy.apply(plan, to: x), plan.partnerBatch(x), tolerance: 1e-6)
    }

    @Test func zeroScaleGivesBackTheOriginalBatch() throws {
        let strategy = try ResizeMixStrategy(scaleRange: 0...0)
        let x = randomBatch([4, 2, 6, 6], seed: 2)
        let plan = try drawPlan(strategy, batch: 4, sampleShape: [2, 6, 6], seed: 3)
        #expect(plan.labelWeights.allSatisfy { $0 == 1 })
        #expect(try strategy.apply(plan, to: x).scalars == x.scalars)
    }

    @Test func batchOfOneIsUnchanged() throws {
        try expectSingleSampleUnchanged(ResizeMixStrategy(), sampleShape: [3, 8, 8])
    }

    @Test func sameSeedSamePlanDifferentSeedsDiffer() throws {
        try expectDeterministic(ResizeMixStrategy(), sampleShape: [2, 8, 8])
    }

    @Test func applyGradientMatchesFiniteDifferences() throws {
        let strategy = try ResizeMixStrategy(scaleRange: 0.6...0.6, pairing: .derangement)
        let plan = try drawPlan(strategy, batch: 3, sampleShape: [2, 5, 5], seed: 1)
        let probe = randomBatch([3, 2, 5, 5], seed: 2)
        let x = randomBatch([3, 2, 5, 5], seed: 3)
        expectGradientsMatchFiniteDifferences(at: [x]) { inputs in
            ((try! strategy.apply(plan, to: inputs[0])) * probe).squared().sum()
        }
        // The partner's pixels receive gradient through the resize, not only the kept pixels.
        let (_, gradients) = valueWithGradients(at: [x]) { inputs in (try! strategy.apply(plan, to: inputs[0])).sum() }
        #expect(gradients[0].scalars.allSatisfy { $0 > 0 })
    }

    @Test func applyRejectsPerSamplePlansAndWrongShapes() throws {
        let strategy = try ResizeMixStrategy()
        expectMixingError(matching: { if case .planMismatch(strategy: "resizemix", _) = $0 { true } else { false } }) {
            _ = try strategy.apply(.identity(batchSize: 2), to: .zeros([2, 1, 4, 4]))
        }
        let plan = try drawPlan(strategy, batch: 2, sampleShape: [1, 4, 4], seed: 0)
        expectMixingError(containing: "[2, 1, 5, 5]") { _ = try strategy.apply(plan, to: .zeros([2, 1, 5, 5])) }
        // A mask plan without the box payload (e.g. drawn by CutMix) is refused, not guessed from the mask.
        let cutMixPlan = try drawPlan(CutMixStrategy.cutMix(alpha: 1), batch: 2, sampleShape: [1, 4, 4], seed: 0)
        expectMixingError(matching: { if case .planMismatch = $0 { true } else { false } }) {
            _ = try strategy.apply(cutMixPlan, to: .zeros([2, 1, 4, 4]))
        }
    }

    @Test func thePlanCarriesTheBoxItsMaskShows() throws {
        let strategy = try ResizeMixStrategy(pairing: .derangement)
        for seed: UInt64 in 0..<6 {
            let plan = try drawPlan(strategy, batch: 3, sampleShape: [1, 9, 7], seed: seed)
            let box = try #require(plan.payload(as: ResizeMixStrategy.Box.self))
            let mask = try #require(maskOf(plan))
            for i in 0..<3 {
                for y in 0..<9 {
                    for x in 0..<7 {
                        let inBox =
                            (box.top..<(box.top + box.height)).contains(y)
                            && (box.left..<(box.left + box.width)).contains(x)
                        #expect(mask.values[(i * 9 + y) * 7 + x] == (inBox ? 0 : 1))
                    }
                }
            }
        }
    }

    @Test func invalidSettingsThrowNamingTheValue() {
        expectMixingError(containing: "[10]") {
            _ = try drawPlan(ResizeMixStrategy(), batch: 2, sampleShape: [10], seed: 0)
        }
        expectMixingError(containing: "1.5") { _ = try ResizeMixStrategy(scaleRange: 0.5...1.5) }
        expectMixingError(containing: "-0.5") { _ = try Regularizer.resizeMix(scaleRange: -0.5...0.5) }
    }
}
