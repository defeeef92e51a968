import MixupKit
import Testing
import _MixupTestSupport

@Suite struct MixPlanTests {
    @Test func identityPlanLeavesBatchUnchanged() throws {
        let plan = MixPlan.identity(batchSize: 4)
        #expect(plan.partners == [0, 1, 2, 3])
        #expect(plan.labelWeights == [1, 1, 1, 1])
        #expect(plan.payload == nil)
        let x = randomBatch([4, 3], seed: 1)
        #expect(try plan.mix(x).scalars == x.scalars)
    }

    @Test func perSampleMixIsTheWeightedCombination() throws {
        let x = Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        let plan = try MixPlan(partners: [1, 2, 0], weights: .perSample([0.25, 1, 0]), labelWeights: [0.25, 1, 0])
        let mixed = try plan.mix(x)
        #expect(mixed.shape == [3, 2])
        // row 0: 0.25·[1,2] + 0.75·[3,4]; row 1 keeps itself; row 2 is entirely row 0.
        #expect(mixed.scalars == [2.5, 3.5, 3, 4, 1, 2])
        #expect(plan.partnerBatch(x).scalars == [3, 4, 5, 6, 1, 2])
    }

    @Test func maskMixTakesPartnerPixelsWhereMaskIsZero() throws {
        // Two 1×2×2 samples, mask keeps the left column of sample 0, nothing of sample 1... and everything else.
        let x = Tensor(shape: [2, 1, 2, 2], scalars: [1, 1, 1, 1, 2, 2, 2, 2])
        let plan = try MixPlan(
            partners: [1, 0], weights: .mask(height: 2, width: 2, values: [1, 0, 1, 0, 0, 0, 0, 0]),
            labelWeights: [0.5, 0])
        #expect(try plan.mix(x).scalars == [1, 2, 1, 2, 1, 1, 1, 1])
    }

    @Test func perSampleWeightsBroadcastOverAnyRank() throws {
        let x = randomBatch([2, 3, 2, 2], seed: 3)
        let plan = try MixPlan(partners: [1, 0], weights: .perSample([0.3, 0.6]), labelWeights: [0.3, 0.6])
        let mixed = try plan.mix(x)
        for i in 0..<2 {
            for k in 0..<12 {
                let expected =
                    plan.labelWeights[i] * x.scalars[i * 12 + k] + (1 - plan.labelWeights[i])
                    * x.scalars[(1 - i) * 12 + k]
                #expect(abs(mixed.scalars[i * 12 + k] - expected) <= 1e-6)
            }
        }
    }

    @Test func invalidPlansThrow() {
        expectMixingError(containing: "5") {
            _ = try MixPlan(partners: [0, 5], weights: .perSample([1, 1]), labelWeights: [1, 1])
        }
        expectMixingError(containing: "-1") {
            _ = try MixPlan(partners: [0, -1], weights: .perSample([1, 1]), labelWeights: [1, 1])
        }
        expectMixingError(containing: "1.5") {
            _ = try MixPlan(partners: [0, 1], weights: .perSample([1, 1]), labelWeights: [1, 1.5])
        }
        expectMixingError(containing: "-0.5") {
            _ = try MixPlan(partners: [0, 1], weights: .perSample([-0.5, 1]), labelWeights: [1, 1])
        }
        expectMixingError(containing: "3 label weights") {
            _ = try MixPlan(partners: [0, 1], weights: .perSample([1, 1]), labelWeights: [1, 1, 1])
        }
        expectMixingError(containing: "3 sample weights") {
            _ = try MixPlan(partners: [0, 1], weights: .perSample([1, 1, 1]), labelWeights: [1, 1])
        }
        expectMixingError(containing: "7 values") {
            _ = try MixPlan(
                partners: [0, 1], weights: .mask(height: 2, width: 2, values: [Float](repeating: 1, count: 7)),
                labelWeights: [1, 1])
        }
        expectMixingError(containing: "2.0") {
            _ = try MixPlan(partners: [0], weights: .mask(height: 1, width: 2, values: [1, 2]), labelWeights: [1])
        }
        expectMixingError(containing: "-1.0") {
            _ = try MixPlan(partners: [0], weights: .mask(height: 1, width: 2, values: [-1, 0]), labelWeights: [1])
        }
        expectMixingError(containing: "nan") {
            _ = try MixPlan(partners: [0], weights: .perSample([1]), labelWeights: [.nan])
        }
    }

