import Foundation
import MixupData
import MixupMixing
import MixupNN
import MixupTensor

/// The one training loop every recipe uses, supervised or semi-supervised.
///
/// Each step: draw the batch (and an unlabelled batch when the run has unlabelled data), augment, ask the
/// ``TrainingObjective`` for the loss (it mixes through its plugins), stop on a non-finite loss, back-propagate, step
/// the optimizer at the scheduled learning rate, and call the hooks. After each epoch it evaluates, appends a line to
/// `metrics.jsonl` and writes `checkpoint.safetensors` atomically. Ctrl-C saves a checkpoint and stops.
///
/// Every random draw of step *s* in epoch *e* comes from a generator seeded by (seed, e, s), so a resumed run takes
/// exactly the same steps as an uninterrupted one.
public final class Trainer {
    /// The network being trained.
    public let model: any MixableModel
    /// What each step minimises.
    public let objective: any TrainingObjective
    /// The optimizer over the model's parameters.
    public let optimizer: any Optimizer
    /// The learning rate by step.
    public let schedule: any LearningRateSchedule
    /// Labelled training data.
    public let trainingSet: Dataset
    /// Unlabelled training data for semi-supervised objectives, or `nil`.
    public let unlabelledSet: Dataset?
    /// Held-out labelled data evaluated after epochs, or `nil`.
    public let testSet: Dataset?
    /// Run settings.
    public let configuration: TrainerConfiguration
    /// Extension points.
    public var hooks = TrainingHooks()
    /// Free-form metadata stored in checkpoints (recipe, strategy, …).
    public var metadata: [String: String] = [:]
    /// A label for progress lines.
    public var label: String = ""

    /// Creates a trainer.
    public init(
        model: any MixableModel, objective: any TrainingObjective, optimizer: any Optimizer,
        schedule: any LearningRateSchedule, trainingSet: Dataset, unlabelledSet: Dataset? = nil,
        testSet: Dataset? = nil,
        configuration: TrainerConfiguration
    ) {
        self.model = model
        self.objective = objective
        self.optimizer = optimizer
        self.schedule = schedule
        self.trainingSet = trainingSet
        self.unlabelledSet = unlabelledSet
        self.testSet = testSet
        self.configuration = configuration
    }

    /// The path of the checkpoint in the output folder, if there is one.
    public var checkpointPath: String? {
        configuration.outputDirectory.map { ($0 as NSString).appendingPathComponent("checkpoint.safetensors") }
    }

    /// The path of the per-epoch metrics log in the output folder, if there is one.
    public var metricsPath: String? {
        configuration.outputDirectory.map { ($0 as NSString).appendingPathComponent("metrics.jsonl") }
    }

    /// The number of optimizer steps in one epoch: a pass over the labelled set, or — when there is unlabelled data,
    /// typically far larger — a pass over the unlabelled set, with labelled batches cycling through reshuffled passes.
    public var stepsPerEpoch: Int {
        let (n, b) =
            unlabelledSet.map { ($0.count, configuration.unlabelledBatchSize ?? configuration.batchSize) }
            ?? (trainingSet.count, configuration.batchSize)
        return configuration.dropLastBatch ? n / b : (n + b - 1) / b
    }

    /// The labelled index batches of `epoch`.
    func labelledBatches(epoch: Int) -> [[Int]] {
        var generator = SeededGenerator(seed: Self.streamSeed(configuration.seed, epoch: epoch, step: -1))
        guard unlabelledSet != nil else {
            return BatchSchedule(
                count: trainingSet.count, batchSize: configuration.batchSize, shuffle: true,
                dropLast: configuration.dropLastBatch, using: &generator
            ).batches
        }
        // Semi-supervised: every step gets a full labelled batch from consecutive reshuffled passes.
        let needed = stepsPerEpoch * configuration.batchSize
        var order: [Int] = []
        while order.count < needed { order += generator.nextPermutation(trainingSet.count) }
        return (0..<stepsPerEpoch).map {
            Array(order[($0 * configuration.batchSize)..<(($0 + 1) * configuration.batchSize)])
        }
    }

