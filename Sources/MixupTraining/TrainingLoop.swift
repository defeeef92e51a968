import Foundation
import MixupData
import MixupMixing
import MixupNN
@_spi(MixupEngine) import MixupTensor

/// The training loop proper: which samples each step sees, and one optimizer step at a time. It writes nothing and
/// knows nothing of checkpoints, metrics or signals — ``Trainer`` drives it and owns those.
///
/// Every random draw of step *s* in epoch *e* comes from a generator seeded by (seed, e, s), so any step can be taken
/// in isolation and a resumed run takes exactly the steps of an uninterrupted one.
///
/// ```swift
/// let loop = try TrainingLoop(model: model, objective: objective, optimizer: optimizer, schedule: schedule,
///                             trainingSet: train, configuration: TrainerConfiguration(epochs: 2, batchSize: 32))
/// var globalStep = 0
/// for step in 0..<loop.stepsPerEpoch {
///     let outcome = try loop.step(epoch: 0, step: step, globalStep: globalStep)
///     globalStep += 1
///     print(outcome.loss)
/// }
/// ```
public final class TrainingLoop {
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
    /// Run settings (batch sizes, seed, augmentation, epochs).
    public let configuration: TrainerConfiguration
    /// Extension points called by ``step(epoch:step:globalStep:)``.
    public var hooks = TrainingHooks()
    /// Optimizer steps in one epoch: a pass over the labelled set, or — when there is unlabelled data, typically far
    /// larger — a pass over the unlabelled set, with labelled batches cycling through reshuffled passes.
    public let stepsPerEpoch: Int
    /// Optimizer steps of the whole run (``stepsPerEpoch`` × epochs): the length the learning-rate schedule spans.
    /// Derived once, here; ``TrainerConfiguration/maximumSteps`` stops a run early without changing it.
    public let totalSteps: Int
    /// Unlabelled samples per step.
    public var unlabelledBatchSize: Int { configuration.unlabelledBatchSize ?? configuration.batchSize }

    /// The index plan of the epoch whose steps are being taken (computed once per epoch).
    private var plan: (epoch: Int, labelled: [[Int]], unlabelledOrder: [Int]?)?

    /// Creates the loop, checking the configuration, the data and every derived size.
    ///
    /// - Throws: ``TrainingError`` for an unusable configuration, data of the wrong shape, a size that overflows, or a
    ///   batch whose inputs would exceed ``TrainerConfiguration/maximumBatchBytes``.
    public init(
        model: any MixableModel, objective: any TrainingObjective, optimizer: any Optimizer,
        schedule: any LearningRateSchedule, trainingSet: Dataset, unlabelledSet: Dataset? = nil,
        configuration: TrainerConfiguration
    ) throws(TrainingError) {
        try configuration.validate()
        guard trainingSet.isLabelled || trainingSet.isRegression, trainingSet.count > 0 else {
            throw .invalidConfiguration(
                "the training set \(trainingSet.name) must be labelled (or have regression targets) and non-empty")
        }
        if let unlabelledSet, unlabelledSet.count == 0 {
            throw .invalidConfiguration("the unlabelled set \(unlabelledSet.name) is empty")
        }
        let steps = Self.stepsPerEpoch(
            trainingCount: trainingSet.count, unlabelledCount: unlabelledSet?.count, configuration: configuration)
        guard steps > 0 else {
            throw .invalidConfiguration(
                "batch size \(configuration.batchSize) with dropLastBatch leaves no batch from \(trainingSet.count) samples"
            )
        }
        let (total, overflow) = steps.multipliedReportingOverflow(by: configuration.epochs)
        guard !overflow else {
            throw .sizeOverflow(
                quantity: "the run's total steps (steps per epoch × epochs)", operands: [steps, configuration.epochs])
        }
        self.model = model
        self.objective = objective
        self.optimizer = optimizer
        self.schedule = schedule
        self.trainingSet = trainingSet
        self.unlabelledSet = unlabelledSet
        self.configuration = configuration
        self.stepsPerEpoch = steps
        self.totalSteps = total
        try checkBatchMemory()
    }

    /// Steps per epoch for `configuration` over the given sample counts, without overflowing for any batch size.
    static func stepsPerEpoch(trainingCount: Int, unlabelledCount: Int?, configuration: TrainerConfiguration) -> Int {
        let (n, b) =
            unlabelledCount.map { ($0, configuration.unlabelledBatchSize ?? configuration.batchSize) }
            ?? (trainingCount, configuration.batchSize)
        return n / b + (configuration.dropLastBatch || n % b == 0 ? 0 : 1)
    }

