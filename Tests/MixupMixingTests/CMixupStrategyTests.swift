import Foundation
import MixupKit
import MixupKitTestSupport
import Testing

@Suite struct CMixupStrategyTests {
    static func plan(
        _ strategy: CMixupStrategy, labels: Tensor, sampleShape: [Int] = [3], seed: UInt64
    ) throws -> MixPlan {
        var generator = SeededGenerator(seed: seed)
        let count = labels.shape[0]
        return try strategy.plan(
            for: MixingBatch(values: randomBatch([count] + sampleShape, seed: seed + 7), labels: labels),
            using: &generator)
    }

    @Test func holdsTheLibrarysMixerProperties() throws {
        let strategy = try CMixupStrategy.cMixup(alpha: 2, bandwidth: 1)
        let checks = MixerChecks(strategy, sampleShape: [6])
        try checks.checkAll()
        try checks.checkNoSelfPairs()
        try MixerChecks(strategy, sampleShape: [2, 8, 8]).checkAll()
        let (model, point) = try MixerChecks<CMixupStrategy>.tinyClassifier(sampleShape: [6], classes: 3)
        try checks.checkGradientsReachLayersBeforeMixPoint(model: model, point: point, classes: 3)
    }

    /// Regression targets are interpolated with the inputs: ỹ = λ·yᵢ + (1 − λ)·y_partner.
    @Test func regressionTargetsFollowTheInputs() throws {
        let labels = Tensor(shape: [5, 1], scalars: [0.1, 0.2, 1.5, 1.6, 3.0])
        let plan = try Self.plan(CMixupStrategy.cMixup(bandwidth: 0.5), labels: labels, seed: 3)
        let targets = try InterpolatedLabels().targets(for: plan, labels: labels)
        for i in 0..<5 {
            let expected =
                plan.labelWeights[i] * labels[i, 0] + (1 - plan.labelWeights[i]) * labels[plan.partners[i], 0]
            #expect(abs(targets.soft[i, 0] - expected) <= 1e-6)
            #expect(plan.partners[i] != i)
        }
    }

