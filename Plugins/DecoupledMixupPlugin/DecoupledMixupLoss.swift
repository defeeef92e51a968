import MixupMixing
import MixupTensor

/// The decoupled mixup loss (Liu, Wang, Li, Wu, Tan & Li, NeurIPS 2023, "Harnessing Hard Mixed Samples with Decoupled
/// Regularizer"): the soft mixup cross-entropy plus η times, for every class mixed into a sample, the cross-entropy of
/// that class over the classes with the *other* mixed classes removed —
/// L = −Σ_c t_c·log softmax(z)_c + η·Σₛ −log( e^{z_{yₛ}} / Σ_{c ∉ others(s)} e^{z_c} ).
///
/// Removing the competing mixed class lets the network be confident in both classes of a hard mixed sample instead of
/// splitting its probability between them by λ. Works with every mixer and any number of sources: the terms of a mixed
/// sample run over its distinct target rows (classes) with a positive realised weight — two samples of one class give
/// one term — and the "other classes" of a term are the dominant classes (argmax of the row) of the other rows. An
/// unmixed sample has one term, its ordinary cross-entropy. Soft targets (e.g. smoothed) lose their mass on the removed classes and are
/// renormalised. No gradient flows into targets.
public struct DecoupledMixupLoss: MixingLoss {
    /// The weight η of the decoupled terms (the paper's default 0.1).
    public let eta: Float

    /// Creates the loss.
    ///
    /// - Throws: ``MixingError/invalidParameter(name:value:requirement:)`` naming η if it is negative or not finite.
    public init(eta: Float = 0.1) throws(MixingError) {
        guard eta >= 0 && eta.isFinite else {
            throw .invalidParameter(
                name: "the decoupled mixup loss weight η", value: "\(eta)", requirement: "be non-negative and finite")
        }
        self.eta = eta
    }

    public var name: String { "decoupled(\(eta))" }

    /// A logit offset that removes a class from a softmax: e^{z − 10⁹} is 0 in `Float`.
    static let removed: Float = -1e9

    public func loss(logits: Tensor, targets: MixedTargets) throws(MixingError) -> Tensor {
        let soft = try SoftTargetCrossEntropy().loss(logits: logits, targets: targets)
        guard eta > 0 else { return soft }
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        let dominant = targets.sources.map { $0.argmax(alongAxis: 1) }
        let rows = targets.sources.map(\.scalars)
        var total: Tensor? = nil
        for s in targets.sources.indices {
            var offsets = [Float](repeating: 0, count: batch * classes)
            var kept = [Float](repeating: 0, count: batch * classes)
            var counted = false
            for i in 0..<batch where contributes(s, i, targets) {
                counted = true
                let own = dominant[s][i]
                for other in targets.sources.indices where other != s && contributes(other, i, targets) {
                    let theirs = dominant[other][i]
                    if theirs != own { offsets[i * classes + theirs] = Self.removed }
                }
                var mass: Float = 0
                for c in 0..<classes where offsets[i * classes + c] == 0 { mass += rows[s][i * classes + c] }
                guard mass > 0 else { continue }
                for c in 0..<classes where offsets[i * classes + c] == 0 {
                    kept[i * classes + c] = rows[s][i * classes + c] / mass
                }
            }
            guard counted else { continue }
            let logProbabilities = (logits + Tensor(shape: [batch, classes], scalars: offsets)).logSoftmax()
            let term = -(logProbabilities * Tensor(shape: [batch, classes], scalars: kept)).sum()
            total = total.map { $0 + term } ?? term
        }
        guard let total else { return soft }
        return soft + total.scaled(by: eta / Float(batch))
    }

    /// Whether source `s` contributes a term to sample `i`: a positive realised weight, and no earlier contributing
    /// source brings the same target row (a class mixed in twice counts once).
    private func contributes(_ s: Int, _ i: Int, _ targets: MixedTargets) -> Bool {
        guard targets.sourceWeights[s][i] > 0 else { return false }
        return !(0..<s).contains { targets.sourceWeights[$0][i] > 0 && sameRow($0, s, i, targets) }
    }

    private func sameRow(_ a: Int, _ b: Int, _ i: Int, _ targets: MixedTargets) -> Bool {
        let classes = targets.sources[a].shape[1]
        let range = (i * classes)..<((i + 1) * classes)
        return targets.sources[a].scalars[range] == targets.sources[b].scalars[range]
    }
}

extension MixingLoss where Self == DecoupledMixupLoss {
    /// The decoupled mixup loss with weight η (default 0.1).
    ///
    /// - Throws: ``MixingError`` naming η if it is negative.
    public static func decoupled(eta: Float = 0.1) throws(MixingError) -> DecoupledMixupLoss {
        try DecoupledMixupLoss(eta: eta)
    }
}

extension Regularizer {
    /// The same regularizer trained with the decoupled mixup loss (Liu et al., NeurIPS 2023), named `<name>-dm`:
    /// `try .cutMix(alpha: 1).decoupled()`.
    ///
    /// - Throws: ``MixingError`` naming η if it is negative.
    public func decoupled(eta: Float = 0.1) throws(MixingError) -> Regularizer {
        var copy = withLoss(try DecoupledMixupLoss(eta: eta))
        copy.name = "\(name)-dm"
        return copy
    }
}