    /// Refuses a batch whose input tensors alone would take more than the allowed memory, before allocating it.
    private func checkBatchMemory() throws(TrainingError) {
        // Supervised batches never exceed the training set; semi-supervised labelled batches are always full.
        let labelled = unlabelledSet == nil ? min(configuration.batchSize, trainingSet.count) : configuration.batchSize
        let unlabelled = unlabelledSet == nil ? 0 : unlabelledBatchSize
        let limit =
            configuration.maximumBatchBytes ?? Int(clamping: ProcessInfo.processInfo.physicalMemory / 2)
        func product(_ values: [Int]) -> Int? {
            var result = 1
            for value in values {
                let (next, overflow) = result.multipliedReportingOverflow(by: value)
                if overflow { return nil }
                result = next
            }
            return result
        }
        let sampleBytes = product([trainingSet.sampleSize, MemoryLayout<Float>.size]) ?? Int.max
        let samples = labelled.addingReportingOverflow(unlabelled)
        let estimate = samples.overflow ? nil : product([samples.partialValue, sampleBytes])
        // Semi-supervised epochs also hold the labelled index order of every step.
        let indexBytes = unlabelledSet == nil ? 0 : product([stepsPerEpoch, configuration.batchSize, 8])
        guard let estimate, let indexBytes, estimate <= limit - min(limit, indexBytes) else {
            throw .batchTooLarge(
                estimatedBytes: estimate.map { $0 &+ (indexBytes ?? 0) } ?? Int.max, limitBytes: limit,
                batchSize: configuration.batchSize, sampleShape: trainingSet.sampleShape)
        }
    }

    /// The labelled index batches of `epoch`.
    public func labelledBatches(epoch: Int) -> [[Int]] {
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
        order.reserveCapacity(needed)
        while order.count < needed { order += generator.nextPermutation(trainingSet.count) }
        return (0..<stepsPerEpoch).map {
            Array(order[($0 * configuration.batchSize)..<(($0 + 1) * configuration.batchSize)])
        }
    }

    /// The plan of `epoch`, computed on first use and kept while the epoch's steps are taken.
    private func epochPlan(_ epoch: Int) -> (labelled: [[Int]], unlabelledOrder: [Int]?) {
        if let plan, plan.epoch == epoch { return (plan.labelled, plan.unlabelledOrder) }
        let unlabelledOrder = unlabelledSet.map { set in
            var generator = SeededGenerator(seed: Self.streamSeed(configuration.seed, epoch: epoch, step: -2))
            return generator.nextPermutation(set.count)
        }
        let fresh = (epoch: epoch, labelled: labelledBatches(epoch: epoch), unlabelledOrder: unlabelledOrder)
        plan = fresh
        return (fresh.labelled, fresh.unlabelledOrder)
    }

    /// A generator for one stream of the run, derived from the seed by SplitMix-style mixing.
    static func streamSeed(_ seed: UInt64, epoch: Int, step: Int) -> UInt64 {
        var generator = SeededGenerator(
            seed: seed ^ (UInt64(truncatingIfNeeded: epoch) &* 0x9E37_79B9_7F4A_7C15)
                ^ (UInt64(truncatingIfNeeded: step) &* 0xD1B5_4A32_D192_ED03))
        return generator.next()
    }

    /// The batch of step `step` of `epoch` (augmented), as the objective sees it.
    public func batch(epoch: Int, step: Int, globalStep: Int, using generator: inout SeededGenerator) -> TrainingBatch {
        let (batches, unlabelledOrder) = epochPlan(epoch)
        let indices = batches[step]
        var inputs = trainingSet.inputs(at: indices)
        var unlabelled: Tensor? = nil
        if let unlabelledSet, let order = unlabelledOrder {
            let size = unlabelledBatchSize
            let picked = (0..<size).map { order[(step * size + $0) % order.count] }
            unlabelled = unlabelledSet.inputs(at: picked)
        }
        if let augment = configuration.augmentation {
            inputs = augment(inputs, &generator)
            if let u = unlabelled { unlabelled = augment(u, &generator) }
        }
        if trainingSet.isRegression {
            return TrainingBatch(
                inputs: inputs, regressionTargets: trainingSet.targets(at: indices), unlabelled: unlabelled,
                epoch: epoch, stepInEpoch: step, globalStep: globalStep, totalSteps: totalSteps)
        }
        return TrainingBatch(
            inputs: inputs, labels: trainingSet.labels(at: indices), classCount: trainingSet.classCount,
            unlabelled: unlabelled, epoch: epoch, stepInEpoch: step, globalStep: globalStep, totalSteps: totalSteps)
    }

