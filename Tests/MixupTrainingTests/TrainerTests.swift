import Foundation
import MixupKit
import Testing

@Suite struct TrainerTests {
    @Test func fewEpochsOnTwoMoonsImproveTestAccuracy() throws {
        let train = TrainingFixtures.moons(perClass: 100, seed: 1)
        let test = TrainingFixtures.moons(perClass: 100, seed: 2)
        let model = TrainingFixtures.mlp(seed: 3, hidden: [16])
        let before = Evaluation.of(model, on: test)
        let trainer = TrainingFixtures.trainer(
            model: model, optimizer: Adam(parameters: model.allParameters, learningRate: 0.02), train: train,
            test: test,
            configuration: TrainerConfiguration(epochs: 6, batchSize: 20, seed: 4))
        let result = try trainer.run()
        let after = try #require(result.test)
        #expect(result.reports.count == 6)
        #expect(result.steps == 6 * 10)
        #expect(after.count == 200)
        #expect(after.accuracy > before.accuracy + 0.1, "before \(before.accuracy), after \(after.accuracy)")
        #expect(after.accuracy >= 0.85)
        #expect(result.reports.last?.test == after)
        #expect(result.reports.last!.trainLoss < result.reports.first!.trainLoss)
    }

    @Test func hooksFireOncePerStepAndEpoch() throws {
        // 50 samples in batches of 16: 16, 16, 16, 2 → 4 steps per epoch.
        let train = TrainingFixtures.moons(perClass: 25, seed: 1)
        let model = TrainingFixtures.mlp(seed: 2)
        let trainer = TrainingFixtures.trainer(
            model: model, regularizer: try .mixup(alpha: 1), train: train,
            configuration: TrainerConfiguration(epochs: 2, batchSize: 16, seed: 3))
        #expect(trainer.stepsPerEpoch == 4)
        var batchStarts: [(epoch: Int, step: Int, global: Int, size: Int)] = []
        var mixPoints: [MixPoint?] = []
        var losses: [Float] = []
        var steps: [Int] = []
        var epochs: [Int] = []
        trainer.hooks.batchStart.append { batch in
            batchStarts.append((batch.epoch, batch.stepInEpoch, batch.globalStep, batch.labels.count))
            #expect(batch.totalSteps == 8)
            #expect(batch.targets.shape == [batch.labels.count, 2])
        }
        trainer.hooks.mix.append { _, point in mixPoints.append(point) }
        trainer.hooks.loss.append { _, value in losses.append(value) }
        trainer.hooks.step.append { steps.append($0) }
        trainer.hooks.epochEnd.append { epochs.append($0.epoch) }
        try trainer.run()
        #expect(batchStarts.map(\.global) == Array(0..<8))
        #expect(batchStarts.map(\.epoch) == [0, 0, 0, 0, 1, 1, 1, 1])
        #expect(batchStarts.map(\.step) == [0, 1, 2, 3, 0, 1, 2, 3])
        #expect(batchStarts.map(\.size) == [16, 16, 16, 2, 16, 16, 16, 2])
        #expect(mixPoints.count == 8)
        #expect(mixPoints.allSatisfy { $0 == .input }, "input mixup mixes every batch at the input")
        #expect(losses.count == 8 && losses.allSatisfy(\.isFinite))
        #expect(steps == Array(1...8))
        #expect(epochs == [1, 2])
    }

    @Test func maximumStepsIsHonoured() throws {
        let train = TrainingFixtures.moons(perClass: 25, seed: 1)
        let model = TrainingFixtures.mlp(seed: 2)
        let trainer = TrainingFixtures.trainer(
            model: model, train: train, test: train,
            configuration: TrainerConfiguration(epochs: 10, batchSize: 16, seed: 3, maximumSteps: 5))
        var steps = 0
        trainer.hooks.step.append { _ in steps += 1 }
        let result = try trainer.run()
        #expect(steps == 5)
        #expect(result.steps == 5)
        #expect(result.reports.map(\.epoch) == [1, 2], "4 steps in epoch 1, 1 in epoch 2")
        #expect(result.reports.last?.test != nil, "the last (partial) epoch is evaluated")
    }

