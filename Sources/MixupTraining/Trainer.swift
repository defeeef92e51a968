import Foundation
import MixupData
import MixupMixing
import MixupNN
import MixupTensor

/// The run controller every recipe uses, supervised or semi-supervised: it drives a ``TrainingLoop`` epoch by epoch
/// and owns everything around the steps — resuming from a checkpoint, evaluation, `metrics.jsonl`, checkpoints,
/// interrupts and progress reports.
///
/// After each epoch it evaluates, appends a line to `metrics.jsonl` and writes `checkpoint.safetensors` atomically (every
/// ``TrainerConfiguration/checkpointInterval`` epochs and after the last),
/// after checking that every parameter is finite (a non-finite one stops the run and leaves the previous checkpoint
/// untouched). SIGINT or SIGTERM (see ``InterruptPolicy``) saves a checkpoint and stops.
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
    /// Extension points (handed to the ``TrainingLoop``).
    public var hooks = TrainingHooks()
    /// Free-form metadata stored in checkpoints (recipe, strategy, data limit, …); on resume, the keys in
    /// ``Checkpoint/verifiedKeys`` must match the checkpoint's.
    public var metadata: [String: String] = [:]
    /// A label for progress lines.
    public var label: String = ""
    /// Where progress and notes go (default: ``ConsoleTrainingReporter`` in the configuration's progress style).
    public var reporter: any TrainingReporter

    /// Creates a trainer. Nothing is checked until ``run()`` (or ``makeLoop()``).
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
        self.reporter = ConsoleTrainingReporter(style: configuration.progress)
    }

    /// Optimizer steps in one epoch (see ``TrainingLoop/stepsPerEpoch``).
    public var stepsPerEpoch: Int {
        TrainingLoop.stepsPerEpoch(
            trainingCount: trainingSet.count, unlabelledCount: unlabelledSet?.count, configuration: configuration)
    }

    /// The training loop over this trainer's model, data and hooks, after checking the configuration, the data's
    /// shapes and every derived size.
    ///
    /// - Throws: ``TrainingError`` (see ``TrainingLoop/init(model:objective:optimizer:schedule:trainingSet:unlabelledSet:configuration:)``),
    ///   or ``TrainingError/sampleShapeMismatch(dataset:expected:found:)`` when a dataset does not have
    ///   ``TrainerConfiguration/expectedSampleShape``.
    public func makeLoop() throws(TrainingError) -> TrainingLoop {
        if let expected = configuration.expectedSampleShape {
            for set in [trainingSet, unlabelledSet, testSet].compactMap({ $0 }) where set.sampleShape != expected {
                throw .sampleShapeMismatch(dataset: set.name, expected: expected, found: set.sampleShape)
            }
        }
        let loop = try TrainingLoop(
            model: model, objective: objective, optimizer: optimizer, schedule: schedule, trainingSet: trainingSet,
            unlabelledSet: unlabelledSet, configuration: configuration)
        loop.hooks = hooks
        return loop
    }

    /// The path of the checkpoint in the output folder, if there is one.
    public var checkpointPath: String? {
        configuration.outputDirectory.map { ($0 as NSString).appendingPathComponent("checkpoint.safetensors") }
    }

    /// The path of the per-epoch metrics log in the output folder, if there is one.
    public var metricsPath: String? {
        configuration.outputDirectory.map { ($0 as NSString).appendingPathComponent("metrics.jsonl") }
    }

    /// The metadata written into checkpoints: ``metadata`` plus what the trainer knows of the run (batch sizes,
    /// sample counts, the architecture as parameter names and shapes).
    public var checkpointMetadata: [String: String] {
        var result = metadata
        result["batch_size"] = String(configuration.batchSize)
        if unlabelledSet != nil {
            result["unlabelled_batch_size"] = String(configuration.unlabelledBatchSize ?? configuration.batchSize)
        }
        result["training_samples"] = String(trainingSet.count)
        result["architecture"] = Checkpoint.architecture(of: model)
        return result
    }

    /// Trains for the configured epochs (continuing from the checkpoint when resuming).
    ///
    /// - Returns: the per-epoch reports and the final test evaluation.
    /// - Throws: ``TrainingError`` on a bad configuration, a non-finite loss or parameter (the last good checkpoint is
    ///   kept), an interrupt (after saving a checkpoint), or a checkpoint problem.
    @discardableResult
    public func run() throws(TrainingError) -> TrainingResult {
        let loop = try makeLoop()
        let stopStep = min(loop.totalSteps, configuration.maximumSteps ?? Int.max)
        try prepareOutputFolder()
        try objective.prepare(model: model)
        var position = try resumePosition()
        let interrupts = InterruptWatch(configuration.interrupts)
        defer { interrupts.stop() }
        var reports: [EpochReport] = []
        let runStart = Date()
        // A checkpoint of a longer run (epoch ≥ epochs) leaves nothing to do rather than trapping on the range.
        while position.epoch < configuration.epochs, position.globalStep < stopStep {
            let report = try runEpoch(
                loop, from: &position, stoppingAt: stopStep, interrupts: interrupts, runStart: runStart)
            reports.append(report)
            reporter.epochFinished(report, epochs: configuration.epochs, label: label)
            for hook in hooks.epochEnd { hook(report) }
        }
        let final = testSet.flatMap { $0.isRegression ? nil : Evaluation.of(evaluatedModel, on: $0) }
        let regression = testSet.flatMap { $0.isRegression ? RegressionEvaluation.of(evaluatedModel, on: $0) : nil }
        return TrainingResult(
            reports: reports, test: final, seconds: Date().timeIntervalSince(runStart), steps: position.globalStep,
            regressionTest: regression)
    }

    /// Where the run stands: the next epoch, the next step in it, steps taken, and the last checkpoint written.
    struct Position {
        var epoch = 0, step = 0, globalStep = 0
        var lastCheckpoint: String?
    }

    /// Runs the rest of `position`'s epoch with `loop` (stopping at step `stopStep` of the run: its end, or
    /// ``TrainerConfiguration/maximumSteps``), then evaluates, logs and checkpoints it.
    private func runEpoch(
        _ loop: TrainingLoop, from position: inout Position, stoppingAt stopStep: Int, interrupts: InterruptWatch,
        runStart: Date
    ) throws(TrainingError) -> EpochReport {
        let epoch = position.epoch
        var lossSum = 0.0, correct = 0, seen = 0, steps = 0
        var extraSums: [String: Double] = [:]
        let epochStart = Date()
        while position.step < stepsPerEpoch, position.globalStep < stopStep {
            if let signal = interrupts.signal {
                let path = try saveCheckpoint(
                    epoch: epoch, step: position.step, globalStep: position.globalStep)
                throw .interrupted(epoch: epoch, step: position.step, signal: signal, checkpoint: path)
            }
            let outcome: StepOutcome
            do {
                outcome = try loop.step(epoch: epoch, step: position.step, globalStep: position.globalStep)
            } catch {
                throw Self.attaching(position.lastCheckpoint, to: error)
            }
            position.step += 1
            position.globalStep += 1
            lossSum += Double(outcome.loss)
            steps += 1
            correct += outcome.correct
            seen += outcome.samples
            for (key, metric) in outcome.metrics { extraSums[key, default: 0] += metric }
            let rate = Double(seen) / max(Date().timeIntervalSince(epochStart), 1e-9)
            reporter.stepFinished(
                StepProgress(
                    label: label, epoch: epoch + 1, epochs: configuration.epochs, step: position.step,
                    steps: stepsPerEpoch, globalStep: position.globalStep, totalSteps: loop.totalSteps,
                    loss: lossSum / Double(steps), accuracy: Double(correct) / Double(max(seen, 1)),
                    samplesPerSecond: rate,
                    secondsLeft: Double(stopStep - position.globalStep) * Double(configuration.batchSize)
                        / max(rate, 1e-9)))
        }
        let epochSeconds = Date().timeIntervalSince(epochStart)
        let isLast = epoch == configuration.epochs - 1 || position.globalStep >= stopStep
        let evaluated = testSet.flatMap { set in
            (isLast || (epoch + 1) % configuration.evaluationInterval == 0) ? set : nil
        }
        let evaluation = evaluated.flatMap { $0.isRegression ? nil : Evaluation.of(evaluatedModel, on: $0) }
        let regression = evaluated.flatMap { $0.isRegression ? RegressionEvaluation.of(evaluatedModel, on: $0) : nil }
        let report = EpochReport(
            epoch: epoch + 1, trainLoss: lossSum / Double(max(steps, 1)),
            trainAccuracy: Double(correct) / Double(max(seen, 1)), test: evaluation, regressionTest: regression,
            learningRate: Double(optimizer.learningRate), samplesPerSecond: Double(seen) / max(epochSeconds, 1e-9),
            elapsedSeconds: Date().timeIntervalSince(runStart),
            extra: extraSums.mapValues { $0 / Double(max(steps, 1)) })
        try MetricsLog(path: metricsPath).append(report)
        // A run stopped mid-epoch by maximumSteps records the exact position, so a resume finishes this epoch.
        if position.step >= stepsPerEpoch {
            position.epoch += 1
            position.step = 0
        }
        if isLast || position.step != 0 || position.epoch % configuration.checkpointInterval == 0 {
            position.lastCheckpoint =
                try saveCheckpoint(epoch: position.epoch, step: position.step, globalStep: position.globalStep)
                ?? position.lastCheckpoint
        }
        return report
    }

    /// Adds the last good checkpoint to the loop's non-finite errors.
    private static func attaching(_ checkpoint: String?, to error: TrainingError) -> TrainingError {
        switch error {
        case .nonFiniteLoss(let epoch, let step, let value, _):
            .nonFiniteLoss(epoch: epoch, step: step, value: value, lastCheckpoint: checkpoint)
        case .nonFiniteParameter(let name, let epoch, let step, _):
            .nonFiniteParameter(name: name, epoch: epoch, step: step, lastCheckpoint: checkpoint)
        default: error
        }
    }

    /// Creates the output folder and removes temporary checkpoint files a killed write left behind.
    private func prepareOutputFolder() throws(TrainingError) {
        guard let directory = configuration.outputDirectory else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .invalidConfiguration("cannot create output folder \(directory): \(error.localizedDescription)")
        }
        let stale = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix(".checkpoint.safetensors.tmp-") }
        for name in stale.sorted() {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                try FileManager.default.removeItem(atPath: path)
                reporter.note("removed \(path), left by an interrupted checkpoint write")
            } catch {
                throw .checkpoint("cannot remove the stale temporary file \(path): \(error.localizedDescription)")
            }
        }
    }

    /// The position to start from: the checkpoint's when resuming (after verifying and restoring it), else the start
    /// (and a fresh metrics log).
    /// The network evaluated after epochs and at the end: the objective's choice (e.g. an EMA copy of the weights,
    /// see ``TrainingObjective/evaluationModel(for:trainingData:)``), given the clean unlabelled (else labelled)
    /// training data for BatchNorm re-estimation.
    public var evaluatedModel: any MixableModel {
        objective.evaluationModel(for: model, trainingData: unlabelledSet ?? trainingSet)
    }

    private func resumePosition() throws(TrainingError) -> Position {
        let log = MetricsLog(path: metricsPath)
        guard configuration.resume, let path = checkpointPath, FileManager.default.fileExists(atPath: path) else {
            // A fresh run starts a fresh log (one line per epoch of this run), not an append to an old run's lines.
            try log.remove()
            return Position()
        }
        let checkpoint = try Checkpoint(contentsOf: path)
        guard checkpoint.seed == configuration.seed else {
            throw .checkpointMismatch(
                path: path, field: "seed", checkpoint: String(checkpoint.seed), run: String(configuration.seed))
        }
        try checkpoint.verify(matching: checkpointMetadata, path: path)
        guard checkpoint.epoch >= 0, checkpoint.stepInEpoch >= 0, checkpoint.globalStep >= 0,
            checkpoint.stepInEpoch <= stepsPerEpoch
        else {
            throw .checkpoint(
                "\(path) resumes at epoch \(checkpoint.epoch + 1), step \(checkpoint.stepInEpoch), but an epoch of this run "
                    + "has \(stepsPerEpoch) steps (was the batch size or the data changed?)")
        }
        if let tensor = TrainingLoop.firstNonFinite(
            checkpoint.tensors.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        {
            throw .nonFiniteCheckpoint(path: path, tensor: tensor)
        }
        if checkpoint.metadata["optimizer_state"] == nil {
            reporter.note(
                "\(path) does not list its optimizer state (written by an older version): loading the state it holds; "
                    + "any slot missing from it starts fresh")
        }
        try checkpoint.restore(model: model, optimizer: optimizer, objective: objective, path: path)
        try log.keepEpochs(through: checkpoint.epoch)
        reporter.note(
            "\(label.isEmpty ? "" : label + ": ")resuming from \(path) at epoch \(checkpoint.epoch + 1), step \(checkpoint.stepInEpoch)"
        )
        return Position(
            epoch: checkpoint.epoch, step: checkpoint.stepInEpoch, globalStep: checkpoint.globalStep,
            lastCheckpoint: path)
    }

    /// Writes the checkpoint for the position (epoch, step); returns its path, or `nil` without an output folder.
    ///
    /// - Throws: ``TrainingError/nonFiniteParameter(name:epoch:step:lastCheckpoint:)`` without writing anything when a
    ///   parameter is NaN or infinite, so a good checkpoint is never replaced by a poisoned one.
    @discardableResult
    public func saveCheckpoint(epoch: Int, step: Int, globalStep: Int) throws(TrainingError) -> String? {
        guard let path = checkpointPath else { return nil }
        if let name = TrainingLoop.firstNonFinite(model.namedParameters().map { ($0.name, $0.parameter.value) }) {
            let kept = FileManager.default.fileExists(atPath: path) ? path : nil
            throw .nonFiniteParameter(name: name, epoch: epoch, step: step, lastCheckpoint: kept)
        }
        let checkpoint = Checkpoint(
            model: model, optimizer: optimizer, objective: objective, epoch: epoch, stepInEpoch: step,
            globalStep: globalStep, seed: configuration.seed, metadata: checkpointMetadata)
        try checkpoint.write(to: path)
        return path
    }
}

/// The outcome of a training run.
public struct TrainingResult: Sendable {
    /// One report per epoch run in this call.
    public let reports: [EpochReport]
    /// The final test evaluation, when a classification test set was given.
    public let test: Evaluation?
    /// Wall-clock seconds of this call.
    public let seconds: Double
    /// Optimizer steps taken in total (including before a resume).
    public let steps: Int
    /// The final test evaluation, when a regression test set (``Dataset/isRegression``) was given.
    public var regressionTest: RegressionEvaluation? = nil
}
