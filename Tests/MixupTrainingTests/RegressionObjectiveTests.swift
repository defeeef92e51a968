import Foundation
import MixupKit
import Testing

@Suite struct RegressionObjectiveTests {
    /// y = sin(3x) on x ∈ [−1, 1].
    static func sine(count: Int, seed: UInt64) throws -> Dataset {
        var generator = SeededGenerator(seed: seed)
        let x = (0..<count).map { _ in Float(generator.nextUniform(-1, 1)) }
        return try Dataset(
            name: "sine", sampleShape: [1], samples: x, targets: x.map { Float(Foundation.sin(3 * Double($0))) })
    }

    /// The evaluation is the plain mean of squared differences: a linear model y = 2x checked by hand.
    @Test func evaluationIsTheMeanSquaredError() throws {
        let data = try Dataset(name: "pairs", sampleShape: [1], samples: [1, 2, 3], targets: [2, 5, 3])
        var generator = SeededGenerator(seed: 0)
        let model = Models.mlp(inputSize: 1, hiddenSizes: [], classCount: 1, using: &generator)
        for (name, parameter) in model.namedParameters() {
            parameter.value = Tensor(shape: parameter.value.shape, scalars: name.hasSuffix("bias") ? [0] : [2])
        }
        let evaluation = RegressionEvaluation.of(model, on: data, batchSize: 2)
        // Predictions 2, 4, 6 against 2, 5, 3: (0 + 1 + 9) / 3.
        #expect(abs(evaluation.meanSquaredError - 10.0 / 3) < 1e-6 && evaluation.count == 3)
        #expect(abs(evaluation.rootMeanSquaredError - (10.0 / 3).squareRoot()) < 1e-6)
    }

    /// The trainer trains a regression dataset with any mixer and evaluates MSE instead of classification error.
    @Test(arguments: ["erm", "mixup", "cmixup"])
    func trainerFitsASineWithEachStrategy(strategy: String) throws {
        let regularizer: Regularizer =
            switch strategy {
            case "mixup": try .mixup(alpha: 0.5)
            case "cmixup": try .cMixup(alpha: 2, bandwidth: 0.2)
            default: .erm
            }
        let train = try Self.sine(count: 128, seed: 1)
        let test = try Self.sine(count: 128, seed: 2)
        var generator = SeededGenerator(seed: 4)
        let model = Models.mlp(inputSize: 1, hiddenSizes: [32, 32], classCount: 1, using: &generator)
        let before = RegressionEvaluation.of(model, on: test).meanSquaredError
        let optimizer = Adam(parameters: model.allParameters, learningRate: 0.01)
        let directory = TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = TrainerConfiguration(epochs: 12, batchSize: 32, seed: 7)
        configuration.outputDirectory = directory
        let trainer = TrainingFixtures.trainer(
            model: model, optimizer: optimizer, objective: RegressionObjective(regularizer: regularizer),
            train: train, test: test, configuration: configuration)
        let result = try trainer.run()
        #expect(result.test == nil && result.reports.allSatisfy { $0.test == nil && $0.regressionTest != nil })
        let after = try #require(result.regressionTest).meanSquaredError
        #expect(after < 0.3 * before, "\(strategy): test MSE \(before) → \(after)")
        let log = try String(contentsOfFile: try #require(trainer.metricsPath), encoding: .utf8)
        #expect(log.contains("\"test_mse\"") && log.contains("\"test_rmse\""))
    }

    /// A classification loss of the strategy's own (the decoupled mixup loss) is refused by name.
    @Test func aClassificationMixingLossIsAnErrorNamingTheStrategy() throws {
        let train = try Self.sine(count: 8, seed: 1)
        var generator = SeededGenerator(seed: 0)
        let model = Models.mlp(inputSize: 1, hiddenSizes: [4], classCount: 1, using: &generator)
        let regularizer = try Regularizer.mixup(alpha: 1).decoupled()
        let trainer = TrainingFixtures.trainer(
            model: model, objective: RegressionObjective(regularizer: regularizer), train: train,
            configuration: TrainerConfiguration(epochs: 1, batchSize: 4))
        let error = #expect(throws: TrainingError.self) { try trainer.run() }
        #expect(error?.description.contains(regularizer.name) == true, "\(String(describing: error))")
    }
}
