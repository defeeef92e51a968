import MixupMixing
import MixupNN
import MixupTensor
import MixupTraining

/// Entropy minimisation (Grandvalet & Bengio, NeurIPS 2004, "Semi-supervised Learning by Entropy Minimization") as a
/// ``ConsistencyTerm``: the mean entropy of the model's predictions on the unlabelled batch, which pushes decision
/// boundaries away from dense regions. VAT's best MNIST results add it ("VAT + EntMin", Miyato et al. 2018).
public final class EntropyMinimizationTerm: ConsistencyTerm {
    /// Creates the term.
    public init() {}

    public var name: String { "entropy" }

    public func loss(
        model: any MixableModel, unlabelled: Tensor, context: inout ForwardContext,
        using generator: inout SeededGenerator
    ) throws(TrainingError) -> Tensor {
        SemiSupervisedLosses.entropy(logits: model(unlabelled.detached(), context: &context))
    }
}