    @Test func dropLastBatchSkipsTheShortBatch() throws {
        let train = TrainingFixtures.moons(perClass: 25, seed: 1)
        let model = TrainingFixtures.mlp(seed: 2)
        let trainer = TrainingFixtures.trainer(
            model: model, train: train,
            configuration: TrainerConfiguration(epochs: 2, batchSize: 16, dropLastBatch: true, seed: 3))
        #expect(trainer.stepsPerEpoch == 3)
        var sizes: [Int] = []
        trainer.hooks.batchStart.append { sizes.append($0.labels.count) }
        let result = try trainer.run()
        #expect(sizes == Array(repeating: 16, count: 6))
        #expect(result.steps == 6)
    }

    @Test func dropLastBatchWithTooFewSamplesIsAnError() throws {
        let trainer = TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: TrainingFixtures.moons(perClass: 5, seed: 1),
            configuration: TrainerConfiguration(epochs: 1, batchSize: 16, dropLastBatch: true))
        let error = try #require(throws: TrainingError.self) { try trainer.run() }
        #expect(error.description.contains("16") && error.description.contains("10"), "\(error)")
    }

    /// Each case: a configuration and the words its error must contain.
    static var invalidConfigurations: [String: (TrainerConfiguration, [String])] {
        [
            "batch size 0": (TrainerConfiguration(epochs: 1, batchSize: 0), ["batch size", "0"]),
            "epochs 0": (TrainerConfiguration(epochs: 0, batchSize: 8), ["epochs", "0"]),
            "epochs -3": (TrainerConfiguration(epochs: -3, batchSize: 8), ["epochs", "-3"]),
            "unlabelled batch 0": (
                TrainerConfiguration(epochs: 1, batchSize: 8, unlabelledBatchSize: 0), ["unlabelled batch size", "0"]
            ),
            "evaluation interval 0": (
                TrainerConfiguration(epochs: 1, batchSize: 8, evaluationInterval: 0), ["evaluation interval", "0"]
            ),
            "checkpoint interval 0": (
                TrainerConfiguration(epochs: 1, batchSize: 8, checkpointInterval: 0), ["checkpoint interval", "0"]
            ),
            "resume without folder": (
                TrainerConfiguration(epochs: 1, batchSize: 8, resume: true), ["resume", "output folder"]
            ),
        ]
    }

    @Test(arguments: invalidConfigurations.keys.sorted())
    func invalidConfigurationNamesTheValue(name: String) throws {
        let (configuration, words) = try #require(Self.invalidConfigurations[name])
        let model = TrainingFixtures.mlp(seed: 2)
        let before = TrainingFixtures.state(of: model)
        let trainer = TrainingFixtures.trainer(
            model: model, train: TrainingFixtures.moons(perClass: 5, seed: 1), configuration: configuration)
        let error = try #require(throws: TrainingError.self) { try trainer.run() }
        guard case .invalidConfiguration = error else {
            Issue.record("expected invalidConfiguration, got \(error)")
            return
        }
        for word in words { #expect(error.description.contains(word), "\"\(error)\" should mention \(word)") }
        #expect(TrainingFixtures.state(of: model) == before)
    }

    @Test func unlabelledTrainingSetIsRejected() throws {
        let trainer = TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: TrainingFixtures.moons(perClass: 5, seed: 1).removingLabels(),
            configuration: TrainerConfiguration(epochs: 1, batchSize: 4))
        let error = try #require(throws: TrainingError.self) { try trainer.run() }
        #expect(error.description.contains("two-moons"), "\(error)")
    }

    @Test func metricsLogHasOneJSONObjectPerEpochWithTheDocumentedKeys() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let train = TrainingFixtures.moons(perClass: 20, seed: 1)
        let test = TrainingFixtures.moons(perClass: 10, seed: 5)
        func run() throws -> Trainer {
            let trainer = TrainingFixtures.trainer(
                model: TrainingFixtures.mlp(seed: 2), train: train, test: test,
                configuration: TrainerConfiguration(epochs: 3, batchSize: 16, seed: 3, outputDirectory: directory))
            try trainer.run()
            return trainer
        }
        // Twice into the same folder: a fresh (non-resumed) run replaces the old log instead of appending to it.
        _ = try run()
        let trainer = try run()
        let path = try #require(trainer.metricsPath)
        #expect(path == (directory as NSString).appendingPathComponent("metrics.jsonl"))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 3)
        let keys: Set<String> = [
            "epoch", "train_loss", "train_accuracy", "learning_rate", "samples_per_second", "elapsed_seconds",
            "test_error", "test_accuracy", "test_nll",
        ]
        for (index, line) in lines.enumerated() {
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "line \(index + 1): \(line)")
            #expect(Set(object.keys) == keys, "line \(index + 1): \(object.keys.sorted())")
            #expect((object["epoch"] as? NSNumber)?.intValue == index + 1)
            let error = try #require((object["test_error"] as? NSNumber)?.doubleValue)
            let accuracy = try #require((object["test_accuracy"] as? NSNumber)?.doubleValue)
            #expect(abs(error + accuracy - 1) < 1e-9)
            let rate = try #require((object["learning_rate"] as? NSNumber)?.doubleValue)
            #expect(abs(rate - 0.1) < 1e-6)
        }
        #expect(FileManager.default.fileExists(atPath: try #require(trainer.checkpointPath)))
    }

    @Test func resumingWithAnotherSeedIsRejected() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let train = TrainingFixtures.moons(perClass: 10, seed: 1)
        try TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: train,
            configuration: TrainerConfiguration(epochs: 1, batchSize: 8, seed: 3, outputDirectory: directory)
        ).run()
        let trainer = TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: train,
            configuration: TrainerConfiguration(
                epochs: 2, batchSize: 8, seed: 4, outputDirectory: directory, resume: true))
        let error = try #require(throws: TrainingError.self) { try trainer.run() }
        #expect(error.description.contains("seed 3") && error.description.contains("seed 4"), "\(error)")
    }

    @Test func resumingWithAFinishedCheckpointOfALongerRunDoesNothing() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let train = TrainingFixtures.moons(perClass: 10, seed: 1)
        try TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: train,
            configuration: TrainerConfiguration(epochs: 3, batchSize: 8, seed: 3, outputDirectory: directory)
        ).run()
        let model = TrainingFixtures.mlp(seed: 9)
        let result = try TrainingFixtures.trainer(
            model: model, train: train,
            configuration: TrainerConfiguration(
                epochs: 2, batchSize: 8, seed: 3, outputDirectory: directory, resume: true)
        ).run()
        #expect(result.reports.isEmpty)
        #expect(result.steps == 9)
    }

    @Test func resumingWithAPositionBeyondTheEpochIsAnError() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let train = TrainingFixtures.moons(perClass: 10, seed: 1)
        // Stops mid-epoch at step 3 of 3 … of batch size 4 (5 steps per epoch); resume with batch size 10 (2 steps).
        try TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: train,
            configuration: TrainerConfiguration(
                epochs: 3, batchSize: 4, seed: 3, outputDirectory: directory, maximumSteps: 3)
        ).run()
        let checkpoint = try Checkpoint(
            contentsOf: (directory as NSString).appendingPathComponent("checkpoint.safetensors"))
        #expect(checkpoint.epoch == 0 && checkpoint.stepInEpoch == 3 && checkpoint.globalStep == 3)
        let trainer = TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: train,
            configuration: TrainerConfiguration(
                epochs: 3, batchSize: 10, seed: 3, outputDirectory: directory, resume: true))
        let error = try #require(throws: TrainingError.self) { try trainer.run() }
        // The checkpoint's metadata says which setting differs, before its position is even looked at.
        guard case .checkpointMismatch(_, "batch size", "4", "10") = error else {
            Issue.record("expected a batch size mismatch naming 4 and 10, got \(error)")
            return
        }
    }
}
