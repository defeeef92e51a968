import MixupMixing
import MixupNN
import MixupTensor

/// Supervised regression with a mixing ``Regularizer``: the mean squared error between the network's outputs
/// `[batch, targetWidth]` and the (mixed) numeric targets. Any strategy that interpolates targets applies — ERM,
/// input Mixup, C-Mixup (Yao et al., NeurIPS 2022), which draws partners by label distance — and a regularizer that
/// keeps the clean batch (RegMixup) gets MSE(clean) + η·MSE(mixed). The data must be a regression ``Dataset``
/// (``Dataset/isRegression``); the trainer then evaluates ``RegressionEvaluation`` instead of classification error.
public final class RegressionObjective: TrainingObjective {
    /// The regularizer applied to every batch.
    public let regularizer: Regularizer

    /// Creates the objective.
    public init(regularizer: Regularizer) {
        self.regularizer = regularizer
    }

    public var name: String { regularizer.name }

    /// The mean squared error of the (mixed) batch.
    ///
    /// - Throws: ``TrainingError/mixing(_:)`` when the regularizer rejects the batch or has a classification loss of
    ///   its own (``Regularizer/mixingLoss``), which does not apply to numeric targets.
    public func loss(
        model: any MixableModel, batch: TrainingBatch, context: inout ForwardContext,
        using generator: inout SeededGenerator
    ) throws(TrainingError) -> ObjectiveResult {
        if regularizer.mixingLoss != nil {
            throw .mixing(
                .invalidParameter(
                    name: "the strategy of a regression objective", value: regularizer.name,
                    requirement: "not bring a classification loss of its own"))
        }
        let mixed: MixedForward
        let loss: Tensor
        do {
            mixed = try regularizer.forward(
                model, input: batch.inputs, labels: batch.targets, epoch: batch.epoch, context: &context,
                using: &generator)
            loss = try mixed.loss { outputs, targets throws(MixingError) in
                guard outputs.shape == targets.soft.shape else {
                    throw .shapeMismatch(
                        what: "the regression model's outputs", shape: outputs.shape,
                        expected: "\(targets.soft.shape) like the targets")
                }
                return meanSquaredError(predictions: outputs, targets: targets.soft)
            }
        } catch {
            throw .mixing(error)
        }
        return ObjectiveResult(
            loss: loss, logits: mixed.cleanOrMixedOutput, targets: mixed.cleanOrMixedTargets, mixPoint: mixed.point)
    }
}
