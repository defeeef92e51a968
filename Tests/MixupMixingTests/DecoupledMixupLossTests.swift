import Foundation
import MixupKit
import Testing
import _MixupTestSupport

@Suite struct DecoupledMixupLossTests {
    /// One sample of three classes: class 0 mixed with class 1 at λ = 0.7, logits z = [1, 2, 0.5].
    /// L = −(0.7·log softmax(z)₀ + 0.3·log softmax(z)₁) + η·(−log(e¹/(e¹ + e^0.5)) − log(e²/(e² + e^0.5))).
    @Test func valueMatchesTheHandComputation() throws {
        let logits = Tensor(shape: [1, 3], scalars: [1, 2, 0.5])
        let targets = MixedTargets(
            original: .oneHot([0], classCount: 3), partner: .oneHot([1], classCount: 3), weights: [0.7])
        let z = [1.0, 2.0, 0.5]
        let logNormaliser = log(z.map { exp($0) }.reduce(0, +))
        let soft = -(0.7 * (z[0] - logNormaliser) + 0.3 * (z[1] - logNormaliser))
        let first = -(z[0] - log(exp(z[0]) + exp(z[2])))
        let second = -(z[1] - log(exp(z[1]) + exp(z[2])))
        for eta in [0.0, 0.1, 1.0] {
            let value = try DecoupledMixupLoss(eta: Float(eta)).loss(logits: logits, targets: targets).scalar
            let expected = soft + eta * (first + second)
            #expect(abs(Double(value) - expected) <= 1e-5, "η = \(eta): \(value) vs \(expected)")
        }
    }

    /// Samples of one class, or unmixed samples, have a single decoupled term: their ordinary cross-entropy.
    @Test func unmixedAndSameClassSamplesGetTheirCrossEntropy() throws {
        let logits = randomBatch([3, 4], seed: 2)
        let labels = Tensor.oneHot([0, 2, 3], classCount: 4)
        let ce = softmaxCrossEntropy(logits: logits, softTargets: labels).scalar
        let unmixed = try DecoupledMixupLoss(eta: 0.1).loss(logits: logits, targets: MixedTargets(unmixed: labels))
        #expect(abs(unmixed.scalar - 1.1 * ce) <= 1e-5)
        let sameClass = MixedTargets(original: labels, partner: labels, weights: [0.3, 0.5, 0.9])
        let value = try DecoupledMixupLoss(eta: 0.1).loss(logits: logits, targets: sameClass)
        #expect(abs(value.scalar - 1.1 * ce) <= 1e-5)
    }

    /// Finite-difference check of the gradient with respect to the logits, on a k = 3 mix with soft (smoothed) rows.
    @Test func gradientMatchesFiniteDifferences() throws {
        let plan = try drawPlan(
            KMixupStrategy(k: 3, alpha: 1, granularity: .perSample), batch: 4, sampleShape: [2], seed: 5)
        let labels = Tensor.oneHot([0, 1, 2, 1], classCount: 3)
        let hard = try InterpolatedLabels().targets(for: plan, labels: labels)
        let smoothed = try InterpolatedLabels().smoothed(0.1).targets(for: plan, labels: labels)
        let loss = try DecoupledMixupLoss(eta: 0.5)
        for targets in [hard, smoothed] {
            expectGradientsMatchFiniteDifferences(at: [randomBatch([4, 3], seed: 8)], step: 1e-2) { x in
                (try? loss.loss(logits: x[0], targets: targets)) ?? Tensor(.nan)
            }
        }
    }

    /// The loss works with every mixer through the public `Regularizer` and `SupervisedObjective`: finite, larger than
    /// the soft cross-entropy of the same forward pass by η·(the decoupled terms), and differentiable.
    @Test(arguments: ["mixup", "cutmix", "fmix", "gridmix", "kmixup", "mosaic", "resizemix", "smoothmix"])
    func worksWithEveryMixer(name: String) throws {
        var generator = SeededGenerator(seed: 3)
        let model = try Models.cnn(
            inputChannels: 1, imageSize: 8, classCount: 3, widths: (4, 4), using: &generator)
        let regularizer = try StrategyCatalogFree.regularizer(name).decoupled(eta: 0.1)
        #expect(regularizer.name.hasSuffix("-dm") && regularizer.mixingLoss?.name == "decoupled(0.1)")
        let input = randomBatch([6, 1, 8, 8], seed: 4)
        let labels = [0, 1, 2, 0, 1, 2]
        var g1 = SeededGenerator(seed: 9)
        var c1 = ForwardContext.inference
        let result = try SupervisedObjective(regularizer: regularizer).loss(
            model: model,
            batch: TrainingBatch(
                inputs: input, labels: labels, classCount: 3, unlabelled: nil, epoch: 0, stepInEpoch: 0, globalStep: 0,
                totalSteps: 1), context: &c1, using: &g1)
        var g2 = SeededGenerator(seed: 9)
        var c2 = ForwardContext.inference
        let forward = try regularizer.forward(
            model, input: input, labels: .oneHot(labels, classCount: 3), epoch: 0, context: &c2, using: &g2)
        let soft = softmaxCrossEntropy(logits: forward.output, softTargets: forward.targets.soft).scalar
        #expect(result.loss.scalar.isFinite && result.loss.scalar > soft)
        result.loss.backward()
        #expect(model.allParameters.allSatisfy { $0.gradient != nil })
        for parameter in model.allParameters { parameter.zeroGradient() }
    }

    @Test func invalidEtaThrowsNamingTheValue() throws {
        expectMixingError(containing: "-0.1") { _ = try DecoupledMixupLoss(eta: -0.1) }
        expectMixingError(containing: "nan") { _ = try Regularizer.mixup().decoupled(eta: .nan) }
        expectMixingError(matching: { if case .shapeMismatch = $0 { true } else { false } }) {
            _ = try DecoupledMixupLoss().loss(
                logits: .zeros([2, 4]), targets: MixedTargets(unmixed: .oneHot([0, 1], classCount: 3)))
        }
    }
}

/// The built-in image regularizers by name, without the runner's catalogue (this test target does not link it).
enum StrategyCatalogFree {
    static func regularizer(_ name: String) throws -> Regularizer {
        switch name {
        case "mixup": try .mixup(alpha: 1)
        case "cutmix": try .cutMix(alpha: 1)
        case "fmix": try .fMix()
        case "gridmix": try .gridMix()
        case "kmixup": try .kMixup()
        case "mosaic": try .mosaic()
        case "resizemix": try .resizeMix()
        case "smoothmix": try .smoothMix()
        default: throw MixingError.other("unknown \(name)")
        }
    }
}
