import Foundation
import MixupKit
import Testing
import _MixupTestSupport

@Suite struct EMAEvaluatedObjectiveTests {
    /// The model a run evaluates is the exponential moving average of the trained weights, step by step.
    @Test func theEvaluatedModelIsTheEMAOfTheTrainedWeights() throws {
        let model = TrainingFixtures.mlp(seed: 1, hidden: [8], batchNorm: true)
        let objective = try EMAEvaluatedObjective(wrapping: SupervisedObjective(regularizer: .erm), decay: 0.9)
        #expect(objective.evaluatedWeights == "ema-0.9")
        let train = TrainingFixtures.moons(perClass: 20, seed: 2)
        let test = TrainingFixtures.moons(perClass: 20, seed: 3)
        let trainer = TrainingFixtures.trainer(
            model: model, objective: objective, train: train, test: test,
            configuration: TrainerConfiguration(epochs: 3, batchSize: 10, seed: 4))
        // The EMA computed by hand from the trained weights after every step.
        var expected = model.allParameters.map(\.value.scalars)
        trainer.hooks.step.append { step in
            let alpha = min(1 - 1 / Float(step + 1), 0.9)
            for (index, parameter) in model.allParameters.enumerated() {
                expected[index] = zip(expected[index], parameter.value.scalars).map { alpha * $0 + (1 - alpha) * $1 }
            }
        }
        let result = try trainer.run()
        let average = try #require(objective.average)
        #expect(average !== model)
        for (index, parameter) in average.allParameters.enumerated() {
            expectClose(parameter.value.scalars, expected[index], tolerance: 1e-5)
        }
        #expect(
            zip(average.allParameters, model.allParameters).contains { $0.value.scalars != $1.value.scalars },
            "the average differs from the final weights")
        // Buffers are the trained network's (no re-estimation configured).
        for (a, b) in zip(average.namedBuffers(), model.namedBuffers()) {
            #expect(a.buffer.value.scalars == b.buffer.value.scalars)
        }
        // The reported test evaluation is the average's.
        #expect(result.test == Evaluation.of(average, on: test))
    }

    @Test func checkpointsCarryTheAverageAndResumeRestoresIt() throws {
        let model = TrainingFixtures.mlp(seed: 5)
        let objective = try EMAEvaluatedObjective(wrapping: SupervisedObjective(regularizer: .erm), decay: 0.5)
        try objective.prepare(model: model)
        for parameter in model.allParameters { parameter.value = parameter.value + 1 }
        objective.didUpdate(model: model, globalStep: 10)
        let tensors = objective.checkpointTensors()
        #expect(tensors.keys.contains { $0.hasPrefix("ema.") })
        let other = try EMAEvaluatedObjective(wrapping: SupervisedObjective(regularizer: .erm), decay: 0.5)
        try other.prepare(model: TrainingFixtures.mlp(seed: 6))
        try other.restore(checkpointTensors: tensors)
        let a = try #require(objective.average), b = try #require(other.average)
        #expect(TrainingFixtures.state(of: a) == TrainingFixtures.state(of: b))
        #expect(throws: TrainingError.self) { try other.restore(checkpointTensors: [:]) }
        #expect(throws: TrainingError.self) { try EMAEvaluatedObjective(wrapping: objective, decay: 1.5) }
    }

    @Test func batchNormReestimationUsesTheCleanDataStatistics() throws {
        let model = TrainingFixtures.mlp(seed: 7, hidden: [6], batchNorm: true)
        let data = TrainingFixtures.moons(perClass: 30, seed: 8)
        let objective = try EMAEvaluatedObjective(
            wrapping: SupervisedObjective(regularizer: .erm), decay: 0.9, batchNormSamples: 1000)
        #expect(objective.evaluatedWeights == "ema-0.9-bn1000")
        try objective.prepare(model: model)
        let evaluated = objective.evaluationModel(for: model, trainingData: data)
        // The first BatchNorm sees the first Linear's outputs on all 60 samples.
        let block = try #require(evaluated.children.first?.layer as? Sequential)
        let linear = try #require(block.layers.compactMap { $0 as? Linear }.first)
        let features = linear.inferring(data.inputs(at: Array(0..<data.count)).flattenedBatch())
        let mean = (0..<6).map { c in (0..<60).map { features[$0, c] }.reduce(0, +) / 60 }
        let norm = try #require(batchNormLayers(of: evaluated).first)
        expectClose(norm.runningMean.value.scalars, mean, tolerance: 1e-4)
        #expect(norm.momentum == 0.1, "momentum restored")
        // The trained network's own statistics are untouched.
        #expect(batchNormLayers(of: model).first?.runningMean.value.scalars == [Float](repeating: 0, count: 6))
    }
}
