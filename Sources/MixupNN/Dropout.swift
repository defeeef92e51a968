import MixupTensor

/// Inverted dropout (Srivastava et al. 2014): in training each element is zeroed with probability `probability` and
/// the survivors are scaled by 1 / (1 − probability); in inference it is the identity. Masks come from the context's
/// generator, so a seeded context reproduces them.
public final class Dropout: Layer {
    /// The probability of dropping an element, in [0, 1).
    public let probability: Double

    /// Creates a dropout layer.
    ///
    /// - Precondition: `probability` ∈ [0, 1).
    public init(probability: Double) {
        precondition(probability >= 0 && probability < 1, "Dropout: probability must be in [0, 1), got \(probability)")
        self.probability = probability
    }

    public func copy() -> Dropout { Dropout(probability: probability) }

    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor {
        guard context.isTraining, probability > 0 else { return input }
        let keep = Float(1 - probability)
        var mask = [Float](repeating: 0, count: input.count)
        for i in 0..<mask.count where context.generator.nextUnitDouble() >= probability { mask[i] = 1 / keep }
        return input * Tensor(shape: input.shape, scalars: mask)
    }
}