    @Test func mixingATensorOfTheWrongShapeThrows() throws {
        let plan = try MixPlan(partners: [1, 0], weights: .perSample([0.5, 0.5]), labelWeights: [0.5, 0.5])
        expectMixingError(containing: "[3, 4]") { _ = try plan.mix(.zeros([3, 4])) }
        let maskPlan = try MixPlan(
            partners: [1, 0], weights: .mask(height: 2, width: 2, values: [Float](repeating: 1, count: 8)),
            labelWeights: [1, 1])
        expectMixingError(containing: "[2, 4]") { _ = try maskPlan.mix(.zeros([2, 4])) }
        expectMixingError(containing: "[2, 1, 3, 3]") { _ = try maskPlan.mix(.zeros([2, 1, 3, 3])) }
    }

    @Test func plansAreEquatableIncludingPayload() throws {
        let a = try MixPlan(partners: [1, 0], weights: .perSample([0.5, 0.5]), labelWeights: [0.5, 0.5])
        var b = a
        #expect(a == b)
        b.payload = SwitchingStrategy.Choice(option: 1, inner: nil)
        #expect(a != b)
        let c = try MixPlan(partners: [1, 0], weights: .perSample([0.5, 0.25]), labelWeights: [0.5, 0.5])
        #expect(a != c)
    }

    @Test func perSamplePlanGradientMatchesFiniteDifferences() throws {
        let plan = try MixPlan(
            partners: [2, 0, 1], weights: .perSample([0.3, 0.8, 0.5]), labelWeights: [0.3, 0.8, 0.5])
        let x = randomBatch([3, 4], seed: 7)
        let probe = randomBatch([3, 4], seed: 8)
        expectGradientsMatchFiniteDifferences(at: [x]) { inputs in
            ((try! plan.mix(inputs[0])) * probe).squared().sum()
        }
        // d/dx_i of sum(mix(x)) is w_i + Σ_{k: partner(k) = i} (1 − w_k): both the original and the partner term
        // carry gradient.
        let (_, gradients) = valueWithGradients(at: [x]) { inputs in (try! plan.mix(inputs[0])).sum() }
        let w = plan.labelWeights
        for i in 0..<3 {
            let expected = w[i] + (0..<3).filter { plan.partners[$0] == i }.reduce(0) { $0 + (1 - w[$1]) }
            #expect(gradients[0].scalars[(i * 4)..<(i * 4 + 4)].allSatisfy { abs($0 - expected) <= 1e-6 })
        }
    }

    @Test func maskPlanGradientMatchesFiniteDifferences() throws {
        var generator = SeededGenerator(seed: 4)
        let values = (0..<(3 * 3 * 3)).map { _ in Float(generator.nextIndex(below: 2)) }
        let plan = try MixPlan(
            partners: [1, 2, 0], weights: .mask(height: 3, width: 3, values: values), labelWeights: [0.5, 0.5, 0.5])
        let x = randomBatch([3, 2, 3, 3], seed: 9)
        let probe = randomBatch([3, 2, 3, 3], seed: 10)
        expectGradientsMatchFiniteDifferences(at: [x]) { inputs in
            ((try! plan.mix(inputs[0])) * probe).squared().sum()
        }
    }
}

