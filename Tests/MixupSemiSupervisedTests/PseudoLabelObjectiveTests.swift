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
}
