import MixupMixing
import MixupNN
import MixupTensor
import MixupTraining

/// An unsupervised loss on the unlabelled batch that can be added to any objective with its own ramped weight
/// (see ``CombinedObjective``): virtual adversarial training, entropy minimisation, or a user's own term.
public protocol ConsistencyTerm: AnyObject {
    /// A short name for logs and metrics (e.g. `"vat"`).
    var name: String { get }

    /// The unweighted loss of `model` on `unlabelled` (`[batch, ...]` inputs), with gradients to the model's
    /// parameters.
    ///
    /// - Parameters:
    ///   - model: the student network being trained.
    ///   - unlabelled: the unlabelled batch, `[batch, ...]`.
    ///   - context: the training forward context (mode and in-network randomness).
    ///   - generator: for the term's own random draws.
    /// - Throws: `TrainingError` when the term cannot be computed.
    func loss(
        model: any MixableModel, unlabelled: Tensor, context: inout ForwardContext,
        using generator: inout SeededGenerator
    ) throws(TrainingError) -> Tensor
}
