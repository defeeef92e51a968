import MixupTensor

/// The targets of a mixed batch, in both forms losses need.
///
/// `soft` is `weights ⊙ original + (1 − weights) ⊙ partner` row by row (for losses linear in the target, such as
/// cross-entropy against soft targets); `original`, `partner` and `weights` are the two-label-plus-weight form for
/// losses that are not (loss = w·L(original) + (1 − w)·L(partner)). None carries gradients.
public struct MixedTargets {
    /// `[batch, classes]` mixed targets; rows sum to 1 when the labels do.
    public let soft: Tensor
    /// `[batch, classes]` targets of the original samples.
    public let original: Tensor
    /// `[batch, classes]` targets of the partners.
    public let partner: Tensor
    /// `[batch]` realised weight of each original sample.
    public let weights: [Float]

    /// Creates targets; `soft` is computed from the other three.
    ///
    /// - Precondition: `original` and `partner` have the same `[batch, classes]` shape and `weights.count == batch`.
    public init(original: Tensor, partner: Tensor, weights: [Float]) {
        precondition(
            original.rank == 2 && original.shape == partner.shape && weights.count == original.shape[0],
            "MixedTargets: original \(original.shape), partner \(partner.shape) and \(weights.count) weights disagree")
        let w = Tensor(shape: [weights.count, 1], scalars: weights)
        self.original = original.detached()
        self.partner = partner.detached()
        self.weights = weights
        self.soft = withoutGradients { original * w + partner * (1 - w) }
    }

    /// Unmixed targets (weight 1, partner = original).
    public init(unmixed labels: Tensor) {
        self.init(original: labels, partner: labels, weights: Array(repeating: 1, count: labels.shape[0]))
    }

    /// The targets of the samples in `range` (e.g. the labelled part of a concatenated labelled + unlabelled batch).
    public func slice(_ range: Range<Int>) -> MixedTargets {
        MixedTargets(original: original.slice(range), partner: partner.slice(range), weights: Array(weights[range]))
    }

    /// The λ-weighted combination of a per-sample loss evaluated on both label sets:
    /// mean over i of w_i·L(original)_i + (1 − w_i)·L(partner)_i.
    ///
    /// - Parameter perSampleLoss: maps `[batch, classes]` targets to `[batch]` losses.
    public func weightedLoss(_ perSampleLoss: (Tensor) -> Tensor) -> Tensor {
        let w = Tensor(shape: [weights.count], scalars: weights)
        return (perSampleLoss(original) * w + perSampleLoss(partner) * (1 - w)).mean()
    }
}
