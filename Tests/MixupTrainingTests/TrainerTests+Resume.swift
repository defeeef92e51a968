import Foundation
import MixupKit
import Testing

@testable import MixupTraining

/// A resumed run must take exactly the steps of an uninterrupted one: same batches, same mixing draws, same dropout
/// masks, same BatchNorm statistics and optimizer state — so the final weights are bit-identical.
///
/// The first leg of a split run is a shorter run (fewer epochs or `maximumSteps`), and the trainer sizes the schedule by
/// the run's total steps, so these tests use a schedule with absolute milestones; the Ctrl-C-style test, whose first
/// leg *is* the full run, uses cosine decay.
extension TrainerTests {
    /// Input Mixup on an MLP with BatchNorm and dropout, so every random stream and buffer matters.
    static func resumableTrainer(
        directory: String, epochs: Int, resume: Bool = false, maximumSteps: Int? = nil, adam: Bool = false,
        initialisationSeed: UInt64 = 11, cosine: Bool = false, interrupts: InterruptPolicy = .checkpointAndStop,
        checkpointInterval: Int = 1
    ) throws -> Trainer {
        let model = TrainingFixtures.mlp(seed: initialisationSeed, hidden: [12, 8], batchNorm: true, dropout: 0.25)
        let optimizer: any Optimizer =
            adam
            ? Adam(parameters: model.allParameters, learningRate: 0.01, weightDecay: 1e-3)
            : SGD(parameters: model.allParameters, learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3)
        let trainer = Trainer(
            model: model, objective: SupervisedObjective(regularizer: try .mixup(alpha: 1)), optimizer: optimizer,
            schedule: cosine
                ? CosineDecay(initial: optimizer.learningRate)
                : MultiStepDecay(initial: optimizer.learningRate, milestones: [5, 9], factor: 0.5),
            trainingSet: TrainingFixtures.moons(perClass: 25, seed: 21),
            testSet: TrainingFixtures.moons(perClass: 10, seed: 22),
            configuration: TrainerConfiguration(
                epochs: epochs, batchSize: 16, seed: 31, outputDirectory: directory, resume: resume, progress: .silent,
                checkpointInterval: checkpointInterval, maximumSteps: maximumSteps, interrupts: interrupts))
        return trainer
    }

