import Foundation
import MixupKit
import Testing

@Suite struct EvaluationTests {
    /// A Linear layer with identity weights and zero bias: the logits are the inputs.
    static func identityLinear() -> Linear {
        var generator = SeededGenerator(seed: 0)
        let linear = Linear(inputSize: 2, outputSize: 2, using: &generator)
        linear.weight.value = Tensor(shape: [2, 2], scalars: [1, 0, 0, 1])
        linear.bias?.value = Tensor(shape: [2], scalars: [0, 0])
        return linear
    }

    static let inputs: [[Float]] = [[2, 0], [0, 2], [1, 0], [0, 3], [0.5, 0.5]]
    static let labels = [0, 1, 1, 1, 0]

    static func dataset() throws -> Dataset {
        try Dataset(name: "hand", sampleShape: [2], samples: inputs.flatMap { $0 }, labels: labels, classCount: 2)
    }

    /// −log softmax(logits)[label], in Double.
    static func nll(_ logits: [Float], _ label: Int) -> Double {
        let z = logits.map(Double.init)
        let m = z.max()!
        return -(z[label] - m - Foundation.log(z.map { Foundation.exp($0 - m) }.reduce(0, +)))
    }

    @Test(arguments: [500, 2, 1])
    func accuracyErrorAndNLLOfAHandMadeModel(batchSize: Int) throws {
        let evaluation = Evaluation.of(Self.identityLinear(), on: try Self.dataset(), batchSize: batchSize)
        // [2,0]→0 ✓, [0,2]→1 ✓, [1,0]→0 ✗, [0,3]→1 ✓, [0.5,0.5] is a tie: argmax picks the first index, 0 ✓.
        #expect(evaluation.count == 5)
        #expect(evaluation.accuracy == 0.8)
        #expect(abs(evaluation.error - 0.2) < 1e-12)
        let expected = zip(Self.inputs, Self.labels).map { Self.nll($0, $1) }.reduce(0, +) / 5
        #expect(
            abs(evaluation.negativeLogLikelihood - expected) < 1e-5,
            "\(evaluation.negativeLogLikelihood) vs \(expected)")
    }

    /// ECE by hand: confidences σ(2) (twice, both right, bin 14 of 15), σ(1) (wrong, bin 11), σ(3) (right, bin 15)
    /// and 0.5 (a tie, right, bin 8); ECE = Σ n_b/N · |acc_b − conf_b|.
    @Test(arguments: [500, 2])
    func expectedCalibrationErrorOfAHandMadeModel(batchSize: Int) throws {
        let evaluation = Evaluation.of(Self.identityLinear(), on: try Self.dataset(), batchSize: batchSize)
        func sigmoid(_ z: Double) -> Double { 1 / (1 + Foundation.exp(-z)) }
        let expected = (2 * (1 - sigmoid(2)) + sigmoid(1) + (1 - sigmoid(3)) + 0.5) / 5
        let ece = try #require(evaluation.expectedCalibrationError)
        #expect(abs(ece - expected) < 1e-6, "\(ece) vs \(expected)")
        #expect(abs(expected - 0.303378) < 1e-6, "the hand computation itself")
    }

    /// NaN logits (a diverged model) give a NaN ECE, as they give a NaN NLL — never a trap.
    @Test func nonFiniteLogitsDoNotTrap() throws {
        let linear = Self.identityLinear()
        linear.weight.value = Tensor(shape: [2, 2], scalars: [.nan, 0, 0, 1])
        let evaluation = Evaluation.of(linear, on: try Self.dataset())
        #expect(evaluation.count == 5)
        #expect(evaluation.expectedCalibrationError?.isNaN == true)
    }

    @Test func evaluationUsesInferenceMode() throws {
        // Dropout with p = 0.9 would scramble a training-mode forward pass; evaluation must be deterministic.
        var generator = SeededGenerator(seed: 1)
        let model = Models.mlp(
            inputSize: 2, hiddenSizes: [8], classCount: 2, batchNorm: true, dropout: 0.9, using: &generator)
        let data = TrainingFixtures.moons(perClass: 10, seed: 2)
        let before = TrainingFixtures.state(of: model)
        let (whole, batched) = (Evaluation.of(model, on: data), Evaluation.of(model, on: data, batchSize: 3))
        #expect(whole.accuracy == batched.accuracy && whole.count == batched.count)
        #expect(abs(whole.negativeLogLikelihood - batched.negativeLogLikelihood) < 1e-6)
        #expect(Evaluation.of(model, on: data) == whole, "repeatable")
        #expect(TrainingFixtures.state(of: model) == before, "running statistics are not updated")
    }

    @Test func codableRoundTrip() throws {
        let evaluation = Evaluation(accuracy: 0.75, negativeLogLikelihood: 0.5, count: 4)
        let decoded = try JSONDecoder().decode(Evaluation.self, from: JSONEncoder().encode(evaluation))
        #expect(decoded == evaluation)
        #expect(decoded.error == 0.25)
    }
}
