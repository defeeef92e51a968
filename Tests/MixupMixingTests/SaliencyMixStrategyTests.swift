import MixupKit
import MixupKitTestSupport
import Testing

@Suite struct SaliencyMixStrategyTests {
    /// A fixed tiny CNN's input-gradient saliency, for drawing plans from batches that carry no model.
    static func fixedModelSaliency() throws -> SaliencyMixStrategy.Saliency {
        let (model, _) = try MixerChecks<CutMixStrategy>.tinyClassifier(sampleShape: [2, 8, 8], classes: 3)
        let box = ModelBox(model: model)
        return .custom { batch in
            SaliencyMixStrategy.inputGradientSaliency(
                of: box.model, values: batch.values, point: .input, labels: batch.labels)
        }
    }

    /// A saliency whose only hot pixel in sample i is at (i mod height, (2·i) mod width).
    static let hotPixel = SaliencyMixStrategy.Saliency.custom { batch in
        let (count, height, width) = (batch.batchSize, batch.sampleShape[1], batch.sampleShape[2])
        var scalars = [Float](repeating: 0, count: count * height * width)
        for i in 0..<count { scalars[i * height * width + (i % height) * width + (2 * i) % width] = 1 }
        return Tensor(shape: [count, height, width], scalars: scalars)
    }

    static func plan(
        _ strategy: SaliencyMixStrategy, batch: Int, sampleShape: [Int], seed: UInt64, model: (any MixableModel)? = nil
    ) throws -> (plan: MixPlan, values: Tensor) {
        var generator = SeededGenerator(seed: seed)
        let values = randomBatch([batch] + sampleShape, seed: seed + 100)
        let plan = try strategy.plan(
            for: MixingBatch(
                values: values, labels: randomOneHot(batch: batch, classes: 3, seed: seed), model: model),
            using: &generator)
        return (plan, values)
    }

    @Test func holdsTheLibrarysMixerProperties() throws {
        let strategy = SaliencyMixStrategy(distribution: try .beta(alpha: 1), saliency: try Self.fixedModelSaliency())
        let checks = MixerChecks(strategy, sampleShape: [2, 8, 8])
        try checks.checkAll()
        // Through a Regularizer the batch carries the model: the default input-gradient saliency at a hidden point.
        let defaultStrategy = try SaliencyMixStrategy.saliencyMix(alpha: 1)
        let (model, point) = try MixerChecks<SaliencyMixStrategy>.tinyClassifier(sampleShape: [2, 8, 8], classes: 3)
        try MixerChecks(defaultStrategy, sampleShape: [2, 8, 8]).checkGradientsReachLayersBeforeMixPoint(
            model: model, point: point, classes: 3)
        let deranged = SaliencyMixStrategy(
            distribution: try .beta(alpha: 1), pairing: .derangement, saliency: try Self.fixedModelSaliency())
        try MixerChecks(deranged, sampleShape: [2, 8, 8]).checkNoSelfPairs()
    }

