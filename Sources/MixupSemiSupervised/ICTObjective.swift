import MixupMixing
import MixupNN
import MixupTensor
import MixupTraining

/// Interpolation Consistency Training (Verma et al., IJCAI 2019, "Interpolation Consistency Training for
/// Semi-Supervised Learning").
///
/// A student and an EMA teacher. On unlabelled samples the student's prediction on a mix of two samples is pulled
/// (squared error on probabilities) towards the same mix of the teacher's predictions; the consistency weight ramps up
/// with a sigmoid. The mixing is the recipe's `Regularizer` applied to the unlabelled batch with the teacher's
/// predictions as its targets, so its `LayerSelector` gives hidden-layer ICT and swapping the strategy (CutMix,
/// FMix, …) is the usual one-line change. Labelled batches get plain cross-entropy (or the supervised regularizer).
///
/// With a ``targetTemperature`` the teacher's predictions are sharpened (p^(1/T), renormalised, as MixMatch's label
/// guesses are) before they are mixed — not part of the paper; it makes the mixed targets of a hesitant teacher
/// confident, at the risk of confirming its mistakes.
public final class ICTObjective: TeacherStudentObjective {
    /// Mixes unlabelled samples (and the teacher's predictions).
    public let unlabelledMixing: Regularizer
    /// Applied to labelled batches (`.erm` in the paper).
    public let supervisedRegularizer: Regularizer
    /// The EMA teacher.
    public let teacher: EMATeacher
    /// The consistency weight by step.
    public let consistencyWeight: SigmoidRampUp
    /// The temperature T that sharpens the teacher's predictions before mixing, or `nil` for none (the paper).
    public let targetTemperature: Float?

    /// Creates the objective.
    ///
    /// - Parameters:
    ///   - mixing: the regularizer mixing unlabelled samples (e.g. `.mixup(alpha: 1)`, `.manifoldMixup(alpha: 2)`).
    ///   - supervised: the regularizer of labelled batches (`.erm` in the paper).
    ///   - teacherDecay: the EMA decay of the teacher (0.999 in the paper), a copy of the student made when training
    ///     starts.
    ///   - consistencyWeight: the weight of the consistency loss by step (a sigmoid ramp-up).
    ///   - targetTemperature: T > 0 to sharpen the teacher's predictions before mixing, `nil` (default) for none.
    ///     Any other value makes ``loss(model:batch:context:using:)`` throw `TrainingError.invalidConfiguration`.
    public init(
        mixing: Regularizer, supervised: Regularizer = .erm, teacherDecay: Float = 0.999,
        consistencyWeight: SigmoidRampUp, targetTemperature: Float? = nil
    ) {
        self.unlabelledMixing = mixing
        self.supervisedRegularizer = supervised
        self.teacher = EMATeacher(decay: teacherDecay)
        self.consistencyWeight = consistencyWeight
        self.targetTemperature = targetTemperature
    }

    /// `ict-<mixing>`, with `-sharpened<T>` when the teacher's predictions are sharpened.
    public var name: String {
        "ict-\(unlabelledMixing.name)" + (targetTemperature.map { "-sharpened\($0)" } ?? "")
    }

    public func loss(
        model: any MixableModel, batch: TrainingBatch, context: inout ForwardContext,
        using generator: inout SeededGenerator
    ) throws(TrainingError) -> ObjectiveResult {
        guard let unlabelled = batch.unlabelled else {
            throw .invalidConfiguration("ICT needs unlabelled data; the run has none")
        }
        let supervised = try SupervisedObjective(regularizer: supervisedRegularizer)
            .loss(model: model, batch: batch, context: &context, using: &generator)
        if let temperature = targetTemperature, !(temperature > 0 && temperature.isFinite) {
            throw .invalidConfiguration("ICT's target temperature must be a positive number, got \(temperature)")
        }
        let predictions = try teacher.probabilities(unlabelled, student: model, context: &context)
        let guesses = targetTemperature.map { predictions.sharpened(temperature: $0) } ?? predictions
        let mixed: MixedForward
        do {
            mixed = try unlabelledMixing.forward(
                model, input: unlabelled, labels: guesses, epoch: batch.epoch, context: &context, using: &generator)
        } catch {
            throw .mixing(error)
        }
        guard mixed.cleanCount == 0 else {
            throw .invalidConfiguration(
                "\(unlabelledMixing.name) feeds the clean batch with its mixed copy (RegMixup); it can only be the supervised "
                    + "regularizer, not the one mixing this objective's combined batch")
        }
        let consistency = SemiSupervisedLosses.probabilityMSE(logits: mixed.output, targets: mixed.targets.soft)
        let weight = Float(consistencyWeight.weight(atStep: batch.globalStep, totalSteps: batch.totalSteps))
        return ObjectiveResult(
            loss: supervised.loss + consistency * weight, logits: supervised.logits, targets: supervised.targets,
            mixPoint: mixed.point,
            metrics: ["consistency": Double(consistency.scalar), "consistency_weight": Double(weight)])
    }
}
