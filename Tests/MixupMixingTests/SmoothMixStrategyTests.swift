import MixupKit
import MixupKitTestSupport
import Testing

@Suite struct SmoothMixStrategyTests {
    @Test func holdsTheLibrarysMixerProperties() throws {
        let checks = MixerChecks(try SmoothMixStrategy(), sampleShape: [2, 8, 8])
        try checks.checkAll()
        let (model, point) = try MixerChecks<SmoothMixStrategy>.tinyClassifier(sampleShape: [2, 8, 8], classes: 3)
        try checks.checkGradientsReachLayersBeforeMixPoint(model: model, point: point, classes: 3)
        try MixerChecks(try SmoothMixStrategy(pairing: .derangement), sampleShape: [1, 5, 9]).checkNoSelfPairs()
    }

    /// The label weight of the original is the ORIGINAL's realised pixel share mean(1 − g), not the partner's mean(g).
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func labelWeightIsTheOriginalsPixelShareNotThePartners(seed: UInt64) throws {
        let strategy = try SmoothMixStrategy(spreadRange: 0.1...0.2, pairing: .derangement)
        let plan = try drawPlan(strategy, batch: 4, sampleShape: [1, 12, 12], seed: seed)
        let mask = try #require(maskOf(plan))
        // Original = 1, partner = 0 everywhere: the mixed sample's mean is the original's share, measured on the data.
        let x = Tensor(shape: [4, 1, 12, 12], scalars: [Float](repeating: 1, count: 4 * 144))
        let partnerZero = try strategy.apply(plan, to: x * Tensor(shape: [4, 1, 1, 1], scalars: [1, 0, 0, 0]))
        let ownShare = partnerZero.scalars[0..<144].reduce(0, +) / 144
        #expect(abs(ownShare - plan.labelWeights[0]) < 1e-5)
        for i in 0..<4 {
            let keep = mask.values[(i * 144)..<((i + 1) * 144)]
            let ownMean = keep.reduce(0, +) / 144
            #expect(abs(plan.labelWeights[i] - ownMean) < 1e-5)
            // A small blob leaves most of the image to the original: its share is the larger one.
            #expect(plan.labelWeights[i] > 0.5, "sample \(i): original share \(plan.labelWeights[i])")
            // The mask is soft: some pixels are strictly between the two images.
            #expect(keep.contains { $0 > 0.05 && $0 < 0.95 })
        }
    }

    @Test func batchOfOneAndSelfPairsAreUnchanged() throws {
        try MixerChecks(try SmoothMixStrategy(), sampleShape: [3, 4, 4], batchSize: 3).checkOddAndSingleSampleBatches()
    }

    @Test func invalidSettingsThrowNamingTheValue() {
        expectMixingError(containing: "0.0...0.5") { _ = try SmoothMixStrategy(spreadRange: 0...0.5) }
        expectMixingError(matching: { if case .unsupportedSampleShape(_, [6], _) = $0 { true } else { false } }) {
            _ = try drawPlan(SmoothMixStrategy(), batch: 2, sampleShape: [6], seed: 0)
        }
    }
}
