import Foundation
import MixupTensor

/// Mean softmax cross-entropy between `logits` `[batch, classes]` and soft targets `[batch, classes]` (rows of
/// probabilities, e.g. mixed one-hot labels): −mean over the batch of Σ target · log softmax(logits).
///
/// This is linear in the target, so a Mixup loss with mixed targets equals the λ-weighted sum of the two losses.
/// Targets carry no gradient.
public func softmaxCrossEntropy(logits: Tensor, softTargets: Tensor) -> Tensor {
    precondition(
        logits.rank == 2 && logits.shape == softTargets.shape,
        "softmaxCrossEntropy: logits \(logits.shape) and targets \(softTargets.shape) must both be [batch, classes]")
    precondition(logits.shape[0] > 0, "softmaxCrossEntropy: empty batch")
    return -(logits.logSoftmax() * softTargets.detached()).sum().scaled(by: 1 / Float(logits.shape[0]))
}

/// Mean softmax cross-entropy between `logits` `[batch, classes]` and integer class `labels` (`batch` of them).
public func softmaxCrossEntropy(logits: Tensor, labels: [Int]) -> Tensor {
    precondition(logits.rank == 2, "softmaxCrossEntropy: logits must be [batch, classes], got \(logits.shape)")
    precondition(
        labels.count == logits.shape[0], "softmaxCrossEntropy: \(labels.count) labels for logits \(logits.shape)")
    return softmaxCrossEntropy(logits: logits, softTargets: .oneHot(labels, classCount: logits.shape[1]))
}

/// Mean binary cross-entropy between `probabilities` and `targets` of the same shape (both in [0, 1]):
/// −mean(t·log p + (1 − t)·log(1 − p)). Probabilities are clamped to [1e-7, 1 − 1e-7] for stability.
///
/// The Manifold Mixup paper trains with this loss on sigmoid outputs against mixed one-hot targets.
public func binaryCrossEntropy(probabilities: Tensor, targets: Tensor) -> Tensor {
    precondition(
        probabilities.shape == targets.shape,
        "binaryCrossEntropy: probabilities \(probabilities.shape) and targets \(targets.shape) differ")
    let p = probabilities.clamped(to: 1e-7, 1 - 1e-7)
    let t = targets.detached()
    return -(t * p.log() + (1 - t) * (1 - p).log()).mean()
}

/// Mean squared error between two tensors of the same shape (the mean over every element).
public func meanSquaredError(predictions: Tensor, targets: Tensor) -> Tensor {
    precondition(
        predictions.shape == targets.shape,
        "meanSquaredError: predictions \(predictions.shape) and targets \(targets.shape) differ")
    return (predictions - targets.detached()).squared().mean()
}

/// KL divergence KL(targets ‖ softmax(logits)) averaged over the batch: Σ t·(log t − log softmax(logits)), with
/// 0·log 0 taken as 0. Shapes `[batch, classes]`; targets carry no gradient.
public func klDivergence(logits: Tensor, targetProbabilities: Tensor) -> Tensor {
    precondition(
        logits.rank == 2 && logits.shape == targetProbabilities.shape,
        "klDivergence: logits \(logits.shape) and targets \(targetProbabilities.shape) must both be [batch, classes]")
    let t = targetProbabilities.detached()
    let logT = Tensor(shape: t.shape, scalars: t.scalars.map { $0 > 0 ? Foundation.log($0) : 0 })
    return (t * (logT - logits.logSoftmax())).sum().scaled(by: 1 / Float(logits.shape[0]))
}
