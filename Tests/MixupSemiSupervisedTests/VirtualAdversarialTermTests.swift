import Foundation
import MixupKit
import Testing
import _MixupTestSupport

@Suite struct VirtualAdversarialTermTests {
    static func setup() -> (model: MixableSequential, inputs: Tensor, targets: Tensor) {
        var generator = SeededGenerator(seed: 21)
        let model = Models.mlp(inputSize: 6, hiddenSizes: [16, 16], classCount: 3, using: &generator)
        let inputs = Tensor.normal([12, 6], using: &generator)
        let targets = withoutGradients { model.inferring(inputs).softmax() }
        return (model, inputs, targets)
    }

    static func divergence(_ model: MixableSequential, _ inputs: Tensor, _ targets: Tensor, _ r: Tensor) -> Float {
        SemiSupervisedLosses.klDivergence(from: targets, toLogits: model.inferring(inputs + r)).scalar
    }

    /// The power-iteration direction increases KL(p ‖ p(x + r)) more than random directions of the same norm.
    @Test func adversarialPerturbationBeatsRandomOnesOfTheSameNorm() throws {
        let (model, inputs, targets) = Self.setup()
        let vat = try VirtualAdversarialTerm(epsilon: 0.5, xi: 1e-2, powerIterations: 2)
        var context = ForwardContext(isTraining: false)
        var generator = SeededGenerator(seed: 5)
        let adversarial = vat.adversarialPerturbation(
            model: model, inputs: inputs, targets: targets, context: &context, using: &generator)
        #expect(adversarial.shape == inputs.shape && !adversarial.requiresGradient)
        // Every sample's perturbation has norm ε.
        for row in 0..<12 {
            let norm = adversarial.scalars[(row * 6)..<((row + 1) * 6)].map { $0 * $0 }.reduce(0, +).squareRoot()
            #expect(abs(norm - 0.5) < 1e-4, "row \(row) norm \(norm)")
        }
        let adversarialKL = Self.divergence(model, inputs, targets, adversarial)
        for trial in 0..<5 {
            var g = SeededGenerator(seed: 100 + UInt64(trial))
            let random = VirtualAdversarialTerm.normalizedPerSample(Tensor.normal(inputs.shape, using: &g))
                .scaled(by: 0.5)
            let randomKL = Self.divergence(model, inputs, targets, random)
            #expect(adversarialKL > 2 * randomKL, "adversarial KL \(adversarialKL) vs random \(randomKL)")
        }
        #expect(adversarialKL > 0)
    }

    @Test func lossIsAFiniteKLWithGradientsToTheWeightsOnly() throws {
        let (model, inputs, _) = Self.setup()
        let vat = try VirtualAdversarialTerm()
        var context = ForwardContext(isTraining: true)
        var generator = SeededGenerator(seed: 6)
        let loss = try vat.loss(model: model, unlabelled: inputs, context: &context, using: &generator)
        #expect(loss.scalar.isFinite && loss.scalar > 0)
        #expect(model.allParameters.allSatisfy { $0.gradient == nil }, "the power iteration leaves weights alone")
        loss.backward()
        #expect(model.allParameters.allSatisfy { $0.gradient != nil })
    }

    @Test func invalidSettingsNameTheValue() {
        for (epsilon, xi, iterations, text) in [
            (Float(0), Float(1), 1, "epsilon"), (Float(1), Float(-1), 1, "xi"), (Float(1), Float(1), 0, "iteration"),
        ] {
            do {
                _ = try VirtualAdversarialTerm(epsilon: epsilon, xi: xi, powerIterations: iterations)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.description.contains(text))
            }
        }
    }

    @Test func klAndEntropyMatchTheirDefinitionsAndFiniteDifferences() {
        let p = Tensor(shape: [2, 3], scalars: [0.2, 0.5, 0.3, 0.7, 0.1, 0.2])
        let logits = Tensor(shape: [2, 3], scalars: [0.3, -0.2, 1.0, 0.5, 0.5, -1.0])
        let q = logits.softmax().scalars
        var expected: Float = 0
        for i in 0..<6 { expected += p.scalars[i] * (log(p.scalars[i]) - log(q[i])) }
        #expect(abs(SemiSupervisedLosses.klDivergence(from: p, toLogits: logits).scalar - expected / 2) < 1e-5)
        var entropy: Float = 0
        for i in 0..<6 { entropy -= q[i] * log(q[i]) }
        #expect(abs(SemiSupervisedLosses.entropy(logits: logits).scalar - entropy / 2) < 1e-5)
        expectGradientsMatchFiniteDifferences(at: [logits]) { SemiSupervisedLosses.entropy(logits: $0[0]) }
        expectGradientsMatchFiniteDifferences(at: [logits]) {
            SemiSupervisedLosses.klDivergence(from: p, toLogits: $0[0])
        }
    }
}
