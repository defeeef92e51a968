import Foundation
import MixupKit
import Testing

/// The small end-to-end check that semi-supervised training beats supervised-only training on the same few labels.
@Suite struct SemiSupervisedWinTests {
    static func problem(seed: UInt64) throws -> (labelled: Dataset, unlabelled: Dataset, test: Dataset) {
        var generator = SeededGenerator(seed: seed)
        let train = SyntheticData.twoMoons(pointsPerClass: 300, noise: 0.08, using: &generator)
        let test = SyntheticData.twoMoons(pointsPerClass: 300, noise: 0.08, using: &generator)
        let (labelled, unlabelled) = try train.balancedSplit(labelsPerClass: 4, using: &generator)
        return (labelled, unlabelled, test)
    }

    static func model(_ generator: inout SeededGenerator) -> MixableSequential {
        Models.mlp(inputSize: 2, hiddenSizes: [32, 32], classCount: 2, using: &generator)
    }

    static func train(
        objective: any TrainingObjective, unlabelled: Dataset?, labelled: Dataset, test: Dataset,
        model: MixableSequential,
        epochs: Int
    ) throws -> Evaluation {
        let trainer = Trainer(
            model: model, objective: objective, optimizer: Adam(parameters: model.allParameters, learningRate: 1e-2),
            schedule: ConstantLearningRate(1e-2), trainingSet: labelled, unlabelledSet: unlabelled, testSet: test,
            configuration: TrainerConfiguration(
                epochs: epochs, batchSize: 8, unlabelledBatchSize: 64, seed: 3, progress: .silent,
                evaluationInterval: 1000))
        return try #require(try trainer.run().test)
    }

    /// MixMatch with 8 labels (4 per class) beats the same network trained on those 8 labels alone, by a clear
    /// margin, on two independently drawn problems. Both runs take the same number of optimizer steps.
    @Test(arguments: [UInt64(11), 14])
    func mixMatchBeatsSupervisedOnlyWithEightLabels(seed: UInt64) throws {
        let (labelled, unlabelled, test) = try Self.problem(seed: seed)
        let epochs = 30
        let steps = epochs * ((unlabelled.count + 63) / 64)
        var generator = SeededGenerator(seed: 1)
        let supervised = try Self.train(
            objective: SupervisedObjective(regularizer: .erm), unlabelled: nil, labelled: labelled, test: test,
            model: Self.model(&generator), epochs: steps)
        generator = SeededGenerator(seed: 1)
        let mixing = try Regularizer(
            name: "mixup", strategy: InterpolationStrategy(distribution: .beta(alpha: 0.75).keepingOriginalDominant()))
        let mixMatch = try MixMatchObjective(
            mixing: mixing, augmentationCount: 2, temperature: 0.5,
            unlabelledWeight: SigmoidRampUp(maximum: 10, length: steps / 2),
            augmentation: { batch, generator in
                ImageAugmentation(noiseStandardDeviation: 0.05).apply(to: batch, using: &generator)
            })
        let semi = try Self.train(
            objective: mixMatch, unlabelled: unlabelled, labelled: labelled, test: test, model: Self.model(&generator),
            epochs: epochs)
        #expect(
            semi.accuracy > supervised.accuracy + 0.03,
            "MixMatch \(semi.accuracy) vs supervised-only \(supervised.accuracy) on the same 8 labels")
    }
}
