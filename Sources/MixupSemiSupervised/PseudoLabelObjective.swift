import MixupMixing
import MixupNN
import MixupTensor
import MixupTraining

/// Pseudo-labelling with mixup (Arazo et al., IJCNN 2020, "Pseudo-Labeling and Confirmation Bias in Deep
/// Semi-Supervised Learning"): the model's own soft predictions on unlabelled samples (without gradients) become
/// their targets; labelled and pseudo-labelled samples are concatenated and mixed by the recipe's `Regularizer`,
/// which is what keeps the model from confirming its own mistakes. The pseudo-labelled part is weighted by a ramp.
///
/// ``targetTemperature`` chooses what the targets are: the predicted probabilities themselves (`nil`, Arazo et al.),
/// the one-hot top class (`0`, the hard pseudo-labels of Lee, ICML 2013 workshop, "Pseudo-Label: The Simple and
/// Efficient Semi-Supervised Learning Method"), or the probabilities sharpened with temperature T (`p^(1/T)`,
/// renormalised, as MixMatch's label guesses).
public final class PseudoLabelObjective: TrainingObjective {
    /// Mixes the concatenated labelled + pseudo-labelled batch.
    public let mixing: Regularizer
    /// Only unlabelled samples whose top predicted probability reaches this are used (0 uses all).
    public let confidenceThreshold: Float
    /// The weight of pseudo-labelled samples by step.
    public let unlabelledWeight: SigmoidRampUp
    /// The targets' temperature: `nil` for the predicted probabilities, `0` for one-hot (hard) pseudo-labels, T > 0
    /// for the probabilities sharpened with temperature T.
    public let targetTemperature: Float?

    /// Creates the objective.
    ///
    /// - Parameters:
    ///   - mixing: the regularizer mixing the concatenated labelled + pseudo-labelled batch (e.g. `.mixup(alpha: 1)`).
    ///   - confidenceThreshold: keep unlabelled samples whose top predicted probability reaches this, in [0, 1].
    ///   - unlabelledWeight: the weight of pseudo-labelled samples by step.
    ///   - targetTemperature: `nil` (default) for soft targets, `0` for hard (one-hot) pseudo-labels, T > 0 to sharpen.
    /// - Throws: `TrainingError.invalidConfiguration(_:)` if the threshold is outside [0, 1] or the temperature is
    ///   negative or not a finite number, naming the value.
    public init(
        mixing: Regularizer, confidenceThreshold: Float = 0, unlabelledWeight: SigmoidRampUp,
        targetTemperature: Float? = nil
    ) throws(TrainingError) {
        guard confidenceThreshold >= 0 && confidenceThreshold <= 1 else {
            throw .invalidConfiguration(
                "pseudo-label confidence threshold must be in [0, 1], got \(confidenceThreshold)")
        }
        if let temperature = targetTemperature, !(temperature >= 0 && temperature.isFinite) {
            throw .invalidConfiguration(
                "pseudo-label target temperature must be 0 (hard labels) or positive, got \(temperature)")
        }
        self.mixing = mixing
        self.confidenceThreshold = confidenceThreshold
        self.unlabelledWeight = unlabelledWeight
        self.targetTemperature = targetTemperature
    }

    /// `pseudo-label-<mixing>`, with `-hard` for one-hot targets or `-sharpened<T>` for sharpened ones.
    public var name: String {
        let targets = targetTemperature.map { $0 == 0 ? "-hard" : "-sharpened\($0)" } ?? ""
        return "pseudo-label-\(mixing.name)" + targets
    }

    /// The targets of the kept rows of `probabilities` (`[kept, classes]`), as ``targetTemperature`` says.
    func targets(_ probabilities: Tensor) -> Tensor {
        switch targetTemperature {
        case nil: probabilities
        case 0: Tensor.oneHot(probabilities.argmax(alongAxis: 1), classCount: probabilities.shape[1])
        case let temperature?: probabilities.sharpened(temperature: temperature)
        }
    }

    public func loss(
        model: any MixableModel, batch: TrainingBatch, context: inout ForwardContext,
        using generator: inout SeededGenerator
    ) throws(TrainingError) -> ObjectiveResult {
        guard let unlabelled = batch.unlabelled else {
            throw .invalidConfiguration("pseudo-labelling needs unlabelled data; the run has none")
        }
        let probabilities = model.inferring(unlabelled).softmax()
        let classes = probabilities.shape[1]
        var kept: [Int] = []
        for row in 0..<probabilities.shape[0] {
            let top = probabilities.scalars[(row * classes)..<((row + 1) * classes)].max() ?? 0
            if top >= confidenceThreshold { kept.append(row) }
        }
        let labelledCount = batch.inputs.shape[0]
        let inputs = kept.isEmpty ? batch.inputs : Tensor.concatenate([batch.inputs, unlabelled.gathering(rows: kept)])
        let targets =
            kept.isEmpty
            ? batch.targets : Tensor.concatenate([batch.targets, self.targets(probabilities.gathering(rows: kept))])
        let mixed: MixedForward
        do {
            mixed = try mixing.forward(
                model, input: inputs, labels: targets, epoch: batch.epoch, context: &context, using: &generator)
        } catch {
            throw .mixing(error)
        }
        guard mixed.cleanCount == 0 else {
            throw .invalidConfiguration(
                "\(mixing.name) feeds the clean batch with its mixed copy (RegMixup); it can only be the supervised "
                    + "regularizer, not the one mixing this objective's combined batch")
        }
        let weight = Float(unlabelledWeight.weight(atStep: batch.globalStep, totalSteps: batch.totalSteps))
        let sampleWeights = Tensor(
            shape: [inputs.shape[0]],
            scalars: (0..<inputs.shape[0]).map { $0 < labelledCount ? 1 : weight })
        let perSample = SemiSupervisedLosses.crossEntropyPerSample(logits: mixed.output, targets: mixed.targets.soft)
        let loss = (perSample * sampleWeights).sum().scaled(by: 1 / Float(labelledCount))
        let labelledTargets = mixed.targets.slice(0..<labelledCount)
        return ObjectiveResult(
            loss: loss, logits: mixed.output.slice(0..<labelledCount), targets: labelledTargets, mixPoint: mixed.point,
            metrics: ["pseudo_labelled": Double(kept.count), "unlabelled_weight": Double(weight)])
    }
}
