import MixupTensor

/// Batch normalisation (Ioffe & Szegedy 2015) over `[batch, features]` (1-D) or `[batch, channels, height, width]`
/// (2-D) inputs, with a learned per-channel scale and shift.
///
/// In training the batch statistics normalise the input and update the running statistics with `momentum`
/// (PyTorch's convention: running = (1 − momentum)·running + momentum·batch, unbiased variance); in inference the
/// running statistics are used.
public final class BatchNorm: Layer {
    /// Per-channel scale γ, `[channels]`.
    public let scale: Parameter
    /// Per-channel shift β, `[channels]`.
    public let offset: Parameter
    /// Running mean, `[channels]` (a buffer: saved, not trained).
    public let runningMean: Parameter
    /// Running variance, `[channels]` (a buffer: saved, not trained).
    public let runningVariance: Parameter
    /// Weight of the newest batch in the running statistics.
    public let momentum: Float
    /// Added to the variance for stability.
    public let epsilon: Float

    /// Creates a batch-norm layer for `featureCount` channels.
    public init(featureCount: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        precondition(featureCount > 0, "BatchNorm: featureCount must be positive, got \(featureCount)")
        precondition(momentum >= 0 && momentum <= 1, "BatchNorm: momentum must be in [0, 1], got \(momentum)")
        scale = Parameter(.ones([featureCount]), name: "weight")
        offset = Parameter(.zeros([featureCount]), name: "bias")
        runningMean = Parameter(.zeros([featureCount]), name: "running_mean")
        runningVariance = Parameter(.ones([featureCount]), name: "running_var")
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public var parameters: [Parameter] { [scale, offset] }

    public func copy() -> BatchNorm {
        let copy = BatchNorm(featureCount: scale.value.count, momentum: momentum, epsilon: epsilon)
        for (source, target) in zip(parameters + buffers, copy.parameters + copy.buffers) {
            target.value = source.value
        }
        return copy
    }
    public var buffers: [Parameter] { [runningMean, runningVariance] }

    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor {
        let channels = scale.value.count
        precondition(
            (input.rank == 2 || input.rank == 4) && input.shape[1] == channels,
            "BatchNorm: expected [batch, \(channels)] or [batch, \(channels), h, w], got \(input.shape)")
        if context.isTraining {
            let (output, mean, variance) = input.batchNormalized(
                scale: scale.tracked, offset: offset.tracked, epsilon: epsilon)
            let m = Float(input.count / channels)
            let correction = m > 1 ? m / (m - 1) : 1
            var newMean = runningMean.value.scalars
            var newVariance = runningVariance.value.scalars
            for c in 0..<channels {
                newMean[c] = (1 - momentum) * newMean[c] + momentum * mean[c]
                newVariance[c] = (1 - momentum) * newVariance[c] + momentum * variance[c] * correction
            }
            runningMean.value = Tensor(shape: [channels], scalars: newMean)
            runningVariance.value = Tensor(shape: [channels], scalars: newVariance)
            return output
        }
        let inverseStd = runningVariance.value.scalars.map { 1 / ($0 + epsilon).squareRoot() }
        if !isRecordingGradients {
            // Inference: fold the running statistics, scale and offset into one per-channel affine map.
            let gamma = scale.value.scalars, beta = offset.value.scalars, mu = runningMean.value.scalars
            var a = [Float](repeating: 0, count: channels)
            var b = [Float](repeating: 0, count: channels)
            for c in 0..<channels {
                a[c] = inverseStd[c] * gamma[c]
                b[c] = beta[c] - mu[c] * inverseStd[c] * gamma[c]
            }
            return input.channelAffine(scale: a, shift: b)
        }
        let broadcastShape = input.rank == 4 ? [1, channels, 1, 1] : [1, channels]
        let normalized =
            (input - runningMean.value.reshaped(to: broadcastShape))
            * Tensor(shape: broadcastShape, scalars: inverseStd)
        return normalized * scale.tracked.reshaped(to: broadcastShape) + offset.tracked.reshaped(to: broadcastShape)
    }
}
