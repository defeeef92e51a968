import MixupTensor

extension Tensor {
    /// Temperature sharpening of probability rows (MixMatch, Berthelot et al. 2019): p_i^(1/T) / Σ_j p_j^(1/T).
    ///
    /// Shape `[batch, classes]`; rows stay probability distributions; T → 0 approaches one-hot, T = 1 is the identity.
    /// The result carries no gradient (it is a label guess).
    /// - Precondition: `temperature > 0`.
    public func sharpened(temperature: Float) -> Tensor {
        precondition(
            temperature > 0 && temperature.isFinite, "sharpened: temperature must be positive, got \(temperature)")
        precondition(rank == 2, "sharpened: expected [batch, classes], got \(shape)")
        return withoutGradients {
            // Computed in log space: exp((log p)/T − max) keeps tiny probabilities from underflowing to 0/0.
            let logits = clamped(to: 1e-30, Float.greatestFiniteMagnitude).detached().log().scaled(by: 1 / temperature)
            return logits.softmax()
        }
    }
}