    static func expectIdentical(
        _ a: [String: [Float]], _ b: [String: [Float]], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(a.keys.sorted() == b.keys.sorted(), sourceLocation: sourceLocation)
        #expect(
            a.keys.contains { $0.contains("running_mean") }, "the model has BatchNorm buffers",
            sourceLocation: sourceLocation)
        for (name, values) in a {
            #expect(values == b[name], "\(name) differs", sourceLocation: sourceLocation)
        }
    }

    @Test func resumeAtAnEpochBoundaryEqualsUninterrupted() throws {
        let (full, split) = (TrainingFixtures.temporaryDirectory("full"), TrainingFixtures.temporaryDirectory("split"))
        defer { for d in [full, split] { try? FileManager.default.removeItem(atPath: d) } }
        let uninterrupted = try Self.resumableTrainer(directory: full, epochs: 3)
        let fullResult = try uninterrupted.run()

        try Self.resumableTrainer(directory: split, epochs: 1).run()
        // A different initialisation proves the weights come from the checkpoint.
        let resumed = try Self.resumableTrainer(directory: split, epochs: 3, resume: true, initialisationSeed: 99)
        let resumedResult = try resumed.run()

        #expect(resumedResult.reports.map(\.epoch) == [2, 3])
        #expect(resumedResult.steps == fullResult.steps)
        #expect(resumedResult.reports.map(\.trainLoss) == Array(fullResult.reports.map(\.trainLoss).suffix(2)))
        Self.expectIdentical(TrainingFixtures.state(of: resumed.model), TrainingFixtures.state(of: uninterrupted.model))
        #expect(resumedResult.test == fullResult.test)
        // The log continues: one line per epoch of the whole run.
        let lines = try String(contentsOfFile: try #require(resumed.metricsPath), encoding: .utf8).split(
            separator: "\n")
        #expect(lines.count == 3)
    }

    /// Records, after every epoch, which epoch the checkpoint on disk holds, and keeps a copy of it after one epoch.
    final class CheckpointWatcher: TrainingReporter {
        let path: String, copyAfterEpoch: Int, copyPath: String
        var heldEpochs: [Int?] = []
        init(path: String, copyAfterEpoch: Int, copyPath: String) {
            (self.path, self.copyAfterEpoch, self.copyPath) = (path, copyAfterEpoch, copyPath)
        }
        func epochFinished(_ report: EpochReport, epochs: Int, label: String) {
            heldEpochs.append(try? Checkpoint(contentsOf: path).epoch)
            if report.epoch == copyAfterEpoch { try? FileManager.default.copyItem(atPath: path, toPath: copyPath) }
        }
    }

    @Test func aCheckpointIntervalWritesEveryNthAndTheLastEpochAndAResumeFromItIsExact() throws {
        let (full, split) = (TrainingFixtures.temporaryDirectory("full"), TrainingFixtures.temporaryDirectory("split"))
        defer { for d in [full, split] { try? FileManager.default.removeItem(atPath: d) } }
        let uninterrupted = try Self.resumableTrainer(directory: full, epochs: 5, adam: true)
        try uninterrupted.run()

        let trainer = try Self.resumableTrainer(directory: split, epochs: 5, adam: true, checkpointInterval: 2)
        let path = try #require(trainer.checkpointPath)
        let watcher = CheckpointWatcher(path: path, copyAfterEpoch: 3, copyPath: path + ".after-epoch-3")
        trainer.reporter = watcher
        try trainer.run()
        #expect(watcher.heldEpochs == [nil, 2, 2, 4, 5])

        // A crash after epoch 3 leaves the epoch-2 checkpoint and three lines of metrics: the resume redoes epoch 3.
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: path + ".after-epoch-3", toPath: path)
        let resumed = try Self.resumableTrainer(
            directory: split, epochs: 5, resume: true, adam: true, initialisationSeed: 99, checkpointInterval: 2)
        let result = try resumed.run()
        #expect(result.reports.map(\.epoch) == [3, 4, 5])
        let lines = try String(contentsOfFile: try #require(resumed.metricsPath), encoding: .utf8).split(
            separator: "\n")
        #expect(lines.count == 5)
        Self.expectIdentical(TrainingFixtures.state(of: resumed.model), TrainingFixtures.state(of: uninterrupted.model))
    }

    @Test func resumeAfterMaximumStepsStoppedMidEpochEqualsUninterrupted() throws {
        let (full, split) = (TrainingFixtures.temporaryDirectory("full"), TrainingFixtures.temporaryDirectory("split"))
        defer { for d in [full, split] { try? FileManager.default.removeItem(atPath: d) } }
        let uninterrupted = try Self.resumableTrainer(directory: full, epochs: 3, adam: true)
        try uninterrupted.run()

        // 4 steps per epoch: stopping after 6 leaves epoch 2 half done.
        try Self.resumableTrainer(directory: split, epochs: 3, maximumSteps: 6, adam: true).run()
        let checkpoint = try Checkpoint(
            contentsOf: (split as NSString).appendingPathComponent("checkpoint.safetensors"))
        #expect((checkpoint.epoch, checkpoint.stepInEpoch, checkpoint.globalStep) == (1, 2, 6))
        let resumed = try Self.resumableTrainer(
            directory: split, epochs: 3, resume: true, adam: true, initialisationSeed: 99)
        var firstBatch: (epoch: Int, step: Int)? = nil
        resumed.hooks.batchStart.append { batch in
            if firstBatch == nil { firstBatch = (batch.epoch, batch.stepInEpoch) }
        }
        let result = try resumed.run()
        #expect(firstBatch?.epoch == 1 && firstBatch?.step == 2)
        #expect(result.steps == 12)
        // The partial epoch-2 line of the first leg is replaced by the resumed run's line for the whole epoch.
        let text = try String(contentsOfFile: try #require(resumed.metricsPath), encoding: .utf8)
        let epochs = try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["epoch"] as? Int
        }
        #expect(epochs == [1, 2, 3])
        Self.expectIdentical(TrainingFixtures.state(of: resumed.model), TrainingFixtures.state(of: uninterrupted.model))
    }

    @Test func resumeFromAMidEpochCheckpointEqualsUninterrupted() throws {
        let (full, split) = (TrainingFixtures.temporaryDirectory("full"), TrainingFixtures.temporaryDirectory("split"))
        defer { for d in [full, split] { try? FileManager.default.removeItem(atPath: d) } }
        // The uninterrupted run also saves the position after its 7th step (epoch 2, next step 3), as Ctrl-C would.
        let uninterrupted = try Self.resumableTrainer(directory: full, epochs: 3, cosine: true)
        let saved = (split as NSString).appendingPathComponent("checkpoint.safetensors")
        var saveError: (any Error)? = nil
        uninterrupted.hooks.step.append { globalStep in
            guard globalStep == 7 else { return }
            do {
                let path = try #require(try uninterrupted.saveCheckpoint(epoch: 1, step: 3, globalStep: 7))
                try FileManager.default.copyItem(atPath: path, toPath: saved)
            } catch {
                saveError = error
            }
        }
        try uninterrupted.run()
        #expect(saveError == nil)

        let resumed = try Self.resumableTrainer(
            directory: split, epochs: 3, resume: true, initialisationSeed: 99, cosine: true)
        var steps: [Int] = []
        resumed.hooks.step.append { steps.append($0) }
        let result = try resumed.run()
        #expect(steps == Array(8...12))
        #expect(result.reports.map(\.epoch) == [2, 3])
        Self.expectIdentical(TrainingFixtures.state(of: resumed.model), TrainingFixtures.state(of: uninterrupted.model))
    }
}
