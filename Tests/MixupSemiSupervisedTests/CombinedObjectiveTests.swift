import MixupKit
import Testing

@Suite struct CombinedObjectiveTests {
    /// A term with a known value, counting its calls.
    final class ConstantTerm: ConsistencyTerm {
        var calls = 0
        var name: String { "constant" }
        func loss(
            model: any MixableModel, unlabelled: Tensor, context: inout ForwardContext,
            using generator: inout SeededGenerator
        ) throws(TrainingError) -> Tensor {
            calls += 1
            return model(unlabelled, context: &context).sum().scaled(by: 0) + Tensor(2)
        }
    }

    static func batch(step: Int, unlabelled: Bool = true) -> TrainingBatch {
        var generator = SeededGenerator(seed: 4)
        return TrainingBatch(
            inputs: Tensor.normal([4, 3], using: &generator), labels: [0, 1, 0, 1], classCount: 2,
            unlabelled: unlabelled ? Tensor.normal([6, 3], using: &generator) : nil, epoch: 0, stepInEpoch: step,
            globalStep: step, totalSteps: 10)
    }

    @Test func addsEachTermWithItsOwnRampedWeight() throws {
        var generator = SeededGenerator(seed: 1)
        let model = Models.mlp(inputSize: 3, hiddenSizes: [4], classCount: 2, using: &generator)
        let base = SupervisedObjective(regularizer: .erm)
        let term = ConstantTerm()
        let ramp = RampUp(maximum: 3, length: 10, shape: .linear)
        let combined = CombinedObjective(
            base: base,
            terms: [(term: term, weight: ramp), (term: EntropyMinimizationTerm(), weight: .constant(0.5))])
        #expect(combined.name == "erm+constant+entropy")
        var c1 = ForwardContext(isTraining: true)
        var g1 = SeededGenerator(seed: 2)
        let plain = try base.loss(model: model, batch: Self.batch(step: 4), context: &c1, using: &g1)
        var c2 = ForwardContext(isTraining: true)
        var g2 = SeededGenerator(seed: 2)
        let result = try combined.loss(model: model, batch: Self.batch(step: 4), context: &c2, using: &g2)
        let entropy = try #require(result.metrics["entropy"])
        let expected = Double(plain.loss.scalar) + 3 * 0.4 * 2 + 0.5 * entropy
        #expect(abs(Double(result.loss.scalar) - expected) < 1e-4)
        #expect(
            result.metrics["constant"] == 2 && result.metrics["constant_weight"].map { abs($0 - 1.2) < 1e-6 } == true)
        #expect(result.metrics["entropy_weight"] == 0.5)
        #expect(term.calls == 1)
        result.loss.backward()
        #expect(model.allParameters.allSatisfy { $0.gradient != nil })
    }

    @Test func composesWithATeacherObjectiveAndNeedsUnlabelledData() throws {
        var generator = SeededGenerator(seed: 3)
        let model = Models.mlp(inputSize: 3, hiddenSizes: [4], classCount: 2, using: &generator)
        let ict = ICTObjective(mixing: try .mixup(alpha: 1), consistencyWeight: RampUp(maximum: 1, length: 1))
        let combined = CombinedObjective(
            base: ict, terms: [(term: try VirtualAdversarialTerm(epsilon: 1, xi: 0.1), weight: .constant(1))])
        try combined.prepare(model: model)
        #expect(ict.teacher.model != nil, "prepare reaches the base objective")
        var context = ForwardContext(isTraining: true)
        let result = try combined.loss(model: model, batch: Self.batch(step: 1), context: &context, using: &generator)
        #expect(result.metrics["consistency"] != nil && result.metrics["vat"] != nil)
        #expect(combined.checkpointTensors().keys.contains("teacher.initialized"))
        do {
            _ = try combined.loss(
                model: model, batch: Self.batch(step: 1, unlabelled: false), context: &context, using: &generator)
            Issue.record("ran without unlabelled data")
        } catch {
            #expect(error.description.contains("unlabelled"))
        }
    }
}
