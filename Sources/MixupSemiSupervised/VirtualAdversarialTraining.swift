import MixupMixing
import MixupNN
import MixupTensor
import MixupTraining

/// Virtual adversarial training (Miyato et al., TPAMI 2018, "Virtual Adversarial Training: A Regularization Method
/// for Supervised and Semi-Supervised Learning") as a ``ConsistencyTerm``.
///
/// For each unlabelled sample x with prediction p = softmax(f(x)) (a constant), the direction d that most increases
/// KL(p ‖ softmax(f(x + r))) is found by power iteration: start from a random unit d, set
/// d ← normalise(∇_r KL(p ‖ softmax(f(x + ξ·d)))) `powerIterations` times, then the loss is
/// KL(p ‖ softmax(f(x + ε·d))) with gradients to the weights. Norms are per sample (L2 over all features).
/// On [0, 1] MNIST pixels the authors' code for the first version of the paper (Miyato et al. 2015, "Distributional
/// Smoothing with Virtual Adversarial Training", `takerum/vat`) uses ε = 2.1 for supervised training and ε = 0.3
/// for semi-supervised training with 100 labels, with ξ = 1e-6 and one iteration; choose ε on validation data.
public final class VirtualAdversarialTerm: ConsistencyTerm {
    /// The radius ε of the adversarial perturbation (per-sample L2 norm).
    public let epsilon: Float
    /// The finite-difference step ξ of the power iteration.
    public let xi: Float
    /// Power iterations (1 in the paper).
    public let powerIterations: Int

    /// Creates the term.
    ///
    /// - Throws: `TrainingError.invalidConfiguration(_:)` unless ε > 0, ξ > 0 and iterations ≥ 1, naming the value.
    public init(epsilon: Float = 2, xi: Float = 1e-6, powerIterations: Int = 1) throws(TrainingError) {
        guard epsilon > 0 && epsilon.isFinite else {
            throw .invalidConfiguration("VAT epsilon must be positive, got \(epsilon)")
        }
        guard xi > 0 && xi.isFinite else { throw .invalidConfiguration("VAT xi must be positive, got \(xi)") }
        guard powerIterations >= 1 else {
            throw .invalidConfiguration("VAT needs at least one power iteration, got \(powerIterations)")
        }
        self.epsilon = epsilon
        self.xi = xi
        self.powerIterations = powerIterations
    }

    public var name: String { "vat" }

    /// Each row of `tensor` (`[batch, ...]`) scaled to unit L2 norm (rows of zeros stay zero).
    public static func normalizedPerSample(_ tensor: Tensor) -> Tensor {
        let batch = tensor.shape[0]
        guard batch > 0 else { return tensor }
        let width = tensor.count / batch
        var scalars = tensor.scalars
        for row in 0..<batch {
            let range = (row * width)..<((row + 1) * width)
            // Scale by the largest magnitude first so that tiny gradients (ξ = 1e-6) do not underflow when squared.
            let largest = scalars[range].map(abs).max() ?? 0
            guard largest > 0 else { continue }
            var norm: Float = 0
            for i in range { norm += (scalars[i] / largest) * (scalars[i] / largest) }
            let scale = 1 / (largest * norm.squareRoot())
            for i in range { scalars[i] *= scale }
        }
        return Tensor(shape: tensor.shape, scalars: scalars)
    }

    /// The adversarial perturbation ε·d for `inputs`, found by power iteration (a constant, `inputs`' shape).
    ///
    /// - Parameters:
    ///   - model: the network whose output distribution the perturbation changes most.
    ///   - inputs: the clean batch, `[batch, ...]`.
    ///   - targets: p, the model's probabilities on the clean `inputs` (`[batch, classes]`).
    ///   - context: the forward context of the power-iteration passes.
    ///   - generator: draws the random starting direction.
    public func adversarialPerturbation(
        model: any MixableModel, inputs: Tensor, targets: Tensor, context: inout ForwardContext,
        using generator: inout SeededGenerator
    ) -> Tensor {
        let clean = inputs.detached()
        var direction = Self.normalizedPerSample(Tensor.normal(clean.shape, using: &generator))
        for _ in 0..<powerIterations {
            var iterationContext = context
            let step = direction.scaled(by: xi)
            let g = gradient(at: step) { r in
                SemiSupervisedLosses.klDivergence(from: targets, toLogits: model(clean + r, context: &iterationContext))
            }
            direction = Self.normalizedPerSample(g)
        }
        return direction.scaled(by: epsilon)
    }

    public func loss(
        model: any MixableModel, unlabelled: Tensor, context: inout ForwardContext,
        using generator: inout SeededGenerator
    ) throws(TrainingError) -> Tensor {
        let clean = unlabelled.detached()
        let targets = withoutGradients { model(clean, context: &context).softmax() }
        let perturbation = adversarialPerturbation(
            model: model, inputs: clean, targets: targets, context: &context, using: &generator)
        return SemiSupervisedLosses.klDivergence(
            from: targets, toLogits: model(clean + perturbation, context: &context))
    }
}
