import MixupMixing
import MixupNN
import MixupTensor

/// An exponential-moving-average copy of a student network (Tarvainen & Valpola 2017, "Mean teachers are better role
/// models"), used by Mean Teacher and ICT: θ′ ← α·θ′ + (1 − α)·θ after every step, with α = min(1 − 1/(t + 1), decay)
/// so early steps follow the student closely. BatchNorm running statistics are copied from the student.
///
/// The teacher is a separate instance built by the same constructor; it starts as an exact copy of the student.
/// Its predictions never carry gradients.
public final class EMATeacher {
    /// The averaged network.
    public let model: any MixableModel
    /// The EMA decay α (e.g. 0.999).
    public let decay: Float
    private var isInitialized = false

    /// Creates a teacher from a freshly built network of the same architecture as the student.
    ///
    /// - Precondition: `decay` ∈ [0, 1].
    public init(model: any MixableModel, decay: Float) {
        precondition(decay >= 0 && decay <= 1, "EMATeacher: decay must be in [0, 1], got \(decay)")
        self.model = model
        self.decay = decay
    }

    /// Copies the student's weights and buffers into the teacher (done automatically before the first prediction).
    public func copyWeights(from student: any MixableModel) {
        let source = student.namedParameters().map(\.parameter) + student.namedBuffers().map(\.buffer)
        let target = model.namedParameters().map(\.parameter) + model.namedBuffers().map(\.buffer)
        precondition(source.count == target.count, "EMATeacher: teacher and student architectures differ")
        for (s, t) in zip(source, target) {
            precondition(
                s.value.shape == t.value.shape,
                "EMATeacher: \(t.name) shape \(t.value.shape) vs student \(s.value.shape)")
            t.value = s.value
        }
        isInitialized = true
    }

    /// θ′ ← α·θ′ + (1 − α)·θ with α = min(1 − 1/(step + 1), decay); buffers are copied.
    public func update(from student: any MixableModel, globalStep: Int) {
        guard isInitialized else {
            copyWeights(from: student)
            return
        }
        let alpha = min(1 - 1 / Float(globalStep + 1), decay)
        for (s, t) in zip(student.namedParameters().map(\.parameter), model.namedParameters().map(\.parameter)) {
            var values = t.value.scalars
            s.value.scalars.withUnsafeBufferPointer { source in
                values.withUnsafeMutableBufferPointer { target in
                    for i in 0..<target.count { target[i] = alpha * target[i] + (1 - alpha) * source[i] }
                }
            }
            t.value = Tensor(shape: t.value.shape, scalars: values)
        }
        for (s, t) in zip(student.namedBuffers().map(\.buffer), model.namedBuffers().map(\.buffer)) {
            t.value = s.value
        }
    }

    /// Class probabilities `[batch, classes]` of the teacher, without gradients.
    ///
    /// The teacher runs in the mode of `context` — during training, with batch statistics and dropout, as the
    /// reference implementations of Mean Teacher and ICT do (`ema_model.train()`). Its BatchNorm running statistics
    /// are copied from the student at every update, so early in training (when they are still far from the data)
    /// they would make eval-mode teacher predictions meaningless; any running-statistics change made here is
    /// overwritten by the next update.
    public func probabilities(_ input: Tensor, student: any MixableModel, context: inout ForwardContext) -> Tensor {
        if !isInitialized { copyWeights(from: student) }
        return withoutGradients { model(input, context: &context).softmax() }
    }

    /// The teacher's weights and buffers for checkpoints (`teacher.<name>`), plus whether it was initialised.
    func checkpointTensors() -> [String: Tensor] {
        var result: [String: Tensor] = ["teacher.initialized": Tensor(isInitialized ? 1 : 0)]
        for (name, parameter) in model.namedParameters() { result["teacher.\(name)"] = parameter.value }
        for (name, buffer) in model.namedBuffers() { result["teacher.\(name)"] = buffer.value }
        return result
    }

    /// Restores what ``checkpointTensors()`` wrote.
    func restore(_ tensors: [String: Tensor]) -> String? {
        let slots = model.namedParameters() + model.namedBuffers().map { (name: $0.name, parameter: $0.buffer) }
        for (name, slot) in slots {
            guard let saved = tensors["teacher.\(name)"], saved.shape == slot.value.shape else {
                return "teacher.\(name) is missing or has the wrong shape"
            }
        }
        for (name, slot) in slots { slot.value = tensors["teacher.\(name)"] ?? slot.value }
        isInitialized = (tensors["teacher.initialized"]?.scalars.first ?? 0) != 0
        return nil
    }
}
