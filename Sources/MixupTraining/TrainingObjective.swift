import MixupData
import MixupMixing
import MixupNN
import MixupTensor

/// What one training step minimises. Supervised recipes use ``SupervisedObjective``; semi-supervised pipelines
/// (ICT, MixMatch, pseudo-labelling) are objectives too, so every recipe shares one training loop.
public protocol TrainingObjective: AnyObject {
    /// A short name for logs.
    var name: String { get }

    /// Computes the loss of one batch (building the autodiff graph through `model`).
    ///
    /// - Throws: ``TrainingError`` (e.g. a mixing plugin rejected the batch).
    func loss(
        model: any MixableModel, batch: TrainingBatch, context: inout ForwardContext,
        using generator: inout SeededGenerator
    ) throws(TrainingError) -> ObjectiveResult

    /// Called after each optimizer step (e.g. to update an EMA teacher). Default: nothing.
    func didUpdate(model: any MixableModel, globalStep: Int)

    /// Extra tensors to checkpoint (e.g. a teacher's weights), by name. Default: none.
    func checkpointTensors() -> [String: Tensor]

    /// Restores tensors written by ``checkpointTensors()``.
    func restore(checkpointTensors: [String: Tensor]) throws(TrainingError)

    /// Called once before training (and before a checkpoint is restored) with the network to be trained, e.g. to
    /// make an EMA teacher as a copy of it. Default: nothing.
    func prepare(model: any MixableModel) throws(TrainingError)

    /// The network to evaluate in place of the trained `model` (e.g. an EMA copy of its weights), made ready for
    /// evaluation; `trainingData` is the clean (unaugmented) training data, for BatchNorm re-estimation.
    /// Default: `model` itself.
    func evaluationModel(for model: any MixableModel, trainingData: Dataset) -> any MixableModel

    /// Which weights ``evaluationModel(for:trainingData:)`` evaluates, for summaries (e.g. `"final"`,
    /// `"ema-0.999"`). Default: `"final"`.
    var evaluatedWeights: String { get }
}

extension TrainingObjective {
    public func didUpdate(model: any MixableModel, globalStep: Int) {}
    public func checkpointTensors() -> [String: Tensor] { [:] }
    public func restore(checkpointTensors: [String: Tensor]) throws(TrainingError) {}
    public func prepare(model: any MixableModel) throws(TrainingError) {}
    public func evaluationModel(for model: any MixableModel, trainingData: Dataset) -> any MixableModel { model }
    public var evaluatedWeights: String { "final" }
}

/// The outcome of ``TrainingObjective/loss(model:batch:context:using:)``.
public struct ObjectiveResult {
    /// The scalar loss to back-propagate.
    public let loss: Tensor
    /// `[batch, classes]` logits on the labelled batch (possibly mixed), for training accuracy.
    public let logits: Tensor
    /// The targets the logits were trained towards.
    public let targets: MixedTargets
    /// Where the batch was mixed, if it was.
    public let mixPoint: MixPoint?
    /// Additional scalars to log (e.g. `"consistency": 0.3`).
    public let metrics: [String: Double]

    /// Creates a result.
    public init(
        loss: Tensor, logits: Tensor, targets: MixedTargets, mixPoint: MixPoint? = nil, metrics: [String: Double] = [:]
    ) {
        self.loss = loss
        self.logits = logits
        self.targets = targets
        self.mixPoint = mixPoint
        self.metrics = metrics
    }
}

/// The loss applied to a network's outputs against (mixed) soft targets.
public enum ClassificationLoss: String, Sendable, CaseIterable {
    /// Softmax cross-entropy on logits (linear in the target, so mixing targets is exact).
    case softmaxCrossEntropy
    /// Binary cross-entropy on sigmoid(logits) per class, as the Manifold Mixup paper trains.
    case binaryCrossEntropy

    /// The mean loss of `logits` `[batch, classes]` against `targets`.
    public func callAsFunction(logits: Tensor, targets: MixedTargets) -> Tensor {
        switch self {
        case .softmaxCrossEntropy: MixupNN.softmaxCrossEntropy(logits: logits, softTargets: targets.soft)
        case .binaryCrossEntropy: MixupNN.binaryCrossEntropy(probabilities: logits.sigmoid(), targets: targets.soft)
        }
    }
}

/// Supervised training with a mixing ``Regularizer`` (ERM, Mixup, Manifold Mixup, CutMix, …).
///
/// The loss is the regularizer's ``Regularizer/mixingLoss`` when it has one, else ``lossFunction``; a regularizer that
/// keeps the clean batch (RegMixup) gets L(clean) + η·L(mixed) (``MixedForward/loss(_:)``).
public final class SupervisedObjective: TrainingObjective {
    /// The regularizer applied to every batch.
    public let regularizer: Regularizer
    /// The loss against the mixed targets.
    public let lossFunction: ClassificationLoss

    /// Creates the objective.
    public init(regularizer: Regularizer, loss: ClassificationLoss = .softmaxCrossEntropy) {
        self.regularizer = regularizer
        self.lossFunction = loss
    }

    public var name: String { regularizer.name }

    public func loss(
        model: any MixableModel, batch: TrainingBatch, context: inout ForwardContext,
        using generator: inout SeededGenerator
    ) throws(TrainingError) -> ObjectiveResult {
        let mixed: MixedForward
        do {
            mixed = try regularizer.forward(
                model, input: batch.inputs, labels: batch.targets, epoch: batch.epoch, context: &context,
                using: &generator)
        } catch {
            throw .mixing(error)
        }
        let loss: Tensor
        do {
            loss = try mixed.loss { logits, targets throws(MixingError) in
                if let custom = regularizer.mixingLoss { return try custom.loss(logits: logits, targets: targets) }
                return lossFunction(logits: logits, targets: targets)
            }
        } catch {
            throw .mixing(error)
        }
        // Training accuracy on the clean rows when the regularizer keeps the clean batch (RegMixup).
        return ObjectiveResult(
            loss: loss, logits: mixed.cleanOrMixedOutput, targets: mixed.cleanOrMixedTargets, mixPoint: mixed.point)
    }
}