@Suite struct GeneralMixPlanTests {
    @Test func perFeatureMaskMixesEachElementOfAFeatureBatch() throws {
        // [batch, features] data, a per-feature weight: no reshape to a fake image.
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 10, 20, 30])
        let plan = try MixPlan(
            partners: [1, 0], weights: .perFeature(features: 3, values: [1, 0, 1, 0, 0, 1]),
            labelWeights: [2.0 / 3, 1.0 / 3])
        #expect(try plan.mix(x).scalars == [1, 20, 3, 1, 2, 30])
        #expect(plan.weights.meanWeights(batchSize: 2) == [2.0 / 3, 1.0 / 3])
        // The same weights cannot mix data with another feature count.
        expectMixingError(matching: { if case .shapeMismatch(_, [2, 4], _) = $0 { true } else { false } }) {
            _ = try plan.mix(.zeros([2, 4]))
        }
    }

    @Test func perChannelWeightsAreSharedByTheChannelsPixels() throws {
        let x = constantBatch(batch: 2, channels: 3, height: 2, width: 2)
        let plan = try MixPlan(
            partners: [1, 0], weights: .perChannel(channels: 3, values: [1, 0, 0, 0, 1, 1]),
            labelWeights: [1.0 / 3, 2.0 / 3])
        let mixed = try plan.mix(x)
        // Sample 0 keeps channel 0 (value 1) and takes channels 1, 2 from sample 1 (value 2); sample 1 the reverse.
        let expected: [Float] = [1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2] + [1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]
        #expect(mixed.scalars == expected)
        #expect(plan.weights.sampleShape == [3, 1, 1])
    }

    @Test func elementwiseImageMasksMayDifferPerChannel() throws {
        let x = randomBatch([2, 2, 2, 2], seed: 4)
        var generator = SeededGenerator(seed: 5)
        let values = (0..<16).map { _ in Float(generator.nextIndex(below: 2)) }
        let plan = try MixPlan(
            partners: [1, 0], weights: .broadcast(shape: [2, 2, 2], values: values), labelWeights: [0.5, 0.5])
        let mixed = try plan.mix(x)
        for k in 0..<16 {
            let partnerIndex = (k < 8 ? 8 : -8) + k
            #expect(mixed.scalars[k] == (values[k] == 1 ? x.scalars[k] : x.scalars[partnerIndex]))
        }
        let probe = randomBatch([2, 2, 2, 2], seed: 6)
        expectGradientsMatchFiniteDifferences(at: [x]) { inputs in
            (((try? plan.mix(inputs[0])) ?? inputs[0]) * probe).squared().sum()
        }
    }

    @Test func kPartnerPlansMixEverySourceAndTheirLabelsSumToOne() throws {
        // Sample i = 0.5·x_i + 0.3·x_{i+1} + 0.2·x_{i+2} (cyclically).
        let x = Tensor(shape: [3, 2], scalars: [1, 2, 10, 20, 100, 200])
        let plan = try MixPlan(
            original: .perSample([0.5, 0.5, 0.5]), labelWeights: [0.5, 0.5, 0.5],
            partners: [
                .init(indices: [1, 2, 0], weights: .perSample([0.3, 0.3, 0.3]), labelWeights: [0.3, 0.3, 0.3]),
                .init(indices: [2, 0, 1], weights: .perSample([0.2, 0.2, 0.2]), labelWeights: [0.2, 0.2, 0.2]),
            ])
        #expect(plan.sources.count == 3)
        #expect(plan.partners == [1, 2, 0])
        expectClose(try plan.mix(x).scalars, [23.5, 47, 35.2, 70.4, 52.3, 104.6], tolerance: 1e-4)
        let targets = try InterpolatedLabels().targets(for: plan, labels: .oneHot([0, 1, 2], classCount: 3))
        expectClose(targets.soft.scalars, [0.5, 0.3, 0.2, 0.2, 0.5, 0.3, 0.3, 0.2, 0.5], tolerance: 1e-6)
        #expect(targets.sources.count == 3)
        #expect(targets.sourceWeights == plan.sourceLabelWeights)
        // The weighted loss sums every source's loss.
        let perSample: (Tensor) -> Tensor = { t in t.sum(alongAxes: [1]) }
        #expect(abs(targets.weightedLoss(perSample).scalar - 1) < 1e-6)
        let sliced = targets.slice(1..<3)
        #expect(sliced.sources.count == 3 && sliced.soft.shape == [2, 3])
    }

    @Test func kPartnerPlansMustSumToOne() {
        expectMixingError(matching: { if case .invalidPlan = $0 { true } else { false } }) {
            _ = try MixPlan(
                original: .perSample([0.5, 0.5]), labelWeights: [0.5, 0.5],
                partners: [.init(indices: [1, 0], weights: .perSample([0.4, 0.5]), labelWeights: [0.5, 0.5])])
        }
        expectMixingError(containing: "label weights of sample 0") {
            _ = try MixPlan(
                original: .perSample([0.5, 0.5]), labelWeights: [0.5, 0.5],
                partners: [.init(indices: [1, 0], weights: .perSample([0.5, 0.5]), labelWeights: [0.4, 0.5])])
        }
        expectMixingError(containing: "same layout") {
            _ = try MixPlan(
                original: .perSample([0.5, 0.5]), labelWeights: [0.5, 0.5],
                partners: [
                    .init(
                        indices: [1, 0], weights: .perFeature(features: 1, values: [0.5, 0.5]),
                        labelWeights: [0.5, 0.5])
                ])
        }
        expectMixingError(containing: "[0, 2]") {
            _ = try MixPlan(
                original: .perSample([0.5, 0.5]), labelWeights: [0.5, 0.5],
                partners: [.init(indices: [0, 2], weights: .perSample([0.5, 0.5]), labelWeights: [0.5, 0.5])])
        }
        expectMixingError(containing: "5 weights") {
            _ = try MixPlan(
                partners: [1, 0], weights: .perFeature(features: 3, values: [1, 1, 1, 1, 1]), labelWeights: [1, 1])
        }
    }

    @Test func twoSamplePlansExposeBothSources() throws {
        let plan = try MixPlan(partners: [1, 0], weights: .perSample([0.25, 1]), labelWeights: [0.25, 1])
        #expect(plan.sourceLabelWeights == [[0.25, 1], [0.75, 0]])
        #expect(plan.partnerSources.first?.indices == [1, 0])
    }
}
