import Foundation
import MixupKit

/// Small datasets, models and folders shared by the training tests.
enum TrainingFixtures {
    /// Two moons with `perClass` points per class.
    static func moons(perClass: Int, seed: UInt64, noise: Double = 0.1) -> Dataset {
        var generator = SeededGenerator(seed: seed)
        return SyntheticData.twoMoons(pointsPerClass: perClass, noise: noise, using: &generator)
    }

    /// A 2 → hidden → 2 MLP.
    static func mlp(
        seed: UInt64, hidden: [Int] = [16], batchNorm: Bool = false, dropout: Double = 0
    ) -> MixableSequential {
        var generator = SeededGenerator(seed: seed)
        return Models.mlp(
            inputSize: 2, hiddenSizes: hidden, classCount: 2, batchNorm: batchNorm, dropout: dropout, using: &generator)
    }

    /// A fresh empty folder under the temporary directory.
    static func temporaryDirectory(_ label: String = #function) -> String {
        let name = "mixupkit-training-tests-\(label.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString)"
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent(name)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Every parameter and buffer of `model` by name.
    static func state(of model: any Layer) -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        for (name, parameter) in model.namedParameters() { result[name] = parameter.value.scalars }
        for (name, buffer) in model.namedBuffers() { result["buffer." + name] = buffer.value.scalars }
        return result
    }

    /// A trainer with silent progress, SGD with momentum (unless `optimizer` is given) and a constant rate.
    static func trainer(
        model: MixableSequential, regularizer: Regularizer = .erm, optimizer: (any Optimizer)? = nil,
        objective: (any TrainingObjective)? = nil, train: Dataset, unlabelled: Dataset? = nil, test: Dataset? = nil,
        configuration: TrainerConfiguration
    ) -> Trainer {
        var configuration = configuration
        configuration.progress = .silent
        let optimizer = optimizer ?? SGD(parameters: model.allParameters, learningRate: 0.1, momentum: 0.9)
        return Trainer(
            model: model, objective: objective ?? SupervisedObjective(regularizer: regularizer), optimizer: optimizer,
            schedule: ConstantLearningRate(optimizer.learningRate), trainingSet: train, unlabelledSet: unlabelled,
            testSet: test,
            configuration: configuration)
    }
}
