import MixupKit
import MixupKitTestSupport
import Testing

@Suite struct GridMixStrategyTests {
    @Test func holdsTheLibrarysMixerProperties() throws {
        let checks = MixerChecks(try GridMixStrategy.gridMix(alpha: 1), sampleShape: [2, 8, 8])
        try checks.checkAll()
        try MixerChecks(try GridMixStrategy.gridMix(alpha: 1, gridSizes: 3...5), sampleShape: [1, 7, 10]).checkAll()
        let (model, point) = try MixerChecks<GridMixStrategy>.tinyClassifier(sampleShape: [2, 8, 8], classes: 3)
        try checks.checkGradientsReachLayersBeforeMixPoint(model: model, point: point, classes: 3)
        let deranged = try GridMixStrategy(distribution: .beta(alpha: 1), pairing: .derangement)
        try MixerChecks(deranged, sampleShape: [1, 6, 6]).checkNoSelfPairs()
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func labelWeightsAreTheExactKeptPixelFraction(seed: UInt64) throws {
        let strategy = try GridMixStrategy(distribution: .beta(alpha: 1), pairing: .derangement)
        let plan = try drawPlan(strategy, batch: 5, sampleShape: [2, 9, 7], seed: seed)
        expectLabelWeightsMatchMask(plan)
        try expectLabelWeightsMatchData(strategy, plan, channels: 2)
    }

    @Test func holesAreWholeGridCells() throws {
        // With a fixed 3×3 grid on a 6×6 image, every 2×2 cell is all kept or all taken.
        let strategy = try GridMixStrategy(
            distribution: .fixed(0.5), gridSizes: 3...3, pairing: .derangement)
        var takenCells = 0
        for seed: UInt64 in 0..<10 {
            let plan = try drawPlan(strategy, batch: 3, sampleShape: [1, 6, 6], seed: seed)
            let mask = try #require(maskOf(plan))
            for i in 0..<3 {
                for cellY in 0..<3 {
                    for cellX in 0..<3 {
                        let values = [(0, 0), (0, 1), (1, 0), (1, 1)].map { dy, dx in
                            mask.values[i * 36 + (cellY * 2 + dy) * 6 + cellX * 2 + dx]
                        }
                        #expect(Set(values).count == 1, "cell (\(cellY), \(cellX)) of sample \(i) is split")
                        if values[0] == 0 { takenCells += 1 }
                    }
                }
            }
        }
        // λ = 0.5: about half of the 270 cells are taken.
        #expect(takenCells > 90 && takenCells < 180, "\(takenCells) of 270 cells taken")
    }

    @Test func invalidSettingsThrowNamingTheValue() throws {
        expectMixingError(matching: { if case .invalidParameter(_, "0...3", _) = $0 { true } else { false } }) {
            _ = try GridMixStrategy(distribution: .beta(alpha: 1), gridSizes: 0...3)
        }
        expectMixingError(containing: "-1.0") { _ = try Regularizer.gridMix(alpha: -1) }
        expectMixingError(matching: { if case .unsupportedSampleShape(_, [10], _) = $0 { true } else { false } }) {
            _ = try drawPlan(GridMixStrategy.gridMix(alpha: 1), batch: 2, sampleShape: [10], seed: 0)
        }
    }
}
