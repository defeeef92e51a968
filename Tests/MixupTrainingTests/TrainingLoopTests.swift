import Foundation
import MixupKit
import Testing

@testable import MixupTraining

@Suite struct TrainingLoopTests {
    static func loop(model: MixableSequential, epochs: Int = 2) throws -> TrainingLoop {
        try TrainingLoop(
            model: model, objective: SupervisedObjective(regularizer: try .mixup(alpha: 1)),
            optimizer: SGD(parameters: model.allParameters, learningRate: 0.1, momentum: 0.9),
            schedule: CosineDecay(initial: 0.1), trainingSet: TrainingFixtures.moons(perClass: 10, seed: 1),
            configuration: TrainerConfiguration(epochs: epochs, batchSize: 8, seed: 4, progress: .silent))
    }

    /// The finite check runs over chunks on the compute threads; a single bad value anywhere must be found.
    @Test func finiteCheckFindsEveryKindOfNonFiniteValueAtAnyPosition() {
        let previous = ComputeThreads.count
        defer { ComputeThreads.set(previous) }
        for threads in [1, 2] {
            ComputeThreads.set(threads)
            #expect(TrainingLoop.allFinite([Float](repeating: 3e38, count: 200_000)))
            #expect(TrainingLoop.allFinite([]))
            for bad in [Float.nan, .infinity, -.infinity, -Float.nan] {
                for position in [0, 99_999, 100_000, 199_999] {
                    var values = [Float](repeating: -1, count: 200_000)
                    values[position] = bad
                    #expect(!TrainingLoop.allFinite(values), "\(bad) at \(position), \(threads) threads")
                }
            }
            let tensors = [("a", Tensor([1, 2])), ("b", Tensor([1, .nan])), ("c", Tensor([.infinity]))]
            #expect(TrainingLoop.firstNonFinite(tensors) == "b")
            #expect(TrainingLoop.firstNonFinite([("a", Tensor([0, .greatestFiniteMagnitude]))]) == nil)
        }
    }

    @Test func totalStepsAreDerivedOnceFromStepsPerEpochAndEpochs() throws {
        let loop = try Self.loop(model: TrainingFixtures.mlp(seed: 2), epochs: 5)
        #expect(loop.stepsPerEpoch == 3 && loop.totalSteps == 15)
    }

    /// Taking the steps one by one through the public API gives exactly the weights of `Trainer.run()`.
    @Test func singleStepsReproduceTheTrainer() throws {
        let stepped = TrainingFixtures.mlp(seed: 2)
        let loop = try Self.loop(model: stepped)
        var globalStep = 0
        var losses: [Float] = []
        for epoch in 0..<2 {
            for step in 0..<loop.stepsPerEpoch {
                let outcome = try loop.step(epoch: epoch, step: step, globalStep: globalStep)
                globalStep += 1
                losses.append(outcome.loss)
                #expect(outcome.samples == (step == 2 ? 4 : 8) && outcome.loss.isFinite)
            }
        }
        let trained = TrainingFixtures.mlp(seed: 2)
        let trainer = Trainer(
            model: trained, objective: SupervisedObjective(regularizer: try .mixup(alpha: 1)),
            optimizer: SGD(parameters: trained.allParameters, learningRate: 0.1, momentum: 0.9),
            schedule: CosineDecay(initial: 0.1), trainingSet: TrainingFixtures.moons(perClass: 10, seed: 1),
            configuration: TrainerConfiguration(epochs: 2, batchSize: 8, seed: 4, progress: .silent))
        var trainerLosses: [Float] = []
        trainer.hooks.loss.append { trainerLosses.append($1) }
        try trainer.run()
        #expect(losses == trainerLosses)
        #expect(TrainingFixtures.state(of: stepped) == TrainingFixtures.state(of: trained))
    }

    @Test func aNonFiniteLossThrowsBeforeUpdating() throws {
        let model = TrainingFixtures.mlp(seed: 2)
        let loop = try Self.loop(model: model)
        loop.hooks.batchStart.append { _ in
            // The output layer's bias: NaN logits whatever the activations do with NaN.
            guard let parameter = model.allParameters.last else { return }
            parameter.value = Tensor(
                shape: parameter.value.shape, scalars: [Float](repeating: .nan, count: parameter.value.count))
        }
        let error = try #require(throws: TrainingError.self) { try loop.step(epoch: 0, step: 0, globalStep: 0) }
        switch error {
        case .nonFiniteLoss(0, 0, _, nil): break
        default: Issue.record("expected nonFiniteLoss at epoch 1, step 0, got \(error)")
        }
    }
}
