import Foundation
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

    /// KL(p̄ ‖ π) = Σ_c p̄_c (log p̄_c − log π_c), with p̄ the batch mean of softmax(logits): how far the average
    /// prediction is from the class distribution π (`prior`, positive, summing to 1); differentiable through `logits`.
    /// With a uniform π it is log C − H(p̄). A 1e-8 shift inside the logarithm keeps it, and its gradient (which
    /// pushes an emptied class back), finite when a class vanishes from the predictions.
    ///
    /// - Precondition: `logits` is `[batch, classes]` with batch > 0 and `prior.count == classes`.
    public static func classBalance(logits: Tensor, prior: [Float]) -> Tensor {
        precondition(logits.rank == 2 && logits.shape[0] > 0, "class balance: logits \(logits.shape)")
        precondition(prior.count == logits.shape[1], "class balance: \(prior.count) prior classes, \(logits.shape)")
        let logPrior = Tensor(shape: [prior.count], scalars: prior.map { Foundation.log($0) })
        let mean = logits.softmax().mean(alongAxes: [0])
        return (mean * ((mean + 1e-8).log() - logPrior)).sum()
    }
}