    /// The partner distribution follows the kernel: over 6000 seeded draws, each sample's partner counts pass a
    /// chi-square test against P(j | i) ∝ exp(−(yᵢ − yⱼ)² / 2σ²), j ≠ i, at a fixed 0.1 % threshold.
    @Test func partnerDistributionFollowsTheKernel() throws {
        let targets: [Float] = [0, 0.3, 0.7, 1.2, 2.0, 3.5]
        let labels = Tensor(shape: [6, 1], scalars: targets)
        let sigma = 0.8
        let strategy = try CMixupStrategy.cMixup(alpha: 1, bandwidth: sigma)
        let draws = 6000
        var counts = [[Int]](repeating: [Int](repeating: 0, count: 6), count: 6)
        for seed in 0..<UInt64(draws) {
            let plan = try Self.plan(strategy, labels: labels, sampleShape: [1], seed: seed)
            for i in 0..<6 { counts[i][plan.partners[i]] += 1 }
        }
        for i in 0..<6 {
            #expect(counts[i][i] == 0, "sample \(i) drew itself")
            var kernel = (0..<6).map { j in
                j == i ? 0 : exp(-pow(Double(targets[i]) - Double(targets[j]), 2) / (2 * sigma * sigma))
            }
            let total = kernel.reduce(0, +)
            kernel = kernel.map { $0 / total }
            #expect(
                zip(kernel, strategy.partnerProbabilities(of: i, labels: labels)).allSatisfy { abs($0 - $1) < 1e-9 })
            // Pool cells with expected count < 5 into one, then χ² with (cells − 1) degrees of freedom.
            var observed: [Double] = []
            var expected: [Double] = []
            var pooledObserved = 0.0
            var pooledExpected = 0.0
            for j in 0..<6 where j != i {
                let e = kernel[j] * Double(draws)
                if e < 5 {
                    pooledObserved += Double(counts[i][j])
                    pooledExpected += e
                } else {
                    observed.append(Double(counts[i][j]))
                    expected.append(e)
                }
            }
            if pooledExpected > 0 {
                observed.append(pooledObserved)
                expected.append(pooledExpected)
            }
            let chiSquare = zip(observed, expected).reduce(0) { $0 + pow($1.0 - $1.1, 2) / $1.1 }
            // 0.1 % upper quantiles of χ² with 1…4 degrees of freedom.
            let thresholds = [10.83, 13.82, 16.27, 18.47]
            let degrees = observed.count - 1
            if degrees >= 1 {
                #expect(chiSquare < thresholds[degrees - 1], "sample \(i): χ² = \(chiSquare) with \(degrees) df")
            }
        }
        // Nearby targets are chosen far more often than distant ones.
        #expect(counts[0][1] > 10 * max(counts[0][5], 1))
    }

    /// Regression targets end to end at the library level: C-Mixup through `Regularizer.forward` with a mean squared
    /// error on the interpolated targets trains an MLP on y = sin(3x) (60 Adam steps halve the clean training MSE).
    @Test func trainsARegressionModelWithMeanSquaredError() throws {
        var generator = SeededGenerator(seed: 1)
        let x = Tensor.uniform([64, 1], lower: -1, upper: 1, using: &generator)
        let y = Tensor(shape: [64, 1], scalars: x.scalars.map { Foundation.sin(3 * $0) })
        let model = Models.mlp(inputSize: 1, hiddenSizes: [16, 16], classCount: 1, using: &generator)
        let optimizer = Adam(parameters: model.allParameters, learningRate: 0.01)
        let regularizer = try Regularizer.cMixup(alpha: 2, bandwidth: 0.2)
        func cleanLoss() -> Float {
            var context = ForwardContext.inference
            return withoutGradients { meanSquaredError(predictions: model(x, context: &context), targets: y).scalar }
        }
        let before = cleanLoss()
        for _ in 0..<60 {
            var context = ForwardContext(isTraining: true)
            let forward = try regularizer.forward(
                model, input: x, labels: y, epoch: 0, context: &context, using: &generator)
            #expect(try #require(forward.plan).partners.enumerated().allSatisfy { $0.offset != $0.element })
            meanSquaredError(predictions: forward.output, targets: forward.targets.soft).backward()
            optimizer.step()
            optimizer.zeroGradients()
        }
        #expect(cleanLoss() < 0.5 * before, "clean MSE \(before) → \(cleanLoss())")
    }

    @Test func oddSingleAndFarApartBatchesWork() throws {
        let strategy = try CMixupStrategy.cMixup(bandwidth: 0.01)
        let far = Tensor(shape: [3, 1], scalars: [0, 100, 1000])
        let plan = try Self.plan(strategy, labels: far, seed: 1)
        #expect(plan.partners == [1, 0, 1], "the nearest other sample when the kernel is narrow")
        let single = try Self.plan(strategy, labels: Tensor(shape: [1, 1], scalars: [2]), seed: 1)
        #expect(single.partners == [0] && single.labelWeights == [1])
    }

    @Test func invalidSettingsThrowNamingTheValue() throws {
        expectMixingError(containing: "-1.0") { _ = try Regularizer.cMixup(bandwidth: -1) }
        expectMixingError(containing: "0.0") { _ = try CMixupStrategy.cMixup(bandwidth: 0) }
        expectMixingError(containing: "0.0") { _ = try Regularizer.cMixup(alpha: 0) }
        expectMixingError(matching: { if case .needsBatchData = $0 { true } else { false } }) {
            _ = try drawPlan(CMixupStrategy.cMixup(), batch: 2, sampleShape: [3], seed: 0)
        }
        expectMixingError(matching: { if case .needsBatchData = $0 { true } else { false } }) {
            var generator = SeededGenerator(seed: 0)
            _ = try CMixupStrategy.cMixup().plan(
                for: MixingBatch(values: randomBatch([2, 3], seed: 0)), using: &generator)
        }
        expectMixingError(containing: "nan") {
            _ = try Self.plan(CMixupStrategy.cMixup(), labels: Tensor(shape: [2, 1], scalars: [0, .nan]), seed: 0)
        }
        expectMixingError(matching: { if case .shapeMismatch(_, [3], _) = $0 { true } else { false } }) {
            _ = try Self.plan(CMixupStrategy.cMixup(), labels: Tensor([1, 2, 3]), seed: 0)
        }
    }
}
