import MixupNN
import MixupTensor

/// Loss pieces shared by the semi-supervised objectives.
enum SemiSupervisedLosses {
    /// Per-sample softmax cross-entropy against soft targets: `[batch]`.
    static func crossEntropyPerSample(logits: Tensor, targets: Tensor) -> Tensor {
        -(logits.logSoftmax() * targets.detached()).sum(alongAxes: [1])
    }

    /// The consistency loss of Mean Teacher, ICT and MixMatch: squared error between softmax(logits) and target
    /// probabilities, summed over classes and averaged over the batch.
    static func probabilityMSE(logits: Tensor, targets: Tensor) -> Tensor {
        precondition(logits.shape == targets.shape, "consistency: logits \(logits.shape) vs targets \(targets.shape)")
        let batch = Float(max(logits.shape[0], 1))
        return (logits.softmax() - targets.detached()).squared().sum().scaled(by: 1 / batch)
    }
}
