import Foundation
import MixupKit
import Testing

@Suite struct AdversarialAttackTests {
    func fixture() -> (model: MixableSequential, inputs: Tensor, labels: [Int]) {
        var generator = SeededGenerator(seed: 5)
        let model = Models.mlp(inputSize: 6, hiddenSizes: [16], classCount: 3, using: &generator)
        let inputs = Tensor.uniform([8, 6], lower: 0.3, upper: 0.7, using: &generator)
        return (model, inputs, (0..<8).map { $0 % 3 })
    }

    func loss(_ model: any Layer, _ inputs: Tensor, _ labels: [Int]) -> Float {
        softmaxCrossEntropy(logits: model.inferring(inputs), labels: labels).scalar
    }

    @Test func fgsmMovesEveryValueByExactlyEpsilonAndRaisesTheLoss() throws {
        let (model, inputs, labels) = fixture()
        var generator = SeededGenerator(seed: 0)
        let adversarial = try FGSMAttack(epsilon: 0.1).perturb(
            inputs, labels: labels, model: model, validRange: 0...1, using: &generator)
        #expect(adversarial.shape == inputs.shape)
        for (a, x) in zip(adversarial.scalars, inputs.scalars) { #expect(Swift.abs(Swift.abs(a - x) - 0.1) < 1e-6) }
        let small = try FGSMAttack(epsilon: 0.01).perturb(
            inputs, labels: labels, model: model, validRange: 0...1, using: &generator)
        #expect(loss(model, small, labels) > loss(model, inputs, labels))
        #expect(loss(model, adversarial, labels) > loss(model, inputs, labels))
        // The attack leaves the model's gradients as they were.
        #expect(model.allParameters.allSatisfy { $0.gradient == nil })
    }

    @Test func fgsmIsClippedToTheValidRange() throws {
        let (model, _, labels) = fixture()
        let edges = Tensor(shape: [8, 6], scalars: (0..<48).map { Float($0 % 2) })
        var generator = SeededGenerator(seed: 0)
        let adversarial = try FGSMAttack(epsilon: 0.3).perturb(
            edges, labels: labels, model: model, validRange: 0...1, using: &generator)
        for (a, x) in zip(adversarial.scalars, edges.scalars) {
            #expect(a >= 0 && a <= 1)
            // A value at a bound either stays or moves inward by exactly ε.
            #expect(a == x || Swift.abs(Swift.abs(a - x) - 0.3) < 1e-6)
        }
    }

    @Test func pgdStaysInTheEpsilonBallAndRaisesTheLoss() throws {
        let (model, inputs, labels) = fixture()
        var generator = SeededGenerator(seed: 9)
        let attack = try PGDAttack(epsilon: 0.05, steps: 5, stepSize: 0.02)
        let adversarial = attack.perturb(inputs, labels: labels, model: model, validRange: 0...1, using: &generator)
        for (a, x) in zip(adversarial.scalars, inputs.scalars) {
            #expect(Swift.abs(a - x) <= 0.05 + 1e-6)
            #expect(a >= 0 && a <= 1)
        }
        #expect(loss(model, adversarial, labels) > loss(model, inputs, labels))
    }

    @Test func invalidSettingsAreRejected() {
        #expect(throws: AnalysisError.self) { try FGSMAttack(epsilon: -0.1) }
        #expect(throws: AnalysisError.self) { try PGDAttack(epsilon: 0.1, steps: 0) }
        #expect(throws: AnalysisError.self) { try PGDAttack(epsilon: .nan) }
    }

    @Test func robustnessErrorGrowsFromTheCleanError() throws {
        let (model, _, _) = fixture()
        var generator = SeededGenerator(seed: 2)
        let data = SyntheticData.gaussianBlobs(
            pointsPerClass: 10, classCount: 3, dimension: 6, spread: 0.3, using: &generator)
        let report = try RobustnessReport.measure(
            model: model, on: data, epsilons: [0, 0.5], validRange: -10...10, using: &generator
        ) { epsilon throws(AnalysisError) in try FGSMAttack(epsilon: epsilon) }
        #expect(report.points.count == 2)
        #expect(report.points[1].error >= report.points[0].error)
        #expect(report.sampleCount == 30)
    }
}
