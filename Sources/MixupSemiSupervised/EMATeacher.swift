import MixupMixing
import MixupNN
import MixupTensor
import MixupTraining

/// An exponential-moving-average copy of a student network (Tarvainen & Valpola 2017, "Mean teachers are better role
/// models"), used by Mean Teacher and ICT: θ′ ← α·θ′ + (1 − α)·θ after every step, with α = min(1 − 1/(t + 1), decay)
/// so early steps follow the student closely. BatchNorm running statistics are copied from the student.
///
/// The teacher's network is made from the student with `Layer.copy()` — never a second, separately built network —
/// when it is attached (``attach(to:)``, which a ``TeacherStudentObjective`` does in
/// `TrainingObjective.prepare(model:)`), or at the first prediction otherwise. Its predictions never carry gradients.
public final class EMATeacher {
    /// The averaged network: a copy of the student, or `nil` before the teacher is attached.
    public private(set) var model: (any MixableModel)?
    /// The EMA decay α (e.g. 0.999).
    public let decay: Float

    /// Creates a teacher that copies the student when attached.
    ///
    /// - Precondition: `decay` ∈ [0, 1].
    public init(decay: Float) {
        precondition(decay >= 0 && decay <= 1, "EMATeacher: decay must be in [0, 1], got \(decay)")
        self.decay = decay
    }

    /// Creates a teacher that starts as a copy of `student`.
    ///
    /// - Throws: `LayerCopyError` when a layer of the student cannot be copied.
    public convenience init(student: any MixableModel, decay: Float) throws(LayerCopyError) {
        self.init(decay: decay)
        try attach(to: student)
    }

    /// Makes the teacher a copy of `student` if it has no network yet; does nothing otherwise.
    ///
    /// - Throws: `LayerCopyError` when a layer of the student cannot be copied.
    public func attach(to student: any MixableModel) throws(LayerCopyError) {
        guard model == nil else { return }
        model = try student.copy()
    }

    /// Overwrites the teacher's weights and buffers with the student's (attaching it first if needed).
    ///
    /// - Throws: `LayerCopyError` when the teacher has to be created and the student cannot be copied.
    public func copyWeights(from student: any MixableModel) throws(LayerCopyError) {
        guard let model else {
            try attach(to: student)
            return
        }
        let source = student.namedParameters().map(\.parameter) + student.namedBuffers().map(\.buffer)
        let target = model.namedParameters().map(\.parameter) + model.namedBuffers().map(\.buffer)
        for (s, t) in zip(source, target) where s.value.shape == t.value.shape { t.value = s.value }
    }

    /// θ′ ← α·θ′ + (1 − α)·θ with α = min(1 − 1/(step + 1), decay); buffers are copied. A teacher without a network
    /// becomes a copy of the student instead (if the student cannot be copied, nothing happens here: the objective's
    /// `TrainingObjective.prepare(model:)` or loss reports that).
    public func update(from student: any MixableModel, globalStep: Int) {
        guard let model else {
            try? attach(to: student)
            return
        }
        let alpha = min(1 - 1 / Float(globalStep + 1), decay)
        updateExponentialMovingAverage(model, toward: student, alpha: alpha)
    }

    /// Class probabilities `[batch, classes]` of the teacher, without gradients.
    ///
    /// The teacher runs in the mode of `context` — during training, with batch statistics and dropout, as the
    /// reference implementations of Mean Teacher and ICT do (`ema_model.train()`). Its BatchNorm running statistics
    /// are copied from the student at every update, so early in training (when they are still far from the data)
    /// they would make eval-mode teacher predictions meaningless; any running-statistics change made here is
    /// overwritten by the next update.
    /// - Throws: `TrainingError.invalidConfiguration(_:)` when the teacher must be created and the student cannot
    ///   be copied.
    public func probabilities(_ input: Tensor, student: any MixableModel, context: inout ForwardContext)
        throws(TrainingError) -> Tensor
    {
        do {
            try attach(to: student)
        } catch {
            throw .invalidConfiguration("the EMA teacher cannot copy the student: \(error.description)")
        }
        guard let model else { throw .invalidConfiguration("the EMA teacher has no network") }
        return withoutGradients { model(input, context: &context).softmax() }
    }

    /// The teacher's weights and buffers for checkpoints (`teacher.<name>`), plus whether it has a network
    /// (`teacher.initialized`).
    public func checkpointTensors() -> [String: Tensor] {
        var result: [String: Tensor] = ["teacher.initialized": Tensor(model == nil ? 0 : 1)]
        guard let model else { return result }
        for (name, parameter) in model.namedParameters() { result["teacher.\(name)"] = parameter.value }
        for (name, buffer) in model.namedBuffers() { result["teacher.\(name)"] = buffer.value }
        return result
    }

    /// Restores what ``checkpointTensors()`` wrote. Checks every tensor first, so a bad checkpoint changes nothing.
    ///
    /// - Throws: `TrainingError.checkpoint(_:)` naming the first missing or mis-shaped tensor, or when the
    ///   checkpoint has teacher weights but the teacher has no network yet (attach it first).
    public func restore(_ tensors: [String: Tensor]) throws(TrainingError) {
        let saved = (tensors["teacher.initialized"]?.scalars.first ?? 0) != 0
        guard saved else { return }
        guard let model else {
            throw .checkpoint("the checkpoint has EMA teacher weights but the teacher is not attached to a student")
        }
        let slots = model.namedParameters() + model.namedBuffers().map { (name: $0.name, parameter: $0.buffer) }
        for (name, slot) in slots {
            guard let tensor = tensors["teacher.\(name)"], tensor.shape == slot.value.shape else {
                throw .checkpoint("teacher.\(name) is missing or has the wrong shape")
            }
        }
        for (name, slot) in slots { slot.value = tensors["teacher.\(name)"] ?? slot.value }
    }
}
