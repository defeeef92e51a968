import MixupTensor
import MixupTraining

/// Distribution alignment of label guesses (Berthelot et al., ICLR 2020, "ReMixMatch", §3.2): each guess q is
/// replaced by Normalize(q × p(y) / p̃(y)), where p(y) is the class marginal of the labelled data and p̃(y) a running
/// average of the model's guesses on unlabelled batches. A model that drifts towards predicting one class too often
/// (e.g. absorbing part of a neighbouring cluster into it) gets guesses pushed back towards the labelled marginal.
///
/// p̃ is an exponential moving average with ``momentum`` (0.99 ≈ the last 100 batches, close to the paper's window of
/// 128), started at p(y); it is updated with the batch's mean guess *before* that batch is aligned. It is training
/// state: checkpoint it with ``checkpointTensors()`` so that a resumed run equals an uninterrupted one.
public final class DistributionAlignment {
    /// p(y), the class marginal the guesses are aligned to: positive, summing to 1.
    public let targetMarginal: [Float]
    /// The weight of the running average's old value in each update, in [0, 1).
    public let momentum: Float
    /// p̃(y), the running average of the guesses seen so far (``targetMarginal`` before the first batch).
    public private(set) var runningMarginal: [Float]

    /// The checkpoint name of ``runningMarginal``.
    static let checkpointName = "distribution_alignment.running_marginal"

    /// Creates an alignment towards `targetMarginal`.
    ///
    /// - Parameters:
    ///   - targetMarginal: p(y), one positive entry per class (normalised here).
    ///   - momentum: the running average's decay, in [0, 1).
    /// - Throws: `TrainingError.invalidConfiguration(_:)` naming the value, for an empty or non-positive marginal or a
    ///   momentum outside [0, 1).
    public init(targetMarginal: [Float], momentum: Float = 0.99) throws(TrainingError) {
        guard !targetMarginal.isEmpty, targetMarginal.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw .invalidConfiguration(
                "distribution alignment needs a positive, finite class marginal, got \(targetMarginal)")
        }
        guard momentum >= 0 && momentum < 1 else {
            throw .invalidConfiguration("distribution alignment momentum must be in [0, 1), got \(momentum)")
        }
        let total = targetMarginal.reduce(0, +)
        self.targetMarginal = targetMarginal.map { $0 / total }
        self.momentum = momentum
        self.runningMarginal = self.targetMarginal
    }

    /// An alignment towards the uniform marginal over `classCount` classes (balanced labelled data).
    ///
    /// - Throws: `TrainingError.invalidConfiguration(_:)` for fewer than one class or a bad momentum.
    public convenience init(uniformOver classCount: Int, momentum: Float = 0.99) throws(TrainingError) {
        guard classCount >= 1 else {
            throw .invalidConfiguration("distribution alignment needs at least one class, got \(classCount)")
        }
        try self.init(targetMarginal: Array(repeating: 1, count: classCount), momentum: momentum)
    }

    /// Updates the running marginal with the mean of `guesses` and returns the aligned guesses.
    ///
    /// - Parameter guesses: `[batch, classes]` probability rows (no gradients are kept).
    /// - Returns: `[batch, classes]`, each row q × p(y) / p̃(y) normalised to sum to 1.
    /// - Throws: `TrainingError.invalidConfiguration(_:)` if the class count is not the marginal's.
    public func align(_ guesses: Tensor) throws(TrainingError) -> Tensor {
        let classes = targetMarginal.count
        guard guesses.rank == 2, guesses.shape[1] == classes else {
            throw .invalidConfiguration(
                "distribution alignment over \(classes) classes got guesses of shape \(guesses.shape)")
        }
        let rows = guesses.shape[0]
        guard rows > 0 else { return guesses.detached() }
        let values = guesses.scalars
        var batchMean = [Float](repeating: 0, count: classes)
        for row in 0..<rows {
            for c in 0..<classes { batchMean[c] += values[row * classes + c] }
        }
        for c in 0..<classes {
            runningMarginal[c] = momentum * runningMarginal[c] + (1 - momentum) * batchMean[c] / Float(rows)
        }
        let ratio = (0..<classes).map { targetMarginal[$0] / max(runningMarginal[$0], 1e-12) }
        var aligned = [Float](repeating: 0, count: values.count)
        for row in 0..<rows {
            var total: Float = 0
            for c in 0..<classes {
                let value = values[row * classes + c] * ratio[c]
                aligned[row * classes + c] = value
                total += value
            }
            let scale = total > 0 ? 1 / total : 0
            for c in 0..<classes { aligned[row * classes + c] *= scale }
        }
        return Tensor(shape: guesses.shape, scalars: aligned)
    }

    /// The running marginal as a checkpoint tensor.
    public func checkpointTensors() -> [String: Tensor] {
        [Self.checkpointName: Tensor(runningMarginal)]
    }

    /// Restores the running marginal from ``checkpointTensors()``; a checkpoint without it (written by a run without
    /// alignment) leaves the state unchanged.
    ///
    /// - Throws: `TrainingError.invalidConfiguration(_:)` if the saved marginal has the wrong length or a value that
    ///   is not a finite probability; nothing changes then.
    public func restore(_ tensors: [String: Tensor]) throws(TrainingError) {
        guard let saved = tensors[Self.checkpointName] else { return }
        guard saved.count == targetMarginal.count, saved.scalars.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw .invalidConfiguration(
                "checkpointed distribution-alignment marginal has shape \(saved.shape) and values \(saved.scalars); "
                    + "expected \(targetMarginal.count) finite probabilities")
        }
        runningMarginal = saved.scalars
    }
}
