import MixupMixing
import MixupTensor
import MixupTraining

/// An objective with an exponential-moving-average teacher (Mean Teacher, ICT): after every optimizer step the
/// teacher follows the student, and the teacher's weights are saved in and restored from checkpoints.
///
/// Conformers only provide ``teacher``; the defaults below implement the rest of `TrainingObjective`'s hooks.
public protocol TeacherStudentObjective: TrainingObjective {
    /// The EMA teacher whose predictions are the consistency targets.
    var teacher: EMATeacher { get }
}

extension TeacherStudentObjective {
    /// Moves the teacher towards the student (see ``EMATeacher/update(from:globalStep:)``).
    public func didUpdate(model: any MixableModel, globalStep: Int) {
        teacher.update(from: model, globalStep: globalStep)
    }

    /// The teacher's weights and buffers, as `teacher.<name>`.
    public func checkpointTensors() -> [String: Tensor] { teacher.checkpointTensors() }

    /// Restores the teacher; throws naming the first missing or mis-shaped tensor, changing nothing.
    public func restore(checkpointTensors: [String: Tensor]) throws(TrainingError) {
        try teacher.restore(checkpointTensors)
    }

    /// Makes the teacher a copy of the student (see ``EMATeacher/attach(to:)``).
    public func prepare(model: any MixableModel) throws(TrainingError) {
        do {
            try teacher.attach(to: model)
        } catch {
            throw .invalidConfiguration("the EMA teacher cannot copy the student: \(error.description)")
        }
    }
}
