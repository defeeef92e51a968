import InputMixupPlugin
import MixupMixing
import MixupNN
import MixupTensor
import MixupTraining

/// MixMatch (Berthelot et al., NeurIPS 2019, "MixMatch: A Holistic Approach to Semi-Supervised Learning").
///
/// For each unlabelled sample, K augmented views are drawn; the model's predictions on them (without gradients) are
/// averaged and sharpened with temperature T into a label guess. Labelled samples (one-hot) and all unlabelled views
/// (the guess) are concatenated into one batch W, and the recipe's `Regularizer` mixes it with itself shuffled —
/// at the input, or at a hidden layer (manifold MixMatch) when its `LayerSelector` says so. With
/// `originalDominant` (the default) an interpolating strategy draws the paper's λ′ = max(λ, 1 − λ), so each mixed
/// sample stays closest to its own original. The loss is cross-entropy on the labelled part plus a ramped squared
/// error on the unlabelled part (mean over samples × classes, as in the paper).
///
/// **Augmentation.** Each view is `augmentation` applied to the *clean* unlabelled batch, independently; labelled
/// samples get `labelledAugmentation`. Give the trainer no augmentation of its own, or the views share its noise
/// (two views of one noisy image are correlated, and the effective noise level is higher than intended).
///
/// **BatchNorm choice.** The mixed labelled and unlabelled samples go through the network in *one* forward pass, so
/// batch statistics are computed over the whole mixed batch, as they will be seen at test time on a mixture of both;
/// this is what the reference implementation's "interleave" trick emulates across devices. Label guessing runs in
/// training mode without gradients, as in the reference code, so running statistics also see unlabelled data.
public final class MixMatchObjective: TrainingObjective {
    /// Mixes the concatenated labelled + unlabelled batch.
    public let mixing: Regularizer
    /// K, the number of augmented views per unlabelled sample.
    public let augmentationCount: Int
    /// The sharpening temperature T.
    public let temperature: Float
    /// The unlabelled-loss weight by step.
    public let unlabelledWeight: SigmoidRampUp
    /// The stochastic augmentation producing each view.
    public let augmentation: @Sendable (Tensor, inout SeededGenerator) -> Tensor
    /// The augmentation of the labelled batch (`nil`: none here).
    public let labelledAugmentation: (@Sendable (Tensor, inout SeededGenerator) -> Tensor)?
    /// Whether interpolation draws λ′ = max(λ, 1 − λ) (applied to ``mixing`` when its strategy is an
    /// `InterpolationStrategy`; other strategies are used as given).
    public let originalDominant: Bool
    /// Distribution alignment of the averaged guesses before sharpening (ReMixMatch), or `nil` for none (the
    /// original MixMatch).
    public let distributionAlignment: DistributionAlignment?

    /// Creates the objective.
    ///
    /// - Parameters:
    ///   - mixing: the regularizer that mixes the concatenated labelled and guessed batch with itself shuffled.
    ///   - augmentationCount: K, the number of augmented views per unlabelled sample.
    ///   - temperature: T, the sharpening temperature of the label guess.
    ///   - unlabelledWeight: the weight of the unlabelled squared-error term by step.
    ///   - originalDominant: λ′ = max(λ, 1 − λ) for interpolating strategies (the paper's choice).
    ///   - augmentation: draws one view of the clean unlabelled batch.
    ///   - labelledAugmentation: the augmentation of labelled samples, or `nil` for none.
    ///   - distributionAlignment: aligns the averaged guesses to the labelled class marginal before sharpening
    ///     (ReMixMatch's distribution alignment), or `nil` for none.
    /// - Throws: `TrainingError.invalidConfiguration(_:)` if K < 1 or T ≤ 0, naming the value.
    public init(
        mixing: Regularizer, augmentationCount: Int = 2, temperature: Float = 0.5, unlabelledWeight: SigmoidRampUp,
        originalDominant: Bool = true,
        augmentation: @escaping @Sendable (Tensor, inout SeededGenerator) -> Tensor,
        labelledAugmentation: (@Sendable (Tensor, inout SeededGenerator) -> Tensor)? = nil,
        distributionAlignment: DistributionAlignment? = nil
    ) throws(TrainingError) {
        guard augmentationCount >= 1 else {
            throw .invalidConfiguration("MixMatch needs at least one augmentation (K ≥ 1), got \(augmentationCount)")
        }
        guard temperature > 0 && temperature.isFinite else {
            throw .invalidConfiguration("MixMatch temperature must be positive, got \(temperature)")
        }
        var mixing = mixing
        if originalDominant, let interpolation = mixing.strategy as? InterpolationStrategy,
            !interpolation.distribution.keepsOriginalDominant
        {
            do {
                mixing.strategy = try InterpolationStrategy(
                    distribution: interpolation.distribution.keepingOriginalDominant(),
                    granularity: interpolation.granularity, pairing: interpolation.pairing)
            } catch {
                throw .mixing(error)
            }
        }
        self.mixing = mixing
        self.originalDominant = originalDominant
        self.labelledAugmentation = labelledAugmentation
        self.augmentationCount = augmentationCount
        self.temperature = temperature
        self.unlabelledWeight = unlabelledWeight
        self.augmentation = augmentation
        self.distributionAlignment = distributionAlignment
    }

