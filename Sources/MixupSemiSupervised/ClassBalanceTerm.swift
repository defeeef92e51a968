import MixupMixing
import MixupNN
import MixupTensor
import MixupTraining

/// Class balance as a ``ConsistencyTerm``: KL(p̄ ‖ π) = Σ_c p̄_c (log p̄_c − log π_c), where p̄ is the mean over the
/// unlabelled batch of softmax(f(x)) and π the expected class distribution (uniform unless given).
///
/// With a uniform π this is log C − H(p̄), the negative entropy of the batch's mean prediction shifted to be ≥ 0, and
/// 0 exactly when the predictions use every class equally on average. Beside ``EntropyMinimizationTerm`` (the mean
/// per-sample entropy) it makes the "information maximisation" objective of Krause et al. (NeurIPS 2010, "Discriminative
/// Clustering by Regularized Information Maximization") and Hu et al. (ICML 2017, IMSAT): confident predictions that
/// still use all classes. It counters what entropy minimisation alone allows: a cluster of one class absorbed by a
/// neighbouring one (e.g. 7s called 8), which lowers the entropy but empties a class.
///
/// The term is computed on the unlabelled batch alone (`[batch, ...]` inputs); batches should be large enough for
/// p̄ to estimate the class frequencies (128 images for MNIST's 10 classes).
public final class ClassBalanceTerm: ConsistencyTerm {
    /// The expected class distribution π (`classCount` positive entries summing to 1), or `nil` for uniform.
    public let prior: [Float]?

    /// Creates the term.
    ///
    /// - Parameter prior: the expected class frequencies (positive, summing to 1 within 1e-4), or `nil` for the
    ///   uniform distribution over the model's classes.
    /// - Throws: `TrainingError.invalidConfiguration(_:)` naming a non-positive or non-finite entry, or a total
    ///   other than 1.
    public init(prior: [Float]? = nil) throws(TrainingError) {
        if let prior {
            guard !prior.isEmpty else { throw .invalidConfiguration("class-balance prior is empty") }
            if let bad = prior.firstIndex(where: { !($0 > 0) || !$0.isFinite }) {
                throw .invalidConfiguration(
                    "class-balance prior entries must be positive and finite, got \(prior[bad]) for class \(bad)")
            }
            let total = prior.reduce(0, +)
            guard abs(total - 1) <= 1e-4 else {
                throw .invalidConfiguration("class-balance prior must sum to 1, got \(total)")
            }
        }
        self.prior = prior
    }

    public var name: String { "balance" }

    public func loss(
        model: any MixableModel, unlabelled: Tensor, context: inout ForwardContext,
        using generator: inout SeededGenerator
    ) throws(TrainingError) -> Tensor {
        let logits = model(unlabelled.detached(), context: &context)
        guard logits.rank == 2, logits.shape[0] > 0 else {
            throw .invalidConfiguration("class balance needs [batch, classes] logits, got \(logits.shape)")
        }
        let classCount = logits.shape[1]
        if let prior, prior.count != classCount {
            throw .invalidConfiguration(
                "class-balance prior has \(prior.count) classes, the model predicts \(classCount)")
        }
        let uniform = [Float](repeating: 1 / Float(classCount), count: classCount)
        return SemiSupervisedLosses.classBalance(logits: logits, prior: prior ?? uniform)
    }
}
