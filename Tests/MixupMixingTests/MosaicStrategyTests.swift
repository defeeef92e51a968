import MixupKit
import MixupKitTestSupport
import Testing

@Suite struct MosaicStrategyTests {
    @Test func holdsTheLibrarysMixerProperties() throws {
        let checks = MixerChecks(try MosaicStrategy(), sampleShape: [2, 8, 8])
        try checks.checkAll()
        try MixerChecks(try MosaicStrategy(centreRange: 0...1), sampleShape: [1, 5, 7], batchSize: 5).checkAll()
        let (model, point) = try MixerChecks<MosaicStrategy>.tinyClassifier(sampleShape: [2, 8, 8], classes: 3)
        try checks.checkGradientsReachLayersBeforeMixPoint(model: model, point: point, classes: 3)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func fourCellsWithLabelWeightsEqualToTheirAreas(seed: UInt64) throws {
        let plan = try drawPlan(MosaicStrategy(), batch: 4, sampleShape: [1, 8, 12], seed: seed)
        #expect(plan.sources.count == 4)
        let pixels = 96
        for i in 0..<4 {
            var covered = [Int](repeating: 0, count: pixels)
            for (cell, source) in plan.sources.enumerated() {
                let values = Array(source.weights.values[(i * pixels)..<((i + 1) * pixels)])
                #expect(values.allSatisfy { $0 == 0 || $0 == 1 })
                let area = values.filter { $0 == 1 }.count
                #expect(source.labelWeights[i] == Float(area) / Float(pixels))
                for p in 0..<pixels where values[p] == 1 { covered[p] += 1 }
                // Cell 0 (the original) is the top-left block: it contains pixel (0, 0) unless it is empty.
                if cell == 0 && area > 0 { #expect(values[0] == 1) }
                // Each cell is a rectangle.
                let on = (0..<pixels).filter { values[$0] == 1 }
                let rows = Set(on.map { $0 / 12 }), columns = Set(on.map { $0 % 12 })
                #expect(on.count == rows.count * columns.count)
            }
            #expect(covered.allSatisfy { $0 == 1 }, "the four cells must tile sample \(i)")
            // The split is within [0.25, 0.75] of each side, so the original's cell has 2…6 rows and 3…9 columns
            // (unless all three partners are the sample itself: then it is whole).
            guard plan.partnerSources.contains(where: { $0.indices[i] != i }) else {
                #expect(plan.labelWeights[i] == 1)
                continue
            }
            #expect(plan.labelWeights[i] >= Float(2 * 3) / 96 && plan.labelWeights[i] <= Float(6 * 9) / 96)
        }
    }

    @Test func aBatchOfOneIsLeftWholeWithLabelWeightOne() throws {
        for seed: UInt64 in 0..<4 {
            let plan = try drawPlan(MosaicStrategy(), batch: 1, sampleShape: [2, 6, 6], seed: seed)
            #expect(plan.labelWeights == [1])
            #expect(plan.sourceLabelWeights == [[1], [0], [0], [0]])
        }
    }

    @Test func invalidSettingsThrowNamingTheValue() {
        expectMixingError(containing: "0.5...1.5") { _ = try MosaicStrategy(centreRange: 0.5...1.5) }
        expectMixingError(matching: { if case .unsupportedSampleShape(_, [4], _) = $0 { true } else { false } }) {
            _ = try drawPlan(MosaicStrategy(), batch: 2, sampleShape: [4], seed: 0)
        }
    }
}
