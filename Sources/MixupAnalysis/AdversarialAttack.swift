import MixupNN
import MixupTensor

/// A white-box L∞ attack: perturbs a batch of inputs within an ε-ball around them, and within the data's valid range,
/// to increase a model's cross-entropy. Used to measure robustness (Verma et al. 2019, Table 7; Zhang et al. 2018,
/// Table 3).
public protocol AdversarialAttack: Sendable {
    /// A short description for reports, e.g. `"fgsm"` or `"pgd(steps: 10, step: 0.01)"`.
    var name: String { get }

    /// The L∞ radius of the perturbation.
    var epsilon: Float { get }

    /// The adversarial version of `inputs`.
    ///
    /// - Parameters:
    ///   - inputs: `[batch, ...]` clean inputs.
    ///   - labels: the true class of each input.
    ///   - model: the attacked classifier, run in inference mode; its parameters and their gradients are unchanged.
    ///   - validRange: every value of the result lies in this range (e.g. 0...1 for pixels).
    ///   - generator: randomness for attacks with a random start.
    /// - Returns: a tensor of the inputs' shape with |result − inputs| ≤ ε elementwise.
    func perturb(
        _ inputs: Tensor, labels: [Int], model: any Layer, validRange: ClosedRange<Float>,
        using generator: inout some RandomNumberGenerator
    ) -> Tensor
}

/// Elementwise sign (0 at 0).
func sign(_ value: Float) -> Float { value > 0 ? 1 : (value < 0 ? -1 : 0) }

/// The number of classes a model outputs for `inputs` (the width of its logits).
func outputWidth(of model: any Layer, for inputs: Tensor) -> Int {
    model.inferring(inputs).shape.last ?? 0
}
