import MixupKit
import MixupKitTestSupport
import Testing

@Suite struct KMixupStrategyTests {
    @Test(arguments: [2, 3, 5])
    func holdsTheLibrarysMixerProperties(k: Int) throws {
        for granularity in [LambdaGranularity.perBatch, .perSample] {
            let strategy = try KMixupStrategy(k: k, alpha: 0.8, granularity: granularity)
            try MixerChecks(strategy, sampleShape: [6]).checkAll()
            try MixerChecks(strategy, sampleShape: [2, 3, 3], batchSize: 7).checkAll()
        }
        let checks = MixerChecks(try KMixupStrategy(k: k), sampleShape: [6])
        let (model, point) = try MixerChecks<KMixupStrategy>.tinyClassifier(sampleShape: [6], classes: 3)
        try checks.checkGradientsReachLayersBeforeMixPoint(model: model, point: point, classes: 3)
    }

    @Test func kPartnerTargetsSumToOneAndFollowTheWeights() throws {
        let strategy = try KMixupStrategy(k: 4, alpha: 1, granularity: .perSample)
        let plan = try drawPlan(strategy, batch: 9, sampleShape: [3], seed: 5)
        #expect(plan.sources.count == 4)
        let labels = randomOneHot(batch: 9, classes: 5, seed: 6)
        let targets = try InterpolatedLabels().targets(for: plan, labels: labels)
        for i in 0..<9 {
            var expected = [Float](repeating: 0, count: 5)
            for source in plan.sources {
                for c in 0..<5 { expected[c] += source.labelWeights[i] * labels[source.indices[i], c] }
            }
            let row = Array(targets.soft.scalars[(i * 5)..<((i + 1) * 5)])
            #expect(abs(row.reduce(0, +) - 1) <= 1e-5)
            #expect(zip(row, expected).allSatisfy { abs($0 - $1) <= 1e-5 })
        }
    }

    @Test func weightsFollowTheDirichletMean() throws {
        // Dirichlet(α, …, α) has mean 1/k for every component; per-sample draws over many samples average to it.
        let strategy = try KMixupStrategy(k: 3, alpha: 2, granularity: .perSample)
        let plan = try drawPlan(strategy, batch: 600, sampleShape: [1], seed: 9)
        let mixed = (0..<600).filter { i in plan.partnerSources.contains { $0.indices[i] != i } }
        for source in plan.sources {
            let mean = mixed.reduce(Float(0)) { $0 + source.labelWeights[$1] } / Float(mixed.count)
            // The standard deviation of one component is ≈ 0.178 for α = 2, k = 3; 5σ/√600 ≈ 0.036.
            #expect(abs(mean - 1.0 / 3) < 0.036, "mean weight \(mean)")
        }
    }

    @Test func invalidSettingsThrowNamingTheValue() {
        expectMixingError(matching: { if case .invalidParameter(_, "1", _) = $0 { true } else { false } }) {
            _ = try KMixupStrategy(k: 1)
        }
        expectMixingError(containing: "-0.5") { _ = try Regularizer.kMixup(alpha: -0.5) }
        expectMixingError(matching: { if case .incompatibleOptions = $0 { true } else { false } }) {
            _ = try KMixupStrategy(granularity: .perPair)
        }
    }
}
