import MixupKit
import MixupKitTestSupport
import Testing

@Suite struct DominantLabelsTests {
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func mixupIOTakesTheHardLabelOfTheDominantSample(seed: UInt64) throws {
        let regularizer = try Regularizer.mixupIO(alpha: 1)
        let plan = try drawPlan(regularizer.strategy, batch: 7, sampleShape: [4], seed: seed)
        let labels = randomOneHot(batch: 7, classes: 3, seed: seed)
        let targets = try regularizer.labelMixer.targets(for: plan, labels: labels)
        for i in 0..<7 {
            let row = Array(targets.soft.scalars[(i * 3)..<(i * 3 + 3)])
            let winner = plan.labelWeights[i] >= 0.5 ? i : plan.partners[i]
            #expect(row == (0..<3).map { labels[winner, $0] }, "sample \(i): λ = \(plan.labelWeights[i])")
            #expect(targets.sourceWeights.reduce(0) { $0 + $1[i] } == 1)
        }
        // The inputs are the usual mixup blend.
        try MixerChecks(regularizer.strategy as? InterpolationStrategy ?? .mixup(alpha: 1), sampleShape: [4])
            .checkAll()
    }

    @Test func worksWithKPartnerPlans() throws {
        let plan = try drawPlan(KMixupStrategy(k: 4, granularity: .perSample), batch: 6, sampleShape: [2], seed: 3)
        let labels = Tensor.oneHot([0, 1, 2, 3, 0, 1], classCount: 4)
        let targets = try DominantLabels().targets(for: plan, labels: labels)
        let dominant = DominantLabels().dominantSources(of: plan)
        for i in 0..<6 {
            let best = plan.sources[dominant[i]]
            #expect(plan.sources.allSatisfy { $0.labelWeights[i] <= best.labelWeights[i] })
            let row = Array(targets.soft.scalars[(i * 4)..<(i * 4 + 4)])
            #expect(row.reduce(0, +) == 1 && row.filter { $0 == 1 }.count == 1)
            #expect(row[best.indices[i] % 4] == 1)
        }
    }

    @Test func mismatchedLabelsThrowNamingTheShape() throws {
        expectMixingError(matching: { if case .shapeMismatch(_, [3, 2], _) = $0 { true } else { false } }) {
            _ = try DominantLabels().targets(for: .identity(batchSize: 2), labels: .zeros([3, 2]))
        }
    }
}
