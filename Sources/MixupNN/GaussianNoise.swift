import MixupTensor

/// Additive Gaussian noise, x + N(0, σ²) per element, in training only; the identity in evaluation.
///
/// The perturbation of the Ladder network (Rasmus et al. 2015) and of many permutation-invariant MNIST baselines
/// (σ = 0.3 on the input, 0.5 on hidden layers). Any shape. The noise is drawn from the context's generator, so a
/// seeded context reproduces it; it is a constant (gradients pass through unchanged).
public final class GaussianNoise: Layer {
    /// The standard deviation σ of the added noise.
    public let standardDeviation: Float

    /// Creates the layer.
    ///
    /// - Precondition: `standardDeviation ≥ 0` and finite.
    public init(standardDeviation: Float) {
        precondition(
            standardDeviation >= 0 && standardDeviation.isFinite,
            "GaussianNoise: standard deviation must be non-negative and finite, got \(standardDeviation)")
        self.standardDeviation = standardDeviation
    }

    public func copy() -> GaussianNoise { GaussianNoise(standardDeviation: standardDeviation) }

    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor {
        guard context.isTraining, standardDeviation > 0 else { return input }
        return input + Tensor.normal(input.shape, standardDeviation: standardDeviation, using: &context.generator)
    }
}