    /// Takes optimizer step `step` of `epoch` (`globalStep` steps were taken before it): draws and augments the batch,
    /// computes the loss, back-propagates, updates the parameters at the scheduled learning rate, and calls the hooks.
    ///
    /// - Precondition: `0 ≤ step < stepsPerEpoch`.
    /// - Throws: ``TrainingError/nonFiniteLoss(epoch:step:value:lastCheckpoint:)`` before updating anything when the
    ///   loss is NaN or infinite; ``TrainingError/nonFiniteParameter(name:epoch:step:lastCheckpoint:)`` when the update
    ///   made a parameter non-finite; the objective's error otherwise.
    public func step(epoch: Int, step: Int, globalStep: Int) throws(TrainingError) -> StepOutcome {
        var generator = SeededGenerator(
            seed: Self.streamSeed(configuration.seed, epoch: epoch, step: step))
        let batch = self.batch(epoch: epoch, step: step, globalStep: globalStep, using: &generator)
        for hook in hooks.batchStart { hook(batch) }
        optimizer.learningRate = schedule.learningRate(atStep: globalStep, totalSteps: totalSteps)
        var context = ForwardContext(isTraining: true, generator: generator.split())
        let result = try objective.loss(model: model, batch: batch, context: &context, using: &generator)
        for hook in hooks.mix { hook(batch, result.mixPoint) }
        let value = result.loss.scalar
        guard value.isFinite else {
            throw .nonFiniteLoss(epoch: epoch, step: step, value: value, lastCheckpoint: nil)
        }
        for hook in hooks.loss { hook(batch, value) }
        result.loss.backward()
        optimizer.step()
        optimizer.zeroGradients()
        // A finite loss does not prove finite gradients (an activation may map NaN inputs to numbers): check what
        // the update wrote before anything can be saved.
        if let name = firstNonFiniteParameter() {
            throw .nonFiniteParameter(name: name, epoch: epoch, step: step, lastCheckpoint: nil)
        }
        objective.didUpdate(model: model, globalStep: globalStep + 1)
        for hook in hooks.step { hook(globalStep + 1) }
        // Accuracy against the dominant class of each (possibly mixed) target: for unmixed batches, the label. A
        // regression batch has no classes (0 correct).
        var correct = 0
        if !trainingSet.isRegression {
            let predictions = result.logits.argmax(alongAxis: 1)
            let dominant = result.targets.soft.argmax(alongAxis: 1)
            correct = predictions.count == dominant.count ? zip(predictions, dominant).filter { $0 == $1 }.count : 0
        }
        return StepOutcome(
            loss: value, correct: correct, samples: batch.inputs.shape[0], metrics: result.metrics,
            learningRate: optimizer.learningRate)
    }

    /// The name of the first parameter holding a NaN or infinite value, or `nil` when all are finite.
    public func firstNonFiniteParameter() -> String? {
        Self.firstNonFinite(model.namedParameters().map { ($0.name, $0.parameter.value) })
    }

    /// The name of the first tensor holding a NaN or infinite value.
    static func firstNonFinite(_ tensors: [(String, Tensor)]) -> String? {
        tensors.first { !allFinite($0.1.scalars) }?.0
    }

    /// Whether every element is finite, checked on the compute threads for large arrays.
    static func allFinite(_ values: [Float]) -> Bool {
        let count = values.count
        let chunks = Parallel.chunkCount(count, costPerItem: 1)
        var finite = [Bool](repeating: true, count: chunks)
        values.withUnsafeBufferPointer { v in
            finite.withUnsafeMutableBufferPointer { f in
                let fp = f.baseAddress!
                Parallel.forEachChunk(count, chunks: chunks) { chunk, range in
                    // NaN and ±∞ are the values whose exponent bits are all ones; integer ops, so this vectorises.
                    var nonFinite: UInt32 = 0
                    for i in range { nonFinite |= (v[i].bitPattern & 0x7f80_0000) == 0x7f80_0000 ? 1 : 0 }
                    fp[chunk] = nonFinite == 0
                }
            }
        }
        return !finite.contains(false)
    }
}

/// What one optimizer step did.
public struct StepOutcome: Sendable, Equatable {
    /// The (finite) loss of the step.
    public let loss: Float
    /// Predictions that matched the dominant class of their target.
    public let correct: Int
    /// Labelled samples in the batch.
    public let samples: Int
    /// Objective-specific scalars (e.g. a consistency loss).
    public let metrics: [String: Double]
    /// The learning rate the step used.
    public let learningRate: Float
}
