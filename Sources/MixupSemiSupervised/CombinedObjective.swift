import MixupData
import MixupMixing
import MixupNN
import MixupTensor
import MixupTraining

/// An objective plus extra unlabelled-data terms, each with its own ramped weight: e.g. supervised + ICT + VAT +
/// entropy is `CombinedObjective(base: ictObjective, terms: [(vat, ramp), (EntropyMinimizationTerm(), ramp)])`.
///
/// The loss is base loss + Σ wᵢ(t)·termᵢ(unlabelled batch). Everything else (teacher updates, checkpoints, the
/// evaluated network) is the base objective's; the terms' values and weights are logged as `<name>` and
/// `<name>_weight`. With a `SupervisedObjective` base, the terms give plain VAT (+ entropy minimisation).
public final class CombinedObjective: TrainingObjective {
    /// The objective the terms are added to (ICT, MixMatch, Mean Teacher, pseudo-labels or supervised).
    public let base: any TrainingObjective
    /// The added terms and their weights by step.
    public let terms: [(term: any ConsistencyTerm, weight: RampUp)]

    /// Creates the objective.
    public init(base: any TrainingObjective, terms: [(term: any ConsistencyTerm, weight: RampUp)]) {
        self.base = base
        self.terms = terms
    }

    public var name: String { ([base.name] + terms.map(\.term.name)).joined(separator: "+") }

    public func loss(
        model: any MixableModel, batch: TrainingBatch, context: inout ForwardContext,
        using generator: inout SeededGenerator
    ) throws(TrainingError) -> ObjectiveResult {
        let result = try base.loss(model: model, batch: batch, context: &context, using: &generator)
        guard !terms.isEmpty else { return result }
        guard let unlabelled = batch.unlabelled else {
            throw .invalidConfiguration(
                "\(terms.map(\.term.name).joined(separator: ", ")) need unlabelled data; the run has none")
        }
        var loss = result.loss
        var metrics = result.metrics
        for (term, ramp) in terms {
            let weight = Float(ramp.weight(atStep: batch.globalStep, totalSteps: batch.totalSteps))
            let value = try term.loss(model: model, unlabelled: unlabelled, context: &context, using: &generator)
            loss = loss + value.scaled(by: weight)
            metrics[term.name] = Double(value.scalar)
            metrics["\(term.name)_weight"] = Double(weight)
        }
        return ObjectiveResult(
            loss: loss, logits: result.logits, targets: result.targets, mixPoint: result.mixPoint, metrics: metrics)
    }

    public func didUpdate(model: any MixableModel, globalStep: Int) {
        base.didUpdate(model: model, globalStep: globalStep)
    }
    public func checkpointTensors() -> [String: Tensor] { base.checkpointTensors() }
    public func restore(checkpointTensors: [String: Tensor]) throws(TrainingError) {
        try base.restore(checkpointTensors: checkpointTensors)
    }
    public func prepare(model: any MixableModel) throws(TrainingError) { try base.prepare(model: model) }
    public func evaluationModel(for model: any MixableModel, trainingData: Dataset) -> any MixableModel {
        base.evaluationModel(for: model, trainingData: trainingData)
    }
    public var evaluatedWeights: String { base.evaluatedWeights }
}
