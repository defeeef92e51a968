import MixupData
import MixupMixing
import MixupNN
import MixupTensor

/// Any objective (supervised or semi-supervised), with an exponential moving average of the trained weights kept,
/// checkpointed and evaluated in place of the final weights — the evaluation protocol of Mean Teacher, MixMatch and
/// most semi-supervised MNIST setups (decay 0.999).
///
/// The average is a ``Layer/copy()`` of the trained network made in ``prepare(model:)``; after every optimizer step
/// θ′ ← α·θ′ + (1 − α)·θ with α = min(1 − 1/(t + 1), decay), and BatchNorm buffers are copied from the network.
/// It is saved in checkpoints as `ema.<name>` next to the wrapped objective's tensors, so `--resume` continues it.
///
/// **BatchNorm statistics.** Copied running statistics were accumulated by the *trained* weights on augmented (noisy,
/// mixed) batches, not by the averaged weights. With `batchNormSamples > 0`, the statistics of the averaged network
/// are re-estimated before each evaluation on that many clean training samples (see
/// ``reestimateBatchNormStatistics(of:on:samples:batchSize:)``); 0 keeps the copied ones. The semi-supervised MNIST
/// recipes re-estimate on 10,000 unlabelled training images: it costs one forward pass over them per evaluation and
/// removes the mismatch between noisy training inputs and clean test inputs.
public final class EMAEvaluatedObjective: TrainingObjective {
    /// The objective that is trained.
    public let base: any TrainingObjective
    /// The EMA decay, in [0, 1].
    public let decay: Float
    /// Clean training samples for BatchNorm re-estimation before evaluation (0: keep the copied statistics).
    public let batchNormSamples: Int
    /// The averaged network, once ``prepare(model:)`` (or the first update) made it.
    public private(set) var average: (any MixableModel)?
    private var updatesSinceEstimation = -1

    /// Wraps `base`.
    ///
    /// - Throws: ``TrainingError/invalidConfiguration(_:)`` if `decay` is outside [0, 1] or `batchNormSamples` < 0,
    ///   naming the value.
    public init(wrapping base: any TrainingObjective, decay: Float = 0.999, batchNormSamples: Int = 0)
        throws(TrainingError)
    {
        guard decay >= 0 && decay <= 1 else {
            throw .invalidConfiguration("EMA evaluation decay must be in [0, 1], got \(decay)")
        }
        guard batchNormSamples >= 0 else {
            throw .invalidConfiguration("BatchNorm re-estimation samples must be non-negative, got \(batchNormSamples)")
        }
        self.base = base
        self.decay = decay
        self.batchNormSamples = batchNormSamples
    }

    public var name: String { base.name }
    public var evaluatedWeights: String { "ema-\(decay)" + (batchNormSamples > 0 ? "-bn\(batchNormSamples)" : "") }

    public func prepare(model: any MixableModel) throws(TrainingError) {
        try base.prepare(model: model)
        guard average == nil else { return }
        do {
            average = try model.copy()
        } catch {
            throw .invalidConfiguration("EMA evaluation cannot copy the model: \(error.description)")
        }
    }

    public func loss(
        model: any MixableModel, batch: TrainingBatch, context: inout ForwardContext,
        using generator: inout SeededGenerator
    ) throws(TrainingError) -> ObjectiveResult {
        try base.loss(model: model, batch: batch, context: &context, using: &generator)
    }

    public func didUpdate(model: any MixableModel, globalStep: Int) {
        base.didUpdate(model: model, globalStep: globalStep)
        guard let average else {
            self.average = try? model.copy()
            return
        }
        updateExponentialMovingAverage(average, toward: model, alpha: min(1 - 1 / Float(globalStep + 1), decay))
        updatesSinceEstimation = -1
    }

    /// The averaged network, with BatchNorm statistics re-estimated on `trainingData` when configured (once per
    /// step: evaluating twice without training in between re-estimates once). `model` itself before any average
    /// exists.
    public func evaluationModel(for model: any MixableModel, trainingData: Dataset) -> any MixableModel {
        guard let average else { return model }
        if batchNormSamples > 0 && updatesSinceEstimation < 0 {
            reestimateBatchNormStatistics(of: average, on: trainingData, samples: batchNormSamples)
            updatesSinceEstimation = 0
        }
        return average
    }

    public func checkpointTensors() -> [String: Tensor] {
        var result = base.checkpointTensors()
        if let average {
            for (name, parameter) in average.namedParameters() { result["ema.\(name)"] = parameter.value }
            for (name, buffer) in average.namedBuffers() { result["ema.\(name)"] = buffer.value }
        }
        return result
    }

    /// Restores the wrapped objective, then the average (checked in full first; a checkpoint without `ema.` tensors
    /// — written by a run without EMA evaluation — is an error naming the first missing one).
    public func restore(checkpointTensors tensors: [String: Tensor]) throws(TrainingError) {
        let baseTensors = tensors.filter { !$0.key.hasPrefix("ema.") }
        guard let average else {
            try base.restore(checkpointTensors: baseTensors)
            return
        }
        let slots = average.namedParameters() + average.namedBuffers().map { (name: $0.name, parameter: $0.buffer) }
        for (name, slot) in slots {
            guard let saved = tensors["ema.\(name)"], saved.shape == slot.value.shape else {
                throw .checkpoint("ema.\(name) (the EMA-evaluated weights) is missing or has the wrong shape")
            }
        }
        try base.restore(checkpointTensors: baseTensors)
        for (name, slot) in slots { slot.value = tensors["ema.\(name)"] ?? slot.value }
        updatesSinceEstimation = -1
    }
}