    /// A generator for one stream of the run, derived from the seed by SplitMix-style mixing.
    static func streamSeed(_ seed: UInt64, epoch: Int, step: Int) -> UInt64 {
        var generator = SeededGenerator(
            seed: seed ^ (UInt64(truncatingIfNeeded: epoch) &* 0x9E37_79B9_7F4A_7C15)
                ^ (UInt64(truncatingIfNeeded: step) &* 0xD1B5_4A32_D192_ED03))
        return generator.next()
    }

    /// Trains for the configured epochs (continuing from the checkpoint when resuming).
    ///
    /// - Returns: the per-epoch reports and the final test evaluation.
    /// - Throws: ``TrainingError`` on a bad configuration, a non-finite loss (the last good checkpoint is kept),
    ///   an interrupt (after saving a checkpoint), or a checkpoint problem.
    @discardableResult
    public func run() throws(TrainingError) -> TrainingResult {
        try configuration.validate()
        guard trainingSet.isLabelled, trainingSet.count > 0 else {
            throw .invalidConfiguration("the training set \(trainingSet.name) must be labelled and non-empty")
        }
        guard stepsPerEpoch > 0 else {
            throw .invalidConfiguration(
                "batch size \(configuration.batchSize) with dropLastBatch leaves no batch from \(trainingSet.count) samples"
            )
        }
        if let unlabelledSet, unlabelledSet.count == 0 {
            throw .invalidConfiguration("the unlabelled set \(unlabelledSet.name) is empty")
        }
        if let directory = configuration.outputDirectory {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .invalidConfiguration("cannot create output folder \(directory): \(error.localizedDescription)")
            }
        }
        try objective.prepare(model: model)
        var startEpoch = 0, startStep = 0, globalStep = 0
        var lastCheckpoint: String? = nil
        if configuration.resume, let path = checkpointPath, FileManager.default.fileExists(atPath: path) {
            let checkpoint = try Checkpoint(contentsOf: path)
            guard checkpoint.seed == configuration.seed else {
                throw .checkpoint(
                    "\(path) was written with seed \(checkpoint.seed), but this run uses seed \(configuration.seed)")
            }
            guard checkpoint.epoch >= 0, checkpoint.stepInEpoch >= 0, checkpoint.globalStep >= 0,
                checkpoint.stepInEpoch <= stepsPerEpoch
            else {
                throw .checkpoint(
                    "\(path) resumes at epoch \(checkpoint.epoch + 1), step \(checkpoint.stepInEpoch), but an epoch of this run "
                        + "has \(stepsPerEpoch) steps (was the batch size or the data changed?)")
            }
            try checkpoint.restore(model: model, optimizer: optimizer, objective: objective)
            (startEpoch, startStep, globalStep) = (checkpoint.epoch, checkpoint.stepInEpoch, checkpoint.globalStep)
            lastCheckpoint = path
            try truncateMetrics(keepingEpochsThrough: checkpoint.epoch)
        } else if let path = metricsPath, FileManager.default.fileExists(atPath: path) {
            // A fresh run starts a fresh log (one line per epoch of this run), not an append to an old run's lines.
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                throw .invalidConfiguration("cannot replace the old \(path): \(error.localizedDescription)")
            }
        }
        let totalSteps = min(stepsPerEpoch * configuration.epochs, configuration.maximumSteps ?? Int.max)
        let monitor = InterruptMonitor()
        defer { monitor.stop() }
        var progress = ProgressReporter(style: configuration.progress, label: label)
        var reports: [EpochReport] = []
        let runStart = Date()
        let unlabelledBatch = configuration.unlabelledBatchSize ?? configuration.batchSize

        // A checkpoint of a longer run (epoch ≥ epochs) leaves nothing to do rather than trapping on the range.
        for epoch in startEpoch..<max(startEpoch, configuration.epochs) {
            guard globalStep < totalSteps else { break }
            let batches = labelledBatches(epoch: epoch)
            let unlabelledOrder = unlabelledSet.map { set in
                var g = SeededGenerator(seed: Self.streamSeed(configuration.seed, epoch: epoch, step: -2))
                return g.nextPermutation(set.count)
            }
            var lossSum = 0.0, correct = 0, seen = 0, steps = 0
            // The next step of this epoch; below the batch count when maximumSteps stops the run mid-epoch.
            var nextStep = epoch == startEpoch ? startStep : 0
            var extraSums: [String: Double] = [:]
            let epochStart = Date()
            let firstStep = epoch == startEpoch ? startStep : 0
            for step in firstStep..<batches.count {
                if globalStep >= totalSteps { break }
                if monitor.isInterrupted {
                    let path = try saveCheckpoint(epoch: epoch, step: step, globalStep: globalStep)
                    throw .interrupted(epoch: epoch, step: step, checkpoint: path)
                }
                let indices = batches[step]
                var generator = SeededGenerator(seed: Self.streamSeed(configuration.seed, epoch: epoch, step: step))
                var inputs = trainingSet.inputs(at: indices)
                var unlabelled: Tensor? = nil
                if let unlabelledSet, let order = unlabelledOrder {
                    let picked = (0..<unlabelledBatch).map { order[(step * unlabelledBatch + $0) % order.count] }
                    unlabelled = unlabelledSet.inputs(at: picked)
                }
                if let augment = configuration.augmentation {
                    inputs = augment(inputs, &generator)
                    if let u = unlabelled { unlabelled = augment(u, &generator) }
                }
                let batch = TrainingBatch(
                    inputs: inputs, labels: trainingSet.labels(at: indices), classCount: trainingSet.classCount,
                    unlabelled: unlabelled, epoch: epoch, stepInEpoch: step, globalStep: globalStep,
                    totalSteps: totalSteps)
                for hook in hooks.batchStart { hook(batch) }
                optimizer.learningRate = self.schedule.learningRate(atStep: globalStep, totalSteps: totalSteps)
                var context = ForwardContext(isTraining: true, generator: generator.split())
                let result = try objective.loss(model: model, batch: batch, context: &context, using: &generator)
                for hook in hooks.mix { hook(batch, result.mixPoint) }
                let value = result.loss.scalar
                guard value.isFinite else {
                    throw .nonFiniteLoss(epoch: epoch, step: step, value: value, lastCheckpoint: lastCheckpoint)
                }
                for hook in hooks.loss { hook(batch, value) }
                result.loss.backward()
                optimizer.step()
                optimizer.zeroGradients()
                globalStep += 1
                nextStep = step + 1
                objective.didUpdate(model: model, globalStep: globalStep)
                for hook in hooks.step { hook(globalStep) }

                lossSum += Double(value)
                steps += 1
                // Accuracy against the dominant class of each (possibly mixed) target: for unmixed batches, the label.
                let predictions = result.logits.argmax(alongAxis: 1)
                let dominant = result.targets.soft.argmax(alongAxis: 1)
                if predictions.count == dominant.count {
                    correct += zip(predictions, dominant).filter { $0 == $1 }.count
                }
                seen += indices.count
                for (key, metric) in result.metrics { extraSums[key, default: 0] += metric }
                let elapsed = Date().timeIntervalSince(epochStart)
                let rate = Double(seen) / max(elapsed, 1e-9)
                let remaining = Double(totalSteps - globalStep) * Double(configuration.batchSize) / max(rate, 1e-9)
                progress.update(
                    epoch: epoch + 1, epochs: configuration.epochs, step: step + 1, steps: batches.count,
                    loss: lossSum / Double(steps), accuracy: Double(correct) / Double(max(seen, 1)),
                    samplesPerSecond: rate,
                    secondsLeft: remaining)
            }
            let epochSeconds = Date().timeIntervalSince(epochStart)
            let isLast = epoch == configuration.epochs - 1 || globalStep >= totalSteps
            let evaluation =
                testSet.flatMap { set in
                    (isLast || (epoch + 1) % configuration.evaluationInterval == 0)
                        ? Evaluation.of(
                            objective.evaluationModel(for: model, trainingData: unlabelledSet ?? trainingSet), on: set)
                        : nil
                }
            let report = EpochReport(
                epoch: epoch + 1, trainLoss: lossSum / Double(max(steps, 1)),
                trainAccuracy: Double(correct) / Double(max(seen, 1)), test: evaluation,
                learningRate: Double(optimizer.learningRate), samplesPerSecond: Double(seen) / max(epochSeconds, 1e-9),
                elapsedSeconds: Date().timeIntervalSince(runStart),
                extra: extraSums.mapValues { $0 / Double(max(steps, 1)) })
            reports.append(report)
            try appendMetrics(report)
            // A run stopped mid-epoch by maximumSteps records the exact position, so a resume finishes this epoch.
            let epochIsComplete = nextStep >= batches.count
            lastCheckpoint =
                try saveCheckpoint(
                    epoch: epochIsComplete ? epoch + 1 : epoch, step: epochIsComplete ? 0 : nextStep,
                    globalStep: globalStep)
                ?? lastCheckpoint
            progress.epochFinished(report, epochs: configuration.epochs)
            for hook in hooks.epochEnd { hook(report) }
        }
        let final = testSet.map {
            Evaluation.of(objective.evaluationModel(for: model, trainingData: unlabelledSet ?? trainingSet), on: $0)
        }
        return TrainingResult(
            reports: reports, test: final, seconds: Date().timeIntervalSince(runStart), steps: globalStep)
    }

    /// Writes the checkpoint for the position (epoch, step); returns its path, or `nil` without an output folder.
    @discardableResult
    func saveCheckpoint(epoch: Int, step: Int, globalStep: Int) throws(TrainingError) -> String? {
        guard let path = checkpointPath else { return nil }
        let checkpoint = Checkpoint(
            model: model, optimizer: optimizer, objective: objective, epoch: epoch, stepInEpoch: step,
            globalStep: globalStep, seed: configuration.seed, metadata: metadata)
        try checkpoint.write(to: path)
        return path
    }

    /// Drops the log lines of epochs after `completedEpochs` (a partial epoch logged when `maximumSteps` stopped the
    /// run mid-epoch, which the resumed run logs again in full), so the log keeps one line per epoch.
    private func truncateMetrics(keepingEpochsThrough completedEpochs: Int) throws(TrainingError) {
        guard let path = metricsPath, let data = FileManager.default.contents(atPath: path) else { return }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        let kept = lines.filter { line in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return ((object?["epoch"] as? NSNumber)?.intValue ?? 0) <= completedEpochs
        }
        guard kept.count != lines.count else { return }
        do {
            try Data(kept.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .checkpoint("could not rewrite \(path): \(error.localizedDescription)")
        }
    }

    private func appendMetrics(_ report: EpochReport) throws(TrainingError) {
        guard let path = metricsPath else { return }
        var object: [String: Any] = [
            "epoch": report.epoch, "train_loss": report.trainLoss, "train_accuracy": report.trainAccuracy,
            "learning_rate": report.learningRate, "samples_per_second": report.samplesPerSecond,
            "elapsed_seconds": report.elapsedSeconds,
        ]
        if let test = report.test {
            object["test_error"] = test.error
            object["test_accuracy"] = test.accuracy
            object["test_nll"] = test.negativeLogLikelihood
        }
        for (key, value) in report.extra { object[key] = value }
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: data + Data("\n".utf8))
        } catch {
            throw .checkpoint("could not append to \(path): \(error.localizedDescription)")
        }
    }
}

/// The outcome of a training run.
public struct TrainingResult: Sendable {
    /// One report per epoch run in this call.
    public let reports: [EpochReport]
    /// The final test evaluation, when a test set was given.
    public let test: Evaluation?
    /// Wall-clock seconds of this call.
    public let seconds: Double
    /// Optimizer steps taken in total (including before a resume).
    public let steps: Int
}