    /// The label weight is the realised pixel share of the original, checked on the mask and on mixed data.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func labelWeightIsTheRealisedPixelShare(seed: UInt64) throws {
        let strategy = SaliencyMixStrategy(
            distribution: try .beta(alpha: 1), pairing: .derangement, saliency: Self.hotPixel)
        let (plan, _) = try Self.plan(strategy, batch: 5, sampleShape: [2, 9, 7], seed: seed)
        expectLabelWeightsMatchMask(plan)
        try expectLabelWeightsMatchData(strategy, plan, channels: 2)
    }

    /// Each box is centred on (contains) the partner's most salient pixel, and all boxes of a batch have one size.
    @Test(arguments: [UInt64(1), 2, 3])
    func theBoxSitsOnThePartnersSaliencyPeak(seed: UInt64) throws {
        let strategy = SaliencyMixStrategy(
            distribution: try .fixed(0.5), pairing: .derangement, saliency: Self.hotPixel)
        let (plan, _) = try Self.plan(strategy, batch: 6, sampleShape: [1, 10, 10], seed: seed)
        let mask = try #require(maskOf(plan))
        for i in 0..<6 {
            let j = plan.partners[i]
            let (peakY, peakX) = (j % 10, (2 * j) % 10)
            #expect(mask.values[i * 100 + peakY * 10 + peakX] == 0, "sample \(i)'s box misses partner \(j)'s peak")
            // λ = 0.5: a box side of ⌊10·√0.5⌋ = 7, so 6 pixels (±3 around the centre) before clipping.
            let taken = (0..<100).filter { mask.values[i * 100 + $0] == 0 }
            let rows = Set(taken.map { $0 / 10 })
            let columns = Set(taken.map { $0 % 10 })
            #expect(rows.count * columns.count == taken.count, "sample \(i)'s hole is not a box")
            let expectedRows = min(peakY + 3, 10) - max(peakY - 3, 0)
            let expectedColumns = min(peakX + 3, 10) - max(peakX - 3, 0)
            #expect(rows.count == expectedRows && columns.count == expectedColumns, "sample \(i): \(rows) × \(columns)")
        }
    }

    /// The default saliency is the model's input-gradient magnitude: the plan equals the one drawn with that map
    /// computed by hand through `gradient(at:of:)`, and computing it leaves the parameters' gradients untouched.
    @Test func inputGradientSaliencyIsTheModelsInputGradientMagnitude() throws {
        let (model, _) = try MixerChecks<CutMixStrategy>.tinyClassifier(sampleShape: [2, 8, 8], classes: 3)
        let values = randomBatch([4, 2, 8, 8], seed: 3)
        let labels = randomOneHot(batch: 4, classes: 3, seed: 4)
        var context = ForwardContext.inference
        let byHand = gradient(at: values) { x in
            softmaxCrossEntropy(logits: model.forward(x, from: .input, to: nil, context: &context), softTargets: labels)
                * 4
        }
        let map = SaliencyMixStrategy.inputGradientSaliency(of: model, values: values, point: .input, labels: labels)
        #expect(map.shape == [4, 8, 8])
        for k in 0..<map.count {
            let (i, pixel) = (k / 64, k % 64)
            let expected = abs(byHand.scalars[i * 128 + pixel]) + abs(byHand.scalars[i * 128 + 64 + pixel])
            #expect(abs(map.scalars[k] - expected) <= 1e-6)
        }
        #expect(model.allParameters.allSatisfy { $0.gradient == nil })
        let strategy = try SaliencyMixStrategy.saliencyMix(alpha: 1)
        let mapScalars = map.scalars
        let custom = SaliencyMixStrategy(
            distribution: try .beta(alpha: 1), saliency: .custom { _ in Tensor(shape: [4, 8, 8], scalars: mapScalars) })
        var g1 = SeededGenerator(seed: 7)
        var g2 = SeededGenerator(seed: 7)
        let a = try strategy.plan(for: MixingBatch(values: values, labels: labels, model: model), using: &g1)
        let b = try custom.plan(for: MixingBatch(values: values, labels: labels), using: &g2)
        #expect(a == b)
    }

    @Test func oddAndSingleSampleBatchesWork() throws {
        let strategy = SaliencyMixStrategy(distribution: try .beta(alpha: 1), saliency: Self.hotPixel)
        for batch in [1, 3, 5] {
            let (plan, values) = try Self.plan(strategy, batch: batch, sampleShape: [3, 6, 6], seed: 2)
            let mixed = try strategy.apply(plan, to: values)
            #expect(mixed.shape == values.shape)
            if batch == 1 { #expect(mixed.scalars == values.scalars && plan.labelWeights == [1]) }
        }
    }

    @Test func invalidSettingsThrowNamingTheValue() throws {
        expectMixingError(containing: "-1.0") { _ = try Regularizer.saliencyMix(alpha: -1) }
        expectMixingError(containing: "0.0") { _ = try SaliencyMixStrategy.saliencyMix(alpha: 0) }
        expectMixingError(matching: { if case .needsBatchData = $0 { true } else { false } }) {
            _ = try drawPlan(SaliencyMixStrategy.saliencyMix(alpha: 1), batch: 2, sampleShape: [1, 4, 4], seed: 0)
        }
        expectMixingError(containing: "MixingBatch.model") {
            _ = try Self.plan(SaliencyMixStrategy.saliencyMix(alpha: 1), batch: 2, sampleShape: [1, 4, 4], seed: 0)
        }
        expectMixingError(matching: { if case .unsupportedSampleShape(_, [10], _) = $0 { true } else { false } }) {
            _ = try Self.plan(SaliencyMixStrategy.saliencyMix(alpha: 1), batch: 2, sampleShape: [10], seed: 0)
        }
        expectMixingError(matching: { if case .shapeMismatch(_, [2, 3], _) = $0 { true } else { false } }) {
            let wrong = SaliencyMixStrategy(
                distribution: try .beta(alpha: 1), saliency: .custom { _ in .zeros([2, 3]) })
            _ = try Self.plan(wrong, batch: 2, sampleShape: [1, 4, 4], seed: 0)
        }
    }
}

/// Carries a model into a `@Sendable` saliency provider (tests only; the model is never mutated).
final class ModelBox: @unchecked Sendable {
    let model: any MixableModel
    init(model: any MixableModel) { self.model = model }
}
