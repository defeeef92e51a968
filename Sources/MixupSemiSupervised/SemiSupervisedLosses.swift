import MixupNN
import MixupTensor

/// Loss pieces shared by the semi-supervised objectives and consistency terms, for users' own objectives too.
public enum SemiSupervisedLosses {
    /// Per-sample softmax cross-entropy against soft targets (treated as constants): `[batch]`.
    ///
    /// - Precondition: `logits` and `targets` are `[batch, classes]` of the same shape.
    public static func crossEntropyPerSample(logits: Tensor, targets: Tensor) -> Tensor {
        precondition(logits.shape == targets.shape, "cross-entropy: logits \(logits.shape) vs targets \(targets.shape)")
        return -(logits.logSoftmax() * targets.detached()).sum(alongAxes: [1])
    }

    /// The consistency loss of Mean Teacher and ICT: squared error between softmax(logits) and target probabilities
    /// (constants), summed over classes and averaged over the batch.
    ///
    /// - Precondition: same `[batch, classes]` shapes.
    public static func probabilityMSE(logits: Tensor, targets: Tensor) -> Tensor {
        precondition(logits.shape == targets.shape, "consistency: logits \(logits.shape) vs targets \(targets.shape)")
        let batch = Float(max(logits.shape[0], 1))
        return (logits.softmax() - targets.detached()).squared().sum().scaled(by: 1 / batch)
    }

    /// MixMatch's L_U: squared error between softmax(logits) and target probabilities (constants), averaged over
    /// batch × classes (Berthelot et al. 2019, 1/(L·|U′|) Σ ‖q − p‖²) — `probabilityMSE` divided by the class count.
    public static func probabilityMeanSquaredError(logits: Tensor, targets: Tensor) -> Tensor {
        precondition(logits.shape == targets.shape, "consistency: logits \(logits.shape) vs targets \(targets.shape)")
        return meanSquaredError(predictions: logits.softmax(), targets: targets.detached())
    }

    /// KL(p ‖ softmax(logits)) averaged over the batch, with `p` `[batch, classes]` probabilities treated as
    /// constants: VAT's divergence (Miyato et al. 2018). Rows of `p` with zeros contribute nothing there.
    public static func klDivergence(from probabilities: Tensor, toLogits logits: Tensor) -> Tensor {
        precondition(
            probabilities.shape == logits.shape, "KL: probabilities \(probabilities.shape) vs logits \(logits.shape)")
        let p = probabilities.detached()
        let logP = p.clamped(to: 1e-12, 1).log()
        let batch = Float(max(logits.shape[0], 1))
        return (p * (logP - logits.logSoftmax())).sum().scaled(by: 1 / batch)
    }

    /// The entropy of softmax(logits), −Σ p log p, averaged over the batch: the entropy-minimisation term
    /// (Grandvalet & Bengio 2005), differentiable through `logits`.
    public static func entropy(logits: Tensor) -> Tensor {
        let logP = logits.logSoftmax()
        let batch = Float(max(logits.shape[0], 1))
        return -(logP.exp() * logP).sum().scaled(by: 1 / batch)
    }
}
