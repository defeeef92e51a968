import Foundation
import MixupKit
import Testing

@Suite struct PseudoLabelObjectiveTests {
    @Test func pseudoLabelsCarryNoGradientAndThresholdFilters() throws {
        var generator = SeededGenerator(seed: 1)
        let model = Models.mlp(inputSize: 4, hiddenSizes: [8], classCount: 3, using: &generator)
        let batch = TrainingBatch(
            inputs: Tensor.normal([4, 4], using: &generator), labels: [0, 1, 2, 0], classCount: 3,
            unlabelled: Tensor.normal([6, 4], using: &generator), epoch: 0, stepInEpoch: 0, globalStep: 3,
            totalSteps: 10)
        var context = ForwardContext(isTraining: true)
        let all = try PseudoLabelObjective(
            mixing: try .mixup(alpha: 1), unlabelledWeight: SigmoidRampUp(maximum: 1, length: 1))
        let result = try all.loss(model: model, batch: batch, context: &context, using: &generator)
        #expect(result.metrics["pseudo_labelled"] == 6)
        #expect(result.logits.shape == [4, 3])
        #expect(result.loss.scalar.isFinite)
        let none = try PseudoLabelObjective(
            mixing: .erm, confidenceThreshold: 1, unlabelledWeight: SigmoidRampUp(maximum: 1, length: 1))
        #expect(
            try none.loss(model: model, batch: batch, context: &context, using: &generator).metrics["pseudo_labelled"]
                == 0)
        #expect(throws: TrainingError.self) {
            try PseudoLabelObjective(
                mixing: .erm, confidenceThreshold: 2, unlabelledWeight: SigmoidRampUp(maximum: 1, length: 1))
        }
    }

    /// With `.erm` (no mixing) and a full weight, the loss is the labelled cross-entropy plus the cross-entropy against
    /// the chosen targets of every unlabelled row, over the labelled count — computed here in Double from the model's
    /// own probabilities: soft (`nil`), hard (`0`: one-hot of the top class) and sharpened (`0.5`).
    @Test(arguments: [Float?.none, 0, 0.5])
    func lossUsesTheChosenTargets(temperature: Float?) throws {
        var generator = SeededGenerator(seed: 4)
        let model = Models.mlp(inputSize: 4, hiddenSizes: [8], classCount: 3, using: &generator)
        let labels = [0, 1, 2, 1]
        let inputs = Tensor.normal([4, 4], using: &generator)
        let unlabelled = Tensor.normal([5, 4], using: &generator).scaled(by: 3)
        let batch = TrainingBatch(
            inputs: inputs, labels: labels, classCount: 3, unlabelled: unlabelled, epoch: 0, stepInEpoch: 0,
            globalStep: 9, totalSteps: 10)
        let objective = try PseudoLabelObjective(
            mixing: .erm, unlabelledWeight: SigmoidRampUp(maximum: 1, length: 0), targetTemperature: temperature)
        var context = ForwardContext(isTraining: true)
        let loss = try objective.loss(model: model, batch: batch, context: &context, using: &generator).loss.scalar

        func probabilities(_ x: Tensor) -> [[Double]] {
            let logits = model.inferring(x)
            return (0..<x.shape[0]).map { row in
                let z = (0..<3).map { Double(logits.scalars[row * 3 + $0]) }
                let top = z.max()!
                let e = z.map { exp($0 - top) }
                return e.map { $0 / e.reduce(0, +) }
            }
        }
        var expected = 0.0
        for (row, p) in probabilities(inputs).enumerated() { expected -= log(p[labels[row]]) }
        for p in probabilities(unlabelled) {
            let target: [Double]
            switch temperature {
            case nil: target = p
            case 0: target = p.map { $0 == p.max()! ? 1 : 0 }
            case let t?:
                let powered = p.map { pow($0, 1 / Double(t)) }
                target = powered.map { $0 / powered.reduce(0, +) }
            }
            expected -= zip(target, p).map { $0 * log($1) }.reduce(0, +)
        }
        expected /= Double(labels.count)
        #expect(abs(Double(loss) - expected) < 1e-4 * max(1, expected), "T = \(String(describing: temperature))")
        let suffix = temperature.map { $0 == 0 ? "-hard" : "-sharpened\($0)" } ?? ""
        #expect(objective.name == "pseudo-label-erm" + suffix)
    }

    /// A negative or non-finite target temperature is refused, naming the value.
    @Test(arguments: [Float(-0.5), .nan, .infinity])
    func badTemperatureIsRefused(temperature: Float) {
        #expect {
            try PseudoLabelObjective(
                mixing: .erm, unlabelledWeight: SigmoidRampUp(maximum: 1, length: 1), targetTemperature: temperature)
        } throws: { error in
            "\(error)".contains("\(temperature)")
        }
    }
}
