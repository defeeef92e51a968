import MixupTensor

/// The targets of a mixed batch, in both forms losses need.
///
/// `soft` is `Σₛ wₛ ⊙ targetsₛ` row by row over the plan's sources — `weights ⊙ original + (1 − weights) ⊙ partner`
/// for a two-sample mix (for losses linear in the target, such as cross-entropy against soft targets). The per-source
/// form (``sources``, ``sourceWeights``; for two samples also ``original``, ``partner`` and ``weights``) serves losses
/// that are not: loss = Σₛ wₛ·L(targetsₛ). None carries gradients.
public struct MixedTargets {
    /// `[batch, classes]` mixed targets; rows sum to 1 when the labels do.
    public let soft: Tensor
    /// `[batch, classes]` targets of every source of the mix, the original samples first.
    public let sources: [Tensor]
    /// `[sources][batch]` realised weight of every source; each sample's weights sum to 1.
    public let sourceWeights: [[Float]]

    /// `[batch, classes]` targets of the original samples.
    public var original: Tensor { sources[0] }
    /// `[batch, classes]` targets of the (first) partners; the original's when nothing was mixed in.
    public var partner: Tensor { sources.count > 1 ? sources[1] : sources[0] }
    /// `[batch]` realised weight of each original sample.
    public var weights: [Float] { sourceWeights[0] }

    /// Creates two-sample targets; `soft` is computed from the other three.
    ///
    /// - Precondition: `original` and `partner` have the same `[batch, classes]` shape and `weights.count == batch`.
    ///   Use ``init(sources:weights:)`` for a throwing check.
    public init(original: Tensor, partner: Tensor, weights: [Float]) {
        precondition(
            original.rank == 2 && original.shape == partner.shape && weights.count == original.shape[0],
            "MixedTargets: original \(original.shape), partner \(partner.shape) and \(weights.count) weights disagree")
        self.init(validated: [original, partner], weights: [weights, weights.map { 1 - $0 }])
    }

    /// Creates targets mixed from any number of sources (k-partner mixes); `soft` is `Σₛ weights[s] ⊙ sources[s]`.
    ///
    /// - Parameters:
    ///   - sources: `[batch, classes]` targets per source, the original samples first.
    ///   - weights: `[sources][batch]` realised weights; each sample's should sum to 1.
    /// - Throws: ``MixingError/shapeMismatch(what:shape:expected:)`` if shapes or counts disagree.
    public init(sources: [Tensor], weights: [[Float]]) throws(MixingError) {
        guard let first = sources.first, first.rank == 2 else {
            throw .shapeMismatch(
                what: "the first source's targets", shape: sources.first?.shape ?? [], expected: "[batch, classes]")
        }
        for source in sources where source.shape != first.shape {
            throw .shapeMismatch(what: "a source's targets", shape: source.shape, expected: "\(first.shape)")
        }
        guard weights.count == sources.count, weights.allSatisfy({ $0.count == first.shape[0] }) else {
            throw .shapeMismatch(
                what: "the source weights", shape: [weights.count, weights.first?.count ?? 0],
                expected: "[\(sources.count), \(first.shape[0])] (one weight per source and sample)")
        }
        self.init(validated: sources, weights: weights)
    }

    private init(validated sources: [Tensor], weights: [[Float]]) {
        let plain = sources.map { $0.detached() }
        self.sources = plain
        self.sourceWeights = weights
        self.soft = withoutGradients {
            var total = plain[0] * Tensor(shape: [weights[0].count, 1], scalars: weights[0])
            for s in 1..<plain.count {
                total = total + plain[s] * Tensor(shape: [weights[s].count, 1], scalars: weights[s])
            }
            return total
        }
    }

    /// Unmixed targets (weight 1, partner = original).
    public init(unmixed labels: Tensor) {
        self.init(original: labels, partner: labels, weights: Array(repeating: 1, count: labels.shape[0]))
    }

    /// The targets of several batches one after the other (e.g. a clean batch and its mixed copy). Parts with fewer
    /// sources are padded with their original targets at weight 0, so every part keeps its soft targets.
    ///
    /// - Throws: ``MixingError/shapeMismatch(what:shape:expected:)`` if the parts have different class counts, or
    ///   ``MixingError/emptyBatch`` for no parts.
    public static func concatenating(_ parts: [MixedTargets]) throws(MixingError) -> MixedTargets {
        guard let first = parts.first else { throw .emptyBatch }
        let classes = first.soft.shape[1]
        for part in parts where part.soft.shape[1] != classes {
            throw .shapeMismatch(what: "the targets of a part", shape: part.soft.shape, expected: "[batch, \(classes)]")
        }
        let count = parts.map(\.sources.count).max() ?? 1
        var sources: [Tensor] = []
        var weights: [[Float]] = []
        for s in 0..<count {
            sources.append(Tensor.concatenate(parts.map { s < $0.sources.count ? $0.sources[s] : $0.sources[0] }))
            weights.append(
                parts.flatMap {
                    s < $0.sources.count ? $0.sourceWeights[s] : [Float](repeating: 0, count: $0.sourceWeights[0].count)
                })
        }
        return MixedTargets(validated: sources, weights: weights)
    }

    /// The targets of the samples in `range` (e.g. the labelled part of a concatenated labelled + unlabelled batch).
    public func slice(_ range: Range<Int>) -> MixedTargets {
        MixedTargets(validated: sources.map { $0.slice(range) }, weights: sourceWeights.map { Array($0[range]) })
    }

    /// The weighted combination of a per-sample loss evaluated on every source's targets:
    /// mean over i of Σₛ wₛ,ᵢ·L(targetsₛ)ᵢ (w_i·L(original)_i + (1 − w_i)·L(partner)_i for two samples).
    ///
    /// - Parameter perSampleLoss: maps `[batch, classes]` targets to `[batch]` losses.
    public func weightedLoss(_ perSampleLoss: (Tensor) -> Tensor) -> Tensor {
        var total = perSampleLoss(sources[0]) * Tensor(shape: [sourceWeights[0].count], scalars: sourceWeights[0])
        for s in 1..<sources.count {
            total =
                total + perSampleLoss(sources[s]) * Tensor(shape: [sourceWeights[s].count], scalars: sourceWeights[s])
        }
        return total.mean()
    }
}