    public var name: String { "mixmatch-\(mixing.name)" }

    public func checkpointTensors() -> [String: Tensor] { distributionAlignment?.checkpointTensors() ?? [:] }

    public func restore(checkpointTensors: [String: Tensor]) throws(TrainingError) {
        try distributionAlignment?.restore(checkpointTensors)
    }

    /// The sharpened average prediction over the views, `[batch, classes]`, without gradients; with
    /// ``distributionAlignment`` the average is aligned (and the running marginal updated) before sharpening.
    ///
    /// - Throws: `TrainingError.invalidConfiguration(_:)` if the model's class count is not the alignment's.
    public func guessLabels(
        model: any MixableModel, views: [Tensor], context: inout ForwardContext
    ) throws(TrainingError) -> Tensor {
        let average = withoutGradients {
            var total: Tensor? = nil
            for view in views {
                let probabilities = model(view, context: &context).softmax()
                total = total.map { $0 + probabilities } ?? probabilities
            }
            return (total ?? Tensor.zeros([0, 0])).scaled(by: 1 / Float(max(views.count, 1)))
        }
        let aligned = try distributionAlignment?.align(average) ?? average
        return aligned.sharpened(temperature: temperature)
    }

    public func loss(
        model: any MixableModel, batch: TrainingBatch, context: inout ForwardContext,
        using generator: inout SeededGenerator
    ) throws(TrainingError) -> ObjectiveResult {
        guard let unlabelled = batch.unlabelled else {
            throw .invalidConfiguration("MixMatch needs unlabelled data; the run has none")
        }
        let views = (0..<augmentationCount).map { _ in augmentation(unlabelled, &generator) }
        let guesses = try guessLabels(model: model, views: views, context: &context)
        let labelledCount = batch.inputs.shape[0]
        let labelledInputs = labelledAugmentation.map { $0(batch.inputs, &generator) } ?? batch.inputs
        let combinedInputs = Tensor.concatenate([labelledInputs] + views, alongAxis: 0)
        let combinedTargets = Tensor.concatenate(
            [batch.targets] + Array(repeating: guesses, count: augmentationCount), alongAxis: 0)
        let mixed: MixedForward
        do {
            mixed = try mixing.forward(
                model, input: combinedInputs, labels: combinedTargets, epoch: batch.epoch, context: &context,
                using: &generator)
        } catch {
            throw .mixing(error)
        }
        guard mixed.cleanCount == 0 else {
            throw .invalidConfiguration(
                "\(mixing.name) feeds the clean batch with its mixed copy (RegMixup); it can only be the supervised "
                    + "regularizer, not the one mixing this objective's combined batch")
        }
        let total = combinedInputs.shape[0]
        let labelledLogits = mixed.output.slice(0..<labelledCount)
        let labelledTargets = mixed.targets.soft.slice(0..<labelledCount)
        let classLoss = softmaxCrossEntropy(logits: labelledLogits, softTargets: labelledTargets)
        let unlabelledLogits = mixed.output.slice(labelledCount..<total)
        let unlabelledTargets = mixed.targets.soft.slice(labelledCount..<total)
        // The paper's L_U = 1/(L·|U′|) Σ ‖q − p‖²: the mean over classes and samples.
        let consistency = SemiSupervisedLosses.probabilityMeanSquaredError(
            logits: unlabelledLogits, targets: unlabelledTargets)
        let weight = Float(unlabelledWeight.weight(atStep: batch.globalStep, totalSteps: batch.totalSteps))
        let originalTargets = mixed.targets.slice(0..<labelledCount)
        return ObjectiveResult(
            loss: classLoss + consistency * weight, logits: labelledLogits, targets: originalTargets,
            mixPoint: mixed.point,
            metrics: ["unlabelled_loss": Double(consistency.scalar), "unlabelled_weight": Double(weight)])
    }
}
