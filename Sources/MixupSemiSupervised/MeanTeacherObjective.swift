import MixupMixing
import MixupNN
import MixupTensor
import MixupTraining

/// The Mean Teacher baseline (Tarvainen & Valpola 2017): cross-entropy on labelled samples plus a ramped squared-error
/// consistency between the student's and the EMA teacher's predictions on two independently perturbed copies of each
/// unlabelled sample. No mixing on the unlabelled part.
public final class MeanTeacherObjective: TeacherStudentObjective {
    /// The EMA teacher.
    public let teacher: EMATeacher
    /// The consistency weight by step.
    public let consistencyWeight: SigmoidRampUp
    /// The perturbation applied to each copy (e.g. Gaussian noise, crops).
    public let perturbation: @Sendable (Tensor, inout SeededGenerator) -> Tensor
    /// Applied to labelled batches.
    public let supervisedRegularizer: Regularizer

    /// Creates the objective; the teacher is a copy of the student made when training starts.
    public init(
        teacherDecay: Float = 0.999, consistencyWeight: SigmoidRampUp,
        supervised: Regularizer = .erm, perturbation: @escaping @Sendable (Tensor, inout SeededGenerator) -> Tensor
    ) {
        self.teacher = EMATeacher(decay: teacherDecay)
        self.consistencyWeight = consistencyWeight
        self.perturbation = perturbation
        self.supervisedRegularizer = supervised
    }

    public var name: String { "mean-teacher" }

    public func loss(
        model: any MixableModel, batch: TrainingBatch, context: inout ForwardContext,
        using generator: inout SeededGenerator
    ) throws(TrainingError) -> ObjectiveResult {
        guard let unlabelled = batch.unlabelled else {
            throw .invalidConfiguration("Mean Teacher needs unlabelled data; the run has none")
        }
        let supervised = try SupervisedObjective(regularizer: supervisedRegularizer)
            .loss(model: model, batch: batch, context: &context, using: &generator)
        let studentView = perturbation(unlabelled, &generator)
        let teacherView = perturbation(unlabelled, &generator)
        let targets = try teacher.probabilities(teacherView, student: model, context: &context)
        let studentLogits = model(studentView, context: &context)
        let consistency = SemiSupervisedLosses.probabilityMSE(logits: studentLogits, targets: targets)
        let weight = Float(consistencyWeight.weight(atStep: batch.globalStep, totalSteps: batch.totalSteps))
        return ObjectiveResult(
            loss: supervised.loss + consistency * weight, logits: supervised.logits, targets: supervised.targets,
            metrics: ["consistency": Double(consistency.scalar), "consistency_weight": Double(weight)])
    }
}
