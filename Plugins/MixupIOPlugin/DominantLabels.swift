import InputMixupPlugin
import MixupMixing
import MixupTensor

/// Hard targets for mixed inputs: every mixed sample takes the label of its source with the largest realised weight
/// (the original on a tie) — the label side of MixupIO, "mixup on the inputs only", as torch-uncertainty implements it
/// after Wang et al. (CVPR 2023, "On the Pitfall of Mixup for Uncertainty Calibration").
///
/// Works with any plan, k partners included. The returned targets weigh the dominant source 1 and the others 0, so
/// they are one-hot for one-hot labels and rows still sum to 1.
public struct DominantLabels: LabelMixer {
    /// Creates the mixer.
    public init() {}

    public var name: String { "dominant" }

    /// The index (into `plan.sources`) of the dominant source of every sample.
    public func dominantSources(of plan: MixPlan) -> [Int] {
        (0..<plan.batchSize).map { i in
            var best = 0
            for s in 1..<plan.sources.count where plan.sources[s].labelWeights[i] > plan.sources[best].labelWeights[i] {
                best = s
            }
            return best
        }
    }

    public func targets(for plan: MixPlan, labels: Tensor) throws(MixingError) -> MixedTargets {
        guard labels.rank == 2, labels.shape[0] == plan.batchSize else {
            throw .shapeMismatch(what: "labels", shape: labels.shape, expected: "[\(plan.batchSize), classes]")
        }
        let dominant = dominantSources(of: plan)
        let plain = labels.detached()
        return try MixedTargets(
            sources: plan.sources.map { plain.gathering(rows: $0.indices) },
            weights: plan.sources.indices.map { s in dominant.map { $0 == s ? 1 : 0 } })
    }
}

extension LabelMixer where Self == DominantLabels {
    /// The hard label of each mixed sample's dominant source.
    public static var dominant: DominantLabels { DominantLabels() }
}

extension Regularizer {
    /// MixupIO: input Mixup with λ ~ Beta(α, α) and the hard label of the dominant sample (λ > 0.5: the original's,
    /// otherwise the partner's), after Wang et al. (CVPR 2023) as in torch-uncertainty.
    ///
    /// - Throws: ``MixingError`` if α ≤ 0.
    public static func mixupIO(alpha: Double = 1) throws(MixingError) -> Regularizer {
        try Regularizer(
            name: "mixupio", strategy: InterpolationStrategy.mixup(alpha: alpha), labelMixer: DominantLabels())
    }
}
