import MixupNN
import MixupTensor

/// The fast gradient sign method (Goodfellow et al. 2015): x′ = clip(x + ε · sign(∇ₓ loss(x, y)), valid range).
///
/// Every input value moves by exactly ε (unless clipped to the valid range, or its gradient is exactly 0).
public struct FGSMAttack: AdversarialAttack {
    public let epsilon: Float
    public var name: String { "fgsm" }

    /// Creates the attack.
    ///
    /// - Throws: ``AnalysisError/invalidSetting(name:value:expected:)`` for ε < 0 or not finite.
    public init(epsilon: Float) throws(AnalysisError) {
        guard epsilon >= 0, epsilon.isFinite else {
            throw .invalidSetting(name: "epsilon", value: "\(epsilon)", expected: "a finite number ≥ 0")
        }
        self.epsilon = epsilon
    }

    public func perturb(
        _ inputs: Tensor, labels: [Int], model: any Layer, validRange: ClosedRange<Float>,
        using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        guard epsilon > 0 else { return inputs.detached() }
        let classCount = outputWidth(of: model, for: inputs)
        let gradient = inputGradient(of: model, at: inputs, labels: labels, classCount: classCount).gradient
        var values = inputs.scalars
        for i in values.indices {
            values[i] = min(
                max(values[i] + epsilon * sign(gradient.scalars[i]), validRange.lowerBound), validRange.upperBound)
        }
        return Tensor(shape: inputs.shape, scalars: values)
    }
}
