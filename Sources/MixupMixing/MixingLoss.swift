import MixupNN
import MixupTensor

/// A training loss of a network's outputs against the targets of a (mixed) batch, for mixing methods whose loss is not
/// the soft-target cross-entropy — e.g. the decoupled mixup loss (Liu et al., NeurIPS 2023). Set it on a
/// ``Regularizer`` (``Regularizer/withLoss(_:)``); every supervised objective then minimises it in place of its own
/// loss, with any mixing strategy.
///
/// Conform in your own package with only the public API.
public protocol MixingLoss: Sendable {
    /// A short name for logs, e.g. `"decoupled(0.1)"`.
    var name: String { get }

    /// The mean loss over the batch of `logits` (`[batch, classes]`) against `targets` (the same batch).
    ///
    /// Use ``MixedTargets/soft`` for losses linear in the target, or ``MixedTargets/sources`` and
    /// ``MixedTargets/sourceWeights`` (the realised weight of every source) for the others. The result must be a
    /// one-element tensor differentiable with respect to `logits`.
    ///
    /// - Throws: ``MixingError/shapeMismatch(what:shape:expected:)`` when the shapes disagree.
    func loss(logits: Tensor, targets: MixedTargets) throws(MixingError) -> Tensor
}

/// The soft-target softmax cross-entropy, −mean Σ t·log softmax(z) — what supervised objectives minimise by default.
public struct SoftTargetCrossEntropy: MixingLoss {
    /// Creates the loss.
    public init() {}

    public var name: String { "cross-entropy" }

    public func loss(logits: Tensor, targets: MixedTargets) throws(MixingError) -> Tensor {
        guard logits.rank == 2, logits.shape == targets.soft.shape, logits.shape[0] > 0 else {
            throw .shapeMismatch(
                what: "the logits", shape: logits.shape, expected: "\(targets.soft.shape) (the targets' shape)")
        }
        return softmaxCrossEntropy(logits: logits, softTargets: targets.soft)
    }
}
