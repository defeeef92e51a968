import Foundation
import MixupKit
import Testing

/// Issue 14's trainer cases: nothing non-finite is ever saved or resumed, `--resume` checks the run it continues,
/// interrupted writes and logs are cleaned up, and every derived size is checked.
extension TrainerTests {
    static func checkpointBytes(_ directory: String) throws -> Data {
        try Data(
            contentsOf: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("checkpoint.safetensors")))
    }

    /// A NaN pixel (here: put into the inputs by the augmentation, after any loader validation) stops the run, and the
    /// checkpoint of the last good epoch stays byte-identical — whether the NaN surfaces in the loss or only in the
    /// gradients (ReLU maps NaN to 0, so the loss can stay finite).
    @Test func nanInputStopsTheRunAndKeepsTheCheckpointByteIdentical() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let train = TrainingFixtures.moons(perClass: 10, seed: 1)
        let poisonBatch: @Sendable (Tensor, inout SeededGenerator) -> Tensor = { batch, _ in
            var values = batch.scalars
            values[0] = .nan
            return Tensor(shape: batch.shape, scalars: values)
        }
        func configuration(epochs: Int, resume: Bool, poison: Bool) -> TrainerConfiguration {
            TrainerConfiguration(
                epochs: epochs, batchSize: 8, seed: 3, outputDirectory: directory, resume: resume,
                augmentation: poison ? poisonBatch : nil)
        }
        try TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: train,
            configuration: configuration(epochs: 1, resume: false, poison: false)
        ).run()
        let before = try Self.checkpointBytes(directory)
        let trainer = TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: train,
            configuration: configuration(epochs: 2, resume: true, poison: true))
        let error = try #require(throws: TrainingError.self) { try trainer.run() }
        switch error {
        case .nonFiniteParameter(_, let epoch, _, let kept), .nonFiniteLoss(let epoch, _, _, let kept):
            #expect(epoch == 1 && kept == trainer.checkpointPath, "\(error)")
        default: Issue.record("expected a non-finite stop, got \(error)")
        }
        #expect(try Self.checkpointBytes(directory) == before)
    }

    /// A parameter made non-finite while the loss is finite stops the step, naming the parameter.
    @Test func nonFiniteParameterIsNamedAndNeverSaved() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = TrainingFixtures.mlp(seed: 2)
        let trainer = TrainingFixtures.trainer(
            model: model, train: TrainingFixtures.moons(perClass: 10, seed: 1),
            configuration: TrainerConfiguration(epochs: 2, batchSize: 8, seed: 3, outputDirectory: directory))
        let (name, parameter) = try #require(model.namedParameters().last)
        trainer.hooks.loss.append { batch, _ in
            if batch.globalStep == 4 {
                var values = parameter.value.scalars
                values[0] = .infinity
                parameter.value = Tensor(shape: parameter.value.shape, scalars: values)
            }
        }
        let error = try #require(throws: TrainingError.self) { try trainer.run() }
        guard case .nonFiniteParameter(let reported, 1, 1, let kept) = error else {
            Issue.record("expected nonFiniteParameter at epoch 2, step 1, got \(error)")
            return
        }
        #expect(reported == name && kept == trainer.checkpointPath)
        #expect(error.description.contains(name), "\(error)")
        let saved = try Checkpoint(contentsOf: try #require(trainer.checkpointPath))
        #expect(saved.epoch == 1 && saved.globalStep == 3, "the checkpoint of epoch 1 is kept")
        // Saving directly is refused too.
        #expect(throws: TrainingError.self) { try trainer.saveCheckpoint(epoch: 1, step: 1, globalStep: 4) }
        #expect(try Checkpoint(contentsOf: try #require(trainer.checkpointPath)).globalStep == 3)
    }

    @Test func resumeRefusesACheckpointWithNonFiniteWeights() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let train = TrainingFixtures.moons(perClass: 10, seed: 1)
        let first = TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: train,
            configuration: TrainerConfiguration(epochs: 1, batchSize: 8, seed: 3, outputDirectory: directory))
        try first.run()
        let path = try #require(first.checkpointPath)
        var checkpoint = try Checkpoint(contentsOf: path)
        let name = try #require(checkpoint.tensors.keys.filter { $0.hasPrefix("model.") }.sorted().first)
        let tensor = try #require(checkpoint.tensors[name])
        checkpoint.tensors[name] = Tensor(shape: tensor.shape, scalars: [.nan] + tensor.scalars.dropFirst())
        try checkpoint.write(to: path)
        let error = try #require(throws: TrainingError.self) {
            try TrainingFixtures.trainer(
                model: TrainingFixtures.mlp(seed: 2), train: train,
                configuration: TrainerConfiguration(
                    epochs: 2, batchSize: 8, seed: 3, outputDirectory: directory, resume: true)
            ).run()
        }
        guard case .nonFiniteCheckpoint(path, name) = error else {
            Issue.record("expected nonFiniteCheckpoint naming \(name), got \(error)")
            return
        }
    }

    /// Each field `--resume` verifies, changed on its own: the error names the field and both values.
    @Test(arguments: ["strategy", "recipe", "batch size", "data limit", "architecture"])
    func resumeRefusesACheckpointOfAnotherRun(field: String) throws {
        let directory = TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let train = TrainingFixtures.moons(perClass: 10, seed: 1)
        let first = TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: train,
            configuration: TrainerConfiguration(epochs: 1, batchSize: 8, seed: 3, outputDirectory: directory))
        first.metadata = ["recipe": "moons", "strategy": "mixup", "data_limit": "none"]
        try first.run()
        let before = try Self.checkpointBytes(directory)
        var metadata = first.metadata
        var batchSize = 8
        var hidden = [16]
        switch field {
        case "strategy": metadata["strategy"] = "cutmix"
        case "recipe": metadata["recipe"] = "spirals"
        case "data limit": metadata["data_limit"] = "10"
        case "batch size": batchSize = 4
        default: hidden = [12]
        }
        let second = TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2, hidden: hidden), train: train,
            configuration: TrainerConfiguration(
                epochs: 2, batchSize: batchSize, seed: 3, outputDirectory: directory, resume: true))
        second.metadata = metadata
        let error = try #require(throws: TrainingError.self) { try second.run() }
        guard case .checkpointMismatch(_, field, let saved, let run) = error else {
            Issue.record("expected a mismatch of \(field), got \(error)")
            return
        }
        #expect(saved != run && error.description.contains(saved) && error.description.contains(run), "\(error)")
        #expect(try Self.checkpointBytes(directory) == before)
    }

    @Test func missingOptimizerStateIsAnErrorNamingTheTensor() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let train = TrainingFixtures.moons(perClass: 10, seed: 1)
        let first = TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: train,
            configuration: TrainerConfiguration(epochs: 1, batchSize: 8, seed: 3, outputDirectory: directory))
        try first.run()
        let path = try #require(first.checkpointPath)
        // Drop one optimizer tensor from the file, keeping its metadata (as a damaged or hand-edited file would).
        let file = try SafeTensors(path: path)
        #expect(file.tensors["optimizer.velocity.0"] != nil, "SGD with momentum has state")
        #expect(file.metadata["optimizer_state"]?.contains("velocity.0") == true)
        try SafeTensors(tensors: file.tensors.filter { $0.key != "optimizer.velocity.0" }, metadata: file.metadata)
            .write(to: path)
        let error = try #require(throws: TrainingError.self) {
            try TrainingFixtures.trainer(
                model: TrainingFixtures.mlp(seed: 2), train: train,
                configuration: TrainerConfiguration(
                    epochs: 2, batchSize: 8, seed: 3, outputDirectory: directory, resume: true)
            ).run()
        }
        guard case .optimizerState = error else {
            Issue.record("expected optimizerState, got \(error)")
            return
        }
        #expect(error.description.contains("velocity.0"), "\(error)")
    }

    @Test func temporaryCheckpointFilesOfAKilledWriteAreRemovedOnTheNextStart() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stale = (directory as NSString).appendingPathComponent(".checkpoint.safetensors.tmp-DEAD")
        let unrelated = (directory as NSString).appendingPathComponent("notes.txt")
        #expect(FileManager.default.createFile(atPath: stale, contents: Data([1, 2, 3])))
        #expect(FileManager.default.createFile(atPath: unrelated, contents: Data([4])))
        try TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: TrainingFixtures.moons(perClass: 10, seed: 1),
            configuration: TrainerConfiguration(epochs: 1, batchSize: 8, outputDirectory: directory)
        ).run()
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: unrelated))
    }

    /// A torn last line (the process died mid-append) and lines of epochs after the checkpoint are dropped on resume.
    @Test func metricsLogIsRewrittenConsistentlyOnResume() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let train = TrainingFixtures.moons(perClass: 10, seed: 1)
        let first = TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: train,
            configuration: TrainerConfiguration(epochs: 1, batchSize: 8, seed: 3, outputDirectory: directory))
        try first.run()
        let path = try #require(first.metricsPath)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"epoch\":2,\"train_lo".utf8))
        try handle.close()
        try TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: train,
            configuration: TrainerConfiguration(
                epochs: 2, batchSize: 8, seed: 3, outputDirectory: directory, resume: true)
        ).run()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let epochs = try lines.map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require((object["epoch"] as? NSNumber)?.intValue)
        }
        #expect(epochs == [1, 2])
    }

    @Test func epochsTimesStepsOverflowIsAnError() throws {
        let trainer = TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: TrainingFixtures.moons(perClass: 10, seed: 1),
            configuration: TrainerConfiguration(epochs: Int.max, batchSize: 8))
        let error = try #require(throws: TrainingError.self) { try trainer.run() }
        guard case .sizeOverflow(_, let operands) = error else {
            Issue.record("expected sizeOverflow, got \(error)")
            return
        }
        #expect(operands == [3, Int.max] && error.description.contains(String(Int.max)), "\(error)")
    }

    /// A semi-supervised step always takes full labelled batches, so a huge batch size would allocate gigabytes: it is
    /// refused before anything is allocated, naming the estimate.
    @Test func hugeSemiSupervisedBatchIsRefusedWithTheEstimate() throws {
        let train = TrainingFixtures.moons(perClass: 10, seed: 1)
        for (batchSize, limit) in [(Int.max, nil), (1_000_000, 1_000_000)] as [(Int, Int?)] {
            let trainer = TrainingFixtures.trainer(
                model: TrainingFixtures.mlp(seed: 2), train: train,
                unlabelled: TrainingFixtures.moons(perClass: 10, seed: 5).removingLabels(),
                configuration: TrainerConfiguration(epochs: 1, batchSize: batchSize, maximumBatchBytes: limit))
            let error = try #require(throws: TrainingError.self) { try trainer.run() }
            guard case .batchTooLarge(let estimate, _, batchSize, [2]) = error else {
                Issue.record("expected batchTooLarge, got \(error)")
                continue
            }
            #expect(error.description.contains(String(estimate)) && estimate > (limit ?? 0), "\(error)")
        }
    }

    @Test func sampleShapeIsCheckedAtTheModelBoundary() throws {
        let images = try Dataset(
            name: "odd-images", sampleShape: [1, 27, 29], samples: [Float](repeating: 0.5, count: 2 * 27 * 29),
            labels: [0, 1], classCount: 2)
        let trainer = TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: images,
            configuration: TrainerConfiguration(epochs: 1, batchSize: 2, expectedSampleShape: [1, 28, 28]))
        let error = try #require(throws: TrainingError.self) { try trainer.run() }
        #expect(
            error.description.contains("[1, 27, 29]") && error.description.contains("[1, 28, 28]")
                && error.description.contains("odd-images"), "\(error)")
    }
}
