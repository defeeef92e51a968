import MixupKit
import Testing
import _MixupTestSupport

@Suite struct LabelMixerTests {
    static func samplePlan() throws -> MixPlan {
        try MixPlan(partners: [2, 0, 1, 3], weights: .perSample([0.7, 0.2, 1, 0.4]), labelWeights: [0.7, 0.2, 1, 1])
    }

    @Test func interpolatedLabelsUseTheRealisedWeights() throws {
        let plan = try Self.samplePlan()
        let labels = Tensor.oneHot([0, 1, 2, 1], classCount: 3)
        let targets = try InterpolatedLabels().targets(for: plan, labels: labels)
        expectClose(
            targets.soft, Tensor(shape: [4, 3], scalars: [0.7, 0, 0.3, 0.8, 0.2, 0, 0, 0, 1, 0, 1, 0]), tolerance: 1e-6)
        #expect(targets.original.scalars == labels.scalars)
        #expect(targets.partner.scalars == labels.gathering(rows: [2, 0, 1, 3]).scalars)
        #expect(targets.weights == plan.labelWeights)
        #expect(!targets.soft.requiresGradient)
    }

    @Test func interpolatedLabelsRejectMismatchedLabels() throws {
        let plan = try Self.samplePlan()
        expectMixingError(containing: "[3, 3]") {
            _ = try InterpolatedLabels().targets(for: plan, labels: .zeros([3, 3]))
        }
        expectMixingError(containing: "[4]") { _ = try InterpolatedLabels().targets(for: plan, labels: .zeros([4])) }
    }

    @Test(arguments: [0.0, 0.1, 0.5, 1.0] as [Float])
    func smoothedLabelsSmoothThenMix(epsilon: Float) throws {
        let classes = 5
        let labels = randomOneHot(batch: 6, classes: classes, seed: 3)
        let mixer = try InterpolatedLabels().smoothed(epsilon)
        #expect(mixer.epsilon == epsilon)
        // Before mixing (identity plan): (1 − ε)·y + ε/C, rows sum to 1.
        let unmixed = try mixer.targets(for: .identity(batchSize: 6), labels: labels)
        let expected = Tensor(
            shape: labels.shape, scalars: labels.scalars.map { (1 - epsilon) * $0 + epsilon / Float(classes) })
        expectClose(unmixed.soft, expected, tolerance: 1e-6)
        for i in 0..<6 {
            #expect(abs(unmixed.soft.scalars[(i * classes)..<((i + 1) * classes)].reduce(0, +) - 1) <= 1e-5)
        }
        // After mixing by a real plan: rows still sum to 1 and equal the mix of the smoothed rows.
        let plan = try drawPlan(
            InterpolationStrategy.mixup(alpha: 1, granularity: .perSample), batch: 6, sampleShape: [2], seed: 4)
        let mixed = try mixer.targets(for: plan, labels: labels)
        for i in 0..<6 {
            let row = Array(mixed.soft.scalars[(i * classes)..<((i + 1) * classes)])
            #expect(abs(row.reduce(0, +) - 1) <= 1e-5)
            let w = plan.labelWeights[i], j = plan.partners[i]
            for c in 0..<classes {
                #expect(abs(row[c] - (w * expected[i, c] + (1 - w) * expected[j, c])) <= 1e-5)
            }
        }
    }

    @Test func smoothingOutsideTheUnitIntervalThrows() {
        expectMixingError(containing: "2.0") { _ = try InterpolatedLabels().smoothed(2) }
        expectMixingError(containing: "-0.1") { _ = try SmoothedLabels(InterpolatedLabels(), epsilon: -0.1) }
    }

    @Test func mixerNames() throws {
        #expect(InterpolatedLabels().name == "interpolated")
        #expect(try InterpolatedLabels().smoothed(0.1).name.contains("smoothing"))
    }

    @Test func weightedLossEqualsSoftTargetLossForCrossEntropy() throws {
        let plan = try drawPlan(
            InterpolationStrategy.mixup(alpha: 1, granularity: .perSample), batch: 5, sampleShape: [2], seed: 8)
        let targets = try InterpolatedLabels().targets(for: plan, labels: randomOneHot(batch: 5, classes: 4, seed: 9))
        let logits = randomBatch([5, 4], seed: 10)
        let soft = softmaxCrossEntropy(logits: logits, softTargets: targets.soft).scalar
        let weighted = targets.weightedLoss { t in -(logits.logSoftmax() * t).sum(alongAxes: [1]) }.scalar
        #expect(abs(soft - weighted) <= 1e-5)
    }

    @Test func unmixedTargetsEqualTheLabels() {
        let labels = randomOneHot(batch: 3, classes: 4, seed: 1)
        let targets = MixedTargets(unmixed: labels)
        #expect(targets.soft.scalars == labels.scalars)
        #expect(targets.weights == [1, 1, 1])
    }
}
