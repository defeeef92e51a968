import Foundation
import MixupKit
import Testing

/// A supervised objective whose loss becomes NaN at one global step.
final class PoisonedObjective: TrainingObjective {
    let base = SupervisedObjective(regularizer: .erm)
    let poisonedStep: Int
    init(poisonedStep: Int) { self.poisonedStep = poisonedStep }
    var name: String { "poisoned" }

    func loss(
        model: any MixableModel, batch: TrainingBatch, context: inout ForwardContext,
        using generator: inout SeededGenerator
    ) throws(TrainingError) -> ObjectiveResult {
        let result = try base.loss(model: model, batch: batch, context: &context, using: &generator)
        guard batch.globalStep == poisonedStep else { return result }
        return ObjectiveResult(loss: result.loss * Float.nan, logits: result.logits, targets: result.targets)
    }
}

extension TrainerTests {
    @Test func nanLossStopsWithThePositionAndKeepsTheLastCheckpoint() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // 4 steps per epoch; global step 5 is epoch 2 (index 1), step 1.
        let model = TrainingFixtures.mlp(seed: 2)
        let trainer = TrainingFixtures.trainer(
            model: model, objective: PoisonedObjective(poisonedStep: 5),
            train: TrainingFixtures.moons(perClass: 25, seed: 1),
            configuration: TrainerConfiguration(epochs: 3, batchSize: 16, seed: 3, outputDirectory: directory))
        let checkpointPath = try #require(trainer.checkpointPath)
        var bytesAfterEpoch1: Data? = nil
        var stateAfterStep5: [String: [Float]]? = nil
        trainer.hooks.epochEnd.append { report in
            if report.epoch == 1 { bytesAfterEpoch1 = FileManager.default.contents(atPath: checkpointPath) }
        }
        trainer.hooks.step.append { step in if step == 5 { stateAfterStep5 = TrainingFixtures.state(of: model) } }
        var losses = 0
        trainer.hooks.loss.append { _, _ in losses += 1 }

        let error = try #require(throws: TrainingError.self) { try trainer.run() }
        guard case .nonFiniteLoss(let epoch, let step, let value, let lastCheckpoint) = error else {
            Issue.record("expected nonFiniteLoss, got \(error)")
            return
        }
        #expect(epoch == 1 && step == 1 && value.isNaN)
        #expect(lastCheckpoint == checkpointPath)
        #expect(error.description.contains("nan"), "\(error)")
        #expect(error.description.contains("epoch 2") && error.description.contains("step 1"), "\(error)")
        #expect(error.description.contains(checkpointPath))
        #expect(losses == 5, "the loss hook does not see the NaN loss")
        #expect(stateAfterStep5 != nil, "global step 5 is the last completed step")
        let bytesNow = FileManager.default.contents(atPath: checkpointPath)
        #expect(bytesAfterEpoch1 != nil && bytesNow == bytesAfterEpoch1, "the epoch-1 checkpoint is untouched")
        let checkpoint = try Checkpoint(contentsOf: checkpointPath)
        #expect((checkpoint.epoch, checkpoint.stepInEpoch, checkpoint.globalStep) == (1, 0, 4))
    }

    @Test func hugeLearningRateEndsInNonFiniteLossWithoutACheckpoint() throws {
        let model = TrainingFixtures.mlp(seed: 2, hidden: [16, 16])
        let trainer = TrainingFixtures.trainer(
            model: model, optimizer: SGD(parameters: model.allParameters, learningRate: 1e6, momentum: 0.9),
            train: TrainingFixtures.moons(perClass: 25, seed: 1),
            configuration: TrainerConfiguration(epochs: 50, batchSize: 10, seed: 3))
        let error = try #require(throws: TrainingError.self) { try trainer.run() }
        guard case .nonFiniteLoss(_, let step, let value, let lastCheckpoint) = error else {
            Issue.record("expected nonFiniteLoss, got \(error)")
            return
        }
        #expect(!value.isFinite)
        #expect(lastCheckpoint == nil)
        #expect(error.description.contains("step \(step)") && error.description.contains("\(value)"), "\(error)")
        #expect(error.description.contains("No checkpoint"))
    }
}
